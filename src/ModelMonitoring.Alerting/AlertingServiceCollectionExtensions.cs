using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelMonitoring;
using ModelMonitoring.Alerting;
using ModelMonitoring.Alerts;
using Polly;

namespace Microsoft.Extensions.DependencyInjection
{
    /// <summary>Alerting in a host: the alert engine over the host's runtime, its rules and its notifiers.</summary>
    public static class AlertingModelMonitoringBuilderExtensions
    {
        /// <summary>
        /// Evaluates alert rules in the host: the default rules of every monitored model, the rules of
        /// <c>ModelMonitoring:Alerts</c> (and of its <c>RulesFile</c>, YAML), and those added with
        /// <see cref="AddAlertRule"/>; validated at start-up, with errors naming the rule and the field. Notifications go to
        /// the notifiers added with <c>AddWebhookNotifier</c>, <c>AddSlackNotifier</c>, <c>AddEmailNotifier</c> and
        /// <c>AddAlertmanagerNotifier</c> (or any <see cref="IAlertNotifier"/> registered), each behind a bounded queue:
        /// nothing waits for them. Map <c>MapModelMonitoringAlerts</c> for <c>GET /monitoring/alerts</c>.
        /// </summary>
        /// <param name="builder">What <c>AddModelMonitoring</c> returned.</param>
        /// <param name="configure">Changes the options after configuration.</param>
        /// <returns><paramref name="builder"/>, for chaining.</returns>
        public static IModelMonitoringBuilder AddAlerting(this IModelMonitoringBuilder builder, Action<AlertingOptions>? configure = null)
        {
            ArgumentNullException.ThrowIfNull(builder);
            IServiceCollection services = builder.Services;
            OptionsBuilder<AlertingOptions> options = services.AddOptions<AlertingOptions>();
            if (!services.Any(d => d.ServiceType == typeof(AlertEngine)))
            {
                services.AddSingleton<IConfigureOptions<AlertingOptions>>(provider => new ConfigureFromSection<AlertingOptions>(provider, AlertingOptions.SectionName));
                services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlertingOptions>, AlertingOptionsValidator>());
                options.ValidateOnStart();
                services.AddMetrics();
                services.AddSingleton(provider =>
                {
                    AlertingOptions settings = provider.GetRequiredService<IOptions<AlertingOptions>>().Value;
                    IEnumerable<AlertRule> rules = provider.GetServices<AlertRule>();
                    if (settings.RulesFile is { Length: > 0 } file)
                    {
                        rules = rules.Concat(AlertRulesFile.Load(file, settings.AdditionalSignals));
                    }

                    return new AlertEngine(
                        provider.GetRequiredService<ModelMonitoringRuntime>(),
                        settings,
                        rules.ToArray(),
                        provider.GetServices<IAlertNotifier>().ToArray(),
                        provider.GetService<ILoggerFactory>(),
                        provider.GetService<System.Diagnostics.Metrics.IMeterFactory>());
                });
                services.AddSingleton<IMonitoringSink>(provider => provider.GetRequiredService<AlertEngine>());
                services.AddHostedService<AlertEngineStartup>();
            }

            if (configure is not null)
            {
                options.Configure(configure);
            }

            return builder;
        }

        /// <summary>Adds a rule (built with <c>AlertRule.Named(...)</c>) to those the engine evaluates.</summary>
        /// <returns><paramref name="builder"/>, for chaining.</returns>
        public static IModelMonitoringBuilder AddAlertRule(this IModelMonitoringBuilder builder, AlertRule rule)
        {
            ArgumentNullException.ThrowIfNull(builder);
            ArgumentNullException.ThrowIfNull(rule);
            builder.AddAlerting();
            builder.Services.AddSingleton(rule);
            return builder;
        }

        /// <summary>Sends notifications as generic JSON to a webhook: <c>ModelMonitoring:Alerts:Webhook</c>, URL from <c>WEBHOOK_URL</c> by default.</summary>
        /// <returns><paramref name="builder"/>, for chaining.</returns>
        public static IModelMonitoringBuilder AddWebhookNotifier(this IModelMonitoringBuilder builder, Action<WebhookNotifierOptions>? configure = null) =>
            builder.AddHttpNotifier(WebhookNotifierOptions.SectionName, configure, (provider, options, client) => new WebhookNotifier(options, client));

