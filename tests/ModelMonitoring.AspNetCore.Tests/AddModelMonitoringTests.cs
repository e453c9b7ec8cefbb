using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using ModelMonitoring.Runtime;
using OpenTelemetry.Metrics;

namespace ModelMonitoring.AspNetCore.Tests;

/// <summary>
/// AddModelMonitoring and MapModelMonitoring in a host built here, on a real loopback socket. No monitored model
/// lives in this assembly, so these tests leave the process-wide monitors alone.
/// </summary>
[Collection(ProcessWideRuntimeCollection.Name)]
public sealed class AddModelMonitoringTests
{
    [Fact]
    public async Task A_bad_setting_fails_start_up_with_a_message_naming_it()
    {
        WebApplicationBuilder builder = NewBuilder(new Dictionary<string, string?>
        {
            ["ModelMonitoring:WindowSize"] = "0",
            ["ModelMonitoring:PredictionLogSampleRate"] = "2",
            ["ModelMonitoring:RangeTolerance"] = "-0.5",
        });
        builder.Services.AddModelMonitoring(builder.Configuration);
        await using WebApplication app = builder.Build();
        app.MapModelMonitoring();

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("ModelMonitoring:WindowSize must be at least 1 (was 0).", error.Message);
        Assert.Contains("ModelMonitoring:PredictionLogSampleRate must be between 0 and 1 (was 2).", error.Message);
        Assert.Contains("ModelMonitoring:RangeTolerance must be a share of the reference's range of 0 or more, such as 0.1 (was -0.5).", error.Message);
    }

    [Fact]
    public async Task The_range_tolerance_is_bound_from_configuration()
    {
        WebApplicationBuilder builder = NewBuilder(new Dictionary<string, string?> { ["ModelMonitoring:RangeTolerance"] = "0.25" });
        builder.Services.AddModelMonitoring(builder.Configuration);
        await using WebApplication app = builder.Build();

        Assert.Equal(0.25, app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ModelMonitoringOptions>>().Value.RangeTolerance);
    }

    [Fact]
    public async Task A_bad_setting_in_code_fails_start_up_too()
    {
        WebApplicationBuilder builder = NewBuilder([]);
        builder.Services.AddModelMonitoring(options => options.FlushInterval = TimeSpan.Zero);
        await using WebApplication app = builder.Build();

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("ModelMonitoring:FlushInterval", error.Message);
    }

    [Fact]
    public async Task The_applications_own_OpenTelemetry_setup_is_kept_and_a_second_call_is_harmless()
    {
        using var meter = new Meter("PricingService.Tests.Own");
        Counter<long> own = meter.CreateCounter<long>("own.requests");

        WebApplicationBuilder builder = NewBuilder(new Dictionary<string, string?> { ["ModelMonitoring:WindowSize"] = "500" });
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(meter.Name));
        builder.Services.AddModelMonitoring(builder.Configuration);
        builder.Services.AddModelMonitoring(builder.Configuration);
        await using WebApplication app = builder.Build();
        app.MapModelMonitoring(paths => paths.ModelsPath = null);
        await app.StartAsync();

        own.Add(7);
        using var client = new HttpClient { BaseAddress = ListeningAddress(app) };
        string metrics = await client.GetStringAsync("metrics");
        Assert.Contains(PrometheusText.Parse(metrics), s => s.Name == "own_requests_total" && s.Value == 7);
        Assert.Equal(500, app.Services.GetRequiredService<ModelMonitoringRuntime>().Options.WindowSize);

