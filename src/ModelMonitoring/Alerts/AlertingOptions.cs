namespace ModelMonitoring.Alerts;

/// <summary>
/// Alerting settings (section <c>ModelMonitoring:Alerts</c> in a host): the default rules every model gets, rules of
/// your own, silences, and how notifications are grouped, repeated and batched.
/// </summary>
public sealed class AlertingOptions
{
    /// <summary>The configuration section: <c>ModelMonitoring:Alerts</c>.</summary>
    public const string SectionName = ModelMonitoringOptions.SectionName + ":Alerts";

    /// <summary>Whether rules are evaluated at all. Default <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often rules are evaluated besides each window close, on the runtime's clock. Default 30 s.</summary>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A firing alert is sent again after this long. Default 4 h (Alertmanager's default).</summary>
    public TimeSpan RepeatInterval { get; set; } = TimeSpan.FromHours(4);

    /// <summary>
    /// Warning and info notifications of a model wait this long to go out together as one digest; critical ones are sent
    /// at once. Zero sends every notification at once. Default 5 min.
    /// </summary>
    public TimeSpan DigestInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether a resolved alert is notified. Default <see langword="true"/>.</summary>
    public bool SendResolved { get; set; } = true;

    /// <summary>
    /// How often notifiers that take every alert as it is (Alertmanager) get the firing alerts again, so that the
    /// receiver keeps them active. Default 1 min, as Prometheus resends to Alertmanager.
    /// </summary>
    public TimeSpan ResendInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Where people see the alerts (for example <c>https://pricing.example.com/monitoring/alerts</c>): the link in notifications and Alertmanager's <c>generatorURL</c>.</summary>
    public string? ExternalUrl { get; set; }

    /// <summary>Notifications each notifier holds while it sends; when full, new ones are dropped and counted. Default 256.</summary>
    public int QueueCapacity { get; set; } = 256;

    /// <summary>The longest one notification may take, retries included, before it counts as failed. Default 2 min.</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Signal names of your own <see cref="IModelSignalSource"/>s that rules may use besides <see cref="ModelSignalNames"/>.</summary>
    public List<string> AdditionalSignals { get; set; } = [];

    /// <summary>The rules every monitored model gets; each can be switched off.</summary>
    public DefaultAlertRulesOptions Defaults { get; set; } = new();

    /// <summary>Rules of your own.</summary>
    public List<AlertRuleOptions> Rules { get; set; } = [];

    /// <summary>A YAML file of rules (<c>rules:</c>, a list of the same fields as <see cref="Rules"/>), read at start-up by <c>ModelMonitoring.AspNetCore</c>.</summary>
    public string? RulesFile { get; set; }

    /// <summary>Silences in force from start-up.</summary>
    public List<AlertSilenceOptions> Silences { get; set; } = [];

    /// <summary>A deep copy.</summary>
    public AlertingOptions Clone() => new()
    {
        Enabled = Enabled,
        EvaluationInterval = EvaluationInterval,
        RepeatInterval = RepeatInterval,
        DigestInterval = DigestInterval,
        SendResolved = SendResolved,
        ResendInterval = ResendInterval,
        ExternalUrl = ExternalUrl,
        QueueCapacity = QueueCapacity,
        DeliveryTimeout = DeliveryTimeout,
        AdditionalSignals = [.. AdditionalSignals],
        Defaults = Defaults.Clone(),
        Rules = Rules.Select(r => r.Clone()).ToList(),
        RulesFile = RulesFile,
        Silences = Silences.Select(s => s.Clone()).ToList(),
    };

    /// <summary>The problems of these settings, each naming its setting (and the rule or silence); empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (EvaluationInterval < TimeSpan.FromMilliseconds(10) || EvaluationInterval > TimeSpan.FromDays(1))
        {
            errors.Add($"{SectionName}:{nameof(EvaluationInterval)} must be between 10 ms and 1 day (was {EvaluationInterval}).");
        }

        if (RepeatInterval <= TimeSpan.Zero)
        {
            errors.Add($"{SectionName}:{nameof(RepeatInterval)} must be positive (was {RepeatInterval}).");
        }

        if (DigestInterval < TimeSpan.Zero)
        {
            errors.Add($"{SectionName}:{nameof(DigestInterval)} must be zero (send at once) or positive (was {DigestInterval}).");
        }

        if (ResendInterval <= TimeSpan.Zero)
        {
            errors.Add($"{SectionName}:{nameof(ResendInterval)} must be positive (was {ResendInterval}).");
        }

        if (QueueCapacity is < 1 or > 1_000_000)
        {
            errors.Add($"{SectionName}:{nameof(QueueCapacity)} must be between 1 and 1000000 (was {QueueCapacity}).");
        }

        if (DeliveryTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{SectionName}:{nameof(DeliveryTimeout)} must be positive (was {DeliveryTimeout}).");
        }

        if (ExternalUrl is { Length: > 0 } url && (!Uri.TryCreate(url, UriKind.Absolute, out Uri? parsed) || parsed.Scheme is not ("http" or "https")))
        {
            errors.Add($"{SectionName}:{nameof(ExternalUrl)} must be an absolute http or https URL (was '{url}').");
        }

        for (int i = 0; i < AdditionalSignals.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(AdditionalSignals[i]))
            {
                errors.Add($"{SectionName}:{nameof(AdditionalSignals)}:{i} must be a signal name.");
            }
        }

