using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ModelMonitoring;
using ModelMonitoring.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps ModelMonitoring's HTTP endpoints.</summary>
public static class ModelMonitoringEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>/metrics</c> (Prometheus text format, through OpenTelemetry's Prometheus exporter), <c>/health</c>
    /// (every health check, as JSON), <c>/health/live</c> and <c>/health/ready</c> (Kubernetes' liveness and readiness
    /// probes) and <c>/monitoring/models</c> (the model catalog, as JSON).
    /// Needs <c>services.AddModelMonitoring(...)</c>.
    /// </summary>
    /// <param name="endpoints">The application (or a route group).</param>
    /// <param name="configure">Changes the paths; a path set to <see langword="null"/> is not mapped.</param>
    /// <returns>A builder for all mapped endpoints, to add conventions such as <c>RequireAuthorization</c> or <c>RequireHost</c>.</returns>
    public static IEndpointConventionBuilder MapModelMonitoring(this IEndpointRouteBuilder endpoints, Action<ModelMonitoringEndpointOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        var options = new ModelMonitoringEndpointOptions();
        configure?.Invoke(options);

        RouteGroupBuilder group = endpoints.MapGroup(string.Empty);

        if (!string.IsNullOrEmpty(options.MetricsPath))
        {
            group.MapPrometheusScrapingEndpoint(
                options.MetricsPath,
                meterProvider: null,
                configureBranchedPipeline: null,
                optionsName: null).WithDisplayName("ModelMonitoring metrics");
        }

        if (!string.IsNullOrEmpty(options.HealthPath))
        {
            group.MapHealthChecks(options.HealthPath, new HealthCheckOptions { ResponseWriter = MonitoringJson.WriteHealthAsync })
                .WithDisplayName("ModelMonitoring health");
        }

        if (!string.IsNullOrEmpty(options.LivePath))
        {
            group.MapHealthChecks(options.LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = MonitoringJson.WriteHealthAsync })
                .WithDisplayName("ModelMonitoring liveness");
        }

        if (!string.IsNullOrEmpty(options.ReadyPath))
        {
            group.MapHealthChecks(options.ReadyPath, new HealthCheckOptions
            {
                Predicate = check => check.Tags.Contains(ModelMonitoringReadinessCheck.ReadyTag),
                ResponseWriter = MonitoringJson.WriteHealthAsync,
            }).WithDisplayName("ModelMonitoring readiness");
        }

        if (!string.IsNullOrEmpty(options.ModelsPath))
        {
            group.MapGet(options.ModelsPath, MonitoringJson.WriteCatalogAsync)
                .WithDisplayName("ModelMonitoring models");
        }

        return group;
    }
}
