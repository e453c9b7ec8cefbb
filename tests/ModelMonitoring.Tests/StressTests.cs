using System.Collections.Concurrent;

namespace ModelMonitoring.Tests;

/// <summary>Eight threads record while scrapes, references and window closes run: the invariants hold exactly.</summary>
public sealed class StressTests
{
    [Fact]
    public void Counts_window_sizes_and_rows_are_exact_while_everything_runs_at_once()
    {
        const int Threads = 8;
        const int RowsPerThread = 25_000;
        const int WindowSize = 1_000;
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = WindowSize, RecordingCapacity = 1 << 15 });
        using var metrics = new RuntimeMetrics(test.Runtime);
        var model = new TestModel("stress");
        ModelMonitor monitor = test.Monitor(model);
        var byCount = new ConcurrentQueue<FeatureWindowSnapshot>();
        var closedExplicitly = new ConcurrentDictionary<FeatureWindowSnapshot, byte>(ReferenceEqualityComparer.Instance);
        var allClosed = new ConcurrentQueue<FeatureWindowSnapshot>();
        var errors = new ConcurrentQueue<Exception>();
        monitor.WindowClosed += (_, window) => allClosed.Enqueue(window);
        using var stop = new CancellationTokenSource();

        Thread[] background =
        [
            Background(() => { _ = metrics.Observe(); _ = monitor.GetPredictionCounts(); }),
            Background(() => monitor.SetReference(ReferenceTests.Baseline("stress", seed: 9))),
            Background(() => { closedExplicitly[monitor.CloseWindow()] = 0; Thread.Sleep(5); }),
        ];
        RecordingTests.RunThreads(Threads, thread =>
        {
            var random = new Random(thread);
            for (int i = 0; i < RowsPerThread; i++)
            {
                model.Record(random.NextDouble() * 100, thread % 2 == 0 ? "north" : "south", 1);
            }
        });
        stop.Cancel();
        foreach (Thread thread in background)
        {
            thread.Join();
        }

        test.Runtime.Flush();

        Assert.Empty(errors);
        Assert.Equal(0, monitor.MonitoringFailures);
        const long Recorded = Threads * RowsPerThread;
        Assert.Equal(Recorded, monitor.GetPredictionCounts().Successes);
        Assert.Equal(Recorded, metrics.Observe()["ml.model.predictions{method=Predict,model=stress,model_version=1.0,outcome=success}"]);
        Assert.Equal(Recorded, metrics.MeasurementsOf(ModelMonitoringInstruments.PredictionDuration, "model=stress", "outcome=success"));

        // Windows closed by count hold exactly WindowSize rows; explicit closes hold at most that.
        foreach (FeatureWindowSnapshot window in allClosed)
        {
            if (closedExplicitly.ContainsKey(window))
            {
                Assert.InRange(window.Rows, 0, WindowSize);
            }
            else
            {
                Assert.Equal(WindowSize, window.Rows);
            }
        }

        // No row counted twice, none lost: every row is in exactly one window, or was dropped (and counted).
        long dropped = monitor.Recorders.Sum(r => r.Dropped.Rows);
        Assert.Equal(Recorded, allClosed.Sum(w => w.Rows) + monitor.GetCurrentWindow().Rows + dropped);
        Assert.Equal(Recorded - dropped, metrics.Observe()["ml.feature.values{feature=area,model=stress}"]);

        Thread Background(Action work)
        {
            var thread = new Thread(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        work();
                    }
                    catch (Exception exception)
                    {
                        errors.Enqueue(exception);
                        return;
                    }
                }
            });
            thread.Start();
            return thread;
        }
    }
}
