namespace ModelMonitoring.Statistics.Methods;

/// <summary>
/// <c>z</c>: Evidently's two-proportion Z test on the share of values other than the first key in sorted order.
/// Categorical, or chosen by default for numbers with at most two distinct values.
/// </summary>
internal static class ZMethod
{
    public static StatTest Test { get; } = new(
        "z", "Z-test p_value", DriftRule.PValueBelow, 0.05, numerical: false, categorical: true, "the difference of the two proportions",
        (reference, current) => Score(CategoryTable.FromNumbers(reference, current)), Score);

    private static MethodScore Score(CategoryTable table)
    {
        long referenceOthers = table.ReferenceTotal - table.Reference[0];
        long currentOthers = table.CurrentTotal - table.Current[0];
        double difference = Math.Abs(((double)referenceOthers / table.ReferenceTotal) - ((double)currentOthers / table.CurrentTotal));
        return new MethodScore(ZTest.PValue(referenceOthers, table.ReferenceTotal, currentOthers, table.CurrentTotal), difference);
    }
}
