using System.Globalization;
using ModelMonitoring.Statistics;
using Spectre.Console;

namespace ModelMonitoring.Cli.Reports;

/// <summary>Writes the report as a terminal table (Spectre.Console): one row per column, then the dataset verdict.</summary>
/// <param name="colors">Whether to use colours (only on a terminal).</param>
/// <param name="width">The width to lay the table out in.</param>
internal sealed class TableReportWriter(bool colors, int? width) : IReportWriter
{
    /// <inheritdoc />
    public void Write(DriftReport report, TextWriter output)
    {
        IAnsiConsole console = CreateConsole(output, colors, width);
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"Drift: {Markup.Escape(report.Current)} against {Markup.Escape(report.Reference)}")
            .AddColumn("Column")
            .AddColumn("Type")
            .AddColumn("Method")
            .AddColumn(new TableColumn("Score").RightAligned())
            .AddColumn(new TableColumn("Threshold").RightAligned())
            .AddColumn("Drift")
            .AddColumn(new TableColumn("Missing (ref/cur)").RightAligned());
        foreach (ColumnDriftResult column in report.Result.Columns)
        {
            table.AddRow(
                new Text(column.Name),
                new Text(column.Type == ColumnType.Numerical ? "numerical" : "categorical"),
                new Text(column.MethodName),
                new Text(FormatScore(column.Score)),
                new Text(FormatScore(column.Threshold)),
                column.Drift ? new Markup("[bold red]DRIFT[/]") : new Markup("[green]no[/]"),
                new Text($"{column.ReferenceMissing}/{column.CurrentMissing}"));
        }

        console.Write(table);
        DatasetDriftResult d = report.Result;
        string verdict = d.Drift ? "[bold red]Dataset drift detected[/]" : "[green]No dataset drift[/]";
        console.MarkupLine(
            $"{verdict}: {d.DriftedColumns} of {d.ColumnCount} columns drifted " +
            $"({Percent(d.Share)}; the dataset drifts at {Percent(report.DriftShare)}).");
        console.MarkupLine(
            string.Create(CultureInfo.InvariantCulture, $"Engine: {Markup.Escape(report.Engine)}; rows: {report.ReferenceRows:N0} reference, {report.CurrentRows:N0} current."));
        report.Quality?.WriteTable(console);
    }

    /// <summary>Formats a score for reading: four significant digits, exponent for very small p-values.</summary>
    internal static string FormatScore(double value) =>
        double.IsFinite(value) ? value.ToString("G4", CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A share as a percentage: 0.35 -> "35%", 0.8571 -> "85.7%".</summary>
    internal static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    /// <summary>A Spectre console over a writer, with colours only when asked.</summary>
    internal static IAnsiConsole CreateConsole(TextWriter output, bool colors, int? width)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = colors ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = colors ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = colors ? InteractionSupport.Detect : InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = width ?? 120;
        return console;
    }
}
