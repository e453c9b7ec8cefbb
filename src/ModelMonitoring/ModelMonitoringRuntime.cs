using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelMonitoring.Runtime;
using ModelMonitoring.Sketches;

namespace ModelMonitoring;

/// <summary>
/// One monitoring runtime: an immutable options snapshot, a clock, a logger factory, a meter, the row consumers, and
/// the state of every monitored model (counts, windows, references, results). Its folder thread drains the recording
/// rings; its evaluator thread closes the loop on windows. A host owns one (<c>AddModelMonitoring</c>); a console app
/// with no host records into <see cref="Default"/> with no set-up.
/// </summary>
/// <remarks>
/// Generated code records each call into <see cref="Current"/>: the runtime made current for the caller's async flow by
/// <see cref="BeginScope"/> (ASP.NET Core does this for every request), else the runtime made the process default by
/// <see cref="Activate"/> (a host does this when it starts), else <see cref="Default"/>. Two runtimes never share
/// state, so two test hosts in one process do not see each other's models.
/// </remarks>
public sealed class ModelMonitoringRuntime : IDisposable
{
    private static readonly object s_defaultLock = new();
    private static readonly AsyncLocal<ModelMonitoringRuntime?> s_scoped = new();
    private static ModelMonitoringRuntime? s_default;
    private static ModelMonitoringRuntime? s_activated;
    private static int s_scopesUsed;

    private readonly object _modelsLock = new();
    private readonly Dictionary<string, ModelMonitor> _byName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<RegisteredModel, ModelMonitor> _byModel = new(ReferenceEqualityComparer.Instance);
    private ModelMonitor[] _modelList = [];
    private MethodRecorder?[] _recorders = [];
    private ModelMonitoringOptions _options;
    private volatile bool _recording;
    private volatile bool _disposed;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IMeterFactory? _meterFactory;
    private readonly object _instrumentsLock = new();
    private RuntimeInstruments? _instruments;

    /// <summary>Creates a runtime. Dispose it to stop its threads (rows recorded before are folded first).</summary>
    /// <param name="options">The options; validated, then copied: changing the object afterwards changes nothing. Null: defaults.</param>
    /// <param name="timeProvider">The clock of windows and timers; null: the system clock. Tests pass a fake one.</param>
    /// <param name="loggerFactory">Where monitoring logs go (category <c>ModelMonitoring</c>); null: nowhere.</param>
    /// <param name="rowConsumers">Receive every row, in order, on the folder thread.</param>
    /// <param name="meterFactory">Creates the runtime's meter (a host passes its own); null: a meter of its own.</param>
    /// <exception cref="ArgumentException">A setting is invalid; the message names each one.</exception>
    /// <exception cref="BaselineFormatException">A configured baseline is corrupt or does not match its model; the message names the file.</exception>
    public ModelMonitoringRuntime(
        ModelMonitoringOptions? options = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        IEnumerable<IPredictionRowConsumer>? rowConsumers = null,
        IMeterFactory? meterFactory = null)
    {
        _options = Snapshot(options ?? new ModelMonitoringOptions());
        _recording = _options.Enabled;
        TimeProvider = timeProvider ?? TimeProvider.System;
        UsesSystemClock = ReferenceEquals(TimeProvider, TimeProvider.System);
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        Logger = _loggerFactory.CreateLogger(MonitoringLog.Category);
        _meterFactory = meterFactory;
        IPredictionRowConsumer[] consumers = [new QualityMonitor(this), Performance = new PerformanceMonitor(this), .. rowConsumers ?? []];
        SignalSources = [new RuntimeSignals(), .. consumers.OfType<IModelSignalSource>()];
        SensitiveHasher = consumers.OfType<InferenceCapture>().Select(c => c.Hasher).FirstOrDefault(h => h is not null);
        Folder = new Folder(this, consumers);
        Evaluator = new Evaluator(this);
        foreach (RegisteredModel model in ModelRegistry.Attach(this))
        {
            OnModelRegistered(model);
        }

        ApplyBaselines(_options, throwOnError: true);
    }

