namespace ModelMonitoring;

/// <summary>
/// Marks the input member that identifies a prediction (an order id, a request id), so that its ground truth can be
/// joined to it later with <c>RecordOutcome</c>. The value is kept as the row's <see cref="PredictionKey"/>, not as a
/// feature: it is not profiled and takes no part in drift.
/// </summary>
/// <remarks>
/// Put it on a parameter or on a property of the request of a <see cref="DriftTrackedAttribute"/> method. Its type is
/// a <see cref="string"/>, an integer type or a <see cref="System.Guid"/> (nullable or not); one key per method. On
/// the items of a batch it is not read (the batch's rows carry no key).
/// </remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field, Inherited = true, AllowMultiple = false)]
public sealed class PredictionKeyAttribute : Attribute
{
}