        errors.AddRange(Defaults.Validate($"{SectionName}:{nameof(Defaults)}"));
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (AlertRule rule in DefaultRules())
        {
            names[rule.Name] = $"{SectionName}:{nameof(Defaults)}";
        }

        for (int i = 0; i < Rules.Count; i++)
        {
            string path = $"{SectionName}:{nameof(Rules)}:{i}";
            AlertRuleOptions rule = Rules[i];
            errors.AddRange(rule.Problems(path, AdditionalSignals));
            if (rule.Name is { Length: > 0 } name)
            {
                if (names.TryGetValue(name, out string? first))
                {
                    errors.Add($"{path} ({name}): Name '{name}' is used twice (also by {first}).");
                }
                else
                {
                    names[name] = path;
                }
            }
        }

        for (int i = 0; i < Silences.Count; i++)
        {
            errors.AddRange(Silences[i].Problems($"{SectionName}:{nameof(Silences)}:{i}"));
        }

        return errors;
    }

    /// <summary>The default rules these settings switch on, in a fixed order.</summary>
    public IReadOnlyList<AlertRule> DefaultRules() => Enabled ? Defaults.Rules() : [];

    /// <summary>The rules of <see cref="Rules"/>, built.</summary>
    /// <exception cref="ArgumentException">A rule is invalid; the message names it and its setting.</exception>
    public IReadOnlyList<AlertRule> ConfiguredRules() =>
        Rules.Select((rule, i) => rule.ToRule($"{SectionName}:{nameof(Rules)}:{i}", AdditionalSignals)).ToArray();
}

/// <summary>The default rules every monitored model gets: dataset drift, error rate, outlier ratio and p95 latency.</summary>
public sealed class DefaultAlertRulesOptions
{
    /// <summary>The name of the dataset-drift rule.</summary>
    public const string DatasetDriftRule = "ModelDatasetDrift";

    /// <summary>The name of the error-rate rule.</summary>
    public const string ErrorRateRule = "ModelErrorRateHigh";

    /// <summary>The name of the outlier-ratio rule.</summary>
    public const string OutlierRatioRule = "ModelOutlierRatioHigh";

    /// <summary>The name of the latency rule.</summary>
    public const string LatencyRule = "ModelLatencyOverBudget";

