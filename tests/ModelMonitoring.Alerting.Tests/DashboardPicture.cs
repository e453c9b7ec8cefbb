using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace ModelMonitoring.Alerting.Tests;

/// <summary>
/// Renders the generated dashboard's panels from a running Prometheus (its <c>query_range</c> API) as a static HTML
/// page of SVG line charts, the same queries Grafana would run; headless Chromium screenshots it. No Grafana server
/// is in our registries: this is the picture of the dashboard the README shows.
/// </summary>
internal static class DashboardPicture
{
    private const int Width = 460;
    private const int Height = 230;
    private static readonly string[] Colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>The page, and how many series each panel drew.</summary>
    public static async Task<(string Html, Dictionary<string, int> SeriesPerPanel)> RenderAsync(HttpClient prometheus, string dashboardJson, string model, string rateInterval, DateTimeOffset from, DateTimeOffset to)
    {
        JsonNode dashboard = JsonNode.Parse(dashboardJson)!;
        var html = new StringBuilder();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        html.Append("<!doctype html><html><head><meta charset=\"utf-8\"><style>body{font-family:sans-serif;background:#111217;color:#ccccdc;margin:12px}")
            .Append(".grid{display:grid;grid-template-columns:repeat(3,").Append(Width).Append("px);gap:12px}.panel{background:#181b1f;border:1px solid #2c3235;padding:6px}")
            .Append("h1{font-size:18px}h2{font-size:13px;margin:2px 0 4px}.legend{font-size:10px}</style></head><body>")
            .Append("<h1>").Append(WebUtility.HtmlEncode((string)dashboard["title"]!)).Append(" — model ").Append(WebUtility.HtmlEncode(model)).Append("</h1><div class=\"grid\">");
        foreach (JsonNode? panel in dashboard["panels"]!.AsArray().Skip(1))
        {
            string title = (string)panel!["title"]!;
            var series = new List<(string Legend, List<(double T, double V)> Points)>();
            foreach (JsonNode? target in panel["targets"]!.AsArray())
            {
                string expression = ((string)target!["expr"]!).Replace("$model", model, StringComparison.Ordinal).Replace("$__rate_interval", rateInterval, StringComparison.Ordinal);
                string legend = (string)target["legendFormat"]!;
                string url = $"api/v1/query_range?query={Uri.EscapeDataString(expression)}&start={from.ToUnixTimeSeconds()}&end={to.ToUnixTimeSeconds()}&step=1";
                JsonNode answer = JsonNode.Parse(await prometheus.GetStringAsync(url))!;
                foreach (JsonNode? result in answer["data"]!["result"]!.AsArray())
                {
                    string name = System.Text.RegularExpressions.Regex.Replace(legend, @"\{\{(\w+)\}\}", m => (string?)result!["metric"]![m.Groups[1].Value] ?? string.Empty);
                    List<(double, double)> points = result!["values"]!.AsArray()
                        .Select(v => ((double)v![0]!, double.Parse((string)v[1]!, CultureInfo.InvariantCulture)))
                        .Where(p => double.IsFinite(p.Item2)).ToList();
                    if (points.Count > 0)
                    {
                        series.Add((name, points));
                    }
                }
            }

            counts[title] = series.Count;
            html.Append("<div class=\"panel\"><h2>").Append(WebUtility.HtmlEncode(title)).Append("</h2>").Append(Chart(series, (string?)panel["fieldConfig"]?["defaults"]?["unit"], from, to));
            if (series.Count == 0)
            {
                // An empty panel says why, as its description (Grafana's tooltip) does.
                html.Append("<div class=\"legend\">").Append(WebUtility.HtmlEncode((string?)panel["description"] ?? string.Empty)).Append("</div>");
            }

            html.Append("</div>");
        }

        html.Append("</div></body></html>");
        return (html.ToString(), counts);
    }

    private static string Chart(List<(string Legend, List<(double T, double V)> Points)> series, string? unit, DateTimeOffset from, DateTimeOffset to)
    {
        const int left = 48, top = 8, plotWidth = Width - left - 10, plotHeight = Height - 80;
        double t0 = from.ToUnixTimeSeconds(), t1 = Math.Max(t0 + 1, to.ToUnixTimeSeconds());
        double max = series.SelectMany(s => s.Points).Select(p => p.V).DefaultIfEmpty(1).Max();
        double min = Math.Min(0, series.SelectMany(s => s.Points).Select(p => p.V).DefaultIfEmpty(0).Min()); // an r2 goes below 0
        max = max <= 0 ? (min < 0 ? 0 : 1) : max * 1.1;
        min *= 1.1;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg width=\"{Width - 14}\" height=\"{Height}\" xmlns=\"http://www.w3.org/2000/svg\">");
        for (int i = 0; i <= 4; i++)
        {
            double y = top + (plotHeight * i / 4.0);
            double value = min + ((max - min) * (4 - i) / 4.0);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{left + plotWidth}\" y1=\"{y:F1}\" y2=\"{y:F1}\" stroke=\"#2c3235\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 4}\" y=\"{y + 3:F1}\" fill=\"#8e8e8e\" font-size=\"9\" text-anchor=\"end\">{Format(value, unit)}</text>");
        }

        if (series.Count == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + (plotWidth / 2)}\" y=\"{top + (plotHeight / 2)}\" fill=\"#8e8e8e\" font-size=\"12\" text-anchor=\"middle\">No data</text>");
        }

        for (int s = 0; s < series.Count; s++)
        {
            string colour = Colours[s % Colours.Length];
            string points = string.Join(" ", series[s].Points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{left + ((p.T - t0) / (t1 - t0) * plotWidth):F1},{top + plotHeight - ((p.V - min) / (max - min) * plotHeight):F1}")));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" points=\"{points}\"/>");
            int row = s / 3, column = s % 3;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left + (column * 130)}\" y=\"{top + plotHeight + 18 + (row * 12)}\" width=\"8\" height=\"8\" fill=\"{colour}\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{left + (column * 130) + 11}\" y=\"{top + plotHeight + 26 + (row * 12)}\" fill=\"#ccccdc\" font-size=\"9\">{WebUtility.HtmlEncode(Shorten(series[s].Legend))}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static string Shorten(string text) => text.Length <= 24 ? text : text[..23] + "…";

    private static string Format(double value, string? unit) => unit switch
    {
        "percentunit" => value.ToString("P0", CultureInfo.InvariantCulture),
        "s" => value >= 1 ? value.ToString("0.##", CultureInfo.InvariantCulture) + " s" : (value * 1000).ToString("G3", CultureInfo.InvariantCulture) + " ms",
        "reqps" => value.ToString("0.#", CultureInfo.InvariantCulture) + "/s",
        _ => value.ToString("G3", CultureInfo.InvariantCulture),
    };
}
