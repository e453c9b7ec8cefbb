using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ModelMonitoring.Alerts;

/// <summary>
/// Evaluates alert rules over the signals of every model of a runtime (<see cref="ModelMonitor.GetSignals"/>), moves
/// each alert from pending to firing to resolved, and sends notifications: grouped per model, deduplicated, muted by
/// silences, sent again after the repeat interval, critical ones at once and the others batched into a digest.
/// </summary>
/// <remarks>
/// Rules are evaluated each time a model's window closes (on the runtime's evaluator thread) and every
/// <see cref="AlertingOptions.EvaluationInterval"/> on the runtime's <see cref="TimeProvider"/>, so a test advances a
/// fake clock. Notifications go to each <see cref="IAlertNotifier"/> through a bounded queue of its own: delivery
/// never blocks a prediction or an evaluation, and what a full queue refuses is counted as dropped.
/// A host creates one with <c>AddModelMonitoring</c>; elsewhere, create one over your runtime and dispose it.
/// </remarks>
public sealed partial class AlertEngine : IMonitoringSink, IDisposable
{
    /// <summary>The name of the meter of the alert counters (<c>ml.alerts.notifications</c>, <c>ml.alerts.active</c>).</summary>
    public const string MeterName = ModelMonitoringInstruments.SourceName + ".Alerts";

    /// <summary>The counter of notifications; tags <c>notifier</c> and <c>result</c> (sent, failed, dropped).</summary>
    public const string NotificationsInstrument = "ml.alerts.notifications";

    /// <summary>The gauge of alerts; tags <c>state</c> (pending, firing) and <c>severity</c>.</summary>
    public const string ActiveInstrument = "ml.alerts.active";

