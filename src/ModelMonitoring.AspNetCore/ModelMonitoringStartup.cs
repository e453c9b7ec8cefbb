using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ModelMonitoring.AspNetCore;

/// <summary>
/// Hands the host's options, logger factory and clock to <see cref="ModelMonitoringRuntime"/> before any hosted
/// service (the web server included) starts, and folds what is buffered when the host stops.
/// </summary>
internal sealed class ModelMonitoringStartup(
    IOptions<ModelMonitoringOptions> options,
    ILoggerFactory loggerFactory,
    IServiceProvider services) : IHostedLifecycleService
{
    private TimeProvider? _timeProvider;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        // The options were validated on start (ValidateOnStart), so Configure does not throw here.
        ModelMonitoringRuntime.Configure(options.Value);
        ModelMonitoringRuntime.LoggerFactory = loggerFactory;
        _timeProvider = services.GetService<TimeProvider>();
        if (_timeProvider is not null)
        {
            ModelMonitoringRuntime.TimeProvider = _timeProvider;
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        ModelMonitoringRuntime.Flush();

        // The container disposes these next: do not leave the process-wide runtime holding them.
        if (ReferenceEquals(ModelMonitoringRuntime.LoggerFactory, loggerFactory))
        {
            ModelMonitoringRuntime.LoggerFactory = NullLoggerFactory.Instance;
        }

        if (_timeProvider is not null && ReferenceEquals(ModelMonitoringRuntime.TimeProvider, _timeProvider))
        {
            ModelMonitoringRuntime.TimeProvider = TimeProvider.System;
        }

        return Task.CompletedTask;
    }
}
