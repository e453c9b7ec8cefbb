namespace ModelMonitoring.Statistics;

/// <summary>Whether a column holds quantities or labels.</summary>
public enum ColumnType
{
    /// <summary>Numbers: every non-missing value parses as a number.</summary>
    Numerical,

    /// <summary>Labels: strings, booleans, enums.</summary>
    Categorical,
}

/// <summary>The non-missing values of one column of a dataset, and how many values were missing.</summary>
public sealed class ColumnSample
{
    private ColumnSample(string name, ColumnType type, double[] numbers, string[] categories, int missingCount)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegative(missingCount);
        Name = name;
        Type = type;
        Numbers = numbers;
        Categories = categories;
        MissingCount = missingCount;
    }

    /// <summary>The column's name.</summary>
    public string Name { get; }

    /// <summary>
    /// The range and robust z-score of a numerical sample, kept by the exact drift engine from the sorted values it
    /// builds, so that data quality need not find them again over every value; null until then.
    /// </summary>
    internal NumericalSummary? Summary { get; set; }

    /// <summary>Whether the column is numerical or categorical.</summary>
    public ColumnType Type { get; }

    /// <summary>The values of a numerical column (empty for a categorical one). Missing values are not included.</summary>
    public double[] Numbers { get; }

    /// <summary>The values of a categorical column (empty for a numerical one). Missing values are not included.</summary>
    public string[] Categories { get; }

    /// <summary>How many values were missing (empty, null or NaN) and left out.</summary>
    public int MissingCount { get; }

    /// <summary>How many non-missing values the column holds.</summary>
    public int Count => Type == ColumnType.Numerical ? Numbers.Length : Categories.Length;

    /// <summary>Creates a numerical column. NaN values must already be removed and counted as missing.</summary>
    public static ColumnSample Numerical(string name, double[] values, int missingCount = 0) =>
        new(name, ColumnType.Numerical, values ?? throw new ArgumentNullException(nameof(values)), [], missingCount);

    /// <summary>Creates a categorical column. Null values must already be removed and counted as missing.</summary>
    public static ColumnSample Categorical(string name, string[] values, int missingCount = 0) =>
        new(name, ColumnType.Categorical, [], values ?? throw new ArgumentNullException(nameof(values)), missingCount);
}

/// <summary>
/// How one column is judged; unset parts keep Evidently's defaults. The two opt-in settings make decisions stay sane
/// on large samples, where p-value tests flag differences too small to matter: <see cref="MinimumEffectSize"/> and
/// <see cref="ChunkThresholds"/> (see docs/statistics.md).
/// </summary>
/// <param name="Method">The method, or <see langword="null"/> for Evidently's default by column type and size.</param>
/// <param name="Threshold">The threshold, or <see langword="null"/> for the method's default.</param>
public sealed record ColumnDriftSettings(StatTest? Method = null, double? Threshold = null)
{
    /// <summary>
    /// When set, a column whose <see cref="ColumnDriftResult.EffectSize"/> (on the method's <see cref="StatTest.EffectSize"/>
    /// scale: KS D, total variation distance, the distance itself...) is below this value never drifts, whatever its
    /// p-value. <see langword="null"/> (the default) keeps Evidently's decision.
    /// </summary>
    public double? MinimumEffectSize { get; init; }

    /// <summary>
    /// Minimum effect sizes per method, by <see cref="StatTest.Name"/>: the entry of the method that runs wins over
    /// <see cref="MinimumEffectSize"/> (useful with Evidently's default choice, where columns get different methods).
    /// </summary>
    public IReadOnlyDictionary<string, double>? MinimumEffectSizes { get; init; }

    /// <summary>
    /// NannyML's thresholds: the reference is cut into <see cref="ChunkCount"/> chunks in order, each chunk is compared
    /// with the whole reference, and the column drifts when its effect size lies above the mean + 3 standard deviations
    /// of the chunks' effect sizes (instead of the method's threshold). Off by default. With a sketched reference the
    /// chunks are those stored with it (<see cref="Sketches.FeatureProfile.ReferenceChunks"/>).
    /// </summary>
    public bool ChunkThresholds { get; init; }

    /// <summary>How many chunks the reference is cut into for <see cref="ChunkThresholds"/> (2 to 1000; default 10).</summary>
    public int ChunkCount { get; init; } = DefaultChunkCount;

    /// <summary>The default <see cref="ChunkCount"/>: 10, as NannyML's default chunking.</summary>
    public const int DefaultChunkCount = 10;
}

