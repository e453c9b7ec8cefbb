using MathNet.Numerics;

namespace ModelMonitoring.Statistics.Methods;

/// <summary>
/// <c>fisher_exact</c>: Fisher's exact test on the 2x2 table of two categories by side, two-sided, as
/// <c>scipy.stats.fisher_exact</c>: the hypergeometric probabilities of the tables no more likely than the observed one
/// (within a relative 1e-14). Evidently also requires both sides to be the same size; this implementation does not.
/// </summary>
internal static class FisherExactMethod
{
    public static StatTest Test { get; } = new(
        "fisher_exact", "Fisher's Exact test", DriftRule.PValueBelow, 0.1, numerical: false, categorical: true, "the difference of the two proportions", null, Score);

    private static MethodScore Score(CategoryTable table)
    {
        if (table.Length > 2)
        {
            return MethodScore.Undefined($"fisher_exact compares two categories, and the column holds {table.Length}");
        }

        double effect = table.TotalVariation();
        if (table.Length < 2)
        {
            return new MethodScore(1.0, effect);
        }

        // scipy's table [[current a, current b], [reference a, reference b]]; the two-sided p-value is symmetric in rows and columns.
        return new MethodScore(TwoSided(table.Current[1], table.Current[0], table.Reference[1], table.Reference[0]), effect);
    }

    /// <summary>The two-sided p-value of the table [[c00, c01], [c10, c11]], as scipy computes it.</summary>
    internal static double TwoSided(long c00, long c01, long c10, long c11)
    {
        if (c00 + c01 == 0 || c10 + c11 == 0 || c00 + c10 == 0 || c01 + c11 == 0)
        {
            return 1.0;
        }

        long n1 = c00 + c01;
        long n2 = c10 + c11;
        long n = c00 + c10;
        long population = n1 + n2;
        long low = Math.Max(0, n - n2);
        long high = Math.Min(n, n1);
        double logTotal = LogBinomial(population, n);
        double Pmf(long x) => Math.Exp(LogBinomial(n1, x) + LogBinomial(n2, n - x) - logTotal);

        long mode = (long)((n + 1) * (double)(n1 + 1) / (population + 2));
        double exact = Pmf(c00);
        double atMode = Pmf(mode);
        const double epsilon = 1e-14;
        if (Math.Abs(exact - atMode) / Math.Max(exact, atMode) <= epsilon)
        {
            return 1.0;
        }

        double bound = exact * (1 + epsilon);
        double p = 0;
        for (long x = low; x <= high; x++)
        {
            double probability = Pmf(x);
            if (probability <= bound)
            {
                p += probability;
            }
        }

        return Math.Min(p, 1.0);
    }

    private static double LogBinomial(long n, long k) =>
        SpecialFunctions.GammaLn(n + 1.0) - SpecialFunctions.GammaLn(k + 1.0) - SpecialFunctions.GammaLn(n - k + 1.0);
}
