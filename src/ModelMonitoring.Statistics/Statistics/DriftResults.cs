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

/// <summary>The drift method and threshold chosen for one column; unset parts keep the defaults.</summary>
/// <param name="Method">The method, or <see cref="DriftMethod.Auto"/> for the default by column type and size.</param>
/// <param name="Threshold">The threshold, or <see langword="null"/> for the method's default.</param>
public sealed record ColumnDriftSettings(DriftMethod Method = DriftMethod.Auto, double? Threshold = null);

/// <summary>The drift verdict for one column.</summary>
/// <param name="Name">The column's name.</param>
/// <param name="Type">Whether the column is numerical or categorical.</param>
/// <param name="Method">The method that produced the score.</param>
/// <param name="Score">A p-value for Kolmogorov-Smirnov, chi-square and Z tests; a distance or divergence otherwise.</param>
/// <param name="Threshold">The threshold the score was compared with.</param>
/// <param name="Drift">Whether the column drifted.</param>
public sealed record ColumnDriftResult(string Name, ColumnType Type, DriftMethod Method, double Score, double Threshold, bool Drift)
{
    /// <summary>The method's short name, as Evidently writes it (<c>ks</c>, <c>chisquare</c>, <c>z</c>, <c>psi</c>...).</summary>
    public string MethodName => DriftMethodNames.ToName(Method);

    /// <summary>How many reference values were missing.</summary>
    public int ReferenceMissing { get; init; }

    /// <summary>How many current values were missing.</summary>
    public int CurrentMissing { get; init; }
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

/// <summary>Converts <see cref="DriftMethod"/> values to and from the short names Evidently and the CLI use.</summary>
public static class DriftMethodNames
{
    /// <summary>The short name of a method: <c>ks</c>, <c>chisquare</c>, <c>z</c>, <c>wasserstein</c>, <c>jensenshannon</c>, <c>psi</c>, <c>kl_div</c>, <c>hellinger</c>, or <c>auto</c>.</summary>
    public static string ToName(DriftMethod method) => method switch
    {
        DriftMethod.Auto => "auto",
        DriftMethod.KolmogorovSmirnov => "ks",
        DriftMethod.ChiSquare => "chisquare",
        DriftMethod.ZTest => "z",
        DriftMethod.Wasserstein => "wasserstein",
        DriftMethod.JensenShannon => "jensenshannon",
        DriftMethod.PopulationStabilityIndex => "psi",
        DriftMethod.KullbackLeibler => "kl_div",
        DriftMethod.Hellinger => "hellinger",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown drift method."),
    };

    /// <summary>Parses a short name (case-insensitive). Returns <see langword="false"/> for an unknown name.</summary>
    public static bool TryParse(string? name, out DriftMethod method)
    {
        foreach (DriftMethod candidate in Enum.GetValues<DriftMethod>())
        {
            if (string.Equals(ToName(candidate), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                method = candidate;
                return true;
            }
        }

        method = DriftMethod.Auto;
        return false;
    }

    /// <summary>Every short name, for help texts and error messages.</summary>
    public static IReadOnlyList<string> All { get; } = Enum.GetValues<DriftMethod>().Select(ToName).ToArray();
}
