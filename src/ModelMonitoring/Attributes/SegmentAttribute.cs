namespace ModelMonitoring;

/// <summary>
/// Marks the input feature whose value is the row's segment (a region, a customer tier): windows, drift and
/// performance are then kept per segment as well as for the whole model, with at most
/// <c>ModelMonitoringOptions.MaxSegments</c> segments (the rest share <c>__other__</c>).
/// </summary>
/// <remarks>
/// The member stays a feature of its own. Strings, enums and bools segment without allocating; a number is turned
/// into its invariant text (small integers without allocating). One segment per method; the items of a batch are
/// not segmented.
/// </remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field, Inherited = true, AllowMultiple = false)]
public sealed class SegmentAttribute : Attribute
{
}
