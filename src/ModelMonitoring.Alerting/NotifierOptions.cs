namespace ModelMonitoring.Alerting;

/// <summary>What every notifier shares: retries with exponential back-off and jitter, and a timeout per attempt.</summary>
public abstract class NotifierOptions
{
    /// <summary>Retries after a failed attempt (a 408, 429 or 5xx answer, no answer, a refused connection). Default 3.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry's delay; each next one doubles, with jitter. Default 1 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one attempt may take. Default 10 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The problems of these settings, each naming its setting under <paramref name="section"/>.</summary>
    internal virtual IEnumerable<string> Problems(string section)
    {
        if (MaxRetries is < 0 or > 20)
        {
            yield return $"{section}:{nameof(MaxRetries)} must be between 0 and 20 (was {MaxRetries}).";
        }

        if (RetryDelay < TimeSpan.Zero || RetryDelay > TimeSpan.FromMinutes(5))
        {
            yield return $"{section}:{nameof(RetryDelay)} must be between 0 and 5 minutes (was {RetryDelay}).";
        }

        if (AttemptTimeout <= TimeSpan.Zero || AttemptTimeout > TimeSpan.FromMinutes(5))
        {
            yield return $"{section}:{nameof(AttemptTimeout)} must be positive and at most 5 minutes (was {AttemptTimeout}).";
        }
    }

    /// <summary>Whether <paramref name="url"/> is an absolute http(s) URL; the message never shows the URL (it may hold a token).</summary>
    internal static string? UrlProblem(string section, string setting, string? url, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return required ? $"{section}:{setting} is required." : null;
        }

        return Uri.TryCreate(url, UriKind.Absolute, out Uri? parsed) && parsed.Scheme is "http" or "https"
            ? null
            : $"{section}:{setting} must be an absolute http or https URL (its value is not shown: it may hold a secret).";
    }
}

/// <summary>The generic JSON webhook (<see cref="WebhookNotifier"/>). Section <c>ModelMonitoring:Alerts:Webhook</c>.</summary>
public sealed class WebhookNotifierOptions : NotifierOptions
{
    /// <summary>The section these options are read from.</summary>
    public const string SectionName = "ModelMonitoring:Alerts:Webhook";

    /// <summary>Where notifications are POSTed. Default: the <c>WEBHOOK_URL</c> environment variable. A secret: never logged.</summary>
    public string? Url { get; set; } = Environment.GetEnvironmentVariable("WEBHOOK_URL");

    internal override IEnumerable<string> Problems(string section) =>
        base.Problems(section).Concat(new[] { UrlProblem(section, nameof(Url), Url) }.OfType<string>());
}

/// <summary>A Slack incoming webhook (<see cref="SlackNotifier"/>). Section <c>ModelMonitoring:Alerts:Slack</c>.</summary>
public sealed class SlackNotifierOptions : NotifierOptions
{
    /// <summary>The section these options are read from.</summary>
    public const string SectionName = "ModelMonitoring:Alerts:Slack";

    /// <summary>The incoming-webhook URL (it holds the token: never logged). Default: the <c>SLACK_WEBHOOK_URL</c> environment variable.</summary>
    public string? WebhookUrl { get; set; } = Environment.GetEnvironmentVariable("SLACK_WEBHOOK_URL");

    /// <summary>The channel, when the webhook may post to another one than its own.</summary>
    public string? Channel { get; set; }

    /// <summary>The name the messages are posted as.</summary>
    public string? Username { get; set; }

    internal override IEnumerable<string> Problems(string section) =>
        base.Problems(section).Concat(new[] { UrlProblem(section, nameof(WebhookUrl), WebhookUrl) }.OfType<string>());
}

/// <summary>Alertmanager's v2 API (<see cref="AlertmanagerNotifier"/>). Section <c>ModelMonitoring:Alerts:Alertmanager</c>.</summary>
public sealed class AlertmanagerNotifierOptions : NotifierOptions
{
    /// <summary>The section these options are read from.</summary>
    public const string SectionName = "ModelMonitoring:Alerts:Alertmanager";

    /// <summary>Alertmanager's address, for example <c>http://alertmanager:9093</c>; alerts go to <c>/api/v2/alerts</c> under it.</summary>
    public string? Url { get; set; }

    /// <summary>
    /// How long after each sending a firing alert stays active in Alertmanager if it is not sent again (its
    /// <c>endsAt</c>). The engine resends firing alerts every <c>ResendInterval</c> (1 min by default), so keep this a few
    /// times longer. Default 5 min.
    /// </summary>
    public TimeSpan FiringValidity { get; set; } = TimeSpan.FromMinutes(5);

    internal override IEnumerable<string> Problems(string section)
    {
        foreach (string problem in base.Problems(section))
        {
            yield return problem;
        }

        if (UrlProblem(section, nameof(Url), Url) is { } url)
        {
            yield return url;
        }

        if (FiringValidity <= TimeSpan.Zero)
        {
            yield return $"{section}:{nameof(FiringValidity)} must be positive (was {FiringValidity}).";
        }
    }
}

/// <summary>How the SMTP connection is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>STARTTLS when the server offers it, plain otherwise (MailKit's <c>Auto</c> on port 25 and 587).</summary>
    Auto,

    /// <summary>No TLS (a local relay, a test server).</summary>
    None,

    /// <summary>STARTTLS, required.</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,
}

/// <summary>E-mail over SMTP (<see cref="EmailNotifier"/>). Section <c>ModelMonitoring:Alerts:Email</c>.</summary>
public sealed class EmailNotifierOptions : NotifierOptions
{
    /// <summary>The section these options are read from.</summary>
    public const string SectionName = "ModelMonitoring:Alerts:Email";

    /// <summary>The SMTP server's host name.</summary>
    public string? Host { get; set; }

    /// <summary>The SMTP port. Default 587.</summary>
    public int Port { get; set; } = 587;

    /// <summary>How the connection is secured. Default <see cref="SmtpSecurity.Auto"/>.</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;

    /// <summary>The SMTP user, when the server wants one.</summary>
    public string? Username { get; set; }

    /// <summary>The SMTP password (a secret: never logged). Default: the <c>SMTP_PASSWORD</c> environment variable.</summary>
    public string? Password { get; set; } = Environment.GetEnvironmentVariable("SMTP_PASSWORD");

    /// <summary>The sender, for example <c>ModelMonitoring &lt;ml-alerts@example.com&gt;</c>.</summary>
    public string? From { get; set; }

    /// <summary>The recipients.</summary>
    public List<string> To { get; set; } = [];

    internal override IEnumerable<string> Problems(string section)
    {
        foreach (string problem in base.Problems(section))
        {
            yield return problem;
        }

        if (string.IsNullOrWhiteSpace(Host))
        {
            yield return $"{section}:{nameof(Host)} is required.";
        }

        if (Port is < 1 or > 65535)
        {
            yield return $"{section}:{nameof(Port)} must be between 1 and 65535 (was {Port}).";
        }

        if (!MimeKit.MailboxAddress.TryParse(From ?? string.Empty, out _))
        {
            yield return $"{section}:{nameof(From)} must be an e-mail address (was '{From}').";
        }

        if (To.Count == 0)
        {
            yield return $"{section}:{nameof(To)} needs at least one address.";
        }

        for (int i = 0; i < To.Count; i++)
        {
            if (!MimeKit.MailboxAddress.TryParse(To[i] ?? string.Empty, out _))
            {
                yield return $"{section}:{nameof(To)}:{i} must be an e-mail address (was '{To[i]}').";
            }
        }
    }
}
