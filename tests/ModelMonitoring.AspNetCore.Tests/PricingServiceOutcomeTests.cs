using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ModelMonitoring.AspNetCore.Tests;

/// <summary>PricingService's POST /outcome, started for real: the ground truth of a quote handed to monitoring.</summary>
public sealed class PricingServiceOutcomeTests
{
    [Fact]
    public async Task Outcome_takes_a_quotes_sale_price_and_refuses_a_bad_body()
    {
        await using PricingServiceProcess service = await PricingServiceProcess.StartAsync();
        using (HttpResponseMessage early = await service.Client.PostAsJsonAsync("outcome", new { quoteId = "q-0", actualPrice = 1 }))
        {
            Assert.Equal(HttpStatusCode.Accepted, early.StatusCode); // no such quote yet: the price waits for it
        }

        using (HttpResponseMessage quote = await service.Client.PostAsJsonAsync("predict", new
        {
            area = 80, rooms = 3, region = "North", isNew = true, yearBuilt = 2010, distanceToCenterKm = 5.5, floorLevel = 2,
            energyRating = "B", channel = "web", customerEmail = "jane.doe@example.com", quoteId = "q-1",
        }))
        {
            Assert.Equal(HttpStatusCode.OK, quote.StatusCode);
        }

        using HttpResponseMessage outcome = await service.Client.PostAsJsonAsync("outcome", new { quoteId = "q-1", actualPrice = 312_000 });
        using HttpResponseMessage bad = await service.Client.PostAsJsonAsync("outcome", new { quoteId = "", actualPrice = -5 });
        using HttpResponseMessage missing = await service.Client.PostAsJsonAsync("outcome", new { actualPrice = 5 });

        // 200 when the quote's row was folded already, else 202: the price waits and joins when the row is folded.
        Assert.Contains(outcome.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Accepted });
        using JsonDocument receipt = JsonDocument.Parse(await outcome.Content.ReadAsStringAsync());
        Assert.Equal(outcome.StatusCode == HttpStatusCode.OK, receipt.RootElement.GetProperty("joined").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);

        // The join shows at /metrics (the generated code set the key; q-0 never gets a quote).
        string metrics = "";
        for (int attempt = 0; attempt < 50 && !metrics.Contains("model=\"pricing\",result=\"joined\"} 1", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(100);
            metrics = await service.Client.GetStringAsync("metrics");
        }

        Assert.Contains("model=\"pricing\",result=\"joined\"} 1", metrics);
        Assert.Contains("model=\"pricing\",result=\"unknown_key\"} 0", metrics);
        Assert.Contains("# TYPE ml_model_concept_drift_detections_total counter", metrics);
    }
}
