namespace ModelMonitoring.Statistics;

/// <summary>Kullback-Leibler divergence of the current distribution from the reference, as <c>scipy.stats.entropy(reference, current)</c>.</summary>
internal static class KullbackLeiblerDivergence
{
    /// <summary>
    /// Normalises both vectors to sum to 1, then returns <c>sum(p * ln(p / q))</c> (natural log), with p the reference
    /// and q the current shares. Evidently fills empty bins first (<see cref="Shares.FillEmpty"/>); a bin empty in the
    /// current data but not in the reference gives infinity.
    /// </summary>
    /// <param name="referenceShares">The reference share (or count) of each bin.</param>
    /// <param name="currentShares">The current share (or count) of each bin, in the same order.</param>
    public static double Compute(ReadOnlySpan<double> referenceShares, ReadOnlySpan<double> currentShares)
    {
        Shares.RequireSameLength(referenceShares, currentShares);
        double referenceSum = Shares.Sum(referenceShares);
        double currentSum = Shares.Sum(currentShares);
        double sum = 0;
        for (int i = 0; i < referenceShares.Length; i++)
        {
            sum += Shares.RelativeEntropy(referenceShares[i] / referenceSum, currentShares[i] / currentSum);
        }

        return sum;
    }
}
