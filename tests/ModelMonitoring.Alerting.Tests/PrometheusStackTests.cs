using System.Diagnostics;
using System.Text.Json.Nodes;
using ModelMonitoring.Alerts;
using ModelMonitoring.AspNetCore.Tests;

namespace ModelMonitoring.Alerting.Tests;

/// <summary>
/// The whole stack, started by the test on free loopback ports: PricingService; a real Prometheus scraping it every
/// second with the generated rules and pointing at a real Alertmanager; Alertmanager routing to an HTTP receiver.
/// </summary>
public sealed class PrometheusStackTests
{
    /// <summary>The rules' and the dashboard's rate window here: Prometheus scrapes every second.</summary>
    private const string RateWindow = "30s";

    [Fact]
    public async Task Generated_queries_run_on_a_real_prometheus_and_drifted_traffic_alone_takes_the_drift_alert_to_the_receiver()
    {
        using var receiver = new HttpReceiver();
        using SmtpServer smtp = await SmtpServer.StartAsync();
        using AlertmanagerServer alertmanager = await AlertmanagerServer.StartAsync(AlertmanagerServer.RoutingTo(new Uri(receiver.BaseAddress, "alertmanager"), smtp.Port));
        await using PricingServiceProcess service = await PricingServiceProcess.StartAsync("--ModelMonitoring:WindowSize=50");
        string rules = AlertExports.PrometheusRules([PricingCatalog.Pricing], rateWindow: RateWindow);
        using PrometheusServer prometheus = await PrometheusServer.StartAsync(service.BaseAddress, rules, alertmanager.BaseAddress);
        using var api = new HttpClient { BaseAddress = prometheus.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };

        // Drift-free traffic (the first window is the reference), with a few unknown energy ratings: errors.
        Assert.Equal(192, await PricingCatalog.SendAsync(service, 200, unknownEvery: 25));
        await WaitUntilAsync(api, "ml_model_drift_share{model=\"pricing\"}", TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromSeconds(4)); // several evaluations of the rules over drift-free windows

        // 2. Every expression of the dashboard and the rules runs; each returns data, except those empty by design.
        string dashboard = AlertExports.GrafanaDashboard([PricingCatalog.Pricing]);
        string[] panelQueries = JsonNode.Parse(dashboard)!["panels"]!.AsArray().Skip(1).SelectMany(ExportTests.Targets)
            .Select(e => e.Replace("$model", "pricing", StringComparison.Ordinal).Replace("$__rate_interval", RateWindow, StringComparison.Ordinal)).ToArray();
        Dictionary<string, string> ruleQueries = ExportTests.RulesOf(rules).ToDictionary(r => r.Key, r => ExportTests.Scalar(r.Value, "expr"));
        var empty = new List<string>();
        foreach (string query in panelQueries.Concat(ruleQueries.Values))
        {
            if ((await QueryAsync(api, query)).Count == 0)
            {
                empty.Add(query);
            }
        }

        // Empty by design: the alert conditions, since this traffic is healthy (error rate 4 % < 5 %, p95 < 0.5 s, no drift).
        Assert.Equal(ruleQueries.Values.Order(StringComparer.Ordinal), empty.Order(StringComparer.Ordinal));
        foreach (string condition in ruleQueries.Values)
        {
            // The same expression without its threshold has data: the condition is empty only because it is false.
            string signal = condition[..condition.LastIndexOf(' ', condition.LastIndexOf(' ') - 1)];
            Assert.True((await QueryAsync(api, signal)).Count > 0, $"no data for {signal}");
        }

        JsonArray quiet = await AlertsAsync(api);
        Assert.True(quiet.Count == 0, $"drift-free traffic raised alerts: {quiet.ToJsonString()}");
        Assert.Empty(receiver.Received);

        // 3. Drifted traffic: the dataset-drift alert goes through Prometheus, then Alertmanager, to the receiver.
        var clock = Stopwatch.StartNew();
        Assert.Equal(150, await PricingCatalog.SendAsync(service, 150, from: 200, drifted: true));
        ReceivedRequest routed = (await receiver.WaitForAsync(1, TimeSpan.FromSeconds(40), r => r.Path == "/alertmanager"))[0];
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
        MimeKit.MimeMessage mail = await WaitForMailAsync(smtp, TimeSpan.FromSeconds(20));
        Assert.Contains(DefaultAlertRulesOptions.DatasetDriftRule, mail.Subject, StringComparison.Ordinal);
        Assert.Contains("pricing", mail.Subject, StringComparison.Ordinal);
        Assert.Equal("oncall@example.com", Assert.Single(mail.To.Mailboxes).Address);

        JsonArray firing = await AlertsAsync(api);
        Assert.Contains(firing, a => (string?)a!["labels"]!["alertname"] == DefaultAlertRulesOptions.DatasetDriftRule && (string?)a["state"] == "firing");
    }

    private static async Task<MimeKit.MimeMessage> WaitForMailAsync(SmtpServer smtp, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (smtp.Messages().Count == 0)
        {
            Assert.True(clock.Elapsed < timeout, $"no e-mail reached the SMTP server within {timeout.TotalSeconds} s");
            await Task.Delay(250);
        }

        return smtp.Messages()[0];
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
