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

    public static async Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = ContentType;
        await using var writer = new Utf8JsonWriter(context.Response.Body, s_writerOptions);
        writer.WriteStartObject();
        writer.WriteString("status", report.Status.ToString());
        writer.WriteNumber("totalDurationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 3));
        writer.WriteStartObject("checks");
        foreach ((string name, HealthReportEntry entry) in report.Entries)
        {
            writer.WriteStartObject(name);
            writer.WriteString("status", entry.Status.ToString());
            if (entry.Description is not null)
            {
                writer.WriteString("description", entry.Description);
            }

            if (entry.Exception is not null)
            {
                writer.WriteString("error", entry.Exception.Message);
            }

            writer.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 3));
            if (entry.Data.Count > 0)
            {
                writer.WriteStartObject("data");
                foreach ((string key, object value) in entry.Data)
                {
                    writer.WritePropertyName(key);
                    WriteValue(writer, value);
                }

                writer.WriteEndObject();
            }

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
            case double or float or decimal:
                writer.WriteNumberValue(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
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
