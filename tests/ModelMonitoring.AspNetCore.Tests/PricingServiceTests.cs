using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ModelMonitoring.AspNetCore.Tests;

/// <summary>The PricingService sample, started for real on a loopback port, as a user and Prometheus see it.</summary>
public sealed class PricingServiceTests
{
    private const string CustomerEmail = "jane.doe@example.com";

    private static readonly double[] ExpectedBuckets = [.. ModelMonitoringInstruments.DefaultDurationBuckets];

    [Fact]
    public async Task Metrics_count_every_prediction_and_expose_the_latency_histogram()
    {
        const int Predictions = 25;
        await using PricingServiceProcess service = await PricingServiceProcess.StartAsync();

        for (int i = 0; i < Predictions; i++)
        {
            using HttpResponseMessage response = await service.Client.PostAsJsonAsync("predict", Request(area: 40 + i));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            JsonElement quote = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(quote.GetProperty("price").GetDouble() > 0);
        }

        IReadOnlyList<PrometheusSample> metrics = await ScrapeAsync(service);

        PrometheusSample successes = Assert.Single(metrics, s =>
            s.Name == "ml_model_predictions_total" && s.Has("model", "pricing") && s.Has("outcome", "success"));
        Assert.Equal(Predictions, successes.Value);
        Assert.True(successes.Has("model_version", "1.3.0"));
        Assert.True(successes.Has("method", "Predict"));
        Assert.Equal(0, Assert.Single(metrics, s =>
            s.Name == "ml_model_predictions_total" && s.Has("model", "pricing") && s.Has("outcome", "error")).Value);

        var buckets = metrics
            .Where(s => s.Name == "ml_model_prediction_duration_seconds_bucket" && s.Has("model", "pricing") && s.Has("outcome", "success"))
            .ToDictionary(s => s.Labels["le"], s => s.Value);
        foreach (double bound in ExpectedBuckets)
        {
            Assert.True(buckets.ContainsKey(bound.ToString(System.Globalization.CultureInfo.InvariantCulture)), $"no bucket le=\"{bound}\" in {string.Join(", ", buckets.Keys)}");
        }

        Assert.Equal(ExpectedBuckets.Length + 1, buckets.Count);
        Assert.Equal(Predictions, buckets["+Inf"]);
        Assert.Equal(Predictions, Assert.Single(metrics, s => s.Name == "ml_model_prediction_duration_seconds_count" && s.Has("model", "pricing") && s.Has("outcome", "success")).Value);

        // Each feature counted once per prediction, the sensitive one included (its presence, never its value).
        Assert.Equal(Predictions, Assert.Single(metrics, s => s.Name == "ml_feature_values_total" && s.Has("feature", "area")).Value);
        Assert.Equal(Predictions, Assert.Single(metrics, s => s.Name == "ml_feature_values_total" && s.Has("feature", "customer_email")).Value);
    }