    /// <summary>The process's zero-set-up runtime, created on first use: default options, the system clock, no logs.</summary>
    public static ModelMonitoringRuntime Default
    {
        get
        {
            if (Volatile.Read(ref s_default) is { } runtime)
            {
                return runtime;
            }

            lock (s_defaultLock)
            {
                if (s_default is null)
                {
                    var created = new ModelMonitoringRuntime();
                    AppDomain.CurrentDomain.ProcessExit += (_, _) => created.Flush();
                    Volatile.Write(ref s_default, created);
                }

                return s_default;
            }
        }
    }

    /// <summary>The runtime that calls record into: the caller's scope, else the activated runtime, else <see cref="Default"/>.</summary>
    public static ModelMonitoringRuntime Current
    {
        get
        {
            if (Volatile.Read(ref s_scopesUsed) != 0 && s_scoped.Value is { } scoped)
            {
                return scoped;
            }

            return Volatile.Read(ref s_activated) ?? Volatile.Read(ref s_default) ?? Default;
        }
    }

    /// <summary>A copy of the options in force (changing it changes nothing; use <see cref="UpdateOptions"/>).</summary>
    public ModelMonitoringOptions Options => Volatile.Read(ref _options).Clone();

    /// <summary>The clock of windows and timers.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The runtime's meter, named <c>ModelMonitoring</c>: every instrument of <see cref="ModelMonitoringInstruments"/>.</summary>
    public Meter Meter => Instruments.Meter;

    /// <summary>Every model monitored by this runtime, ordered by name.</summary>
    public IReadOnlyCollection<ModelMonitor> Models => [.. ModelList.OrderBy(m => m.Name, StringComparer.Ordinal)];

    internal ModelMonitoringOptions OptionsSnapshot => Volatile.Read(ref _options);

    /// <summary>Whether the clock is the system's: rows then take their time from the stopwatch reading they have anyway.</summary>
    internal bool UsesSystemClock { get; }

    internal ILogger Logger { get; }

    /// <summary>The logger factory the runtime was given (<see cref="NullLoggerFactory"/> when none): model loggers write there.</summary>
    internal ILoggerFactory LoggerFactory => _loggerFactory;

    /// <summary>Whether the runtime was given a logger factory (a host's); model loggers otherwise write JSON lines to the console.</summary>
    internal bool HasLoggerFactory => _loggerFactory is not NullLoggerFactory;

    internal ModelMonitor[] ModelList => Volatile.Read(ref _modelList);

    /// <summary>The keyed hash of [Sensitive] values, when an inference capture of this runtime asks for one.</summary>
    internal SensitiveValueHasher? SensitiveHasher { get; }

    /// <summary>
    /// The instruments, created on first use: a host creates them when it starts, the <see cref="Default"/> runtime when
    /// it records its first row, so that a process whose calls all go to a host shows one set of series.
    /// </summary>
    /// <summary>Where <see cref="ModelMonitor.GetSignals"/> reads from: the runtime's own, then the built-in monitors and consumers.</summary>
    internal IReadOnlyList<IModelSignalSource> SignalSources { get; }

    internal RuntimeInstruments Instruments
    {
        get
        {
            if (Volatile.Read(ref _instruments) is { } instruments)
            {
                return instruments;
            }

            lock (_instrumentsLock)
            {
                if (_instruments is null)
                {
                    var created = new RuntimeInstruments(this, _meterFactory);
                    Volatile.Write(ref _instruments, created);
                    created.CreateInstruments(OptionsSnapshot.EffectiveDurationBuckets);
                }

                return _instruments;
            }
        }
    }

    internal Folder Folder { get; }

    /// <summary>The built-in performance monitor (outcomes, realized and estimated performance, concept drift).</summary>
    internal PerformanceMonitor Performance { get; }

    internal Evaluator Evaluator { get; }

