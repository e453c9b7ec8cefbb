using System.Globalization;
using System.Net;
using System.Text;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Cli.Reports;

/// <summary>
/// Writes the report as one self-contained HTML page: a summary, a table of scores, thresholds and drift flags,
/// and per column a reference-versus-current histogram drawn as inline SVG.
/// </summary>
/// <remarks>
/// The page loads nothing: no scripts, no fonts, no stylesheets or images from anywhere (a Content-Security-Policy
/// of <c>default-src 'none'</c> makes that a rule the browser enforces), so it opens offline and can be attached to
/// a ticket or a pipeline artefact. Every value that comes from the data (column names, category labels, file
/// names) is HTML-escaped.
/// </remarks>
internal sealed class HtmlReportWriter : IReportWriter
{
    private const int ChartWidth = 640;
    private const int PlotHeight = 180;
    private const int PlotTop = 12;
    private const int PlotRight = 12;
    private const int MaxLabelChars = 24;

    // Tick labels: 11 px text, about 6.2 px per character; bin labels are rotated by LabelAngle degrees.
    private const double CharWidth = 6.2;
    private const double LabelAngle = 35;
    private const string ReferenceColor = "#4c78a8";
    private const string CurrentColor = "#f58518";

    /// <inheritdoc />
    public void Write(DriftReport report, TextWriter output) => output.Write(ToHtml(report));

    /// <summary>The report as an HTML page.</summary>
    public static string ToHtml(DriftReport report)
    {
        var html = new StringBuilder(64 * 1024);
        DatasetDriftResult d = report.Result;
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"generator\" content=\"mlmon\">\n")
            .Append("<title>Drift report: ").Append(E(report.Current)).Append(" against ").Append(E(report.Reference)).Append("</title>\n")
            .Append("<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n<main>\n");

        html.Append("<h1>Drift report</h1>\n");
        html.Append("<section id=\"summary\" class=\"summary ").Append(d.Drift ? "drift" : "ok").Append("\">\n")
            .Append("<p class=\"verdict\">").Append(d.Drift ? "Dataset drift detected" : "No dataset drift").Append("</p>\n")
            .Append("<p><strong>").Append(d.DriftedColumns.ToString(CultureInfo.InvariantCulture)).Append("</strong> of <strong>")
            .Append(d.ColumnCount.ToString(CultureInfo.InvariantCulture)).Append("</strong> columns drifted (share ")
            .Append(E(TableReportWriter.Percent(d.Share))).Append("; the dataset drifts at ")
            .Append(E(TableReportWriter.Percent(report.DriftShare))).Append(").</p>\n")
            .Append("<dl>\n")
            .Append("<dt>Reference</dt><dd>").Append(E(report.Reference)).Append(" (").Append(report.ReferenceRows.ToString("N0", CultureInfo.InvariantCulture)).Append(" rows)</dd>\n")
            .Append("<dt>Current</dt><dd>").Append(E(report.Current)).Append(" (").Append(report.CurrentRows.ToString("N0", CultureInfo.InvariantCulture)).Append(" rows)</dd>\n")
            .Append("<dt>Engine</dt><dd>").Append(E(report.Engine)).Append("</dd>\n")
            .Append("<dt>Method</dt><dd>").Append(E(report.Method)).Append("</dd>\n")
            .Append("</dl>\n</section>\n");

