using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ModelMonitoring.Datadog;

/// <summary>
/// Settings of the Datadog log intake, bound from <c>ModelMonitoring:Datadog</c>; what is not set there comes from the
/// usual Datadog variables: <c>DD_API_KEY</c>, <c>DD_SITE</c>, <c>DD_SERVICE</c>, <c>ENV</c> (or <c>DD_ENV</c>),
/// <c>DD_HOSTNAME</c>. Without an API key nothing is sent and nothing is buffered.
/// </summary>
public sealed class DatadogOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "ModelMonitoring:Datadog";

    /// <summary>The intake's limit: entries in one request.</summary>
    public const int MaxEntriesPerRequest = 1_000;

    /// <summary>The intake's limit: bytes of one request's payload, before compression.</summary>
    public const int MaxPayloadBytes = 5 * 1024 * 1024;

    /// <summary>The intake's limit: bytes of one entry; longer entries are truncated.</summary>
    public const int MaxEntryBytes = 1024 * 1024;

    /// <summary>The API key (<c>DD_API_KEY</c>). Sent in the <c>DD-API-KEY</c> header only; never logged or shown.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The Datadog site (<c>DD_SITE</c>), for example <c>us5.datadoghq.com</c>. Default <c>datadoghq.com</c>.</summary>
    public string? Site { get; set; }

    /// <summary>The intake URL, instead of the one derived from <see cref="Site"/> (a proxy, a test receiver).</summary>
    public string? LogsUrl { get; set; }

    /// <summary>The <c>service</c> of every entry (<c>DD_SERVICE</c>); default: the service name of <see cref="ServiceIdentity"/>.</summary>
    public string? Service { get; set; }

    /// <summary>The <c>env</c> tag (<c>ENV</c>, <c>DD_ENV</c>); default: the environment of <see cref="ServiceIdentity"/>.</summary>
    public string? Env { get; set; }

    /// <summary>The <c>hostname</c> of every entry (<c>DD_HOSTNAME</c>); default: the machine's name.</summary>
    public string? Hostname { get; set; }

    /// <summary>The <c>ddsource</c> of every entry. Default <c>csharp</c>.</summary>
    public string Source { get; set; } = "csharp";

    /// <summary>Tags added to every entry's <c>ddtags</c>, as <c>key:value</c>.</summary>
    public List<string> Tags { get; set; } = [];

    /// <summary>The lowest level sent. Default <see cref="LogLevel.Information"/>.</summary>
    public LogLevel MinimumLevel { get; set; } = LogLevel.Information;

    /// <summary>Entries that can wait to be sent (while the intake is slow or down); further ones are dropped and counted. Default 10,000.</summary>
    public int BufferCapacity { get; set; } = 10_000;

    /// <summary>Entries per request, at most <see cref="MaxEntriesPerRequest"/>. Default 1,000.</summary>
    public int BatchSize { get; set; } = MaxEntriesPerRequest;

    /// <summary>How long entries wait for a batch to fill before it is sent. Default 2 s.</summary>
    public TimeSpan BatchDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Retries of a request that got 408, 429, a 5xx or no answer, with exponential back-off and jitter. Default 5.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>The first retry's delay; each next one doubles. Default 1 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a batch waits before it is tried again once its retries are exhausted (the intake is down). Default 30 s.</summary>
    public TimeSpan UnavailableDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether entries are sent: an API key is set.</summary>
    public bool IsEnabled => !string.IsNullOrWhiteSpace(ApiKey);

    /// <summary>The intake URL: <see cref="LogsUrl"/>, else <c>https://http-intake.logs.&lt;site&gt;/api/v2/logs</c>.</summary>
    public Uri IntakeUrl => new(!string.IsNullOrWhiteSpace(LogsUrl) ? LogsUrl : $"https://http-intake.logs.{(string.IsNullOrWhiteSpace(Site) ? "datadoghq.com" : Site.Trim())}/api/v2/logs");

    /// <summary>The settings, with the API key hidden.</summary>
    public override string ToString() =>
        $"Datadog logs to {(IsEnabled ? IntakeUrl.ToString() : "nowhere (no API key)")}, service {Service}, env {Env}, api key {(IsEnabled ? "set" : "not set")}";

    /// <summary>One message per invalid setting, naming it (never the API key); empty when all are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!string.IsNullOrWhiteSpace(LogsUrl) && !Uri.TryCreate(LogsUrl, UriKind.Absolute, out _))
        {
            errors.Add($"{SectionName}:{nameof(LogsUrl)} must be an absolute URL (was '{LogsUrl}').");
        }

        if (BatchSize < 1 || BatchSize > MaxEntriesPerRequest)
        {
            errors.Add($"{SectionName}:{nameof(BatchSize)} must be between 1 and {MaxEntriesPerRequest} (was {BatchSize}).");
        }

        if (BufferCapacity < 1)
        {
            errors.Add($"{SectionName}:{nameof(BufferCapacity)} must be at least 1 (was {BufferCapacity}).");
        }

        if (MaxRetries < 0 || MaxRetries > 20)
        {
            errors.Add($"{SectionName}:{nameof(MaxRetries)} must be between 0 and 20 (was {MaxRetries}).");
        }

        if (RetryDelay <= TimeSpan.Zero || BatchDelay < TimeSpan.Zero || UnavailableDelay <= TimeSpan.Zero)
        {
            errors.Add($"{SectionName}: {nameof(RetryDelay)} and {nameof(UnavailableDelay)} must be positive, {nameof(BatchDelay)} not negative.");
        }

        return errors;
    }
}

/// <summary>Fills the options from configuration: the <c>ModelMonitoring:Datadog</c> section, then the Datadog variables.</summary>
internal sealed class DatadogOptionsSetup(IConfiguration? configuration, IOptionsMonitor<ModelMonitoringOptions>? monitoring) : IConfigureOptions<DatadogOptions>
{
    public void Configure(DatadogOptions options)
    {
        configuration?.GetSection(DatadogOptions.SectionName).Bind(options);
        string? Variable(string key) => configuration?[key] ?? Environment.GetEnvironmentVariable(key);

        ModelMonitoringOptions? monitoringOptions;
        try
        {
            monitoringOptions = monitoring?.CurrentValue;
        }
        catch (OptionsValidationException)
        {
            monitoringOptions = null; // reported when the host starts
        }

        ServiceIdentity identity = ServiceIdentity.Resolve(monitoringOptions, Variable);
        options.ApiKey = First(options.ApiKey, Variable("DD_API_KEY"));
        options.Site = First(options.Site, Variable("DD_SITE"));
        options.Service = First(options.Service, identity.ServiceName, System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name);
        options.Env = First(options.Env, identity.Environment);
        options.Hostname = First(options.Hostname, identity.HostName);
    }

    private static string? First(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();
}

/// <summary>Validates the options with <see cref="DatadogOptions.Validate"/>.</summary>
internal sealed class DatadogOptionsValidator : IValidateOptions<DatadogOptions>
{
    public ValidateOptionsResult Validate(string? name, DatadogOptions options)
    {
        IReadOnlyList<string> errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
