using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using ModelMonitoring;
using ModelMonitoring.AspNetCore;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers ModelMonitoring in an ASP.NET Core (or generic host) application.</summary>
public static class ModelMonitoringServiceCollectionExtensions
{
    /// <summary>
    /// Adds ModelMonitoring with options bound from the <c>"ModelMonitoring"</c> section of <paramref name="configuration"/>.
    /// </summary>
    /// <remarks>
    /// <list type="bullet">
    /// <item>The options are validated when the host starts: a bad setting stops start-up with a message that names it.</item>
    /// <item>One <see cref="ModelMonitoringRuntime"/> per host, a singleton: an immutable snapshot of the options (reloads
    /// through <see cref="IOptionsMonitor{TOptions}"/> apply from the next window on), the host's
    /// <see cref="TimeProvider"/> (when one is registered), <see cref="Microsoft.Extensions.Logging.ILoggerFactory"/> and
    /// <see cref="System.Diagnostics.Metrics.IMeterFactory"/>, and every <see cref="IPredictionRowConsumer"/> registered.
    /// It is current for every request, and the process default once the host starts.</item>
    /// <item>OpenTelemetry metrics collect the <c>ModelMonitoring</c> meter and export it for Prometheus
    /// (map the endpoint with <c>MapModelMonitoring</c>). The <c>ModelMonitoring</c> activity source joins tracing
    /// only when the application sets tracing up itself (<c>AddOpenTelemetry().WithTracing(...)</c>), so nobody pays
    /// for activities that go nowhere. Both add to the application's own OpenTelemetry setup.</item>
    /// <item>The .NET runtime's and the process's metrics (<c>System.Runtime</c>, OpenTelemetry's runtime and process
    /// instrumentation: CPU, memory, GC, thread pool) and the free space of the capture folder.</item>
    /// <item>The OpenTelemetry resource gets <c>service.name</c>, <c>service.version</c> and <c>deployment.environment</c>
    /// (<see cref="ServiceIdentity"/>). When <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, metrics and traces also go out
    /// over OTLP, as the SDK's variables say.</item>
    /// <item>The inference capture (<see cref="InferenceCapture"/>, off until <c>ModelMonitoring:Capture:Enabled</c>),
    /// <see cref="ModelLogger{TModel}"/>, and JSON console lines for model log entries.</item>
    /// <item>Health checks <see cref="ModelMonitoringHealthCheck.Name"/> and <see cref="ModelMonitoringReadinessCheck.Name"/>
    /// (options from <c>ModelMonitoring:Health</c>).</item>
    /// </list>
    /// Calling it more than once is safe: the registrations are made once, the option sources add up.
    /// </remarks>
    /// <param name="services">The application's services.</param>
    /// <param name="configuration">The application's configuration (its root; a section named <c>ModelMonitoring</c> is used as is).</param>
    /// <returns>A builder to chain further set-up on (<c>UseDatadogAgent()</c>...); its <see cref="IModelMonitoringBuilder.Services"/> is <paramref name="services"/>.</returns>
    public static IModelMonitoringBuilder AddModelMonitoring(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        IConfiguration section = configuration is IConfigurationSection { Key: ModelMonitoringOptions.SectionName }
            ? configuration
            : configuration.GetSection(ModelMonitoringOptions.SectionName);
        services.AddModelMonitoringCore(configuration is IConfigurationSection ? null : configuration).Bind(section);
        services.AddOptions<InferenceCaptureOptions>().Bind(section.GetSection("Capture"));
        services.AddOptions<ModelMonitoringHealthOptions>().Bind(section.GetSection("Health"));
        return new ModelMonitoringBuilder(services);
    }

    /// <summary>Adds ModelMonitoring with options set in code. See <see cref="AddModelMonitoring(IServiceCollection, IConfiguration)"/>.</summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Changes the default options; <see langword="null"/> keeps them.</param>
    /// <returns>A builder to chain further set-up on; its <see cref="IModelMonitoringBuilder.Services"/> is <paramref name="services"/>.</returns>
    public static IModelMonitoringBuilder AddModelMonitoring(this IServiceCollection services, Action<ModelMonitoringOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        OptionsBuilder<ModelMonitoringOptions> options = services.AddModelMonitoringCore(configuration: null);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return new ModelMonitoringBuilder(services);
    }

    private static OptionsBuilder<ModelMonitoringOptions> AddModelMonitoringCore(this IServiceCollection services, IConfiguration? configuration)
    {
        OptionsBuilder<ModelMonitoringOptions> options = services.AddOptions<ModelMonitoringOptions>();
        if (services.Any(d => d.ServiceType == typeof(ModelMonitoringMarker)))
        {
            return options;
        }

        services.AddSingleton<ModelMonitoringMarker>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ModelMonitoringOptions>, ModelMonitoringOptionsValidator>());
        options.ValidateOnStart();

        services.AddMetrics();

