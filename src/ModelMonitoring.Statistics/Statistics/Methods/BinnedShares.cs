namespace ModelMonitoring.Statistics.Methods;

/// <summary>
/// Evidently's <c>get_binned_data</c> for numbers: Sturges bins over both sides (from their exact range and counts) when
/// the reference has more than 20 distinct values, otherwise one bin per value seen on either side.
/// </summary>
internal static class BinnedShares
{
    /// <summary>Numerical columns with more distinct reference values than this are binned; others are compared per value.</summary>
    public const int MaxDistinctValuesCompared = 20;

    /// <summary>The two sides' shares, one per bin or value, in the same order; empty bins filled when asked (PSI, KL).</summary>
    public static (double[] Reference, double[] Current) Of(NumericalSide reference, NumericalSide current, bool fillEmpty)
    {
        if (reference.IsExact && reference.ExactDistinctCount <= MaxDistinctValuesCompared)
        {
            CategoryTable table = CategoryTable.FromNumbers(reference, current);
            return (table.ReferenceShares(fillEmpty), table.CurrentShares(fillEmpty));
        }

        double[] edges = Histogram.SturgesEdges(Math.Min(reference.Min, current.Min), Math.Max(reference.Max, current.Max), reference.Count + current.Count);
        double[] referenceShares = SharesOf(NumericalSide.ToDoubles(reference.WeightPerBin(edges)), reference.Count);
        double[] currentShares = SharesOf(current.CountsPerBin(edges), current.Count);
        if (fillEmpty)
        {
            Shares.FillEmpty(referenceShares);
            Shares.FillEmpty(currentShares);
        }

        return (referenceShares, currentShares);
    }

    private static double[] SharesOf(double[] counts, long total)
    {
        for (int i = 0; i < counts.Length; i++)
        {
            counts[i] /= total;
        }

        return counts;
    }
}
