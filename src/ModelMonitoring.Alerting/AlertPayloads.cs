using System.Globalization;
using System.Text.Json.Nodes;
using ModelMonitoring.Alerts;

namespace ModelMonitoring.Alerting;

/// <summary>The bodies the notifiers send, built from a notification.</summary>
internal static class AlertPayloads
{
    /// <summary>The generic webhook's JSON: the notification and each alert with its labels, annotations and value.</summary>
    public static JsonObject Webhook(AlertNotification notification) => new()
    {
        ["version"] = "1",
        ["kind"] = notification.Kind.ToString().ToLowerInvariant(),
        ["status"] = notification.Firing.Any() ? "firing" : "resolved",
        ["title"] = notification.Title,
        ["model"] = notification.Model,
        ["severity"] = Severity(notification.Severity),
        ["groupLabels"] = Labels(notification.GroupLabels),
        ["externalUrl"] = notification.ExternalUrl?.ToString(),
        ["createdAt"] = notification.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
        ["alerts"] = new JsonArray(notification.Alerts.Select(a => (JsonNode)new JsonObject
        {
            ["name"] = a.Name,
            ["status"] = a.State.ToString().ToLowerInvariant(),
            ["severity"] = Severity(a.Severity),
            ["labels"] = Labels(a.Labels),
            ["annotations"] = Labels(a.Annotations),
            ["value"] = double.IsFinite(a.Value) ? a.Value : null,
            ["threshold"] = a.Threshold,
            ["activeAt"] = a.ActiveAt.ToString("O", CultureInfo.InvariantCulture),
            ["firedAt"] = a.FiredAt?.ToString("O", CultureInfo.InvariantCulture),
            ["resolvedAt"] = a.ResolvedAt?.ToString("O", CultureInfo.InvariantCulture),
            ["fingerprint"] = a.Fingerprint,
        }).ToArray()),
    };

    /// <summary>
    /// A Slack incoming-webhook message: the title as text, one attachment per alert coloured by severity (green once
    /// resolved) with the model, value and threshold as fields, and a link back when there is one.
    /// </summary>
    public static JsonObject Slack(AlertNotification notification, SlackNotifierOptions options)
    {
        var message = new JsonObject
        {
            ["text"] = notification.Title,
            ["attachments"] = new JsonArray(notification.Alerts.Select(a =>
            {
                var attachment = new JsonObject
                {
                    ["color"] = Colour(a),
                    ["fallback"] = $"{a.State.ToString().ToUpperInvariant()} {a.Name} ({a.Model}): {a.Summary}",
                    ["title"] = $"{a.State.ToString().ToUpperInvariant()} {a.Name}: {a.Summary}",
                    ["text"] = a.Annotations.GetValueOrDefault("description") ?? string.Empty,
                    ["fields"] = new JsonArray(
                        Field("Model", a.Model),
                        Field("Severity", Severity(a.Severity)),
                        Field("Value", Format(a.Value)),
                        Field("Threshold", Format(a.Threshold))),
                    ["footer"] = "ModelMonitoring",
                    ["ts"] = (a.ResolvedAt ?? a.FiredAt ?? a.ActiveAt).ToUnixTimeSeconds(),
                };
                if (notification.ExternalUrl is { } link)
                {
                    attachment["title_link"] = link.ToString();
                }

                if (a.Feature is { } feature)
                {
                    attachment["fields"]!.AsArray().Add(Field("Feature", feature));
                }

                return (JsonNode)attachment;
            }).ToArray()),
        };
        if (options.Channel is { Length: > 0 } channel)
        {
            message["channel"] = channel;
        }

        if (options.Username is { Length: > 0 } username)
        {
            message["username"] = username;
        }

        return message;

        static JsonNode Field(string title, string value) => new JsonObject { ["title"] = title, ["value"] = value, ["short"] = true };
    }

