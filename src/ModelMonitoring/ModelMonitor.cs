using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using ModelMonitoring.Runtime;

namespace ModelMonitoring;

/// <summary>
/// The monitoring state of one model: its tracked methods, prediction counts and the current window of features.
/// One exists per model name; generated code creates it at start-up. Look one up with <see cref="For(string)"/>.
/// </summary>
public sealed class ModelMonitor
{
    private static readonly ConcurrentDictionary<string, ModelMonitor> s_monitors = new(StringComparer.Ordinal);
    private static readonly object s_registrationLock = new();

    private readonly object _foldLock = new();
    private readonly FeatureInfo[] _features;
    private readonly PredictionMonitor[] _methods;
    private FeatureWindow _window;
    private FeatureWindowSnapshot? _lastClosedWindow;
    private ILogger _logger;
    private int _loggerVersion = -1;
    private int _windowOptionsVersion;
    private long _monitoringFailures;

    private ModelMonitor(ModelDescriptor descriptor)
    {
        Descriptor = descriptor;
        Name = descriptor.Name;
        VersionTag = string.IsNullOrEmpty(descriptor.Version) ? "unknown" : descriptor.Version;
        LogScope = new ModelLogScope(descriptor);

        // Features of all methods, merged by name: the window is per model.
        var features = new List<FeatureInfo>();
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        int defaultMaxCategories = ModelMonitoringRuntime.Options.DefaultMaxCategories;
        foreach (FeatureDescriptor feature in descriptor.Methods.SelectMany(m => m.Features))
        {
            if (!byName.ContainsKey(feature.Name))
            {
                byName[feature.Name] = features.Count;
                features.Add(new FeatureInfo(feature.Name, feature.Kind, feature.IsSensitive,
                    feature.MaxCategories > 0 ? feature.MaxCategories : defaultMaxCategories, feature.DriftMethod, feature.DriftThreshold)
                {
                    TagsArray = [new("model", descriptor.Name), new("feature", feature.Name)],
                });
            }
        }

        _features = [.. features];
        _methods = descriptor.Methods.Select(method => new PredictionMonitor(
            this,
            method,
            method.Features.Where(f => f.Storage == FeatureStorage.Number).OrderBy(f => f.Slot).Select(f => byName[f.Name]).ToArray(),
            method.Features.Where(f => f.Storage == FeatureStorage.Label).OrderBy(f => f.Slot).Select(f => byName[f.Name]).ToArray())).ToArray();
        _logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _windowOptionsVersion = ModelMonitoringRuntime.ConfigurationVersion;
        _window = new FeatureWindow(Name, _features, ModelMonitoringRuntime.Options, ModelMonitoringRuntime.TimeProvider);
    }

    /// <summary>The model's name.</summary>
    public string Name { get; }

    /// <summary>The model as the generator described it.</summary>
    public ModelDescriptor Descriptor { get; }

    /// <summary>The tracked methods' monitors, in the generator's order.</summary>
    public IReadOnlyList<PredictionMonitor> Methods => _methods;

    /// <summary>Every model monitored in this process.</summary>
    public static IReadOnlyCollection<ModelMonitor> All => s_monitors.Values.OrderBy(m => m.Name, StringComparer.Ordinal).ToArray();

    /// <summary>The window that closed last, or <see langword="null"/> before the first one closes.</summary>
    public FeatureWindowSnapshot? LastClosedWindow => Volatile.Read(ref _lastClosedWindow);

    /// <summary>Failures inside this model's monitoring so far (never thrown to callers).</summary>
    public long MonitoringFailures => Interlocked.Read(ref _monitoringFailures);

    /// <summary>Raised on the folding thread each time a window closes, after it is logged.</summary>
    public event EventHandler<FeatureWindowSnapshot>? WindowClosed;

    internal string VersionTag { get; }

    internal ModelLogScope LogScope { get; }

    internal ILogger Logger
    {
        get
        {
            int version = ModelMonitoringRuntime.ConfigurationVersion;
            if (version != _loggerVersion)
            {
                _logger = ModelMonitoringRuntime.LoggerFactory.CreateLogger(MonitoringLog.Category);
                _loggerVersion = version;
            }

            return _logger;
        }
    }

