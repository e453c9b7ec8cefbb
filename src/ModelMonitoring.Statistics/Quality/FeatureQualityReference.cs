using ModelMonitoring.Outliers;
using ModelMonitoring.Sketches;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Quality;

/// <summary>Whether a category is one the reference holds.</summary>
public enum CategoryMembership
{
    /// <summary>The reference holds it.</summary>
    Known,

    /// <summary>The reference does not hold it.</summary>
    Unseen,

    /// <summary>
    /// Cannot be told: the reference counted more distinct categories than it keeps, and this one falls in the part of its
    /// overflow that only a sample represents. Not counted as unseen.
    /// </summary>
    Undecided,
}

/// <summary>
/// What data quality checks a feature against: the reference's range (numerical: [minimum, maximum], widened on each side
/// by <see cref="RangeTolerance"/> × (maximum − minimum)), its categories (categorical), and optionally a robust z-score.
/// Built from a <see cref="FeatureProfile"/> (a baseline, or a window that became the reference) or from the values of
/// a reference file. Read-only once built; thread-safe.
/// </summary>
public sealed class FeatureQualityReference
{
    private readonly HashSet<string>? _categories;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _categoryLookup;
    private readonly OverflowSample? _overflow;
    private readonly bool _hasOverflow;
    private readonly int _maxCategoryLength;

