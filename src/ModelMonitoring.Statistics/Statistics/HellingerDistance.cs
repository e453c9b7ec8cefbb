namespace ModelMonitoring.Statistics;

/// <summary>Hellinger distance, as Evidently's <c>hellinger</c> stattest computes it.</summary>
internal static class HellingerDistance
{
    /// <summary>
    /// <c>sqrt(1 - clip(sum(sqrt(p * q)), 0, 1))</c> over two share vectors (the categorical form). Empty bins are not
    /// filled for this method.
    /// </summary>
    /// <param name="referenceShares">The reference share of each bin or category.</param>
    /// <param name="currentShares">The current share of each bin or category, in the same order.</param>
    public static double Compute(ReadOnlySpan<double> referenceShares, ReadOnlySpan<double> currentShares)
    {
        Shares.RequireSameLength(referenceShares, currentShares);
        double coefficient = 0;
        for (int i = 0; i < referenceShares.Length; i++)
        {
            coefficient += Math.Sqrt(referenceShares[i] * currentShares[i]);
        }

        return FromBhattacharyyaCoefficient(coefficient);
    }

    /// <summary>
    /// The numerical form: Evidently takes Sturges bins over the distinct values of both samples
    /// (<see cref="Histogram.SturgesEdges(double, double, long)"/> with the distinct count), numpy density histograms,
    /// and sums <c>sqrt(density_p * density_q) * width</c> with the mean bin width.
    /// </summary>
    /// <param name="referenceCounts">Reference counts per bin.</param>
    /// <param name="currentCounts">Current counts per bin.</param>
    /// <param name="edges">The bin edges (one more than the counts).</param>
    public static double FromBinnedCounts(ReadOnlySpan<long> referenceCounts, ReadOnlySpan<long> currentCounts, ReadOnlySpan<double> edges)
    {
        var reference = new double[referenceCounts.Length];
        var current = new double[currentCounts.Length];
        for (int i = 0; i < reference.Length; i++)
        {
            reference[i] = referenceCounts[i];
        }

        for (int i = 0; i < current.Length; i++)
        {
            current[i] = currentCounts[i];
        }

        return FromBinnedCounts(reference, current, edges);
    }

    /// <summary>
    /// <see cref="FromBinnedCounts(ReadOnlySpan{long}, ReadOnlySpan{long}, ReadOnlySpan{double})"/> for counts that
    /// need not be whole (an approximation that spreads values over bins).
    /// </summary>
    /// <param name="referenceCounts">Reference counts per bin (non-negative).</param>
    /// <param name="currentCounts">Current counts per bin (non-negative).</param>
    /// <param name="edges">The bin edges (one more than the counts).</param>
    public static double FromBinnedCounts(ReadOnlySpan<double> referenceCounts, ReadOnlySpan<double> currentCounts, ReadOnlySpan<double> edges)
    {
        if (referenceCounts.Length != currentCounts.Length || edges.Length != referenceCounts.Length + 1)
        {
            throw new ArgumentException(
                $"Expected equal reference and current bin counts and one more edge; got {referenceCounts.Length}, {currentCounts.Length} and {edges.Length}.",
                nameof(edges));
        }

        double referenceTotal = 0;
        double currentTotal = 0;
        for (int i = 0; i < referenceCounts.Length; i++)
        {
            referenceTotal += referenceCounts[i];
            currentTotal += currentCounts[i];
        }

        double meanWidth = (edges[^1] - edges[0]) / (edges.Length - 1);
        double coefficient = 0;
        for (int i = 0; i < referenceCounts.Length; i++)
        {
            double width = edges[i + 1] - edges[i];
            double referenceDensity = referenceCounts[i] / width / referenceTotal;
            double currentDensity = currentCounts[i] / width / currentTotal;
            coefficient += Math.Sqrt(referenceDensity * currentDensity) * meanWidth;
        }

        return FromBhattacharyyaCoefficient(coefficient);
    }

    private static double FromBhattacharyyaCoefficient(double coefficient) =>
        Math.Sqrt(1 - Math.Clamp(coefficient, 0, 1));
}
