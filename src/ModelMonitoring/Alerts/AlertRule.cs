using System.Text.RegularExpressions;

namespace ModelMonitoring.Alerts;

/// <summary>
/// A condition on a monitoring signal (<see cref="ModelSignalNames"/>) that raises an alert: the signal, a comparison
/// and a threshold, how long the condition must hold (<see cref="For"/>), a severity, labels, and annotations whose
/// templates name <c>{model}</c>, <c>{feature}</c>, <c>{segment}</c>, <c>{value}</c>, <c>{threshold}</c>... Immutable;
/// build one with <see cref="Named(string)"/> or from configuration (<see cref="AlertRuleOptions"/>).
/// </summary>
/// <example>
/// <code>
/// AlertRule rule = AlertRule.Named("PricingLatencyHigh")
///     .When(ModelSignalNames.LatencyP95).Above(0.25).For(TimeSpan.FromMinutes(5))
///     .Severity(AlertSeverity.Critical).ForModel("pricing")
///     .Annotation("summary", "{model}: p95 latency {value} s is over {threshold} s")
///     .Build();
/// </code>
/// </example>
public sealed partial class AlertRule
{
    /// <summary>Labels every alert gets from its model and rule; a rule's own labels cannot replace them.</summary>
    public static readonly IReadOnlyList<string> ReservedLabels = ["alertname", "model", "model_version", "owner", "squad", "severity", "feature", "segment", "metric"];

    /// <summary>The signals a value belongs to per feature (<see cref="ModelSignal.Feature"/>).</summary>
    internal static readonly HashSet<string> FeatureSignals = new(StringComparer.Ordinal)
    {
        ModelSignalNames.FeatureDrift, ModelSignalNames.FeatureDriftScore, ModelSignalNames.MissingRatio,
        ModelSignalNames.OutOfRangeRatio, ModelSignalNames.UnseenCategoryRatio,
    };

    /// <summary>The signals that carry a metric or detector name (<see cref="ModelSignal.Metric"/>).</summary>
    internal static readonly HashSet<string> MetricSignals = new(StringComparer.Ordinal)
    {
        ModelSignalNames.Performance, ModelSignalNames.EstimatedPerformance, ModelSignalNames.ConceptDriftDetections,
    };

    /// <summary>Every signal name of <see cref="ModelSignalNames"/>.</summary>
    internal static readonly string[] KnownSignals = typeof(ModelSignalNames).GetFields()
        .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToArray();

    internal AlertRule(AlertRuleBuilder builder)
    {
        Name = builder.RuleName;
        Signal = builder.SignalName ?? string.Empty;
        Comparison = builder.RuleComparison;
        Threshold = builder.RuleThreshold;
        For = builder.RuleFor;
        Severity = builder.RuleSeverity;
        Model = builder.RuleModel;
        Feature = builder.RuleFeature;
        Metric = builder.RuleMetric;
        Segment = builder.RuleSegment;
        Labels = new SortedDictionary<string, string>(builder.RuleLabels.ToDictionary(), StringComparer.Ordinal);
        Annotations = new SortedDictionary<string, string>(builder.RuleAnnotations.ToDictionary(), StringComparer.Ordinal);
        IsDefault = builder.IsDefault;
    }

    /// <summary>The rule's name: the <c>alertname</c> label of its alerts.</summary>
    public string Name { get; }

    /// <summary>The signal the rule watches (one of <see cref="ModelSignalNames"/>, or a signal of your own source).</summary>
    public string Signal { get; }

    /// <summary>How the signal is compared with <see cref="Threshold"/>.</summary>
    public AlertComparison Comparison { get; }

    /// <summary>The threshold.</summary>
    public double Threshold { get; }

    /// <summary>How long the condition must hold before the alert fires; zero fires at the first evaluation that sees it.</summary>
    public TimeSpan For { get; }

    /// <summary>How urgent the alert is.</summary>
    public AlertSeverity Severity { get; }

    /// <summary>The model the rule applies to; <see langword="null"/> for every model.</summary>
    public string? Model { get; }

    /// <summary>The feature the rule applies to, for per-feature signals; <see langword="null"/> for every feature.</summary>
    public string? Feature { get; }

    /// <summary>The metric (or concept-drift detector) the rule applies to; <see langword="null"/> for every one.</summary>
    public string? Metric { get; }

    /// <summary>The segment the rule applies to; <see langword="null"/> for the model and every segment, empty for the model only.</summary>
    public string? Segment { get; }

    /// <summary>Labels added to every alert of the rule.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>Annotation templates (<c>summary</c>, <c>description</c>...), rendered for each alert.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; }

    /// <summary>Whether the rule is one of the default rules every model gets (<see cref="DefaultAlertRulesOptions"/>).</summary>
    public bool IsDefault { get; }

