namespace ModelMonitoring.Statistics;

/// <summary>
/// What the exact and the sketch engines share around a comparison: the checks on the two sides before it, and the
/// verdict after it (threshold chosen, drift decided, missing counts carried).
/// </summary>
internal static class ColumnComparison
{
    /// <summary>Checks that two sides can be compared. <paramref name="noun"/> is "column" or "feature" in messages.</summary>
    /// <exception cref="ArgumentException">The sides differ in name or type, a side is empty, or the threshold is invalid.</exception>
    public static void Validate(string noun, string name, string currentName, ColumnType referenceType, ColumnType currentType, long referenceCount, long currentCount, ColumnDriftSettings? settings)
    {
        string capitalized = char.ToUpperInvariant(noun[0]) + noun[1..];
        if (!string.Equals(name, currentName, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Cannot compare {noun} '{name}' with {noun} '{currentName}'.", "current");
        }

        if (referenceType != currentType)
        {
            throw new ArgumentException($"{capitalized} '{name}' is {Describe(referenceType)} in the reference but {Describe(currentType)} in the current data.", "current");
        }

        if (referenceCount == 0)
        {
            throw new ArgumentException($"{capitalized} '{name}' has no non-missing value in the reference data.", "reference");
        }

        if (currentCount == 0)
        {
            throw new ArgumentException($"{capitalized} '{name}' has no non-missing value in the current data.", "current");
        }

        if (settings?.Threshold is double requested && !(requested >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(settings), requested, $"The drift threshold of {noun} '{name}' must be a non-negative number.");
        }
    }

    /// <summary>
    /// The verdict for a score: a threshold forced in the settings applies only to the method it was meant for (or to
    /// any method when the settings leave the method to the default); otherwise the method's default threshold.
    /// </summary>
    public static ColumnDriftResult Verdict(string name, ColumnType type, DriftMethod method, double score, ColumnDriftSettings? settings, long referenceMissing, long currentMissing)
    {
        double threshold = settings is { Threshold: double forced } && (settings.Method == DriftMethod.Auto || settings.Method == method)
            ? forced
            : DriftThresholds.Default(method);

        return new ColumnDriftResult(name, type, method, score, threshold, DriftThresholds.IsDrift(method, score, threshold))
        {
            ReferenceMissing = (int)Math.Min(referenceMissing, int.MaxValue),
            CurrentMissing = (int)Math.Min(currentMissing, int.MaxValue),
        };
    }

    /// <summary>
    /// The method for a column: a method forced in the settings when the column's type allows it, otherwise the
    /// default Evidently picks from the type, the reference size and the number of distinct values.
    /// </summary>
    public static DriftMethod ChooseMethod(ColumnType type, long referenceCount, int distinctCount, ColumnDriftSettings? settings)
    {
        DriftMethod requested = settings?.Method ?? DriftMethod.Auto;
        return requested != DriftMethod.Auto && DriftMethodRegistry.IsApplicable(requested, type)
            ? requested
            : DriftMethodRegistry.SelectDefault(type, (int)Math.Min(referenceCount, int.MaxValue), distinctCount);
    }

    /// <summary>
    /// Compares every column of a dataset, matched by name, in the reference's order, and summarises them.
    /// <paramref name="noun"/> is "column" or "feature" in messages.
    /// </summary>
    /// <exception cref="ArgumentException">A column is on one side only, or appears twice; the message names it.</exception>
    public static DatasetDriftResult EvaluateDataset<TColumn>(
        string noun,
        IReadOnlyList<TColumn> reference,
        IReadOnlyList<TColumn> current,
        Func<TColumn, string> nameOf,
        Func<TColumn, TColumn, ColumnDriftSettings?, ColumnDriftResult> evaluateColumn,
        Func<string, ColumnDriftSettings?>? settingsForColumn,
        double driftShare)
        where TColumn : class
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        if (!(driftShare >= 0 && driftShare <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(driftShare), driftShare, "The dataset drift share must lie between 0 and 1.");
        }

        string capitalized = char.ToUpperInvariant(noun[0]) + noun[1..];
        Dictionary<string, TColumn> currentByName = IndexByName(current, nameOf, "current", capitalized);
        Dictionary<string, TColumn> referenceByName = IndexByName(reference, nameOf, "reference", capitalized);
        foreach (string name in currentByName.Keys)
        {
            if (!referenceByName.ContainsKey(name))
            {
                throw new ArgumentException($"{capitalized} '{name}' is in the current data but not in the reference.", nameof(current));
            }
        }

        var results = new ColumnDriftResult[reference.Count];
        for (int i = 0; i < reference.Count; i++)
        {
            string name = nameOf(reference[i]);
            if (!currentByName.TryGetValue(name, out TColumn? currentColumn))
            {
                throw new ArgumentException($"{capitalized} '{name}' is in the reference but not in the current data.", nameof(current));
            }

            results[i] = evaluateColumn(reference[i], currentColumn, settingsForColumn?.Invoke(name));
        }

        return DatasetDriftResult.FromColumns(results, driftShare);
    }

    private static Dictionary<string, TColumn> IndexByName<TColumn>(IReadOnlyList<TColumn> columns, Func<TColumn, string> nameOf, string side, string capitalized)
        where TColumn : class
    {
        var byName = new Dictionary<string, TColumn>(StringComparer.Ordinal);
        foreach (TColumn column in columns)
        {
            ArgumentNullException.ThrowIfNull(column, side);
            if (!byName.TryAdd(nameOf(column), column))
            {
                throw new ArgumentException($"{capitalized} '{nameOf(column)}' appears twice in the {side} data.", side);
            }
        }

        return byName;
    }

    public static string Describe(ColumnType type) => type == ColumnType.Numerical ? "numerical" : "categorical";
}
