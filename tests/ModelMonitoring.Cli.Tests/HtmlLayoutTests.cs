using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace ModelMonitoring.Cli.Tests;

/// <summary>
/// Lays out a real <c>mlmon drift --format html</c> report in headless Chromium (Debian's /usr/bin/chromium driven by
/// Playwright, a fresh profile, no network) in a 1400 x 900 window, takes a screenshot, and measures the page: it
/// uses the window's width, no axis label leaves its chart, no label is in E-notation, and each card prints its score
/// as the table does.
/// </summary>
public sealed class HtmlLayoutTests : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public async Task The_report_uses_a_1400_px_window_and_keeps_every_axis_label_inside_its_chart()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install it (apt-get update && apt-get install -y chromium) to run the HTML layout test.");
        var rng = new Random(7);
        string Rows(double shift) => string.Concat(Enumerable.Range(0, 3000).Select(i =>
            string.Create(CultureInfo.InvariantCulture,
                $"{50_000 + (rng.NextDouble() * 7481) + shift:0.##},{rng.NextDouble() * 0.001:0.#######},{(i % 7 == 0 ? "a rather long category label number " + (i % 3) : "short" + (i % 5))}\n")));
        string reference = dir.Write("ref.csv", "income,tiny_rate,segment\n" + Rows(0));
        string current = dir.Write("cur.csv", "income,tiny_rate,segment\n" + Rows(900));
        string page = dir.File_("report.html");
        (int code, _, string stderr) = await CliRunner.RunAsync("drift", "-r", reference, "-c", current, "-o", page);
        Assert.True(code is 0 or 1, stderr);

        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowserContext browser = await playwright.Chromium.LaunchPersistentContextAsync(
            Path.Combine(dir.Path, "chromium-profile"), // a fresh --user-data-dir
            new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-dev-shm-usage"],
                ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
                Offline = true,
            });
        IPage tab = browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();
        await tab.GotoAsync(new Uri(page).AbsoluteUri);

        string screenshot = Path.Combine(AppContext.BaseDirectory, "html-report-1400.png");
        byte[] png = await tab.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.Equal(1400, ReadPngWidth(png));

        // Measured in the page: the width used, and every chart text's box against its chart's box.
        string json = await tab.EvaluateAsync<string>("""
            () => {
              const main = document.querySelector('main').getBoundingClientRect();
              const cards = [...document.querySelectorAll('article.column')].map(a => a.getBoundingClientRect());
              const clipped = [];
              const labels = [];
              for (const svg of document.querySelectorAll('svg.chart')) {
                const box = svg.getBoundingClientRect();
                for (const t of svg.querySelectorAll('text')) {
                  const r = t.getBoundingClientRect();
                  labels.push(t.textContent);
                  if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
                    clipped.push(t.textContent + ' ' + JSON.stringify([r.left, r.top, r.right, r.bottom]) + ' outside ' + JSON.stringify([box.left, box.top, box.right, box.bottom]));
                }
              }
              const table = Object.fromEntries([...document.querySelectorAll('#columns tbody tr')].map(r => [r.cells[0].textContent, r.cells[3].textContent]));
              const cardScores = Object.fromEntries([...document.querySelectorAll('article.column')].map(a => [a.querySelector('h3').firstChild.textContent.trim(), a.querySelector('p strong').textContent]));
              return JSON.stringify({ window: window.innerWidth, mainWidth: main.width, contentRight: Math.max(...cards.map(c => c.right)), contentLeft: Math.min(...cards.map(c => c.left)), clipped, labels, table, cardScores });
            }
            """);
        using JsonDocument measured = JsonDocument.Parse(json);
        JsonElement m = measured.RootElement;

        double window = m.GetProperty("window").GetDouble();
        double used = m.GetProperty("contentRight").GetDouble() - m.GetProperty("contentLeft").GetDouble();
        Assert.True(used >= 0.9 * window, $"the charts span {used} px of a {window} px window (screenshot: {screenshot})");
        Assert.Empty(m.GetProperty("clipped").EnumerateArray().Select(e => e.GetString()));
        string[] labels = m.GetProperty("labels").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Contains(labels, l => l.StartsWith("5", StringComparison.Ordinal) && l.Contains(",", StringComparison.Ordinal)); // 50,000 to ...
        Assert.DoesNotContain(labels, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"\d[eE][+-]?\d"));
        Assert.Contains(labels, l => l.StartsWith("0.0000", StringComparison.Ordinal)); // tiny_rate in plain digits
        var table = m.GetProperty("table").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        var cards = m.GetProperty("cardScores").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal(3, table.Count);
        Assert.Equal(table, cards);
    }

    private static int ReadPngWidth(byte[] png)
    {
        Assert.True(png.Length > 24 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG screenshot");
        return (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19];
    }
}
