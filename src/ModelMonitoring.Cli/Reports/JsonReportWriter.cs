using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Cli.Reports;

/// <summary>
/// Writes the report as JSON in the shape of the golden <c>expected.json</c> files (<c>method</c>,
/// <c>categorical</c>, <c>columns[]</c>, <c>dataset</c>), plus missing-value counts per column and the run's inputs.
/// Scores are written with full round-trip precision; a non-finite score is written as <c>null</c>.
/// </summary>
internal sealed class JsonReportWriter : IReportWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <inheritdoc />
    public void Write(DriftReport report, TextWriter output)
    {
        output.Write(ToJson(report));
        output.WriteLine();
    }

    /// <summary>The report as a JSON string.</summary>
    public static string ToJson(DriftReport report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("method", report.Method);
            json.WriteStartArray("categorical");
            foreach (string name in report.Categorical)
            {
                json.WriteStringValue(name);
            }

            json.WriteEndArray();
            json.WriteStartArray("columns");
            foreach (ColumnDriftResult column in report.Result.Columns)
            {
                json.WriteStartObject();
                json.WriteString("name", column.Name);
                json.WriteString("type", column.Type == ColumnType.Numerical ? "numerical" : "categorical");
                json.WriteString("method", column.MethodName);
                WriteNumber(json, "score", column.Score);
                WriteNumber(json, "threshold", column.Threshold);
                json.WriteBoolean("drift", column.Drift);
                json.WriteNumber("reference_missing", column.ReferenceMissing);
                json.WriteNumber("current_missing", column.CurrentMissing);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("dataset");
            json.WriteNumber("drifted_columns", report.Result.DriftedColumns);
            json.WriteNumber("columns", report.Result.ColumnCount);
            WriteNumber(json, "share", report.Result.Share);
            json.WriteBoolean("drift", report.Result.Drift);
            WriteNumber(json, "drift_share_threshold", report.DriftShare);
            json.WriteEndObject();
            json.WriteString("engine", report.Engine);
            json.WriteString("reference", report.Reference);
            json.WriteString("current", report.Current);
            json.WriteNumber("reference_rows", report.ReferenceRows);
            json.WriteNumber("current_rows", report.CurrentRows);
            report.Quality?.WriteJson(json);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, double value)
    {
        // Utf8JsonWriter writes the shortest text that round-trips to the same double ("R" precision).
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
