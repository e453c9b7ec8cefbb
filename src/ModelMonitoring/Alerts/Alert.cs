using System.Security.Cryptography;
using System.Text;

namespace ModelMonitoring.Alerts;

/// <summary>
/// One alert: a rule whose condition holds (or held) for one model, and for one feature, segment or metric where the
/// signal has them. Immutable: each evaluation makes a new one.
/// </summary>
public sealed class Alert
{
    internal Alert(AlertRule rule, IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> annotations, string fingerprint,
        AlertState state, double value, DateTimeOffset activeAt, DateTimeOffset? firedAt, DateTimeOffset? resolvedAt, DateTimeOffset evaluatedAt, bool silenced)
    {
        Rule = rule;
        Labels = labels;
        Annotations = annotations;
        Fingerprint = fingerprint;
        State = state;
        Value = value;
        ActiveAt = activeAt;
        FiredAt = firedAt;
        ResolvedAt = resolvedAt;
        EvaluatedAt = evaluatedAt;
        IsSilenced = silenced;
    }

    /// <summary>The rule.</summary>
    public AlertRule Rule { get; }

    /// <summary>The rule's name (the <c>alertname</c> label).</summary>
    public string Name => Rule.Name;

    /// <summary>
    /// The labels: <c>alertname</c>, <c>model</c>, <c>model_version</c>, <c>owner</c> and <c>squad</c> (when the model has
    /// them), <c>severity</c>, <c>feature</c>, <c>segment</c> and <c>metric</c> where they apply, and the rule's own. Sorted by name.
    /// </summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>The rule's annotations, rendered for this alert.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; }

    /// <summary>A stable id of the labels (16 hex digits): the same alert keeps it from pending to resolved.</summary>
    public string Fingerprint { get; }

    /// <summary>Pending, firing or resolved.</summary>
    public AlertState State { get; }

    /// <summary>How urgent.</summary>
    public AlertSeverity Severity => Rule.Severity;

    /// <summary>The model.</summary>
    public string Model => Labels["model"];

    /// <summary>The feature, for per-feature signals.</summary>
    public string? Feature => Labels.GetValueOrDefault("feature");

    /// <summary>The segment, for segment windows.</summary>
    public string? Segment => Labels.GetValueOrDefault("segment");

    /// <summary>The signal's value at the last evaluation that saw the condition hold.</summary>
    public double Value { get; }

    /// <summary>The rule's threshold.</summary>
    public double Threshold => Rule.Threshold;

    /// <summary>When the condition was first seen to hold.</summary>
    public DateTimeOffset ActiveAt { get; }

    /// <summary>When the alert started firing; <see langword="null"/> while pending.</summary>
    public DateTimeOffset? FiredAt { get; }

    /// <summary>When it was resolved; <see langword="null"/> until then.</summary>
    public DateTimeOffset? ResolvedAt { get; }

    /// <summary>When it was last evaluated.</summary>
    public DateTimeOffset EvaluatedAt { get; }

    /// <summary>Whether a silence mutes it now.</summary>
    public bool IsSilenced { get; }

    /// <summary>The <c>summary</c> annotation, else the rule as text.</summary>
    public string Summary => Annotations.GetValueOrDefault("summary") ?? $"{Name} ({Model})";

    /// <inheritdoc />
    public override string ToString() => $"{State.ToString().ToUpperInvariant()} {Name} {{{string.Join(", ", Labels.Select(l => $"{l.Key}=\"{l.Value}\""))}}} value {AlertTemplate.Format(Value)}";

    internal static string FingerprintOf(IReadOnlyDictionary<string, string> labels)
    {
        var text = new StringBuilder();
        foreach ((string name, string value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append('\xff').Append(value).Append('\xff');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 8));
    }
}

/// <summary>Why a notification is sent.</summary>
public enum AlertNotificationKind
{
    /// <summary>Alerts that changed (fired or resolved), sent at once: critical ones, or every one when digests are off.</summary>
    Immediate,

    /// <summary>Warning and info changes of a model batched over the digest interval.</summary>
    Digest,

