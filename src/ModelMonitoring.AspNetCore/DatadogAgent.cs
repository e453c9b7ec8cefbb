using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelMonitoring;
using ModelMonitoring.AspNetCore;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ModelMonitoring.AspNetCore
{
    /// <summary>
    /// Where and how <c>UseDatadogAgent()</c> sends metrics and traces: OTLP to the Datadog Agent (or any collector),
    /// with delta temporality as Datadog recommends.
    /// </summary>
    public sealed class DatadogAgentOptions
    {
        /// <summary>The agent's host. Default: <c>DD_AGENT_HOST</c>, else <c>localhost</c>.</summary>
        public string? Host { get; set; }

        /// <summary>OTLP over HTTP/protobuf (port 4318, the default) or gRPC (port 4317).</summary>
        public OtlpExportProtocol Protocol { get; set; } = OtlpExportProtocol.HttpProtobuf;

        /// <summary>The agent's OTLP port; 0 (the default) means 4318 for HTTP and 4317 for gRPC.</summary>
        public int Port { get; set; }

        /// <summary>
        /// The collector's base address (for example <c>http://otel-collector:4318</c>), instead of host and port.
        /// With HTTP, <c>/v1/metrics</c> and <c>/v1/traces</c> are appended.
        /// </summary>
        public Uri? Endpoint { get; set; }

        /// <summary>How often metrics are exported. Default 10 s.</summary>
        public TimeSpan ExportInterval { get; set; } = TimeSpan.FromSeconds(10);

        internal Uri BaseAddress(Func<string, string?> variable)
        {
            if (Endpoint is not null)
            {
                return Endpoint;
            }

            string host = Host ?? variable("DD_AGENT_HOST") ?? "localhost";
            int port = Port != 0 ? Port : Protocol == OtlpExportProtocol.Grpc ? 4317 : 4318;
            return new UriBuilder(Uri.UriSchemeHttp, host, port).Uri;
        }
    }

    /// <summary>
    /// The OTLP exporters ModelMonitoring adds, once per service collection: when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is
    /// set (the SDK then reads its own variables), or when <c>UseDatadogAgent()</c> asks. The exporters' callbacks run
    /// when the providers are built, so a later <c>UseDatadogAgent()</c> still shapes an exporter added earlier.
    /// </summary>
    internal sealed class OtlpSettings
    {
        public const string ExporterName = "ModelMonitoring";

        public bool Registered { get; set; }

        public DatadogAgentOptions? Agent { get; set; }

        public Func<string, string?> Variable { get; set; } = Environment.GetEnvironmentVariable;

        /// <summary>Whether the OpenTelemetry SDK's own variables name an endpoint: they then win over the agent's address.</summary>
        public bool EndpointFromVariables(string signal) =>
            !string.IsNullOrWhiteSpace(Variable("OTEL_EXPORTER_OTLP_ENDPOINT")) || !string.IsNullOrWhiteSpace(Variable($"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT"));

        public static OtlpSettings Of(IServiceCollection services)
        {
            if (services.FirstOrDefault(d => d.ServiceType == typeof(OtlpSettings))?.ImplementationInstance is OtlpSettings existing)
            {
                return existing;
            }

            var settings = new OtlpSettings();
            services.AddSingleton(settings);
            return settings;
        }

        public static Func<string, string?> Variables(IConfiguration? configuration) =>
            configuration is null ? Environment.GetEnvironmentVariable : key => configuration[key] ?? Environment.GetEnvironmentVariable(key);

        /// <summary>Adds the OTLP metric and trace exporters, once.</summary>
        public void Register(IServiceCollection services)
        {
            if (Registered)
            {
                return;
            }

            Registered = true;
            services.AddOpenTelemetry()
                .WithMetrics(metrics => metrics.AddOtlpExporter(ExporterName, ConfigureMetrics))
                .WithTracing(tracing => tracing
                    .AddModelMonitoring()
                    .AddAspNetCoreInstrumentation()
                    .AddOtlpExporter(ExporterName, ConfigureTraces));
        }

        private void ConfigureMetrics(OtlpExporterOptions exporter, MetricReaderOptions reader)
        {
            if (Agent is not { } agent)
            {
                return; // the SDK's variables say it all
            }

            reader.TemporalityPreference = MetricReaderTemporalityPreference.Delta;
            reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)Math.Max(1, agent.ExportInterval.TotalMilliseconds);
            if (!EndpointFromVariables("METRICS"))
            {
                exporter.Protocol = agent.Protocol;
                exporter.Endpoint = Signal(agent, "v1/metrics");
            }
        }

        private void ConfigureTraces(OtlpExporterOptions exporter)
        {
            if (Agent is { } agent && !EndpointFromVariables("TRACES"))
            {
                exporter.Protocol = agent.Protocol;
                exporter.Endpoint = Signal(agent, "v1/traces");
            }
        }

        private Uri Signal(DatadogAgentOptions agent, string path)
        {
            Uri address = agent.BaseAddress(Variable);
            return agent.Protocol == OtlpExportProtocol.Grpc ? address : new Uri(address, address.AbsolutePath.TrimEnd('/') + "/" + path);
        }
    }
}

namespace Microsoft.Extensions.DependencyInjection
{
    /// <summary>Sends ModelMonitoring's metrics and traces to the Datadog Agent over OTLP.</summary>
    public static class DatadogAgentModelMonitoringBuilderExtensions
    {
        /// <summary>
        /// Exports metrics (delta temporality, every 10 s) and traces over OTLP to the Datadog Agent:
        /// <c>http://localhost:4318</c> (or <c>DD_AGENT_HOST</c>), 4317 with gRPC. The resource carries
        /// <c>service.name</c>, <c>service.version</c> and <c>deployment.environment</c> (see <see cref="ServiceIdentity"/>).
        /// When <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, it names the endpoint instead. The agent must have OTLP
        /// ingestion on (<c>DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_HTTP_ENDPOINT=0.0.0.0:4318</c>).
        /// </summary>
        /// <param name="builder">What <c>AddModelMonitoring</c> returned.</param>
        /// <param name="configure">Changes the agent's address, the protocol, the interval.</param>
        /// <returns><paramref name="builder"/>, for chaining.</returns>
        public static IModelMonitoringBuilder UseDatadogAgent(this IModelMonitoringBuilder builder, Action<DatadogAgentOptions>? configure = null)
        {
            ArgumentNullException.ThrowIfNull(builder);
            OtlpSettings settings = OtlpSettings.Of(builder.Services);
            var agent = new DatadogAgentOptions();
            configure?.Invoke(agent);
            settings.Agent = agent;
            settings.Register(builder.Services);
            return builder;
        }
    }
}
