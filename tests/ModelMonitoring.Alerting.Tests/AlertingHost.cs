using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using ModelMonitoring.Alerts;

namespace ModelMonitoring.Alerting.Tests;

/// <summary>
/// The services a host gets from <c>AddModelMonitoring().AddAlerting()</c> and the notifiers a test adds, with every
/// log kept; the runtime is current for the test's flow, and <see cref="QuoteModel"/> records into it.
/// </summary>
internal sealed class AlertingHost : IDisposable
{
    private readonly IDisposable _scope;

    public AlertingHost(Action<IModelMonitoringBuilder> notifiers, Action<AlertingOptions>? alerting = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(Logs)));
        IModelMonitoringBuilder builder = services.AddModelMonitoring(options =>
        {
            options.WindowSize = 20;
            options.WindowDuration = TimeSpan.FromHours(1);
            options.DriftDetection = false;
        });
        builder.AddAlerting(options =>
        {
            options.Defaults.ErrorRate.For = TimeSpan.Zero; // fires at the window that fails
            options.DigestInterval = TimeSpan.Zero;
            options.EvaluationInterval = TimeSpan.FromHours(1); // window closes only: the test decides when
            alerting?.Invoke(options);
        });
        notifiers(builder);
        Provider = services.BuildServiceProvider();
        Runtime = Provider.GetRequiredService<ModelMonitoringRuntime>();
        _scope = Runtime.BeginScope();
        Engine = Provider.GetRequiredService<AlertEngine>();
    }

    public FakeLogCollector Logs { get; } = new();

    public ServiceProvider Provider { get; }

    public ModelMonitoringRuntime Runtime { get; }

    public AlertEngine Engine { get; }

    public QuoteModel Model { get; } = new();

    /// <summary>One window (20 successful calls, after <paramref name="failures"/> failing ones), closed and evaluated.</summary>
    public void Window(int failures)
    {
        Model.Run(20, failures);
        Runtime.Flush();
    }

    /// <summary>Every log message and exception, for the tests that look for secrets.</summary>
    public string AllLogText() =>
        string.Join("\n", Logs.GetSnapshot().Select(r => $"{r.Level} {r.Category}: {r.Message} {r.Exception}"));

    public void Dispose()
    {
        _scope.Dispose();
        Provider.Dispose();
    }
}
