using MathNet.Numerics.Statistics;

namespace ModelMonitoring.Statistics;

/// <summary>
/// Batch (exact) drift detection over raw column values, reproducing Evidently's legacy data drift defaults: the method
/// per column (<see cref="DriftMethodRegistry.SelectDefault"/>), its threshold (<see cref="DriftThresholds"/>) and the
/// dataset verdict (drift when at least <see cref="DatasetDriftResult.DefaultDriftShare"/> of the columns drift).
/// </summary>
public static class ExactDriftEngine
{
    /// <summary>
    /// Compares one column's reference and current values. A method forced in <paramref name="settings"/> that the
    /// column's type does not allow (Kolmogorov-Smirnov and Wasserstein need numbers, chi-square and Z need categories)
    /// is ignored together with its threshold, and the column keeps its default, as Evidently's CLI-style "apply to the
    /// columns that allow it" does.
    /// </summary>
    /// <param name="reference">The reference column.</param>
    /// <param name="current">The current column: same name and type as the reference.</param>
    /// <param name="settings">The method and threshold to use, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">
    /// The columns differ in name or type, a side has no non-missing value, a value is not finite, or the threshold is
    /// negative or NaN. The message names the column.
    /// </exception>
    public static ColumnDriftResult EvaluateColumn(ColumnSample reference, ColumnSample current, ColumnDriftSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        string name = reference.Name;
        ColumnComparison.Validate("column", name, current.Name, reference.Type, current.Type, reference.Count, current.Count, settings);
        (DriftMethod method, double score) = reference.Type == ColumnType.Numerical
            ? EvaluateNumerical(name, reference.Numbers, current.Numbers, settings)
            : EvaluateCategorical(reference.Categories, current.Categories, settings);
        return ColumnComparison.Verdict(name, reference.Type, method, score, settings, reference.MissingCount, current.MissingCount);
    }

    /// <summary>
    /// Compares every column of a dataset, matched by name, and summarises them into a dataset verdict. Results follow
    /// the reference's column order.
    /// </summary>
    /// <param name="reference">The reference columns.</param>
    /// <param name="current">The current columns: the same names as the reference, in any order.</param>
    /// <param name="settingsForColumn">The settings of a column by name, or <see langword="null"/> (or a null result) for the defaults.</param>
    /// <param name="driftShare">The share of drifted columns at which the dataset drifts (0 to 1).</param>
    /// <exception cref="ArgumentException">A column is present on one side only, or appears twice; the message names it.</exception>
    public static DatasetDriftResult Evaluate(
        IReadOnlyList<ColumnSample> reference,
        IReadOnlyList<ColumnSample> current,
        Func<string, ColumnDriftSettings?>? settingsForColumn = null,
        double driftShare = DatasetDriftResult.DefaultDriftShare)
    {
        return ColumnComparison.EvaluateDataset("column", reference, current, c => c.Name, EvaluateColumn, settingsForColumn, driftShare);
    }

    private static (DriftMethod Method, double Score) EvaluateNumerical(string name, double[] referenceValues, double[] currentValues, ColumnDriftSettings? settings)
    {
        double[] reference = SortedFinite(referenceValues, name, "reference");
        double[] current = SortedFinite(currentValues, name, "current");
        DriftMethod method = ColumnComparison.ChooseMethod(ColumnType.Numerical, reference.Length, ColumnDistributions.CountDistinct(reference, current), settings);
        double score;
        switch (method)
        {
            case DriftMethod.KolmogorovSmirnov:
                score = KolmogorovSmirnovTest.PValue(reference, current);
                break;
            case DriftMethod.Wasserstein:
                score = WassersteinDistance.Normed(
                    WassersteinDistance.Distance(reference, current),
                    ArrayStatistics.PopulationStandardDeviation(reference));
                break;
            case DriftMethod.ChiSquare:
            {
                (long[] referenceCounts, long[] currentCounts) = ColumnDistributions.CountPerValue(reference, current);
                score = ChiSquareTest.PValueFromReferenceCounts(ToDoubles(currentCounts), ToDoubles(referenceCounts));
                break;
            }

            case DriftMethod.ZTest:
            {
                (long[] referenceCounts, long[] currentCounts) = ColumnDistributions.CountPerValue(reference, current);
                score = ZTestOnCounts(referenceCounts, currentCounts);
                break;
            }

            case DriftMethod.Hellinger:
                score = NumericalHellinger(reference, current);
                break;
            default:
            {
                (double[] referenceShares, double[] currentShares) = ColumnDistributions.Numerical(reference, current, FillsEmptyBins(method));
                score = CompareShares(method, referenceShares, currentShares);
                break;
            }
        }

        return (method, score);
    }

