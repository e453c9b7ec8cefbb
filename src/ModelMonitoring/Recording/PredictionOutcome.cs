namespace ModelMonitoring;

/// <summary>How a prediction ended: the <c>outcome</c> tag of the prediction metrics.</summary>
public enum PredictionOutcome : byte
{
    /// <summary>The model returned a prediction.</summary>
    Success = 0,

    /// <summary>The model threw an exception other than a cancellation.</summary>
    Error = 1,

    /// <summary>The call was canceled with an <see cref="OperationCanceledException"/>.</summary>
    Canceled = 2,
}