/// <summary>A threshold derived from the reference's chunks (NannyML's): the mean ± 3 standard deviations of their effect sizes.</summary>
/// <param name="ChunkCount">How many chunks were compared with the whole reference.</param>
/// <param name="Mean">The mean of the chunks' effect sizes.</param>
/// <param name="StandardDeviation">Their standard deviation.</param>
public sealed record ChunkThreshold(int ChunkCount, double Mean, double StandardDeviation)
{
    /// <summary>How many standard deviations from the mean the bounds lie: 3, as NannyML.</summary>
    public const double Multiplier = 3;

    /// <summary>The lower bound, mean - 3 standard deviations.</summary>
    public double Lower => Mean - (Multiplier * StandardDeviation);

    /// <summary>The upper bound, mean + 3 standard deviations: an effect size above it is drift.</summary>
    public double Upper => Mean + (Multiplier * StandardDeviation);
}

/// <summary>The drift verdict for one column.</summary>
/// <param name="Name">The column's name.</param>
/// <param name="Type">Whether the column is numerical or categorical.</param>
/// <param name="Method">The method that produced the score.</param>
/// <param name="Score">A p-value for the tests, a distance or divergence otherwise (see <see cref="StatTest.IsPValue"/>).</param>
/// <param name="Threshold">The threshold the score was compared with.</param>
/// <param name="Drift">Whether the column drifted.</param>
public sealed record ColumnDriftResult(string Name, ColumnType Type, StatTest Method, double Score, double Threshold, bool Drift)
{
    /// <summary>The method's name, as Evidently writes it (<c>ks</c>, <c>chisquare</c>, <c>z</c>, <c>psi</c>...).</summary>
    public string MethodName => Method.Name;

    /// <summary>How many reference values were missing.</summary>
    public int ReferenceMissing { get; init; }

    /// <summary>How many current values were missing.</summary>
    public int CurrentMissing { get; init; }

    /// <summary>The method's effect size (see <see cref="StatTest.EffectSize"/>); NaN when the method could not run.</summary>
    public double EffectSize { get; init; } = double.NaN;

    /// <summary>The minimum effect size that applied, or <see langword="null"/>.</summary>
    public double? MinimumEffectSize { get; init; }

    /// <summary>The chunk threshold that decided, when <see cref="ColumnDriftSettings.ChunkThresholds"/> was on and the reference had chunks.</summary>
    public ChunkThreshold? ChunkThreshold { get; init; }

    /// <summary>
    /// Why the score is less reliable than usual, or <see langword="null"/>: a method that could not run on these data
    /// (the score is NaN and the column is not reported as drifted), an overflow bucket whose values could not be
    /// compared, chunk thresholds asked for a reference without chunks. Reports show it next to the column.
    /// </summary>
    public string? Warning { get; init; }
}

/// <summary>The drift verdict for a whole dataset: its columns and the share of them that drifted.</summary>
/// <param name="Columns">The per-column results, in column order.</param>
/// <param name="DriftedColumns">How many columns drifted.</param>
/// <param name="ColumnCount">How many columns were compared.</param>
/// <param name="Share">The share of drifted columns.</param>
/// <param name="Drift">Whether the share reached the dataset threshold.</param>
public sealed record DatasetDriftResult(IReadOnlyList<ColumnDriftResult> Columns, int DriftedColumns, int ColumnCount, double Share, bool Drift)
{
    /// <summary>Evidently's default: the dataset drifts when at least half of its columns drift.</summary>
    public const double DefaultDriftShare = 0.5;

    /// <summary>Summarises column results into a dataset verdict.</summary>
    /// <param name="columns">The per-column results.</param>
    /// <param name="driftShare">The share of drifted columns at which the dataset drifts.</param>
    public static DatasetDriftResult FromColumns(IReadOnlyList<ColumnDriftResult> columns, double driftShare = DefaultDriftShare)
    {
        ArgumentNullException.ThrowIfNull(columns);
        int drifted = columns.Count(c => c.Drift);
        double share = columns.Count == 0 ? 0 : (double)drifted / columns.Count;
        return new DatasetDriftResult(columns, drifted, columns.Count, share, columns.Count > 0 && share >= driftShare);
    }
}

/// <summary>What the exact engine learned of a numerical sample: its smallest and largest value and its robust z-score.</summary>
internal sealed record NumericalSummary(double Min, double Max, Outliers.RobustZScore Robust);
