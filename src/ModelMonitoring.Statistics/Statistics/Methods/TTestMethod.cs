using MathNet.Numerics;

namespace ModelMonitoring.Statistics.Methods;

/// <summary>
/// <c>t_test</c>: Student's two-sample t test with pooled variance, two-sided, as Evidently calls
/// <c>scipy.stats.ttest_ind(reference, current)</c>. Where scipy returns NaN (both sides constant and equal) the p-value
/// is 1: nothing differs.
/// </summary>
internal static class TTestMethod
{
    public static StatTest Test { get; } = new(
        "t_test", "t_test", DriftRule.PValueBelow, 0.05, numerical: true, categorical: false, "Cohen's d |mean difference| / pooled standard deviation", Score, null);

    private static MethodScore Score(NumericalSide reference, NumericalSide current)
    {
        double n1 = reference.Count;
        double n2 = current.Count;
        if (n1 + n2 < 3)
        {
            return MethodScore.Undefined($"t_test needs at least 3 values in all, got {n1 + n2}");
        }

        // Sample variances (ddof = 1) from the population deviations.
        double v1 = n1 > 1 ? reference.StandardDeviation * reference.StandardDeviation * n1 / (n1 - 1) : 0;
        double v2 = n2 > 1 ? current.StandardDeviation * current.StandardDeviation * n2 / (n2 - 1) : 0;
        double df = n1 + n2 - 2;
        double pooled = (((n1 - 1) * v1) + ((n2 - 1) * v2)) / df;
        double difference = reference.Mean - current.Mean;
        if (difference == 0)
        {
            return new MethodScore(1.0, 0);
        }

        double denominator = Math.Sqrt(pooled * ((1 / n1) + (1 / n2)));
        double t = difference / denominator;
        double p = double.IsInfinity(t) ? 0 : SpecialFunctions.BetaRegularized(df / 2, 0.5, df / (df + (t * t)));
        return new MethodScore(p, Math.Abs(difference) / Math.Sqrt(pooled));
    }
}
