using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ModelMonitoring.Runtime;

namespace ModelMonitoring.AspNetCore.Tests;

/// <summary>
/// The operational side in a host: OTLP to a local endpoint (UseDatadogAgent and the SDK's variables), runtime and
/// process metrics at /metrics, the capture writing the sample's predictions, model log lines, and health.
/// </summary>
public sealed class OperationsTests
{
    private const string CustomerEmail = "jane.doe@example.com";

    [Fact]
    public async Task UseDatadogAgent_exports_the_models_metrics_over_OTLP_with_delta_temporality_and_the_service_identity()
    {
        await using OtlpReceiver receiver = await OtlpReceiver.StartAsync();
        WebApplicationBuilder builder = NewBuilder(new Dictionary<string, string?>
        {
            ["ModelMonitoring:ServiceName"] = "otlp-test-service",
            ["ModelMonitoring:Environment"] = "test-env",
            ["ModelMonitoring:ServiceVersion"] = "4.5.6",
        });
        builder.Services.AddModelMonitoring(builder.Configuration).UseDatadogAgent(agent =>
        {
            agent.Endpoint = receiver.BaseAddress;
            agent.ExportInterval = TimeSpan.FromMilliseconds(200);
        });
        await using WebApplication app = builder.Build();
        await app.StartAsync();

        PredictionMonitor method = Register("otlp-model");
        var runtime = app.Services.GetRequiredService<ModelMonitoringRuntime>();
        using (runtime.BeginScope())
        {
            for (int i = 0; i < 3; i++)
            {
                Record(method, i);
            }
        }

        OtlpMetric predictions = await receiver.WaitForAsync(m => m.Name == "ml.model.predictions"
            && m.Points.Any(p => Equals(p.Attributes.GetValueOrDefault("model"), "otlp-model") && Equals(p.Attributes.GetValueOrDefault("outcome"), "success") && p.Value == 3));
        OtlpPoint success = predictions.Points.Single(p => Equals(p.Attributes["model"], "otlp-model") && Equals(p.Attributes["outcome"], "success"));
        Assert.Equal("1.0", success.Attributes["model_version"]);
        Assert.Equal("Predict", success.Attributes["method"]);
        Assert.Equal(1, predictions.Temporality); // AGGREGATION_TEMPORALITY_DELTA, as Datadog recommends
        Assert.Equal("sum", predictions.Kind);
        Assert.Equal("ModelMonitoring", predictions.Scope);
        Assert.Equal("otlp-test-service", predictions.Resource["service.name"]);
        Assert.Equal("test-env", predictions.Resource["deployment.environment"]);
        Assert.Equal("4.5.6", predictions.Resource["service.version"]);

        OtlpMetric duration = await receiver.WaitForAsync(m => m.Name == "ml.model.prediction.duration" && m.Points.Any(p => Equals(p.Attributes.GetValueOrDefault("model"), "otlp-model") && p.Count == 3));
        Assert.Equal("histogram", duration.Kind);
        Assert.Contains(receiver.Metrics, m => m.Name == "process.cpu.time");
        Assert.Contains(receiver.Metrics, m => m.Name.StartsWith("dotnet.gc.", StringComparison.Ordinal));
        await app.StopAsync();
    }

    [Fact]
    public async Task PricingService_exports_over_OTLP_when_the_SDK_variables_are_set_and_names_itself()
    {
        await using OtlpReceiver receiver = await OtlpReceiver.StartAsync();
        await using PricingServiceProcess service = await PricingServiceProcess.StartAsync(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.BaseAddress.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "300",
            ["ENV"] = "ci",
        });
        for (int i = 0; i < 2; i++)
        {
            using HttpResponseMessage response = await service.Client.PostAsJsonAsync("predict", Request());
            response.EnsureSuccessStatusCode();
        }

