using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace ModelMonitoring.Datadog.Tests;

[MonitoredModel("dd-pricing", Owner = "Juan Manoel", Squad = "mlops", Version = "1.3.0")]
internal sealed class DatadogPricingModel
{
}

internal sealed record Quote(double Area, [property: Sensitive] string CustomerEmail);

/// <summary>
/// The Datadog log intake, against a local receiver: the exact format, gzip and headers, batch limits, retries after
/// 500 and 429, a receiver that is down, a rejected key, and an API key that never shows anywhere.
/// </summary>
public sealed class DatadogLogsTests
{
    private const string ApiKey = "dd-test-key-0123456789abcdef";

    [Fact]
    public async Task Entries_reach_the_intake_gzipped_with_the_key_header_and_every_field()
    {
        await using DatadogReceiver receiver = await DatadogReceiver.StartAsync();
        var logs = new FakeLogCollector();
        await using WebApplication app = await StartHostAsync(receiver.LogsUrl, logs);

        app.Services.GetRequiredService<ModelLogger<DatadogPricingModel>>().Warning("Area out of range", new Quote(9_000, "jane.doe@example.com"));
        app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Billing").LogInformation("Invoice {InvoiceId} sent", 42);
        await receiver.WaitUntilAsync(r => r.Accepted.Any(e => Message(e) == "Area out of range") && r.Accepted.Any(e => Message(e) == "Invoice 42 sent"));

        ReceivedRequest request = receiver.Requests.First(r => r.Entries.Any(e => Message(e) == "Area out of range"));
        Assert.Equal(ApiKey, request.Headers["DD-API-KEY"]);
        Assert.Equal("gzip", request.Headers["Content-Encoding"]);
        Assert.Equal("application/json", request.Headers["Content-Type"]);
        Assert.True(request.CompressedBytes < request.PayloadBytes);

        JsonElement model = receiver.Accepted.Single(e => Message(e) == "Area out of range");
        Assert.Equal("csharp", model.GetProperty("ddsource").GetString());
        Assert.Equal("env:production,model:dd-pricing,model_owner:juan_manoel,squad:mlops,model_version:1.3.0", model.GetProperty("ddtags").GetString());
        Assert.Equal("test-host", model.GetProperty("hostname").GetString());
        Assert.Equal("pricing-service", model.GetProperty("service").GetString());
        Assert.Equal("warning", model.GetProperty("status").GetString());
        Assert.Equal("Juan Manoel", model.GetProperty("model_owner").GetString());
        Assert.Equal("ModelMonitoring.Model.dd-pricing", model.GetProperty("logger").GetProperty("name").GetString());
        Assert.Equal(9_000, model.GetProperty("data").GetProperty("area").GetDouble());
        Assert.Equal("[redacted]", model.GetProperty("data").GetProperty("customer_email").GetString());
        Assert.True(model.GetProperty("timestamp").GetInt64() > 1_700_000_000_000);

        JsonElement plain = receiver.Accepted.Single(e => Message(e) == "Invoice 42 sent");
        Assert.Equal("info", plain.GetProperty("status").GetString());
        Assert.Equal("env:production", plain.GetProperty("ddtags").GetString());
        Assert.Equal(42, plain.GetProperty("InvoiceId").GetInt32());
        Assert.DoesNotContain(receiver.Requests, r => r.Entries.Any(e => e.GetRawText().Contains("jane.doe", StringComparison.Ordinal)));
        await AssertKeyNowhereAsync(app, logs);
        await app.StopAsync();
    }

    [Fact]
    public async Task Requests_hold_at_most_1000_entries_and_5_MB_and_an_entry_is_cut_to_1_MB()
    {
        await using DatadogReceiver receiver = await DatadogReceiver.StartAsync();
        await using WebApplication app = await StartHostAsync(receiver.LogsUrl, new FakeLogCollector(), start: false);
        ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Batch");
        for (int i = 0; i < 2_500; i++)
        {
            logger.LogInformation("small {Index}", i); // buffered until the host starts
        }

        string large = new('x', 600 * 1024);
        for (int i = 0; i < 12; i++)
        {
            logger.LogInformation("large {Index} {Text}", i, large);
        }

        logger.LogInformation("huge {Text}", new string('y', 3 * 1024 * 1024));
        await app.StartAsync();
        await receiver.WaitUntilAsync(r => r.Accepted.Count(e => Message(e).StartsWith("small ", StringComparison.Ordinal)) == 2_500
            && r.Accepted.Count(e => Message(e).StartsWith("large ", StringComparison.Ordinal)) == 12
            && r.Accepted.Any(e => Message(e).StartsWith("huge ", StringComparison.Ordinal)));

        Assert.All(receiver.Requests, r => Assert.True(r.Entries.Count <= 1_000, $"{r.Entries.Count} entries in one request"));
        Assert.All(receiver.Requests, r => Assert.True(r.PayloadBytes <= 5 * 1024 * 1024, $"{r.PayloadBytes} bytes in one request"));
        Assert.Contains(receiver.Requests, r => r.Entries.Count == 1_000);
        Assert.True(receiver.Requests.Count(r => r.Entries.Any(e => Message(e).StartsWith("large ", StringComparison.Ordinal))) >= 2, "twelve 600 KB entries need at least two requests");

        JsonElement huge = receiver.Accepted.Single(e => Message(e).StartsWith("huge ", StringComparison.Ordinal));
        Assert.True(Encoding.UTF8.GetByteCount(huge.GetRawText()) <= 1024 * 1024);
        Assert.True(huge.GetProperty("truncated").GetBoolean());
        Assert.True(Message(huge).Length > 900_000, "the start of the message is kept");
        await app.StopAsync();
    }