    /// <summary>Whether the default rules are used at all. Default <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The share of drifted input features (<see cref="ModelSignalNames.DatasetDriftShare"/>) at or above which the inputs drifted. Default 0.5, warning, at once.</summary>
    public DefaultAlertRuleOptions DatasetDrift { get; set; } = new() { Threshold = 0.5, Severity = AlertSeverity.Warning };

    /// <summary>The error rate (<see cref="ModelSignalNames.ErrorRate"/>) above which calls fail too often. Default 0.05 for 5 min, critical.</summary>
    public DefaultAlertRuleOptions ErrorRate { get; set; } = new() { Threshold = 0.05, For = TimeSpan.FromMinutes(5), Severity = AlertSeverity.Critical };

    /// <summary>The outlier ratio (<see cref="ModelSignalNames.OutlierRatio"/>) above which too many inputs are outliers. Default 0.1, warning, at once.</summary>
    public DefaultAlertRuleOptions OutlierRatio { get; set; } = new() { Threshold = 0.1, Severity = AlertSeverity.Warning };

    /// <summary>The latency budget: the p95 latency of successful calls (<see cref="ModelSignalNames.LatencyP95"/>), in seconds, above which calls are too slow. Default 0.5 s for 5 min, warning.</summary>
    public DefaultAlertRuleOptions Latency { get; set; } = new() { Threshold = 0.5, For = TimeSpan.FromMinutes(5), Severity = AlertSeverity.Warning };

    internal DefaultAlertRulesOptions Clone() => new()
    {
        Enabled = Enabled,
        DatasetDrift = DatasetDrift.Clone(),
        ErrorRate = ErrorRate.Clone(),
        OutlierRatio = OutlierRatio.Clone(),
        Latency = Latency.Clone(),
    };

    internal IEnumerable<string> Validate(string path) =>
        DatasetDrift.Validate($"{path}:{nameof(DatasetDrift)}", 0, 1)
            .Concat(ErrorRate.Validate($"{path}:{nameof(ErrorRate)}", 0, 1))
            .Concat(OutlierRatio.Validate($"{path}:{nameof(OutlierRatio)}", 0, 1))
            .Concat(Latency.Validate($"{path}:{nameof(Latency)}", 0, double.MaxValue));

    internal IReadOnlyList<AlertRule> Rules()
    {
        if (!Enabled)
        {
            return [];
        }

        var rules = new List<AlertRule>(4);
        Add(DatasetDrift, DatasetDriftRule, ModelSignalNames.DatasetDriftShare, AlertComparison.AtOrAbove,
            "{model}: the inputs drifted",
            "{value} of the input features of model {model} drifted in the last window (threshold {threshold}).");
        Add(ErrorRate, ErrorRateRule, ModelSignalNames.ErrorRate, AlertComparison.Above,
            "{model}: error rate {value}",
            "Model {model} failed on {value} of its calls in the last window (threshold {threshold}).");
        Add(OutlierRatio, OutlierRatioRule, ModelSignalNames.OutlierRatio, AlertComparison.Above,
            "{model}: outlier ratio {value}",
            "{value} of the inputs of model {model} were outliers in the last window (threshold {threshold}).");
        Add(Latency, LatencyRule, ModelSignalNames.LatencyP95, AlertComparison.Above,
            "{model}: p95 latency {value} s over budget",
            "The 95th percentile latency of successful calls of model {model} was {value} s in the last window (budget {threshold} s).");
        return rules;

        void Add(DefaultAlertRuleOptions options, string name, string signal, AlertComparison comparison, string summary, string description)
        {
            if (options.Enabled)
            {
                AlertRuleBuilder rule = AlertRule.Named(name).When(signal).Compare(comparison, options.Threshold).For(options.For).Severity(options.Severity)
                    .Annotation("summary", summary).Annotation("description", description);
                rule.IsDefault = true;
                rules.Add(new AlertRule(rule));
            }
        }
    }
}

