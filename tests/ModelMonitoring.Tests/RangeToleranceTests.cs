namespace ModelMonitoring.Tests;

/// <summary>
/// <see cref="ModelMonitoringOptions.RangeTolerance"/>: the reference's [min, max] widened by a share of its range
/// before a number counts as out of range, as <c>mlmon drift --range-tolerance</c> does; validated and applied from the
/// next window on.
/// </summary>
public sealed class RangeToleranceTests
{
    [Fact]
    public void The_tolerance_widens_the_reference_range_on_each_side_from_the_next_window_on()
    {
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 100, RangeTolerance = 0.1 });
        var model = new PriceModel("quality-range-tolerance");
        ModelMonitor monitor = test.Runtime.For(model.Name);
        for (int i = 0; i < 100; i++)
        {
            model.Record(null, i, 1); // the reference: area in [0, 99], so 0.1 widens it by 9.9 on each side
        }

        // Inside the widened range: -9.9 and 108.9 exactly, -5, 105; outside: -10, 109, 1000. The rest are ordinary.
        double[] edges = [-9.9, 108.9, -5, 105, -10, 109, 1_000];
        RecordWindow(model, edges);
        test.Runtime.Flush();
        Assert.Equal(3, monitor.LatestQuality!["area"].OutOfRange);
        Assert.Equal(0.03, monitor.LatestQuality!["area"].OutOfRangeRatio, 12);

        // Back to the exact range: the window already open keeps 0.1, the next one counts all seven.
        test.Runtime.UpdateOptions(new ModelMonitoringOptions { WindowSize = 100 });
        RecordWindow(model, edges);
        test.Runtime.Flush();
        Assert.Equal(3, monitor.LatestQuality!["area"].OutOfRange);
        RecordWindow(model, edges);
        test.Runtime.Flush();
        Assert.Equal(7, monitor.LatestQuality!["area"].OutOfRange);
    }

    [Theory]
    [InlineData(-0.5, "ModelMonitoring:RangeTolerance must be a share of the reference's range of 0 or more, such as 0.1 (was -0.5).")]
    [InlineData(double.NaN, "ModelMonitoring:RangeTolerance must be a share of the reference's range of 0 or more, such as 0.1 (was NaN).")]
    [InlineData(double.PositiveInfinity, "ModelMonitoring:RangeTolerance must be a share of the reference's range of 0 or more, such as 0.1 (was Infinity).")]
    public void A_bad_tolerance_is_rejected_with_the_setting_named(double tolerance, string message)
    {
        var options = new ModelMonitoringOptions { RangeTolerance = tolerance };
        Assert.Equal([message], options.Validate());
        var error = Assert.Throws<ArgumentException>(() => new ModelMonitoringRuntime(options));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static void RecordWindow(PriceModel model, double[] edges)
    {
        for (int i = 0; i < 100; i++)
        {
            model.Record(null, i < edges.Length ? edges[i] : 50, 1);
        }
    }
}
