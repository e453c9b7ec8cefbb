using ModelMonitoring.Quality;

namespace ModelMonitoring.Tests;

/// <summary>
/// <see cref="ModelMonitoringOptions.SegmentOutlierForests"/>: each segment scored by a forest fitted on its own first
/// window. A value ordinary for the model (segment "wide" spreads over ±30) but far from its segment's reference
/// (segment "narrow" stays within ±0.4 of 0) is an outlier of that segment only with the option on.
/// </summary>
public sealed class SegmentOutlierForestTests
{
    private const int Window = 400;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_segment_with_its_own_forest_flags_what_is_ordinary_for_the_model_but_not_for_it(bool ownForests)
    {
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = Window, OutlierDetection = true, SegmentOutlierForests = ownForests });
        var model = new ChurnModel("quality-segment-forest-" + ownForests);
        ModelMonitor monitor = test.Runtime.For(model.Name);
        var random = new Random(31);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

        // Window 1 of the model and of each segment: the references ("wide" σ 10, "narrow" σ 0.1, both around 0).
        Record(model, 0, 2 * Window, narrowAt: 0, Normal);
        test.Runtime.Flush();

        // Window 2: "narrow" moves to 5, still well inside the model's (and "wide"'s) spread.
        Record(model, 2 * Window, 2 * Window, narrowAt: 5, Normal);
        test.Runtime.Flush();

        WindowQuality narrow = Assert.IsType<WindowQuality>(monitor.LatestSegmentQuality["narrow"]);
        WindowQuality wide = Assert.IsType<WindowQuality>(monitor.LatestSegmentQuality["wide"]);
        WindowQuality whole = Assert.IsType<WindowQuality>(monitor.LatestQuality);
        Assert.Equal(Window, narrow.ScoredRows);
        Assert.Equal(Window, wide.ScoredRows);
        Assert.True(whole.OutlierRatio < 0.05, $"model outlier ratio {whole.OutlierRatio}"); // the model's forest: ordinary rows
        Assert.True(wide.OutlierRatio < 0.05, $"wide outlier ratio {wide.OutlierRatio}");
        if (ownForests)
        {
            Assert.True(narrow.OutlierRatio > 0.95, $"narrow outlier ratio {narrow.OutlierRatio}");
            Assert.True(narrow.OutlierThreshold != whole.OutlierThreshold);
        }
        else
        {
            Assert.True(narrow.OutlierRatio < 0.05, $"narrow outlier ratio {narrow.OutlierRatio}");
        }
    }

    private static void Record(ChurnModel model, int from, int count, double narrowAt, Func<double> normal)
    {
        for (int i = from; i < from + count; i++)
        {
            bool narrow = i % 2 == 1;
            double tenure = narrow ? narrowAt + (0.1 * normal()) : 10 * normal();
            model.Record(i, narrow ? "narrow" : "wide", false, 0.5, tenure);
        }
    }
}
