using System.Globalization;
using System.Runtime.CompilerServices;
using ModelMonitoring.Outliers;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Quality;

/// <summary>
/// Counts the data quality of one feature's values as they come (a window of predictions, a file's column), against an
/// optional <see cref="FeatureQualityReference"/>: missing values always; out-of-range values, unseen categories and
/// robust outliers when the reference allows. Adding a value allocates nothing, except the first few unseen categories
/// kept as examples. Single writer; <see cref="ToResult"/> must not overlap an add.
/// </summary>
public sealed class FeatureQualityCounter
{
    // Strings already found among the reference's categories, compared by reference: the labels of enums and bools
    // (and any string instance that recurs) then skip the hash lookup. At most 8 strings of 64 characters, kept until
    // the next Reset (a window), so the cache's bytes are bounded and no caller's string outlives its window.
    private const int KnownCacheSize = 8;
    private const int KnownCacheMaxLength = 64;
    private readonly string?[] _knownInstances = new string?[KnownCacheSize];
    private int _nextKnown;
    private readonly List<string> _examples = [];
    private readonly int _maxExamples;
    private readonly double _robustThreshold;
    private long _values;
    private long _missing;
    private long _unconvertible;
    private long _outOfRange;
    private long _unseen;
    private long _robustOutliers;

    // What a present number is checked against, read from the reference when it is set rather than for every value.
    private bool _checksNumbers;
    private NumberChecks _checks;

    /// <summary>Starts counting.</summary>
    /// <param name="name">The feature's name.</param>
    /// <param name="type">Its type in the reference: numbers are checked against the range, labels against the categories.</param>
    /// <param name="reference">What to check against; null: only missing (and unconvertible) values are counted.</param>
    /// <param name="robustThreshold">The absolute robust z-score above which a number counts as a robust outlier.</param>
    /// <param name="maxUnseenExamples">How many distinct unseen categories to keep as examples (0: none).</param>
    public FeatureQualityCounter(string name, ColumnType type, FeatureQualityReference? reference = null, double robustThreshold = RobustZScore.DefaultThreshold, int maxUnseenExamples = 5)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegative(maxUnseenExamples);
        if (!(robustThreshold > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(robustThreshold), robustThreshold, "The robust z-score threshold must be positive.");
        }