    /// <summary>
    /// Alertmanager's v2 <c>postableAlerts</c>: labels (with <c>alertname</c>), annotations, <c>startsAt</c>,
    /// <c>endsAt</c> (the resolution time, or now plus <paramref name="firingValidity"/> while firing) and
    /// <c>generatorURL</c>.
    /// </summary>
    public static JsonArray Alertmanager(AlertNotification notification, TimeSpan firingValidity, DateTimeOffset now) =>
        new(notification.Alerts.Select(a =>
        {
            var labels = Labels(a.Labels);
            labels["alertname"] = a.Name;
            var alert = new JsonObject
            {
                ["labels"] = labels,
                ["annotations"] = Labels(a.Annotations),
                ["startsAt"] = (a.FiredAt ?? a.ActiveAt).ToString("O", CultureInfo.InvariantCulture),
                ["endsAt"] = (a.ResolvedAt ?? now + firingValidity).ToString("O", CultureInfo.InvariantCulture),
            };
            if (notification.ExternalUrl is { } link)
            {
                alert["generatorURL"] = link.ToString();
            }

            return (JsonNode)alert;
        }).ToArray());

    /// <summary>The e-mail's subject, plain text and HTML.</summary>
    public static (string Subject, string Text, string Html) Email(AlertNotification notification)
    {
        var text = new System.Text.StringBuilder();
        var html = new System.Text.StringBuilder();
        string E(string s) => System.Net.WebUtility.HtmlEncode(s);
        text.AppendLine(notification.Title).AppendLine();
        html.Append("<html><body><h2>").Append(E(notification.Title)).AppendLine("</h2>");
        html.AppendLine("<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\"><tr><th>State</th><th>Alert</th><th>Severity</th><th>Value</th><th>Threshold</th><th>Summary</th></tr>");
        foreach (Alert a in notification.Alerts)
        {
            string state = a.State.ToString().ToUpperInvariant();
            text.Append(state).Append(' ').Append(a.Name).Append(" (").Append(Severity(a.Severity)).Append(") value ")
                .Append(Format(a.Value)).Append(", threshold ").AppendLine(Format(a.Threshold));
            text.Append("  ").AppendLine(a.Summary);
            if (a.Annotations.GetValueOrDefault("description") is { } description)
            {
                text.Append("  ").AppendLine(description);
            }

            text.Append("  labels: ").AppendLine(string.Join(", ", a.Labels.Select(l => $"{l.Key}={l.Value}")));
            html.Append("<tr><td>").Append(state).Append("</td><td>").Append(E(a.Name)).Append("</td><td>").Append(Severity(a.Severity))
                .Append("</td><td>").Append(Format(a.Value)).Append("</td><td>").Append(Format(a.Threshold))
                .Append("</td><td>").Append(E(a.Summary)).AppendLine("</td></tr>");
        }

        html.AppendLine("</table>");
        if (notification.ExternalUrl is { } link)
        {
            text.AppendLine().Append("See ").AppendLine(link.ToString());
            html.Append("<p><a href=\"").Append(E(link.ToString())).AppendLine("\">See the alerts</a></p>");
        }

        html.AppendLine("</body></html>");
        return (notification.Title, text.ToString(), html.ToString());
    }

    /// <summary>A number as the annotations show it: four significant digits, invariant culture.</summary>
    private static string Format(double value) => double.IsNaN(value) ? "NaN" : value.ToString("G4", CultureInfo.InvariantCulture);

    private static string Severity(AlertSeverity severity) => severity.ToString().ToLowerInvariant();

    private static string Colour(Alert alert) => alert.State == AlertState.Resolved
        ? "#2eb67d"
        : alert.Severity switch
        {
            AlertSeverity.Critical => "#e01e5a",
            AlertSeverity.Warning => "#ecb22e",
            _ => "#36c5f0",
        };

    private static JsonObject Labels(IReadOnlyDictionary<string, string> labels)
    {
        var json = new JsonObject();
        foreach ((string name, string value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            json[name] = value;
        }

        return json;
    }
}
