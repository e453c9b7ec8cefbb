using System.Globalization;
using System.Text;
using System.Text.Json;
using ModelMonitoring.Cli.Data;

namespace ModelMonitoring.Cli.Commands;

/// <summary>
/// <c>mlmon drift --segment COL</c>: the drift report per value of a column, each segment of the current file compared
/// with the same segment of the reference (its own reference, not the whole file's). At most
/// <see cref="MaxSegments"/> segments, in order of first appearance in the reference; the rest share <c>__other__</c>.
/// Exit code 1 when any segment drifted.
/// </summary>
internal static class SegmentedDrift
{
    public const int MaxSegments = 50;
    public const string OtherSegment = "__other__";

    public static async Task<int> RunAsync(CliContext context, DriftOptions options, CancellationToken cancellationToken)
    {
        string column = options.Segment!;
        if (options.Output is not null)
        {
            throw new CliInputException("--segment: the per-segment report goes to stdout; drop --output (or run mlmon drift per segment for HTML files).");
        }

        bool json = options.Format switch
        {
            null or "table" => false,
            "json" => true,
            _ => throw new CliInputException($"--format: with --segment the report is table or json, not '{options.Format}'."),
        };
        if (options.Reference.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            throw new CliInputException("--segment: a baseline profile has no rows to split; give the reference as a CSV file.");
        }

        RowTable reference = RowTable.Load(options.Reference, "--reference");
        RowTable current = RowTable.Load(options.Current, "--current");
        int referenceColumn = reference.Column(column, "--segment");
        int currentColumn = current.Column(column, "--segment");

        var order = new List<string>();
        var referenceRows = Group(reference, referenceColumn, order, grow: true);
        var currentRows = Group(current, currentColumn, order, grow: false);
        string directory = Path.Combine(Path.GetTempPath(), "mlmon-segments-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var results = new List<(string Segment, int ReferenceRows, int CurrentRows, int Exit, string Report)>();
        var skipped = new List<(string Segment, string Reason)>();
        try
        {
            int index = 0;
            foreach (string segment in order)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int referenceCount = referenceRows.GetValueOrDefault(segment)?.Count ?? 0;
                int currentCount = currentRows.GetValueOrDefault(segment)?.Count ?? 0;
                if (referenceCount == 0 || currentCount == 0)
                {
                    skipped.Add((segment, referenceCount == 0 ? "no reference rows" : "no current rows"));
                    continue;
                }

                string referenceFile = Write(reference, referenceRows[segment], referenceColumn, Path.Combine(directory, $"reference-{index}.csv"));
                string currentFile = Write(current, currentRows[segment], currentColumn, Path.Combine(directory, $"current-{index}.csv"));
                index++;
                using var output = new StringWriter(CultureInfo.InvariantCulture);
                using var error = new StringWriter(CultureInfo.InvariantCulture);
                var segmentContext = new CliContext(output, error, CliEnvironment.Redirected);
                int exit = await Cli.GuardAsync(segmentContext, () => DriftCommand.RunAsync(segmentContext, options with
                {
                    Reference = referenceFile,
                    Current = currentFile,
                    Format = json ? "json" : "table",
                    Segment = null,
                }, cancellationToken)).ConfigureAwait(false);
                if (exit == ExitCodes.Error)
                {
                    string message = error.ToString().Replace(referenceFile, $"{options.Reference} [{column}={segment}]", StringComparison.Ordinal)
                        .Replace(currentFile, $"{options.Current} [{column}={segment}]", StringComparison.Ordinal).Trim();
                    skipped.Add((segment, message.StartsWith("mlmon: error: ", StringComparison.Ordinal) ? message["mlmon: error: ".Length..] : message));
                    continue;
                }

                results.Add((segment, referenceCount, currentCount, exit, output.ToString()));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        if (json)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartObject();
                writer.WriteString("segment_column", column);
                writer.WriteStartArray("segments");
                foreach (var result in results)
                {
                    writer.WriteStartObject();
                    writer.WriteString("segment", result.Segment);
                    writer.WriteNumber("reference_rows", result.ReferenceRows);
                    writer.WriteNumber("current_rows", result.CurrentRows);
                    writer.WriteBoolean("drift", result.Exit == ExitCodes.Drift);
                    writer.WritePropertyName("report");
                    writer.WriteRawValue(result.Report);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteStartArray("skipped");
                foreach ((string segment, string reason) in skipped)
                {
                    writer.WriteStartObject();
                    writer.WriteString("segment", segment);
                    writer.WriteString("reason", reason);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            await context.Output.WriteLineAsync(Encoding.UTF8.GetString(stream.ToArray())).ConfigureAwait(false);
        }
        else
        {
            foreach (var result in results)
            {
                await context.Output.WriteLineAsync($"== {column} = {result.Segment}: {result.ReferenceRows:N0} reference rows, {result.CurrentRows:N0} current rows ==").ConfigureAwait(false);
                await context.Output.WriteLineAsync(result.Report.TrimEnd()).ConfigureAwait(false);
                await context.Output.WriteLineAsync().ConfigureAwait(false);
            }

            foreach ((string segment, string reason) in skipped)
            {
                await context.Output.WriteLineAsync($"== {column} = {segment}: skipped, {reason} ==").ConfigureAwait(false);
            }

            int drifted = results.Count(r => r.Exit == ExitCodes.Drift);
            await context.Output.WriteLineAsync($"{drifted} of {results.Count} segments of '{column}' drifted.").ConfigureAwait(false);
        }

        return results.Any(r => r.Exit == ExitCodes.Drift) ? ExitCodes.Drift : ExitCodes.NoDrift;
    }

    /// <summary>The rows of each segment value (a missing value is the segment <c>(missing)</c>), bounded by <see cref="MaxSegments"/>.</summary>
    private static Dictionary<string, List<int>> Group(RowTable table, int column, List<string> order, bool grow)
    {
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int row = 0; row < table.RowCount; row++)
        {
            string value = table.Text(row, column) ?? "(missing)";
            if (!order.Contains(value))
            {
                if (grow && order.Count < MaxSegments - 1)
                {
                    order.Add(value);
                }
                else
                {
                    value = OtherSegment;
                    if (!order.Contains(OtherSegment))
                    {
                        order.Add(OtherSegment);
                    }
                }
            }

            if (!groups.TryGetValue(value, out List<int>? rows))
            {
                rows = [];
                groups[value] = rows;
            }

            rows.Add(row);
        }

        return groups;
    }

    /// <summary>Writes the rows of one segment, without the segment column, as a comma-separated file.</summary>
    private static string Write(RowTable table, List<int> rows, int skip, string path)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', table.Header.Where((_, i) => i != skip).Select(Quote)).Append('\n');
        foreach (int row in rows)
        {
            bool first = true;
            for (int c = 0; c < table.Header.Length; c++)
            {
                if (c == skip)
                {
                    continue;
                }

                if (!first)
                {
                    text.Append(',');
                }

                first = false;
                text.Append(table.Text(row, c) is { } cell ? Quote(cell) : string.Empty);
            }

            text.Append('\n');
        }

        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static string Quote(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\n\r") >= 0 || cell.Length == 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
