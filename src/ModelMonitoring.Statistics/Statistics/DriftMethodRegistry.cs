namespace ModelMonitoring.Statistics;

/// <summary>
/// Picks the drift method of a column the way Evidently's legacy registry does, and tells which methods a
/// column type allows.
/// </summary>
public static class DriftMethodRegistry
{
    /// <summary>Reference sizes up to this many values use the statistical tests; larger ones use distances.</summary>
    public const int SmallReferenceMaxCount = 1000;

    /// <summary>
    /// Evidently's default method for a column:
    /// <list type="bullet">
    /// <item>reference count &lt;= 1000: numerical with &gt; 5 distinct values -> Kolmogorov-Smirnov;
    /// otherwise chi-square when &gt; 2 distinct values, else the Z test;</item>
    /// <item>reference count &gt; 1000: numerical with &gt; 5 distinct values -> Wasserstein (normed);
    /// otherwise Jensen-Shannon.</item>
    /// </list>
    /// </summary>
    /// <param name="type">The column's declared type.</param>
    /// <param name="referenceCount">How many non-missing values the reference holds.</param>
    /// <param name="distinctCount">How many distinct non-missing values reference and current hold together.</param>
    public static DriftMethod SelectDefault(ColumnType type, int referenceCount, int distinctCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(referenceCount);
        ArgumentOutOfRangeException.ThrowIfNegative(distinctCount);
        bool manyNumbers = type switch
        {
            ColumnType.Numerical => distinctCount > 5,
            ColumnType.Categorical => false,
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown column type."),
        };

        if (referenceCount <= SmallReferenceMaxCount)
        {
            return manyNumbers ? DriftMethod.KolmogorovSmirnov
                : distinctCount > 2 ? DriftMethod.ChiSquare
                : DriftMethod.ZTest;
        }

        return manyNumbers ? DriftMethod.Wasserstein : DriftMethod.JensenShannon;
    }

    /// <summary>
    /// Whether a method may be chosen for a column of this type: Kolmogorov-Smirnov and Wasserstein need numbers,
    /// chi-square and the Z test need categories, the other methods take both. (The default choice can still give
    /// a numerical column with few distinct values chi-square or Z, as Evidently does.)
    /// </summary>
    /// <param name="method">A concrete method.</param>
    /// <param name="type">The column's declared type.</param>
    public static bool IsApplicable(DriftMethod method, ColumnType type) => method switch
    {
        DriftMethod.KolmogorovSmirnov or DriftMethod.Wasserstein => type == ColumnType.Numerical,
        DriftMethod.ChiSquare or DriftMethod.ZTest => type == ColumnType.Categorical,
        DriftMethod.JensenShannon or DriftMethod.PopulationStabilityIndex or DriftMethod.KullbackLeibler
            or DriftMethod.Hellinger => true,
        DriftMethod.Auto => true,
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown drift method."),
    };
}
