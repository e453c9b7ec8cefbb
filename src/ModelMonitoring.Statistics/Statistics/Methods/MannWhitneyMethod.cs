using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace ModelMonitoring.Statistics.Methods;

/// <summary>
/// <c>mannw</c>: the Mann-Whitney U test as Evidently calls it, <c>scipy.stats.mannwhitneyu(x=reference, y=current,
/// alternative="less")</c>: one-sided, small when the reference is stochastically smaller than the current data. The
/// p-value is exact when a side holds at most 8 values and there are no ties (scipy's <c>method="auto"</c>), otherwise
/// normal with the tie correction and the continuity correction.
/// </summary>
internal static class MannWhitneyMethod
{
    /// <summary>A side with at most this many values, and no ties, gives the exact p-value.</summary>
    public const int MaxExactSampleSize = 8;

    /// <summary>
    /// Beyond this product of the sizes the exact distribution (one coefficient per value of U) is not built and the
    /// normal approximation is used, where scipy would still be exact (8 values against 250,000 or more).
    /// </summary>
    public const double MaxExactProduct = 2_000_000;

    public static StatTest Test { get; } = new(
        "mannw", "Mann-Whitney U-rank test", DriftRule.PValueBelow, 0.05, numerical: true, categorical: false, "the rank-biserial correlation |2U/(n m) - 1|", Score, null);

    private static MethodScore Score(NumericalSide reference, NumericalSide current)
    {
        PooledValues pooled = PooledValues.Of(reference, current);
        double n1 = reference.Count;
        double n2 = current.Count;
        double u1 = pooled.ReferenceRankSum() - (n1 * (n1 + 1) / 2);
        double u2 = (n1 * n2) - u1;
        double effect = Math.Abs((2 * u1 / (n1 * n2)) - 1);
        double p;
        if ((reference.Count <= MaxExactSampleSize || current.Count <= MaxExactSampleSize) && n1 * n2 <= MaxExactProduct && !pooled.HasTies)
        {
            p = ExactSurvival((long)Math.Round(u2), (int)Math.Min(reference.Count, current.Count), Math.Max(reference.Count, current.Count));
        }
        else
        {
            double n = n1 + n2;
            double s = Math.Sqrt(n1 * n2 / 12 * ((n + 1) - (pooled.TieTerm() / (n * (n - 1)))));
            double z = (u2 - (n1 * n2 / 2) - 0.5) / s;
            p = double.IsNaN(z) ? 1.0 : Normal.CDF(0, 1, -z);
        }

        return new MethodScore(Math.Clamp(p, 0, 1), effect);
    }

    /// <summary>
    /// P(U &gt;= u) under the null for sample sizes m &lt;= n and no ties: the coefficients of the Gaussian binomial
    /// [m + n choose m]_q up to degree m n - u (the distribution is symmetric), built as the product of
    /// (1 - q^(n+i)) / (1 - q^i) for i = 1..m, over the binomial coefficient.
    /// </summary>
    internal static double ExactSurvival(long u, int m, long n)
    {
        long top = (m * n) - u;
        if (top < 0)
        {
            return 0;
        }

        var coefficients = new double[top + 1];
        coefficients[0] = 1;
        for (int i = 1; i <= m; i++)
        {
            long shift = n + i;
            for (long k = top; k >= shift; k--)
            {
                coefficients[k] -= coefficients[k - shift];
            }

            for (long k = i; k <= top; k++)
            {
                coefficients[k] += coefficients[k - i];
            }
        }

        double sum = 0;
        foreach (double coefficient in coefficients)
        {
            sum += coefficient;
        }

        return sum / SpecialFunctions.Binomial((int)(m + n), m);
    }
}