/// <summary>One default rule: on or off, its threshold, <c>for</c> duration and severity.</summary>
public sealed class DefaultAlertRuleOptions
{
    /// <summary>Whether the rule is used. Default <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The threshold.</summary>
    public double Threshold { get; set; }

    /// <summary>How long the condition must hold before the alert fires.</summary>
    public TimeSpan For { get; set; }

    /// <summary>How urgent the alert is.</summary>
    public AlertSeverity Severity { get; set; } = AlertSeverity.Warning;

    internal DefaultAlertRuleOptions Clone() => (DefaultAlertRuleOptions)MemberwiseClone();

    internal IEnumerable<string> Validate(string path, double min, double max)
    {
        if (!double.IsFinite(Threshold) || Threshold < min || Threshold > max)
        {
            yield return max == double.MaxValue
                ? $"{path}:{nameof(Threshold)} must be a non-negative number (was {Threshold})."
                : $"{path}:{nameof(Threshold)} must be between {min} and {max} (was {Threshold}).";
        }

        if (For < TimeSpan.Zero)
        {
            yield return $"{path}:{nameof(For)} must not be negative (was {For}).";
        }

        if (!Enum.IsDefined(Severity))
        {
            yield return $"{path}:{nameof(Severity)} must be Info, Warning or Critical (was {(int)Severity}).";
        }
    }
}

/// <summary>A rule as configuration writes it (<c>ModelMonitoring:Alerts:Rules:0</c>, or one item of a YAML rules file).</summary>
public sealed class AlertRuleOptions
{
    /// <summary>The rule's name (the <c>alertname</c> label). Required.</summary>
    public string? Name { get; set; }

    /// <summary>The signal (one of <see cref="ModelSignalNames"/>). Required.</summary>
    public string? Signal { get; set; }

    /// <summary><c>&gt;</c>, <c>&gt;=</c>, <c>&lt;</c> or <c>&lt;=</c> (or Above, AtOrAbove, Below, AtOrBelow). Default <c>&gt;</c>.</summary>
    public string? Comparison { get; set; }

    /// <summary>The threshold. Required.</summary>
    public double? Threshold { get; set; }

    /// <summary>How long the condition must hold before the alert fires. Default zero.</summary>
    public TimeSpan? For { get; set; }

    /// <summary>Info, Warning or Critical. Default Warning.</summary>
    public string? Severity { get; set; }

    /// <summary>Only this model; every model when not set.</summary>
    public string? Model { get; set; }

    /// <summary>Only this feature (per-feature signals).</summary>
    public string? Feature { get; set; }

    /// <summary>Only this metric or detector (performance and concept-drift signals).</summary>
    public string? Metric { get; set; }

    /// <summary>Only this segment (empty: the model's own window only).</summary>
    public string? Segment { get; set; }

    /// <summary>Labels of the rule's alerts.</summary>
    public Dictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Annotation templates of the rule's alerts.</summary>
    public Dictionary<string, string> Annotations { get; set; } = new(StringComparer.Ordinal);

    internal AlertRuleOptions Clone() => new()
    {
        Name = Name,
        Signal = Signal,
        Comparison = Comparison,
        Threshold = Threshold,
        For = For,
        Severity = Severity,
        Model = Model,
        Feature = Feature,
        Metric = Metric,
        Segment = Segment,
        Labels = new Dictionary<string, string>(Labels, StringComparer.Ordinal),
        Annotations = new Dictionary<string, string>(Annotations, StringComparer.Ordinal),
    };

    /// <summary>The rule's problems, each as <c>{path} ({name}): {field} ...</c>.</summary>
    internal IEnumerable<string> Problems(string path, IReadOnlyCollection<string> extraSignals)
    {
        (AlertRuleBuilder builder, List<string> problems) = Builder();
        problems.AddRange(AlertRule.Problems(builder, extraSignals));
        string where = Name is { Length: > 0 } ? $"{path} ({Name})" : path;
        return problems.Select(p => $"{where}: {p}.");
    }