        Name = name;
        Type = type;
        _robustThreshold = robustThreshold;
        SetReference(reference);
        _maxExamples = maxUnseenExamples;
    }

    /// <summary>The feature's name.</summary>
    public string Name { get; }

    /// <summary>The feature's type in the reference.</summary>
    public ColumnType Type { get; }

    /// <summary>What the values are checked against; null when there is no reference yet.</summary>
    public FeatureQualityReference? Reference { get; private set; }

    /// <summary>The type the values turned out to have, when the caller knows it; see <see cref="FeatureQuality.ObservedType"/>.</summary>
    public ColumnType? ObservedType { get; set; }

    /// <summary>
    /// Counts a number: missing when NaN or ±Infinity; else checked against the range and robust z-score (numerical), or
    /// as the label it stands for, in the invariant culture (a number declared categorical).
    /// </summary>
    public void AddNumber(double value)
    {
        _values++;
        if (!double.IsFinite(value))
        {
            _missing++;
            return;
        }

        if (_checksNumbers)
        {
            _checks.Count(value, _robustThreshold, ref _outOfRange, ref _robustOutliers);
        }
        else if (Type == ColumnType.Categorical)
        {
            AddNumberAsLabel(value);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddNumberAsLabel(double value)
    {
        Span<char> text = stackalloc char[32];
        if (value.TryFormat(text, out int written, default, CultureInfo.InvariantCulture))
        {
            CheckCategory(text[..written]);
        }
    }

    /// <summary>
    /// Counts numbers: what <see cref="AddNumber"/> counts for each, in one pass that reads the reference's range and
    /// robust z-score once rather than for every value.
    /// </summary>
    public void AddNumbers(ReadOnlySpan<double> values)
    {
        if (!_checksNumbers)
        {
            foreach (double value in values)
            {
                AddNumber(value);
            }

            return;
        }

        NumberChecks checks = _checks;
        double threshold = _robustThreshold;
        long missing = 0;
        long outOfRange = 0;
        long robustOutliers = 0;
        foreach (double value in values)
        {
            if (!double.IsFinite(value))
            {
                missing++;
                continue;
            }

            checks.Count(value, threshold, ref outOfRange, ref robustOutliers);
        }

        _values += values.Length;
        _missing += missing;
        _outOfRange += outOfRange;
        _robustOutliers += robustOutliers;
    }

    /// <summary>Counts a label: missing when null, empty or blank; else checked against the reference's categories.</summary>
    public void AddLabel(string? value)
    {
        if (value is null)
        {
            _values++;
            _missing++;
            return;
        }

        string?[] known = _knownInstances;
        for (int i = 0; i < known.Length; i++)
        {
            if (ReferenceEquals(known[i], value))
            {
                _values++; // a known category: neither missing nor unseen
                return;
            }
        }

        if (AddLabelCore(value.AsSpan()) == CategoryMembership.Known && value.Length <= KnownCacheMaxLength)
        {
            known[_nextKnown] = value;
            _nextKnown = (_nextKnown + 1) % known.Length;
        }
    }

    /// <summary>Counts a label: missing when empty or blank; else checked against the reference's categories. Allocates nothing.</summary>
    public void AddLabel(ReadOnlySpan<char> value) => AddLabelCore(value);

    /// <summary>
    /// Counts a label <paramref name="count"/> times: the same counts as that many calls of <see cref="AddLabel(string?)"/>
    /// (a reader that tallies each distinct label before handing it over).
    /// </summary>
    /// <param name="value">The label; null counts as missing.</param>
    /// <param name="count">How many times (not negative).</param>
    public void AddLabel(string? value, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return;
        }

        if (value is null)
        {
            _values += count;
            _missing += count;
            return;
        }

        AddLabelCore(value.AsSpan(), count);
    }

    /// <summary>Counts missing values.</summary>
    /// <param name="count">How many.</param>
    public void AddMissing(long count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _values += count;
        _missing += count;
    }

    /// <summary>Counts values that could not be converted to the reference's type (for example text in a numerical column).</summary>
    /// <param name="count">How many.</param>
    public void AddUnconvertible(long count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _values += count;
        _unconvertible += count;
    }

    /// <summary>
    /// Adds the counts of <paramref name="other"/>, which counted the values that came after this counter's (a later
    /// part of the same column, read on another thread). The unseen examples are this counter's, then the other's that
    /// are new, up to this counter's maximum: the very list one counter would have kept over both parts in order, as
    /// long as <paramref name="other"/> kept at least as many examples as this one may.
    /// </summary>
    /// <param name="other">A counter of the same type, against the same reference.</param>
    /// <exception cref="ArgumentException">The types differ.</exception>
    public void Merge(FeatureQualityCounter other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Type != Type)
        {
            throw new ArgumentException($"Cannot merge the {other.Type} counter '{other.Name}' into the {Type} counter '{Name}'.", nameof(other));
        }

        _values += other._values;
        _missing += other._missing;
        _unconvertible += other._unconvertible;
        _outOfRange += other._outOfRange;
        _unseen += other._unseen;
        _robustOutliers += other._robustOutliers;
        foreach (string example in other._examples)
        {
            if (_examples.Count >= _maxExamples)
            {
                break;
            }

            if (!ContainsExample(example))
            {
                _examples.Add(example);
            }
        }
    }

    /// <summary>The counts so far.</summary>
    public FeatureQuality ToResult() => new(Name, Type)
    {
        Values = _values,
        Missing = _missing,
        Unconvertible = _unconvertible,
        OutOfRange = _outOfRange,
        UnseenCategories = _unseen,
        RobustOutliers = _robustOutliers,
        HasRange = Type == ColumnType.Numerical && Reference is { HasRange: true },
        HasCategories = Type == ColumnType.Categorical && Reference is { HasCategories: true },
        HasRobustScore = Type == ColumnType.Numerical && Reference?.Robust is not null,
        ObservedType = ObservedType,
        UnseenExamples = _examples.Count == 0 ? [] : [.. _examples],
    };

    /// <summary>Forgets every count and starts again, against <paramref name="reference"/> (for the next window).</summary>
    /// <param name="reference">The reference for the next values; null: none.</param>
    public void Reset(FeatureQualityReference? reference)
    {
        SetReference(reference);
        ObservedType = null;
        Array.Clear(_knownInstances);
        _examples.Clear();
        _values = _missing = _unconvertible = _outOfRange = _unseen = _robustOutliers = 0;
    }

    private void SetReference(FeatureQualityReference? reference)
    {
        Reference = reference;
        _checksNumbers = Type != ColumnType.Categorical && reference is not null;
        _checks = new NumberChecks(reference);
    }

    /// <summary>
    /// A reference's checks of a present number: its range (±Infinity without one, beyond which no finite value lies)
    /// and its robust z-score, computed as <see cref="RobustZScore.Score"/> does: (value - median) / scale when the scale
    /// is positive, else by <see cref="RobustZScore.Score"/> itself (a constant reference scores any other value ±Infinity).
    /// </summary>
    private readonly struct NumberChecks
    {
        private readonly double _lower;
        private readonly double _upper;
        private readonly double _median;
        private readonly double _scale;
        private readonly bool _divided;
        private readonly RobustZScore? _robust;

        public NumberChecks(FeatureQualityReference? reference)
        {
            bool hasRange = reference is { HasRange: true };
            _lower = hasRange ? reference!.Lower : double.NegativeInfinity;
            _upper = hasRange ? reference!.Upper : double.PositiveInfinity;
            _robust = reference?.Robust;
            _median = _robust?.Median ?? double.NaN;
            _scale = _robust?.Scale ?? double.NaN;
            _divided = !double.IsNaN(_median) && _scale > 0;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Count(double value, double threshold, ref long outOfRange, ref long robustOutliers)
        {
            if (value < _lower || value > _upper)
            {
                outOfRange++;
            }

            if (_divided)
            {
                if (Math.Abs((value - _median) / _scale) > threshold)
                {
                    robustOutliers++;
                }
            }
            else if (_robust is { } robust && Math.Abs(robust.Score(value)) > threshold)
            {
                robustOutliers++;
            }
        }
    }

    // Counts a label; returns what the reference said of it (Undecided without a check).
    private CategoryMembership AddLabelCore(ReadOnlySpan<char> value, long count = 1)
    {
        _values += count;
        if (value.IsWhiteSpace())
        {
            _missing += count;
            return CategoryMembership.Undecided;
        }

        return Type == ColumnType.Categorical ? CheckCategory(value, count) : CategoryMembership.Undecided;
    }

    private CategoryMembership CheckCategory(ReadOnlySpan<char> value, long count = 1)
    {
        if (Reference is not { HasCategories: true } reference)
        {
            return CategoryMembership.Undecided;
        }

        CategoryMembership membership = reference.Contains(value);
        if (membership != CategoryMembership.Unseen)
        {
            return membership;
        }

        _unseen += count;
        if (_examples.Count < _maxExamples && !ContainsExample(value))
        {
            _examples.Add(value.Length > 64 ? string.Concat(value[..63], "…") : value.ToString());
        }

        return CategoryMembership.Unseen;
    }

    private bool ContainsExample(ReadOnlySpan<char> value)
    {
        foreach (string example in _examples)
        {
            if (value.SequenceEqual(example))
            {
                return true;
            }
        }

        return false;
    }
}