    [Theory]
    [InlineData(500)]
    [InlineData(429)]
    public async Task A_500_or_a_429_is_retried_and_the_entries_arrive_once(int status)
    {
        await using DatadogReceiver receiver = await DatadogReceiver.StartAsync(0, status);
        await using WebApplication app = await StartHostAsync(receiver.LogsUrl, new FakeLogCollector(), start: false);
        app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Retry").LogWarning("retry me");
        await app.StartAsync();
        await receiver.WaitUntilAsync(r => r.Accepted.Any(e => Message(e) == "retry me"));

        Assert.Equal(status, receiver.Requests[0].Status);
        Assert.Contains(receiver.Requests[0].Entries, e => Message(e) == "retry me");
        Assert.Single(receiver.Accepted, e => Message(e) == "retry me");
        var shipper = app.Services.GetRequiredService<DatadogLogShipper>();
        Assert.Equal(0, shipper.Status.Dropped);
        await app.StopAsync();
    }

    [Fact]
    public async Task While_the_intake_is_down_entries_wait_in_a_bounded_buffer_drops_are_counted_and_delivery_resumes()
    {
        int port = DatadogReceiver.FreePort(); // nobody listens there yet
        var logs = new FakeLogCollector();
        await using WebApplication app = await StartHostAsync($"http://127.0.0.1:{port}/api/v2/logs", logs, configure: o =>
        {
            o.BufferCapacity = 20;
            o.BatchSize = 10;
            o.MaxRetries = 1;
            o.UnavailableDelay = TimeSpan.FromMilliseconds(300);
        });
        var shipper = app.Services.GetRequiredService<DatadogLogShipper>();
        using var dropped = new MetricCollector<long>(app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), DatadogLogShipper.MeterName, "ml.datadog.logs.dropped");
        ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Down");
        // The start-up entries failed once (counted, then logged): the sender now waits.
        await WaitUntilAsync(() => shipper.Requests >= 1 && logs.GetSnapshot().Any(r => r.Level == LogLevel.Warning && r.Message.Contains("unreachable after retries", StringComparison.Ordinal)));
        for (int i = 0; i < 60; i++)
        {
            logger.LogWarning("while down {Index}", i); // never waits
        }

        MonitoringSinkStatus status = shipper.Status;
        Assert.True(status.Dropped >= 30, $"dropped {status.Dropped}");
        Assert.True(status.Pending <= 30, $"pending {status.Pending}: the buffer (20) and one batch (10) at most");
        Assert.Equal(0, status.Delivered);
        dropped.RecordObservableInstruments();
        Assert.Equal(status.Dropped, dropped.GetMeasurementSnapshot().Where(m => m.Tags["reason"] as string == "buffer_full").Select(m => m.Value).LastOrDefault());
        Assert.Contains(logs.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("unreachable after retries", StringComparison.Ordinal));

        using var client = new HttpClient { BaseAddress = ListeningAddress(app) };
        string health = await client.GetStringAsync("health");
        Assert.Contains("datadog_logs dropped", health, StringComparison.Ordinal);
        Assert.Contains("\"status\": \"Degraded\"", health, StringComparison.Ordinal);

