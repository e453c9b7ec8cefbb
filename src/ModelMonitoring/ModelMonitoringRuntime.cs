using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelMonitoring.Runtime;

namespace ModelMonitoring;

/// <summary>
/// Process-wide settings of the monitoring runtime: options, logging and clock. Generated code binds to it at
/// start-up; ASP.NET Core's <c>AddModelMonitoring</c> configures it from dependency injection.
/// </summary>
public static class ModelMonitoringRuntime
{
    private static ModelMonitoringOptions s_options = new();
    private static ILoggerFactory s_loggerFactory = NullLoggerFactory.Instance;
    private static TimeProvider s_timeProvider = TimeProvider.System;
    private static int s_configurationVersion;

    /// <summary>The options in force. Change them with <see cref="Configure(ModelMonitoringOptions)"/>.</summary>
    public static ModelMonitoringOptions Options => s_options;

    /// <summary>The logger factory monitoring logs through. Defaults to a factory that discards everything.</summary>
    public static ILoggerFactory LoggerFactory
    {
        get => s_loggerFactory;
        set
        {
            s_loggerFactory = value ?? NullLoggerFactory.Instance;
            Interlocked.Increment(ref s_configurationVersion);
        }
    }

    /// <summary>The clock used to open and close time-based windows. Tests replace it with a fake clock.</summary>
    public static TimeProvider TimeProvider
    {
        get => s_timeProvider;
        set
        {
            s_timeProvider = value ?? TimeProvider.System;
            Interlocked.Increment(ref s_configurationVersion);
        }
    }

    internal static int ConfigurationVersion => Volatile.Read(ref s_configurationVersion);

    /// <summary>Replaces the options after validating them.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names each one.</exception>
    /// <exception cref="Sketches.BaselineFormatException">A configured baseline is corrupt or does not match its model; the message names the file.</exception>
    public static void Configure(ModelMonitoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<string> errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid ModelMonitoring options: " + string.Join(" ", errors), nameof(options));
        }

        ModelMonitor.ApplyConfiguredBaselines(options);
        s_options = options.Clone();
        Interlocked.Increment(ref s_configurationVersion);
        MonitoringWorker.Signal();
    }

    /// <summary>
    /// Folds every buffered prediction into the instruments and windows now, on the calling thread, and closes
    /// windows whose time is up. Exporters and <c>/metrics</c> do this by themselves before reading counts; call it
    /// before reading <see cref="ModelMonitor"/> statistics directly.
    /// </summary>
    public static void Flush() => ModelMonitor.FlushAll();
}
