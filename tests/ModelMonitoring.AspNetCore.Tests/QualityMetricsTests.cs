using System.Net;
using System.Net.Http.Json;

namespace ModelMonitoring.AspNetCore.Tests;

/// <summary>The quality monitor's series at PricingService's /metrics, as Prometheus scrapes them.</summary>
public sealed class QualityMetricsTests
{
    [Fact]
    public async Task Outlier_and_quality_series_reach_the_scrape_and_pass_promtool()
    {
        await using PricingServiceProcess service = await PricingServiceProcess.StartAsync("--ModelMonitoring:WindowSize=5");

        // Window 1 (5 rows) becomes the reference; window 2 has one area far outside it.
        for (int i = 0; i < 10; i++)
        {
            double area = i == 7 ? 5_000 : 70 + (i % 5 * 5);
            using HttpResponseMessage response = await service.Client.PostAsJsonAsync("predict", Request(area, 2 + (i % 3)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        string scrape = string.Empty;
        IReadOnlyList<PrometheusSample> samples = [];
        for (int attempt = 0; attempt < 100; attempt++)
        {
            scrape = await service.Client.GetStringAsync("metrics");
            samples = PrometheusText.Parse(scrape);
            if (samples.Any(s => s.Name == "ml_feature_out_of_range_ratio" && s.Has("feature", "area")))
            {
                break;
            }

            await Task.Delay(100);
        }

        PrometheusSample outOfRange = Assert.Single(samples, s => s.Name == "ml_feature_out_of_range_ratio" && s.Has("model", "pricing") && s.Has("feature", "area"));
        Assert.Equal(0.2, outOfRange.Value, 12);
        Assert.Contains(samples, s => s.Name == "ml_feature_missing_ratio" && s.Has("feature", "area") && s.Value == 0);
        Assert.Contains(samples, s => s.Name == "ml_feature_unseen_category_ratio" && s.Has("feature", "region") && s.Value == 0);
        Assert.Contains(samples, s => s.Name == "ml_model_outlier_ratio" && s.Has("model", "pricing"));
        Assert.Contains(samples, s => s.Name == "ml_model_outliers_total" && s.Has("model", "pricing") && s.Value >= 1);
        Assert.DoesNotContain("someone@example.com", scrape, StringComparison.OrdinalIgnoreCase);

        (int exitCode, string output) = await Promtool.CheckMetricsAsync(scrape);
        Assert.True(exitCode == 0 && output.Length == 0, "promtool check metrics rejected the scrape:\n" + output);
    }

    private static object Request(double area, int rooms) => new
    {
        area,
        rooms,
        region = "North",
        isNew = true,
        yearBuilt = 2010,
        distanceToCenterKm = 5.5,
        floorLevel = 2,
        energyRating = "B",
        channel = "web",
        customerEmail = "someone@example.com",
    };
}