    /// <summary>The monitor of the model with this name.</summary>
    /// <exception cref="KeyNotFoundException">No such model; the message lists the models that exist.</exception>
    public ModelMonitor For(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryGet(name, out ModelMonitor? monitor)
            ? monitor!
            : throw new KeyNotFoundException($"No monitored model is named '{name}'. Known models: {string.Join(", ", ModelList.Select(m => m.Name).Order(StringComparer.Ordinal))}.");
    }

    /// <summary>The monitor of the model with this name, if one exists.</summary>
    public bool TryGet(string name, out ModelMonitor? monitor)
    {
        lock (_modelsLock)
        {
            return _byName.TryGetValue(name, out monitor);
        }
    }

    /// <summary>
    /// Makes this runtime <see cref="Current"/> for the caller's async flow until the scope is disposed: calls made in
    /// it record here. ASP.NET Core's <c>AddModelMonitoring</c> opens one per request; tests open one per test.
    /// </summary>
    public IDisposable BeginScope()
    {
        Interlocked.Exchange(ref s_scopesUsed, 1);
        var scope = new Scope(s_scoped.Value);
        s_scoped.Value = this;
        return scope;
    }

    /// <summary>
    /// Makes this runtime the one that calls outside any scope record into, until the returned handle is disposed,
    /// unless another runtime holds that place already (then the handle does nothing). A host calls it when it starts.
    /// </summary>
    public IDisposable Activate()
    {
        bool activated = Interlocked.CompareExchange(ref s_activated, this, null) is null;
        return new Activation(activated ? this : null);
    }

    /// <summary>
    /// Replaces the options after validating them. Window settings apply from the next window on (an empty window is
    /// reopened at once); recording settings apply at once. Duration buckets and the recording capacity are kept from
    /// the start.
    /// </summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names each one.</exception>
    /// <exception cref="BaselineFormatException">A configured baseline is corrupt or does not match its model.</exception>
    public void UpdateOptions(ModelMonitoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ModelMonitoringOptions snapshot = Snapshot(options);
        ModelMonitoringOptions previous = OptionsSnapshot;
        snapshot.DurationBuckets = previous.DurationBuckets;
        snapshot.RecordingCapacity = previous.RecordingCapacity;
        ApplyBaselines(snapshot, throwOnError: true, changedOnlyFrom: previous);
        Volatile.Write(ref _options, snapshot);
        _recording = snapshot.Enabled && !_disposed;
        Folder.ResetTimer(snapshot.FlushInterval);
        Folder.Signal();
    }

    /// <summary>
    /// Folds every prediction recorded so far, closes windows whose time is up, and waits until the windows closed so
    /// far are evaluated and published. Call it before reading statistics that depend on closed windows.
    /// </summary>
    public void Flush()
    {
        Folder.RequestPass(closeDue: true);
        Evaluator.WaitUntilIdle();
    }

