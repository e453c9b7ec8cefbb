namespace ModelMonitoring.Statistics.Methods;

/// <summary>
/// <c>g_test</c>: the G-test (log-likelihood ratio) of the current counts against the reference counts scaled to the
/// current size, as Evidently calls <c>scipy.stats.power_divergence(f_obs, f_exp, lambda_="log-likelihood")</c>.
/// </summary>
internal static class GTestMethod
{
    public static StatTest Test { get; } = new(
        "g_test", "g_test", DriftRule.PValueBelow, 0.1, numerical: false, categorical: true, "the total variation distance of the shares", null, Score);

    private static MethodScore Score(CategoryTable table)
    {
        double scale = (double)table.CurrentTotal / table.ReferenceTotal;
        double statistic = 0;
        for (int i = 0; i < table.Length; i++)
        {
            double observed = table.Current[i];
            double expected = table.Reference[i] * scale;
            if (observed > 0)
            {
                statistic += 2 * observed * Math.Log(observed / expected);
            }
        }

        return new MethodScore(ChiSquareTest.PValueFromStatistic(statistic, table.Length - 1), table.TotalVariation());
    }
}
