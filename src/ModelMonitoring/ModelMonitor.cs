using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using ModelMonitoring.Runtime;
using ModelMonitoring.Sketches;
using ModelMonitoring.Statistics;

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

    // Held by flushes across drain and publish, so that a flush returns only after every window closed so far has
    // been evaluated and published. Prediction callers never take it (they only ever take the fold lock, and only
    // when their own buffer is full).
    private readonly object _publishLock = new();
    private readonly FeatureInfo[] _features;
    private readonly PredictionMonitor[] _methods;
    private FeatureWindow _window;
    private FeatureWindowSnapshot? _lastClosedWindow;
    private ILogger _logger;
    private int _loggerVersion = -1;
    private int _windowOptionsVersion;
    private long _monitoringFailures;
    private BaselineProfile? _reference;
    private ModelDriftReport? _latestDrift;

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
                    feature.MaxCategories > 0 ? feature.MaxCategories : defaultMaxCategories, feature.DriftMethod, feature.DriftThreshold,
                    isPrediction: feature.Source == FeatureSource.Prediction)
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
        _window = new FeatureWindow(Name, _features, ModelMonitoringRuntime.Options, ModelMonitoringRuntime.TimeProvider, isReferenceWindow: true);
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

    /// <summary>Raised on the folding thread each time a closed window has been compared with the reference.</summary>
    public event EventHandler<ModelDriftReport>? DriftEvaluated;

    /// <summary>
    /// The drift reference: a baseline profile (from options or <see cref="SetReference"/>), or the model's first window.
    /// <see langword="null"/> until one of them exists.
    /// </summary>
    public BaselineProfile? Reference => Volatile.Read(ref _reference);

    /// <summary>The result of the last drift evaluation, or <see langword="null"/> before the first window after the reference.</summary>
    public ModelDriftReport? LatestDrift => Volatile.Read(ref _latestDrift);

    /// <summary>
    /// Makes a baseline the drift reference of this model. It must profile every feature the model captures
    /// (sensitive ones excepted), with the same kinds.
    /// </summary>
    /// <exception cref="BaselineFormatException">The baseline does not match the model; the message lists each mismatch.</exception>
    public void SetReference(BaselineProfile baseline, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        baseline.EnsureMatches(
            _features.Where(f => f.Profile is not null).Select(f => (f.Name, f.Profile!.Type)),
            allowExtraFeatures: true,
            source: source ?? $"baseline of model '{Name}'");
        Volatile.Write(ref _reference, baseline);
        lock (_foldLock)
        {
            if (_window.Rows == 0)
            {
                _window = new FeatureWindow(Name, _features, ModelMonitoringRuntime.Options, ModelMonitoringRuntime.TimeProvider, isReferenceWindow: false);
            }
        }
    }

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
            monitor.TryApplyConfiguredBaseline(ModelMonitoringRuntime.Options);
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
        lock (_publishLock)
        {
            return CloseWindowLocked();
        }
    }

    private FeatureWindowSnapshot CloseWindowLocked()
    {
        var closed = new List<FeatureWindowSnapshot>(1);
        lock (_foldLock)
        {
            try
            {
                DrainLocked(allowWindowClose: true, closed);
            }
            catch (Exception exception)
            {
                RecordMonitoringFailure("folding buffered predictions", exception);
            }

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
        lock (_publishLock)
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
    }

    private void DrainLocked(bool allowWindowClose, List<FeatureWindowSnapshot> closed)
    {
        int version = ModelMonitoringRuntime.ConfigurationVersion;
        if (version != _windowOptionsVersion && _window.Rows == 0)
        {
            // Options or clock changed: the next window follows them.
            _windowOptionsVersion = version;
            _window = new FeatureWindow(Name, _features, ModelMonitoringRuntime.Options, ModelMonitoringRuntime.TimeProvider, isReferenceWindow: Reference is null);
        }

        ILogger logger = Logger;
        double sampleRate = PredictionMonitor.SampleRate(logger);

        // Rows of all threads and methods are folded in the order they were recorded, so that a window closed by
        // count holds the first rows that arrived, whichever thread recorded them.
        var sources = new List<(PredictionMonitor Method, RecordingBuffer Buffer, long Head)>();
        foreach (PredictionMonitor method in _methods)
        {
            foreach (RecordingBuffer buffer in method.GetBuffers())
            {
                long head = Volatile.Read(ref buffer.Head);
                if (buffer.Tail < head)
                {
                    sources.Add((method, buffer, head));
                }
            }
        }

        while (sources.Count > 0)
        {
            int earliest = 0;
            for (int i = 1; i < sources.Count; i++)
            {
                if (NextTimestamp(sources[i].Buffer) < NextTimestamp(sources[earliest].Buffer))
                {
                    earliest = i;
                }
            }

            (PredictionMonitor source, RecordingBuffer next, long end) = sources[earliest];
            if (sources.Count == 1)
            {
                for (long position = next.Tail; position < end; position++)
                {
                    source.FoldRow(next, position, _window, allowWindowClose, closed, logger, sampleRate);
                }

                break;
            }

            source.FoldRow(next, next.Tail, _window, allowWindowClose, closed, logger, sampleRate);
            if (next.Tail == end)
            {
                sources.RemoveAt(earliest);
            }
        }

        foreach (PredictionMonitor method in _methods)
        {
            method.RemoveDeadBuffers();
        }
    }

    /// <summary>Loads the baseline the options name for this model, if any. Never throws (used at registration).</summary>
    internal void TryApplyConfiguredBaseline(ModelMonitoringOptions options)
    {
        try
        {
            ApplyConfiguredBaseline(options);
        }
        catch (Exception exception)
        {
            RecordMonitoringFailure("loading its baseline", exception);
        }
    }

    /// <summary>Loads the baseline the options name for this model, if any.</summary>
    /// <exception cref="BaselineFormatException">The file is corrupt or does not match the model.</exception>
    internal void ApplyConfiguredBaseline(ModelMonitoringOptions options)
    {
        if (options.Baselines.TryGetValue(Name, out string? path) && !string.IsNullOrWhiteSpace(path))
        {
            SetReference(BaselineProfile.Load(path), source: path);
        }
    }

    internal static void ApplyConfiguredBaselines(ModelMonitoringOptions options)
    {
        var problems = new List<string>();
        foreach (ModelMonitor monitor in s_monitors.Values)
        {
            try
            {
                monitor.ApplyConfiguredBaseline(options);
            }
            catch (Exception exception) when (exception is BaselineFormatException or IOException or UnauthorizedAccessException)
            {
                problems.Add(exception.Message);
            }
        }

        if (problems.Count > 0)
        {
            throw new BaselineFormatException(string.Join(Environment.NewLine, problems));
        }
    }

    private ModelDriftReport? EvaluateDrift(FeatureWindowSnapshot snapshot, BaselineProfile reference)
    {
        if (snapshot.Profiles is null || snapshot.Rows == 0)
        {
            return null;
        }

        ModelMonitoringOptions options = ModelMonitoringRuntime.Options;
        var inputs = new List<ColumnDriftResult>();
        var predictions = new List<ColumnDriftResult>();
        foreach (FeatureProfile current in snapshot.Profiles)
        {
            FeatureInfo feature = _features.First(f => f.Name == current.Name);
            FeatureProfile? baseline = reference.Find(current.Name);
            if (baseline is null || baseline.Count == 0 || current.Count == 0)
            {
                continue; // nothing to compare: an all-missing window or a feature the baseline lacks
            }

            var settings = new ColumnDriftSettings(
                feature.DriftMethod != DriftMethod.Auto ? feature.DriftMethod : options.DriftMethod,
                !double.IsNaN(feature.DriftThreshold) ? feature.DriftThreshold : options.DriftThreshold);
            try
            {
                ColumnDriftResult result = SketchDriftEngine.EvaluateColumn(baseline, current, settings);
                (feature.IsPrediction ? predictions : inputs).Add(result);
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
            {
                RecordMonitoringFailure($"evaluating drift of feature '{current.Name}'", exception);
            }
        }

        return new ModelDriftReport(
            Name,
            snapshot.Start,
            snapshot.End,
            snapshot.Rows,
            reference.RowCount,
            DatasetDriftResult.FromColumns(inputs, options.DatasetDriftShare),
            DatasetDriftResult.FromColumns(predictions, options.DatasetDriftShare));
    }

    private static long NextTimestamp(RecordingBuffer buffer) => buffer.Timestamps[(int)(buffer.Tail & buffer.Mask)];

    private void Publish(List<FeatureWindowSnapshot> closed)
    {
        foreach (FeatureWindowSnapshot snapshot in closed)
        {
            Volatile.Write(ref _lastClosedWindow, snapshot);
            try
            {
                PublishDrift(snapshot);
            }
            catch (Exception exception)
            {
                RecordMonitoringFailure("evaluating drift", exception);
            }

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

    private void PublishDrift(FeatureWindowSnapshot snapshot)
    {
        BaselineProfile? reference = Reference;
        if (reference is null)
        {
            if (snapshot.Profiles is null || snapshot.Rows == 0)
            {
                return;
            }

            // No baseline: the first window is the reference (its profiles are kept, not recycled).
            reference = new BaselineProfile(snapshot.Profiles, Name, snapshot.Rows, snapshot.End);
            snapshot.Profiles = null;
            Volatile.Write(ref _reference, reference);
            ILogger referenceLogger = Logger;
            if (referenceLogger.IsEnabled(LogLevel.Information))
            {
                using (referenceLogger.BeginScope(LogScope))
                {
                    MonitoringLog.ReferenceFromFirstWindow(referenceLogger, Name, snapshot.Rows);
                }
            }

            return;
        }

        ModelDriftReport? report;
        try
        {
            report = EvaluateDrift(snapshot, reference);
        }
        finally
        {
            RecycleProfiles(snapshot);
        }

        if (report is null)
        {
            return;
        }

        Volatile.Write(ref _latestDrift, report);
        ILogger logger = Logger;
        string drifted = string.Join(", ", report.Features.Columns.Concat(report.Prediction.Columns).Where(c => c.Drift).Select(c => $"{c.Name} ({c.MethodName} {c.Score:G4})"));
        using (logger.BeginScope(LogScope))
        {
            if (report.Drift || report.PredictionDrift)
            {
                MonitoringLog.DriftDetected(logger, Name, report.Features.DriftedColumns, report.Features.ColumnCount, report.Features.Share, report.PredictionDrift, report.Rows, drifted);
            }
            else if (logger.IsEnabled(LogLevel.Information))
            {
                MonitoringLog.NoDrift(logger, Name, report.Features.DriftedColumns, report.Features.ColumnCount, report.Features.Share, report.Rows);
            }
        }

        DriftEvaluated?.Invoke(this, report);
    }

    private void RecycleProfiles(FeatureWindowSnapshot snapshot)
    {
        if (snapshot.Profiles is not { } profiles)
        {
            return;
        }

        snapshot.Profiles = null;
        lock (_foldLock)
        {
            foreach (FeatureProfile profile in profiles)
            {
                _features.FirstOrDefault(f => f.Name == profile.Name)?.Recycle(profile);
            }
        }
    }

    internal static IEnumerable<Measurement<double>> ObserveDrift(DriftStatistic statistic)
    {
        var measurements = new List<Measurement<double>>();
        foreach (ModelMonitor monitor in s_monitors.Values)
        {
            if (monitor.LatestDrift is not { } report)
            {
                continue;
            }

            var model = new KeyValuePair<string, object?>("model", monitor.Name);
            switch (statistic)
            {
                case DriftStatistic.FeatureScore or DriftStatistic.FeatureDetected:
                    foreach (ColumnDriftResult column in report.Features.Columns.Concat(report.Prediction.Columns))
                    {
                        double value = statistic == DriftStatistic.FeatureScore ? column.Score : column.Drift ? 1 : 0;
                        measurements.Add(new Measurement<double>(value, model, new("feature", column.Name), new("method", column.MethodName)));
                    }

                    break;
                case DriftStatistic.ModelShare:
                    measurements.Add(new Measurement<double>(report.Features.Share, model));
                    break;
                case DriftStatistic.ModelDetected:
                    measurements.Add(new Measurement<double>(report.Drift ? 1 : 0, model));
                    break;
                case DriftStatistic.PredictionShare:
                    measurements.Add(new Measurement<double>(report.Prediction.Share, model));
                    break;
                case DriftStatistic.PredictionDetected:
                    measurements.Add(new Measurement<double>(report.PredictionDrift ? 1 : 0, model));
                    break;
            }
        }

        return measurements;
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

/// <summary>How a model's latest window compares with its reference.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="WindowStart">When the compared window opened.</param>
/// <param name="WindowEnd">When it closed.</param>
/// <param name="Rows">Rows in the window.</param>
/// <param name="ReferenceRows">Rows the reference was built from.</param>
/// <param name="Features">Drift of each input feature and of the inputs as a dataset.</param>
/// <param name="Prediction">Drift of the prediction (each captured part of it) and of the prediction as a whole.</param>
public sealed record ModelDriftReport(string Model, DateTimeOffset WindowStart, DateTimeOffset WindowEnd, long Rows, long ReferenceRows, DatasetDriftResult Features, DatasetDriftResult Prediction)
{
    /// <summary>Whether the inputs drifted: the share of drifted input features reached the dataset threshold.</summary>
    public bool Drift => Features.Drift;

    /// <summary>Whether the prediction drifted.</summary>
    public bool PredictionDrift => Prediction.Drift;

    /// <summary>The result of one feature (input or prediction) by name.</summary>
    /// <exception cref="KeyNotFoundException">No such feature was compared; the message lists those that were.</exception>
    public ColumnDriftResult this[string feature] =>
        Features.Columns.Concat(Prediction.Columns).FirstOrDefault(c => c.Name == feature)
        ?? throw new KeyNotFoundException($"Feature '{feature}' of model '{Model}' was not compared. Compared: {string.Join(", ", Features.Columns.Concat(Prediction.Columns).Select(c => c.Name))}.");
}
