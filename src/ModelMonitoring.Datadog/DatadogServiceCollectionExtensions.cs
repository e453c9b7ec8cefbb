using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelMonitoring;
using ModelMonitoring.Datadog;
using Polly;

namespace Microsoft.Extensions.DependencyInjection
{
    /// <summary>Sends the host's logs to Datadog.</summary>
    public static class DatadogModelMonitoringBuilderExtensions
    {
        /// <summary>
        /// Sends the host's logs to the Datadog HTTP log intake (v2) when an API key is configured (<c>DD_API_KEY</c> or
        /// <c>ModelMonitoring:Datadog:ApiKey</c>), and does nothing otherwise. Entries carry <c>ddsource</c>,
        /// <c>ddtags</c> (<c>env</c>, <c>model</c>, <c>model_owner</c>, <c>squad</c>, <c>model_version</c>),
        /// <c>hostname</c>, <c>service</c>, <c>status</c> and <c>message</c>; requests are batched (1,000 entries,
        /// 5 MB), gzip-compressed and retried with back-off on 408, 429 and 5xx. Nothing waits for the network: a full
        /// buffer drops entries and counts them (<c>ml.datadog.logs.dropped</c>, and <c>/health</c>).
        /// </summary>
        /// <param name="builder">What <c>AddModelMonitoring</c> returned.</param>
        /// <param name="configure">Changes the options after configuration.</param>
        /// <returns><paramref name="builder"/>, for chaining.</returns>
        public static IModelMonitoringBuilder AddDatadogLogs(this IModelMonitoringBuilder builder, Action<DatadogOptions>? configure = null)
        {
            ArgumentNullException.ThrowIfNull(builder);
            IServiceCollection services = builder.Services;
            OptionsBuilder<DatadogOptions> options = services.AddOptions<DatadogOptions>();
            bool first = !services.Any(d => d.ServiceType == typeof(DatadogLogShipper));
            if (first)
            {
                // Configuration first, so that the code's own changes come after it.
                services.AddSingleton<IConfigureOptions<DatadogOptions>>(provider => new DatadogOptionsSetup(
                    provider.GetService<Microsoft.Extensions.Configuration.IConfiguration>(),
                    provider.GetService<IOptionsMonitor<ModelMonitoringOptions>>()));
                services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DatadogOptions>, DatadogOptionsValidator>());
                options.ValidateOnStart();
            }

            if (configure is not null)
            {
                options.Configure(configure);
            }

            if (!first)
            {
                return builder;
            }

            services.AddMetrics();
            services.AddSingleton<DatadogLogShipper>();
            services.AddSingleton<IMonitoringSink>(provider => provider.GetRequiredService<DatadogLogShipper>());
            services.AddSingleton<ILoggerProvider>(provider => new DatadogLoggerProvider(
                provider.GetRequiredService<DatadogLogShipper>(),
                provider.GetRequiredService<IOptionsMonitor<DatadogOptions>>(),
                provider.GetService<TimeProvider>()));
            services.AddHostedService<DatadogLogsService>();

            // The client logs nothing (its messages would be sent through itself); retries on 408, 429, 5xx and no answer.
            services.AddHttpClient(DatadogLogShipper.HttpClientName)
                .RemoveAllLoggers()
                .AddResilienceHandler("datadog", static (pipeline, context) =>
                {
                    DatadogOptions settings = context.ServiceProvider.GetRequiredService<IOptionsMonitor<DatadogOptions>>().CurrentValue;
                    pipeline.AddTimeout(TimeSpan.FromMinutes(2)); // all attempts
                    if (settings.MaxRetries > 0)
                    {
                        pipeline.AddRetry(new HttpRetryStrategyOptions
                        {
                            MaxRetryAttempts = settings.MaxRetries,
                            BackoffType = DelayBackoffType.Exponential,
                            UseJitter = true,
                            Delay = settings.RetryDelay,
                            MaxDelay = TimeSpan.FromSeconds(30),
                        });
                    }

                    pipeline.AddTimeout(TimeSpan.FromSeconds(10)); // each attempt
                });
            return builder;
        }
    }
}

namespace ModelMonitoring.Datadog
{
    /// <summary>Starts sending when the host starts; on stop, sends what is buffered (at most 5 s).</summary>
    internal sealed class DatadogLogsService(DatadogLogShipper shipper, IHttpClientFactory clients, ILogger<DatadogLogShipper> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            shipper.Start(clients.CreateClient(DatadogLogShipper.HttpClientName), logger);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => shipper.StopAsync(TimeSpan.FromSeconds(5));
    }
}
