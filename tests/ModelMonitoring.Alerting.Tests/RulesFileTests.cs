using ModelMonitoring.Alerts;

namespace ModelMonitoring.Alerting.Tests;

/// <summary>Alert rules from a YAML file (YamlDotNet): read, validated, and errors that name the file, the place or the rule and field.</summary>
public sealed class RulesFileTests : IDisposable
{
    private readonly string _directory = ExternalTool.TempDirectory("rulesfile");

    [Fact]
    public void A_rules_file_gives_the_rules_it_describes()
    {
        string file = Write("""
            rules:
              - name: PricingAreaDrift
                signal: feature_drift
                feature: Area
                comparison: above
                threshold: 0.5
                for: 00:05:00
                severity: critical
                model: pricing
                labels:
                  team: pricing-ml
                annotations:
                  summary: "{model}: {feature} drifted ({value})"
            """);

        AlertRule rule = Assert.Single(AlertRulesFile.Load(file));
        Assert.Equal("PricingAreaDrift", rule.Name);
        Assert.Equal(ModelSignalNames.FeatureDrift, rule.Signal);
        Assert.Equal("Area", rule.Feature);
        Assert.Equal("pricing", rule.Model);
        Assert.Equal(AlertComparison.Above, rule.Comparison);
        Assert.Equal(0.5, rule.Threshold);
        Assert.Equal(TimeSpan.FromMinutes(5), rule.For);
        Assert.Equal(AlertSeverity.Critical, rule.Severity);
        Assert.Equal("pricing-ml", rule.Labels["team"]);
        Assert.Equal("{model}: {feature} drifted ({value})", rule.Annotations["summary"]);
    }

    [Fact]
    public void A_rule_with_a_bad_field_is_an_error_naming_the_file_the_rule_and_the_field()
    {
        string file = Write("""
            rules:
              - name: NoThreshold
                signal: error_rate
                comparison: above
            """);

        FormatException error = Assert.Throws<FormatException>(() => AlertRulesFile.Load(file));
        Assert.StartsWith(file + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains("rules:0 (NoThreshold)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Threshold", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_that_does_not_fit_is_an_error_naming_the_file_line_and_column()
    {
        string file = Write("""
            rules:
              - name: Bad
                threshold: [1, 2]
            """);

        FormatException error = Assert.Throws<FormatException>(() => AlertRulesFile.Load(file));
        Assert.StartsWith(file + "(3,", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string yaml)
    {
        string file = Path.Combine(_directory, $"rules-{Guid.NewGuid():N}.yml");
        File.WriteAllText(file, yaml);
        return file;
    }
}
