namespace ModelMonitoring.Statistics.Methods;

/// <summary>
/// <c>ed</c>: the energy distance, as Evidently calls <c>scipy.stats.energy_distance</c>: <c>sqrt(2)</c> times the L2
/// distance between the two cumulative distribution functions. A distance in the data's units; drift when strictly
/// above the threshold, as Evidently decides.
/// </summary>
internal static class EnergyDistanceMethod
{
    public static StatTest Test { get; } = new(
        "ed", "Energy-distance", DriftRule.DistanceAbove, 0.1, numerical: true, categorical: false, "the score", Score, null);

    private static MethodScore Score(NumericalSide reference, NumericalSide current)
    {
        PooledValues pooled = PooledValues.Of(reference, current);
        double referenceTotal = reference.Count;
        double currentTotal = current.Count;
        double referenceCumulative = 0;
        double currentCumulative = 0;
        double sum = 0;
        for (int j = 0; j < pooled.Length - 1; j++)
        {
            referenceCumulative += pooled.Reference[j];
            currentCumulative += pooled.Current[j];
            double gap = (referenceCumulative / referenceTotal) - (currentCumulative / currentTotal);
            sum += gap * gap * (pooled.Values[j + 1] - pooled.Values[j]);
        }

        // Back to the data's units when the sides were scaled down (values near ±1e308).
        double distance = Math.Sqrt(2) * Math.Sqrt(sum) / reference.Scale;
        return new MethodScore(distance, distance);
    }
}