    /// <summary>Starts a rule with this name.</summary>
    public static AlertRuleBuilder Named(string name) => new(name);

    /// <summary>A builder that starts as a copy of this rule.</summary>
    public AlertRuleBuilder ToBuilder() => new AlertRuleBuilder(Name)
    {
        SignalName = Signal,
        RuleComparison = Comparison,
        RuleThreshold = Threshold,
        RuleFor = For,
        RuleSeverity = Severity,
        RuleModel = Model,
        RuleFeature = Feature,
        RuleMetric = Metric,
        RuleSegment = Segment,
        IsDefault = IsDefault,
        ThresholdSet = true,
    }.CopyMaps(Labels, Annotations);

    /// <summary>The condition as PromQL writes it, for logs: <c>latency_p95 &gt; 0.25 for 5m</c>.</summary>
    public override string ToString() =>
        $"{Name}: {Signal}{(Feature is null ? string.Empty : $"[{Feature}]")}{(Metric is null ? string.Empty : $"[{Metric}]")} {Comparison.Symbol()} {AlertTemplate.Format(Threshold)}{(For > TimeSpan.Zero ? $" for {For}" : string.Empty)} ({Severity.ToString().ToLowerInvariant()}{(Model is null ? string.Empty : $", model {Model}")})";

    /// <summary>The rule's problems, each naming the field; empty when it is valid.</summary>
    internal static List<string> Problems(AlertRuleBuilder rule, IReadOnlyCollection<string> extraSignals)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(rule.RuleName) || !RuleNamePattern().IsMatch(rule.RuleName))
        {
            problems.Add($"Name must start with a letter and hold only letters, digits, '_', '.' and '-' (was '{rule.RuleName}')");
        }

        if (string.IsNullOrWhiteSpace(rule.SignalName))
        {
            problems.Add($"Signal is required: one of {string.Join(", ", KnownSignals)}");
        }
        else if (!KnownSignals.Contains(rule.SignalName, StringComparer.Ordinal) && !extraSignals.Contains(rule.SignalName, StringComparer.Ordinal))
        {
            problems.Add($"Signal '{rule.SignalName}' is not known; use one of {string.Join(", ", KnownSignals)} (or list a signal of your own in ModelMonitoring:Alerts:AdditionalSignals)");
        }
        else
        {
            if (rule.RuleFeature is not null && !FeatureSignals.Contains(rule.SignalName) && KnownSignals.Contains(rule.SignalName, StringComparer.Ordinal))
            {
                problems.Add($"Feature is set but signal '{rule.SignalName}' is not per feature (those are {string.Join(", ", FeatureSignals)})");
            }

            if (rule.RuleMetric is not null && !MetricSignals.Contains(rule.SignalName) && KnownSignals.Contains(rule.SignalName, StringComparer.Ordinal))
            {
                problems.Add($"Metric is set but signal '{rule.SignalName}' has no metric (those that do are {string.Join(", ", MetricSignals)})");
            }
        }

        if (!rule.ThresholdSet)
        {
            problems.Add("Threshold is required (with a comparison: Above, AtOrAbove, Below, AtOrBelow)");
        }
        else if (!double.IsFinite(rule.RuleThreshold))
        {
            problems.Add($"Threshold must be a finite number (was {rule.RuleThreshold})");
        }

        if (rule.RuleFor < TimeSpan.Zero)
        {
            problems.Add($"For must not be negative (was {rule.RuleFor})");
        }

        if (!Enum.IsDefined(rule.RuleSeverity))
        {
            problems.Add($"Severity must be info, warning or critical (was {(int)rule.RuleSeverity})");
        }

        foreach ((string label, string value) in rule.RuleLabels)
        {
            if (!LabelNamePattern().IsMatch(label))
            {
                problems.Add($"Labels:{label}: a label name must match [a-zA-Z_][a-zA-Z0-9_]*");
            }
            else if (ReservedLabels.Contains(label, StringComparer.Ordinal))
            {
                problems.Add($"Labels:{label}: '{label}' is set by the runtime (reserved: {string.Join(", ", ReservedLabels)})");
            }

            if (value is null)
            {
                problems.Add($"Labels:{label} has no value");
            }
        }

        foreach ((string annotation, string template) in rule.RuleAnnotations)
        {
            if (!LabelNamePattern().IsMatch(annotation))
            {
                problems.Add($"Annotations:{annotation}: an annotation name must match [a-zA-Z_][a-zA-Z0-9_]*");
            }

            foreach (string problem in AlertTemplate.Problems(template ?? string.Empty))
            {
                problems.Add($"Annotations:{annotation}: {problem}");
            }
        }

        return problems;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_.-]*$")]
    private static partial Regex RuleNamePattern();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    internal static partial Regex LabelNamePattern();
}

