using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ModelMonitoring.AspNetCore;

/// <summary>
/// Starts the host's <see cref="ModelMonitoringRuntime"/> before any other hosted service (the web server included):
/// creates it (a bad baseline stops start-up, naming the file), makes it the process default for calls outside a
/// request, and follows option reloads. When the host stops, it folds and evaluates what was recorded.
/// </summary>
internal sealed partial class ModelMonitoringStartup(
    ModelMonitoringRuntime runtime,
    IOptionsMonitor<ModelMonitoringOptions> options,
    ILogger<ModelMonitoringStartup> logger) : IHostedLifecycleService
{
    private IDisposable? _activation;
    private IDisposable? _reloads;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _ = runtime.Meter; // the instruments exist (with zero counts) before the first scrape
        _activation = runtime.Activate();
        _reloads = options.OnChange(Reload);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        _reloads?.Dispose();
        runtime.Flush();
        _activation?.Dispose();
        return Task.CompletedTask;
    }

    private void Reload(ModelMonitoringOptions reloaded, string? name)
    {
        if (name is not null && name != Options.DefaultName)
        {
            return;
        }

        try
        {
            runtime.UpdateOptions(reloaded);
        }
        catch (Exception exception) when (exception is ArgumentException or Sketches.BaselineFormatException)
        {
            ReloadRejected(logger, exception, exception.Message);
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Error, Message = "Reloaded ModelMonitoring options were rejected; the previous ones stay in force: {Reason}")]
    private static partial void ReloadRejected(ILogger logger, Exception exception, string reason);
}
