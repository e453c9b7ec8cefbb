using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ModelMonitoring.Runtime;

namespace ModelMonitoring.AspNetCore;

/// <summary>Writes the JSON bodies of <c>/health</c> and <c>/monitoring/models</c> with a <see cref="Utf8JsonWriter"/> (no reflection).</summary>
internal static class MonitoringJson
{
    private const string ContentType = "application/json; charset=utf-8";
    private static readonly JsonWriterOptions s_writerOptions = new() { Indented = true };

    /// <summary>
    /// The health report in ASP.NET Core's usual JSON shape (as the HealthChecks UI writer): <c>status</c>,
    /// <c>totalDuration</c> and one object per check under <c>entries</c>, with <c>data</c>, <c>description</c>,
    /// <c>duration</c>, <c>exception</c>, <c>status</c> and <c>tags</c>.
    /// </summary>
    public static async Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = ContentType;
        await using var writer = new Utf8JsonWriter(context.Response.Body, s_writerOptions);
        writer.WriteStartObject();
        writer.WriteString("status", report.Status.ToString());
        writer.WriteString("totalDuration", report.TotalDuration.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteStartObject("entries");
        foreach ((string name, HealthReportEntry entry) in report.Entries)
        {
            writer.WriteStartObject(name);
            writer.WriteStartObject("data");
            foreach ((string key, object value) in entry.Data)
            {
                writer.WritePropertyName(key);
                WriteValue(writer, value);
            }

            writer.WriteEndObject();
            if (entry.Description is not null)
            {
                writer.WriteString("description", entry.Description);
            }

            writer.WriteString("duration", entry.Duration.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
            if (entry.Exception is not null)
            {
                writer.WriteString("exception", entry.Exception.Message);
            }

            writer.WriteString("status", entry.Status.ToString());
            writer.WriteStartArray("tags");
            foreach (string tag in entry.Tags)
            {
                writer.WriteStringValue(tag);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    public static async Task WriteCatalogAsync(HttpContext context)
    {
        context.Response.ContentType = ContentType;
        await using var writer = new Utf8JsonWriter(context.Response.Body, s_writerOptions);
        writer.WriteStartObject();
        writer.WriteStartArray("models");
        foreach (ModelDescriptor model in ModelCatalog.Models)
        {
            writer.WriteStartObject();
            writer.WriteString("name", model.Name);
            writer.WriteString("version", model.Version);
            writer.WriteString("owner", model.Owner);
            writer.WriteString("squad", model.Squad);
            writer.WriteString("type", model.TypeName);
            writer.WriteStartArray("methods");
            foreach (MethodDescriptor method in model.Methods)
            {
                writer.WriteStartObject();
                writer.WriteString("name", method.Name);
                writer.WriteString("signature", method.Signature);
                writer.WriteBoolean("batch", method.IsBatch);
                writer.WriteBoolean("async", method.IsAsync);
                writer.WriteStartArray("features");
                foreach (FeatureDescriptor feature in method.Features)
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", feature.Name);
                    writer.WriteString("kind", feature.Kind.ToString());
                    writer.WriteString("source", feature.Source.ToString());
                    writer.WriteString("type", feature.ClrType);
                    writer.WriteBoolean("sensitive", feature.IsSensitive);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
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
            case int or long or short or byte or uint or ulong:
                writer.WriteNumberValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case double number when !double.IsFinite(number):
                writer.WriteNullValue();
                break;
            case double or float or decimal:
                writer.WriteNumberValue(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                writer.WriteStartObject();
                foreach ((string key, object? item) in pairs)
                {
                    writer.WritePropertyName(key);
                    WriteValue(writer, item);
                }

                writer.WriteEndObject();
                break;
            case System.Collections.IEnumerable items:
                writer.WriteStartArray();
                foreach (object? item in items)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }
}
