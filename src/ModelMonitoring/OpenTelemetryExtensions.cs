using ModelMonitoring;

namespace OpenTelemetry.Metrics
{
    /// <summary>Wires ModelMonitoring's instruments into an OpenTelemetry meter provider.</summary>
    public static class ModelMonitoringMeterProviderBuilderExtensions
    {
        /// <summary>
        /// Collects the <c>ModelMonitoring</c> meters (one per runtime: prediction counts and latency, errors, features
        /// and drift) and those of its outputs (<c>ModelMonitoring.Capture</c>, <c>ModelMonitoring.Datadog</c>...).
        /// </summary>
        public static MeterProviderBuilder AddModelMonitoring(this MeterProviderBuilder builder)
        {
            ArgumentNullException.ThrowIfNull(builder);
            return builder.AddMeter(ModelMonitoringInstruments.SourceName, ModelMonitoringInstruments.SourceName + ".*");
        }
    }
}

namespace OpenTelemetry.Trace
{
    /// <summary>Wires ModelMonitoring's activities into an OpenTelemetry tracer provider.</summary>
    public static class ModelMonitoringTracerProviderBuilderExtensions
    {
        /// <summary>Collects one activity per prediction from the <c>ModelMonitoring</c> activity source.</summary>
        public static TracerProviderBuilder AddModelMonitoring(this TracerProviderBuilder builder)
        {
            ArgumentNullException.ThrowIfNull(builder);
            return builder.AddSource(ModelMonitoringInstruments.SourceName);
        }
    }
}
