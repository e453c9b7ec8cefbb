using MathNet.Numerics;

namespace ModelMonitoring.Statistics;

/// <summary>
/// Pearson's chi-square goodness of fit, as <c>scipy.stats.chisquare(f_obs, f_exp)</c> computes it, with Evidently's
/// expected counts: the reference counts scaled to the current size.
/// </summary>
internal static class ChiSquareTest
{
    /// <summary>
    /// The p-value of the current counts against the reference counts scaled by
    /// <c>currentTotal / referenceTotal</c> (Evidently's <c>chisquare</c> stattest). A category absent from the reference
    /// but present in the current data makes the statistic infinite and the p-value 0.
    /// </summary>
    /// <param name="currentCounts">The current count of each category.</param>
    /// <param name="referenceCounts">The reference count of each category, in the same order.</param>
    public static double PValueFromReferenceCounts(ReadOnlySpan<double> currentCounts, ReadOnlySpan<double> referenceCounts)
    {
        RequireSameLength(currentCounts, referenceCounts);
        double currentTotal = Shares.Sum(currentCounts);
        double referenceTotal = Shares.Sum(referenceCounts);
        if (!(currentTotal > 0) || !(referenceTotal > 0))
        {
            throw new ArgumentException("Both the current and the reference counts must have a positive total.", nameof(referenceCounts));
        }

        double scale = currentTotal / referenceTotal;
        double statistic = 0;
        for (int i = 0; i < currentCounts.Length; i++)
        {
            statistic += Term(currentCounts[i], referenceCounts[i] * scale);
        }

        return PValueFromStatistic(statistic, currentCounts.Length - 1);
    }

    /// <summary>
    /// The p-value of observed counts against expected counts with <c>k - 1</c> degrees of freedom, as
    /// <c>scipy.stats.chisquare</c>. The totals must agree within a relative 1e-8, as scipy requires.
    /// </summary>
    /// <param name="observedCounts">The observed count of each category.</param>
    /// <param name="expectedCounts">The expected count of each category, in the same order.</param>
    public static double PValue(ReadOnlySpan<double> observedCounts, ReadOnlySpan<double> expectedCounts)
    {
        RequireSameLength(observedCounts, expectedCounts);
        double observedTotal = Shares.Sum(observedCounts);
        double expectedTotal = Shares.Sum(expectedCounts);
        if (Math.Abs(observedTotal - expectedTotal) / Math.Min(observedTotal, expectedTotal) > 1e-8)
        {
            throw new ArgumentException(
                $"The observed counts sum to {observedTotal} and the expected counts to {expectedTotal}; they must agree within a relative 1e-8.",
                nameof(expectedCounts));
        }

        double statistic = 0;
        for (int i = 0; i < observedCounts.Length; i++)
        {
            statistic += Term(observedCounts[i], expectedCounts[i]);
        }

        return PValueFromStatistic(statistic, observedCounts.Length - 1);
    }

    /// <summary>
    /// The chi-square survival function: the probability that a chi-square variable with
    /// <paramref name="degreesOfFreedom"/> degrees of freedom exceeds <paramref name="statistic"/>. An infinite statistic
    /// gives 0. With no degree of freedom (a single category) there is nothing to compare and the result is 1 (scipy
    /// returns NaN there).
    /// </summary>
    /// <param name="statistic">The chi-square statistic (non-negative, may be infinite).</param>
    /// <param name="degreesOfFreedom">The degrees of freedom.</param>
    public static double PValueFromStatistic(double statistic, int degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(degreesOfFreedom);
        if (double.IsNaN(statistic))
        {
            return double.NaN;
        }

        if (degreesOfFreedom == 0)
        {
            return 1.0;
        }

        if (double.IsPositiveInfinity(statistic))
        {
            return 0.0;
        }

        return statistic <= 0 ? 1.0 : SpecialFunctions.GammaUpperRegularized(degreesOfFreedom / 2.0, statistic / 2.0);
    }

    private static double Term(double observed, double expected)
    {
        if (!(observed >= 0) || !(expected >= 0))
        {
            throw new ArgumentException($"Counts must be non-negative; found observed {observed}, expected {expected}.", nameof(observed));
        }

        double difference = observed - expected;
        return difference * difference / expected;
    }

    private static void RequireSameLength(ReadOnlySpan<double> observed, ReadOnlySpan<double> expected)
    {
        if (observed.Length != expected.Length)
        {
            throw new ArgumentException($"Got {observed.Length} observed and {expected.Length} expected counts; they must match.", nameof(expected));
        }

        if (observed.Length == 0)
        {
            throw new ArgumentException("At least one category is needed.", nameof(observed));
        }
    }
}
