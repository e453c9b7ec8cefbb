using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelMonitoring;
using ModelMonitoring.Alerts;

namespace Microsoft.AspNetCore.Builder
{
    /// <summary>The alerting endpoints.</summary>
    public static class AlertingEndpointRouteBuilderExtensions
    {
        /// <summary>
        /// Maps, under <paramref name="prefix"/> (default <c>/monitoring</c>): <c>GET alerts</c> (the alerts firing and
        /// pending, with their labels, annotations and values; the silences; each notifier's counts, never its URL or
        /// credentials), <c>GET prometheus-rules.yml</c>, <c>GET grafana-dashboard.json</c> and
        /// <c>GET alertmanager-config.yml</c>, generated from the catalog and the alerting options in force.
        /// Needs <c>AddAlerting</c>.
        /// </summary>
        /// <returns>The group of the endpoints, to add conventions (authorization...) to.</returns>
        public static RouteGroupBuilder MapModelMonitoringAlerts(this IEndpointRouteBuilder endpoints, string prefix = "/monitoring")
        {
            ArgumentNullException.ThrowIfNull(endpoints);
            RouteGroupBuilder group = endpoints.MapGroup(prefix);
            group.MapGet("/alerts", (AlertEngine engine) => Results.Text(ModelMonitoring.Alerting.AlertingPages.AlertsJson(engine), "application/json"));
            group.MapGet("/prometheus-rules.yml", (AlertEngine engine) =>
                Results.Text(AlertExports.PrometheusRules(ModelCatalog.Models, engine.Options, engine.Rules.Where(r => !IsOwn(engine, r))), "application/yaml"));
            group.MapGet("/grafana-dashboard.json", () => Results.Text(AlertExports.GrafanaDashboard(ModelCatalog.Models), "application/json"));
            group.MapGet("/alertmanager-config.yml", () => Results.Text(AlertExports.AlertmanagerConfig(), "application/yaml"));
            return group;
        }

        // The rules of the options are written by PrometheusRules itself from the options; only the others are passed.
        private static bool IsOwn(AlertEngine engine, AlertRule rule)
        {
            AlertingOptions options = engine.Options;
            return options.DefaultRules().Concat(options.ConfiguredRules()).Any(r => r.Name == rule.Name);
        }
    }
}

namespace ModelMonitoring.Alerting
{
    /// <summary>The JSON of <c>GET /monitoring/alerts</c>.</summary>
    internal static class AlertingPages
    {
        public static string AlertsJson(AlertEngine engine)
        {
            string Time(DateTimeOffset? t) => t?.ToString("O", CultureInfo.InvariantCulture) ?? string.Empty;
            var alerts = new JsonArray(engine.GetAlerts().Select(a => (JsonNode)new JsonObject
            {
                ["name"] = a.Name,
                ["state"] = a.State.ToString().ToLowerInvariant(),
                ["severity"] = a.Severity.ToString().ToLowerInvariant(),
                ["model"] = a.Model,
                ["value"] = double.IsFinite(a.Value) ? a.Value : null,
                ["threshold"] = a.Threshold,
                ["silenced"] = a.IsSilenced,
                ["activeAt"] = Time(a.ActiveAt),
                ["firedAt"] = a.FiredAt is null ? null : Time(a.FiredAt),
                ["labels"] = Object(a.Labels),
                ["annotations"] = Object(a.Annotations),
                ["fingerprint"] = a.Fingerprint,
            }).ToArray());
            var silences = new JsonArray(engine.Silences.Select(s => (JsonNode)new JsonObject
            {
                ["id"] = s.Id,
                ["matchers"] = new JsonArray(s.Matchers.Select(m => (JsonNode)JsonValue.Create(m.ToString())!).ToArray()),
                ["startsAt"] = Time(s.StartsAt),
                ["endsAt"] = Time(s.EndsAt),
                ["comment"] = s.Comment,
            }).ToArray());
            var notifiers = new JsonArray(engine.GetDeliveryCounts().Select(c => (JsonNode)new JsonObject
            {
                ["notifier"] = c.Notifier,
                ["sent"] = c.Sent,
                ["failed"] = c.Failed,
                ["dropped"] = c.Dropped,
                ["pending"] = c.Pending,
            }).ToArray());
            return new JsonObject { ["alerts"] = alerts, ["silences"] = silences, ["notifiers"] = notifiers }.ToJsonString() + "\n";
        }

        private static JsonObject Object(IReadOnlyDictionary<string, string> values)
        {
            var json = new JsonObject();
            foreach ((string name, string value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                json[name] = value;
            }

            return json;
        }
    }
}
