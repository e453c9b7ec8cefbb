using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ModelMonitoring;
using ModelMonitoring.AspNetCore;
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
    /// <item>A health check named <see cref="ModelMonitoringHealthCheck.Name"/>.</item>
    /// </list>
    /// Calling it more than once is safe: the registrations are made once, the option sources add up.
    /// </remarks>
    /// <param name="services">The application's services.</param>
    /// <param name="configuration">The application's configuration (its root; a section named <c>ModelMonitoring</c> is used as is).</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddModelMonitoring(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        IConfiguration section = configuration is IConfigurationSection { Key: ModelMonitoringOptions.SectionName }
            ? configuration
            : configuration.GetSection(ModelMonitoringOptions.SectionName);
        services.AddModelMonitoringCore().Bind(section);
        return services;
    }

    /// <summary>Adds ModelMonitoring with options set in code. See <see cref="AddModelMonitoring(IServiceCollection, IConfiguration)"/>.</summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Changes the default options; <see langword="null"/> keeps them.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddModelMonitoring(this IServiceCollection services, Action<ModelMonitoringOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        OptionsBuilder<ModelMonitoringOptions> options = services.AddModelMonitoringCore();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return services;
    }

    private static OptionsBuilder<ModelMonitoringOptions> AddModelMonitoringCore(this IServiceCollection services)
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
        services.TryAddSingleton(provider => new ModelMonitoringRuntime(
            provider.GetRequiredService<IOptionsMonitor<ModelMonitoringOptions>>().CurrentValue,
            provider.GetService<TimeProvider>(),
            provider.GetService<Microsoft.Extensions.Logging.ILoggerFactory>(),
            provider.GetServices<IPredictionRowConsumer>(),
            provider.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddHostedService<ModelMonitoringStartup>();
        services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, ModelMonitoringRequestScope>();

        // No scrape response cache: a scrape right after a prediction counts it.
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddModelMonitoring()
            .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddModelMonitoring());

        services.TryAddSingleton<ModelMonitoringHealthCheck>();
        services.AddHealthChecks().AddCheck<ModelMonitoringHealthCheck>(
            ModelMonitoringHealthCheck.Name,
            failureStatus: HealthStatus.Unhealthy,
            tags: [ModelMonitoringHealthCheck.Name]);
        return options;
    }

    /// <summary>Says that the registrations were made.</summary>
    private sealed class ModelMonitoringMarker;
}
