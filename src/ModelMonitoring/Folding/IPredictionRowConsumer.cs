namespace ModelMonitoring;

/// <summary>
/// Receives every recorded prediction row of a runtime, in arrival order, on the runtime's folder thread (never on
/// the caller's). Register implementations in dependency injection (<c>services.AddSingleton&lt;IPredictionRowConsumer, T&gt;()</c>)
/// or pass them to <see cref="ModelMonitoringRuntime"/>'s constructor; they are called in registration order, after the
/// runtime's own window profiles. A consumer that throws is counted in <c>ml.monitoring.failures</c>
/// (stage <c>consume</c>) and the next consumers still get the row.
/// </summary>
/// <remarks>
/// Keep <see cref="OnRow"/> fast and non-blocking: every model's rows pass through the same folder. The row is a view
/// over the recording ring, valid only during the call; copy what you keep.
/// </remarks>
public interface IPredictionRowConsumer
{
    /// <summary>Takes one row: a call (success, error or cancellation) or a further item of a batch.</summary>
    void OnRow(in PredictionRow row);

    /// <summary>
    /// Called on the folder thread when one of a model's windows closes, right after the row that closed it (or at the
    /// time limit), so that per-window figures line up with the runtime's windows. Does nothing by default.
    /// </summary>
    void OnWindowClosed(ModelMonitor model, FeatureWindowSnapshot window)
    {
    }
}
