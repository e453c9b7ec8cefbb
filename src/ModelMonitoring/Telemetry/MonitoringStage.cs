namespace ModelMonitoring;

/// <summary>Where a failure inside monitoring happened: the <c>stage</c> tag of <c>ml.monitoring.failures</c>.</summary>
public enum MonitoringStage
{
    /// <summary>Recording a call on the caller's thread.</summary>
    Record,

    /// <summary>Reading a feature value (for example a property getter threw).</summary>
    Capture,

    /// <summary>Starting, tagging or stopping the call's activity.</summary>
    Activity,

    /// <summary>Writing a log entry.</summary>
    Log,

    /// <summary>Folding a recorded row into counts, instruments and windows.</summary>
    Fold,

    /// <summary>A row consumer (<see cref="IPredictionRowConsumer"/>) threw.</summary>
    Consume,

    /// <summary>Comparing a closed window with the reference.</summary>
    Evaluate,

    /// <summary>Publishing results: instruments, logs and the events of <see cref="ModelMonitor"/>.</summary>
    Publish,

    /// <summary>Loading or applying a baseline.</summary>
    Baseline,
}
