using System.Diagnostics;
using ModelMonitoring.Runtime;

namespace ModelMonitoring.Tests;

/// <summary>The caller's side: recording never waits, never allocates, and stays exact when the folder falls behind.</summary>
public sealed class RecordingTests
{
    [Fact]
    public void Recording_a_row_allocates_nothing_once_the_ring_exists()
    {
        using var test = new TestRuntime();
        var model = new TestModel("recording-allocation");
        model.Record(1, "north", 1); // creates the method's ring in this runtime
        test.Runtime.Flush();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 500; i++)
        {
            model.Record(i, "north", 2);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void When_the_folder_falls_behind_rows_are_dropped_and_counted_and_counts_and_latency_stay_exact()
    {
        using var test = new TestRuntime(new ModelMonitoringOptions { RecordingCapacity = 1024, FlushInterval = TimeSpan.FromMinutes(1) });
        using var metrics = new RuntimeMetrics(test.Runtime);
        var model = new TestModel("recording-drops");
        model.Record(1, "north", 1);
        test.Runtime.Flush();

        using (test.Runtime.Folder.Pause())
        {
            RunThreads(4, _ =>
            {
                for (int i = 0; i < 1_000; i++)
                {
                    model.Record(i, "north", 1);
                }
            });
            model.RecordFailure(new TimeoutException("dropped too"));

            // Nothing was folded on the callers' threads while the folder was paused.
            Assert.Equal(1, test.Monitor(model).GetCurrentWindow().Rows);
        }

        Assert.Equal(new PredictionCounts(4_001, 1, 0), test.Monitor(model).GetPredictionCounts());
        IReadOnlyDictionary<string, double> observed = metrics.Observe();
        Assert.Equal(4_001 - 1_024, observed.Single(kv => kv.Key.StartsWith(ModelMonitoringInstruments.RowsDropped + "{", StringComparison.Ordinal) && kv.Key.Contains("model=recording-drops", StringComparison.Ordinal)).Value);
        Assert.Equal(4_001, metrics.MeasurementsOf(ModelMonitoringInstruments.PredictionDuration, "model=recording-drops", "outcome=success"));
        Assert.Equal(1, metrics.MeasurementsOf(ModelMonitoringInstruments.PredictionDuration, "model=recording-drops", "outcome=error"));
        Assert.Equal(1, metrics.SumOf(ModelMonitoringInstruments.Errors, "model=recording-drops", "exception_type=System.TimeoutException"));
        Assert.Equal(1 + 1_024, test.Monitor(model).GetCurrentWindow().Rows); // the rows that fitted were folded later, in order
    }

    [Fact]
    public void A_prediction_never_waits_for_a_blocked_folder_scrape_or_evaluation()
    {
        using var folderBlocked = new ManualResetEventSlim();
        using var releaseFolder = new ManualResetEventSlim();
        var blocker = new BlockingConsumer(folderBlocked, releaseFolder);
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 10 }, consumers: blocker);
        var model = new TestModel("recording-never-waits");
        using var evaluatorBlocked = new ManualResetEventSlim();
        using var releaseEvaluator = new ManualResetEventSlim();
        test.Monitor(model).WindowClosed += (_, _) =>
        {
            evaluatorBlocked.Set();
            releaseEvaluator.Wait();
        };

        model.Record(1, "north", 1);
        test.Runtime.Folder.Signal();
        Assert.True(folderBlocked.Wait(TimeSpan.FromSeconds(30)), "the folder never reached the blocking consumer");

        // A scrape now waits for the stuck folder (up to its timeout), on a thread of its own.
        var scrape = new Thread(() => _ = test.Monitor(model).GetPredictionCounts());
        scrape.Start();

        // Predictions go on: they neither fold nor wait for the folder, the scrape or the evaluator.
        var callers = StartThreads(4, _ =>
        {
            for (int i = 0; i < 500; i++)
            {
                model.Record(i, "north", 1);
            }
        });
        Assert.All(callers, caller => Assert.True(caller.Join(TimeSpan.FromSeconds(30)), "a prediction waited for the blocked folder"));

        blocker.BlockNext = false;
        releaseFolder.Set();
        Assert.True(evaluatorBlocked.Wait(TimeSpan.FromSeconds(30)), "no window reached the evaluator");
        var more = StartThreads(2, _ =>
        {
            for (int i = 0; i < 500; i++)
            {
                model.Record(i, "north", 1);
            }
        });
        Assert.All(more, caller => Assert.True(caller.Join(TimeSpan.FromSeconds(30)), "a prediction waited for the blocked evaluator"));
        releaseEvaluator.Set();
        scrape.Join();
        Assert.Equal(3_001, test.Monitor(model).GetPredictionCounts().Successes);
    }

    [Fact]
    public void Recording_memory_is_one_fixed_ring_per_method_whatever_the_number_of_threads()
    {
        using var test = new TestRuntime(new ModelMonitoringOptions { RecordingCapacity = 2048 });
        var model = new TestModel("recording-bounded");
        RunThreads(64, _ =>
        {
            for (int i = 0; i < 200; i++)
            {
                model.Record(i, "north", 1);
            }
        });

        MethodRecorder recorder = Assert.Single(test.Monitor(model).Recorders);
        Assert.Equal(2048, recorder.Capacity);
        Assert.Equal(2048 * recorder.NumberWidth, recorder.Numbers.Length);
        Assert.Equal(2048 * recorder.LabelWidth, recorder.Labels.Length);
        Assert.Equal(12_800, test.Monitor(model).GetPredictionCounts().Successes);
    }

    [Fact]
    public void A_failure_is_counted_and_its_exception_type_bounded_and_it_never_throws()
    {
        using var test = new TestRuntime();
        var model = new TestModel("recording-failure");
        model.RecordFailure(new TimeoutException("slow"));
        model.RecordFailure(new OperationCanceledException());
        FeatureRow failed = model.Method.BeginFailedRow(Stopwatch.GetTimestamp(), new InvalidOperationException(), default);
        failed.SkipFeatures();
        failed.Commit();

        Assert.Equal(new PredictionCounts(0, 2, 1), test.Monitor(model).GetPredictionCounts());
    }

    internal static void RunThreads(int count, Action<int> body)
    {
        foreach (Thread thread in StartThreads(count, body))
        {
            thread.Join();
        }
    }

    internal static Thread[] StartThreads(int count, Action<int> body)
    {
        Thread[] threads = Enumerable.Range(0, count).Select(i => new Thread(() => body(i))).ToArray();
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        return threads;
    }

    private sealed class BlockingConsumer(ManualResetEventSlim blocked, ManualResetEventSlim release) : IPredictionRowConsumer
    {
        public volatile bool BlockNext = true;

        public void OnRow(in PredictionRow row)
        {
            if (BlockNext)
            {
                blocked.Set();
                release.Wait();
            }
        }
    }
}
