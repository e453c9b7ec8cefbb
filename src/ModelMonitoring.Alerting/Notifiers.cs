using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using ModelMonitoring.Alerts;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ModelMonitoring.Alerting;

/// <summary>
/// A notification could not be delivered (after the retries). Its message says which notifier and why, and never
/// holds a secret: no URL, no token, no password.
/// </summary>
public sealed class AlertDeliveryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AlertDeliveryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AlertDeliveryException()
    {
    }

    /// <summary>Creates the exception. Do not pass an exception whose message may hold a secret.</summary>
    public AlertDeliveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// What the HTTP notifiers share: a POST of JSON through an <see cref="HttpClient"/> (from <c>AddAlerting</c>, with
/// retries on 408, 429, 5xx and no answer, exponential back-off with jitter, and a timeout per attempt), and failures
/// reported without the URL.
/// </summary>
public abstract class HttpAlertNotifier : IAlertNotifier
{
    private readonly HttpClient _client;

    /// <summary>Creates the notifier over a client (give it the retries you want; <c>AddAlerting</c> does).</summary>
    protected HttpAlertNotifier(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
    }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public virtual bool TakesEveryAlert => false;

    /// <summary>Where the body goes.</summary>
    protected abstract Uri Destination { get; }

    /// <summary>The JSON body of a notification.</summary>
    protected abstract JsonNode Body(AlertNotification notification);

    /// <inheritdoc />
    public async Task SendAsync(AlertNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (notification.Alerts.Count == 0)
        {
            return;
        }

        HttpResponseMessage response;
        try
        {
            response = await _client.PostAsJsonAsync(Destination, Body(notification), cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception)
        {
            // Its message may name the URL's host and port, never more; still, say only what failed.
            throw new AlertDeliveryException($"{Name}: the receiver could not be reached ({exception.HttpRequestError}).");
        }
        catch (Exception exception) when (exception is TimeoutRejectedException or (TaskCanceledException and not OperationCanceledException { CancellationToken.IsCancellationRequested: true }))
        {
            throw new AlertDeliveryException($"{Name}: the receiver did not answer in time.");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new AlertDeliveryException($"{Name}: the receiver answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }
        }
    }
}

/// <summary>
/// POSTs each notification as generic JSON (<c>version</c>, <c>status</c>, <c>title</c>, <c>model</c>,
/// <c>severity</c>, <c>groupLabels</c>, <c>externalUrl</c> and <c>alerts</c> with their labels, annotations, value and
/// threshold) to a URL, by default that of <c>WEBHOOK_URL</c>.
/// </summary>
public sealed class WebhookNotifier : HttpAlertNotifier
{
    /// <summary>Creates the notifier.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message names the setting, not its secret value.</exception>
    public WebhookNotifier(WebhookNotifierOptions options, HttpClient client)
        : base(client)
    {
        ArgumentNullException.ThrowIfNull(options);
        AlertingValidation.ThrowIfInvalid(options, WebhookNotifierOptions.SectionName);
        Destination = new Uri(options.Url!);
    }

    /// <inheritdoc />
    public override string Name => "webhook";

    /// <inheritdoc />
    protected override Uri Destination { get; }

    /// <inheritdoc />
    protected override JsonNode Body(AlertNotification notification) => AlertPayloads.Webhook(notification);
}

/// <summary>
/// Posts each notification to a Slack incoming webhook: the title, then one attachment per alert coloured by severity
/// (green once resolved) with the model, severity, value, threshold and a link back.
/// </summary>
public sealed class SlackNotifier : HttpAlertNotifier
{
    private readonly SlackNotifierOptions _options;

    /// <summary>Creates the notifier.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message names the setting, not its secret value.</exception>
    public SlackNotifier(SlackNotifierOptions options, HttpClient client)
        : base(client)
    {
        ArgumentNullException.ThrowIfNull(options);
        AlertingValidation.ThrowIfInvalid(options, SlackNotifierOptions.SectionName);
        _options = options;
        Destination = new Uri(options.WebhookUrl!);
    }

    /// <inheritdoc />
    public override string Name => "slack";

    /// <inheritdoc />
    protected override Uri Destination { get; }

    /// <inheritdoc />
    protected override JsonNode Body(AlertNotification notification) => AlertPayloads.Slack(notification, _options);
}

/// <summary>
/// Sends every alert to Alertmanager's v2 API (<c>POST /api/v2/alerts</c>) with <c>startsAt</c>, <c>endsAt</c> and
/// <c>generatorURL</c>, again while it fires and once when it resolves; Alertmanager then routes, groups, inhibits
/// and silences.
/// </summary>
public sealed class AlertmanagerNotifier : HttpAlertNotifier
{
    private readonly AlertmanagerNotifierOptions _options;
    private readonly TimeProvider _clock;

    /// <summary>Creates the notifier.</summary>
    /// <param name="options">Alertmanager's address and how long a firing alert stays active when not sent again.</param>
    /// <param name="client">The client (with its retries).</param>
    /// <param name="clock">The clock of <c>endsAt</c>; null: the system's. Alertmanager compares it with its own.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names the setting.</exception>
    public AlertmanagerNotifier(AlertmanagerNotifierOptions options, HttpClient client, TimeProvider? clock = null)
        : base(client)
    {
        ArgumentNullException.ThrowIfNull(options);
        AlertingValidation.ThrowIfInvalid(options, AlertmanagerNotifierOptions.SectionName);
        _options = options;
        _clock = clock ?? TimeProvider.System;
        Destination = new Uri(new Uri(options.Url!.TrimEnd('/') + "/"), "api/v2/alerts");
    }

    /// <inheritdoc />
    public override string Name => "alertmanager";

    /// <summary>Alertmanager groups, silences and repeats by itself: it gets every alert as it is.</summary>
    public override bool TakesEveryAlert => true;

    /// <inheritdoc />
    protected override Uri Destination { get; }

    /// <inheritdoc />
    protected override JsonNode Body(AlertNotification notification) => AlertPayloads.Alertmanager(notification, _options.FiringValidity, _clock.GetUtcNow());
}

/// <summary>
/// Sends each notification by e-mail over SMTP (MailKit), in plain text and HTML, with the title as subject; retried
/// with exponential back-off and jitter (Polly) on transient SMTP and network failures.
/// </summary>
public sealed class EmailNotifier : IAlertNotifier
{
    private readonly EmailNotifierOptions _options;
    private readonly ResiliencePipeline _pipeline;

    /// <summary>Creates the notifier.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message names the setting (never the password).</exception>
    public EmailNotifier(EmailNotifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        AlertingValidation.ThrowIfInvalid(options, EmailNotifierOptions.SectionName);
        _options = options;
        var pipeline = new ResiliencePipelineBuilder();
        if (options.MaxRetries > 0)
        {
            pipeline.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = TimeSpan.FromSeconds(30),
                ShouldHandle = new PredicateBuilder().Handle<SmtpCommandException>(e => (int)e.StatusCode is >= 400 and < 500)
                    .Handle<SmtpProtocolException>().Handle<IOException>().Handle<SocketException>().Handle<TimeoutRejectedException>(),
            });
        }

        _pipeline = pipeline.AddTimeout(options.AttemptTimeout).Build();
    }

