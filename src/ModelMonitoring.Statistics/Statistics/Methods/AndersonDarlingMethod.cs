using MathNet.Numerics;

namespace ModelMonitoring.Statistics.Methods;

/// <summary>
/// <c>anderson</c>: the Anderson-Darling k-sample test for two samples, as Evidently calls
/// <c>scipy.stats.anderson_ksamp([reference, current])</c>: the midrank statistic A2akN of Scholz and Stephens (1987),
/// standardised, and its significance level interpolated from their table (a quadratic fit of log(level) on the critical
/// values), capped to [0.001, 0.25] as scipy caps it.
/// </summary>
internal static class AndersonDarlingMethod
{
    // Scholz and Stephens (1987), table 2: the interpolation coefficients of the critical values, and their levels.
    private static readonly double[] B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085];
    private static readonly double[] B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615];
    private static readonly double[] B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154];
    private static readonly double[] Levels = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001];

    public static StatTest Test { get; } = new(
        "anderson", "Anderson-Darling", DriftRule.PValueBelow, 0.1, numerical: true, categorical: false, "the KS statistic D", Score, null);

    private static MethodScore Score(NumericalSide reference, NumericalSide current)
    {
        double d = KolmogorovSmirnovTest.Statistic(reference.Distribution, current.Distribution);
        PooledValues pooled = PooledValues.Of(reference, current);
        if (pooled.Length < 2)
        {
            // scipy raises here; both sides hold one and the same value, so nothing differs.
            return new MethodScore(1.0, d);
        }

        long total = reference.Count + current.Count;
        if (total < 4)
        {
            return MethodScore.Undefined($"anderson needs at least 4 values in all, got {total}");
        }

        double a2 = Standardised(pooled, reference.Count, current.Count);
        return new MethodScore(SignificanceLevel(a2), d);
    }

    /// <summary>The standardised statistic (A2akN - (k - 1)) / sigma_N for k = 2 samples.</summary>
    internal static double Standardised(PooledValues pooled, long referenceCount, long currentCount)
    {
        double n = referenceCount + currentCount;
        double statistic = (Term(pooled, pooled.Reference, referenceCount, n) + Term(pooled, pooled.Current, currentCount, n)) * (n - 1) / n;

        double h = 0;
        double g = 0;
        double harmonic = 0;
        long size = (long)n;
        for (long i = size - 1; i >= 2; i--)
        {
            harmonic += 1.0 / i;
            g += harmonic / (size - i + 1);
        }

        h = harmonic + 1;
        const double k = 2;
        double sizes = (1.0 / referenceCount) + (1.0 / currentCount);
        double a = (((4 * g) - 6) * (k - 1)) + ((10 - (6 * g)) * sizes);
        double b = (((2 * g) - 4) * k * k) + (8 * h * k) + (((2 * g) - (14 * h) - 4) * sizes) - (8 * h) + (4 * g) - 6;
        double c = (((6 * h) + (2 * g) - 2) * k * k) + (((4 * h) - (4 * g) + 6) * k) + (((2 * h) - 6) * sizes) + (4 * h);
        double dd = (((2 * h) + 6) * k * k) - (4 * h * k);
        double variance = ((a * n * n * n) + (b * n * n) + (c * n) + dd) / ((n - 1) * (n - 2) * (n - 3));
        return (statistic - (k - 1)) / Math.Sqrt(variance);
    }

    /// <summary>scipy's interpolated significance level for a standardised statistic with two samples (m = 1).</summary>
    internal static double SignificanceLevel(double a2)
    {
        var critical = new double[B0.Length];
        for (int i = 0; i < critical.Length; i++)
        {
            critical[i] = B0[i] + B1[i] + B2[i];
        }

        if (a2 < critical[0])
        {
            return Levels[0];
        }

        if (a2 > critical[^1])
        {
            return Levels[^1];
        }

        double[] logLevels = Levels.Select(level => Math.Log(level)).ToArray();
        double[] fit = Fit.Polynomial(critical, logLevels, 2);
        return Math.Exp(fit[0] + (fit[1] * a2) + (fit[2] * a2 * a2));
    }

    // One sample's part of A2akN (Scholz and Stephens, equation 7, midranks): the sum over distinct pooled values.
    private static double Term(PooledValues pooled, long[] side, long sideCount, double n)
    {
        double sum = 0;
        double pooledBelow = 0;
        double sideAtOrBelow = 0;
        for (int j = 0; j < pooled.Length; j++)
        {
            double tied = pooled.Reference[j] + pooled.Current[j];
            double f = side[j];
            sideAtOrBelow += f;
            double m = sideAtOrBelow - (f / 2);
            double b = pooledBelow + (tied / 2);
            double gap = (n * m) - (b * sideCount);
            sum += tied / n * gap * gap / ((b * (n - b)) - (n * tied / 4));
            pooledBelow += tied;
        }

        return sum / sideCount;
    }
}
