using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using ModelMonitoring.Runtime;
using ModelMonitoring.Sketches;

namespace ModelMonitoring;

/// <summary>
/// The monitoring state of one model in one <see cref="ModelMonitoringRuntime"/>: its tracked methods, prediction
/// counts, windows, drift reference and results. Every runtime monitors every model of the process. Look one up
/// with <see cref="For(string)"/> (in the current runtime) or <see cref="ModelMonitoringRuntime.For(string)"/>.
/// </summary>
public sealed class ModelMonitor
{
    private readonly object _definitionLock = new();
    private readonly ConcurrentDictionary<(MonitoringStage Stage, string? Feature), StrongBox<long>> _failures = new();
    private readonly ConcurrentDictionary<(MonitoringStage Stage, string? Feature), long> _lastFailureLog = new();
    private ModelDescriptor[] _descriptors;
    private ModelFeature[] _features = [];
    private FeatureDescriptor[] _featureDescriptors = [];
    private readonly Dictionary<string, int> _featureIndex = new(StringComparer.Ordinal);
    private PredictionMonitor[] _methods = [];
    private MethodRecorder[] _recorders = [];
    private FeatureWindowSnapshot? _lastClosedWindow;
    private ModelDriftReport? _latestDrift;
    private FeatureWindowSnapshot? _publishedWindow;
    private long _monitoringFailures;

    internal ModelMonitor(ModelMonitoringRuntime runtime, RegisteredModel first)
    {
        Runtime = runtime;
        Name = first.Descriptor.Name;
        VersionTag = VersionTagOf(first.Descriptor);
        LogScope = new ModelLogScope(first.Descriptor);
        _descriptors = [];
        Windows = new WindowSet(new WindowState(string.Empty));
        AddModel(first);
    }

    /// <summary>The runtime this state belongs to.</summary>
    public ModelMonitoringRuntime Runtime { get; }

    /// <summary>The model's name.</summary>
    public string Name { get; }

    /// <summary>The model as the generator described it (the first type registered under this name).</summary>
    public ModelDescriptor Descriptor => Volatile.Read(ref _descriptors)[0];

    /// <summary>Every type registered under this name: usually one; more when two types share the name, and are merged.</summary>
    public IReadOnlyList<ModelDescriptor> Descriptors => Volatile.Read(ref _descriptors);

    /// <summary>The model's features, merged by name over its methods and types: inputs, then the prediction.</summary>
    public IReadOnlyList<FeatureDescriptor> Features => Volatile.Read(ref _featureDescriptors);

    /// <summary>The tracked methods of every type under this name.</summary>
    public IReadOnlyList<PredictionMonitor> Methods => Volatile.Read(ref _methods);

    /// <summary>Every model of the current runtime (<see cref="ModelMonitoringRuntime.Current"/>), ordered by name.</summary>
    public static IReadOnlyCollection<ModelMonitor> All => ModelMonitoringRuntime.Current.Models;

    /// <summary>The model's window that closed last, or <see langword="null"/> before the first one closes.</summary>
    public FeatureWindowSnapshot? LastClosedWindow => Volatile.Read(ref _lastClosedWindow);

    /// <summary>Failures inside this model's monitoring so far (never thrown to callers).</summary>
    public long MonitoringFailures => Interlocked.Read(ref _monitoringFailures);

    /// <summary>Raised on the runtime's evaluator thread each time one of the model's windows closes, after it is logged.</summary>
    public event EventHandler<FeatureWindowSnapshot>? WindowClosed;

    /// <summary>Raised on the runtime's evaluator thread each time a closed window has been compared with its reference.</summary>
    public event EventHandler<ModelDriftReport>? DriftEvaluated;

    /// <summary>
    /// The drift reference of the model's window: a baseline profile (from options or <see cref="SetReference"/>), or the
    /// model's first window. <see langword="null"/> until one of them exists.
    /// </summary>
    public BaselineProfile? Reference => Windows.Model.Reference;

    /// <summary>The result of the last drift evaluation, or <see langword="null"/> before the first window after the reference.</summary>
    public ModelDriftReport? LatestDrift => Volatile.Read(ref _latestDrift);

    // Quality (issue 10): set by the runtime's built-in quality monitor when a window closes.
    private WindowQuality? _latestQuality;
    private ImmutableDictionary<string, WindowQuality> _latestSegmentQuality = ImmutableDictionary.Create<string, WindowQuality>(StringComparer.Ordinal);