    [Fact]
    public async Task Drift_gauges_appear_at_metrics_once_a_shifted_window_closes()
    {
        const int Window = 60;
        await using PricingServiceProcess service = await PricingServiceProcess.StartAsync("--ModelMonitoring:WindowSize=" + Window);

        // The first window is the reference (no baseline configured); the second one is shifted in area and energy rating.
        for (int i = 0; i < 2 * Window; i++)
        {
            bool shifted = i >= Window;
            using HttpResponseMessage response = await service.Client.PostAsJsonAsync("predict",
                Request(area: shifted ? 200 + (i % Window) : 40 + (i % Window), energyRating: shifted ? "F" : "B"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The window closed with the last request; its evaluation runs on the runtime's evaluator, so the gauges follow
        // shortly after. Scrape until they are there (a scrape never evaluates anything itself).
        IReadOnlyList<PrometheusSample> metrics = await ScrapeAsync(service);
        for (int attempt = 0; attempt < 100 && !metrics.Any(s => s.Name == "ml_feature_drift_detected"); attempt++)
        {
            await Task.Delay(100);
            metrics = await ScrapeAsync(service);
        }

        string drift = string.Join("\n", metrics.Where(s => s.Name.Contains("drift", StringComparison.Ordinal)).Select(s => $"{s.Name}{{{string.Join(",", s.Labels.Select(l => l.Key + "=" + l.Value))}}} {s.Value}"));
        PrometheusSample areaDetected = Assert.Single(metrics, s => s.Name == "ml_feature_drift_detected" && s.Has("model", "pricing") && s.Has("feature", "area"));
        Assert.True(areaDetected.Value == 1, "area did not drift:\n" + drift + "\n" + service.Output);
        Assert.Contains(metrics, s => s.Name == "ml_feature_drift_score" && s.Has("feature", "area") && s.Labels.ContainsKey("method"));
        Assert.Equal(1, Assert.Single(metrics, s => s.Name == "ml_feature_drift_detected" && s.Has("feature", "energy_rating")).Value);
        Assert.Equal(0, Assert.Single(metrics, s => s.Name == "ml_feature_drift_detected" && s.Has("feature", "rooms")).Value);
        Assert.Contains(metrics, s => s.Name == "ml_model_drift_share" && s.Has("model", "pricing") && s.Value > 0);
        Assert.Contains(metrics, s => s.Name == "ml_model_prediction_drift_detected" && s.Has("model", "pricing"));
        Assert.DoesNotContain(metrics, s => s.Name.StartsWith("ml_feature_drift", StringComparison.Ordinal) && s.Has("feature", "customer_email"));
    }

    [Fact]
    public async Task A_model_failure_is_a_500_for_the_client_and_an_error_in_the_metrics()
    {
        await using PricingServiceProcess service = await PricingServiceProcess.StartAsync();

        using (HttpResponseMessage ok = await service.Client.PostAsJsonAsync("predict", Request()))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        // The model knows energy ratings A to G only, and throws on anything else.
        using (HttpResponseMessage failed = await service.Client.PostAsJsonAsync("predict", Request(energyRating: "Z")))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
            Assert.Equal("application/problem+json", failed.Content.Headers.ContentType?.MediaType);
        }

        IReadOnlyList<PrometheusSample> metrics = await ScrapeAsync(service);
        double Predictions(string outcome) => Assert.Single(metrics, s =>
            s.Name == "ml_model_predictions_total" && s.Has("model", "pricing") && s.Has("outcome", outcome)).Value;
        Assert.Equal(1, Predictions("success"));
        Assert.Equal(1, Predictions("error"));

        PrometheusSample errors = Assert.Single(metrics, s => s.Name == "ml_model_errors_total" && s.Has("model", "pricing"));
        Assert.Equal("System.ArgumentOutOfRangeException", errors.Labels["exception_type"]);
        Assert.Equal(1, errors.Value);

        // A failed prediction is timed too, under its own outcome, so that latency alerts can leave failures out.
        Assert.Equal(1, Assert.Single(metrics, s =>
            s.Name == "ml_model_prediction_duration_seconds_bucket" && s.Has("model", "pricing") && s.Has("outcome", "success") && s.Has("le", "+Inf")).Value);
        Assert.Equal(1, Assert.Single(metrics, s =>
            s.Name == "ml_model_prediction_duration_seconds_bucket" && s.Has("model", "pricing") && s.Has("outcome", "error") && s.Has("le", "+Inf")).Value);
    }

    [Fact]
    public async Task A_request_with_missing_fields_is_a_400_problem_and_never_reaches_the_model()
    {
        await using PricingServiceProcess service = await PricingServiceProcess.StartAsync();

        using HttpResponseMessage response = await service.Client.PostAsJsonAsync("predict", new { area = 80, rooms = 3 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());

        IReadOnlyList<PrometheusSample> metrics = await ScrapeAsync(service);
        Assert.All(
            metrics.Where(s => s.Name == "ml_model_predictions_total" && s.Has("model", "pricing")),
            s => Assert.Equal(0, s.Value));
    }

    [Fact]
    public async Task Health_and_the_model_catalog_are_json_and_never_show_a_sensitive_value()
    {
        await using PricingServiceProcess service = await PricingServiceProcess.StartAsync();
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage response = await service.Client.PostAsJsonAsync("predict", Request());
            response.EnsureSuccessStatusCode();
        }

        using HttpResponseMessage health = await service.Client.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("application/json", health.Content.Headers.ContentType?.MediaType);
        JsonElement report = await health.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        JsonElement check = report.GetProperty("entries").GetProperty("model_monitoring");
        Assert.Equal("Healthy", check.GetProperty("status").GetString());
        JsonElement data = check.GetProperty("data");
        Assert.True(data.GetProperty("models").GetProperty("pricing").GetProperty("loaded").GetBoolean());
        Assert.Equal(3, data.GetProperty("predictions").GetInt64());
        Assert.Equal(0, data.GetProperty("failures").GetInt64());

        using HttpResponseMessage catalogResponse = await service.Client.GetAsync("monitoring/models");
        Assert.Equal(HttpStatusCode.OK, catalogResponse.StatusCode);
        string catalogText = await catalogResponse.Content.ReadAsStringAsync();
        Assert.DoesNotContain(CustomerEmail, catalogText, StringComparison.OrdinalIgnoreCase);

        JsonElement pricing = Assert.Single(
            JsonDocument.Parse(catalogText).RootElement.GetProperty("models").EnumerateArray(),
            m => m.GetProperty("name").GetString() == "pricing");
        Assert.Equal("1.3.0", pricing.GetProperty("version").GetString());
        Assert.Equal("Juan Manoel", pricing.GetProperty("owner").GetString());
        Assert.Equal("mlops", pricing.GetProperty("squad").GetString());
        JsonElement method = Assert.Single(pricing.GetProperty("methods").EnumerateArray());
        Assert.Equal("Predict", method.GetProperty("name").GetString());
        var features = method.GetProperty("features").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal("Numerical", features["area"].GetProperty("kind").GetString());
        Assert.Equal("Categorical", features["region"].GetProperty("kind").GetString());
        Assert.True(features["customer_email"].GetProperty("sensitive").GetBoolean());
        Assert.False(features["area"].GetProperty("sensitive").GetBoolean());
        Assert.Contains("prediction.price", features.Keys);

        string metricsText = await service.Client.GetStringAsync("metrics");
        Assert.DoesNotContain(CustomerEmail, metricsText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(CustomerEmail, service.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_bad_setting_stops_the_service_at_start_up_naming_the_setting()
    {
        (int exitCode, string output) = await PricingServiceProcess.RunToExitAsync("--ModelMonitoring:WindowSize=0");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("ModelMonitoring:WindowSize must be at least 1 (was 0).", output);
    }

    [Fact]
    public async Task A_scrape_passes_promtool_check_metrics()
    {
        await using PricingServiceProcess service = await PricingServiceProcess.StartAsync();
        using (HttpResponseMessage ok = await service.Client.PostAsJsonAsync("predict", Request()))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (HttpResponseMessage failed = await service.Client.PostAsJsonAsync("predict", Request(energyRating: "Z")))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        }

        string scrape = await service.Client.GetStringAsync("metrics");
        Assert.Contains("ml_model_predictions_total", scrape, StringComparison.Ordinal);
        (int exitCode, string output) = await Promtool.CheckMetricsAsync(scrape);
        Assert.True(exitCode == 0 && output.Length == 0, "promtool check metrics rejected the scrape:\n" + output);
    }

    private static async Task<IReadOnlyList<PrometheusSample>> ScrapeAsync(PricingServiceProcess service)
    {
        using HttpResponseMessage response = await service.Client.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }

    private static object Request(double area = 80, string energyRating = "B") => new
    {
        area,
        rooms = 3,
        region = "North",
        isNew = true,
        yearBuilt = 2010,
        distanceToCenterKm = 5.5,
        floorLevel = 2,
        energyRating,
        channel = "web",
        customerEmail = CustomerEmail,
    };
}