    private FeatureQualityReference(string name, ColumnType type, double minimum, double maximum, double tolerance, HashSet<string>? categories, bool hasOverflow, OverflowSample? overflow, int maxCategoryLength, RobustZScore? robust)
    {
        Name = name;
        Type = type;
        Minimum = minimum;
        Maximum = maximum;
        RangeTolerance = tolerance;
        double widen = double.IsFinite(maximum - minimum) ? tolerance * (maximum - minimum) : 0;
        Lower = minimum - widen;
        Upper = maximum + widen;
        _categories = categories;
        if (categories is not null)
        {
            _categoryLookup = categories.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        _hasOverflow = hasOverflow;
        _overflow = overflow;
        _maxCategoryLength = maxCategoryLength;
        Robust = robust;
    }

    /// <summary>The feature's name.</summary>
    public string Name { get; }

    /// <summary>The feature's type in the reference.</summary>
    public ColumnType Type { get; }

    /// <summary>The reference's smallest value (numerical; NaN when it has none, or for a categorical feature).</summary>
    public double Minimum { get; }

    /// <summary>The reference's largest value (numerical; NaN when it has none, or for a categorical feature).</summary>
    public double Maximum { get; }

    /// <summary>The share of the reference's range added below its minimum and above its maximum.</summary>
    public double RangeTolerance { get; }

    /// <summary>Values below this are out of range.</summary>
    public double Lower { get; }

    /// <summary>Values above this are out of range.</summary>
    public double Upper { get; }

    /// <summary>Whether the reference has a range to check numbers against.</summary>
    public bool HasRange => Type == ColumnType.Numerical && !double.IsNaN(Minimum) && !double.IsNaN(Maximum);

    /// <summary>Whether the reference has categories to check labels against.</summary>
    public bool HasCategories => _categories is not null;

    /// <summary>The robust z-score of the feature's values, when the reference has one.</summary>
    public RobustZScore? Robust { get; }

    /// <summary>From a profile: its minimum and maximum, or its categories (the exact ones, and its overflow sample).</summary>
    /// <param name="profile">The reference profile.</param>
    /// <param name="rangeTolerance">The share of the range to widen it by on each side (0: the exact range).</param>
    /// <param name="robust">The robust z-score, if any (from <see cref="OutlierProfile.RobustScores"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">The tolerance is negative or not a number.</exception>
    public static FeatureQualityReference FromProfile(FeatureProfile profile, double rangeTolerance = 0, RobustZScore? robust = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        CheckTolerance(rangeTolerance);
        if (profile.Type == ColumnType.Numerical)
        {
            return new FeatureQualityReference(profile.Name, ColumnType.Numerical, profile.Min, profile.Max, rangeTolerance, null, false, null, 0, robust);
        }

        CategoryCounter counter = profile.Categories!;
        var categories = new HashSet<string>(counter.ExactCounts.Select(p => p.Key), StringComparer.Ordinal);
        return new FeatureQualityReference(profile.Name, ColumnType.Categorical, double.NaN, double.NaN, rangeTolerance, categories, counter.HasOverflow, counter.OverflowSample, counter.MaxCategoryLength, null);
    }

    /// <summary>From a reference file's values: their exact range and robust z-score, or their exact set of categories.</summary>
    /// <param name="sample">The reference values.</param>
    /// <param name="rangeTolerance">The share of the range to widen it by on each side (0: the exact range).</param>
    /// <exception cref="ArgumentOutOfRangeException">The tolerance is negative or not a number.</exception>
    public static FeatureQualityReference FromSample(ColumnSample sample, double rangeTolerance = 0)
    {
        ArgumentNullException.ThrowIfNull(sample);
        CheckTolerance(rangeTolerance);
        if (sample.Type == ColumnType.Numerical && sample.Summary is { } summary)
        {
            // The exact drift engine already sorted the values: the same range and robust z-score, without another pass.
            return new FeatureQualityReference(sample.Name, ColumnType.Numerical, summary.Min, summary.Max, rangeTolerance, null, false, null, 0, double.IsNaN(summary.Robust.Median) ? null : summary.Robust);
        }

        if (sample.Type == ColumnType.Numerical)
        {
            double min = double.NaN;
            double max = double.NaN;
            foreach (double value in sample.Numbers)
            {
                if (double.IsFinite(value))
                {
                    min = double.IsNaN(min) ? value : Math.Min(min, value);
                    max = double.IsNaN(max) ? value : Math.Max(max, value);
                }
            }

            RobustZScore robust = RobustZScore.Fit(sample.Numbers);
            return new FeatureQualityReference(sample.Name, ColumnType.Numerical, min, max, rangeTolerance, null, false, null, 0, double.IsNaN(robust.Median) ? null : robust);
        }

        return new FeatureQualityReference(sample.Name, ColumnType.Categorical, double.NaN, double.NaN, rangeTolerance, DistinctLabels(sample.Categories), false, null, int.MaxValue, null);
    }

    // The distinct labels. A reader's labels are mostly a few string instances repeated (mlmon interns them): the last
    // eight instances added are recognised by reference, so most values cost no hash of their text.
    private static HashSet<string> DistinctLabels(string[] labels)
    {
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        var recent = new string?[8];
        int next = 0;
        foreach (string label in labels)
        {
            if (ReferenceEquals(label, recent[0]) || ReferenceEquals(label, recent[1]) || ReferenceEquals(label, recent[2]) || ReferenceEquals(label, recent[3])
                || ReferenceEquals(label, recent[4]) || ReferenceEquals(label, recent[5]) || ReferenceEquals(label, recent[6]) || ReferenceEquals(label, recent[7]))
            {
                continue;
            }

            distinct.Add(label);
            recent[next] = label;
            next = (next + 1) & 7;
        }

        return distinct;
    }

    /// <summary>Whether a present number lies outside [<see cref="Lower"/>, <see cref="Upper"/>] (false without a range).</summary>
    public bool IsOutOfRange(double value) => HasRange && (value < Lower || value > Upper);

    /// <summary>Whether the reference holds a category. Allocates nothing.</summary>
    /// <param name="category">The category as recorded (a profile compares its first <see cref="CategoryCounter.MaxCategoryLength"/> characters, as it kept them).</param>
    public CategoryMembership Contains(ReadOnlySpan<char> category)
    {
        if (_categories is null)
        {
            return CategoryMembership.Undecided;
        }

        if (category.Length > _maxCategoryLength)
        {
            // Kept as the profile keeps it: the first characters, without splitting a surrogate pair.
            category = category[..(char.IsHighSurrogate(category[_maxCategoryLength - 1]) ? _maxCategoryLength - 1 : _maxCategoryLength)];
        }

        if (_categoryLookup.Contains(category))
        {
            return CategoryMembership.Known;
        }

        if (!_hasOverflow)
        {
            return CategoryMembership.Unseen;
        }

        // Categories past the reference's limit went to its overflow; its bottom-k sample holds every one of them whose
        // hash is at or below its threshold, so below it absence is certain.
        if (_overflow is null)
        {
            return CategoryMembership.Undecided;
        }

        ulong hash = OverflowSample.Hash(category);
        if (_overflow.Contains(hash))
        {
            return CategoryMembership.Known;
        }

        return hash <= _overflow.Threshold ? CategoryMembership.Unseen : CategoryMembership.Undecided;
    }

    private static void CheckTolerance(double rangeTolerance)
    {
        if (!(rangeTolerance >= 0) || double.IsInfinity(rangeTolerance))
        {
            throw new ArgumentOutOfRangeException(nameof(rangeTolerance), rangeTolerance, "The range tolerance must be a non-negative number (a share of the reference's range).");
        }
    }
}