    /// <inheritdoc />
    public string Name => "email";

    /// <inheritdoc />
    public async Task SendAsync(AlertNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (notification.Alerts.Count == 0)
        {
            return;
        }

        (string subject, string text, string html) = AlertPayloads.Email(notification);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(_options.From!));
        foreach (string to in _options.To)
        {
            message.To.Add(MailboxAddress.Parse(to));
        }

        message.Subject = subject;
        message.Body = new BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody();
        try
        {
            await _pipeline.ExecuteAsync(async token => await SendOnceAsync(message, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (AuthenticationException)
        {
            throw new AlertDeliveryException("email: the SMTP server refused the credentials.");
        }
        catch (SmtpCommandException exception)
        {
            throw new AlertDeliveryException($"email: the SMTP server refused the message ({(int)exception.StatusCode} {exception.ErrorCode}).");
        }
        catch (Exception exception) when (exception is SmtpProtocolException or IOException or SocketException or TimeoutRejectedException or SslHandshakeException)
        {
            throw new AlertDeliveryException($"email: the SMTP server could not be reached ({exception.GetType().Name}).");
        }
    }

    private async Task SendOnceAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        using var smtp = new SmtpClient();
        SecureSocketOptions security = _options.Security switch
        {
            SmtpSecurity.None => SecureSocketOptions.None,
            SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.Auto,
        };
        await smtp.ConnectAsync(_options.Host!, _options.Port, security, cancellationToken).ConfigureAwait(false);
        if (_options.Username is { Length: > 0 } user)
        {
            await smtp.AuthenticateAsync(user, _options.Password ?? string.Empty, cancellationToken).ConfigureAwait(false);
        }

        await smtp.SendAsync(message, cancellationToken).ConfigureAwait(false);
        await smtp.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Turns the problems of a notifier's options into one exception naming each setting.</summary>
internal static class AlertingValidation
{
    public static void ThrowIfInvalid(NotifierOptions options, string section)
    {
        string[] problems = options.Problems(section).ToArray();
        if (problems.Length > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }
    }
}
