using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry.Logs;

namespace ModelMonitoring.Tests;

[MonitoredModel("logged-pricing", Owner = "Juan Manoel", Squad = "mlops", Version = "1.3.0", TrainedAt = "2026-11-20")]
internal sealed class LoggedPricingModel
{
}

internal sealed class NotAModel
{
}

/// <summary>A quote as model code logs it: a positional record with a personal field, as users write them.</summary>
internal sealed record LoggedQuote(double Area, string Region, [property: Sensitive] string CustomerEmail, [Sensitive] string Phone, DateTimeOffset QuotedAt);

internal sealed class ThrowingGetter
{
    public int Fine => 1;

    public int Broken => throw new InvalidOperationException("getter bug");
}

/// <summary>The model logger: every entry carries the model's identity, sensitive values are redacted, it never throws.</summary>
public sealed class ModelLoggerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, 123, TimeSpan.Zero);

    [Fact]
    public void The_JSON_console_line_is_exactly_what_the_README_shows()
    {
        var output = new StringWriter();
        using var console = new ModelJsonConsoleLoggerProvider(output);
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(console));
        using var test = new TestRuntime(new ModelMonitoringOptions { Environment = "production", ServiceName = "pricing-service" }, new FakeTimeProvider(Now), loggerFactory);

        ModelLogger.For<LoggedPricingModel>().Info("Quote computed", new LoggedQuote(91.5, "North", "jane.doe@example.com", "+33 6 12 34 56 78", Now));
        Assert.True(console.Flush(TimeSpan.FromSeconds(10)));

        Assert.Equal(
            """{"timestamp":"2026-12-01T10:00:00.123Z","level":"info","logger":"ModelMonitoring.Model.logged-pricing","message":"Quote computed","model":"logged-pricing","model_owner":"Juan Manoel","squad":"mlops","model_version":"1.3.0","env":"production","service":"pricing-service","data":{"area":91.5,"region":"North","customer_email":"[redacted]","phone":"[redacted]","quoted_at":"2026-12-01T10:00:00.1230000+00:00"}}""",
            output.ToString().TrimEnd());
    }

    [Fact]
    public void Entries_reach_every_ILogger_provider_with_the_model_identity_and_redacted_data()
    {
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)));
        using var test = new TestRuntime(new ModelMonitoringOptions { Environment = "staging" }, new FakeTimeProvider(Now), loggerFactory);
        ModelLogger logger = ModelLogger.For<LoggedPricingModel>();

        logger.Warning("Area out of range", new { area = 9_000.0, customer = new LoggedQuote(1, "South", "john@example.com", "555", Now) });
        logger.Error(new InvalidOperationException("boom"), "Scoring failed");
        logger.Info(new { rows = 3 });

        // Only this logger's entries: the registry tells every runtime about models other tests register.
        IReadOnlyList<FakeLogRecord> records = [.. logs.GetSnapshot().Where(r => r.Category == "ModelMonitoring.Model.logged-pricing")];
        Assert.Equal(3, records.Count);
        FakeLogRecord warning = records[0];
        Assert.Equal("ModelMonitoring.Model.logged-pricing", warning.Category);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal("Area out of range", warning.Message);
        var pairs = warning.StructuredState!.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("logged-pricing", pairs["model"]);
        Assert.Equal("Juan Manoel", pairs["model_owner"]);
        Assert.Equal("mlops", pairs["squad"]);
        Assert.Equal("1.3.0", pairs["model_version"]);
        Assert.Equal("staging", pairs["env"]);
        Assert.Equal("9000", pairs["data.area"]);
        Assert.Equal("South", pairs["data.customer.region"]);
        Assert.Equal("[redacted]", pairs["data.customer.customer_email"]);
        Assert.Equal("[redacted]", pairs["data.customer.phone"]);
        Assert.DoesNotContain(records, r => r.StructuredState!.Any(p => p.Value?.Contains("john@example.com", StringComparison.Ordinal) == true));

        Assert.Equal(LogLevel.Error, records[1].Level);
        Assert.Equal("boom", records[1].Exception!.Message);
        Assert.Equal(string.Empty, records[2].Message);
        Assert.Equal("3", records[2].StructuredState!.Single(p => p.Key == "data.rows").Value);
    }

    [Fact]
    public void OpenTelemetry_logs_get_the_identity_and_the_data_as_attributes()
    {
        var exported = new List<LogRecord>();
        using var loggerFactory = LoggerFactory.Create(b => b.AddOpenTelemetry(o => o.AddInMemoryExporter(exported)));
        using var test = new TestRuntime(new ModelMonitoringOptions { Environment = "production" }, loggerFactory: loggerFactory);

        ModelLogger.For<LoggedPricingModel>().Info("Quote computed", new LoggedQuote(91.5, "North", "jane.doe@example.com", "555", Now));

        LogRecord record = Assert.Single(exported, r => r.CategoryName == "ModelMonitoring.Model.logged-pricing"); // exported at once
        var attributes = record.Attributes!.ToDictionary(a => a.Key, a => a.Value);
        Assert.Equal("logged-pricing", attributes["model"]);
        Assert.Equal("Juan Manoel", attributes["model_owner"]);
        Assert.Equal("mlops", attributes["squad"]);
        Assert.Equal("1.3.0", attributes["model_version"]);
        Assert.Equal("production", attributes["env"]);
        Assert.Equal(91.5, attributes["data.area"]);
        Assert.Equal("[redacted]", attributes["data.customer_email"]);
        Assert.Equal("Quote computed", record.Body);
    }

    [Fact]
    public void The_environment_falls_back_to_ENV_and_an_injected_logger_is_bound_to_its_runtime()
    {
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)));
        using var bound = new ModelMonitoringRuntime(new ModelMonitoringOptions { Environment = "bound-env" }, loggerFactory: loggerFactory);
        var injected = new ModelLogger<LoggedPricingModel>(bound);

        using (new TestRuntime(new ModelMonitoringOptions { Environment = "other" }))
        {
            injected.Info("from the bound runtime"); // not the current one
        }

        Assert.Equal("bound-env", logs.GetSnapshot().Last(r => r.Category == "ModelMonitoring.Model.logged-pricing").StructuredState!.Single(p => p.Key == "env").Value);
        Assert.Equal("prod-from-variable", ServiceIdentity.Resolve(new ModelMonitoringOptions(), v => v == "ENV" ? "prod-from-variable" : null).Environment);
        Assert.Equal("dd-env", ServiceIdentity.Resolve(null, v => v == "DD_ENV" ? "dd-env" : null).Environment);
        Assert.Equal("from-otel", ServiceIdentity.Resolve(new ModelMonitoringOptions { ServiceName = "configured" }, v => v == "OTEL_SERVICE_NAME" ? "from-otel" : null).ServiceName);
        Assert.Equal("configured", ServiceIdentity.Resolve(new ModelMonitoringOptions { ServiceName = "configured" }, v => v == "DD_SERVICE" ? "dd" : null).ServiceName);
    }

    [Fact]
    public void A_throwing_getter_is_written_as_unreadable_and_logging_never_throws()
    {
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)));
        using var test = new TestRuntime(loggerFactory: loggerFactory);

        ModelLogger.For<LoggedPricingModel>().Info("odd object", new ThrowingGetter());

        var pairs = logs.GetSnapshot().Last(r => r.Category == "ModelMonitoring.Model.logged-pricing").StructuredState!.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("1", pairs["data.fine"]);
        Assert.Equal("[unreadable: InvalidOperationException]", pairs["data.broken"]);
        ArgumentException error = Assert.Throws<ArgumentException>(() => ModelLogger.For<NotAModel>());
        Assert.Contains("ModelMonitoring.Tests.NotAModel", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_full_console_queue_drops_lines_and_counts_them()
    {
        using var blocked = new BlockingWriter();
        using var console = new ModelJsonConsoleLoggerProvider(blocked, capacity: 2);
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(console));
        using var test = new TestRuntime(loggerFactory: loggerFactory);
        ModelLogger logger = ModelLogger.For<LoggedPricingModel>();

        logger.Info("first"); // taken by the writer, which blocks
        Assert.True(blocked.Entered.Wait(TimeSpan.FromSeconds(10)));
        for (int i = 0; i < 5; i++)
        {
            logger.Info("more " + i); // 2 wait, 3 are dropped; none of these calls waits
        }

        Assert.Equal(3, console.Status.Dropped);
        blocked.Release.Set();
        Assert.True(console.Flush(TimeSpan.FromSeconds(10)));
        Assert.Equal(3, console.Status.Delivered);
        Assert.Equal(3, blocked.Lines.Count(l => JsonDocument.Parse(l).RootElement.GetProperty("model").GetString() == "logged-pricing"));
    }

    private sealed class BlockingWriter : TextWriter
    {
        public ManualResetEventSlim Entered { get; } = new();

        public ManualResetEventSlim Release { get; } = new();

        public List<string> Lines { get; } = [];

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void WriteLine(string? value)
        {
            Entered.Set();
            Release.Wait();
            lock (Lines)
            {
                Lines.Add(value!);
            }
        }

        protected override void Dispose(bool disposing)
        {
            Release.Set();
            base.Dispose(disposing);
        }
    }
}
