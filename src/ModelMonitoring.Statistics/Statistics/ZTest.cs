using MathNet.Numerics.Distributions;

namespace ModelMonitoring.Statistics;

/// <summary>Two-proportion Z test, as Evidently's <c>z</c> stattest computes it.</summary>
internal static class ZTest
{
    /// <summary>
    /// The two-sided p-value that two samples share a proportion: with pooled proportion P,
    /// <c>z = (p1 - p2) / sqrt(P (1 - P) (1/n1 + 1/n2))</c> and <c>p = 2 (1 - Phi(|z|))</c>, written as Evidently writes it
    /// (so p-values below about 1e-16 round to multiples of 2^-52, as there). When both proportions are 0 or both 1 the
    /// samples cannot differ and the p-value is 1.
    /// </summary>
    /// <param name="referenceSuccesses">How many reference values have the property.</param>
    /// <param name="referenceCount">How many reference values there are (at least 1).</param>
    /// <param name="currentSuccesses">How many current values have the property.</param>
    /// <param name="currentCount">How many current values there are (at least 1).</param>
    public static double PValue(long referenceSuccesses, long referenceCount, long currentSuccesses, long currentCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(referenceCount, 1L);
        ArgumentOutOfRangeException.ThrowIfLessThan(currentCount, 1L);
        ArgumentOutOfRangeException.ThrowIfNegative(referenceSuccesses);
        ArgumentOutOfRangeException.ThrowIfNegative(currentSuccesses);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(referenceSuccesses, referenceCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(currentSuccesses, currentCount);

        double referenceProportion = (double)referenceSuccesses / referenceCount;
        double currentProportion = (double)currentSuccesses / currentCount;
        double pooled = ((referenceProportion * referenceCount) + (currentProportion * currentCount)) / (referenceCount + currentCount);
        if (pooled <= 0 || pooled >= 1)
        {
            return 1.0;
        }

        double z = (referenceProportion - currentProportion)
            / Math.Sqrt(pooled * (1 - pooled) * ((1.0 / referenceCount) + (1.0 / currentCount)));
        return TwoSidedPValue(z);
    }

    /// <summary>The two-sided normal p-value of a z statistic, <c>2 (1 - Phi(|z|))</c>.</summary>
    /// <param name="z">The z statistic.</param>
    public static double TwoSidedPValue(double z) => 2 * (1 - Normal.CDF(0, 1, Math.Abs(z)));
}
