namespace ModelMonitoring.AspNetCore;

/// <summary>
/// Where <c>MapModelMonitoring</c> maps its endpoints. A path set to <see langword="null"/> or empty is not mapped,
/// so one call can map only some endpoints (for example to give <c>/monitoring/models</c> its own authorization).
/// </summary>
public sealed class ModelMonitoringEndpointOptions
{
    /// <summary>The Prometheus scraping endpoint. Default <c>/metrics</c>.</summary>
    public string? MetricsPath { get; set; } = "/metrics";

    /// <summary>The health endpoint: every registered health check, as JSON. Default <c>/health</c>.</summary>
    public string? HealthPath { get; set; } = "/health";

    /// <summary>The liveness endpoint (Kubernetes' liveness probe): no check runs, 200 while the process answers. Default <c>/health/live</c>.</summary>
    public string? LivePath { get; set; } = "/health/live";

    /// <summary>The readiness endpoint (Kubernetes' readiness probe): 200 once the host started, 503 while it starts or stops. Default <c>/health/ready</c>.</summary>
    public string? ReadyPath { get; set; } = "/health/ready";

    /// <summary>The catalog of monitored models (names, owners, methods, features and kinds; never values), as JSON. Default <c>/monitoring/models</c>.</summary>
    public string? ModelsPath { get; set; } = "/monitoring/models";
}
