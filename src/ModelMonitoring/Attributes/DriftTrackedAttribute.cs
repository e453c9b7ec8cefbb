namespace ModelMonitoring;

/// <summary>
/// Marks a prediction method of a <see cref="MonitoredModelAttribute"/> type. Every call is timed, counted and
/// logged, and its input features and prediction are captured for drift detection.
/// </summary>
/// <remarks>
/// Calls in the same compilation are intercepted. A <c>partial</c> method marked with this attribute gets a
/// generated body that wraps <c>&lt;Name&gt;Core</c>, so callers compiled elsewhere are monitored as well.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class DriftTrackedAttribute : Attribute
{
}
