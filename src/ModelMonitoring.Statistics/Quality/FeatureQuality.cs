using ModelMonitoring.Statistics;

namespace ModelMonitoring.Quality;

/// <summary>
/// The data quality of one feature over a window of predictions or a file, against a reference: how many values were
/// missing, could not be converted, fell outside the reference's range, were categories the reference never saw, or lay
/// far from the reference's median (robust z-score). Counted by <see cref="FeatureQualityCounter"/>.
/// </summary>
/// <param name="Name">The feature's name.</param>
/// <param name="Type">The feature's type in the reference (numerical or categorical).</param>
/// <remarks>
/// Ratios: <see cref="MissingRatio"/> and <see cref="UnconvertibleRatio"/> are shares of every value
/// (<see cref="Values"/>); the others are shares of the present values (<see cref="Present"/>: neither missing nor
/// unconvertible). A ratio is NaN when it was not measured (no reference for it, or no value to measure).
/// </remarks>
public sealed record FeatureQuality(string Name, ColumnType Type)
{
    /// <summary>Every value seen: present, missing and unconvertible.</summary>
    public long Values { get; init; }

    /// <summary>Missing values: null, NaN, ±Infinity, or an empty (blank) label.</summary>
    public long Missing { get; init; }

    /// <summary>Values that could not be converted to the reference's type (text in a numerical feature).</summary>
    public long Unconvertible { get; init; }

    /// <summary>Numbers outside the reference's [minimum, maximum], widened by the range tolerance.</summary>
    public long OutOfRange { get; init; }

    /// <summary>Categories absent from the reference.</summary>
    public long UnseenCategories { get; init; }

    /// <summary>Numbers whose robust z-score against the reference exceeds the threshold in absolute value.</summary>
    public long RobustOutliers { get; init; }

    /// <summary>Whether out-of-range values were counted: a numerical feature with a reference range.</summary>
    public bool HasRange { get; init; }

    /// <summary>Whether unseen categories were counted: a categorical feature with reference categories.</summary>
    public bool HasCategories { get; init; }

    /// <summary>Whether robust z-scores were computed: a numerical feature with a reference median and scale.</summary>
    public bool HasRobustScore { get; init; }

    /// <summary>
    /// The type the values had, when the caller knows it (a file's column read on its own); <see langword="null"/>
    /// when not known.
    /// </summary>
    public ColumnType? ObservedType { get; init; }

    /// <summary>Whether the values are not of the reference's type (for example text where the reference has numbers).</summary>
    public bool TypeMismatch => ObservedType is { } observed && observed != Type;

    /// <summary>Up to a few of the unseen categories, in the order they first came (never of a sensitive feature).</summary>
    public IReadOnlyList<string> UnseenExamples { get; init; } = [];

    /// <summary>Values that were neither missing nor unconvertible.</summary>
    public long Present => Values - Missing - Unconvertible;

    /// <summary>Missing values over every value; NaN when there was none.</summary>
    public double MissingRatio => Ratio(Missing, Values, true);

    /// <summary>Unconvertible values over every value; NaN when there was none.</summary>
    public double UnconvertibleRatio => Ratio(Unconvertible, Values, true);

    /// <summary>Out-of-range values over the present values; NaN when not measured.</summary>
    public double OutOfRangeRatio => Ratio(OutOfRange, Present, HasRange);

    /// <summary>Unseen categories over the present values; NaN when not measured.</summary>
    public double UnseenCategoryRatio => Ratio(UnseenCategories, Present, HasCategories);

    /// <summary>Robust outliers over the present values; NaN when not measured.</summary>
    public double RobustOutlierRatio => Ratio(RobustOutliers, Present, HasRobustScore);

    private static double Ratio(long part, long whole, bool measured) => measured && whole > 0 ? (double)part / whole : double.NaN;
}
