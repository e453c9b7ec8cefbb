using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.AspNetCore;

/// <summary>Thresholds of <see cref="ModelMonitoringHealthCheck"/>, bound from <c>ModelMonitoring:Health</c>.</summary>
public sealed class ModelMonitoringHealthOptions
{
    /// <summary>A model whose error rate over its last window is above this share (0 to 1) is unhealthy. Default 0.5.</summary>
    public double ErrorRateThreshold { get; set; } = 0.5;

    /// <summary>Calls a window needs before its error rate counts. Default 20.</summary>
    public int MinimumCalls { get; set; } = 20;

    /// <summary>How long the check stays degraded after it saw a monitoring failure or a dropped record. Default 5 minutes.</summary>
    public TimeSpan DegradedFor { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Reports, per model: loaded, predictions and errors, the windows seen, the last prediction time, the error rate of
/// the last window, the last drift result and the training date; and the counts of every <see cref="IMonitoringSink"/>
/// (capture, Datadog delivery, console logs). Its status:
/// <list type="bullet">
/// <item><see cref="HealthStatus.Unhealthy"/> when a model's error rate over its last window (the open one once it
/// has <see cref="ModelMonitoringHealthOptions.MinimumCalls"/> calls, else the last closed one) exceeds
/// <see cref="ModelMonitoringHealthOptions.ErrorRateThreshold"/>;</item>
/// <item><see cref="HealthStatus.Degraded"/> when a model's last window drifted (inputs or prediction), when a sink
/// dropped records, or when monitoring itself failed (<c>ml.monitoring.failures</c>), in the last
/// <see cref="ModelMonitoringHealthOptions.DegradedFor"/>;</item>
/// <item><see cref="HealthStatus.Healthy"/> otherwise.</item>
/// </list>
/// </summary>
public sealed class ModelMonitoringHealthCheck : IHealthCheck
{
    /// <summary>The name (and tag) the check is registered with.</summary>
    public const string Name = "model_monitoring";

    /// <summary>How long the check stays degraded after the last monitoring failure it saw, by default.</summary>
    public static readonly TimeSpan RecentFailureWindow = TimeSpan.FromMinutes(5);

    private readonly object _lock = new();
    private readonly ModelMonitoringRuntime _runtime;
    private readonly ModelActivityTracker? _activity;
    private readonly IMonitoringSink[] _sinks;
    private readonly ModelMonitoringHealthOptions _options;
    private readonly Dictionary<string, (long Dropped, DateTimeOffset SeenAt)> _drops = new(StringComparer.Ordinal);
    private long _failuresSeen;
    private DateTimeOffset? _lastFailureSeenAt;

    /// <summary>A check of a runtime, with what the host registered beside it.</summary>
    /// <param name="runtime">The runtime whose models are reported.</param>
    /// <param name="activity">The tracker of last predictions, windows and error rates; null: not reported.</param>
    /// <param name="sinks">The outputs whose drops are reported.</param>
    /// <param name="options">The thresholds; null: the defaults.</param>
    public ModelMonitoringHealthCheck(ModelMonitoringRuntime runtime, ModelActivityTracker? activity = null, IEnumerable<IMonitoringSink>? sinks = null, ModelMonitoringHealthOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        _runtime = runtime;
        _activity = activity;
        _sinks = sinks?.ToArray() ?? [];
        _options = options ?? new ModelMonitoringHealthOptions();
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        IReadOnlyCollection<ModelMonitor> monitors = _runtime.Models;
        DateTimeOffset now = _runtime.TimeProvider.GetUtcNow();
        long successes = 0, errors = 0, canceled = 0, failures = 0;
        var unhealthy = new List<string>();
        var degraded = new List<string>();
        var models = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (ModelMonitor monitor in monitors)
        {
            PredictionCounts counts = monitor.GetPredictionCounts();
            successes += counts.Successes;
            errors += counts.Errors;
            canceled += counts.Canceled;
            failures += monitor.MonitoringFailures;
            models[monitor.Name] = DescribeModel(monitor, counts, unhealthy, degraded);
        }

        lock (_lock)
        {
            if (failures > _failuresSeen)
            {
                _failuresSeen = failures;
                _lastFailureSeenAt = now;
            }

            if (_lastFailureSeenAt is { } seenAt && now - seenAt < _options.DegradedFor)
            {
                degraded.Add($"Monitoring failed {failures} time(s) so far, the last seen at {seenAt:O}: predictions are served, but their metrics may be incomplete. See the 'ModelMonitoring' logs");
            }
        }

        var sinks = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (IMonitoringSink sink in _sinks)
        {
            MonitoringSinkStatus status = sink.Status;
            sinks[sink.Name] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["delivered"] = status.Delivered,
                ["dropped"] = status.Dropped,
                ["pending"] = status.Pending,
                ["last_error"] = status.LastError,
            };
            if (Dropping(sink.Name, status.Dropped, now))
            {
                degraded.Add($"{sink.Name} dropped {status.Dropped} record(s) so far{(status.LastError is null ? string.Empty : " (" + status.LastError + ")")}");
            }
        }

        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["enabled"] = _runtime.Options.Enabled,
            ["predictions"] = successes + errors + canceled,
            ["errors"] = errors,
            ["failures"] = failures,
            ["models"] = models,
            ["sinks"] = sinks,
        };

        HealthCheckResult result;
        if (unhealthy.Count > 0)
        {
            result = HealthCheckResult.Unhealthy(string.Join("; ", unhealthy.Concat(degraded)) + ".", data: data);
        }
        else if (degraded.Count > 0)
        {
            result = HealthCheckResult.Degraded(string.Join("; ", degraded) + ".", data: data);
        }
        else if (!_runtime.Options.Enabled)
        {
            result = HealthCheckResult.Healthy("Monitoring is disabled by configuration (ModelMonitoring:Enabled = false).", data);
        }
        else
        {
            result = HealthCheckResult.Healthy($"Monitoring {monitors.Count} model(s).", data);
        }

        return Task.FromResult(result);
    }

