using ModelMonitoring.Outliers;
using ModelMonitoring.Sketches;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Quality;

/// <summary>How data quality is judged.</summary>
public sealed record DataQualitySettings
{
    /// <summary>
    /// The share of the reference's range (maximum − minimum) that widens it on each side before a number counts as out of
    /// range. Default 0: the reference's exact [minimum, maximum], as Evidently's out-of-range tests use it.
    /// </summary>
    public double RangeTolerance { get; init; }

    /// <summary>The absolute robust z-score above which a number is a robust outlier. Default 3.5.</summary>
    public double RobustZThreshold { get; init; } = RobustZScore.DefaultThreshold;

    /// <summary>How many distinct unseen categories each result keeps as examples. Default 5.</summary>
    public int MaxUnseenExamples { get; init; } = 5;
}

/// <summary>
/// Data quality of a batch: a current column against a reference column (a file) or a reference profile (a baseline),
/// with <see cref="FeatureQualityCounter"/> underneath.
/// </summary>
public static class DataQuality
{
    /// <summary>The quality of a current column against a reference column of the same type.</summary>
    /// <param name="reference">The reference values: their exact range and robust z-score, or their categories.</param>
    /// <param name="current">The current values, with their missing count.</param>
    /// <param name="settings">Tolerance and thresholds; null: the defaults.</param>
    /// <param name="unconvertible">Current values that could not be converted to the reference's type (not in <paramref name="current"/>).</param>
    /// <param name="observedType">The type the current column had on its own, if known.</param>
    /// <exception cref="ArgumentException">The columns' types differ.</exception>
    public static FeatureQuality Measure(ColumnSample reference, ColumnSample current, DataQualitySettings? settings = null, long unconvertible = 0, ColumnType? observedType = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        settings ??= new DataQualitySettings();
        return Count(FeatureQualityReference.FromSample(reference, settings.RangeTolerance), current, settings, unconvertible, observedType);
    }

    /// <summary>The quality of a current column against a reference profile of the same type (a baseline's).</summary>
    /// <param name="reference">The reference profile: its minimum and maximum, or its categories.</param>
    /// <param name="current">The current values, with their missing count.</param>
    /// <param name="settings">Tolerance and thresholds; null: the defaults.</param>
    /// <param name="robust">The feature's robust z-score (from <see cref="BaselineProfile.Outliers"/>), if any.</param>
    /// <param name="unconvertible">Current values that could not be converted to the reference's type (not in <paramref name="current"/>).</param>
    /// <param name="observedType">The type the current column had on its own, if known.</param>
    /// <exception cref="ArgumentException">The types differ.</exception>
    public static FeatureQuality Measure(FeatureProfile reference, ColumnSample current, DataQualitySettings? settings = null, RobustZScore? robust = null, long unconvertible = 0, ColumnType? observedType = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        settings ??= new DataQualitySettings();
        return Count(FeatureQualityReference.FromProfile(reference, settings.RangeTolerance, robust), current, settings, unconvertible, observedType);
    }

    private static FeatureQuality Count(FeatureQualityReference reference, ColumnSample current, DataQualitySettings settings, long unconvertible, ColumnType? observedType)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (current.Type != reference.Type)
        {
            throw new ArgumentException($"Column '{current.Name}' is {Name(current.Type)} but its reference is {Name(reference.Type)}; convert it first and count what does not convert.", nameof(current));
        }

        var counter = new FeatureQualityCounter(current.Name, reference.Type, reference, settings.RobustZThreshold, settings.MaxUnseenExamples)
        {
            ObservedType = observedType,
        };
        counter.AddMissing(current.MissingCount);
        counter.AddUnconvertible(unconvertible);
        if (current.Type == ColumnType.Numerical)
        {
            foreach (double value in current.Numbers)
            {
                counter.AddNumber(value);
            }
        }
        else
        {
            foreach (string value in current.Categories)
            {
                counter.AddLabel(value);
            }
        }

        return counter.ToResult();
    }

    private static string Name(ColumnType type) => type == ColumnType.Numerical ? "numerical" : "categorical";
}
