namespace ModelMonitoring.Statistics.Methods;

/// <summary>
/// <c>chisquare</c>: chi-square goodness of fit of the current counts against the reference counts scaled to the current
/// size, as Evidently calls <c>scipy.stats.chisquare(f_obs, f_exp)</c>. Categorical, or chosen by default for numbers
/// with few distinct values (one key per value).
/// </summary>
internal static class ChiSquareMethod
{
    public static StatTest Test { get; } = new(
        "chisquare", "chi-square p_value", DriftRule.PValueBelow, 0.05, numerical: false, categorical: true, "the total variation distance of the shares",
        (reference, current) => Score(CategoryTable.FromNumbers(reference, current)), Score);

    private static MethodScore Score(CategoryTable table) => new(
        ChiSquareTest.PValueFromReferenceCounts(NumericalSide.ToDoubles(table.Current), NumericalSide.ToDoubles(table.Reference)),
        table.TotalVariation());
}
