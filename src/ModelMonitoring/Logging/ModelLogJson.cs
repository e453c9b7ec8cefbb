using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace ModelMonitoring;

/// <summary>Writes a <see cref="ModelLogEntry"/> as one JSON object, the format of the JSON console lines.</summary>
internal static class ModelLogJson
{
    /// <summary>Unescaped non-ASCII and HTML characters: a log line is read by people, not embedded in a page.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };

    /// <summary>The level names of the JSON lines (and Datadog's <c>status</c>).</summary>
    public static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        LogLevel.Critical => "critical",
        _ => "info",
    };

    public static void Write(Utf8JsonWriter writer, ModelLogEntry entry, LogLevel level, string category, Exception? exception)
    {
        writer.WriteStartObject();
        writer.WriteString("timestamp", entry.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        writer.WriteString("level", LevelName(level));
        writer.WriteString("logger", category);
        writer.WriteString("message", entry.Message);
        writer.WriteString("model", entry.Model);
        writer.WriteString("model_owner", entry.ModelOwner);
        writer.WriteString("squad", entry.Squad);
        writer.WriteString("model_version", entry.ModelVersion);
        writer.WriteString("env", entry.Environment);
        writer.WriteString("service", entry.Service);
        if (entry.Data.Count > 0)
        {
            writer.WritePropertyName("data");
            WriteObject(writer, entry.Data);
        }

        if (exception is not null)
        {
            writer.WriteStartObject("error");
            writer.WriteString("kind", exception.GetType().FullName);
            writer.WriteString("message", exception.Message);
            writer.WriteString("stack", exception.ToString());
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    public static void WriteObject(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, object?>> pairs)
    {
        writer.WriteStartObject();
        foreach ((string name, object? value) in pairs)
        {
            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }

        writer.WriteEndObject();
    }

    public static void WriteValue(Utf8JsonWriter writer, object? value)
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
            case long integer:
                writer.WriteNumberValue(integer);
                break;
            case int integer:
                writer.WriteNumberValue(integer);
                break;
            case double number when double.IsFinite(number):
                writer.WriteNumberValue(number);
                break;
            case double:
                writer.WriteNullValue(); // JSON has no NaN or infinity: a missing value
                break;
            case KeyValuePair<string, object?>[] nested:
                WriteObject(writer, nested);
                break;
            case object?[] list:
                writer.WriteStartArray();
                foreach (object? item in list)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
