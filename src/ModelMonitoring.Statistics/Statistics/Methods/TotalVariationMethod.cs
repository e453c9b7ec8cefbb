namespace ModelMonitoring.Statistics.Methods;

/// <summary>
/// <c>TVD</c>: the total variation distance of the category shares, half the sum of their absolute differences, and its
/// permutation p-value as Evidently computes it (1,000 random splits of the pooled values into a reference and a current
/// of the same sizes; p = the share of splits at least as distant). A split is drawn from the pooled counts (a
/// multivariate hypergeometric draw), so its cost does not grow with the number of rows.
/// </summary>
internal static class TotalVariationMethod
{
    /// <summary>How many random splits, as Evidently's <c>permutation_test(iterations=1000)</c>.</summary>
    public const int Iterations = 1000;

    public static StatTest Test { get; } = new(
        "TVD", "Total-Variation-Distance", DriftRule.PValueBelow, 0.1, numerical: false, categorical: true, "the total variation distance", null, Score);

    private static MethodScore Score(CategoryTable table)
    {
        double observed = table.TotalVariation();
        int length = table.Length;
        var pooled = new long[length];
        for (int i = 0; i < length; i++)
        {
            pooled[i] = table.Reference[i] + table.Current[i];
        }

        Random random = Permutations.NewRandom();
        var reference = new long[length];
        var current = new long[length];
        int atLeast = 0;
        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            long population = table.ReferenceTotal + table.CurrentTotal;
            long draws = table.ReferenceTotal;
            for (int i = 0; i < length; i++)
            {
                long drawn = i == length - 1 ? draws : Permutations.Hypergeometric(random, population, pooled[i], draws);
                reference[i] = drawn;
                current[i] = pooled[i] - drawn;
                draws -= drawn;
                population -= pooled[i];
            }

            if (observed <= CategoryTable.FromAligned(reference, current, null).TotalVariation())
            {
                atLeast++;
            }
        }

        return new MethodScore((double)atLeast / Iterations, observed);
    }
}
