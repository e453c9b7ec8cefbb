namespace ModelMonitoring.Statistics.Methods;

/// <summary><c>psi</c>: population stability index of the binned shares, empty bins filled, as Evidently's <c>psi_stat_test</c>.</summary>
internal static class PopulationStabilityIndexMethod
{
    public static StatTest Test { get; } = new(
        "psi", "PSI", DriftRule.DistanceAtOrAbove, 0.1, numerical: true, categorical: true, "the score", ScoreNumbers, ScoreCategories);

    private static MethodScore ScoreNumbers(NumericalSide reference, NumericalSide current)
    {
        (double[] referenceShares, double[] currentShares) = BinnedShares.Of(reference, current, fillEmpty: true);
        double score = PopulationStabilityIndex.Compute(referenceShares, currentShares);
        return new MethodScore(score, score);
    }

    private static MethodScore ScoreCategories(CategoryTable table)
    {
        double score = PopulationStabilityIndex.Compute(table.ReferenceShares(fillEmpty: true), table.CurrentShares(fillEmpty: true));
        return new MethodScore(score, score);
    }
}
