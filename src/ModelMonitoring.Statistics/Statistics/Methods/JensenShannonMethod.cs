namespace ModelMonitoring.Statistics.Methods;

/// <summary><c>jensenshannon</c>: <c>scipy.spatial.distance.jensenshannon</c> (natural log) of the binned shares, as Evidently's <c>jensenshannon_stat_test</c>; empty bins are not filled.</summary>
internal static class JensenShannonMethod
{
    public static StatTest Test { get; } = new(
        "jensenshannon", "Jensen-Shannon distance", DriftRule.DistanceAtOrAbove, 0.1, numerical: true, categorical: true, "the score", ScoreNumbers, ScoreCategories);

    private static MethodScore ScoreNumbers(NumericalSide reference, NumericalSide current)
    {
        (double[] referenceShares, double[] currentShares) = BinnedShares.Of(reference, current, fillEmpty: false);
        double score = JensenShannonDistance.Compute(referenceShares, currentShares);
        return new MethodScore(score, score);
    }

    private static MethodScore ScoreCategories(CategoryTable table)
    {
        double score = JensenShannonDistance.Compute(table.ReferenceShares(fillEmpty: false), table.CurrentShares(fillEmpty: false));
        return new MethodScore(score, score);
    }
}