    private static (DriftMethod Method, double Score) EvaluateCategorical(string[] reference, string[] current, ColumnDriftSettings? settings)
    {
        (long[] referenceCounts, long[] currentCounts, _) = ColumnDistributions.CountCategories(reference, current);
        DriftMethod method = ColumnComparison.ChooseMethod(ColumnType.Categorical, reference.Length, referenceCounts.Length, settings);
        double score;
        switch (method)
        {
            case DriftMethod.ChiSquare:
                score = ChiSquareTest.PValueFromReferenceCounts(ToDoubles(currentCounts), ToDoubles(referenceCounts));
                break;
            case DriftMethod.ZTest:
                score = ZTestOnCounts(referenceCounts, currentCounts);
                break;
            default:
            {
                var referenceShares = new double[referenceCounts.Length];
                var currentShares = new double[currentCounts.Length];
                Shares.FromCounts(referenceCounts, reference.Length, referenceShares);
                Shares.FromCounts(currentCounts, current.Length, currentShares);
                if (FillsEmptyBins(method))
                {
                    Shares.FillEmpty(referenceShares);
                    Shares.FillEmpty(currentShares);
                }

                score = CompareShares(method, referenceShares, currentShares);
                break;
            }
        }

        return (method, score);
    }

    // Evidently fills empty bins for PSI and KL divergence only (get_binned_data's feel_zeroes).
    private static bool FillsEmptyBins(DriftMethod method) =>
        method is DriftMethod.PopulationStabilityIndex or DriftMethod.KullbackLeibler;

    private static double CompareShares(DriftMethod method, double[] reference, double[] current) => method switch
    {
        DriftMethod.JensenShannon => JensenShannonDistance.Compute(reference, current),
        DriftMethod.PopulationStabilityIndex => PopulationStabilityIndex.Compute(reference, current),
        DriftMethod.KullbackLeibler => KullbackLeiblerDivergence.Compute(reference, current),
        DriftMethod.Hellinger => HellingerDistance.Compute(reference, current),
        _ => throw new InvalidOperationException($"Method {method} does not compare shares."),
    };

    // Evidently's z test: the proportion of values other than the first category in sorted order.
    private static double ZTestOnCounts(long[] referenceCounts, long[] currentCounts)
    {
        long referenceTotal = referenceCounts.Sum();
        long currentTotal = currentCounts.Sum();
        return ZTest.PValue(referenceTotal - referenceCounts[0], referenceTotal, currentTotal - currentCounts[0], currentTotal);
    }

    // Evidently's numerical Hellinger: Sturges bins over the distinct values of both samples, density histograms.
    private static double NumericalHellinger(double[] reference, double[] current)
    {
        int distinct = ColumnDistributions.CountDistinct(reference, current);
        double[] edges = Histogram.SturgesEdges(Math.Min(reference[0], current[0]), Math.Max(reference[^1], current[^1]), distinct);
        var referenceCounts = new long[edges.Length - 1];
        var currentCounts = new long[edges.Length - 1];
        Histogram.CountSorted(reference, edges, referenceCounts);
        Histogram.CountSorted(current, edges, currentCounts);
        return HellingerDistance.FromBinnedCounts(referenceCounts, currentCounts, edges);
    }

    private static double[] SortedFinite(double[] values, string name, string side)
    {
        var sorted = (double[])values.Clone();
        foreach (double value in sorted)
        {
            if (!double.IsFinite(value))
            {
                throw new ArgumentException(
                    $"Column '{name}' holds {value} in the {side} data; remove non-finite values and count them as missing.",
                    side);
            }
        }

        Array.Sort(sorted);
        return sorted;
    }

    private static double[] ToDoubles(long[] counts) => Array.ConvertAll(counts, count => (double)count);

}