    /// <summary>The rule, built.</summary>
    /// <exception cref="ArgumentException">The rule is invalid; the message names it and its settings.</exception>
    internal AlertRule ToRule(string path, IReadOnlyCollection<string> extraSignals)
    {
        List<string> problems = Problems(path, extraSignals).ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems));
        }

        return new AlertRule(Builder().Builder);
    }

    private (AlertRuleBuilder Builder, List<string> Problems) Builder()
    {
        var problems = new List<string>();
        var builder = AlertRule.Named(Name ?? string.Empty);
        if (Signal is not null)
        {
            builder.When(Signal.Trim());
        }

        AlertComparison comparison = AlertComparison.Above;
        if (Comparison is not null && !AlertComparisons.TryParse(Comparison, out comparison))
        {
            problems.Add($"Comparison '{Comparison}' is not one of {AlertComparisons.Accepted}");
        }

        if (Threshold is { } threshold)
        {
            builder.Compare(comparison, threshold);
        }

        builder.For(For ?? TimeSpan.Zero);
        if (Severity is not null)
        {
            if (Enum.TryParse(Severity.Trim(), ignoreCase: true, out AlertSeverity severity) && Enum.IsDefined(severity) && !int.TryParse(Severity, out _))
            {
                builder.Severity(severity);
            }
            else
            {
                problems.Add($"Severity '{Severity}' is not one of info, warning, critical");
            }
        }

        if (Model is not null)
        {
            builder.ForModel(Model);
        }

        if (Feature is not null)
        {
            builder.ForFeature(Feature);
        }

        if (Metric is not null)
        {
            builder.ForMetric(Metric);
        }

        if (Segment is not null)
        {
            builder.ForSegment(Segment);
        }

        builder.CopyMaps(Labels, Annotations);
        return (builder, problems);
    }
}

/// <summary>A silence as configuration writes it: label matchers and until when.</summary>
public sealed class AlertSilenceOptions
{
    /// <summary>Label matchers, as Alertmanager writes them: <c>model=pricing</c>, <c>severity=~"warning|info"</c>, <c>feature!=area</c>.</summary>
    public List<string> Matchers { get; set; } = [];

    /// <summary>When the silence starts; at once when not set.</summary>
    public DateTimeOffset? StartsAt { get; set; }

    /// <summary>When the silence ends. Required.</summary>
    public DateTimeOffset? EndsAt { get; set; }

    /// <summary>Why (shown with the silence).</summary>
    public string? Comment { get; set; }

    /// <summary>Who set it.</summary>
    public string? CreatedBy { get; set; }

    internal AlertSilenceOptions Clone() => new()
    {
        Matchers = [.. Matchers],
        StartsAt = StartsAt,
        EndsAt = EndsAt,
        Comment = Comment,
        CreatedBy = CreatedBy,
    };

    internal IEnumerable<string> Problems(string path)
    {
        if (Matchers.Count == 0)
        {
            yield return $"{path}:{nameof(Matchers)} must list at least one matcher (for example model=pricing).";
        }

        for (int i = 0; i < Matchers.Count; i++)
        {
            if (!AlertMatcher.TryParse(Matchers[i], out _, out string? problem))
            {
                yield return $"{path}:{nameof(Matchers)}:{i}: {problem}.";
            }
        }

        if (EndsAt is null)
        {
            yield return $"{path}:{nameof(EndsAt)} is required (a date and time, for example 2026-12-24T18:00:00Z).";
        }
        else if (StartsAt is { } start && start >= EndsAt)
        {
            yield return $"{path}:{nameof(EndsAt)} must be after {nameof(StartsAt)} (was {EndsAt:O}, starts {start:O}).";
        }
    }

    internal AlertSilence ToSilence(DateTimeOffset now) =>
        new(Matchers.Select(m => AlertMatcher.Parse(m)).ToArray(), StartsAt ?? now, EndsAt!.Value, Comment, CreatedBy);
}
