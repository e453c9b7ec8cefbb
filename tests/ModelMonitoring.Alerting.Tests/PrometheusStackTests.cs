using System.Diagnostics;
using System.Text.Json.Nodes;
using ModelMonitoring.Alerts;
using ModelMonitoring.AspNetCore.Tests;

namespace ModelMonitoring.Alerting.Tests;

/// <summary>
/// The whole stack, started by the test on free loopback ports: PricingService; a real Prometheus scraping it every
/// second with the generated rules and pointing at a real Alertmanager; Alertmanager routing to an HTTP receiver.
/// </summary>
public sealed class PrometheusStackTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>The rules' and the dashboard's rate window here: Prometheus scrapes every second.</summary>
    private const string RateWindow = "30s";

    /// <summary>
    /// A realized-performance rule and a concept-drift rule besides the defaults, so that the test runs them too; the
    /// MAE threshold is far above the drift-free traffic's (its sale prices are within ±4 % of the quotes).
    /// </summary>
    private static readonly AlertRule[] ConfiguredRules =
    [
        AlertRule.Named("PricingMaeHigh").When(ModelSignalNames.Performance).ForMetric("mae").Above(50_000).Build(),
        AlertRule.Named("PricingConceptDrift").When(ModelSignalNames.ConceptDriftDetections).ForMetric("adwin").Above(0).Build(),
    ];

    /// <summary>The alerts drifted traffic may raise besides the dataset-drift one: its inputs are outliers too.</summary>
    private static readonly string[] AlsoFiringOnDrift = [DefaultAlertRulesOptions.OutlierRatioRule];

    [Fact]
    public async Task Generated_queries_run_on_a_real_prometheus_and_drifted_traffic_alone_takes_the_drift_alert_to_the_receiver()
    {
        using var receiver = new HttpReceiver();
        using SmtpServer smtp = await SmtpServer.StartAsync();
        using AlertmanagerServer alertmanager = await AlertmanagerServer.StartAsync(AlertmanagerServer.RoutingTo(new Uri(receiver.BaseAddress, "alertmanager"), smtp.Port));
        // Windows of 50 rows, after a reference of 400: the forest's threshold flags 1 % of the reference, and on a
        // reference of n rows a new row from the same data is above it with probability about (0.01 n + 1) / (n + 1),
        // 3 % for 50 rows (windows then reach 0.08, near the 0.1 alert), 1.25 % for 400 (docs/alerting.md).
        await using PricingServiceProcess service = await PricingServiceProcess.StartAsync("--ModelMonitoring:WindowSize=50", "--ModelMonitoring:ReferenceSize=400");
        string rules = AlertExports.PrometheusRules([PricingCatalog.Pricing], rules: ConfiguredRules, rateWindow: RateWindow);
        using PrometheusServer prometheus = await PrometheusServer.StartAsync(service.BaseAddress, rules, alertmanager.BaseAddress);
        using var api = new HttpClient { BaseAddress = prometheus.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };

        // Drift-free traffic (the first 400 rows are the reference, then 4 windows), with a few unknown energy ratings
        // (errors), each quote's sale price following on POST /outcome; outlier detection is on (PricingService's appsettings).
        Assert.Equal(576, await PricingCatalog.SendAsync(service, 600, unknownEvery: 25, outcomes: true));
        foreach (string series in new[] { "ml_model_drift_share", "ml_model_outlier_ratio", "ml_model_performance", "ml_model_concept_drift_detections_total" })
        {
            await WaitUntilAsync(api, series + "{model=\"pricing\"}", TimeSpan.FromSeconds(20));
        }

        await Task.Delay(TimeSpan.FromSeconds(4)); // several evaluations of the rules over drift-free windows

        // 2. Every expression of the dashboard and the rules runs; each returns data, except those empty by design.
        string dashboard = AlertExports.GrafanaDashboard([PricingCatalog.Pricing]);
        string[] panelQueries = JsonNode.Parse(dashboard)!["panels"]!.AsArray().Skip(1).SelectMany(ExportTests.Targets)
            .Select(e => e.Replace("$model", "pricing", StringComparison.Ordinal).Replace("$__rate_interval", RateWindow, StringComparison.Ordinal)).ToArray();
        Dictionary<string, string> ruleQueries = ExportTests.RulesOf(rules).ToDictionary(r => r.Key, r => ExportTests.Scalar(r.Value, "expr"));
        Assert.Equal(
            new[] { DefaultAlertRulesOptions.DatasetDriftRule, DefaultAlertRulesOptions.ErrorRateRule, DefaultAlertRulesOptions.OutlierRatioRule, DefaultAlertRulesOptions.LatencyRule, "PricingMaeHigh", "PricingConceptDrift" }.Order(StringComparer.Ordinal),
            ruleQueries.Keys.Order(StringComparer.Ordinal));
        var empty = new List<string>();
        foreach (string query in panelQueries.Concat(ruleQueries.Values))
        {
            if ((await QueryAsync(api, query)).Count == 0)
            {
                empty.Add(query);
            }
        }

        // Empty by design: the alert conditions, since this traffic is healthy (error rate 4 % < 5 %, p95 < 0.5 s, no
        // drift, few outliers, small errors, no concept drift); and the estimated performance with its band, since CBPE
        // estimates classifiers and PricingService is a regression (the dashboard's description says so).
        string[] estimated = panelQueries.Where(q => q.Contains("ml_model_performance_estimated", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, estimated.Length);
        Assert.Contains("pricing 1.3.0 (Juan Manoel, mlops); empty by design: estimated performance", (string)JsonNode.Parse(dashboard)!["description"]!, StringComparison.Ordinal);
        Assert.Equal(ruleQueries.Values.Concat(estimated).Order(StringComparer.Ordinal), empty.Order(StringComparer.Ordinal));
        foreach (string condition in ruleQueries.Values)
        {
            // The same expression without its threshold has data: the condition is empty only because it is false.
            string signal = condition[..condition.LastIndexOf(' ', condition.LastIndexOf(' ') - 1)];
            Assert.True((await QueryAsync(api, signal)).Count > 0, $"no data for {signal}");
        }

        // The drift-free windows' outlier ratio stays well under the default threshold (0.1): at most half of it.
        double outliers = await MaxAsync(api, "max_over_time(ml_model_outlier_ratio{model=\"pricing\"}[5m])");
        Assert.True(outliers <= new DefaultAlertRulesOptions().OutlierRatio.Threshold / 2, $"drift-free outlier ratio {outliers}");
        output.WriteLine($"drift-free windows' highest outlier ratio: {outliers}");

        JsonArray quiet = await AlertsAsync(api);
        Assert.True(quiet.Count == 0, $"drift-free traffic raised alerts: {quiet.ToJsonString()}");
        Assert.Empty(receiver.Received);

        // 3. Drifted traffic: the dataset-drift alert goes through Prometheus, then Alertmanager, to the receiver. Its
        // rows are far from the reference, so the outlier-ratio alert may fire too (Alertmanager groups by alert name:
        // its own notification); no other alert may.
        var clock = Stopwatch.StartNew();
        Assert.Equal(150, await PricingCatalog.SendAsync(service, 150, from: 600, drifted: true));
        ReceivedRequest routed = (await receiver.WaitForAsync(1, TimeSpan.FromSeconds(40), r => r.Path == "/alertmanager" && IsDatasetDrift(r)))[0];
        JsonNode alert = Assert.Single(routed.Json["alerts"]!.AsArray())!;
        JsonNode labels = alert["labels"]!;
        Assert.Equal(DefaultAlertRulesOptions.DatasetDriftRule, (string?)labels["alertname"]);
        Assert.Equal("pricing", (string?)labels["model"]);
        Assert.Equal("1.3.0", (string?)labels["model_version"]);
        Assert.Equal("Juan Manoel", (string?)labels["owner"]);
        Assert.Equal("mlops", (string?)labels["squad"]);
        Assert.Equal("warning", (string?)labels["severity"]);
        Assert.Equal("firing", (string?)alert["status"]);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(40));

        // Alertmanager also e-mails it through the local SMTP server.
        MimeKit.MimeMessage mail = await WaitForMailAsync(smtp, TimeSpan.FromSeconds(20), DefaultAlertRulesOptions.DatasetDriftRule);
        Assert.Contains("pricing", mail.Subject, StringComparison.Ordinal);
        Assert.Equal("oncall@example.com", Assert.Single(mail.To.Mailboxes).Address);

        JsonArray firing = await AlertsAsync(api);
        Assert.Contains(firing, a => (string?)a!["labels"]!["alertname"] == DefaultAlertRulesOptions.DatasetDriftRule && (string?)a["state"] == "firing");
        string[] others = [.. firing.Concat(receiver.Received.Where(r => r.Path == "/alertmanager").SelectMany(r => r.Json["alerts"]!.AsArray()))
            .Select(a => (string)a!["labels"]!["alertname"]!).Where(n => n != DefaultAlertRulesOptions.DatasetDriftRule).Distinct()];
        Assert.True(others.All(AlsoFiringOnDrift.Contains), $"drifted traffic raised {string.Join(", ", others)}");
        output.WriteLine($"drifted traffic also raised: [{string.Join(", ", others)}]; outlier ratio now {await MaxAsync(api, "max(ml_model_outlier_ratio{model=\"pricing\"})")}");
    }

    private static bool IsDatasetDrift(ReceivedRequest request) =>
        request.Json["alerts"]!.AsArray().Any(a => (string?)a!["labels"]!["alertname"] == DefaultAlertRulesOptions.DatasetDriftRule);

    private static async Task<double> MaxAsync(HttpClient api, string query) =>
        (await QueryAsync(api, query)).Select(r => double.Parse((string)r!["value"]![1]!, System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(double.NaN).Max();

    private static async Task<MimeKit.MimeMessage> WaitForMailAsync(SmtpServer smtp, TimeSpan timeout, string alert)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (smtp.Messages().FirstOrDefault(m => m.Subject?.Contains(alert, StringComparison.Ordinal) == true) is { } mail)
            {
                return mail;
            }

            Assert.True(clock.Elapsed < timeout, $"no e-mail about {alert} reached the SMTP server within {timeout.TotalSeconds} s: {string.Join("; ", smtp.Messages().Select(m => m.Subject))}");
            await Task.Delay(250);
        }
    }

    private static async Task<JsonArray> QueryAsync(HttpClient api, string query)
    {
        string json = await api.GetStringAsync("api/v1/query?query=" + Uri.EscapeDataString(query));
        JsonNode answer = JsonNode.Parse(json)!;
        Assert.True((string?)answer["status"] == "success", $"{query}: {json}");
        return answer["data"]!["result"]!.AsArray();
    }

    private static async Task<JsonArray> AlertsAsync(HttpClient api) =>
        JsonNode.Parse(await api.GetStringAsync("api/v1/alerts"))!["data"]!["alerts"]!.AsArray();

    private static async Task WaitUntilAsync(HttpClient api, string query, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while ((await QueryAsync(api, query)).Count == 0)
        {
            Assert.True(clock.Elapsed < timeout, $"Prometheus had no data for {query} within {timeout.TotalSeconds} s");
            await Task.Delay(250);
        }
    }
}