/// <summary>Builds an <see cref="AlertRule"/>: <c>AlertRule.Named("x").When(signal).Above(0.5).For(...).Severity(...).Build()</c>.</summary>
public sealed class AlertRuleBuilder
{
    private readonly Dictionary<string, string> _labels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _annotations = new(StringComparer.Ordinal);

    internal AlertRuleBuilder(string name) => RuleName = name;

    internal string RuleName { get; }

    internal string? SignalName { get; set; }

    internal AlertComparison RuleComparison { get; set; }

    internal double RuleThreshold { get; set; }

    internal bool ThresholdSet { get; set; }

    internal TimeSpan RuleFor { get; set; }

    internal AlertSeverity RuleSeverity { get; set; } = AlertSeverity.Warning;

    internal string? RuleModel { get; set; }

    internal string? RuleFeature { get; set; }

    internal string? RuleMetric { get; set; }

    internal string? RuleSegment { get; set; }

    internal bool IsDefault { get; set; }

    internal IReadOnlyDictionary<string, string> RuleLabels => _labels;

    internal IReadOnlyDictionary<string, string> RuleAnnotations => _annotations;

    /// <summary>The signal to watch (one of <see cref="ModelSignalNames"/>).</summary>
    public AlertRuleBuilder When(string signal)
    {
        SignalName = signal;
        return this;
    }

    /// <summary>Fires when the signal is above <paramref name="threshold"/>.</summary>
    public AlertRuleBuilder Above(double threshold) => Compare(AlertComparison.Above, threshold);

    /// <summary>Fires when the signal is at or above <paramref name="threshold"/>.</summary>
    public AlertRuleBuilder AtOrAbove(double threshold) => Compare(AlertComparison.AtOrAbove, threshold);

    /// <summary>Fires when the signal is below <paramref name="threshold"/> (a performance metric that fell).</summary>
    public AlertRuleBuilder Below(double threshold) => Compare(AlertComparison.Below, threshold);

    /// <summary>Fires when the signal is at or below <paramref name="threshold"/>.</summary>
    public AlertRuleBuilder AtOrBelow(double threshold) => Compare(AlertComparison.AtOrBelow, threshold);

    /// <summary>Sets the comparison and the threshold.</summary>
    public AlertRuleBuilder Compare(AlertComparison comparison, double threshold)
    {
        RuleComparison = comparison;
        RuleThreshold = threshold;
        ThresholdSet = true;
        return this;
    }

    /// <summary>How long the condition must hold before the alert fires (default zero: at once).</summary>
    public AlertRuleBuilder For(TimeSpan duration)
    {
        RuleFor = duration;
        return this;
    }

    /// <summary>The severity (default warning).</summary>
    public AlertRuleBuilder Severity(AlertSeverity severity)
    {
        RuleSeverity = severity;
        return this;
    }

    /// <summary>Applies the rule to one model only.</summary>
    public AlertRuleBuilder ForModel(string model)
    {
        RuleModel = model;
        return this;
    }

    /// <summary>Applies a per-feature rule to one feature only.</summary>
    public AlertRuleBuilder ForFeature(string feature)
    {
        RuleFeature = feature;
        return this;
    }

    /// <summary>Applies a performance or concept-drift rule to one metric (or detector) only.</summary>
    public AlertRuleBuilder ForMetric(string metric)
    {
        RuleMetric = metric;
        return this;
    }

    /// <summary>Applies the rule to one segment only (empty: the model's own window only).</summary>
    public AlertRuleBuilder ForSegment(string segment)
    {
        RuleSegment = segment;
        return this;
    }

    /// <summary>Adds a label to the rule's alerts (<c>team</c>, <c>runbook</c>...).</summary>
    public AlertRuleBuilder Label(string name, string value)
    {
        _labels[name] = value;
        return this;
    }

    /// <summary>Adds an annotation template (<c>summary</c>, <c>description</c>...).</summary>
    public AlertRuleBuilder Annotation(string name, string template)
    {
        _annotations[name] = template;
        return this;
    }

    /// <summary>Checks the rule and builds it.</summary>
    /// <exception cref="ArgumentException">The rule is invalid; the message names the rule and each field at fault.</exception>
    public AlertRule Build() => Build([]);

    internal AlertRule Build(IReadOnlyCollection<string> extraSignals, string? source = null)
    {
        List<string> problems = AlertRule.Problems(this, extraSignals);
        if (problems.Count > 0)
        {
            string where = source ?? $"Alert rule '{RuleName}'";
            throw new ArgumentException($"{where}: {string.Join("; ", problems)}.");
        }

        return new AlertRule(this);
    }

    internal AlertRuleBuilder CopyMaps(IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> annotations)
    {
        foreach ((string key, string value) in labels)
        {
            _labels[key] = value;
        }

        foreach ((string key, string value) in annotations)
        {
            _annotations[key] = value;
        }

        return this;
    }
}
