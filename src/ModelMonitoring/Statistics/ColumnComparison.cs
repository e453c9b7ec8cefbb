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

    public static string Describe(ColumnType type) => type == ColumnType.Numerical ? "numerical" : "categorical";
}
