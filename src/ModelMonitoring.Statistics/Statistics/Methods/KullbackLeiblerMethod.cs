namespace ModelMonitoring.Statistics.Methods;

/// <summary><c>kl_div</c>: <c>scipy.stats.entropy(reference, current)</c> of the binned shares, empty bins filled, as Evidently's <c>kl_div_stat_test</c>.</summary>
internal static class KullbackLeiblerMethod
{
    public static StatTest Test { get; } = new(
        "kl_div", "Kullback-Leibler divergence", DriftRule.DistanceAtOrAbove, 0.1, numerical: true, categorical: true, "the score", ScoreNumbers, ScoreCategories);

    private static MethodScore ScoreNumbers(NumericalSide reference, NumericalSide current)
    {
        (double[] referenceShares, double[] currentShares) = BinnedShares.Of(reference, current, fillEmpty: true);
        double score = KullbackLeiblerDivergence.Compute(referenceShares, currentShares);
        return new MethodScore(score, score);
    }

    private static MethodScore ScoreCategories(CategoryTable table)
    {
        double score = KullbackLeiblerDivergence.Compute(table.ReferenceShares(fillEmpty: true), table.CurrentShares(fillEmpty: true));
        return new MethodScore(score, score);
    }
}