        html.Append("<section id=\"columns\">\n<h2>Columns</h2>\n<table>\n<thead><tr>")
            .Append("<th>Column</th><th>Type</th><th>Method</th><th class=\"num\">Score</th><th class=\"num\">Threshold</th><th>Drift</th><th class=\"num\">Missing (reference / current)</th>")
            .Append("</tr></thead>\n<tbody>\n");
        for (int i = 0; i < d.Columns.Count; i++)
        {
            ColumnDriftResult c = d.Columns[i];
            html.Append("<tr class=\"").Append(c.Drift ? "drift" : "ok").Append("\">")
                .Append("<td><a href=\"#col-").Append(i.ToString(CultureInfo.InvariantCulture)).Append("\">").Append(E(c.Name)).Append("</a></td>")
                .Append("<td>").Append(TypeName(c.Type)).Append("</td>")
                .Append("<td>").Append(E(c.MethodName)).Append("</td>")
                .Append("<td class=\"num\" title=\"").Append(E(Full(c.Score))).Append("\">").Append(E(TableReportWriter.FormatScore(c.Score))).Append("</td>")
                .Append("<td class=\"num\">").Append(E(TableReportWriter.FormatScore(c.Threshold))).Append("</td>")
                .Append("<td>").Append(c.Drift ? "<span class=\"flag drift\">drift</span>" : "<span class=\"flag ok\">no</span>").Append("</td>")
                .Append("<td class=\"num\">").Append(c.ReferenceMissing.ToString(CultureInfo.InvariantCulture)).Append(" / ")
                .Append(c.CurrentMissing.ToString(CultureInfo.InvariantCulture)).Append("</td>")
                .Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n</section>\n");

        html.Append("<section id=\"histograms\">\n<h2>Distributions</h2>\n")
            .Append("<p class=\"legend\"><span class=\"swatch\" style=\"background:").Append(ReferenceColor).Append("\"></span>reference ")
            .Append("<span class=\"swatch\" style=\"background:").Append(CurrentColor).Append("\"></span>current (share of each side's non-missing values)</p>\n")
            .Append("<div class=\"charts\">\n");
        for (int i = 0; i < d.Columns.Count; i++)
        {
            ColumnDriftResult c = d.Columns[i];
            html.Append("<article class=\"column ").Append(c.Drift ? "drift" : "ok").Append("\" id=\"col-").Append(i.ToString(CultureInfo.InvariantCulture)).Append("\">\n")
                .Append("<h3>").Append(E(c.Name)).Append(" <small>").Append(TypeName(c.Type)).Append("</small></h3>\n")
                .Append("<p>").Append(E(c.MethodName)).Append(" score <strong title=\"").Append(E(Full(c.Score))).Append("\">")
                .Append(E(TableReportWriter.FormatScore(c.Score))).Append("</strong>, threshold ")
                .Append(E(TableReportWriter.FormatScore(c.Threshold))).Append(": ").Append(c.Drift ? "<span class=\"flag drift\">drift</span>" : "<span class=\"flag ok\">no drift</span>").Append("</p>\n");
            if (report.Histograms.TryGetValue(c.Name, out ColumnHistogram? histogram) && histogram.Labels.Count > 0)
            {
                AppendChart(html, c.Name, histogram);
            }
            else
            {
                html.Append("<p class=\"note\">No histogram for this column.</p>\n");
            }

            html.Append("</article>\n");
        }

        html.Append("</div>\n</section>\n");
        report.Quality?.WriteHtml(html);
        html.Append("<footer>Generated by mlmon.</footer>\n</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendChart(StringBuilder html, string column, ColumnHistogram h)
    {
        int bars = h.Labels.Count;
        double max = Math.Max(h.ReferenceShares.DefaultIfEmpty(0).Max(), h.CurrentShares.DefaultIfEmpty(0).Max());
        if (max <= 0)
        {
            max = 1;
        }

        // Room for the rotated bin labels: below the plot for their height, left of it for the first one's reach.
        string[] labels = h.Labels.Select(Shorten).ToArray();
        double longest = labels.Max(l => l.Length) * CharWidth;
        double radians = LabelAngle * Math.PI / 180;
        string topTick = TableReportWriter.Percent(max);
        double plotLeft = Math.Max((topTick.Length * CharWidth) + 10, 40);
        double plotWidth = ChartWidth - plotLeft - PlotRight;
        double group = plotWidth / bars;
        plotLeft = Math.Max(plotLeft, (longest * Math.Cos(radians)) - (group / 2) + 6);
        plotWidth = ChartWidth - plotLeft - PlotRight;
        group = plotWidth / bars;
        double plotBottom = (longest * Math.Sin(radians)) + 24;
        double height = PlotTop + PlotHeight + plotBottom;
        double barWidth = Math.Max(1, group * 0.4);
        double baseline = PlotTop + PlotHeight;

        html.Append("<svg class=\"chart\" role=\"img\" viewBox=\"0 0 ").Append(ChartWidth).Append(' ').Append(N(height))
            .Append("\" width=\"").Append(ChartWidth).Append("\" height=\"").Append(N(height)).Append("\">\n")
            .Append("<title>").Append(E(column)).Append(": reference and current distributions</title>\n");

        // Axes and the top share, so bar heights can be read.
        html.Append("<line x1=\"").Append(N(plotLeft)).Append("\" y1=\"").Append(N(baseline)).Append("\" x2=\"").Append(N(plotLeft + plotWidth))
            .Append("\" y2=\"").Append(N(baseline)).Append("\" class=\"axis\"/>\n")
            .Append("<line x1=\"").Append(N(plotLeft)).Append("\" y1=\"").Append(PlotTop).Append("\" x2=\"").Append(N(plotLeft))
            .Append("\" y2=\"").Append(N(baseline)).Append("\" class=\"axis\"/>\n")
            .Append("<text x=\"").Append(N(plotLeft - 4)).Append("\" y=\"").Append(PlotTop + 8).Append("\" class=\"tick\" text-anchor=\"end\">")
            .Append(E(topTick)).Append("</text>\n")
            .Append("<text x=\"").Append(N(plotLeft - 4)).Append("\" y=\"").Append(N(baseline)).Append("\" class=\"tick\" text-anchor=\"end\">0</text>\n");

        // One label per bar while they fit (11 px apart), else every k-th one and the last.
        int labelEvery = Math.Max(1, (int)Math.Ceiling(14 / group));
        for (int i = 0; i < bars; i++)
        {
            double x = plotLeft + (i * group) + ((group - (2 * barWidth)) / 2);
            AppendBar(html, x, barWidth, baseline, PlotHeight, h.ReferenceShares[i] / max, ReferenceColor, "reference", h.Labels[i], h.ReferenceShares[i]);
            AppendBar(html, x + barWidth, barWidth, baseline, PlotHeight, h.CurrentShares[i] / max, CurrentColor, "current", h.Labels[i], h.CurrentShares[i]);
            if (i % labelEvery == 0 || i == bars - 1)
            {
                double cx = plotLeft + (i * group) + (group / 2);
                html.Append("<text x=\"").Append(N(cx)).Append("\" y=\"").Append(N(baseline + 14))
                    .Append("\" class=\"tick label\" text-anchor=\"end\" transform=\"rotate(-").Append(N(LabelAngle)).Append(' ').Append(N(cx)).Append(' ').Append(N(baseline + 14)).Append(")\">")
                    .Append(E(labels[i])).Append("</text>\n");
            }
        }

        html.Append("</svg>\n");
    }

    private static void AppendBar(StringBuilder html, double x, double width, double baseline, double plotHeight, double fraction, string color, string side, string label, double share)
    {
        double height = Math.Max(0, fraction * plotHeight);
        html.Append("<rect x=\"").Append(N(x)).Append("\" y=\"").Append(N(baseline - height)).Append("\" width=\"").Append(N(width))
            .Append("\" height=\"").Append(N(height)).Append("\" fill=\"").Append(color).Append("\" class=\"bar ").Append(side).Append("\">")
            .Append("<title>").Append(side).Append(", ").Append(E(label)).Append(": ").Append(E((share * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%")).Append("</title></rect>\n");
    }

    private static string TypeName(ColumnType type) => type == ColumnType.Numerical ? "numerical" : "categorical";

    private static string Shorten(string label) => label.Length <= MaxLabelChars ? label : label[..(MaxLabelChars - 1)] + "\u2026";

    private static string Full(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>HTML-escapes text for element content and quoted attribute values.</summary>
    private static string E(string value) => WebUtility.HtmlEncode(value);

    private const string Css = """
        :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; }
        body { margin: 0; background: #f6f8fa; }
        main { max-width: 1800px; margin: 0 auto; padding: 24px; box-sizing: border-box; }
        h1 { margin-top: 0; }
        .summary { border-radius: 8px; padding: 12px 20px; background: #fff; border-left: 8px solid #2da44e; }
        .summary.drift { border-left-color: #cf222e; }
        .verdict { font-size: 1.4em; font-weight: 600; margin: 4px 0; }
        dl { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; }
        dt { font-weight: 600; }
        dd { margin: 0; word-break: break-all; }
        table { border-collapse: collapse; width: 100%; background: #fff; }
        th, td { padding: 6px 10px; border-bottom: 1px solid #d0d7de; text-align: left; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        tr.drift td:first-child { border-left: 4px solid #cf222e; }
        .flag { border-radius: 10px; padding: 1px 8px; font-size: 0.85em; font-weight: 600; }
        .flag.drift { background: #ffebe9; color: #cf222e; }
        .flag.ok { background: #dafbe1; color: #1a7f37; }
        .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 16px; }
        article.column { background: #fff; border-radius: 8px; padding: 8px 20px; min-width: 0; }
        article.column.drift { border-left: 4px solid #cf222e; }
        small { color: #656d76; font-weight: normal; }
        svg.chart { width: 100%; height: auto; display: block; }
        .axis { stroke: #8c959f; stroke-width: 1; }
        .tick { font-size: 11px; fill: #57606a; }
        .legend .swatch { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; vertical-align: middle; }
        .note { color: #656d76; }
        footer { color: #656d76; font-size: 0.85em; margin-top: 24px; }

        """;
}
