namespace ModelMonitoring.Statistics;

/// <summary>Population stability index, as Evidently's <c>psi</c> stattest computes it.</summary>
internal static class PopulationStabilityIndex
{
    /// <summary>
    /// <c>sum((reference - current) * ln(reference / current))</c> over the bins. Evidently fills empty bins first
    /// (<see cref="Shares.FillEmpty"/>); a zero share left in either vector gives infinity or NaN.
    /// </summary>
    /// <param name="referenceShares">The reference share of each bin.</param>
    /// <param name="currentShares">The current share of each bin, in the same order.</param>
    public static double Compute(ReadOnlySpan<double> referenceShares, ReadOnlySpan<double> currentShares)
    {
        Shares.RequireSameLength(referenceShares, currentShares);
        double sum = 0;
        for (int i = 0; i < referenceShares.Length; i++)
        {
            double reference = referenceShares[i];
            double current = currentShares[i];
            sum += (reference - current) * Math.Log(reference / current);
        }

        return sum;
    }
}
