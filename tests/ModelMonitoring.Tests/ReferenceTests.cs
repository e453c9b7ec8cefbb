using ModelMonitoring.Sketches;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Tests;

/// <summary>Drift references: first window or baseline, never raced; options as an immutable snapshot.</summary>
public sealed class ReferenceTests
{
    [Fact]
    public void The_first_window_becomes_the_reference_and_a_shifted_window_drifts()
    {
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 2_000 });
        var model = new TestModel("reference-first-window");
        var random = new Random(1);
        ModelDriftReport? published = null;
        string? evaluatorThread = null;
        test.Monitor(model).DriftEvaluated += (_, report) =>
        {
            published = report;
            evaluatorThread = Thread.CurrentThread.Name;
        };

        for (int i = 0; i < 2_000; i++)
        {
            model.Record(random.NextDouble() * 100, i % 2 == 0 ? "north" : "south", 1);
        }

        test.Runtime.Flush();
        ModelMonitor monitor = test.Monitor(model);
        Assert.Equal(2_000, monitor.Reference!.RowCount);
        Assert.Null(monitor.LatestDrift);

        // Once a reference exists, windows bin numbers on its quantile grid instead of sketching them.
        Assert.True(test.Runtime.Folder.Run(() => monitor.Windows.Model.Window!.Features.Single(f => f.Feature.Name == "area").Profile!.IsBinned));

        for (int i = 0; i < 2_000; i++)
        {
            model.Record(50 + (random.NextDouble() * 100), "south", 1);
        }

        test.Runtime.Flush();
        ModelDriftReport report = Assert.IsType<ModelDriftReport>(monitor.LatestDrift);
        Assert.Same(report, published);
        Assert.Equal("ModelMonitoring evaluator", evaluatorThread); // the runtime's own worker, not the caller or a scrape
        Assert.Equal(2_000, report.Rows);
        Assert.True(report["area"].Drift);
        Assert.True(report["region"].Drift);
        Assert.True(report.Drift);
        Assert.False(report.PredictionDrift);
        Assert.DoesNotContain(report.Features.Columns, c => c.Name == "email"); // sensitive: never profiled
    }

    [Fact]
    public void A_baseline_set_by_the_user_is_never_replaced_by_a_first_window()
    {
        BaselineProfile baseline = Baseline("reference-race", seed: 5);
        for (int attempt = 0; attempt < 50; attempt++)
        {
            using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 50 });
            var model = new TestModel("reference-race-" + attempt);
            ModelMonitor monitor = test.Monitor(model);
            using var start = new ManualResetEventSlim();
            Thread[] recorders = RecordingTests.StartThreads(2, _ =>
            {
                start.Wait();
                for (int i = 0; i < 100; i++)
                {
                    model.Record(i, "north", 1);
                    if (i % 10 == 0)
                    {
                        test.Runtime.Folder.Signal();
                    }
                }
            });
            start.Set();
            Thread.Yield();
            monitor.SetReference(baseline);
            foreach (Thread thread in recorders)
            {
                thread.Join();
            }

            test.Runtime.Flush();
            Assert.Same(baseline, monitor.Reference);
        }
    }

    [Fact]
    public void Options_handed_to_the_runtime_are_a_snapshot()
    {
        var options = new ModelMonitoringOptions { WindowSize = 10 };
        using var test = new TestRuntime(options);
        var model = new TestModel("reference-options-snapshot");
        options.WindowSize = 3;
        options.Baselines["reference-options-snapshot"] = "/nowhere.json";

        for (int i = 0; i < 10; i++)
        {
            model.Record(i, "north", 1);
        }

        test.Runtime.Flush();
        Assert.Equal(10, test.Runtime.Options.WindowSize);
        Assert.Empty(test.Runtime.Options.Baselines);
        Assert.Equal(10, test.Monitor(model).LastClosedWindow!.Rows);

        ModelMonitoringOptions copy = test.Runtime.Options;
        copy.WindowSize = 1;
        Assert.Equal(10, test.Runtime.Options.WindowSize);
    }

    [Fact]
    public void Updated_options_apply_from_the_next_window_on()
    {
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 10 });
        var model = new TestModel("reference-options-reload");
        var sizes = new List<long>();
        test.Monitor(model).WindowClosed += (_, window) => { lock (sizes) { sizes.Add(window.Rows); } };
        for (int i = 0; i < 5; i++)
        {
            model.Record(i, "north", 1);
        }

        Assert.Equal(5, test.Monitor(model).GetCurrentWindow().Rows); // folded into a window of 10
        test.Runtime.UpdateOptions(new ModelMonitoringOptions { WindowSize = 4 });
        for (int i = 0; i < 13; i++)
        {
            model.Record(i, "north", 1);
        }

        test.Runtime.Flush();
        Assert.Equal([10, 4, 4], sizes); // the open window keeps its size; the next ones follow the new options
        Assert.Throws<ArgumentException>(() => test.Runtime.UpdateOptions(new ModelMonitoringOptions { WindowSize = 0 }));
        Assert.Equal(4, test.Runtime.Options.WindowSize);
    }

    [Fact]
    public void A_configured_baseline_is_the_reference_from_the_first_window()
    {
        string path = Path.Combine(Path.GetTempPath(), "reference-baseline-" + Guid.NewGuid().ToString("N") + ".json");
        Baseline("reference-baseline", seed: 2).Save(path);
        var model = new TestModel("reference-baseline");
        var random = new Random(2);
        try
        {
            using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 1_000, Baselines = { ["reference-baseline"] = path } });
            for (int i = 0; i < 1_000; i++)
            {
                model.Record(random.NextDouble() * 100, i % 2 == 0 ? "north" : "south", 1);
            }

            test.Runtime.Flush();
            ModelMonitor monitor = test.Monitor(model);
            Assert.Equal(5_000, monitor.Reference!.RowCount);
            ModelDriftReport report = Assert.IsType<ModelDriftReport>(monitor.LatestDrift);
            Assert.False(report.Drift);
            Assert.False(report["area"].Drift);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_baseline_that_does_not_match_the_model_is_an_error_naming_the_file_and_feature()
    {
        string path = Path.Combine(Path.GetTempPath(), "reference-mismatch-" + Guid.NewGuid().ToString("N") + ".json");
        BaselineProfile.Build([ColumnSample.Categorical("area", ["a", "b"])], "reference-mismatch").Save(path);
        _ = new TestModel("reference-mismatch");
        try
        {
            var error = Assert.ThrowsAny<Exception>(() => new ModelMonitoringRuntime(new ModelMonitoringOptions { Baselines = { ["reference-mismatch"] = path } }));
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Contains("area", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_corrupt_baseline_is_an_error_naming_the_file()
    {
        string path = Path.Combine(Path.GetTempPath(), "reference-corrupt-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, "{ \"features\": [ { \"name\": ");
        _ = new TestModel("reference-corrupt");
        try
        {
            var error = Assert.ThrowsAny<Exception>(() => new ModelMonitoringRuntime(new ModelMonitoringOptions { Baselines = { ["reference-corrupt"] = path } }));
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    internal static BaselineProfile Baseline(string model, int seed)
    {
        var random = new Random(seed);
        return BaselineProfile.Build([
            ColumnSample.Numerical("area", Enumerable.Range(0, 5_000).Select(_ => random.NextDouble() * 100).ToArray()),
            ColumnSample.Categorical("region", Enumerable.Range(0, 5_000).Select(i => i % 2 == 0 ? "north" : "south").ToArray()),
            ColumnSample.Numerical("prediction", Enumerable.Range(0, 5_000).Select(_ => 1.0).ToArray()),
        ], model);
    }
}
