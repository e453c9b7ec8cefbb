using ModelMonitoring.Cli.Data;
using ModelMonitoring.Cli.Reports;

namespace ModelMonitoring.Cli.Commands;

/// <summary>Writes a report to stdout or to the <c>--output</c> file.</summary>
internal static class ReportOutput
{
    /// <summary>Picks the writer for a format.</summary>
    public static IReportWriter WriterFor(string format, CliContext context, bool toTerminal) => format switch
    {
        "json" => new JsonReportWriter(),
        "html" => new HtmlReportWriter(),
        _ => new TableReportWriter(colors: toTerminal, toTerminal ? context.Environment.TerminalWidth : null),
    };

    /// <summary>Writes the report; with an output file, also a one-line summary on stdout.</summary>
    public static async Task WriteAsync(CliContext context, string format, string? outputPath, DriftReport report)
    {
        if (outputPath is null)
        {
            WriterFor(format, context, context.Environment.OutputIsTerminal).Write(report, context.Output);
            await context.Output.FlushAsync().ConfigureAwait(false);
            return;
        }

        var text = new StringWriter();
        WriterFor(format, context, toTerminal: false).Write(report, text);
        OutputFile.Write(outputPath, "--output", text.ToString());
        var d = report.Result;
        await context.Output.WriteLineAsync(
            $"{(d.Drift ? "Dataset drift detected" : "No dataset drift")}: {d.DriftedColumns} of {d.ColumnCount} columns drifted. {format} report written to {outputPath}.")
            .ConfigureAwait(false);
    }
}
