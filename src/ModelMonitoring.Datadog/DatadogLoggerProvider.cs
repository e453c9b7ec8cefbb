using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ModelMonitoring.Datadog;

/// <summary>
/// Sends the host's log entries (at <see cref="DatadogOptions.MinimumLevel"/> and above) to Datadog. Each entry
/// carries the model's identity when it has one: a <see cref="ModelLogger"/> entry, or a ModelMonitoring log scope
/// (every runtime message about a model). The provider's own traffic (HTTP client, retries, its own messages) is never
/// sent, so that a failing intake cannot feed itself.
/// </summary>
[ProviderAlias("Datadog")]
internal sealed class DatadogLoggerProvider(DatadogLogShipper shipper, IOptionsMonitor<DatadogOptions> options, TimeProvider? time = null) : ILoggerProvider, ISupportExternalScope
{
    private static readonly string[] s_ownCategories = ["ModelMonitoring.Datadog", "System.Net.Http.HttpClient." + DatadogLogShipper.HttpClientName, "Polly", "Microsoft.Extensions.Http"];
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private IExternalScopeProvider? _scopes;

    public ILogger CreateLogger(string categoryName) =>
        s_ownCategories.Any(c => categoryName.StartsWith(c, StringComparison.Ordinal)) ? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance : new DatadogLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class DatadogLogger(DatadogLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel)
        {
            DatadogOptions options = provider.Options;
            return logLevel != LogLevel.None && logLevel >= options.MinimumLevel && options.IsEnabled;
        }

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            try
            {
                DatadogOptions options = provider.Options;
                var model = new DatadogLogEntry.ModelTags();
                var attributes = new List<KeyValuePair<string, object?>>();
                IReadOnlyList<KeyValuePair<string, object?>>? data = null;
                string message;
                DateTimeOffset timestamp = provider._time.GetUtcNow();
                if (state is ModelLogEntry entry)
                {
                    message = entry.Message;
                    timestamp = entry.Timestamp;
                    model.Model = entry.Model;
                    model.Owner = entry.ModelOwner;
                    model.Squad = entry.Squad;
                    model.Version = entry.ModelVersion;
                    data = entry.Data;
                }
                else
                {
                    message = formatter(state, exception);
                    if (state is IReadOnlyList<KeyValuePair<string, object?>> pairs)
                    {
                        foreach (KeyValuePair<string, object?> pair in pairs)
                        {
                            if (pair.Key != "{OriginalFormat}")
                            {
                                attributes.Add(pair);
                            }
                        }
                    }
                }

                provider._scopes?.ForEachScope(
                    static (scope, target) =>
                    {
                        if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                        {
                            foreach ((string key, object? value) in pairs)
                            {
                                switch (key)
                                {
                                    case "Model":
                                        target.Model.Model ??= value?.ToString();
                                        break;
                                    case "ModelVersion":
                                        target.Model.Version ??= value?.ToString();
                                        break;
                                    case "Owner":
                                        target.Model.Owner ??= value?.ToString();
                                        break;
                                    case "Squad":
                                        target.Model.Squad ??= value?.ToString();
                                        break;
                                    default:
                                        if (!key.StartsWith('{'))
                                        {
                                            target.Attributes.Add(new(key, value));
                                        }

                                        break;
                                }
                            }
                        }
                    },
                    (Model: model, Attributes: attributes));

                byte[] serialized = DatadogLogEntry.Serialize(options, timestamp, category, logLevel, message, attributes, data, model, exception, out bool truncated);
                provider._shipper.TryAdd(serialized, truncated);
            }
            catch (Exception)
            {
                // A log entry must never break the code that writes it.
            }
        }
    }

    private DatadogOptions Options => options.CurrentValue;

    private DatadogLogShipper _shipper => shipper;
}
