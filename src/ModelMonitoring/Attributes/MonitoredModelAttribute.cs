namespace ModelMonitoring;

/// <summary>
/// Marks a class as a machine-learning model whose <see cref="DriftTrackedAttribute"/> methods are monitored.
/// The ModelMonitoring source generator emits the monitoring code at compile time.
/// </summary>
/// <remarks>
/// The name becomes the <c>model</c> tag of every metric, so it must be a valid label value:
/// lower case, starting with a letter, then letters, digits, <c>_</c>, <c>.</c> or <c>-</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false, AllowMultiple = false)]
public sealed class MonitoredModelAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="name">The model's name as it appears in metrics, logs and alerts, for example <c>pricing</c>.</param>
    public MonitoredModelAttribute(string name) => Name = name;

    /// <summary>The model's name as it appears in metrics, logs and alerts.</summary>
    public string Name { get; }

    /// <summary>The person responsible for the model; carried in log scopes and the model catalog.</summary>
    public string? Owner { get; set; }

    /// <summary>The team responsible for the model; carried in log scopes and the model catalog.</summary>
    public string? Squad { get; set; }

    /// <summary>The model's version; exported as the <c>model_version</c> tag.</summary>
    public string? Version { get; set; }

    /// <summary>
    /// When the model was trained: an ISO 8601 date or date and time, for example <c>"2026-11-20"</c> or
    /// <c>"2026-11-20T14:00:00Z"</c>. Reported by <c>/health</c> next to the model's windows and drift.
    /// </summary>
    public string? TrainedAt { get; set; }
}
