using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ModelMonitoring.Alerts;

namespace ModelMonitoring.Alerting.Tests;

/// <summary>
/// The e-mail notifier against a real local SMTP server (aiosmtpd), and the Alertmanager notifier against a real
/// Alertmanager that routes the alert on to a real HTTP receiver.
/// </summary>
public sealed class ServerNotifierTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task An_email_reaches_a_real_smtp_server_with_the_subject_and_the_model_in_text_and_html()
    {
        using SmtpServer smtp = await SmtpServer.StartAsync();
        using var host = new AlertingHost(b => b.AddEmailNotifier(o =>
        {
            o.Host = "127.0.0.1";
            o.Port = smtp.Port;
            o.Security = SmtpSecurity.None;
            o.From = "ModelMonitoring <ml-alerts@example.com>";
            o.To = ["oncall@example.com", "ana@example.com"];
        }));

        host.Window(failures: 20);
        Assert.True(await host.Engine.FlushAsync(Patience));
        Assert.Equal(new AlertDeliveryCounts("email", 1, 0, 0, 0), Assert.Single(host.Engine.GetDeliveryCounts()));

        MimeKit.MimeMessage message = Assert.Single(smtp.Messages());
        Assert.Equal("[FIRING:1] alerting-quotes: ModelErrorRateHigh (critical)", message.Subject);
        Assert.Equal("ml-alerts@example.com", Assert.Single(message.From.Mailboxes).Address);
        Assert.Equal(["oncall@example.com", "ana@example.com"], message.To.Mailboxes.Select(m => m.Address));
        Assert.Contains("FIRING ModelErrorRateHigh (critical) value 0.5, threshold 0.05", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("model=alerting-quotes", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("<td>ModelErrorRateHigh</td><td>critical</td><td>0.5</td>", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("alerting-quotes", message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_smtp_server_is_a_failed_notification_logged_without_the_password()
    {
        int port = ExternalTool.FreePort(); // nothing listens there
        using var host = new AlertingHost(b => b.AddEmailNotifier(o =>
        {
            o.Host = "127.0.0.1";
            o.Port = port;
            o.Security = SmtpSecurity.None;
            o.Username = "alerts";
            o.Password = "smtp-pa55word-secret";
            o.From = "ml-alerts@example.com";
            o.To = ["oncall@example.com"];
            o.MaxRetries = 1;
            o.RetryDelay = TimeSpan.FromMilliseconds(50);
        }));

        host.Window(failures: 20);
        Assert.True(await host.Engine.FlushAsync(Patience));
        Assert.Equal(new AlertDeliveryCounts("email", 0, 1, 0, 0), Assert.Single(host.Engine.GetDeliveryCounts()));
        string logs = host.AllLogText();
        Assert.Contains("email: the SMTP server could not be reached", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("smtp-pa55word-secret", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rule_reaches_a_real_alertmanager_through_its_v2_api_and_alertmanager_routes_it_to_the_receiver()
    {
        using var receiver = new HttpReceiver();
        using AlertmanagerServer alertmanager = await AlertmanagerServer.StartAsync(AlertmanagerServer.RoutingTo(new Uri(receiver.BaseAddress, "alertmanager")));
        using var host = new AlertingHost(
            b => b.AddAlertmanagerNotifier(o => o.Url = alertmanager.BaseAddress.ToString()),
            o => o.ExternalUrl = "http://pricing.internal/monitoring/alerts");

        host.Window(failures: 20);
        Assert.True(await host.Engine.FlushAsync(Patience));
        Assert.Equal(1, Assert.Single(host.Engine.GetDeliveryCounts()).Sent);

        ReceivedRequest routed = (await receiver.WaitForAsync(1, TimeSpan.FromSeconds(30), r => r.Path == "/alertmanager"))[0];
        JsonNode body = routed.Json;
        Assert.Equal("test", (string?)body["receiver"]);
        Assert.Equal("firing", (string?)body["status"]);
        JsonNode alert = Assert.Single(body["alerts"]!.AsArray())!;
        JsonNode labels = alert["labels"]!;
        Assert.Equal("ModelErrorRateHigh", (string?)labels["alertname"]);
        Assert.Equal("alerting-quotes", (string?)labels["model"]);
        Assert.Equal("2.1.0", (string?)labels["model_version"]);
        Assert.Equal("Ana Lima", (string?)labels["owner"]);
        Assert.Equal("pricing-ml", (string?)labels["squad"]);
        Assert.Equal("critical", (string?)labels["severity"]);
        Assert.Equal("http://pricing.internal/monitoring/alerts", (string?)alert["generatorURL"]);
        Assert.Contains("0.5", (string?)alert["annotations"]!["description"], StringComparison.Ordinal);

        // Resolved in-process: sent to Alertmanager with its endsAt, and Alertmanager tells the receiver.
        host.Window(failures: 0);
        Assert.True(await host.Engine.FlushAsync(Patience));
        ReceivedRequest resolved = (await receiver.WaitForAsync(1, TimeSpan.FromSeconds(30), r => r.Path == "/alertmanager" && (string?)r.Json["status"] == "resolved"))[0];
        Assert.Equal("alerting-quotes", (string?)resolved.Json["alerts"]![0]!["labels"]!["model"]);
    }
}
