namespace ModelMonitoring.Statistics;

/// <summary>Jensen-Shannon distance (natural log), as <c>scipy.spatial.distance.jensenshannon</c> computes it.</summary>
internal static class JensenShannonDistance
{
    /// <summary>
    /// Normalises both vectors to sum to 1, takes their midpoint m, and returns
    /// <c>sqrt((KL(p || m) + KL(q || m)) / 2)</c>. Zero shares are fine; Evidently does not fill empty bins for this
    /// method. The result lies in [0, sqrt(ln 2)].
    /// </summary>
    /// <param name="referenceShares">The reference share (or count) of each bin.</param>
    /// <param name="currentShares">The current share (or count) of each bin, in the same order.</param>
    public static double Compute(ReadOnlySpan<double> referenceShares, ReadOnlySpan<double> currentShares)
    {
        Shares.RequireSameLength(referenceShares, currentShares);
        double referenceSum = Shares.Sum(referenceShares);
        double currentSum = Shares.Sum(currentShares);
        double left = 0;
        double right = 0;
        for (int i = 0; i < referenceShares.Length; i++)
        {
            double p = referenceShares[i] / referenceSum;
            double q = currentShares[i] / currentSum;
            double middle = (p + q) / 2.0;
            left += Shares.RelativeEntropy(p, middle);
            right += Shares.RelativeEntropy(q, middle);
        }

        return Math.Sqrt((left + right) / 2.0);
    }
}
