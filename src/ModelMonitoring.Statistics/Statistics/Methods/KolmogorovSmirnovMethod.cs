namespace ModelMonitoring.Statistics.Methods;

/// <summary><c>ks</c>: two-sample Kolmogorov-Smirnov, p-value as <c>scipy.stats.ks_2samp</c>; Evidently's <c>ks_stat_test</c>.</summary>
internal static class KolmogorovSmirnovMethod
{
    public static StatTest Test { get; } = new(
        "ks", "K-S p_value", DriftRule.PValueAtOrBelow, 0.05, numerical: true, categorical: false, "the KS statistic D", Score, null);

    private static MethodScore Score(NumericalSide reference, NumericalSide current)
    {
        double d = KolmogorovSmirnovTest.Statistic(reference.Distribution, current.Distribution);
        return new MethodScore(KolmogorovSmirnovTest.PValue(d, reference.Count, current.Count), d);
    }
}
