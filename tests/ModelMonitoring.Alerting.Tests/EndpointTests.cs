using System.Text.Json.Nodes;
using ModelMonitoring.Alerts;
using ModelMonitoring.AspNetCore.Tests;

namespace ModelMonitoring.Alerting.Tests;

/// <summary>PricingService with alerting on: GET /monitoring/alerts, the generated files it serves, and its webhook.</summary>
public sealed class EndpointTests
{
    [Fact]
    public async Task Pricing_service_shows_its_firing_alert_on_monitoring_alerts_sends_it_to_WEBHOOK_URL_and_never_shows_the_url()
    {
        using var receiver = new HttpReceiver();
        string secretUrl = new Uri(receiver.BaseAddress, "hook/wh-secret-7f3a").ToString();
        await using PricingServiceProcess service = await PricingServiceProcess.StartAsync(
            new Dictionary<string, string> { ["WEBHOOK_URL"] = secretUrl },
            "--ModelMonitoring:WindowSize=20", "--ModelMonitoring:Alerts:Defaults:ErrorRate:For=00:00:00", "--ModelMonitoring:Alerts:DigestInterval=00:00:00");

        JsonNode quiet = JsonNode.Parse(await service.Client.GetStringAsync("monitoring/alerts"))!;
        Assert.Empty(quiet["alerts"]!.AsArray());
        Assert.Equal("webhook", (string?)Assert.Single(quiet["notifiers"]!.AsArray())!["notifier"]);

        // One window of 20 good quotes after 20 unknown energy ratings: an error rate of 0.5.
        int ok = 0;
        for (int i = 0; i < 40; i++)
        {
            using var content = new StringContent(PricingCatalog.Request(i, unknownRating: i < 20), System.Text.Encoding.UTF8, "application/json");
            using HttpResponseMessage response = await service.Client.PostAsync("predict", content);
            ok += response.IsSuccessStatusCode ? 1 : 0;
        }

        Assert.Equal(20, ok);
        ReceivedRequest sent = (await receiver.WaitForAsync(1, TimeSpan.FromSeconds(20)))[0];
        Assert.Equal("/hook/wh-secret-7f3a", sent.Path);
        Assert.Equal("pricing", (string?)sent.Json["model"]);

        string page = await service.Client.GetStringAsync("monitoring/alerts");
        JsonNode alert = Assert.Single(JsonNode.Parse(page)!["alerts"]!.AsArray())!;
        Assert.Equal(DefaultAlertRulesOptions.ErrorRateRule, (string?)alert["name"]);
        Assert.Equal("firing", (string?)alert["state"]);
        Assert.Equal(0.5, (double)alert["value"]!, 12);
        Assert.Equal("Juan Manoel", (string?)alert["labels"]!["owner"]);

        string rules = await service.Client.GetStringAsync("monitoring/prometheus-rules.yml");
        Assert.Contains("modelmonitoring.pricing", rules, StringComparison.Ordinal);
        Assert.Contains("for: 0s", rules, StringComparison.Ordinal); // the configured rules, as the service evaluates them
        JsonNode dashboard = JsonNode.Parse(await service.Client.GetStringAsync("monitoring/grafana-dashboard.json"))!;
        Assert.Equal("pricing", (string?)dashboard["templating"]!["list"]![1]!["query"]);

        using HttpResponseMessage health = await service.Client.GetAsync("health"); // 503 here: half the calls failed
        string healthPage = await health.Content.ReadAsStringAsync();
        Assert.Contains("alerts", healthPage, StringComparison.Ordinal);
        foreach (string shown in new[] { page, healthPage, rules, service.Output })
        {
            Assert.DoesNotContain("wh-secret-7f3a", shown, StringComparison.Ordinal);
        }
    }
}