    private readonly ModelMonitoringRuntime _runtime;
    private readonly AlertingOptions _options;
    private readonly AlertRule[] _rules;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);
    private readonly List<AlertSilence> _silences = [];
    private readonly Dictionary<string, Digest> _digests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Alert>> _resolvedForState = new(StringComparer.Ordinal);
    private readonly HashSet<ModelMonitor> _subscribed = new(ReferenceEqualityComparer.Instance);
    private readonly NotifierQueue[] _queues;
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _notifications;
    private readonly ITimer? _timer;
    private readonly Uri? _externalUrl;
    private DateTimeOffset? _lastStateSend;
    private int _disposed;

    /// <summary>Creates the engine and starts its timer.</summary>
    /// <param name="runtime">The runtime whose models' signals the rules read; its clock times everything.</param>
    /// <param name="options">The settings (validated, then copied); null: defaults.</param>
    /// <param name="rules">Rules besides those of <paramref name="options"/> (from code, or a YAML file).</param>
    /// <param name="notifiers">Where notifications go.</param>
    /// <param name="loggerFactory">Where alert logs go (category <c>ModelMonitoring.Alerts</c>); null: nowhere.</param>
    /// <param name="meterFactory">Creates the <see cref="MeterName"/> meter (a host passes its own); null: a meter of its own.</param>
    /// <exception cref="ArgumentException">A setting or rule is invalid (or two rules share a name); the message names each.</exception>
    public AlertEngine(
        ModelMonitoringRuntime runtime,
        AlertingOptions? options = null,
        IEnumerable<AlertRule>? rules = null,
        IEnumerable<IAlertNotifier>? notifiers = null,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        _runtime = runtime;
        options ??= new AlertingOptions();
        IReadOnlyList<string> errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid alerting options: " + string.Join(" ", errors), nameof(options));
        }

        _options = options.Clone();
        AlertRule[] all = [.. _options.DefaultRules(), .. _options.ConfiguredRules(), .. rules ?? []];
        string[] duplicates = all.GroupBy(r => r.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (duplicates.Length > 0)
        {
            throw new ArgumentException($"Alert rule names must be unique; used more than once: {string.Join(", ", duplicates)}.", nameof(rules));
        }

        _rules = all;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(MeterName);
        _externalUrl = _options.ExternalUrl is { Length: > 0 } url ? new Uri(url) : null;
        DateTimeOffset now = runtime.TimeProvider.GetUtcNow();
        _silences.AddRange(_options.Silences.Select(s => s.ToSilence(now)));

        if (meterFactory is not null)
        {
            _meter = meterFactory.Create(new MeterOptions(MeterName) { Version = ModelMonitoringInstruments.Version });
        }
        else
        {
            _meter = new Meter(MeterName, ModelMonitoringInstruments.Version);
            _ownsMeter = true;
        }

        _notifications = _meter.CreateCounter<long>(NotificationsInstrument, unit: "{notification}", description: "Alert notifications by notifier and result: sent, failed (after retries) or dropped (the notifier's queue was full).");
        _meter.CreateObservableGauge(ActiveInstrument, ObserveActive, unit: "{alert}", description: "Alerts pending or firing, by severity.");
        _queues = (notifiers ?? []).Select(n => new NotifierQueue(this, n)).ToArray();

        if (_options.Enabled)
        {
            lock (_gate)
            {
                SubscribeNewModels();
            }

            _timer = runtime.TimeProvider.CreateTimer(_ => Evaluate(), null, _options.EvaluationInterval, _options.EvaluationInterval);
        }
    }

    /// <summary>Every rule evaluated: the defaults, those of the options, then those given to the constructor.</summary>
    public IReadOnlyList<AlertRule> Rules => _rules;

    /// <summary>A copy of the settings in force.</summary>
    public AlertingOptions Options => _options.Clone();

    /// <summary>The notifiers, in order.</summary>
    public IReadOnlyList<IAlertNotifier> Notifiers => _queues.Select(q => q.Notifier).ToArray();

    /// <summary>The sink's name in <c>/health</c>.</summary>
    public string Name => "alerts";

    /// <summary>Notifications delivered, dropped (a full queue, or failed after retries) and waiting, over all notifiers.</summary>
    public MonitoringSinkStatus Status => new(
        _queues.Sum(q => q.Sent),
        _queues.Sum(q => q.Dropped + q.Failed),
        _queues.Sum(q => q.Pending),
        _queues.Select(q => q.LastError).LastOrDefault(e => e is not null));

    /// <summary>The silences in force now or later.</summary>
    public IReadOnlyList<AlertSilence> Silences
    {
        get
        {
            DateTimeOffset now = _runtime.TimeProvider.GetUtcNow();
            lock (_gate)
            {
                return _silences.Where(s => s.EndsAt > now).ToArray();
            }
        }
    }

    /// <summary>The alerts pending and firing, most severe first, then by model and rule.</summary>
    public IReadOnlyList<Alert> GetAlerts()
    {
        lock (_gate)
        {
            DateTimeOffset now = _runtime.TimeProvider.GetUtcNow();
            return _series.Values.Select(s => s.ToAlert(IsSilenced(s.Labels, now)))
                .OrderByDescending(a => a.State).ThenByDescending(a => a.Severity).ThenBy(a => a.Model, StringComparer.Ordinal)
                .ThenBy(a => a.Name, StringComparer.Ordinal).ThenBy(a => a.Fingerprint, StringComparer.Ordinal).ToArray();
        }
    }

    /// <summary>Counts of each notifier's notifications: sent, failed, dropped, waiting.</summary>
    public IReadOnlyList<AlertDeliveryCounts> GetDeliveryCounts() =>
        _queues.Select(q => new AlertDeliveryCounts(q.Notifier.Name, q.Sent, q.Failed, q.Dropped, q.Pending)).ToArray();

    /// <summary>Mutes the alerts the silence matches until it ends.</summary>
    public void AddSilence(AlertSilence silence)
    {
        ArgumentNullException.ThrowIfNull(silence);
        lock (_gate)
        {
            _silences.Add(silence);
        }
    }

    /// <summary>Ends a silence now; false when no silence has that id.</summary>
    public bool RemoveSilence(string id)
    {
        lock (_gate)
        {
            return _silences.RemoveAll(s => s.Id == id) > 0;
        }
    }

    /// <summary>
    /// Evaluates every rule now (the timer and window closes do it by themselves), then sends what is due. Never
    /// throws: a failure is counted as a monitoring failure of the model and logged.
    /// </summary>
    public void Evaluate()
    {
        if (Volatile.Read(ref _disposed) != 0 || !_options.Enabled)
        {
            return;
        }

        lock (_gate)
        {
            try
            {
                EvaluateLocked(_runtime.TimeProvider.GetUtcNow());
            }
            catch (Exception exception)
            {
                EvaluationFailed(_logger, exception);
            }
        }
    }

    /// <summary>Waits until every notification queued so far was sent, failed or dropped; false on timeout.</summary>
    public async Task<bool> FlushAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (_queues.Any(q => q.Pending > 0))
        {
            try
            {
                await Task.Delay(10, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Stops the timer and the evaluations, and gives each notifier up to 5 s to send what it holds.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _timer?.Dispose();
        lock (_gate)
        {
            foreach (ModelMonitor model in _subscribed)
            {
                model.WindowClosed -= OnWindowClosed;
            }

            _subscribed.Clear();
        }

        foreach (NotifierQueue queue in _queues)
        {
            queue.Complete();
        }

        Task.WaitAll(_queues.Select(q => q.Worker).ToArray(), TimeSpan.FromSeconds(5));
        foreach (NotifierQueue queue in _queues)
        {
            queue.Cancel();
        }

        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private void OnWindowClosed(object? sender, FeatureWindowSnapshot window) => Evaluate();

    private void SubscribeNewModels()
    {
        foreach (ModelMonitor model in _runtime.ModelList)
        {
            if (_subscribed.Add(model))
            {
                model.WindowClosed += OnWindowClosed;
            }
        }
    }

    private void EvaluateLocked(DateTimeOffset now)
    {
        SubscribeNewModels();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var changed = new List<Series>();
        foreach (ModelMonitor model in _runtime.ModelList)
        {
            AlertRule[] rules = _rules.Where(r => r.Model is null || r.Model == model.Name).ToArray();
            if (rules.Length == 0)
            {
                continue;
            }

            IReadOnlyList<ModelSignal> signals = model.GetSignals();
            if (signals.Count == 0)
            {
                continue;
            }

            foreach (AlertRule rule in rules)
            {
                foreach (ModelSignal signal in signals)
                {
                    if (!Applies(rule, signal) || !rule.Comparison.Holds(signal.Value, rule.Threshold))
                    {
                        continue;
                    }

                    SortedDictionary<string, string> labels = LabelsOf(model, rule, signal);
                    string fingerprint = Alert.FingerprintOf(labels);
                    if (!seen.Add(fingerprint))
                    {
                        continue; // the same series twice (two sources): the first value counts
                    }

                    if (!_series.TryGetValue(fingerprint, out Series? series))
                    {
                        series = new Series(rule, model.Name, labels, fingerprint, now);
                        _series[fingerprint] = series;
                    }

                    series.Value = signal.Value;
                    series.EvaluatedAt = now;
                    if (series.State == AlertState.Pending && now - series.ActiveAt >= rule.For)
                    {
                        series.State = AlertState.Firing;
                        series.FiredAt = now;
                        changed.Add(series);
                        AlertFiring(_logger, rule.Name, model.Name, series.ToAlert(false).Summary, AlertTemplate.Format(signal.Value));
                    }
                }
            }
        }

        foreach (Series series in _series.Values.Where(s => !seen.Contains(s.Fingerprint)).ToArray())
        {
            _series.Remove(series.Fingerprint);
            if (series.State == AlertState.Firing)
            {
                series.State = AlertState.Resolved;
                series.ResolvedAt = now;
                series.EvaluatedAt = now;
                changed.Add(series);
                AlertResolved(_logger, series.Rule.Name, series.Model);
            }
        }

        _silences.RemoveAll(s => s.EndsAt <= now);
        Notify(changed, now);
    }

    private static bool Applies(AlertRule rule, ModelSignal signal) =>
        signal.Name == rule.Signal
        && (rule.Feature is null || signal.Feature == rule.Feature)
        && (rule.Metric is null || signal.Metric == rule.Metric)
        && (rule.Segment is null || (signal.Segment ?? string.Empty) == rule.Segment);

    private static SortedDictionary<string, string> LabelsOf(ModelMonitor model, AlertRule rule, ModelSignal signal)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach ((string name, string value) in rule.Labels)
        {
            labels[name] = value;
        }

        foreach ((string name, string value) in GroupLabelsOf(model))
        {
            labels[name] = value;
        }

        labels["alertname"] = rule.Name;
        labels["severity"] = rule.Severity.ToString().ToLowerInvariant();
        if (signal.Feature is { Length: > 0 } feature)
        {
            labels["feature"] = feature;
        }

        if (signal.Segment is { Length: > 0 } segment)
        {
            labels["segment"] = segment;
        }

        if (signal.Metric is { Length: > 0 } metric)
        {
            labels["metric"] = metric;
        }

        return labels;
    }

    /// <summary>The labels of a model's group: <c>model</c>, <c>model_version</c>, and <c>owner</c> and <c>squad</c> when set.</summary>
    internal static SortedDictionary<string, string> GroupLabelsOf(ModelMonitor model)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["model"] = model.Name,
            ["model_version"] = model.VersionTag,
        };
        if (model.Descriptor.Owner is { Length: > 0 } owner)
        {
            labels["owner"] = owner;
        }

        if (model.Descriptor.Squad is { Length: > 0 } squad)
        {
            labels["squad"] = squad;
        }

        return labels;
    }

    private bool IsSilenced(IReadOnlyDictionary<string, string> labels, DateTimeOffset now) =>
        _silences.Any(s => s.IsActive(now) && s.Matches(labels));

    private void Notify(List<Series> changed, DateTimeOffset now)
    {
        if (_queues.Length == 0)
        {
            return;
        }

        var immediate = new Dictionary<string, List<Alert>>(StringComparer.Ordinal);
        void Route(Series series, Alert alert)
        {
            if (series.Rule.Severity == AlertSeverity.Critical || _options.DigestInterval == TimeSpan.Zero)
            {
                Add(immediate, series.Model, alert);
                return;
            }

            if (!_digests.TryGetValue(series.Model, out Digest? digest))
            {
                digest = new Digest(now);
                _digests[series.Model] = digest;
            }

            digest.Alerts[series.Fingerprint] = alert; // the latest state of each alert: deduplicated
        }

        // For people: each firing alert once, then again after the repeat interval; resolved once; silenced ones wait.
        foreach (Series series in _series.Values.Where(s => s.State == AlertState.Firing))
        {
            if (IsSilenced(series.Labels, now))
            {
                continue;
            }

            if (series.NotifiedAt is not { } notified || now - notified >= _options.RepeatInterval)
            {
                series.NotifiedAt = now;
                Route(series, series.ToAlert(false));
            }
        }

        foreach (Series series in changed.Where(s => s.State == AlertState.Resolved))
        {
            if (_options.SendResolved && series.NotifiedAt is not null && !IsSilenced(series.Labels, now))
            {
                Route(series, series.ToAlert(false));
            }
        }

        foreach ((string model, List<Alert> alerts) in immediate)
        {
            Send(AlertNotificationKind.Immediate, model, alerts, now, everyAlert: false);
        }

        foreach ((string model, Digest digest) in _digests.ToArray())
        {
            if (now - digest.Since >= _options.DigestInterval)
            {
                _digests.Remove(model);
                Send(AlertNotificationKind.Digest, model, [.. digest.Alerts.Values], now, everyAlert: false);
            }
        }

        // For notifiers that group and silence themselves: every firing alert, resent on their interval, and each resolution.
        if (_queues.Any(q => q.Notifier.TakesEveryAlert))
        {
            foreach (Series series in changed.Where(s => s.State == AlertState.Resolved))
            {
                Add(_resolvedForState, series.Model, series.ToAlert(false));
            }

            bool resend = _lastStateSend is not { } last || now - last >= _options.ResendInterval;
            var byModel = _series.Values.Where(s => s.State == AlertState.Firing).GroupBy(s => s.Model, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(s => s.ToAlert(false)).ToList(), StringComparer.Ordinal);
            foreach (string model in byModel.Keys.Union(_resolvedForState.Keys).ToArray())
            {
                bool hasChange = _resolvedForState.ContainsKey(model) || changed.Any(s => s.Model == model && s.State == AlertState.Firing);
                if (!resend && !hasChange)
                {
                    continue;
                }

                List<Alert> alerts = byModel.GetValueOrDefault(model) ?? [];
                alerts.AddRange(_resolvedForState.GetValueOrDefault(model) ?? []);
                _resolvedForState.Remove(model);
                Send(AlertNotificationKind.State, model, alerts, now, everyAlert: true);
            }

            if (resend)
            {
                _lastStateSend = now;
            }
        }
    }

    private static void Add(Dictionary<string, List<Alert>> groups, string model, Alert alert)
    {
        if (!groups.TryGetValue(model, out List<Alert>? list))
        {
            list = [];
            groups[model] = list;
        }

        list.Add(alert);
    }

    private void Send(AlertNotificationKind kind, string model, List<Alert> alerts, DateTimeOffset now, bool everyAlert)
    {
        if (alerts.Count == 0)
        {
            return;
        }

        Alert[] ordered = alerts.OrderBy(a => a.State == AlertState.Firing ? 0 : 1).ThenByDescending(a => a.Severity)
            .ThenBy(a => a.Name, StringComparer.Ordinal).ThenBy(a => a.Fingerprint, StringComparer.Ordinal).ToArray();
        IReadOnlyDictionary<string, string> group = _runtime.TryGet(model, out ModelMonitor? monitor)
            ? GroupLabelsOf(monitor!)
            : new SortedDictionary<string, string>(StringComparer.Ordinal) { ["model"] = model };
        var notification = new AlertNotification(kind, model, group, ordered, now, _externalUrl);
        foreach (NotifierQueue queue in _queues)
        {
            if (queue.Notifier.TakesEveryAlert == everyAlert)
            {
                queue.Enqueue(notification);
            }
        }
    }

    private IEnumerable<Measurement<long>> ObserveActive()
    {
        (AlertState State, AlertSeverity Severity)[] states;
        lock (_gate)
        {
            states = _series.Values.Select(s => (s.State, s.Rule.Severity)).ToArray();
        }

        foreach (AlertState state in (AlertState[])[AlertState.Pending, AlertState.Firing])
        {
            foreach (AlertSeverity severity in Enum.GetValues<AlertSeverity>())
            {
                yield return new Measurement<long>(
                    states.Count(s => s.State == state && s.Severity == severity),
                    new KeyValuePair<string, object?>("state", state.ToString().ToLowerInvariant()),
                    new KeyValuePair<string, object?>("severity", severity.ToString().ToLowerInvariant()));
            }
        }
    }

    private void Count(NotifierQueue queue, string result) =>
        _notifications.Add(1, new KeyValuePair<string, object?>("notifier", queue.Notifier.Name), new KeyValuePair<string, object?>("result", result));

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Alert {Rule} of model {Model} is firing (value {Value}): {Summary}")]
    private static partial void AlertFiring(ILogger logger, string rule, string model, string summary, string value);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Alert {Rule} of model {Model} is resolved")]
    private static partial void AlertResolved(ILogger logger, string rule, string model);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "Alert rules could not be evaluated; the next evaluation tries again")]
    private static partial void EvaluationFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Notifier {Notifier} could not deliver a notification about model {Model} ({ExceptionType}: {Reason}); {Failed} failed so far. Logged at most once a minute")]
    private static partial void DeliveryFailed(ILogger logger, string notifier, string model, string exceptionType, string reason, long failed);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "The queue of notifier {Notifier} is full ({Capacity}): a notification about model {Model} was dropped; {Dropped} dropped so far. Logged at most once a minute")]
    private static partial void DeliveryDropped(ILogger logger, string notifier, int capacity, string model, long dropped);

    /// <summary>The state of one alert series (rule, model, feature, segment, metric) across evaluations.</summary>
    private sealed class Series(AlertRule rule, string model, SortedDictionary<string, string> labels, string fingerprint, DateTimeOffset activeAt)
    {
        public AlertRule Rule { get; } = rule;

        public string Model { get; } = model;

        public SortedDictionary<string, string> Labels { get; } = labels;

        public string Fingerprint { get; } = fingerprint;

        public DateTimeOffset ActiveAt { get; } = activeAt;

        public AlertState State { get; set; } = AlertState.Pending;

        public double Value { get; set; }

        public DateTimeOffset EvaluatedAt { get; set; } = activeAt;

        public DateTimeOffset? FiredAt { get; set; }

        public DateTimeOffset? ResolvedAt { get; set; }

        /// <summary>When people were last told it fires; null while they never were (silenced, or not yet firing).</summary>
        public DateTimeOffset? NotifiedAt { get; set; }

        public Alert ToAlert(bool silenced)
        {
            var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach ((string name, string template) in Rule.Annotations)
            {
                annotations[name] = AlertTemplate.Render(template, Placeholder);
            }

            return new Alert(Rule, Labels, annotations, Fingerprint, State, Value, ActiveAt, FiredAt, ResolvedAt, EvaluatedAt, silenced);
        }

        private string? Placeholder(string name) => name switch
        {
            "value" => AlertTemplate.Format(Value),
            "threshold" => AlertTemplate.Format(Rule.Threshold),
            "rule" => Rule.Name,
            "signal" => Rule.Signal,
            "severity" => Rule.Severity.ToString().ToLowerInvariant(),
            _ => Labels.GetValueOrDefault(name),
        };
    }

    private sealed class Digest(DateTimeOffset since)
    {
        public DateTimeOffset Since { get; } = since;

        public Dictionary<string, Alert> Alerts { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>One notifier's bounded queue and the task that sends from it.</summary>
    private sealed class NotifierQueue
    {
        private readonly AlertEngine _engine;
        private readonly System.Threading.Channels.Channel<AlertNotification> _channel;
        private readonly CancellationTokenSource _stopping = new();
        private long _sent;
        private long _failed;
        private long _dropped;
        private long _pending;
        private long _lastFailureLog = long.MinValue;
        private long _lastDropLog = long.MinValue;

        public NotifierQueue(AlertEngine engine, IAlertNotifier notifier)
        {
            _engine = engine;
            Notifier = notifier;
            _channel = System.Threading.Channels.Channel.CreateBounded<AlertNotification>(new System.Threading.Channels.BoundedChannelOptions(engine._options.QueueCapacity)
            {
                FullMode = System.Threading.Channels.BoundedChannelFullMode.Wait, // TryWrite fails at once when full: dropped
                SingleReader = true,
            });
            Worker = Task.Run(RunAsync);
        }

        public IAlertNotifier Notifier { get; }

        public Task Worker { get; }

        public long Sent => Interlocked.Read(ref _sent);

        public long Failed => Interlocked.Read(ref _failed);

        public long Dropped => Interlocked.Read(ref _dropped);

        public long Pending => Interlocked.Read(ref _pending);

        public string? LastError { get; private set; }

        public void Enqueue(AlertNotification notification)
        {
            Interlocked.Increment(ref _pending);
            if (_channel.Writer.TryWrite(notification))
            {
                return;
            }

            Interlocked.Decrement(ref _pending);
            long dropped = Interlocked.Increment(ref _dropped);
            _engine.Count(this, "dropped");
            LastError = $"{Notifier.Name}: queue full, notifications dropped";
            if (Due(ref _lastDropLog))
            {
                DeliveryDropped(_engine._logger, Notifier.Name, _engine._options.QueueCapacity, notification.Model, dropped);
            }
        }

        public void Complete() => _channel.Writer.TryComplete();

        public void Cancel() => _stopping.Cancel();

        private async Task RunAsync()
        {
            try
            {
                await foreach (AlertNotification notification in _channel.Reader.ReadAllAsync(_stopping.Token).ConfigureAwait(false))
                {
                    await DeliverAsync(notification).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                // Disposed with notifications left: they stay counted as pending.
            }
        }

        private async Task DeliverAsync(AlertNotification notification)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                timeout.CancelAfter(_engine._options.DeliveryTimeout);
                await Notifier.SendAsync(notification, timeout.Token).ConfigureAwait(false);
                Interlocked.Increment(ref _sent);
                _engine.Count(this, "sent");
            }
            catch (Exception exception)
            {
                long failed = Interlocked.Increment(ref _failed);
                _engine.Count(this, "failed");
                string reason = exception is OperationCanceledException && !_stopping.IsCancellationRequested
                    ? $"not delivered within {_engine._options.DeliveryTimeout}"
                    : exception.Message;
                LastError = $"{Notifier.Name}: {reason}";
                if (Due(ref _lastFailureLog))
                {
                    // The exception's message only: notifiers keep secrets out of it; its inner exceptions and stack are not logged.
                    DeliveryFailed(_engine._logger, Notifier.Name, notification.Model, exception.GetType().Name, reason, failed);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _pending);
            }
        }

        private static bool Due(ref long last)
        {
            long now = Environment.TickCount64;
            long previous = Interlocked.Read(ref last);
            return (previous == long.MinValue || now - previous >= 60_000) && Interlocked.CompareExchange(ref last, now, previous) == previous;
        }
    }
}

/// <summary>What one notifier did with its notifications.</summary>
/// <param name="Notifier">The notifier's name.</param>
/// <param name="Sent">Delivered.</param>
/// <param name="Failed">Not delivered after the notifier's retries.</param>
/// <param name="Dropped">Refused because its queue was full.</param>
/// <param name="Pending">Waiting or being sent.</param>
public readonly record struct AlertDeliveryCounts(string Notifier, long Sent, long Failed, long Dropped, long Pending);
