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
        Assert.Equal(2, categories["[overflow]"]);
        Assert.Equal(4, categories.Count);
    }
}
