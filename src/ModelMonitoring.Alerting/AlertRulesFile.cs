using ModelMonitoring.Alerts;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ModelMonitoring.Alerting;

/// <summary>
/// Reads alert rules from a YAML file (<see cref="AlertingOptions.RulesFile"/>): a <c>rules</c> list whose items have
/// the fields of <see cref="AlertRuleOptions"/> in camel case (<c>name</c>, <c>signal</c>, <c>comparison</c>,
/// <c>threshold</c>, <c>for</c>, <c>severity</c>, <c>model</c>, <c>feature</c>, <c>metric</c>, <c>segment</c>,
/// <c>labels</c>, <c>annotations</c>).
/// </summary>
/// <example>
/// <code>
/// rules:
///   - name: PricingAreaDrift
///     signal: feature_drift
///     feature: Area
///     comparison: above
///     threshold: 0.5
///     for: 00:05:00
///     severity: warning
/// </code>
/// </example>
public static class AlertRulesFile
{
    /// <summary>The rules of the file, validated.</summary>
    /// <param name="path">The YAML file.</param>
    /// <param name="additionalSignals">Signal names besides the standard ones that rules may use.</param>
    /// <exception cref="FormatException">The file is not valid YAML of that shape, or a rule is invalid; the message names the file, the line and column or the rule and field.</exception>
    public static IReadOnlyList<AlertRule> Load(string path, IReadOnlyCollection<string>? additionalSignals = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        RulesDocument document;
        try
        {
            IDeserializer reader = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
            using StreamReader text = File.OpenText(path);
            document = reader.Deserialize<RulesDocument?>(text) ?? new RulesDocument();
        }
        catch (YamlException exception)
        {
            throw new FormatException($"{path}({exception.Start.Line},{exception.Start.Column}): {exception.InnerException?.Message ?? exception.Message}", exception);
        }

        var options = new AlertingOptions { Rules = document.Rules ?? [], AdditionalSignals = [.. additionalSignals ?? []], Defaults = new DefaultAlertRulesOptions { Enabled = false } };
        IReadOnlyList<string> problems = options.Validate();
        if (problems.Count > 0)
        {
            string where = AlertingOptions.SectionName + ":" + nameof(AlertingOptions.Rules);
            throw new FormatException($"{path}: " + string.Join(" ", problems.Select(p => p.Replace(where, "rules", StringComparison.Ordinal))));
        }

        return options.ConfiguredRules();
    }

    private sealed class RulesDocument
    {
        public List<AlertRuleOptions>? Rules { get; set; }
    }
}