    /// <summary>
    /// Data quality and outliers of the model's last closed window against its reference (missing, out-of-range and unseen
    /// values per feature; rows the isolation forest flagged), or <see langword="null"/> before the first window closes.
    /// </summary>
    public WindowQuality? LatestQuality => Volatile.Read(ref _latestQuality);

    /// <summary>The same per segment (from <c>[Segment]</c>), each against the segment's own reference, by segment value.</summary>
    public IReadOnlyDictionary<string, WindowQuality> LatestSegmentQuality => Volatile.Read(ref _latestSegmentQuality);

    internal void PublishQuality(WindowQuality quality) => Volatile.Write(ref _latestQuality, quality);

    internal void PublishSegmentQuality(string segment, WindowQuality quality) =>
        ImmutableInterlocked.Update(ref _latestSegmentQuality, (all, item) => all.SetItem(item.Segment, item), quality);

    internal string VersionTag { get; }

    internal ModelLogScope LogScope { get; }

    internal ILogger Logger => Runtime.Logger;

    internal WindowSet Windows { get; }

    internal ModelFeature[] FeatureStates => Volatile.Read(ref _features);

    internal MethodRecorder[] Recorders => Volatile.Read(ref _recorders);

    /// <summary>The model's open window as the folder last published it (for the window gauges); null before any row.</summary>
    internal FeatureWindowSnapshot? PublishedWindow
    {
        get => Volatile.Read(ref _publishedWindow);
        set => Volatile.Write(ref _publishedWindow, value);
    }

    /// <summary>The monitor of the model with this name in the current runtime (<see cref="ModelMonitoringRuntime.Current"/>).</summary>
    /// <exception cref="KeyNotFoundException">No such model; the message lists the models that exist.</exception>
    public static ModelMonitor For(string name) => ModelMonitoringRuntime.Current.For(name);

    /// <summary>The monitor of the model with this name in the current runtime, if one exists.</summary>
    public static bool TryGet(string name, out ModelMonitor? monitor) => ModelMonitoringRuntime.Current.TryGet(name, out monitor);

    /// <summary>
    /// Makes a baseline the drift reference of this model. It must profile every feature the model captures
    /// (sensitive ones excepted), with the same kinds. A baseline set this way is never replaced by a first window.
    /// </summary>
    /// <exception cref="BaselineFormatException">The baseline does not match the model; the message lists each mismatch.</exception>
    public void SetReference(BaselineProfile baseline, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        baseline.EnsureMatches(
            FeatureStates.Where(f => !f.IsSensitive).Select(f => (f.Name, f.ColumnType)),
            allowExtraFeatures: true,
            source: source ?? $"baseline of model '{Name}'");
        Windows.Model.SetBaseline(baseline);
    }

    /// <summary>
    /// Prediction counts of all methods, exact up to now: the runtime's folder takes every row recorded before the call
    /// first (this waits for the folder, never for a prediction, and closes no window).
    /// </summary>
    public PredictionCounts GetPredictionCounts()
    {
        Runtime.WaitForFolder();
        MethodRecorder[] recorders = Recorders;
        return new PredictionCounts(recorders.Sum(r => r.Successes), recorders.Sum(r => r.Errors), recorders.Sum(r => r.Canceled));
    }

    /// <summary>The model's open window, with every row recorded before the call folded in (closes nothing).</summary>
    public FeatureWindowSnapshot GetCurrentWindow() =>
        Runtime.Folder.Run(() => Runtime.Folder.SnapshotOpenWindow(this));

    /// <summary>
    /// Closes the model's window now, with every row recorded before the call in it, evaluates and publishes it like a
    /// window that closed by itself, and returns it.
    /// </summary>
    public FeatureWindowSnapshot CloseWindow()
    {
        FeatureWindowSnapshot closed = Runtime.Folder.Run(() => Runtime.Folder.CloseModelWindow(this));
        Runtime.Evaluator.WaitUntilIdle();
        return closed;
    }

    /// <summary>
    /// The model's current signals (drift, error rate, latency, and what the built-in monitors and signal sources add),
    /// as alert rules read them. A source that throws is counted as a monitoring failure and skipped.
    /// </summary>
    public IReadOnlyList<ModelSignal> GetSignals()
    {
        var signals = new List<ModelSignal>();
        foreach (IModelSignalSource source in Runtime.SignalSources)
        {
            try
            {
                source.AddSignals(this, signals);
            }
            catch (Exception exception)
            {
                RecordMonitoringFailure(MonitoringStage.Evaluate, exception);
            }
        }

        return signals;
    }