    /// <summary>Stops recording, folds and evaluates what was recorded, and stops the runtime's threads.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _recording = false;
        ModelRegistry.Detach(this);
        Interlocked.CompareExchange(ref s_activated, null, this);
        Folder.Dispose();
        Evaluator.Dispose();
        Volatile.Read(ref _instruments)?.Dispose();
    }

    /// <summary>Waits until the folder has taken every row committed before the call (readers of counts call it).</summary>
    internal void WaitForFolder()
    {
        foreach (ModelMonitor model in ModelList)
        {
            foreach (MethodRecorder recorder in model.Recorders)
            {
                if (recorder.HasPending || recorder.Dropped.Rows != 0)
                {
                    Folder.RequestPass(closeDue: false);
                    return;
                }
            }
        }
    }

    /// <summary>The recorder of a method in this runtime; null when recording is off. The hot path: no lock once created.</summary>
    internal MethodRecorder? GetRecorder(PredictionMonitor method)
    {
        MethodRecorder?[] recorders = _recorders;
        int id = method.Id;
        if ((uint)id < (uint)recorders.Length && recorders[id] is { } recorder)
        {
            return _recording ? recorder : null;
        }

        return _recording ? CreateRecorder(method) : null;
    }

    /// <summary>The monitor of a registered model type in this runtime.</summary>
    internal ModelMonitor? GetMonitor(RegisteredModel model)
    {
        if (_byModel.TryGetValue(model, out ModelMonitor? monitor))
        {
            return monitor;
        }

        OnModelRegistered(model);
        return _byModel.GetValueOrDefault(model);
    }

    /// <summary>Monitors a model type registered now or before this runtime existed; types sharing a name are merged.</summary>
    internal void OnModelRegistered(RegisteredModel model)
    {
        ModelMonitor monitor;
        bool created = false;
        lock (_modelsLock)
        {
            if (_byModel.ContainsKey(model))
            {
                return;
            }

            if (_byName.TryGetValue(model.Descriptor.Name, out ModelMonitor? existing))
            {
                existing.AddModel(model);
                monitor = existing;
            }
            else
            {
                monitor = new ModelMonitor(this, model);
                _byName[model.Descriptor.Name] = monitor;
                Volatile.Write(ref _modelList, [.. _modelList, monitor]);
                created = true;
            }

            _byModel[model] = monitor;
        }

        if (created)
        {
            try
            {
                monitor.ApplyConfiguredBaseline(OptionsSnapshot);
            }
            catch (Exception exception)
            {
                monitor.RecordMonitoringFailure(MonitoringStage.Baseline, exception);
            }
        }
    }

    private MethodRecorder? CreateRecorder(PredictionMonitor method)
    {
        if (_disposed)
        {
            return null;
        }

        try
        {
            ModelMonitor? monitor = GetMonitor(method.Model);
            if (monitor is null)
            {
                return null;
            }

            MethodRecorder recorder = monitor.CreateRecorder(method, OptionsSnapshot);
            lock (_modelsLock)
            {
                MethodRecorder?[] recorders = _recorders;
                if (recorders.Length <= method.Id)
                {
                    Array.Resize(ref recorders, Math.Max(method.Id + 1, recorders.Length * 2));
                }
                else
                {
                    recorders = (MethodRecorder?[])recorders.Clone();
                }

                recorders[method.Id] = recorder;
                Volatile.Write(ref _recorders, recorders);
            }

            _ = Instruments;
            Folder.EnsureStarted();
            return recorder;
        }
        catch (Exception exception)
        {
            GetMonitor(method.Model)?.RecordMonitoringFailure(MonitoringStage.Record, exception);
            return null;
        }
    }

    private void ApplyBaselines(ModelMonitoringOptions options, bool throwOnError, ModelMonitoringOptions? changedOnlyFrom = null)
    {
        var problems = new List<string>();
        foreach (ModelMonitor monitor in ModelList)
        {
            if (changedOnlyFrom is not null
                && changedOnlyFrom.Baselines.GetValueOrDefault(monitor.Name) == options.Baselines.GetValueOrDefault(monitor.Name))
            {
                continue;
            }

            try
            {
                monitor.ApplyConfiguredBaseline(options);
            }
            catch (Exception exception) when (exception is BaselineFormatException or IOException or UnauthorizedAccessException)
            {
                problems.Add(exception.Message);
            }
        }

        if (problems.Count > 0 && throwOnError)
        {
            throw new BaselineFormatException(string.Join(Environment.NewLine, problems));
        }
    }

    private static ModelMonitoringOptions Snapshot(ModelMonitoringOptions options)
    {
        IReadOnlyList<string> errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid ModelMonitoring options: " + string.Join(" ", errors), nameof(options));
        }

        return options.Clone();
    }

    private sealed class Scope(ModelMonitoringRuntime? previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                s_scoped.Value = previous;
            }
        }
    }

    private sealed class Activation(ModelMonitoringRuntime? runtime) : IDisposable
    {
        private ModelMonitoringRuntime? _runtime = runtime;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _runtime, null) is { } activated)
            {
                Interlocked.CompareExchange(ref s_activated, null, activated);
            }
        }
    }
}