    private Dictionary<string, object?> DescribeModel(ModelMonitor monitor, PredictionCounts counts, List<string> unhealthy, List<string> degraded)
    {
        ModelActivity activity = _activity?.Of(monitor) ?? default;
        (long? calls, long? failed) = activity.OpenWindowCalls >= _options.MinimumCalls
            ? (activity.OpenWindowCalls, activity.OpenWindowErrors)
            : activity.LastWindowCalls >= _options.MinimumCalls ? (activity.LastWindowCalls, activity.LastWindowErrors) : (null, null);
        double? errorRate = calls is > 0 ? (double)failed!.Value / calls.Value : null;
        if (errorRate > _options.ErrorRateThreshold)
        {
            unhealthy.Add(string.Create(CultureInfo.InvariantCulture, $"Model {monitor.Name} failed {failed} of its last {calls} calls ({errorRate * 100:0}%, threshold {_options.ErrorRateThreshold * 100:0.##}%)"));
        }

        ModelDriftReport? drift = monitor.LatestDrift;
        if (drift is { Drift: true } or { PredictionDrift: true })
        {
            string what = drift.Drift && drift.PredictionDrift ? "inputs and prediction" : drift.Drift ? "inputs" : "prediction";
            degraded.Add(string.Create(CultureInfo.InvariantCulture, $"Model {monitor.Name} drifted ({what}) in the window ending {drift.WindowEnd:O}"));
        }

        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["loaded"] = true,
            ["version"] = monitor.Descriptor.Version,
            ["trained_at"] = monitor.Descriptor.TrainedAt,
            ["predictions"] = counts.Total,
            ["errors"] = counts.Errors,
            ["windows"] = activity.WindowsClosed,
            ["last_prediction"] = activity.LastPrediction?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["error_rate"] = errorRate,
            ["last_drift"] = drift is null ? null : new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["window_end"] = drift.WindowEnd.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                ["rows"] = drift.Rows,
                ["drift"] = drift.Drift,
                ["drift_share"] = drift.Features.Share,
                ["prediction_drift"] = drift.PredictionDrift,
                ["drifted_features"] = drift.Features.Columns.Concat(drift.Prediction.Columns).Where(c => c.Drift).Select(c => c.Name).ToArray(),
            },
        };
    }

    private bool Dropping(string sink, long dropped, DateTimeOffset now)
    {
        lock (_lock)
        {
            (long Dropped, DateTimeOffset SeenAt) seen = _drops.GetValueOrDefault(sink);
            if (dropped > seen.Dropped)
            {
                _drops[sink] = seen = (dropped, now);
            }

            return seen.Dropped > 0 && now - seen.SeenAt < _options.DegradedFor;
        }
    }
}
