using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ModelMonitoring.AspNetCore;

/// <summary>
/// Where the host is in its life, as <see cref="ModelMonitoringStartup"/> sees it: started once every hosted service
/// started, stopping as soon as the host begins to stop.
/// </summary>
internal sealed class ModelMonitoringLifecycle
{
    private volatile int _state; // 0 starting, 1 started, 2 stopping

    public bool IsReady => _state == 1;

    public string State => _state switch { 0 => "starting", 1 => "started", _ => "stopping" };

    public void Started() => _state = 1;

    public void Stopping() => _state = 2;
}

/// <summary>
/// The readiness check of <c>/health/ready</c> (Kubernetes' readiness probe): healthy once the host has started (the
/// options are valid, the baselines loaded, the runtime running), unhealthy while it starts or after it began to
/// stop, so that traffic goes elsewhere. <c>/health/live</c> runs no check: the process answers, so it lives.
/// </summary>
public sealed class ModelMonitoringReadinessCheck : IHealthCheck
{
    /// <summary>The name the check is registered with.</summary>
    public const string Name = "model_monitoring_ready";

    /// <summary>The tag of the checks <c>/health/ready</c> runs.</summary>
    public const string ReadyTag = "ready";

    private readonly ModelMonitoringLifecycle _lifecycle;
    private readonly ModelMonitoringRuntime _runtime;

    internal ModelMonitoringReadinessCheck(ModelMonitoringLifecycle lifecycle, ModelMonitoringRuntime runtime)
    {
        _lifecycle = lifecycle;
        _runtime = runtime;
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["host"] = _lifecycle.State,
            ["models"] = _runtime.Models.Count,
        };
        return Task.FromResult(_lifecycle.IsReady
            ? HealthCheckResult.Healthy("Ready: the host started and monitors its models.", data)
            : HealthCheckResult.Unhealthy($"Not ready: the host is {_lifecycle.State}.", data: data));
    }
}
