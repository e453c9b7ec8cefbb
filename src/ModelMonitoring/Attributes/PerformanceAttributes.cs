namespace ModelMonitoring;

/// <summary>
/// Marks the input parameter or property that identifies a prediction (an order id, a request id...), so that its
/// ground truth can be joined to it later with <see cref="ModelMonitor.RecordOutcome(PredictionKey, double)"/>. The value
/// may be a string, an integer or a <see cref="Guid"/>. It is not a feature: it is kept only until its outcome arrives
/// or its time to live (<see cref="ModelMonitoringOptions.OutcomeTimeToLive"/>) runs out.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field, Inherited = true, AllowMultiple = false)]
public sealed class PredictionKeyAttribute : Attribute
{
}

/// <summary>
/// Marks the property of a prediction that holds the probability of the positive label (a number in [0, 1]), for
/// ROC AUC and log loss once outcomes arrive, and for the performance estimated before they do (CBPE).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, Inherited = true, AllowMultiple = false)]
public sealed class PredictionScoreAttribute : Attribute
{
    /// <summary>The label the score is the probability of. Defaults to the greater of the two labels in ordinal order ("true" over "false", "1" over "0").</summary>
    public string? PositiveLabel { get; set; }
}

/// <summary>
/// Marks a categorical input feature (a region, a plan...) whose values split the model's windows: drift, quality and
/// performance are computed per value too, each with a <c>segment</c> tag. The number of values is bounded by
/// <see cref="ModelMonitoringOptions.MaxSegments"/>; the rest go to <c>__other__</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field, Inherited = true, AllowMultiple = false)]
public sealed class SegmentAttribute : Attribute
{
}