    // Performance from ground truth (issue 10, performance half): outcomes, realized and estimated performance.

    /// <summary>
    /// Joins the ground truth of a prediction to it, by the value of its <c>[PredictionKey]</c>: a regression's actual
    /// value, or a classifier's actual label when its labels are numbers. The outcome may arrive before its prediction
    /// was folded: it then waits, up to <see cref="ModelMonitoringOptions.OutcomeTimeToLive"/>. Never slows a prediction;
    /// thread-safe. Counted in <c>ml.model.outcomes</c>.
    /// </summary>
    /// <returns>True when the prediction was found and joined now; false when the outcome waits for it.</returns>
    /// <exception cref="ArgumentException">The key is empty, or the value is not finite.</exception>
    /// <exception cref="InvalidOperationException">The model has no prediction feature to compare with.</exception>
    public bool RecordOutcome(PredictionKey key, double actual) => Runtime.Performance.RecordOutcome(this, key, null, actual);

    /// <summary>Joins a classifier's actual label (or a regression's value as invariant text) to its prediction; as <see cref="RecordOutcome(PredictionKey, double)"/>.</summary>
    /// <returns>True when the prediction was found and joined now; false when the outcome waits for it.</returns>
    /// <exception cref="ArgumentException">The key is empty, or a regression's outcome is not a number.</exception>
    /// <exception cref="InvalidOperationException">The model has no prediction feature to compare with.</exception>
    public bool RecordOutcome(PredictionKey key, string actual) => Runtime.Performance.RecordOutcome(this, key, actual ?? throw new ArgumentNullException(nameof(actual)), double.NaN);

    /// <summary>Joins a yes/no classifier's actual answer (the labels <c>true</c>/<c>false</c>) to its prediction; as <see cref="RecordOutcome(PredictionKey, double)"/>.</summary>
    /// <returns>True when the prediction was found and joined now; false when the outcome waits for it.</returns>
    public bool RecordOutcome(PredictionKey key, bool actual) => RecordOutcome(key, FeatureValues.ToLabel(actual)!);

    /// <summary>What happened to the model's keyed predictions and outcomes so far (all zero before the first).</summary>
    public OutcomeCounts GetOutcomeCounts() => Runtime.Performance.Find(this)?.Counts ?? default;

    /// <summary>The realized performance of the model's last window that had joined outcomes; null before.</summary>
    public ModelPerformanceReport? LatestPerformance => Runtime.Performance.Find(this)?.LatestReport(string.Empty);

    /// <summary>The realized performance of a segment's last window that had joined outcomes; null before or for an unknown segment.</summary>
    public ModelPerformanceReport? LatestSegmentPerformance(string segment) => Runtime.Performance.Find(this)?.LatestReport(segment);

    /// <summary>The performance of the model's last window estimated without outcomes (CBPE); null until the first outcomes calibrated it.</summary>
    public ModelPerformanceEstimate? LatestEstimatedPerformance => Runtime.Performance.Find(this)?.LatestEstimate(string.Empty);

    /// <summary>The estimated performance (CBPE) of a segment's last window; null before, or for an unknown segment.</summary>
    public ModelPerformanceEstimate? LatestSegmentEstimatedPerformance(string segment) => Runtime.Performance.Find(this)?.LatestEstimate(segment);

    /// <summary>Concept-drift detections on the model's error stream so far, by detector (<c>adwin</c>, <c>page-hinkley</c>, <c>ddm</c>).</summary>
    public IReadOnlyDictionary<string, long> GetConceptDriftDetections() =>
        Runtime.Performance.Find(this)?.Detections.ToDictionary(d => d.Detector, d => d.Detections) ?? [];

    internal static string VersionTagOf(ModelDescriptor descriptor) =>
        string.IsNullOrEmpty(descriptor.Version) ? "unknown" : descriptor.Version;

