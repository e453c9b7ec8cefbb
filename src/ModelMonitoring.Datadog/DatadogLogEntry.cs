using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace ModelMonitoring.Datadog;

/// <summary>
/// One log entry in the shape of the Datadog HTTP intake (v2): <c>ddsource</c>, <c>ddtags</c>, <c>hostname</c>,
/// <c>service</c>, <c>status</c>, <c>message</c>, <c>timestamp</c> (ms since the epoch), <c>logger.name</c>, the model's
/// identity as attributes and tags, the entry's data, and <c>error.kind</c>/<c>error.message</c>/<c>error.stack</c>.
/// Serialized when logged (the state of a log call does not outlive it) and truncated to 1 MB.
/// </summary>
internal static class DatadogLogEntry
{
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly HashSet<string> s_reserved = new(StringComparer.Ordinal)
    {
        "ddsource", "ddtags", "hostname", "service", "status", "message", "timestamp", "logger", "error", "data", "truncated",
    };

    /// <summary>The entry's identity: the model's name, owner, squad and version, from the entry or from a log scope.</summary>
    internal sealed class ModelTags
    {
        public string? Model { get; set; }

        public string? Owner { get; set; }

        public string? Squad { get; set; }

        public string? Version { get; set; }
    }

    public static byte[] Serialize(
        DatadogOptions options,
        DateTimeOffset timestamp,
        string category,
        LogLevel level,
        string message,
        IReadOnlyList<KeyValuePair<string, object?>> attributes,
        IReadOnlyList<KeyValuePair<string, object?>>? data,
        ModelTags model,
        Exception? exception,
        out bool truncated)
    {
        truncated = false;
        byte[] entry = Write(options, timestamp, category, level, message, attributes, data, model, exception, truncate: false);
        if (entry.Length <= DatadogOptions.MaxEntryBytes)
        {
            return entry;
        }

        // Too big for the intake: keep the identity and the start of the message, drop the rest.
        truncated = true;
        int budget = DatadogOptions.MaxEntryBytes - 16 * 1024;
        string cut = message;
        for (int attempt = 0; attempt < 4; attempt++)
        {
            cut = CutToBytes(cut, budget);
            entry = Write(options, timestamp, category, level, cut, [], null, model, exception is null ? null : new TruncatedException(exception), truncate: true);
            if (entry.Length <= DatadogOptions.MaxEntryBytes)
            {
                return entry;
            }

            budget -= entry.Length - DatadogOptions.MaxEntryBytes + 1024; // escaping made it longer: cut more
        }

        return Write(options, timestamp, category, level, string.Empty, [], null, model, null, truncate: true);
    }

    /// <summary>The <c>ddtags</c> value: <c>key:value</c> pairs, comma-separated, values as Datadog normalizes them.</summary>
    public static string Tags(DatadogOptions options, ModelTags model)
    {
        var tags = new List<string>();
        Add(tags, "env", options.Env);
        Add(tags, "model", model.Model);
        Add(tags, "model_owner", model.Owner);
        Add(tags, "squad", model.Squad);
        Add(tags, "model_version", model.Version);
        tags.AddRange(options.Tags.Where(t => !string.IsNullOrWhiteSpace(t)));
        return string.Join(',', tags);
    }

    /// <summary>A tag value as Datadog keeps it: lower case; characters other than letters, digits, <c>_ - . / :</c> become <c>_</c>.</summary>
    public static string NormalizeTagValue(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (char c in value.Trim().ToLowerInvariant())
        {
            text.Append(char.IsLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or ':' ? c : '_');
        }

        return text.ToString();
    }

    private static void Add(List<string> tags, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            tags.Add(key + ":" + NormalizeTagValue(value));
        }
    }

    private static string Status(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        LogLevel.Critical => "critical",
        _ => "info",
    };

    private static byte[] Write(
        DatadogOptions options,
        DateTimeOffset timestamp,
        string category,
        LogLevel level,
        string message,
        IReadOnlyList<KeyValuePair<string, object?>> attributes,
        IReadOnlyList<KeyValuePair<string, object?>>? data,
        ModelTags model,
        Exception? exception,
        bool truncate)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("ddsource", options.Source);
            writer.WriteString("ddtags", Tags(options, model));
            writer.WriteString("hostname", options.Hostname);
            writer.WriteString("service", options.Service);
            writer.WriteString("status", Status(level));
            writer.WriteString("message", message);
            writer.WriteNumber("timestamp", timestamp.ToUnixTimeMilliseconds());
            writer.WriteStartObject("logger");
            writer.WriteString("name", category);
            writer.WriteEndObject();
            if (model.Model is not null)
            {
                writer.WriteString("model", model.Model);
                writer.WriteString("model_owner", model.Owner);
                writer.WriteString("squad", model.Squad);
                writer.WriteString("model_version", model.Version);
            }

            if (options.Env is not null)
            {
                writer.WriteString("env", options.Env);
            }

            foreach ((string key, object? value) in attributes)
            {
                if (s_reserved.Contains(key) || key is "model" or "model_owner" or "squad" or "model_version" or "env")
                {
                    continue;
                }

                writer.WritePropertyName(key);
                WriteValue(writer, value);
            }

            if (data is { Count: > 0 })
            {
                writer.WriteStartObject("data");
                foreach ((string key, object? value) in data)
                {
                    writer.WritePropertyName(key);
                    WriteValue(writer, value);
                }

                writer.WriteEndObject();
            }

            if (exception is not null)
            {
                writer.WriteStartObject("error");
                writer.WriteString("kind", exception is TruncatedException t ? t.Kind : exception.GetType().FullName);
                writer.WriteString("message", exception.Message);
                writer.WriteString("stack", exception is TruncatedException ? string.Empty : exception.ToString());
                writer.WriteEndObject();
            }

            if (truncate)
            {
                writer.WriteBoolean("truncated", true);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case long or int or short or sbyte or byte or uint or ushort:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case double number when double.IsFinite(number):
                writer.WriteNumberValue(number);
                break;
            case float number when float.IsFinite(number):
                writer.WriteNumberValue(number);
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case double or float:
                writer.WriteNullValue();
                break;
            case KeyValuePair<string, object?>[] nested:
                writer.WriteStartObject();
                foreach ((string key, object? item) in nested)
                {
                    writer.WritePropertyName(key);
                    WriteValue(writer, item);
                }

                writer.WriteEndObject();
                break;
            case object?[] list:
                writer.WriteStartArray();
                foreach (object? item in list)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            case DateTimeOffset date:
                writer.WriteStringValue(date.ToString("O", CultureInfo.InvariantCulture));
                break;
            case DateTime date:
                writer.WriteStringValue(date.ToString("O", CultureInfo.InvariantCulture));
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static string CutToBytes(string text, int bytes)
    {
        if (bytes <= 0)
        {
            return string.Empty;
        }

        if (Encoding.UTF8.GetByteCount(text) <= bytes)
        {
            return text;
        }

        int chars = Math.Min(text.Length, bytes);
        while (chars > 0 && Encoding.UTF8.GetByteCount(text.AsSpan(0, chars)) > bytes)
        {
            chars = (int)(chars * 0.9);
        }

        if (chars > 0 && char.IsHighSurrogate(text[chars - 1]))
        {
            chars--;
        }

        return text[..chars] + "…";
    }

    /// <summary>An exception reduced to its type and the start of its message, for a truncated entry.</summary>
    private sealed class TruncatedException(Exception original) : Exception(CutToBytes(original.Message, 4096))
    {
        public string? Kind { get; } = original.GetType().FullName;
    }
}
