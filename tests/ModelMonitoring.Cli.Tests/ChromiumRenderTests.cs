using System.Diagnostics;
using System.Text.RegularExpressions;
using ModelMonitoring.Cli.Reports;

namespace ModelMonitoring.Cli.Tests;

/// <summary>
/// Opens an HTML report in headless Chromium, offline, and checks the DOM it builds. Needs /usr/bin/chromium
/// (the CI script installs it with <c>apt-get install -y chromium</c>); without it the test fails and says so.
/// </summary>
public sealed class ChromiumRenderTests : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public async Task The_report_renders_offline_in_headless_chromium_with_the_hostile_label_as_text()
    {
        Assert.True(
            File.Exists(Chromium),
            $"{Chromium} is missing: install it (apt-get update && apt-get install -y chromium) to run the HTML rendering test.");
        string page = dir.Write("report.html", HtmlReportWriter.ToHtml(ReportWriterTests.HostileReport()));
        string profile = Path.Combine(dir.Path, "chromium-profile");

        var start = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", $"--user-data-dir={profile}", "--dump-dom", new Uri(page).AbsoluteUri,
        })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("chromium did not finish within 90 s");
        }

        string dom = await stdout;
        Assert.True(process.ExitCode == 0 && dom.Length > 0, $"chromium exit {process.ExitCode}: {await stderr}");

        // The browser parsed the page into the expected elements...
        Assert.Contains("<h1>Drift report</h1>", dom);
        Assert.Equal(2, Regex.Matches(dom, "<svg ").Count);
        Assert.True(Regex.Matches(dom, "<rect ").Count >= 8, "histogram bars");
        Assert.Contains("Dataset drift detected", dom);

        // ...and the hostile label stayed text: serialised back escaped, never as an element.
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", dom);
        Assert.DoesNotContain("<script", dom, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>price", dom);
    }
}
