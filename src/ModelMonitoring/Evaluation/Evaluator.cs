using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using ModelMonitoring.Statistics;

namespace ModelMonitoring;

/// <summary>
/// The runtime's evaluator: one background thread that takes the windows the folder closed, compares each with its
/// reference, and publishes the results (the model's latest window and drift, logs, the drift gauges and the
/// <see cref="ModelMonitor.WindowClosed"/> and <see cref="ModelMonitor.DriftEvaluated"/> events). A slow evaluation or
/// event handler therefore never delays folding, a scrape or a prediction.
/// </summary>
internal sealed class Evaluator : IDisposable
{
    private const int MaxSpareProfileSets = 2;
    private static readonly TimeSpan s_idleTimeout = TimeSpan.FromSeconds(30);
    private readonly ModelMonitoringRuntime _runtime;
    private readonly ConcurrentQueue<ClosedWindow> _queue = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly object _idle = new();
    private Thread? _thread;
    private int _pending;
    private volatile bool _stopping;

    public Evaluator(ModelMonitoringRuntime runtime) => _runtime = runtime;

    private bool IsEvaluatorThread => ReferenceEquals(Thread.CurrentThread, _thread);

    public void Enqueue(ClosedWindow window)
    {
        Interlocked.Increment(ref _pending);
        _queue.Enqueue(window);
        if (_stopping)
        {
            Drain();
            return;
        }

        EnsureStarted();
        _wake.Set();
    }

    /// <summary>Waits (up to 30 s) until every window queued so far is published. Returns at once on the evaluator thread.</summary>
    public void WaitUntilIdle()
    {
        if (IsEvaluatorThread)
        {
            return;
        }

        if (_thread is null || _stopping)
        {
            Drain();
            return;
        }

        DateTime deadline = DateTime.UtcNow + s_idleTimeout;
        lock (_idle)
        {
            while (Volatile.Read(ref _pending) > 0)
            {
                TimeSpan left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !Monitor.Wait(_idle, left))
                {
                    return;
                }
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _wake.Set();
        Thread? thread = _thread;
        if (thread is not null && !IsEvaluatorThread)
        {
            thread.Join(s_idleTimeout);
        }

        Drain();
    }

    private void EnsureStarted()
    {
        if (_thread is not null)
        {
            return;
        }

        lock (_idle)
        {
            if (_thread is null && !_stopping)
            {
                _thread = new Thread(Loop) { IsBackground = true, Name = "ModelMonitoring evaluator" };
                _thread.Start();
            }
        }
    }

    private void Loop()
    {
        while (!_stopping)
        {
            _wake.WaitOne();
            Drain();
        }
    }

    private void Drain()
    {
        lock (_queue)
        {
            while (_queue.TryDequeue(out ClosedWindow? window))
            {
                try
                {
                    Publish(window);
                }
                finally
                {
                    Interlocked.Decrement(ref _pending);
                    lock (_idle)
                    {
                        Monitor.PulseAll(_idle);
                    }
                }
            }
        }
    }

    private void Publish(ClosedWindow closed)
    {
        ModelMonitor model = closed.Model;
        FeatureWindowSnapshot window = closed.Window;
        ILogger logger = _runtime.Logger;
        try
        {
            if (closed.BecameReference)
            {
                if (logger.IsEnabled(LogLevel.Information))
                {
                    using (logger.BeginScope(model.LogScope))
                    {
                        MonitoringLog.ReferenceFromFirstWindow(logger, model.Name, window.Rows);
                    }
                }
            }
            else if (closed.Reference is { } reference && window.Segment.Length == 0)
            {
                PublishDrift(model, window, reference, logger);
            }
        }
        catch (Exception exception)
        {
            model.RecordMonitoringFailure(MonitoringStage.Evaluate, exception);
        }
        finally
        {
            Recycle(closed);
        }

        try
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                using (logger.BeginScope(model.LogScope))
                {
                    MonitoringLog.WindowClosed(logger, model.Name, window.Rows, window.Start, window.End);
                }
            }

            model.PublishClosedWindow(window);
        }
        catch (Exception exception)
        {
            model.RecordMonitoringFailure(MonitoringStage.Publish, exception);
        }
    }

    private void PublishDrift(ModelMonitor model, FeatureWindowSnapshot window, Sketches.BaselineProfile reference, ILogger logger)
    {
        ModelDriftReport? report = DriftEvaluation.Evaluate(model, window, reference, _runtime.OptionsSnapshot);
        if (report is null)
        {
            return;
        }

        string drifted = string.Join(", ", report.Features.Columns.Concat(report.Prediction.Columns).Where(c => c.Drift).Select(c => $"{c.Name} ({c.MethodName} {c.Score:G4})"));
        using (logger.BeginScope(model.LogScope))
        {
            if (report.Drift || report.PredictionDrift)
            {
                MonitoringLog.DriftDetected(logger, model.Name, report.Features.DriftedColumns, report.Features.ColumnCount, report.Features.Share, report.PredictionDrift, report.Rows, drifted);
            }
            else if (logger.IsEnabled(LogLevel.Information))
            {
                MonitoringLog.NoDrift(logger, model.Name, report.Features.DriftedColumns, report.Features.ColumnCount, report.Features.Share, report.Rows);
            }
        }

        try
        {
            model.PublishDrift(report);
        }
        catch (Exception exception)
        {
            model.RecordMonitoringFailure(MonitoringStage.Publish, exception); // a DriftEvaluated handler threw
        }
    }

    /// <summary>Hands the window's profiles back for the next window, unless they became the reference.</summary>
    private static void Recycle(ClosedWindow closed)
    {
        FeatureWindowSnapshot window = closed.Window;
        if (window.Profiles is { } profiles && !closed.BecameReference && closed.State.SpareProfiles.Count < MaxSpareProfileSets)
        {
            closed.State.SpareProfiles.Enqueue((window.ProfilesReference, [.. profiles]));
        }

        window.Profiles = null; // the published snapshot does not keep sketches alive
        window.ProfilesReference = null;
    }
}
