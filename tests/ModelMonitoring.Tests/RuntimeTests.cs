using System.Diagnostics;
using ModelMonitoring.Runtime;

namespace ModelMonitoring.Tests;

public sealed class RuntimeTests
{
    [Fact]
    public void Recording_a_row_allocates_nothing_once_the_thread_buffer_exists()
    {
        var model = new TestModel("runtime-allocation");
        model.Record(1, "north", 1); // creates this thread's buffer
        ModelMonitoringRuntime.Flush();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 500; i++)
        {
            model.Record(i, "north", 2);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void A_full_buffer_is_folded_by_its_own_thread_and_nothing_is_lost()
    {
        var model = new TestModel("runtime-overflow");
        int calls = (RecordingBuffer.DefaultCapacity * 5) + 7;
        for (int i = 0; i < calls; i++)
        {
            model.Record(i, "north", 1);
        }

        Assert.Equal(calls, model.Monitor.GetPredictionCounts().Successes);
        Assert.Equal(calls, model.Monitor.GetCurrentWindow().Rows + (model.Monitor.LastClosedWindow?.Rows ?? 0));
    }

    [Fact]
    public void RecordFailure_counts_and_returns_false_so_the_exception_passes_through()
    {
        var model = new TestModel("runtime-failure");
        var exception = new TimeoutException("slow");

        bool caught = model.Monitor.Methods[0].RecordFailure(Stopwatch.GetTimestamp(), exception, activity: null);
        bool canceled = model.Monitor.Methods[0].RecordFailure(Stopwatch.GetTimestamp(), new OperationCanceledException(), activity: null);

        Assert.False(caught);
        Assert.False(canceled);
        Assert.Equal(new PredictionCounts(0, 1, 1), model.Monitor.GetPredictionCounts());
    }

    [Fact]
    public void Missing_values_are_counted_apart_from_present_ones()
    {
        var model = new TestModel("runtime-missing");
        model.Record(double.NaN, null, 1);
        model.Record(4, "north", 1);

        FeatureWindowSnapshot window = model.Monitor.GetCurrentWindow();

        Assert.Equal((1, 1), (window["area"].Count, window["area"].Missing));
        Assert.Equal((1, 1), (window["region"].Count, window["region"].Missing));
        Assert.Equal(4, window["area"].Mean);
    }

    [Fact]
    public void For_names_the_known_models_when_the_name_is_unknown()
    {
        _ = new TestModel("runtime-known");
        var error = Assert.Throws<KeyNotFoundException>(() => ModelMonitor.For("no-such-model"));
        Assert.Contains("runtime-known", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Categories_beyond_the_limit_go_to_the_overflow_bucket()
    {
        var descriptor = new ModelDescriptor("runtime-categories", null, null, null, "Tests.Categories", [
            new MethodDescriptor("Predict", "M:Tests.Categories", false, false, [
                new FeatureDescriptor("city", FeatureKind.Categorical, FeatureStorage.Label, 0, FeatureSource.Input, "string", false, maxCategories: 3, DriftMethod.Auto, double.NaN),
            ]),
        ]);
        ModelMonitor monitor = ModelMonitor.Register(descriptor);
        foreach (string city in new[] { "a", "b", "c", "d", "e", "a" })
        {
            FeatureRow row = monitor.Methods[0].BeginRow(Stopwatch.GetTimestamp(), null);
            row.SetLabel(0, city);
            row.Commit();
        }

        IReadOnlyDictionary<string, long> categories = monitor.GetCurrentWindow()["city"].Categories;

        Assert.Equal(2, categories["a"]);
        Assert.Equal(2, categories[FeatureWindow.OverflowCategory]);
        Assert.Equal(4, categories.Count);
    }

    [Fact]
    public void A_row_that_cannot_be_folded_is_counted_as_a_monitoring_failure_and_skipped()
    {
        // Two methods give the feature "size" different kinds: the model keeps the first (numerical), so every
        // label recorded by the second method cannot go into its numerical sketch.
        var descriptor = new ModelDescriptor("runtime-poison", null, null, null, "Tests.Poison", [
            new MethodDescriptor("PredictByArea", "M:Tests.A", false, false, [
                new FeatureDescriptor("size", FeatureKind.Numerical, FeatureStorage.Number, 0, FeatureSource.Input, "double", false, 0, DriftMethod.Auto, double.NaN),
            ]),
            new MethodDescriptor("PredictByLabel", "M:Tests.B", false, false, [
                new FeatureDescriptor("size", FeatureKind.Categorical, FeatureStorage.Label, 0, FeatureSource.Input, "string", false, 0, DriftMethod.Auto, double.NaN),
            ]),
        ]);
        ModelMonitor monitor = ModelMonitor.Register(descriptor);
        for (int i = 0; i < 10; i++)
        {
            FeatureRow numeric = monitor.Methods[0].BeginRow(Stopwatch.GetTimestamp(), null);
            numeric.SetNumber(0, i);
            numeric.Commit();
            FeatureRow label = monitor.Methods[1].BeginRow(Stopwatch.GetTimestamp(), null);
            label.SetLabel(0, "large");
            label.Commit();
        }

        FeatureWindowSnapshot window = monitor.GetCurrentWindow(); // folds; must not throw

        Assert.Equal(10, monitor.Methods[0].Successes);
        Assert.Equal(10, monitor.Methods[1].Successes);
        Assert.Equal(4.5, window["size"].Mean, 9);
        Assert.True(monitor.MonitoringFailures >= 10);
        FeatureWindowSnapshot closed = monitor.CloseWindow(); // the explicit close folds too, and must not throw either
        Assert.Equal(window.Rows, closed.Rows);
    }

    [Fact]
    public void A_window_closed_by_count_holds_the_first_rows_that_arrived_whichever_thread_recorded_them()
    {
        ModelMonitoringOptions previous = ModelMonitoringRuntime.Options;
        ModelMonitoringRuntime.Configure(new ModelMonitoringOptions { WindowSize = 50, FlushInterval = TimeSpan.FromMinutes(1) });
        try
        {
            var model = new TestModel("runtime-arrival-order");

            // Thread A records 25 early rows, then thread B 25 early rows, then A 25 late rows, then B 25 late rows.
            // Folded buffer by buffer, A's buffer (early + late) would come first and mix the windows.
            using var aEarlyDone = new ManualResetEventSlim();
            using var bEarlyDone = new ManualResetEventSlim();
            using var aLateDone = new ManualResetEventSlim();
            var a = new Thread(() =>
            {
                for (int i = 0; i < 25; i++) model.Record(1, "early", 1);
                aEarlyDone.Set();
                bEarlyDone.Wait();
                for (int i = 0; i < 25; i++) model.Record(100, "late", 1);
                aLateDone.Set();
            });
            var b = new Thread(() =>
            {
                aEarlyDone.Wait();
                for (int i = 0; i < 25; i++) model.Record(1, "early", 1);
                bEarlyDone.Set();
                aLateDone.Wait();
                for (int i = 0; i < 25; i++) model.Record(100, "late", 1);
            });
            a.Start();
            b.Start();
            a.Join();
            b.Join();
            ModelMonitoringRuntime.Flush();

            FeatureWindowSnapshot firstWindow = Assert.IsType<FeatureWindowSnapshot>(model.Monitor.Reference is null ? null : model.Monitor.LastClosedWindow);
            Assert.Equal(50, firstWindow.Rows);
            Assert.Equal(100, firstWindow["area"].Mean); // the last closed window is the late one
            Assert.Equal(1, model.Monitor.Reference!.Find("area")!.Mean); // the first (reference) window holds only early rows
            Assert.Equal(50, model.Monitor.Reference.Find("region")!.Count);
            Assert.True(model.Monitor.LatestDrift!["area"].Drift);
        }
        finally
        {
            ModelMonitoringRuntime.Configure(previous);
        }
    }
}
