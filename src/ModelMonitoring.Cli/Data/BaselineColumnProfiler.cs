using ModelMonitoring.Quality;
using ModelMonitoring.Sketches;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Cli.Data;

/// <summary>
/// Profiles one column of a current file against a baseline feature while the file is read, without keeping its
/// values: the window profile binned on the baseline's grid (what <see cref="BaselineProfile.WindowProfileOf"/> gives
/// for the whole column) and the data-quality counts (what <see cref="DataQuality.Measure(FeatureProfile, ColumnSample, DataQualitySettings?, RobustZScore?, long, ColumnType?)"/>
/// gives). A comparison against a baseline then needs memory for the profiles only, whatever the file's size.
/// </summary>
/// <remarks>
/// One profiler per column and per part of the file read on its own thread; <see cref="Merge"/> joins the parts in
/// file order. A value of the other type (text in a column the baseline holds as numbers) is not counted: the reader
/// marks the column, and the comparison stops with an error naming the line.
/// </remarks>
internal sealed class BaselineColumnProfiler
{
    private readonly FeatureProfile? reference;

    /// <summary>Starts profiling a column against its baseline feature.</summary>
    /// <param name="reference">The baseline's profile of the feature.</param>
    /// <param name="qualityReference">What quality is checked against (the feature's range, categories and robust z-score).</param>
    /// <param name="settings">The data-quality settings.</param>
    public BaselineColumnProfiler(FeatureProfile reference, FeatureQualityReference qualityReference, DataQualitySettings settings)
    {
        this.reference = reference;
        Profile = FeatureProfile.CreateWindowProfile(reference);
        Quality = new FeatureQualityCounter(reference.Name, reference.Type, qualityReference, settings.RobustZThreshold, settings.MaxUnseenExamples);
    }

    private BaselineColumnProfiler()
    {
        Profile = null!;
        Quality = null!;
    }

    /// <summary>
    /// A profiler that counts nothing, for a column the baseline does not have: the comparison stops on it once the
    /// file's columns are known, and its values need not be kept meanwhile.
    /// </summary>
    public static BaselineColumnProfiler Ignoring() => new();

    /// <summary>Whether the column's values are numbers (or anything, for a column that is ignored).</summary>
    public bool TakesNumbers => reference is null || reference.Type == ColumnType.Numerical;

    /// <summary>Whether the column's values are labels (or anything, for a column that is ignored).</summary>
    public bool TakesLabels => reference is null || reference.Type == ColumnType.Categorical;

    /// <summary>The column's profile so far, binned on the baseline's grid.</summary>
    public FeatureProfile Profile { get; }

    /// <summary>The column's data-quality counts so far.</summary>
    public FeatureQualityCounter Quality { get; }

    /// <summary>Profiles a finite number (the caller counts NaN and infinities as missing).</summary>
    public void AddNumber(double value)
    {
        if (reference is not null)
        {
            Profile.Add(value);
            Quality.AddNumber(value);
        }
    }

    /// <summary>
    /// Profiles finite numbers in order: the same counts as <see cref="AddNumber"/> for each, but the profile's pass
    /// and the quality counter's pass each keep their own tables in the cache.
    /// </summary>
    public void AddNumbers(ReadOnlySpan<double> values)
    {
        if (reference is null)
        {
            return;
        }

        Profile.Add(values);
        Quality.AddNumbers(values);
    }

    /// <summary>Profiles a label.</summary>
    public void AddLabel(string value) => AddLabel(value, 1);

    /// <summary>Profiles a label <paramref name="count"/> times: what as many calls of <see cref="AddLabel(string)"/> count.</summary>
    public void AddLabel(string value, long count)
    {
        if (reference is not null)
        {
            Profile.Add(value, count);
            Quality.AddLabel(value, count);
        }
    }

    /// <summary>Counts missing values.</summary>
    public void AddMissing(int count)
    {
        if (reference is null)
        {
            return;
        }

        for (int i = 0; i < count; i++)
        {
            Profile.AddMissing();
        }

        Quality.AddMissing(count);
    }

    /// <summary>Adds the profile and counts of a later part of the column.</summary>
    public void Merge(BaselineColumnProfiler later)
    {
        if (reference is not null)
        {
            Profile.Merge(later.Profile);
            Quality.Merge(later.Quality);
        }
    }
}