        // The intake comes back: what waited is delivered.
        long waiting = shipper.Status.Pending;
        await using DatadogReceiver receiver = await DatadogReceiver.StartAsync(port);
        await receiver.WaitUntilAsync(_ => shipper.Status.Pending == 0);
        Assert.True(shipper.Status.Delivered >= waiting);
        Assert.Contains(receiver.Accepted, e => Message(e).StartsWith("while down ", StringComparison.Ordinal));
        await AssertKeyNowhereAsync(app, logs);
        await app.StopAsync();
    }

    [Fact]
    public async Task A_rejected_key_drops_the_batch_and_says_so_without_the_key()
    {
        await using DatadogReceiver receiver = await DatadogReceiver.StartAsync(0, 403);
        var logs = new FakeLogCollector();
        await using WebApplication app = await StartHostAsync(receiver.LogsUrl, logs, start: false);
        app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Rejected").LogWarning("rejected entry");
        await app.StartAsync();
        var shipper = app.Services.GetRequiredService<DatadogLogShipper>();
        static bool IsShipperWarning(FakeLogRecord r) => r.Category!.StartsWith("ModelMonitoring.Datadog", StringComparison.Ordinal) && r.Level == LogLevel.Warning;
        await WaitUntilAsync(() => shipper.Status.Dropped >= 1 && logs.GetSnapshot().Any(IsShipperWarning)); // counted, then logged

        FakeLogRecord warning = Assert.Single(logs.GetSnapshot(), r => r.Category!.StartsWith("ModelMonitoring.Datadog", StringComparison.Ordinal) && r.Level == LogLevel.Warning);
        Assert.Contains("HTTP 403", warning.Message, StringComparison.Ordinal);
        Assert.Contains("is DD_API_KEY valid", warning.Message, StringComparison.Ordinal);
        Assert.Equal(1, receiver.Requests.Count(r => r.Entries.Any(e => Message(e) == "rejected entry"))); // not retried
        await AssertKeyNowhereAsync(app, logs);
        await app.StopAsync();
    }

    [Fact]
    public async Task Without_an_API_key_nothing_is_sent_or_buffered()
    {
        await using DatadogReceiver receiver = await DatadogReceiver.StartAsync();
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ModelMonitoring:Datadog:LogsUrl"] = receiver.LogsUrl });
        builder.Services.AddModelMonitoring(builder.Configuration).AddDatadogLogs();
        await using WebApplication app = builder.Build();
        await app.StartAsync();
        app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("NoKey").LogWarning("nowhere");
        await Task.Delay(300);

        Assert.Empty(receiver.Requests);
        Assert.Equal(new MonitoringSinkStatus(0, 0, 0, null), app.Services.GetRequiredService<DatadogLogShipper>().Status);
        Assert.Contains("api key not set", app.Services.GetRequiredService<IOptions<DatadogOptions>>().Value.ToString(), StringComparison.Ordinal);
        await app.StopAsync();
    }

    [Fact]
    public void The_settings_come_from_the_Datadog_variables_and_the_intake_url_from_the_site()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DD_API_KEY"] = ApiKey,
            ["DD_SITE"] = "us5.datadoghq.com",
            ["DD_SERVICE"] = "from-dd-service",
            ["ENV"] = "staging",
        }).Build();
        var options = new DatadogOptions();
        new DatadogOptionsSetup(configuration, null).Configure(options);

        Assert.Equal(ApiKey, options.ApiKey);
        Assert.Equal(new Uri("https://http-intake.logs.us5.datadoghq.com/api/v2/logs"), options.IntakeUrl);
        Assert.Equal("from-dd-service", options.Service);
        Assert.Equal("staging", options.Env);
        Assert.DoesNotContain(ApiKey, options.ToString(), StringComparison.Ordinal);
        Assert.Equal("a_b_c", DatadogLogEntry.NormalizeTagValue("A B\tC"));
    }

    private static string Message(JsonElement entry) => entry.GetProperty("message").GetString() ?? string.Empty;

    private static async Task<WebApplication> StartHostAsync(string logsUrl, FakeLogCollector logs, bool start = true, Action<DatadogOptions>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.AddProvider(new FakeLoggerProvider(logs));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ModelMonitoring:ServiceName"] = "pricing-service",
            ["ModelMonitoring:Environment"] = "production",
            ["ModelMonitoring:Datadog:ApiKey"] = ApiKey,
            ["ModelMonitoring:Datadog:LogsUrl"] = logsUrl,
            ["ModelMonitoring:Datadog:Hostname"] = "test-host",
            ["ModelMonitoring:Datadog:BatchDelay"] = "00:00:00.050",
            ["ModelMonitoring:Datadog:RetryDelay"] = "00:00:00.010",
        });
        builder.Services.AddModelMonitoring(builder.Configuration).AddDatadogLogs(configure);
        WebApplication app = builder.Build();
        app.MapModelMonitoring();
        if (start)
        {
            await app.StartAsync();
        }

        return app;
    }

    /// <summary>The key is in no log entry, no exception, no page of the host.</summary>
    private static async Task AssertKeyNowhereAsync(WebApplication app, FakeLogCollector logs)
    {
        foreach (FakeLogRecord record in logs.GetSnapshot())
        {
            Assert.DoesNotContain(ApiKey, record.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(ApiKey, record.Exception?.ToString() ?? string.Empty, StringComparison.Ordinal);
            Assert.DoesNotContain(record.StructuredState ?? [], p => p.Value?.Contains(ApiKey, StringComparison.Ordinal) == true);
        }

        using var client = new HttpClient { BaseAddress = ListeningAddress(app) };
        foreach (string page in new[] { "health", "health/ready", "monitoring/models", "metrics" })
        {
            Assert.DoesNotContain(ApiKey, await client.GetStringAsync(page), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(ApiKey, app.Services.GetRequiredService<DatadogLogShipper>().Status.ToString(), StringComparison.Ordinal);
    }

    private static async Task WaitUntilAsync(Func<bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!done())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    private static Uri ListeningAddress(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First() + "/");
}