    /// <summary>Counts and logs a failure inside monitoring. Never throws.</summary>
    internal void RecordMonitoringFailure(MonitoringStage stage, Exception exception, string? feature = null)
    {
        try
        {
            Interlocked.Increment(ref _monitoringFailures);
            Interlocked.Increment(ref _failures.GetOrAdd((stage, feature), static _ => new StrongBox<long>()).Value);

            // Logged at most once a minute per stage and feature: a getter that throws on every call must not flood the log.
            long now = Environment.TickCount64;
            bool first = !_lastFailureLog.TryGetValue((stage, feature), out long last);
            bool due = first ? _lastFailureLog.TryAdd((stage, feature), now) : now - last >= 60_000 && _lastFailureLog.TryUpdate((stage, feature), now, last);
            if (!due)
            {
                return;
            }

            ILogger logger = Logger;
            if (logger.IsEnabled(LogLevel.Warning))
            {
                using (logger.BeginScope(LogScope))
                {
                    MonitoringLog.MonitoringFailed(logger, exception, Name, stage, feature is null ? string.Empty : $" (feature {feature})");
                }
            }
        }
        catch
        {
            // The last line of defence: monitoring never throws into a prediction.
        }
    }

    /// <summary>Failures by stage and feature, for the <c>ml.monitoring.failures</c> counter.</summary>
    internal IEnumerable<(MonitoringStage Stage, string? Feature, long Count)> FailuresByStage =>
        _failures.Select(f => (f.Key.Stage, f.Key.Feature, Volatile.Read(ref f.Value.Value)));

    internal void PublishClosedWindow(FeatureWindowSnapshot window)
    {
        if (window.Segment.Length == 0)
        {
            Volatile.Write(ref _lastClosedWindow, window);
        }

        WindowClosed?.Invoke(this, window);
    }

    internal void PublishDrift(ModelDriftReport report)
    {
        Volatile.Write(ref _latestDrift, report);
        DriftEvaluated?.Invoke(this, report);
    }

    /// <summary>Adds a model type registered under this name: merges its features by name and its methods.</summary>
    internal void AddModel(RegisteredModel model)
    {
        lock (_definitionLock)
        {
            if (_descriptors.Contains(model.Descriptor))
            {
                return;
            }

            ModelDescriptor descriptor = model.Descriptor;
            if (_descriptors.Length > 0)
            {
                MonitoringLog.DuplicateModelName(Logger, Name, _descriptors[0].TypeName, descriptor.TypeName);
            }

            var features = new List<ModelFeature>(_features);
            foreach (FeatureDescriptor feature in descriptor.Methods.SelectMany(m => m.Features))
            {
                if (!_featureIndex.TryGetValue(feature.Name, out int index))
                {
                    _featureIndex[feature.Name] = features.Count;
                    features.Add(new ModelFeature(features.Count, feature, Name));
                }
                else if (features[index].Kind != feature.Kind)
                {
                    MonitoringLog.FeatureKindConflict(Logger, Name, feature.Name, features[index].Kind, _descriptors.Length > 0 ? _descriptors[0].TypeName : descriptor.TypeName, feature.Kind, descriptor.TypeName);
                }
            }

            Volatile.Write(ref _featureDescriptors, features.Select(f => f.Descriptor).ToArray());
            Volatile.Write(ref _features, [.. features]);
            Volatile.Write(ref _methods, [.. _methods, .. model.MethodMonitors]);
            Volatile.Write(ref _descriptors, [.. _descriptors, descriptor]);
        }
    }

    /// <summary>Creates the recording ring of one of the model's methods, on its first row in this runtime.</summary>
    internal MethodRecorder CreateRecorder(PredictionMonitor method, ModelMonitoringOptions options)
    {
        lock (_definitionLock)
        {
            foreach (MethodRecorder existing in _recorders)
            {
                if (ReferenceEquals(existing.Method, method))
                {
                    return existing;
                }
            }

            var recorder = new MethodRecorder(Runtime, this, method, options.RecordingCapacity, options.EffectiveDurationBuckets)
            {
                NumberFeatures = SlotMap(method.Descriptor, FeatureStorage.Number),
                LabelFeatures = SlotMap(method.Descriptor, FeatureStorage.Label),
            };
            Volatile.Write(ref _recorders, [.. _recorders, recorder]);
            return recorder;
        }
    }

    private int[] SlotMap(MethodDescriptor method, FeatureStorage storage)
    {
        FeatureDescriptor[] slots = method.Features.Where(f => f.Storage == storage).OrderBy(f => f.Slot).ToArray();
        var map = new int[slots.Length];
        for (int slot = 0; slot < slots.Length; slot++)
        {
            map[slot] = _featureIndex.TryGetValue(slots[slot].Name, out int index) && _features[index].Kind == slots[slot].Kind ? index : -1;
        }

        return map;
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
