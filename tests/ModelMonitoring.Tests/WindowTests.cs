using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Time.Testing;
using ModelMonitoring.Runtime;

namespace ModelMonitoring.Tests;

/// <summary>Windows: exact sizes under concurrency, per-window state, missing and infinite values, bounded memory.</summary>
public sealed class WindowTests
{
    [Fact]
    public void Under_eight_threads_every_window_holds_exactly_WindowSize_rows()
    {
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 1_000, RecordingCapacity = 1 << 17 });
        var model = new TestModel("window-exact");
        var sizes = new ConcurrentQueue<long>();
        test.Monitor(model).WindowClosed += (_, window) => sizes.Enqueue(window.Rows);

        RecordingTests.RunThreads(8, _ =>
        {
            for (int i = 0; i < 12_500; i++)
            {
                model.Record(i % 100, "north", 1);
            }
        });
        test.Runtime.Flush();

        long dropped = test.Monitor(model).Recorders.Sum(r => r.Dropped.Rows);
        Assert.Equal(100_000, test.Monitor(model).GetPredictionCounts().Successes);
        Assert.NotEmpty(sizes);
        Assert.All(sizes, rows => Assert.Equal(1_000, rows));
        Assert.Equal(100_000, sizes.Sum() + test.Monitor(model).GetCurrentWindow().Rows + dropped);
    }

    [Fact]
    public void The_labels_of_numbers_declared_categorical_are_kept_per_window()
    {
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 3 });
        var descriptor = new ModelDescriptor("window-rating", null, null, null, "Tests.Rating", [
            new MethodDescriptor("Predict", "M:Tests.Rating", false, false, [
                new FeatureDescriptor("rating", FeatureKind.Categorical, FeatureStorage.Number, 0, FeatureSource.Input, "int", false, maxCategories: 3, DriftMethod.Auto, double.NaN),
            ]),
        ]);
        PredictionMonitor method = ModelRegistry.Register(descriptor).Methods[0];
        var windows = new ConcurrentQueue<FeatureWindowSnapshot>();
        test.Runtime.For("window-rating").WindowClosed += (_, window) => windows.Enqueue(window);

        foreach (double rating in new double[] { 1, 2, 3, 4, 5, 6 })
        {
            FeatureRow row = method.BeginRow(Stopwatch.GetTimestamp(), default(ActivityScope));
            row.SetNumber(0, rating);
            row.Commit();
        }

        test.Runtime.Flush();

        Assert.Equal(2, windows.Count);
        Assert.Equal(["1", "2", "3"], windows.First()["rating"].Categories.Keys.Order());
        Assert.Equal(["4", "5", "6"], windows.Last()["rating"].Categories.Keys.Order()); // not __other__: the cache is per window
    }

    [Fact]
    public void Recurring_label_instances_are_counted_exactly_through_snapshots_overflow_and_the_next_window()
    {
        // String literals (as the generator emits for enums and bools) are found by reference and their counts added
        // to the profile later: every reader must still see exact counts, and the overflow must not change.
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 12 });
        var descriptor = new ModelDescriptor("window-known-labels", null, null, null, "Tests.KnownLabels", [
            new MethodDescriptor("Predict", "M:Tests.KnownLabels", false, false, [
                new FeatureDescriptor("plan", FeatureKind.Categorical, FeatureStorage.Label, 0, FeatureSource.Input, "string", false, maxCategories: 2, DriftMethod.Auto, double.NaN),
            ]),
        ]);
        PredictionMonitor method = ModelRegistry.Register(descriptor).Methods[0];
        var windows = new ConcurrentQueue<FeatureWindowSnapshot>();
        ModelMonitor monitor = test.Runtime.For("window-known-labels");
        monitor.WindowClosed += (_, window) => windows.Enqueue(window);
        void Record(params string?[] labels)
        {
            foreach (string? label in labels)
            {
                FeatureRow row = method.BeginRow(Stopwatch.GetTimestamp(), default(ActivityScope));
                row.SetLabel(0, label);
                row.Commit();
            }
        }

        string freshFree = new("free".AsSpan()); // equal to the literal, another instance
        Record("free", "free", "pro", "free", freshFree);
        test.Runtime.Flush();
        FeatureStatistics open = monitor.GetCurrentWindow()["plan"];
        Assert.Equal(new Dictionary<string, long> { ["free"] = 4, ["pro"] = 1 }, open.Categories);

        Record("free", "team", "team", "pro", null, "free", "free"); // "team" overflows: the limit is 2 categories
        test.Runtime.Flush();
        FeatureStatistics first = Assert.Single(windows)["plan"];
        Assert.Equal(11, first.Count);
        Assert.Equal(1, first.Missing);
        Assert.Equal(new Dictionary<string, long> { ["free"] = 7, ["pro"] = 2, [FeatureWindow.OverflowCategory] = 2 }, first.Categories);

        // The next window starts empty: its first two categories are counted exactly, "free" now overflows.
        Record("team", "pro", "free", "team", "free", "pro", "team", "team", "free", "pro", "team", "free");
        test.Runtime.Flush();
        Assert.Equal(2, windows.Count);
        FeatureStatistics second = windows.Last()["plan"];
        Assert.Equal(12, second.Count);
        Assert.Equal(new Dictionary<string, long> { ["team"] = 5, ["pro"] = 3, [FeatureWindow.OverflowCategory] = 4 }, second.Categories);
        Assert.Equal(0, monitor.MonitoringFailures);
    }

    [Fact]
    public void More_recurring_label_instances_than_the_cache_holds_are_all_counted()
    {
        // 10 literals through a cache of 8: the first 8 recur (their counts wait in the cache), then 2 more take the
        // slots of the first two, whose waiting counts must reach the profile.
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 100 });
        var model = new TestModel("window-many-known-labels");
        string[] labels = ["a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9"];
        IEnumerable<string> window = [
            .. Enumerable.Repeat(labels[..8], 5).SelectMany(l => l), "a8", "a9",
            .. Enumerable.Repeat(labels, 5).SelectMany(l => l), .. labels[..8]];
        foreach (string label in window.Concat(Enumerable.Repeat(labels, 5).SelectMany(l => l)))
        {
            model.Record(1, label, 1);
        }

        test.Runtime.Flush();

        FeatureWindowSnapshot closed = Assert.IsType<FeatureWindowSnapshot>(test.Monitor(model).LastClosedWindow);
        Assert.Equal(100, closed["region"].Count);
        Assert.All(labels, label => Assert.Equal(label is "a8" or "a9" ? 6 : 11, closed["region"].Categories[label]));
        FeatureStatistics open = test.Monitor(model).GetCurrentWindow()["region"];
        Assert.Equal(50, open.Count);
        Assert.All(labels, label => Assert.Equal(5, open.Categories[label]));
    }

    [Fact]
    public void Infinity_is_a_missing_value_with_a_counter_of_its_own_and_drift_goes_on()
    {
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 200 });
        using var metrics = new RuntimeMetrics(test.Runtime);
        var model = new TestModel("window-infinity");
        var random = new Random(3);
        model.Record(double.PositiveInfinity, "north", 1); // what 1e400 parses to
        model.Record(double.NegativeInfinity, "north", double.PositiveInfinity);
        for (int i = 0; i < 398; i++)
        {
            model.Record(random.NextDouble() * 100, "north", 1);
        }

        test.Runtime.Flush();

        ModelMonitor monitor = test.Monitor(model);
        FeatureStatistics area = Assert.IsType<FeatureWindowSnapshot>(monitor.LastClosedWindow)["area"];
        Assert.Equal(0, monitor.MonitoringFailures);
        Assert.Equal(200, area.Count); // the second window: finite values only
        Assert.NotNull(monitor.Reference);
        Assert.Equal(2, monitor.Reference!.Find("area")!.MissingCount);
        Assert.True(double.IsFinite(monitor.Reference.Find("area")!.Mean));
        ModelDriftReport report = Assert.IsType<ModelDriftReport>(monitor.LatestDrift);
        Assert.False(report["area"].Drift);
        Assert.True(double.IsFinite(report["area"].Score));
        IReadOnlyDictionary<string, double> observed = metrics.Observe();
        Assert.Equal(2, observed["ml.feature.infinite{feature=area,model=window-infinity}"]);
        Assert.Equal(1, observed["ml.feature.infinite{feature=prediction,model=window-infinity}"]);
        Assert.Equal(2, observed["ml.feature.missing{feature=area,model=window-infinity}"]);
        Assert.Equal(398, observed["ml.feature.values{feature=area,model=window-infinity}"]);
    }

    [Fact]
    public void Windows_and_references_never_keep_a_callers_object_alive()
    {
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 2 });
        var model = new TestModel("window-no-retention");
        WeakReference[] labels = [RecordFreshLabel(model, 300), RecordFreshLabel(model, 8), RecordFreshLabel(model, 40)];
        test.Runtime.Flush(); // the first window (two rows) is now the reference; the third row is in the open window

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.All(labels, label => Assert.False(label.IsAlive, "a caller's string is still referenced by monitoring"));
        Assert.Equal(3, test.Monitor(model).GetPredictionCounts().Successes);
    }

    [Fact]
    public void A_window_closes_when_its_time_is_up_on_the_runtimes_fake_clock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 1_000_000, WindowDuration = TimeSpan.FromMinutes(5), FlushInterval = TimeSpan.FromSeconds(1) }, clock);
        var model = new TestModel("window-time");
        for (int i = 0; i < 300; i++)
        {
            model.Record(i, "north", 1);
        }

        clock.Advance(TimeSpan.FromMinutes(4));
        test.Runtime.Flush();
        Assert.Null(test.Monitor(model).LastClosedWindow);

        clock.Advance(TimeSpan.FromMinutes(1));
        test.Runtime.Flush();
        FeatureWindowSnapshot closed = Assert.IsType<FeatureWindowSnapshot>(test.Monitor(model).LastClosedWindow);
        Assert.Equal(300, closed.Rows);
        Assert.Equal(TimeSpan.FromMinutes(5), closed.End - closed.Start);
        Assert.Equal(149.5, closed["area"].Mean, 9);
        Assert.Equal(0, test.Monitor(model).GetCurrentWindow().Rows);
    }

    [Fact]
    public void Rows_with_a_segment_also_fill_a_window_per_segment_with_bounded_cardinality()
    {
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 1_000, MaxSegments = 3 });
        var model = new TestModel("window-segments");
        var closed = new ConcurrentQueue<FeatureWindowSnapshot>();
        test.Monitor(model).WindowClosed += (_, window) => closed.Enqueue(window);
        foreach (string segment in new[] { "north", "south", "east", "west" })
        {
            for (int i = 0; i < 250; i++)
            {
                model.Record(i, segment, 1, segment);
            }
        }

        test.Runtime.Flush();
        test.Runtime.Folder.Run(() =>
        {
            WindowSet windows = test.Monitor(model).Windows;
            Assert.Equal(["north", "south", WindowSet.OtherSegment], windows.Segments.Select(s => s.Segment));
            Assert.Equal([250, 250, 500], windows.Segments.Select(s => s.Window!.Rows));
            return 0;
        });
        Assert.Equal(1_000, Assert.Single(closed).Rows); // the model's own window saw every row
    }

    [Fact]
    public void A_window_counts_its_calls_and_the_signals_give_its_error_rate_and_latency()
    {
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 8 });
        var model = new TestModel("window-calls");
        for (int i = 0; i < 8; i++)
        {
            if (i % 4 == 0)
            {
                model.RecordFailure(new TimeoutException());
            }

            model.Record(i, "north", 1);
        }

        test.Runtime.Flush();
        WindowCalls calls = test.Monitor(model).LastClosedWindow!.Calls;
        Assert.Equal((8, 2, 0), (calls.Successes, calls.Errors, calls.Canceled));
        Assert.Equal(0.2, calls.ErrorRate, 12);
        Assert.Equal(8, calls.SuccessLatencyBuckets.Sum());
        double p95 = calls.SuccessLatencyQuantile(0.95);
        Assert.InRange(p95, 0, 10);

        IReadOnlyList<ModelSignal> signals = test.Monitor(model).GetSignals();
        Assert.Equal(0.2, signals.Single(s => s.Name == ModelSignalNames.ErrorRate).Value, 12);
        Assert.Equal(p95, signals.Single(s => s.Name == ModelSignalNames.LatencyP95).Value);
    }

    [Fact]
    public void Latency_quantiles_interpolate_inside_a_bucket_as_histogram_quantile_does()
    {
        var calls = new WindowCalls([0.001, 0.002, 0.004]);
        for (int i = 0; i < 10; i++)
        {
            calls.Count(PredictionOutcome.Success, 0.0015); // all in (0.001, 0.002]
        }

        Assert.Equal(0.0015, calls.SuccessLatencyQuantile(0.5), 12);
        Assert.Equal(0.00195, calls.SuccessLatencyQuantile(0.95), 12);
        calls.Count(PredictionOutcome.Success, 60, calls: 90); // beyond the last boundary
        Assert.Equal(0.004, calls.SuccessLatencyQuantile(0.95));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference RecordFreshLabel(TestModel model, int length)
    {
        string label = new string('x', length) + Guid.NewGuid().ToString("N"); // long ones are truncated, short ones copied
        model.Record(1, label, 1);
        return new WeakReference(label);
    }
}

