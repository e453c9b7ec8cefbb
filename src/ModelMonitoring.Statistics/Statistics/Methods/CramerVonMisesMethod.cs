using MathNet.Numerics;

namespace ModelMonitoring.Statistics.Methods;

/// <summary>
/// <c>cramer_von_mises</c>: the two-sample Cramér-von Mises test, as <c>scipy.stats.cramervonmises_2samp</c> (which
/// Evidently copies): midranks for ties; the exact p-value (Xiao, Gordon and Yakovlev's frequency tables) when neither
/// side holds more than 20 values, otherwise the limiting distribution (Csörgő and Faraway) of the normalised statistic.
/// </summary>
internal static class CramerVonMisesMethod
{
    /// <summary>Up to this many values on the larger side the p-value is exact (scipy's <c>method="auto"</c>).</summary>
    public const int MaxExactSampleSize = 20;

    public static StatTest Test { get; } = new(
        "cramer_von_mises", "Cramer-von Mises", DriftRule.PValueAtOrBelow, 0.1, numerical: true, categorical: false, "the KS statistic D", Score, null);

    private static MethodScore Score(NumericalSide reference, NumericalSide current)
    {
        double d = KolmogorovSmirnovTest.Statistic(reference.Distribution, current.Distribution);
        if (reference.Count < 2 || current.Count < 2)
        {
            return MethodScore.Undefined($"cramer_von_mises needs at least 2 values on each side, got {reference.Count} and {current.Count}");
        }

        PooledValues pooled = PooledValues.Of(reference, current);
        double nx = reference.Count;
        double ny = current.Count;
        double u = (nx * pooled.SquaredRankGaps(ofReference: true)) + (ny * pooled.SquaredRankGaps(ofReference: false));
        double k = nx * ny;
        double n = nx + ny;
        double t = (u / (k * n)) - (((4 * k) - 1) / (6 * n));
        double p;
        if (Math.Max(reference.Count, current.Count) <= MaxExactSampleSize)
        {
            p = ExactPValue(u, (int)reference.Count, (int)current.Count);
        }
        else
        {
            double et = (1 + (1 / n)) / 6;
            double vt = (n + 1) * ((4 * k * n) - (3 * ((nx * nx) + (ny * ny))) - (2 * k));
            vt /= 45 * n * n * 4 * k;
            double tn = (1.0 / 6) + ((t - et) / Math.Sqrt(45 * vt));
            p = tn < 0.003 ? 1.0 : Math.Max(0, 1.0 - LimitingCdf(tn));
        }

        return new MethodScore(p, d);
    }

    /// <summary>
    /// The exact p-value P(U &gt;= u) for sizes m and n: the distribution of sum (a v - b u)^2 over the lattice paths
    /// from (0, 0) to (n, m), counted value by value (Xiao, Gordon and Yakovlev 2006, Algorithm 1).
    /// </summary>
    internal static double ExactPValue(double s, int m, int n)
    {
        long lcm = m / (long)Gcd(m, n) * n;
        long a = lcm / m;
        long b = lcm / n;
        double mn = (double)m * n;
        double zeta = Math.Floor(lcm * (double)lcm * (m + n) * ((6 * s) - (mn * ((4 * mn) - 1))) / (6 * mn * mn));
        var gs = new Dictionary<long, long>[m + 1];
        gs[0] = new Dictionary<long, long> { [0] = 1 };
        for (int v = 1; v <= m; v++)
        {
            gs[v] = [];
        }

        for (int step = 0; step <= n; step++)
        {
            var next = new Dictionary<long, long>[m + 1];
            Dictionary<long, long> running = [];
            for (int v = 0; v <= m; v++)
            {
                var merged = new Dictionary<long, long>(running.Count + gs[v].Count);
                long shift = ((a * v) - (b * step)) * ((a * v) - (b * step));
                foreach ((long value, long frequency) in running)
                {
                    Add(merged, value + shift, frequency);
                }

                foreach ((long value, long frequency) in gs[v])
                {
                    Add(merged, value + shift, frequency);
                }

                running = merged;
                next[v] = merged;
            }

            gs = next;
        }

        double combinations = SpecialFunctions.Binomial(m + n, m);
        long above = 0;
        foreach ((long value, long frequency) in gs[m])
        {
            if (value >= zeta)
            {
                above += frequency;
            }
        }

        return above / combinations;

        static void Add(Dictionary<long, long> table, long value, long frequency) =>
            System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(table, value, out _) += frequency;
    }

    /// <summary>The limiting distribution function of the one-sample Cramér-von Mises statistic (Csörgő and Faraway 1996, eq. 1.2).</summary>
    internal static double LimitingCdf(double x)
    {
        double total = 0;
        for (int k = 0; ; k++)
        {
            double u = Math.Exp(SpecialFunctions.GammaLn(k + 0.5) - SpecialFunctions.GammaLn(k + 1)) / (Math.Pow(Math.PI, 1.5) * Math.Sqrt(x));
            double y = (4 * k) + 1;
            double q = y * y / (16 * x);

            // exp(-q) K_{1/4}(q) = exp(-2q) (exp(q) K_{1/4}(q)): the scaled Bessel function keeps it finite for large q.
            double term = u * Math.Sqrt(y) * Math.Exp(-2 * q) * SpecialFunctions.BesselKScaled(0.25, q);
            total += term;
            if (!(Math.Abs(term) >= 1e-7) || k > 1000)
            {
                return total;
            }
        }
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
