namespace ModelMonitoring.Statistics.Methods;

/// <summary>
/// <c>wasserstein</c>: <c>scipy.stats.wasserstein_distance</c> divided by the reference's population standard deviation
/// (at least 0.001), as Evidently's <c>wasserstein_stat_test</c>. A binned window is integrated bin by bin
/// (<see cref="Sketches.FeatureProfile"/>).
/// </summary>
internal static class WassersteinMethod
{
    public static StatTest Test { get; } = new(
        "wasserstein", "Wasserstein distance (normed)", DriftRule.DistanceAtOrAbove, 0.1, numerical: true, categorical: false, "the score", Score, null);

    private static MethodScore Score(NumericalSide reference, NumericalSide current)
    {
        double distance = current.BinnedProfile is not null
            ? current.BinnedProfile.WassersteinTo(reference.Distribution)
            : WassersteinDistance.Distance(reference.Distribution.Values, reference.Distribution.Weights, current.Distribution.Values, current.Distribution.Weights);
        // Both in the sides' (possibly scaled) units: the norm's floor of 0.001 is in the data's units.
        double normed = distance / Math.Max(reference.StandardDeviation, WassersteinDistance.MinimumNorm * reference.Scale);
        return new MethodScore(normed, normed);
    }
}
