using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ModelMonitoring.Alerts;
using ModelMonitoring.AspNetCore.Tests;
using ModelMonitoring.Runtime;
using YamlDotNet.RepresentationModel;

namespace ModelMonitoring.Alerting.Tests;

/// <summary>
/// The generated Prometheus rules, Alertmanager configuration and Grafana dashboard, checked by the real tools
/// (promtool, amtool) and against the metric names a real PricingService's /metrics shows.
/// </summary>
public sealed partial class ExportTests
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void Prometheus_rules_pass_promtool_check_rules()
    {
        string promtool = ExternalTool.Find("prometheus", "promtool");
        string yaml = AlertExports.PrometheusRules([PricingCatalog.Pricing], rules: [AlertRule.Named("PricingAreaDrift").When(ModelSignalNames.FeatureDriftScore).ForFeature("Area").Below(0.01).Build(), .. PerformanceRules]);
        string directory = ExternalTool.TempDirectory("rules");
        try
        {
            string file = Path.Combine(directory, "rules.yml");
            File.WriteAllText(file, yaml);
            (int exit, string output) = ExternalTool.Run(promtool, ["check", "rules", file], ToolTimeout);
            Assert.True(exit == 0, $"promtool check rules failed ({exit}):\n{output}\n{yaml}");
            int alerts = Regex.Matches(yaml, "^      - alert: ", RegexOptions.Multiline).Count;
            Assert.Contains($"SUCCESS: {alerts} rules found", output, StringComparison.Ordinal);
            Assert.True(alerts >= 7, yaml); // dataset drift, error rate, outlier ratio, latency, the feature rule, mae, concept drift
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Prometheus_rules_use_the_real_functions_and_the_model_labels()
    {
        string yaml = AlertExports.PrometheusRules([PricingCatalog.Pricing]);
        Dictionary<string, YamlMappingNode> rules = RulesOf(yaml);
        Assert.Equal(
            new[] { DefaultAlertRulesOptions.DatasetDriftRule, DefaultAlertRulesOptions.ErrorRateRule, DefaultAlertRulesOptions.OutlierRatioRule, DefaultAlertRulesOptions.LatencyRule }.Order(StringComparer.Ordinal),
            rules.Keys.Order(StringComparer.Ordinal));

        string latency = Scalar(rules[DefaultAlertRulesOptions.LatencyRule], "expr");
        Assert.Contains("histogram_quantile(0.95, sum by (model, model_version, le) (rate(ml_model_prediction_duration_seconds_bucket{model=\"pricing\",outcome=\"success\"}[5m])))", latency, StringComparison.Ordinal);
        Assert.EndsWith("> 0.5", latency, StringComparison.Ordinal);
        string errors = Scalar(rules[DefaultAlertRulesOptions.ErrorRateRule], "expr");
        Assert.Contains("rate(ml_model_predictions_total{model=\"pricing\",outcome=\"error\"}[5m])", errors, StringComparison.Ordinal);
        Assert.Equal("5m", Scalar(rules[DefaultAlertRulesOptions.ErrorRateRule], "for"));

        foreach (YamlMappingNode rule in rules.Values)
        {
            var labels = (YamlMappingNode)rule.Children[new YamlScalarNode("labels")];
            Assert.Equal("pricing", Scalar(labels, "model"));
            Assert.Equal("1.3.0", Scalar(labels, "model_version"));
            Assert.Equal("Juan Manoel", Scalar(labels, "owner"));
            Assert.Equal("mlops", Scalar(labels, "squad"));
            Assert.Contains(Scalar(labels, "severity"), new[] { "info", "warning", "critical" });
        }

        Assert.Equal("max by (model) (ml_model_outlier_ratio{model=\"pricing\"}) > 0.1", Scalar(rules[DefaultAlertRulesOptions.OutlierRatioRule], "expr"));
        Assert.DoesNotContain("    # ", yaml, StringComparison.Ordinal); // no default rule left out: every one has a metric the model produces
    }

    /// <summary>Performance and concept-drift rules are written where the descriptor says the model produces the signal, and left out, with the reason, where it cannot.</summary>
    [Fact]
    public void Performance_rules_follow_what_the_model_descriptor_can_produce()
    {
        string yaml = AlertExports.PrometheusRules([PricingCatalog.Pricing, Churn(key: true, score: true), Churn("churn-unkeyed", key: false, score: true), Churn("churn-unscored", key: true, score: false)], rules: PerformanceRules);
        var groups = new YamlStream();
        groups.Load(new StringReader(yaml));
        Dictionary<string, string[]> alertsPerModel = ((YamlSequenceNode)((YamlMappingNode)groups.Documents[0].RootNode).Children[new YamlScalarNode("groups")])
            .Cast<YamlMappingNode>()
            .ToDictionary(
                g => Scalar(g, "name")["modelmonitoring.".Length..],
                g => g.Children[new YamlScalarNode("rules")] is YamlSequenceNode rules ? rules.Cast<YamlMappingNode>().Select(r => Scalar(r, "alert")).Where(a => a.StartsWith("Test", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray() : []);

        // PricingService: a keyed regression. Realized performance and concept drift, no CBPE.
        Assert.Equal(["TestConceptDrift", "TestMaeHigh"], alertsPerModel["pricing"]);
        Assert.Contains("# TestEstimatedAccuracyLow: model 'pricing' is a regression, and CBPE estimates the performance of classifiers, so it has no 'estimated_performance' series; left out.", yaml, StringComparison.Ordinal);
        Assert.Equal(["TestConceptDrift", "TestEstimatedAccuracyLow", "TestMaeHigh"], alertsPerModel["churn"]);
        Assert.Empty(alertsPerModel["churn-unkeyed"]);
        Assert.Contains("# TestMaeHigh: model 'churn-unkeyed' has no [PredictionKey] that outcomes join to, so it has no 'performance' series; left out.", yaml, StringComparison.Ordinal);
        Assert.Equal(["TestConceptDrift", "TestMaeHigh"], alertsPerModel["churn-unscored"]);
        Assert.Contains("# TestEstimatedAccuracyLow: model 'churn-unscored' has no [PredictionScore], which CBPE estimates from, so it has no 'estimated_performance' series; left out.", yaml, StringComparison.Ordinal);

        Dictionary<string, YamlMappingNode> pricing = RulesOf(AlertExports.PrometheusRules([PricingCatalog.Pricing], rules: PerformanceRules));
        Assert.Equal("max by (model, metric) (ml_model_performance{model=\"pricing\",metric=\"mae\",segment=\"\"}) > 20000", Scalar(pricing["TestMaeHigh"], "expr"));
        Assert.Equal("sum by (model, detector) (increase(ml_model_concept_drift_detections_total{model=\"pricing\",detector=\"adwin\"}[5m])) > 0", Scalar(pricing["TestConceptDrift"], "expr"));
        Dictionary<string, YamlMappingNode> churn = RulesOf(AlertExports.PrometheusRules([Churn(key: true, score: true)], rules: PerformanceRules));
        Assert.Equal("max by (model, metric) (ml_model_performance_estimated{model=\"churn\",metric=\"accuracy\",bound=\"estimate\",segment=\"\"}) < 0.8", Scalar(churn["TestEstimatedAccuracyLow"], "expr"));

        JsonNode dashboard = JsonNode.Parse(AlertExports.GrafanaDashboard([PricingCatalog.Pricing, Churn(), Churn("churn-unkeyed", key: false, score: true), Churn("churn-unscored", key: true, score: false)]))!;
        string description = (string)dashboard["description"]!;
        Assert.Contains("pricing 1.3.0 (Juan Manoel, mlops); empty by design: estimated performance (is a regression, and CBPE estimates the performance of classifiers)", description, StringComparison.Ordinal);
        Assert.Contains("churn-unkeyed 2.0 (Ana, retention); empty by design: performance (realized and estimated), outcomes and concept drift (has no [PredictionKey] that outcomes join to)", description, StringComparison.Ordinal);
        Assert.Contains("churn 2.0 (Ana, retention); empty by design: realized mae and rmse (a classifier);", description, StringComparison.Ordinal);
        Assert.Contains("churn-unscored 2.0 (Ana, retention); empty by design: realized mae and rmse (a classifier), estimated performance (has no [PredictionScore], which CBPE estimates from)", description, StringComparison.Ordinal);
    }

    /// <summary>Configured rules over performance, estimated performance and concept drift.</summary>
    private static AlertRule[] PerformanceRules =>
    [
        AlertRule.Named("TestMaeHigh").When(ModelSignalNames.Performance).ForMetric("mae").Above(20_000).Build(),
        AlertRule.Named("TestEstimatedAccuracyLow").When(ModelSignalNames.EstimatedPerformance).ForMetric("accuracy").Below(0.8).Build(),
        AlertRule.Named("TestConceptDrift").When(ModelSignalNames.ConceptDriftDetections).ForMetric("adwin").Above(0).Build(),
    ];

    /// <summary>A classifier's descriptor: a categorical prediction, with or without a [PredictionKey] and a [PredictionScore].</summary>
    private static ModelDescriptor Churn(string name = "churn", bool key = true, bool score = true)
    {
        FeatureDescriptor[] features =
        [
            new("Tenure", FeatureKind.Numerical, FeatureStorage.Number, 0, FeatureSource.Input, "System.Double", false, 0, DriftMethod.Auto, double.NaN),
            new("Label", FeatureKind.Categorical, FeatureStorage.Label, 0, FeatureSource.Prediction, "System.String", false, 0, DriftMethod.Auto, double.NaN),
            .. score ? new FeatureDescriptor[] { new("Probability", FeatureKind.Numerical, FeatureStorage.Number, 1, FeatureSource.Prediction, "System.Double", false, 0, DriftMethod.Auto, double.NaN, isPredictionScore: true, positiveLabel: "yes") } : [],
        ];
        return new ModelDescriptor(name, "2.0", "Ana", "retention", "Tests.Churn", [new MethodDescriptor("Predict", "M:Tests.Churn.Predict", false, false, features, key ? "CustomerId" : null)]);
    }

    [Fact]
    public void Alertmanager_config_passes_amtool_check_config()
    {
        string amtool = ExternalTool.Find("prometheus-alertmanager", "amtool");
        string directory = ExternalTool.TempDirectory("amconfig");
        try
        {
            foreach ((string name, AlertmanagerConfigOptions? options) in new[]
            {
                ("defaults.yml", (AlertmanagerConfigOptions?)null),
                ("auth.yml", new AlertmanagerConfigOptions { SmtpAuthUsername = "alerts", SmtpAuthPasswordFile = "/etc/alertmanager/smtp_password", SmtpRequireTls = false }),
            })
            {
                string file = Path.Combine(directory, name);
                string yaml = AlertExports.AlertmanagerConfig(options);
                File.WriteAllText(file, yaml);
                (int exit, string output) = ExternalTool.Run(amtool, ["check-config", file], ToolTimeout);
                Assert.True(exit == 0, $"amtool check-config {name} failed ({exit}):\n{output}\n{yaml}");
                Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
                Assert.Contains(" - 3 receivers", output, StringComparison.Ordinal); // webhook, warning, critical
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Grafana_dashboard_has_the_variables_and_a_repeated_row_per_model()
    {
        ModelDescriptor other = new("churn", "2.0", "Ana", "retention", "Tests.Churn", []);
        JsonObject dashboard = JsonNode.Parse(AlertExports.GrafanaDashboard([PricingCatalog.Pricing, other]))!.AsObject();
        JsonArray variables = dashboard["templating"]!["list"]!.AsArray();
        JsonNode datasource = variables.Single(v => (string?)v!["name"] == "datasource")!;
        Assert.Equal("datasource", (string?)datasource["type"]);
        Assert.Equal("prometheus", (string?)datasource["query"]);
        JsonNode model = variables.Single(v => (string?)v!["name"] == "model")!;
        Assert.Equal("churn,pricing", (string?)model["query"]);

        JsonArray panels = dashboard["panels"]!.AsArray();
        JsonNode row = panels[0]!;
        Assert.Equal("row", (string?)row["type"]);
        Assert.Equal("model", (string?)row["repeat"]);
        string[] titles = panels.Skip(1).Select(p => (string)p!["title"]!).ToArray();
        foreach (string expected in new[] { "Predictions per second", "Error rate", "Latency (successful calls)", "Drift score per feature", "Dataset drift share", "Outlier ratio", "Data quality", AlertExports.RealizedErrorsPanel, "Performance (realized): scores", "Performance (estimated)", "Outcomes per second", "Concept drift" })
        {
            Assert.Contains(expected, titles);
        }

        string[] latency = Targets(panels.Single(p => (string?)p!["title"] == "Latency (successful calls)")!).ToArray();
        Assert.Equal(3, latency.Length);
        Assert.All(latency, e => Assert.Contains("ml_model_prediction_duration_seconds_bucket{model=~\"$model\",outcome=\"success\"}[$__rate_interval]", e, StringComparison.Ordinal));
        Assert.All(panels.Skip(1), p => Assert.Equal("${datasource}", (string?)p!["datasource"]!["uid"]));
        Assert.Equal(panels.Count, panels.Select(p => (int)p!["id"]!).Distinct().Count());
    }

    /// <summary>
    /// Every metric a generated query reads is one a real PricingService's /metrics shows once traffic has flowed, with
    /// outcomes and outlier detection on (its appsettings), except estimated performance: PricingService is a regression.
    /// </summary>
    [Fact]
    public async Task Every_metric_in_the_dashboard_and_the_rules_is_one_a_real_metrics_endpoint_shows()
    {
        string[] emptyByDesign = ["ml_model_performance_estimated"];
        string[] expected = PrometheusQueries.ExportedMetrics.Except(emptyByDesign).ToArray();
        await using PricingServiceProcess service = await PricingServiceProcess.StartAsync("--ModelMonitoring:WindowSize=50");
        Assert.Equal(140, await PricingCatalog.SendAsync(service, 150, unknownEvery: 15, outcomes: true)); // 10 unknown energy ratings: errors

        HashSet<string> scraped = [];
        for (int attempt = 0; attempt < 50 && !expected.All(scraped.Contains); attempt++)
        {
            await Task.Delay(200);
            string metrics = await service.Client.GetStringAsync("metrics");
            scraped = MetricLine().Matches(metrics).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        }

        Assert.True(expected.All(scraped.Contains), $"missing from /metrics: {string.Join(", ", expected.Where(m => !scraped.Contains(m)))}");
        Assert.All(emptyByDesign, m => Assert.DoesNotContain(m, scraped));

        string dashboard = AlertExports.GrafanaDashboard([PricingCatalog.Pricing]);
        string[] dashboardExpressions = JsonNode.Parse(dashboard)!["panels"]!.AsArray().Skip(1).SelectMany(Targets).ToArray();
        string[] ruleExpressions = RulesOf(AlertExports.PrometheusRules([PricingCatalog.Pricing], rules: PerformanceRules)).Values.Select(r => Scalar(r, "expr")).ToArray();
        Assert.NotEmpty(dashboardExpressions);
        foreach (string expression in dashboardExpressions.Concat(ruleExpressions))
        {
            string[] metrics = PrometheusQueries.MetricsIn(expression).ToArray();
            Assert.NotEmpty(metrics);
            Assert.All(metrics.Except(emptyByDesign), m => Assert.True(scraped.Contains(m), $"{m} (in {expression}) is not in /metrics: {string.Join(", ", scraped.Order())}"));
            Assert.Contains("pricing", expression.Contains("$model", StringComparison.Ordinal) ? "pricing" : expression, StringComparison.Ordinal);
        }

        // The estimated-performance panel is the only query over a metric PricingService cannot have.
        Assert.All(ruleExpressions, e => Assert.DoesNotContain("ml_model_performance_estimated", e, StringComparison.Ordinal));
    }

    [Fact]
    public void Mlmon_export_writes_the_same_files_from_the_applications_assembly_and_promtool_accepts_the_rules()
    {
        string promtool = ExternalTool.Find("prometheus", "promtool");
        string mlmon = RepositoryFile("src", "ModelMonitoring.Cli", "bin", Configuration, "net10.0", "mlmon.dll");
        string pricing = RepositoryFile("samples", "PricingService", "bin", Configuration, "net10.0", "PricingService.dll");
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        string directory = ExternalTool.TempDirectory("export");
        try
        {
            string rules = Path.Combine(directory, "rules.yml");
            (int exit, string output) = ExternalTool.Run(dotnet, [mlmon, "export", "prometheus-rules", "--assembly", pricing, "--output", rules], ToolTimeout);
            Assert.True(exit == 0, output);
            Assert.Equal(AlertExports.PrometheusRules([PricingCatalog.Pricing]), File.ReadAllText(rules));
            (exit, output) = ExternalTool.Run(promtool, ["check", "rules", rules], ToolTimeout);
            Assert.True(exit == 0, output);

            (exit, output) = ExternalTool.Run(dotnet, [mlmon, "export", "grafana-dashboard", "-a", pricing], ToolTimeout);
            Assert.Equal(0, exit);
            Assert.Equal(AlertExports.GrafanaDashboard([PricingCatalog.Pricing]), output.ReplaceLineEndings("\n").TrimEnd() + "\n");

            (exit, output) = ExternalTool.Run(dotnet, [mlmon, "export", "grafana-dashboard"], ToolTimeout);
            Assert.Equal(2, exit);
            Assert.Contains("--assembly is required", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Configuration =>
        typeof(ExportTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false).OfType<System.Reflection.AssemblyConfigurationAttribute>().FirstOrDefault()?.Configuration ?? "Debug";

    private static string RepositoryFile(params string[] parts)
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine([directory.FullName, .. parts]);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail($"{Path.Combine(parts)} not found above {AppContext.BaseDirectory}: build it first.");
        return null!;
    }

    internal static IEnumerable<string> Targets(JsonNode? panel) => panel!["targets"]!.AsArray().Select(t => (string)t!["expr"]!);

    internal static Dictionary<string, YamlMappingNode> RulesOf(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        return ((YamlSequenceNode)root.Children[new YamlScalarNode("groups")])
            .Cast<YamlMappingNode>()
            .SelectMany(g => g.Children[new YamlScalarNode("rules")] is YamlSequenceNode rules ? rules.Cast<YamlMappingNode>() : [])
            .ToDictionary(r => Scalar(r, "alert"), StringComparer.Ordinal);
    }

    internal static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value!;

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", RegexOptions.Multiline)]
    private static partial Regex MetricLine();
}
