namespace ModelMonitoring.Statistics.Methods;

/// <summary>
/// <c>hellinger</c>: Hellinger distance, as Evidently's <c>hellinger_stat_test</c>: of the category shares, or for numbers
/// of numpy density histograms on Sturges bins over the distinct values of both sides (their count when both sides are
/// exact, else the number of values).
/// </summary>
internal static class HellingerMethod
{
    public static StatTest Test { get; } = new(
        "hellinger", "Hellinger distance", DriftRule.DistanceAtOrAbove, 0.1, numerical: true, categorical: true, "the score", ScoreNumbers, ScoreCategories);

    private static MethodScore ScoreNumbers(NumericalSide reference, NumericalSide current)
    {
        long bins = reference.IsExact && current.IsExact
            ? ColumnComparison.DistinctNumbers(reference, current)
            : reference.Count + current.Count;
        double[] edges = Histogram.SturgesEdges(Math.Min(reference.Min, current.Min), Math.Max(reference.Max, current.Max), bins);
        double score = HellingerDistance.FromBinnedCounts(NumericalSide.ToDoubles(reference.WeightPerBin(edges)), current.CountsPerBin(edges), edges);
        return new MethodScore(score, score);
    }

    private static MethodScore ScoreCategories(CategoryTable table)
    {
        double score = HellingerDistance.Compute(table.ReferenceShares(fillEmpty: false), table.CurrentShares(fillEmpty: false));
        return new MethodScore(score, score);
    }
}