        OtlpMetric predictions = await receiver.WaitForAsync(m => m.Name == "ml.model.predictions"
            && m.Points.Any(p => Equals(p.Attributes.GetValueOrDefault("model"), "pricing") && Equals(p.Attributes.GetValueOrDefault("outcome"), "success") && p.Value == 2));
        Assert.Equal(2, predictions.Temporality); // the SDK's default: cumulative
        Assert.Equal("pricing-service", predictions.Resource["service.name"]);
        Assert.Equal("ci", predictions.Resource["deployment.environment"]);
        Assert.Equal("1.3.0", predictions.Points.First(p => Equals(p.Attributes.GetValueOrDefault("model"), "pricing")).Attributes["model_version"]);
    }

    [Fact]
    public async Task Metrics_show_the_service_name_the_runtime_and_process_and_the_capture_which_writes_every_prediction()
    {
        string folder = Path.Combine(Path.GetTempPath(), "mm-pricing-capture-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using PricingServiceProcess service = await PricingServiceProcess.StartAsync(
                "--ModelMonitoring:Capture:Enabled=true", "--ModelMonitoring:Capture:Directory=" + folder);
            for (int i = 0; i < 4; i++)
            {
                using HttpResponseMessage response = await service.Client.PostAsJsonAsync("predict", Request(area: 60 + i));
                response.EnsureSuccessStatusCode();
            }

            IReadOnlyList<PrometheusSample> metrics = [];
            for (int attempt = 0; attempt < 100; attempt++)
            {
                metrics = await ScrapeAsync(service);
                if (metrics.Any(s => s.Name == "ml_capture_records_total" && s.Has("model", "pricing") && s.Value == 4))
                {
                    break;
                }

                await Task.Delay(100);
            }

            Assert.Equal(4, Assert.Single(metrics, s => s.Name == "ml_capture_records_total" && s.Has("model", "pricing")).Value);
            Assert.Equal(0, Assert.Single(metrics, s => s.Name == "ml_capture_dropped_total" && s.Has("model", "pricing") && s.Has("reason", "buffer_full")).Value);
            Assert.True(Assert.Single(metrics, s => s.Name == "ml_capture_disk_free_bytes").Value > 0);
            Assert.Contains(metrics, s => s.Name == "target_info" && s.Has("service_name", "pricing-service"));
            Assert.Contains(metrics, s => s.Name == "process_cpu_time_seconds_total");
            Assert.Contains(metrics, s => s.Name == "process_memory_usage_bytes");
            Assert.Contains(metrics, s => s.Name == "process_threads");
            Assert.Contains(metrics, s => s.Name.StartsWith("dotnet_gc_", StringComparison.Ordinal));
            Assert.Contains(metrics, s => s.Name.StartsWith("dotnet_thread_pool_", StringComparison.Ordinal));

            string[] lines = Directory.GetFiles(Path.Combine(folder, "pricing"), "*.jsonl").SelectMany(File.ReadAllLines).ToArray();
            Assert.Equal(4, lines.Length);
            JsonElement first = JsonDocument.Parse(lines[0]).RootElement;
            Assert.Equal("pricing", first.GetProperty("model").GetString());
            Assert.Equal("1.3.0", first.GetProperty("model_version").GetString());
            Assert.Equal(60, first.GetProperty("features").GetProperty("area").GetDouble());
            Assert.Equal("North", first.GetProperty("features").GetProperty("region").GetString());
            Assert.True(first.GetProperty("prediction").GetProperty("prediction.price").GetDouble() > 0);
            Assert.False(first.GetProperty("features").TryGetProperty("customer_email", out _));
            Assert.DoesNotContain(CustomerEmail, string.Join('\n', lines), StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public async Task The_models_own_log_is_a_JSON_line_with_owner_and_squad_and_no_personal_value()
    {
        await using PricingServiceProcess service = await PricingServiceProcess.StartAsync(new Dictionary<string, string> { ["ENV"] = "production" });
        using HttpResponseMessage response = await service.Client.PostAsJsonAsync("predict", Request(energyRating: "Z"));
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);

        string? line = null;
        for (int attempt = 0; attempt < 100 && line is null; attempt++)
        {
            line = service.Output.Split('\n').FirstOrDefault(l => l.StartsWith("{\"timestamp\"", StringComparison.Ordinal) && l.Contains("Energy rating", StringComparison.Ordinal));
            await Task.Delay(line is null ? 100 : 0);
        }

        Assert.NotNull(line);
        JsonElement entry = JsonDocument.Parse(line).RootElement;
        Assert.Equal("warning", entry.GetProperty("level").GetString());
        Assert.Equal("Energy rating not known to the model", entry.GetProperty("message").GetString());
        Assert.Equal("pricing", entry.GetProperty("model").GetString());
        Assert.Equal("Juan Manoel", entry.GetProperty("model_owner").GetString());
        Assert.Equal("mlops", entry.GetProperty("squad").GetString());
        Assert.Equal("1.3.0", entry.GetProperty("model_version").GetString());
        Assert.Equal("production", entry.GetProperty("env").GetString());
        Assert.Equal("pricing-service", entry.GetProperty("service").GetString());
        Assert.Equal("Z", entry.GetProperty("data").GetProperty("energy_rating").GetString());
        Assert.Equal("[redacted]", entry.GetProperty("data").GetProperty("customer_email").GetString());
        Assert.DoesNotContain(CustomerEmail, service.Output, StringComparison.Ordinal);

        // The console provider's text format does not repeat the entry.
        Assert.DoesNotContain("ModelMonitoring.Model.pricing[1000]", service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_reports_each_model_and_live_and_ready_follow_the_Kubernetes_split()
    {
        WebApplicationBuilder builder = NewBuilder([]);
        builder.Services.AddModelMonitoring(builder.Configuration);
        await using WebApplication app = builder.Build();
        app.MapModelMonitoring();
        var ready = app.Services.GetRequiredService<ModelMonitoringReadinessCheck>();
        Assert.Equal(HealthStatus.Unhealthy, (await ready.CheckHealthAsync(new HealthCheckContext())).Status); // not started yet
        await app.StartAsync();

        PredictionMonitor method = Register("health-model", trainedAt: "2026-11-20");
        using (app.Services.GetRequiredService<ModelMonitoringRuntime>().BeginScope())
        {
            Record(method, 1);
            Record(method, 2);
        }

        using var client = new HttpClient { BaseAddress = ListeningAddress(app) };
        using HttpResponseMessage response = await client.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        Assert.Matches(@"^\d\d:\d\d:\d\d(\.\d+)?$", report.GetProperty("totalDuration").GetString());
        JsonElement check = report.GetProperty("entries").GetProperty("model_monitoring");
        Assert.Equal(["model_monitoring"], check.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray());
        JsonElement model = check.GetProperty("data").GetProperty("models").GetProperty("health-model");
        Assert.True(model.GetProperty("loaded").GetBoolean());
        Assert.Equal("2026-11-20", model.GetProperty("trained_at").GetString());
        Assert.Equal(2, model.GetProperty("predictions").GetInt64());
        Assert.Equal(0, model.GetProperty("windows").GetInt64());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", model.GetProperty("last_prediction").GetString());
        Assert.Equal(JsonValueKind.Null, model.GetProperty("last_drift").ValueKind);
        Assert.Equal(0, check.GetProperty("data").GetProperty("sinks").GetProperty("capture").GetProperty("dropped").GetInt64());

        using HttpResponseMessage live = await client.GetAsync("health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Empty((await live.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entries").EnumerateObject());
        using HttpResponseMessage readiness = await client.GetAsync("health/ready");
        Assert.Equal(HttpStatusCode.OK, readiness.StatusCode);
        JsonElement readyEntries = (await readiness.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entries");
        Assert.Equal(["model_monitoring_ready"], readyEntries.EnumerateObject().Select(e => e.Name).ToArray());

        await app.StopAsync();
        Assert.Equal(HealthStatus.Unhealthy, (await ready.CheckHealthAsync(new HealthCheckContext())).Status); // stopping: no traffic
    }

    [Fact]
    public async Task A_model_failing_above_the_threshold_makes_health_unhealthy_and_a_drift_makes_it_degraded()
    {
        var tracker = new ModelActivityTracker();
        using var runtime = new ModelMonitoringRuntime(new ModelMonitoringOptions { WindowSize = 200 }, rowConsumers: [tracker]);
        var check = new ModelMonitoringHealthCheck(runtime, tracker, [], new ModelMonitoringHealthOptions { ErrorRateThreshold = 0.5, MinimumCalls = 20 });
        PredictionMonitor failing = Register("health-failing");
        PredictionMonitor drifting = Register("health-drifting");
        using (runtime.BeginScope())
        {
            for (int i = 0; i < 30; i++)
            {
                if (i % 3 == 0)
                {
                    Record(failing, i);
                }
                else
                {
                    FeatureRow row = failing.BeginFailedRow(Stopwatch.GetTimestamp(), new InvalidOperationException("model bug"), default);
                    row.Commit();
                }
            }
        }

        HealthCheckResult unhealthy = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, unhealthy.Status);
        Assert.Contains("Model health-failing failed 20 of its last 30 calls (67%, threshold 50%)", unhealthy.Description, StringComparison.Ordinal);
        var failingData = (IReadOnlyDictionary<string, object?>)((IReadOnlyDictionary<string, object?>)unhealthy.Data["models"])["health-failing"]!;
        Assert.Equal(20.0 / 30, (double)failingData["error_rate"]!, 9);

        // Two windows of 200 rows, the second shifted far away: its drift makes the check degraded, not unhealthy.
        using var degradedRuntime = new ModelMonitoringRuntime(new ModelMonitoringOptions { WindowSize = 200 }, rowConsumers: [tracker]);
        var degradedCheck = new ModelMonitoringHealthCheck(degradedRuntime, tracker);
        using (degradedRuntime.BeginScope())
        {
            for (int i = 0; i < 400; i++)
            {
                Record(drifting, i < 200 ? i % 50 : 1_000 + (i % 50));
            }
        }

        degradedRuntime.Flush();
        HealthCheckResult degraded = await degradedCheck.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains("Model health-drifting drifted (inputs", degraded.Description, StringComparison.Ordinal);
        var driftingData = (IReadOnlyDictionary<string, object?>)((IReadOnlyDictionary<string, object?>)degraded.Data["models"])["health-drifting"]!;
        Assert.Equal(2L, driftingData["windows"]);
        var lastDrift = (IReadOnlyDictionary<string, object?>)driftingData["last_drift"]!;
        Assert.Equal(true, lastDrift["drift"]);
        Assert.Contains("size", (string[])lastDrift["drifted_features"]!);
    }

    [Fact]
    public async Task A_capture_that_drops_records_makes_health_degraded_and_says_why()
    {
        using var capture = new InferenceCapture(new InferenceCaptureOptions { Enabled = true, Directory = "/sys/model-monitoring-health" });
        var tracker = new ModelActivityTracker();
        using var runtime = new ModelMonitoringRuntime(rowConsumers: [tracker, capture]);
        var check = new ModelMonitoringHealthCheck(runtime, tracker, [capture]);
        PredictionMonitor method = Register("health-capture");
        using (runtime.BeginScope())
        {
            Record(method, 1);
        }

        runtime.Flush();
        Assert.True(capture.Flush());
        HealthCheckResult result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("capture dropped 1 record(s) so far (permission:", result.Description, StringComparison.Ordinal);
        var sinks = (IReadOnlyDictionary<string, object?>)result.Data["sinks"];
        Assert.Equal(1L, ((IReadOnlyDictionary<string, object?>)sinks["capture"]!)["dropped"]);
    }

    private static PredictionMonitor Register(string name, string? trainedAt = null) =>
        ModelRegistry.Register(new ModelDescriptor(name, "1.0", "owner", "squad", "Tests." + name, [
            new MethodDescriptor("Predict", "M:Tests." + name, false, false, [
                new FeatureDescriptor("size", FeatureKind.Numerical, FeatureStorage.Number, 0, FeatureSource.Input, "double", false, 0, DriftMethod.Auto, double.NaN),
            ]),
        ], trainedAt)).Methods[0];

    private static void Record(PredictionMonitor method, double size)
    {
        FeatureRow row = method.BeginRow(Stopwatch.GetTimestamp(), default(ActivityScope));
        row.SetNumber(0, size);
        row.Commit();
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

    private static async Task<IReadOnlyList<PrometheusSample>> ScrapeAsync(PricingServiceProcess service)
    {
        using HttpResponseMessage response = await service.Client.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }

    private static WebApplicationBuilder NewBuilder(Dictionary<string, string?> settings)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        return builder;
    }

    private static Uri ListeningAddress(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First() + "/");
}