        // Row consumers of ModelMonitoring itself, before the application's: model activity for health, the capture.
        services.TryAddSingleton<ModelActivityTracker>();
        services.AddSingleton<IPredictionRowConsumer>(provider => provider.GetRequiredService<ModelActivityTracker>());
        services.AddOptions<InferenceCaptureOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InferenceCaptureOptions>, InferenceCaptureOptionsValidator>());
        services.AddOptions<InferenceCaptureOptions>().ValidateOnStart();
        services.TryAddSingleton(provider => new InferenceCapture(
            provider.GetRequiredService<IOptionsMonitor<InferenceCaptureOptions>>().CurrentValue,
            provider.GetService<TimeProvider>(),
            provider.GetService<ILoggerFactory>(),
            provider.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton<IPredictionRowConsumer>(provider => provider.GetRequiredService<InferenceCapture>());
        services.AddSingleton<IMonitoringSink>(provider => provider.GetRequiredService<InferenceCapture>());

        services.TryAddSingleton(provider => new ModelMonitoringRuntime(
            provider.GetRequiredService<IOptionsMonitor<ModelMonitoringOptions>>().CurrentValue,
            provider.GetService<TimeProvider>(),
            provider.GetService<ILoggerFactory>(),
            provider.GetServices<IPredictionRowConsumer>(),
            provider.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton<ModelMonitoringLifecycle>();
        services.TryAddSingleton<HostInstruments>();
        services.AddHostedService<ModelMonitoringStartup>();
        services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, ModelMonitoringRequestScope>();

        // Model logs: ModelLogger<T> for injection; JSON lines on the console instead of the console provider's text.
        services.TryAddSingleton(typeof(ModelLogger<>));
        services.TryAddSingleton<ModelJsonConsoleLoggerProvider>();
        services.AddSingleton<ILoggerProvider>(provider => provider.GetRequiredService<ModelJsonConsoleLoggerProvider>());
        services.AddSingleton<IMonitoringSink>(provider => provider.GetRequiredService<ModelJsonConsoleLoggerProvider>());
        services.AddLogging(logging => logging.AddFilter<ConsoleLoggerProvider>(ModelLogger.CategoryPrefix, LogLevel.None));

        // No scrape response cache: a scrape right after a prediction counts it. The runtime's and the process's own
        // metrics join the model's; the resource says which service this is.
        OpenTelemetryBuilder openTelemetry = services.AddOpenTelemetry();
        openTelemetry.ConfigureResource(resource => resource.AddDetector(provider => new ServiceIdentityDetector(provider)));
        openTelemetry.WithMetrics(metrics => metrics
            .AddModelMonitoring()
            .AddMeter("System.Runtime")
            .AddRuntimeInstrumentation()
            .AddProcessInstrumentation()
            .AddCountGaugesRenamed()
            .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddModelMonitoring());

        // The SDK's own variables: an OTLP endpoint set in the environment sends metrics and traces there.
        OtlpSettings otlp = OtlpSettings.Of(services);
        otlp.Variable = OtlpSettings.Variables(configuration);
        if (!string.IsNullOrWhiteSpace(otlp.Variable("OTEL_EXPORTER_OTLP_ENDPOINT")) || !string.IsNullOrWhiteSpace(otlp.Variable("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT")))
        {
            otlp.Register(services);
        }

        services.AddOptions<ModelMonitoringHealthOptions>();
        services.TryAddSingleton(provider => new ModelMonitoringHealthCheck(
            provider.GetRequiredService<ModelMonitoringRuntime>(),
            provider.GetService<ModelActivityTracker>(),
            provider.GetServices<IMonitoringSink>(),
            provider.GetService<IOptionsMonitor<ModelMonitoringHealthOptions>>()?.CurrentValue));
        services.TryAddSingleton(provider => new ModelMonitoringReadinessCheck(provider.GetRequiredService<ModelMonitoringLifecycle>(), provider.GetRequiredService<ModelMonitoringRuntime>()));
        services.AddHealthChecks()
            .AddCheck<ModelMonitoringHealthCheck>(ModelMonitoringHealthCheck.Name, failureStatus: HealthStatus.Unhealthy, tags: [ModelMonitoringHealthCheck.Name])
            .AddCheck<ModelMonitoringReadinessCheck>(ModelMonitoringReadinessCheck.Name, failureStatus: HealthStatus.Unhealthy, tags: [ModelMonitoringReadinessCheck.ReadyTag]);
        return options;
    }

    /// <summary>
    /// Renames the runtime's and the process's gauges whose names end in <c>.count</c>: Prometheus reserves the
    /// <c>_count</c> suffix for histograms and summaries (<c>promtool check metrics</c> rejects them), as
    /// <c>ml.feature.window.values</c> does for the same reason.
    /// </summary>
    private static MeterProviderBuilder AddCountGaugesRenamed(this MeterProviderBuilder metrics)
    {
        foreach ((string name, string renamed) in RenamedCountGauges)
        {
            metrics.AddView(name, new MetricStreamConfiguration { Name = renamed });
        }

        return metrics;
    }

    /// <summary>The runtime's and the process's <c>.count</c> gauges and the names they are exported under.</summary>
    internal static readonly (string Name, string Renamed)[] RenamedCountGauges =
    [
        ("dotnet.assembly.count", "dotnet.assemblies.loaded"),
        ("dotnet.process.cpu.count", "dotnet.process.cpus"),
        ("dotnet.timer.count", "dotnet.timers"),
        ("process.thread.count", "process.threads"),
        ("process.unix.file_descriptor.count", "process.unix.file_descriptors"),
    ];

    /// <summary>Says that the registrations were made.</summary>
    private sealed class ModelMonitoringMarker;
}