    /// <summary>The monitor of the model with this name.</summary>
    /// <exception cref="KeyNotFoundException">No such model; the message lists the models that exist.</exception>
    public static ModelMonitor For(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return s_monitors.TryGetValue(name, out ModelMonitor? monitor)
            ? monitor
            : throw new KeyNotFoundException($"No monitored model is named '{name}'. Known models: {string.Join(", ", s_monitors.Keys.Order(StringComparer.Ordinal))}.");
    }

    /// <summary>The monitor of the model with this name, if one exists.</summary>
    public static bool TryGet(string name, out ModelMonitor? monitor) => s_monitors.TryGetValue(name, out monitor);

    /// <summary>
    /// Returns the monitor of a model, creating it on first use. Called by generated code when the assembly loads.
    /// Never throws: a type initializer that threw would break every prediction.
    /// </summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public static ModelMonitor Register(ModelDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        lock (s_registrationLock)
        {
            ModelMonitoringInstruments.EnsureCreated();
            if (s_monitors.TryGetValue(descriptor.Name, out ModelMonitor? existing))
            {
                if (ReferenceEquals(existing.Descriptor, descriptor))
                {
                    return existing;
                }

                // Another type (or another assembly) uses the same name: keep it apart so nothing is lost, and say so.
                var twin = new ModelMonitor(descriptor);
                MonitoringLog.DuplicateModelName(twin.Logger, descriptor.Name, existing.Descriptor.TypeName, descriptor.TypeName);
                return twin;
            }

            var monitor = new ModelMonitor(descriptor);
            s_monitors[descriptor.Name] = monitor;
            ModelCatalog.Add(descriptor);
            MonitoringWorker.EnsureStarted();
            return monitor;
        }
    }

    /// <summary>Prediction counts of all methods, folded up to the last flush.</summary>
    public PredictionCounts GetPredictionCounts()
    {
        ModelMonitoringRuntime.Flush();
        return new PredictionCounts(_methods.Sum(m => m.Successes), _methods.Sum(m => m.Errors), _methods.Sum(m => m.Canceled));
    }

    /// <summary>The current, still open window (after folding everything buffered).</summary>
    public FeatureWindowSnapshot GetCurrentWindow()
    {
        ModelMonitoringRuntime.Flush();
        lock (_foldLock)
        {
            return _window.Snapshot();
        }
    }

    /// <summary>Closes the current window now, publishes it like a window that closed by itself, and returns it.</summary>
    public FeatureWindowSnapshot CloseWindow()
    {
        var closed = new List<FeatureWindowSnapshot>(1);
        lock (_foldLock)
        {
            DrainLocked(allowWindowClose: true, closed);
            closed.Add(_window.Close());
        }

        Publish(closed);
        return closed[^1];
    }

    internal void RecordMonitoringFailure(string stage, Exception exception)
    {
        try
        {
            Interlocked.Increment(ref _monitoringFailures);
            ModelMonitoringInstruments.MonitoringFailureCounter.Add(1, new KeyValuePair<string, object?>("model", Name), new KeyValuePair<string, object?>("stage", stage));
            ILogger logger = Logger;
            if (logger.IsEnabled(LogLevel.Warning))
            {
                using (logger.BeginScope(LogScope))
                {
                    MonitoringLog.MonitoringFailed(logger, exception, Name, stage);
                }
            }
        }
        catch
        {
            // The last line of defence: monitoring never throws into a prediction.
        }
    }

    /// <summary>Folds one thread's buffer that is full, on that thread. Windows close later, on the folding thread.</summary>
    internal void DrainBuffer(PredictionMonitor method, RecordingBuffer buffer)
    {
        lock (_foldLock)
        {
            method.Drain(buffer, _window, allowWindowClose: false, closed: null, Logger);
        }
    }

    internal static void FlushAll()
    {
        foreach (ModelMonitor monitor in s_monitors.Values)
        {
            monitor.Flush();
        }
    }

    internal void Flush()
    {
        List<FeatureWindowSnapshot>? closed = null;
        try
        {
            lock (_foldLock)
            {
                closed = [];
                DrainLocked(allowWindowClose: true, closed);
                DateTimeOffset now = ModelMonitoringRuntime.TimeProvider.GetUtcNow();
                if (_window.Rows > 0 && _window.IsDue(now))
                {
                    closed.Add(_window.Close());
                }
                else
                {
                    _window.RestartIfEmpty(now);
                }
            }
        }
        catch (Exception exception)
        {
            RecordMonitoringFailure("folding buffered predictions", exception);
        }

        if (closed is { Count: > 0 })
        {
            Publish(closed);
        }
    }

    private void DrainLocked(bool allowWindowClose, List<FeatureWindowSnapshot> closed)
    {
        int version = ModelMonitoringRuntime.ConfigurationVersion;
        if (version != _windowOptionsVersion && _window.Rows == 0)
        {
            // Options or clock changed: the next window follows them.
            _windowOptionsVersion = version;
            _window = new FeatureWindow(Name, _features, ModelMonitoringRuntime.Options, ModelMonitoringRuntime.TimeProvider);
        }

        ILogger logger = Logger;
        foreach (PredictionMonitor method in _methods)
        {
            method.DrainAll(_window, allowWindowClose, closed, logger);
        }
    }

    private void Publish(List<FeatureWindowSnapshot> closed)
    {
        foreach (FeatureWindowSnapshot snapshot in closed)
        {
            Volatile.Write(ref _lastClosedWindow, snapshot);
            try
            {
                ILogger logger = Logger;
                if (logger.IsEnabled(LogLevel.Information))
                {
                    using (logger.BeginScope(LogScope))
                    {
                        MonitoringLog.WindowClosed(logger, Name, snapshot.Rows, snapshot.Start, snapshot.End);
                    }
                }

                WindowClosed?.Invoke(this, snapshot);
            }
            catch (Exception exception)
            {
                RecordMonitoringFailure("publishing a closed window", exception);
            }
        }
    }

    internal static IEnumerable<Measurement<long>> ObservePredictions()
    {
        FlushAll();
        var measurements = new List<Measurement<long>>();
        foreach (ModelMonitor monitor in s_monitors.Values)
        {
            foreach (PredictionMonitor method in monitor._methods)
            {
                KeyValuePair<string, object?>[] tags = method.DurationTags;
                measurements.Add(new Measurement<long>(method.Successes, tags[0], tags[1], tags[2], new KeyValuePair<string, object?>("outcome", "success")));
                measurements.Add(new Measurement<long>(method.Errors, tags[0], tags[1], tags[2], new KeyValuePair<string, object?>("outcome", "error")));
                measurements.Add(new Measurement<long>(method.Canceled, tags[0], tags[1], tags[2], new KeyValuePair<string, object?>("outcome", "canceled")));
            }
        }

        return measurements;
    }

    internal static IEnumerable<Measurement<long>> ObserveFeatures(FeatureStatistic statistic)
    {
        var measurements = new List<Measurement<long>>();
        foreach (ModelMonitor monitor in s_monitors.Values)
        {
            lock (monitor._foldLock)
            {
                foreach (FeatureInfo feature in monitor._features)
                {
                    long value = statistic switch
                    {
                        FeatureStatistic.Values => feature.TotalValues,
                        FeatureStatistic.Missing => feature.TotalMissing,
                        _ => feature.WindowCount,
                    };
                    measurements.Add(new Measurement<long>(value, feature.TagsArray));
                }
            }
        }

        return measurements;
    }

    internal static IEnumerable<Measurement<double>> ObserveFeatureDoubles(FeatureStatistic statistic)
    {
        var measurements = new List<Measurement<double>>();
        foreach (ModelMonitor monitor in s_monitors.Values)
        {
            lock (monitor._foldLock)
            {
                foreach (FeatureInfo feature in monitor._features)
                {
                    if (feature.Kind != FeatureKind.Numerical || feature.IsSensitive || feature.WindowCount == 0)
                    {
                        continue;
                    }

                    double value = statistic switch
                    {
                        FeatureStatistic.WindowMean => feature.WindowSum / feature.WindowCount,
                        FeatureStatistic.WindowMin => feature.WindowMin,
                        _ => feature.WindowMax,
                    };
                    measurements.Add(new Measurement<double>(value, feature.TagsArray));
                }
            }
        }

        return measurements;
    }
}

/// <summary>How many predictions a model made, by outcome.</summary>
/// <param name="Successes">Predictions that returned.</param>
/// <param name="Errors">Predictions that threw.</param>
/// <param name="Canceled">Predictions canceled with an <see cref="OperationCanceledException"/>.</param>
public readonly record struct PredictionCounts(long Successes, long Errors, long Canceled)
{
    /// <summary>All predictions.</summary>
    public long Total => Successes + Errors + Canceled;
}
