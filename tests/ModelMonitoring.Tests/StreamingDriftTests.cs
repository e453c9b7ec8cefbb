using Microsoft.Extensions.Time.Testing;
using ModelMonitoring.Sketches;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Tests;

public sealed class StreamingDriftTests : IDisposable
{
    private readonly ModelMonitoringOptions _previousOptions = ModelMonitoringRuntime.Options;
    private readonly TimeProvider _previousClock = ModelMonitoringRuntime.TimeProvider;

    public void Dispose()
    {
        ModelMonitoringRuntime.Configure(_previousOptions);
        ModelMonitoringRuntime.TimeProvider = _previousClock;
    }

    [Fact]
    public void The_first_window_becomes_the_reference_and_a_shifted_window_drifts()
    {
        ModelMonitoringRuntime.Configure(new ModelMonitoringOptions { WindowSize = 2_000 });
        var model = new TestModel("drift-first-window");
        var random = new Random(1);
        ModelDriftReport? published = null;
        model.Monitor.DriftEvaluated += (_, report) => published = report;

        for (int i = 0; i < 2_000; i++)
        {
            model.Record(random.NextDouble() * 100, i % 2 == 0 ? "north" : "south", 1);
        }

        ModelMonitoringRuntime.Flush();
        Assert.NotNull(model.Monitor.Reference);
        Assert.Equal(2_000, model.Monitor.Reference!.RowCount);
        Assert.Null(model.Monitor.LatestDrift);

        for (int i = 0; i < 2_000; i++)
        {
            model.Record(50 + (random.NextDouble() * 100), "south", 1);
        }

        ModelMonitoringRuntime.Flush();
        ModelDriftReport report = Assert.IsType<ModelDriftReport>(model.Monitor.LatestDrift);
        Assert.Same(report, published);
        Assert.Equal(2_000, report.Rows);
        Assert.True(report["area"].Drift);
        Assert.True(report["region"].Drift);
        Assert.True(report.Drift);
        Assert.False(report.PredictionDrift);
        Assert.DoesNotContain(report.Features.Columns, c => c.Name == "email"); // sensitive: never profiled
    }

    [Fact]
    public void A_window_closes_when_its_time_is_up_on_a_fake_clock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        ModelMonitoringRuntime.TimeProvider = clock;
        ModelMonitoringRuntime.Configure(new ModelMonitoringOptions { WindowSize = 1_000_000, WindowDuration = TimeSpan.FromMinutes(5) });
        var model = new TestModel("drift-time-window");

        for (int i = 0; i < 300; i++)
        {
            model.Record(i, "north", 1);
        }

        clock.Advance(TimeSpan.FromMinutes(4));
        ModelMonitoringRuntime.Flush();
        Assert.Null(model.Monitor.LastClosedWindow);

        clock.Advance(TimeSpan.FromMinutes(1));
        ModelMonitoringRuntime.Flush();
        FeatureWindowSnapshot closed = Assert.IsType<FeatureWindowSnapshot>(model.Monitor.LastClosedWindow);
        Assert.Equal(300, closed.Rows);
        Assert.Equal(TimeSpan.FromMinutes(5), closed.End - closed.Start);
        Assert.Equal(149.5, closed["area"].Mean, 9);
        Assert.Equal(0, model.Monitor.GetCurrentWindow().Rows);
    }

    [Fact]
    public void A_configured_baseline_is_the_reference_from_the_first_window()
    {
        string path = Path.Combine(Path.GetTempPath(), "drift-baseline-" + Guid.NewGuid().ToString("N") + ".json");
        var random = new Random(2);
        BaselineProfile.Build([
            ColumnSample.Numerical("area", Enumerable.Range(0, 5_000).Select(_ => random.NextDouble() * 100).ToArray()),
            ColumnSample.Categorical("region", Enumerable.Range(0, 5_000).Select(i => i % 2 == 0 ? "north" : "south").ToArray()),
            ColumnSample.Numerical("prediction", Enumerable.Range(0, 5_000).Select(_ => 1.0).ToArray()),
        ], "drift-baseline").Save(path);
        var model = new TestModel("drift-baseline");

        ModelMonitoringRuntime.Configure(new ModelMonitoringOptions { WindowSize = 1_000, Baselines = { ["drift-baseline"] = path } });
        for (int i = 0; i < 1_000; i++)
        {
            model.Record(random.NextDouble() * 100, i % 2 == 0 ? "north" : "south", 1);
        }

        ModelMonitoringRuntime.Flush();
        Assert.Equal(5_000, model.Monitor.Reference!.RowCount);
        Assert.True(model.Monitor.LatestDrift is not null, $"no drift report: {model.Monitor.MonitoringFailures} monitoring failures, last closed window {model.Monitor.LastClosedWindow?.Rows} rows, current {model.Monitor.GetCurrentWindow().Rows} rows");
        ModelDriftReport report = model.Monitor.LatestDrift!;
        Assert.False(report.Drift);
        Assert.False(report["area"].Drift);
        File.Delete(path);
    }

    [Fact]
    public void A_baseline_that_does_not_match_the_model_is_an_error_naming_the_file_and_feature()
    {
        string path = Path.Combine(Path.GetTempPath(), "drift-mismatch-" + Guid.NewGuid().ToString("N") + ".json");
        BaselineProfile.Build([ColumnSample.Categorical("area", ["a", "b"])], "drift-mismatch").Save(path);
        _ = new TestModel("drift-mismatch");

        var error = Assert.ThrowsAny<Exception>(() => ModelMonitoringRuntime.Configure(new ModelMonitoringOptions { Baselines = { ["drift-mismatch"] = path } }));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("area", error.Message, StringComparison.Ordinal);
        File.Delete(path);
    }

    [Fact]
    public void A_corrupt_baseline_is_an_error_naming_the_file()
    {
        string path = Path.Combine(Path.GetTempPath(), "drift-corrupt-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, "{ \"features\": [ { \"name\": ");
        _ = new TestModel("drift-corrupt");

        var error = Assert.ThrowsAny<Exception>(() => ModelMonitoringRuntime.Configure(new ModelMonitoringOptions { Baselines = { ["drift-corrupt"] = path } }));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        File.Delete(path);
    }
}