        using HttpResponseMessage health = await client.GetAsync("health");
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        using HttpResponseMessage models = await client.GetAsync("monitoring/models");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, models.StatusCode);

        await app.StopAsync();
    }

    [Fact]
    public async Task The_host_owns_its_runtime_with_its_clock_and_logger_and_lets_it_go_on_stop()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var logs = new FakeLogCollector();
        WebApplicationBuilder builder = NewBuilder([]);
        builder.Logging.AddProvider(new FakeLoggerProvider(logs));
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddModelMonitoring();
        await using WebApplication app = builder.Build();
        await app.StartAsync();

        var runtime = app.Services.GetRequiredService<ModelMonitoringRuntime>();
        Assert.Same(clock, runtime.TimeProvider);
        Assert.Same(runtime, ModelMonitoringRuntime.Current); // outside any request, calls record into the host's runtime

        // A failed call logs at Error through the host's logging.
        PredictionMonitor method = ModelRegistry.Register(new ModelDescriptor("host-logged", "1.0", null, null, "Tests.HostLogged", [
            new MethodDescriptor("Predict", "M:Tests.HostLogged.Predict", isBatch: false, isAsync: false, []),
        ])).Methods[0];
        FeatureRow row = method.BeginFailedRow(System.Diagnostics.Stopwatch.GetTimestamp(), new TimeoutException("slow"), default);
        row.Commit();
        Assert.Contains(logs.GetSnapshot(), r => r.Category == "ModelMonitoring" && r.Level == Microsoft.Extensions.Logging.LogLevel.Error && r.Message.Contains("host-logged", StringComparison.Ordinal));
        Assert.Equal(1, runtime.For("host-logged").GetPredictionCounts().Errors);

        await app.StopAsync();

        Assert.NotSame(runtime, ModelMonitoringRuntime.Current);
    }

    [Fact]
    public async Task Two_hosts_in_one_process_do_not_see_each_others_state()
    {
        PredictionMonitor method = ModelRegistry.Register(new ModelDescriptor("two-hosts", "1.0", null, null, "Tests.TwoHosts", [
            new MethodDescriptor("Predict", "M:Tests.TwoHosts.Predict", isBatch: false, isAsync: false, []),
        ])).Methods[0];
        await using WebApplication first = await StartRecordingHost(method, windowSize: 10);
        await using WebApplication second = await StartRecordingHost(method, windowSize: 20);
        using var firstClient = new HttpClient { BaseAddress = ListeningAddress(first) };
        using var secondClient = new HttpClient { BaseAddress = ListeningAddress(second) };

        for (int i = 0; i < 3; i++)
        {
            (await firstClient.PostAsync("record", null)).EnsureSuccessStatusCode();
        }

        for (int i = 0; i < 5; i++)
        {
            (await secondClient.PostAsync("record", null)).EnsureSuccessStatusCode();
        }

        var firstRuntime = first.Services.GetRequiredService<ModelMonitoringRuntime>();
        var secondRuntime = second.Services.GetRequiredService<ModelMonitoringRuntime>();
        Assert.NotSame(firstRuntime, secondRuntime);
        Assert.Equal(3, firstRuntime.For("two-hosts").GetPredictionCounts().Successes);
        Assert.Equal(5, secondRuntime.For("two-hosts").GetPredictionCounts().Successes);
        Assert.Equal((10, 20), (firstRuntime.Options.WindowSize, secondRuntime.Options.WindowSize));

        await first.StopAsync();
        await second.StopAsync();
    }

    [Fact]
    public async Task Reloaded_options_reach_the_running_runtime_and_bad_ones_are_rejected()
    {
        WebApplicationBuilder builder = NewBuilder(new Dictionary<string, string?> { ["ModelMonitoring:WindowSize"] = "500" });
        builder.Services.AddModelMonitoring(builder.Configuration);
        await using WebApplication app = builder.Build();
        await app.StartAsync();
        var runtime = app.Services.GetRequiredService<ModelMonitoringRuntime>();
        var configuration = (IConfigurationRoot)app.Configuration;

        app.Configuration["ModelMonitoring:WindowSize"] = "7";
        configuration.Reload();
        Assert.Equal(7, runtime.Options.WindowSize);

        // Invalid: the options validator rejects the reload, naming the setting, and the runtime keeps the previous options.
        app.Configuration["ModelMonitoring:WindowSize"] = "0";
        Exception error = Assert.ThrowsAny<Exception>(configuration.Reload);
        Assert.Contains("ModelMonitoring:WindowSize must be at least 1", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(7, runtime.Options.WindowSize);

        await app.StopAsync();
    }

    private static async Task<WebApplication> StartRecordingHost(PredictionMonitor method, int windowSize)
    {
        WebApplicationBuilder builder = NewBuilder(new Dictionary<string, string?> { ["ModelMonitoring:WindowSize"] = windowSize.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        builder.Services.AddModelMonitoring(builder.Configuration);
        WebApplication app = builder.Build();

        // What a generated wrapper does for one successful call: the row goes to the runtime current for the request.
        app.MapPost("/record", () => method.BeginRow(System.Diagnostics.Stopwatch.GetTimestamp(), default(ActivityScope)).Commit());
        await app.StartAsync();
        return app;
    }

    [Fact]
    public async Task Conventions_added_to_the_returned_builder_apply_to_every_endpoint()
    {
        WebApplicationBuilder builder = NewBuilder([]);
        builder.Services.AddModelMonitoring();
        await using WebApplication app = builder.Build();
        app.MapModelMonitoring(paths => paths.MetricsPath = "/internal/metrics").RequireHost("monitoring.internal");
        await app.StartAsync();

        using var client = new HttpClient { BaseAddress = ListeningAddress(app) };
        foreach (string path in new[] { "internal/metrics", "health", "monitoring/models" })
        {
            using HttpResponseMessage elsewhere = await client.GetAsync(path);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, elsewhere.StatusCode);

            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Host = "monitoring.internal";
            using HttpResponseMessage allowed = await client.SendAsync(request);
            Assert.Equal(System.Net.HttpStatusCode.OK, allowed.StatusCode);
        }

        await app.StopAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Predictions_are_traced_only_when_the_application_sets_tracing_up(bool applicationTraces)
    {
        // An activity source with the same name as the runtime's: a tracer provider that adds the source listens to both.
        using var source = new System.Diagnostics.ActivitySource(ModelMonitoringInstruments.SourceName);
        WebApplicationBuilder builder = NewBuilder([]);
        builder.Services.AddModelMonitoring();
        if (applicationTraces)
        {
            builder.Services.AddOpenTelemetry().WithTracing(_ => { });
        }

        await using WebApplication app = builder.Build();
        await app.StartAsync();

        Assert.Equal(applicationTraces, source.HasListeners());

        await app.StopAsync();
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

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

/// <summary>
/// Tests that assert which runtime is the process's activated one (<see cref="ModelMonitoringRuntime.Current"/> outside
/// a request): every host that starts activates its own, so these run alone, never beside another test's host.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideRuntimeCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Process-wide runtime";
}