        /// <summary>Sends notifications to a Slack incoming webhook: <c>ModelMonitoring:Alerts:Slack</c>, URL from <c>SLACK_WEBHOOK_URL</c> by default.</summary>
        /// <returns><paramref name="builder"/>, for chaining.</returns>
        public static IModelMonitoringBuilder AddSlackNotifier(this IModelMonitoringBuilder builder, Action<SlackNotifierOptions>? configure = null) =>
            builder.AddHttpNotifier(SlackNotifierOptions.SectionName, configure, (provider, options, client) => new SlackNotifier(options, client));

        /// <summary>Sends every alert to Alertmanager's v2 API: <c>ModelMonitoring:Alerts:Alertmanager</c>.</summary>
        /// <returns><paramref name="builder"/>, for chaining.</returns>
        public static IModelMonitoringBuilder AddAlertmanagerNotifier(this IModelMonitoringBuilder builder, Action<AlertmanagerNotifierOptions>? configure = null) =>
            builder.AddHttpNotifier(AlertmanagerNotifierOptions.SectionName, configure, (provider, options, client) => new AlertmanagerNotifier(options, client, provider.GetService<TimeProvider>()));

        /// <summary>Sends notifications by e-mail over SMTP (MailKit): <c>ModelMonitoring:Alerts:Email</c>, password from <c>SMTP_PASSWORD</c> by default.</summary>
        /// <returns><paramref name="builder"/>, for chaining.</returns>
        public static IModelMonitoringBuilder AddEmailNotifier(this IModelMonitoringBuilder builder, Action<EmailNotifierOptions>? configure = null)
        {
            ArgumentNullException.ThrowIfNull(builder);
            builder.AddAlerting();
            builder.Services.AddSingleton<IConfigureOptions<EmailNotifierOptions>>(provider => new ConfigureFromSection<EmailNotifierOptions>(provider, EmailNotifierOptions.SectionName));
            if (configure is not null)
            {
                builder.Services.Configure(configure);
            }

            builder.Services.AddSingleton<IAlertNotifier>(provider => new EmailNotifier(provider.GetRequiredService<IOptions<EmailNotifierOptions>>().Value));
            return builder;
        }

        private static IModelMonitoringBuilder AddHttpNotifier<TOptions>(this IModelMonitoringBuilder builder, string section, Action<TOptions>? configure, Func<IServiceProvider, TOptions, HttpClient, IAlertNotifier> create)
            where TOptions : NotifierOptions, new()
        {
            ArgumentNullException.ThrowIfNull(builder);
            builder.AddAlerting();
            IServiceCollection services = builder.Services;
            services.AddSingleton<IConfigureOptions<TOptions>>(provider => new ConfigureFromSection<TOptions>(provider, section));
            if (configure is not null)
            {
                services.Configure(configure);
            }

            // The client logs nothing: its messages would show the URL, which may hold a token.
            string clientName = "ModelMonitoring.Alerting." + section;
            services.AddHttpClient(clientName)
                .RemoveAllLoggers()
                .AddResilienceHandler(clientName, static (pipeline, context) =>
                {
                    TOptions settings = context.ServiceProvider.GetRequiredService<IOptions<TOptions>>().Value;
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

                    pipeline.AddTimeout(settings.AttemptTimeout);
                });
            services.AddSingleton<IAlertNotifier>(provider => create(
                provider,
                provider.GetRequiredService<IOptions<TOptions>>().Value,
                provider.GetRequiredService<IHttpClientFactory>().CreateClient(clientName)));
            return builder;
        }
    }
}

namespace ModelMonitoring.Alerting
{
    using Microsoft.Extensions.DependencyInjection;

    /// <summary>Binds options to a configuration section when the host has a configuration.</summary>
    internal sealed class ConfigureFromSection<TOptions>(IServiceProvider provider, string section) : IConfigureOptions<TOptions>
        where TOptions : class
    {
        public void Configure(TOptions options)
        {
            if (provider.GetService<IConfiguration>() is { } configuration)
            {
                configuration.GetSection(section).Bind(options);
            }
        }
    }

    /// <summary>Checks the alerting options at start-up: each error names the rule and the field.</summary>
    internal sealed class AlertingOptionsValidator : IValidateOptions<AlertingOptions>
    {
        public ValidateOptionsResult Validate(string? name, AlertingOptions options)
        {
            IReadOnlyList<string> errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }

    /// <summary>Creates the engine when the host starts, so its timer runs and window closes are evaluated.</summary>
    internal sealed class AlertEngineStartup(IServiceProvider provider) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = provider.GetRequiredService<AlertEngine>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) =>
            provider.GetRequiredService<AlertEngine>().FlushAsync(TimeSpan.FromSeconds(5));
    }
}
