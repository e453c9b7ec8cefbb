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
    IOptionsMonitor<InferenceCaptureOptions> captureOptions,
    InferenceCapture capture,
    HostInstruments hostInstruments,
    ModelMonitoringLifecycle lifecycle,
    ILogger<ModelMonitoringStartup> logger) : IHostedLifecycleService
{
    private IDisposable? _activation;
    private IDisposable? _reloads;
    private IDisposable? _captureReloads;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _ = runtime.Meter; // the instruments exist (with zero counts) before the first scrape
        _ = hostInstruments;
        _activation = runtime.Activate();
        _reloads = options.OnChange(Reload);
        _captureReloads = captureOptions.OnChange(ReloadCapture);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        lifecycle.Started();
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        lifecycle.Stopping();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        _reloads?.Dispose();
        _captureReloads?.Dispose();
        runtime.Flush();
        capture.Flush(TimeSpan.FromSeconds(5));
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

    private void ReloadCapture(InferenceCaptureOptions reloaded, string? name)
    {
        if (name is not null && name != Options.DefaultName)
        {
            return;
        }

        try
        {
            capture.UpdateOptions(reloaded);
        }
        catch (ArgumentException exception)
        {
            ReloadRejected(logger, exception, exception.Message);
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Error, Message = "Reloaded ModelMonitoring options were rejected; the previous ones stay in force: {Reason}")]
    private static partial void ReloadRejected(ILogger logger, Exception exception, string reason);
}