/// <summary>
/// Retention after distinct 25 MB labels, alone: it measures the process's memory, which tests running beside it
/// would move (it failed now and then when it ran in parallel with the other classes).
/// </summary>
[CollectionDefinition(nameof(HugeLabelMemoryTests), DisableParallelization = true)]
[Collection(nameof(HugeLabelMemoryTests))]
public sealed class HugeLabelMemoryTests
{
    [Fact]
    public void Distinct_huge_category_values_leave_memory_bounded()
    {
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 1_000 });
        var model = new TestModel("window-retention");
        model.Record(1, "warm-up", 1);
        test.Runtime.Flush();
        long before = GC.GetTotalMemory(forceFullCollection: true);

        var labels = new WeakReference[20];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = RecordHugeLabel(model, i); // 25 MB each: 20 of them would be 500 MB if anything kept them
        }

        test.Runtime.Flush();
        long after = GC.GetTotalMemory(forceFullCollection: true);

        Assert.All(labels, label => Assert.False(label.IsAlive, "a caller's 25 MB string is still referenced by monitoring"));

        Assert.True(after - before < 20_000_000, $"memory grew by {(after - before) / 1e6:N1} MB after 20 distinct 25 MB categories");
        IReadOnlyDictionary<string, long> regions = test.Monitor(model).GetCurrentWindow()["region"].Categories;
        Assert.All(regions.Keys, key => Assert.True(key.Length <= 256, $"a category of {key.Length} characters was kept"));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference RecordHugeLabel(TestModel model, int i)
    {
        string label = new string((char)('a' + i), 12_500_000);
        model.Record(i, label, 1);
        return new WeakReference(label);
    }
}