    /// <summary>Every alert as it is, for notifiers that group and silence themselves (<see cref="IAlertNotifier.TakesEveryAlert"/>).</summary>
    State,
}

/// <summary>
/// What a notifier sends: the alerts of one model (grouped per model, deduplicated), firing or resolved, with the
/// labels they share.
/// </summary>
public sealed class AlertNotification
{
    /// <summary>Creates a notification. The runtime makes them; tests of notifiers may too.</summary>
    public AlertNotification(AlertNotificationKind kind, string model, IReadOnlyDictionary<string, string> groupLabels, IReadOnlyList<Alert> alerts, DateTimeOffset createdAt, Uri? externalUrl = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(groupLabels);
        ArgumentNullException.ThrowIfNull(alerts);
        Kind = kind;
        Model = model;
        GroupLabels = groupLabels;
        Alerts = alerts;
        CreatedAt = createdAt;
        ExternalUrl = externalUrl;
    }

    /// <summary>Immediate, digest or state.</summary>
    public AlertNotificationKind Kind { get; }

    /// <summary>The model the alerts are about (the group).</summary>
    public string Model { get; }

    /// <summary>The labels every alert of the group has: <c>model</c>, and <c>model_version</c>, <c>owner</c>, <c>squad</c> when set.</summary>
    public IReadOnlyDictionary<string, string> GroupLabels { get; }

    /// <summary>The alerts, firing ones first, most severe first.</summary>
    public IReadOnlyList<Alert> Alerts { get; }

    /// <summary>When it was made (runtime clock).</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>The link back to where the alerts are shown (<see cref="AlertingOptions.ExternalUrl"/>), when set.</summary>
    public Uri? ExternalUrl { get; }

    /// <summary>The highest severity among the alerts.</summary>
    public AlertSeverity Severity => Alerts.Count == 0 ? AlertSeverity.Info : Alerts.Max(a => a.Severity);

    /// <summary>The firing alerts.</summary>
    public IEnumerable<Alert> Firing => Alerts.Where(a => a.State == AlertState.Firing);

    /// <summary>The resolved alerts.</summary>
    public IEnumerable<Alert> Resolved => Alerts.Where(a => a.State == AlertState.Resolved);

    /// <summary>A one-line title: <c>[FIRING:2] pricing: ModelDatasetDrift, ModelErrorRateHigh (critical)</c>.</summary>
    public string Title
    {
        get
        {
            int firing = Firing.Count();
            string state = firing > 0 ? $"FIRING:{firing}" : "RESOLVED";
            string names = string.Join(", ", Alerts.Select(a => a.Name).Distinct(StringComparer.Ordinal));
            return $"[{state}] {Model}: {names} ({Severity.ToString().ToLowerInvariant()})";
        }
    }
}

/// <summary>
/// Sends alert notifications somewhere: a webhook, Slack, e-mail, Alertmanager (package <c>ModelMonitoring.Alerting</c>)
/// or your own. Each notifier gets its own bounded queue and sending task, so a slow or unreachable one delays nobody:
/// no prediction, no evaluation, no other notifier.
/// </summary>
/// <remarks>
/// Retry inside <see cref="SendAsync"/> as the destination needs (the packaged notifiers retry with exponential back-off
/// and jitter through Microsoft.Extensions.Http.Resilience); throw when the notification could not be delivered. The
/// runtime counts each notification as sent, failed or dropped (<c>ml.alerts.notifications</c>). Never put a secret
/// (a URL with a token, a password) in an exception message: the runtime logs it.
/// </remarks>
public interface IAlertNotifier
{
    /// <summary>The notifier's name: the <c>notifier</c> tag of <c>ml.alerts.notifications</c> (for example <c>webhook</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Whether the notifier takes every firing alert after each evaluation (at most once per
    /// <see cref="AlertingOptions.ResendInterval"/>) and every resolved one, ungrouped, unsilenced and without digests,
    /// because it groups, silences and repeats by itself (Alertmanager). Default <see langword="false"/>.
    /// </summary>
    bool TakesEveryAlert => false;

    /// <summary>Delivers one notification, retrying as needed; throws when it could not.</summary>
    Task SendAsync(AlertNotification notification, CancellationToken cancellationToken);
}
