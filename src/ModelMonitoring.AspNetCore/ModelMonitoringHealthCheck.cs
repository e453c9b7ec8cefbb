using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ModelMonitoring.AspNetCore;

/// <summary>
/// Reports whether monitoring works: <see cref="HealthStatus.Healthy"/> while it runs,
/// <see cref="HealthStatus.Degraded"/> when failures inside monitoring (<c>ml.monitoring.failures</c>) were seen in the
/// last <see cref="RecentFailureWindow"/>. Predictions are never affected by those failures; the check says that the
/// numbers may be incomplete. Its data: <c>models</c>, <c>predictions</c>, <c>errors</c> and <c>failures</c>.
/// </summary>
public sealed class ModelMonitoringHealthCheck(ModelMonitoringRuntime runtime) : IHealthCheck
{
    /// <summary>The name (and tag) the check is registered with.</summary>
    public const string Name = "model_monitoring";

    /// <summary>How long the check stays degraded after the last monitoring failure it saw.</summary>
    public static readonly TimeSpan RecentFailureWindow = TimeSpan.FromMinutes(5);

    private readonly object _lock = new();
    private long _failuresSeen;
    private DateTimeOffset? _lastFailureSeenAt;

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        IReadOnlyCollection<ModelMonitor> monitors = runtime.Models;
        long successes = 0, errors = 0, canceled = 0, failures = 0;
        foreach (ModelMonitor monitor in monitors)
        {
            PredictionCounts counts = monitor.GetPredictionCounts();
            successes += counts.Successes;
            errors += counts.Errors;
            canceled += counts.Canceled;
            failures += monitor.MonitoringFailures;
        }

        DateTimeOffset now = runtime.TimeProvider.GetUtcNow();
        DateTimeOffset? lastFailure;
        lock (_lock)
        {
            if (failures > _failuresSeen)
            {
                _failuresSeen = failures;
                _lastFailureSeenAt = now;
            }

            lastFailure = _lastFailureSeenAt;
        }

        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["models"] = monitors.Select(m => m.Name).Distinct(StringComparer.Ordinal).ToArray(),
            ["predictions"] = successes + errors + canceled,
            ["errors"] = errors,
            ["failures"] = failures,
            ["enabled"] = runtime.Options.Enabled,
        };

        HealthCheckResult result;
        if (lastFailure is { } seenAt && now - seenAt < RecentFailureWindow)
        {
            result = HealthCheckResult.Degraded(
                $"Monitoring failed {failures} time(s) so far, the last seen at {seenAt:O}: predictions are served, but their metrics may be incomplete. See the 'ModelMonitoring' logs.",
                data: data);
        }
        else if (!runtime.Options.Enabled)
        {
            result = HealthCheckResult.Healthy("Monitoring is disabled by configuration (ModelMonitoring:Enabled = false).", data);
        }
        else
        {
            result = HealthCheckResult.Healthy($"Monitoring {monitors.Count} model(s).", data);
        }

        return Task.FromResult(result);
    }
}
