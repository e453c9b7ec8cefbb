using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using ModelMonitoring.Alerts;

namespace ModelMonitoring.Alerting.Tests;

/// <summary>
/// The in-process path to real HTTP receivers: a rule on a real monitored model fires, and the webhook and Slack
/// notifiers (with their retries) deliver to a real HTTP server; a receiver that fails once still gets the alert once;
/// one that is down blocks no prediction, and what it cannot take is counted. Secrets never reach the logs.
/// </summary>
public sealed class NotifierTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_firing_rule_reaches_a_real_webhook_as_json_with_the_models_labels()
    {
        using var receiver = new HttpReceiver();
        using var host = new AlertingHost(b => b.AddWebhookNotifier(o => o.Url = new Uri(receiver.BaseAddress, "hooks/ml").ToString()), o => o.ExternalUrl = "http://pricing.internal/monitoring/alerts");

        host.Window(failures: 20); // half the calls fail: the error-rate rule (critical) fires at once
        Assert.True(host.Engine.GetAlerts().Count == 1, $"alerts: {string.Join("; ", host.Engine.GetAlerts())}; models: {string.Join(", ", host.Runtime.Models.Select(m => m.Name))}; logs: {host.AllLogText()}");
        Assert.True(await host.Engine.FlushAsync(Patience));
        ReceivedRequest request = Assert.Single(await receiver.WaitForAsync(1, Patience));

        Assert.Equal("POST", request.Method);
        Assert.Equal("/hooks/ml", request.Path);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        JsonNode body = request.Json;
        Assert.Equal("firing", (string?)body["status"]);
        Assert.Equal("alerting-quotes", (string?)body["model"]);
        Assert.Equal("critical", (string?)body["severity"]);
        Assert.Equal("http://pricing.internal/monitoring/alerts", (string?)body["externalUrl"]);
        Assert.Equal("[FIRING:1] alerting-quotes: ModelErrorRateHigh (critical)", (string?)body["title"]);
        JsonNode alert = Assert.Single(body["alerts"]!.AsArray())!;
        Assert.Equal("ModelErrorRateHigh", (string?)alert["name"]);
        Assert.Equal(0.5, (double)alert["value"]!, 12);
        Assert.Equal(0.05, (double)alert["threshold"]!, 12);
        JsonNode labels = alert["labels"]!;
        Assert.Equal("alerting-quotes", (string?)labels["model"]);
        Assert.Equal("2.1.0", (string?)labels["model_version"]);
        Assert.Equal("Ana Lima", (string?)labels["owner"]);
        Assert.Equal("pricing-ml", (string?)labels["squad"]);
        Assert.Equal("critical", (string?)labels["severity"]);
        Assert.Contains("0.5", (string?)alert["annotations"]!["description"], StringComparison.Ordinal);

        host.Window(failures: 0); // all good: resolved, sent too
        Assert.True(await host.Engine.FlushAsync(Patience));
        ReceivedRequest resolved = (await receiver.WaitForAsync(2, Patience))[1];
        Assert.Equal("resolved", (string?)resolved.Json["status"]);
        Assert.Equal(new AlertDeliveryCounts("webhook", 2, 0, 0, 0), Assert.Single(host.Engine.GetDeliveryCounts()));
    }

    [Fact]
    public async Task A_firing_rule_reaches_a_real_slack_incoming_webhook_with_the_severity_colour_model_value_and_link()
    {
        using var receiver = new HttpReceiver();
        string secretUrl = new Uri(receiver.BaseAddress, "services/T0SECRET/B0SECRET/xoxb-not-for-logs").ToString();
        using var host = new AlertingHost(
            b => b.AddSlackNotifier(o =>
            {
                o.WebhookUrl = secretUrl;
                o.Channel = "#ml-alerts";
            }),
            o => o.ExternalUrl = "http://pricing.internal/monitoring/alerts");

        host.Window(failures: 5); // a fifth fail
        Assert.True(await host.Engine.FlushAsync(Patience));
        ReceivedRequest request = Assert.Single(await receiver.WaitForAsync(1, Patience));

        Assert.Equal("/services/T0SECRET/B0SECRET/xoxb-not-for-logs", request.Path);
        JsonNode body = request.Json;
        Assert.Equal("[FIRING:1] alerting-quotes: ModelErrorRateHigh (critical)", (string?)body["text"]);
        Assert.Equal("#ml-alerts", (string?)body["channel"]);
        JsonNode attachment = Assert.Single(body["attachments"]!.AsArray())!;
        Assert.Equal("#e01e5a", (string?)attachment["color"]); // critical
        Assert.Equal("http://pricing.internal/monitoring/alerts", (string?)attachment["title_link"]);
        Dictionary<string, string> fields = attachment["fields"]!.AsArray().ToDictionary(f => (string)f!["title"]!, f => (string)f!["value"]!);
        Assert.Equal("alerting-quotes", fields["Model"]);
        Assert.Equal("0.2", fields["Value"]);
        Assert.Equal("0.05", fields["Threshold"]);
        Assert.Equal("critical", fields["Severity"]);
        Assert.DoesNotContain("xoxb-not-for-logs", host.AllLogText(), StringComparison.Ordinal);
        Assert.DoesNotContain("T0SECRET", host.AllLogText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_receiver_that_answers_500_then_200_gets_the_alert_exactly_once()
    {
        using var receiver = new HttpReceiver();
        receiver.Answers.Enqueue(HttpStatusCode.InternalServerError);
        using var host = new AlertingHost(b => b.AddWebhookNotifier(o =>
        {
            o.Url = receiver.BaseAddress.ToString();
            o.RetryDelay = TimeSpan.FromMilliseconds(50);
        }));

        host.Window(failures: 20);
        Assert.True(await host.Engine.FlushAsync(Patience));
        IReadOnlyList<ReceivedRequest> requests = await receiver.WaitForAsync(2, Patience);

        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.OK], requests.Select(r => r.Answered));
        Assert.Equal(requests[0].Body, requests[1].Body); // the same notification, retried
        Assert.Single(requests, r => r.Answered == HttpStatusCode.OK);
        Assert.Equal(new AlertDeliveryCounts("webhook", 1, 0, 0, 0), Assert.Single(host.Engine.GetDeliveryCounts()));
        await Task.Delay(300); // nothing more comes
        Assert.Equal(2, receiver.Received.Count);
    }

    [Fact]
    public async Task A_receiver_down_for_the_whole_test_blocks_no_prediction_and_what_cannot_be_queued_is_counted_as_dropped()
    {
        int port = ExternalTool.FreePort(); // nothing listens there
        string secretUrl = $"http://127.0.0.1:{port}/hooks/token-s3cr3t-value";
        using var host = new AlertingHost(
            b => b.AddWebhookNotifier(o =>
            {
                o.Url = secretUrl;
                o.MaxRetries = 3;
                o.RetryDelay = TimeSpan.FromSeconds(1); // the first notification retries for seconds
            }),
            o => o.QueueCapacity = 1);
        using var notifications = new MetricCollector<long>(host.Provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), AlertEngine.MeterName, AlertEngine.NotificationsInstrument);

        // Fired, resolved, fired...: a notification per window while the receiver is unreachable.
        int failed = 0;
        for (int window = 0; window < 8; window++)
        {
            failed += host.Model.Run(20, window % 2 == 0 ? 20 : 0);
            host.Runtime.Flush();
        }

        // Every prediction ran and was recorded although no notification could go anywhere.
        Assert.Equal(80, failed);
        AlertDeliveryCounts counts = Assert.Single(host.Engine.GetDeliveryCounts());
        Assert.True(counts.Dropped >= 5, $"dropped {counts.Dropped}: {counts}");
        Assert.True(await host.Engine.FlushAsync(TimeSpan.FromSeconds(40)));
        counts = Assert.Single(host.Engine.GetDeliveryCounts());
        Assert.Equal(0, counts.Sent);
        Assert.Equal(8, counts.Failed + counts.Dropped);
        Assert.True(counts.Failed >= 1);

        IReadOnlyList<CollectedMeasurement<long>> measured = notifications.GetMeasurementSnapshot();
        Assert.Equal(counts.Dropped, measured.Where(m => m.Tags["result"] is "dropped" && m.Tags["notifier"] is "webhook").Sum(m => m.Value));
        Assert.Equal(counts.Failed, measured.Where(m => m.Tags["result"] is "failed").Sum(m => m.Value));

        // Logged, and never with the URL's token.
        string logs = host.AllLogText();
        Assert.Contains("webhook", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("token-s3cr3t-value", logs, StringComparison.Ordinal);
    }
}
