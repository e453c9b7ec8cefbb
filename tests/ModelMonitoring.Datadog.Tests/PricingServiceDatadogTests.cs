using System.Net.Http.Json;
using System.Text.Json;
using ModelMonitoring.AspNetCore.Tests;

namespace ModelMonitoring.Datadog.Tests;

/// <summary>The PricingService sample, run for real: DD_API_KEY alone sends its logs to the (local) intake.</summary>
public sealed class PricingServiceDatadogTests
{
    private const string ApiKey = "dd-sample-key-fedcba9876543210";

    [Fact]
    public async Task With_DD_API_KEY_set_the_sample_sends_its_logs_and_its_models_warning_with_tags()
    {
        await using DatadogReceiver receiver = await DatadogReceiver.StartAsync();
        await using PricingServiceProcess service = await PricingServiceProcess.StartAsync(new Dictionary<string, string>
        {
            ["DD_API_KEY"] = ApiKey,
            ["ENV"] = "staging",
            ["ModelMonitoring__Datadog__LogsUrl"] = receiver.LogsUrl, // instead of https://http-intake.logs.<DD_SITE>
            ["ModelMonitoring__Datadog__BatchDelay"] = "00:00:00.100",
        });
        using HttpResponseMessage response = await service.Client.PostAsJsonAsync("predict", new
        {
            area = 80, rooms = 3, region = "North", isNew = true, yearBuilt = 2010, distanceToCenterKm = 5.5, floorLevel = 2,
            energyRating = "Z", channel = "web", customerEmail = "jane.doe@example.com",
        });
        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, response.StatusCode);

        await receiver.WaitUntilAsync(r => r.Accepted.Any(e => e.GetProperty("message").GetString() == "Energy rating not known to the model"));
        JsonElement warning = receiver.Accepted.Single(e => e.GetProperty("message").GetString() == "Energy rating not known to the model");
        Assert.Equal("env:staging,model:pricing,model_owner:juan_manoel,squad:mlops,model_version:1.3.0", warning.GetProperty("ddtags").GetString());
        Assert.Equal("pricing-service", warning.GetProperty("service").GetString());
        Assert.Equal("warning", warning.GetProperty("status").GetString());
        Assert.Equal("[redacted]", warning.GetProperty("data").GetProperty("customer_email").GetString());
        Assert.Contains(receiver.Accepted, e => e.GetProperty("logger").GetProperty("name").GetString() == "Microsoft.Hosting.Lifetime");

        // The runtime's own error log about the failed prediction carries the model's tags through its scope.
        await receiver.WaitUntilAsync(r => r.Accepted.Any(e => e.GetProperty("logger").GetProperty("name").GetString() == "ModelMonitoring" && e.GetProperty("status").GetString() == "error"));
        JsonElement failed = receiver.Accepted.First(e => e.GetProperty("logger").GetProperty("name").GetString() == "ModelMonitoring" && e.GetProperty("status").GetString() == "error");
        Assert.Contains("model:pricing", failed.GetProperty("ddtags").GetString(), StringComparison.Ordinal);
        Assert.Equal("System.ArgumentOutOfRangeException", failed.GetProperty("error").GetProperty("kind").GetString());

        Assert.Equal(ApiKey, receiver.Requests[0].Headers["DD-API-KEY"]);
        Assert.DoesNotContain(ApiKey, service.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(receiver.Requests, r => r.Entries.Any(e => e.GetRawText().Contains(ApiKey, StringComparison.Ordinal) || e.GetRawText().Contains("jane.doe", StringComparison.Ordinal)));
        foreach (string page in new[] { "health", "metrics", "monitoring/models" })
        {
            Assert.DoesNotContain(ApiKey, await service.Client.GetStringAsync(page), StringComparison.Ordinal);
        }
    }
}
