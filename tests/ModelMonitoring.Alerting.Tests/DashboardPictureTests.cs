using ModelMonitoring.Alerts;
using ModelMonitoring.AspNetCore.Tests;

namespace ModelMonitoring.Alerting.Tests;

/// <summary>
/// The dashboard's picture: PricingService under traffic, a real Prometheus scraping it, every panel's queries drawn
/// from Prometheus and screenshotted by headless Chromium. With <c>MODELMONITORING_UPDATE_DASHBOARD_PNG=1</c> the PNG
/// is written to <c>docs/images/dashboard.png</c> (the README's picture); otherwise to a temporary file.
/// </summary>
public sealed class DashboardPictureTests
{
    [Fact]
    public async Task Every_panel_of_the_dashboard_draws_data_from_a_real_prometheus_and_chromium_screenshots_it()
    {
        string chromium = ExternalTool.Find("chromium", "chromium", "chromium-browser");
        await using PricingServiceProcess service = await PricingServiceProcess.StartAsync("--ModelMonitoring:WindowSize=50");
        using PrometheusServer prometheus = await PrometheusServer.StartAsync(service.BaseAddress, AlertExports.PrometheusRules([PricingCatalog.Pricing], rateWindow: "10s"), alertmanager: null);
        using var api = new HttpClient { BaseAddress = prometheus.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };

        DateTimeOffset from = DateTimeOffset.UtcNow;
        // ~15 s of traffic with outcomes, a few errors; in its second half the inputs drift and the sale prices run
        // 30 % above the quotes, a shift of the error the concept-drift detectors see.
        for (int burst = 0; burst < 10; burst++)
        {
            await PricingCatalog.SendAsync(service, 40, from: burst * 40, drifted: burst >= 5, unknownEvery: 13, outcomes: true, underpriced: burst >= 5);
            await Task.Delay(1_000);
        }

        await Task.Delay(2_000); // the last scrapes
        (string html, Dictionary<string, int> series) = await DashboardPicture.RenderAsync(api, AlertExports.GrafanaDashboard([PricingCatalog.Pricing]), "pricing", "10s", from, DateTimeOffset.UtcNow);

        // Every panel draws, except the estimated performance: CBPE estimates classifiers, PricingService is a regression.
        Assert.Equal(0, series["Performance (estimated)"]);
        Assert.All(series.Where(p => p.Key != "Performance (estimated)"), panel => Assert.True(panel.Value > 0, $"panel '{panel.Key}' drew nothing"));

        string directory = ExternalTool.TempDirectory("dashboard");
        try
        {
            string page = Path.Combine(directory, "dashboard.html");
            File.WriteAllText(page, html);
            string png = Environment.GetEnvironmentVariable("MODELMONITORING_UPDATE_DASHBOARD_PNG") == "1"
                ? Path.Combine(RepositoryRoot(), "docs", "images", "dashboard.png")
                : Path.Combine(directory, "dashboard.png");
            Directory.CreateDirectory(Path.GetDirectoryName(png)!);
            (int exit, string output) = ExternalTool.Run(
                chromium,
                ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1450,1220", $"--user-data-dir={Path.Combine(directory, "profile")}", $"--screenshot={png}", new Uri(page).AbsoluteUri],
                TimeSpan.FromSeconds(60));
            Assert.True(exit == 0 && File.Exists(png), $"chromium failed ({exit}):\n{output}");
            byte[] bytes = File.ReadAllBytes(png);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
            Assert.True(bytes.Length > 20_000, $"{bytes.Length} bytes: an empty page?");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Instrumentation.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("Instrumentation.sln not found above " + AppContext.BaseDirectory);
    }
}
