using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using ModelMonitoring.Runtime;

namespace ModelMonitoring.Tests;

/// <summary>
/// A model with a prediction key and a sensitive input, registered by hand and recorded through the calls generated
/// wrappers make (a sensitive value through <see cref="FeatureValues.Protect{T}"/>, as the generator is to emit it).
/// </summary>
internal sealed class CapturedModel
{
    public CapturedModel(string name)
    {
        Descriptor = new ModelDescriptor(name, "2.0.1", "owner", "squad", "Tests." + name, [
            new MethodDescriptor("Predict", "M:Tests.Capture", isBatch: false, isAsync: false, [
                new FeatureDescriptor("area", FeatureKind.Numerical, FeatureStorage.Number, 0, FeatureSource.Input, "double", false, 0, DriftMethod.Auto, double.NaN),
                new FeatureDescriptor("region", FeatureKind.Categorical, FeatureStorage.Label, 0, FeatureSource.Input, "string", false, 0, DriftMethod.Auto, double.NaN),
                new FeatureDescriptor("customer_email", FeatureKind.Categorical, FeatureStorage.Label, 1, FeatureSource.Input, "string", true, 0, DriftMethod.Auto, double.NaN),
                new FeatureDescriptor("prediction.price", FeatureKind.Numerical, FeatureStorage.Number, 1, FeatureSource.Prediction, "double", false, 0, DriftMethod.Auto, double.NaN),
            ]),
        ], trainedAt: "2026-11-20");
        Method = ModelRegistry.Register(Descriptor).Methods[0];
    }

    public ModelDescriptor Descriptor { get; }

    public PredictionMonitor Method { get; }

    public string Name => Descriptor.Name;

    public void Record(double area, string? region, string? email, double price, string? key = null)
    {
        FeatureRow row = Method.BeginRow(Stopwatch.GetTimestamp() - (Stopwatch.Frequency / 1000), default(ActivityScope));
        row.SetNumber(0, area);
        row.SetLabel(0, region);
        row.SetLabel(1, FeatureValues.Protect(email));
        row.SetNumber(1, price);
        row.SetKey(key);
        row.Commit();
    }

    public void RecordFailure(double area)
    {
        FeatureRow row = Method.BeginFailedRow(Stopwatch.GetTimestamp(), new InvalidOperationException("model bug"), default);
        row.SetNumber(0, area);
        row.SetLabel(0, "North");
        row.SetLabel(1, null);
        row.Commit();
    }
}

/// <summary>The inference capture: exact lines, sampling, rolling files, and failures that never reach a prediction.</summary>
public sealed class InferenceCaptureTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mm-capture-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void Each_prediction_is_one_JSON_line_with_its_key_features_and_prediction_and_no_sensitive_value()
    {
        var model = new CapturedModel("capture-format");
        using var capture = new InferenceCapture(Options());
        using (var test = new TestRuntime(consumers: capture))
        {
            model.Record(91.5, "North", "jane.doe@example.com", 301200.5, key: "q-1");
            model.Record(double.NaN, null, null, 250000, key: "q-2");
            model.RecordFailure(70);
            test.Runtime.Flush();
        }

        Assert.True(capture.Flush());
        string[] lines = ReadLines(model.Name);
        Assert.Equal(3, lines.Length);
        Assert.DoesNotContain("jane.doe", string.Join('\n', lines), StringComparison.Ordinal);

        JsonElement first = JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal(
            ["timestamp", "model", "model_version", "method", "key", "outcome", "duration_ms", "features", "prediction"],
            first.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("capture-format", first.GetProperty("model").GetString());
        Assert.Equal("2.0.1", first.GetProperty("model_version").GetString());
        Assert.Equal("Predict", first.GetProperty("method").GetString());
        Assert.Equal("q-1", first.GetProperty("key").GetString());
        Assert.Equal("success", first.GetProperty("outcome").GetString());
        Assert.True(first.GetProperty("duration_ms").GetDouble() >= 1.0, "the row was begun 1 ms after its start");
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", first.GetProperty("timestamp").GetString());
        Assert.Equal("""{"area":91.5,"region":"North"}""", first.GetProperty("features").GetRawText());
        Assert.Equal("""{"prediction.price":301200.5}""", first.GetProperty("prediction").GetRawText());

        // Missing values are null; a failed call has its inputs and a null prediction.
        Assert.Equal("""{"area":null,"region":null}""", JsonDocument.Parse(lines[1]).RootElement.GetProperty("features").GetRawText());
        JsonElement failed = JsonDocument.Parse(lines[2]).RootElement;
        Assert.Equal("error", failed.GetProperty("outcome").GetString());
        Assert.False(failed.TryGetProperty("key", out _));
        Assert.Equal("""{"area":70,"region":"North"}""", failed.GetProperty("features").GetRawText());
        Assert.Equal("""{"prediction.price":null}""", failed.GetProperty("prediction").GetRawText());
        Assert.Equal((3, 0), capture.CountsOf(model.Name));
    }

    [Fact]
    public void Sensitive_features_can_be_hashed_with_the_configured_key()
    {
        const string Key = "a-secret-key-of-32-characters-ok";
        var model = new CapturedModel("capture-hash");
        using var capture = new InferenceCapture(Options(o => { o.Sensitive = SensitiveCapture.Hash; o.HashKey = Key; }));
        using (var test = new TestRuntime(consumers: capture))
        {
            model.Record(1, "North", "jane.doe@example.com", 1);
            model.Record(2, "North", null, 2);
            test.Runtime.Flush();
        }

        Assert.True(capture.Flush());
        string[] lines = ReadLines(model.Name);
        string expected = "hmac:" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Key), Encoding.UTF8.GetBytes("jane.doe@example.com")));
        Assert.Equal(expected, JsonDocument.Parse(lines[0]).RootElement.GetProperty("features").GetProperty("customer_email").GetString());
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(lines[1]).RootElement.GetProperty("features").GetProperty("customer_email").ValueKind);

        // Outside a runtime that hashes, the same call keeps only the value's presence.
        using (new TestRuntime())
        {
            Assert.Equal(FeatureValues.Redacted, FeatureValues.Protect("jane.doe@example.com"));
        }

        ArgumentException weak = Assert.Throws<ArgumentException>(() => new InferenceCapture(Options(o => { o.Sensitive = SensitiveCapture.Hash; o.HashKey = "short"; })));
        Assert.Contains("ModelMonitoring:Capture:HashKey must be at least 16 bytes", weak.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("short", weak.Message.Replace("at least", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void The_sample_rate_keeps_exactly_that_share_and_other_models_can_be_left_out()
    {
        var sampled = new CapturedModel("capture-sampled");
        var ignored = new CapturedModel("capture-ignored");
        using var capture = new InferenceCapture(Options(o => { o.SampleRate = 0.25; o.Models = [sampled.Name]; }));
        using (var test = new TestRuntime(consumers: capture))
        {
            for (int i = 0; i < 100; i++)
            {
                sampled.Record(i, "North", null, i);
                ignored.Record(i, "North", null, i);
            }

            test.Runtime.Flush();
        }

        Assert.True(capture.Flush());
        Assert.Equal(25, ReadLines(sampled.Name).Length);
        Assert.False(Directory.Exists(Path.Combine(_folder, ignored.Name)));
    }

    [Fact]
    public void Files_roll_by_size_and_by_period_and_only_the_newest_are_kept()
    {
        var clock = new FakeTimeProvider(Start);
        var model = new CapturedModel("capture-rolling");
        using var capture = new InferenceCapture(Options(o => { o.MaxFileBytes = 1024; o.RollInterval = TimeSpan.FromHours(1); o.RetainedFiles = 4; }), clock);
        using var test = new TestRuntime(consumers: capture);

        for (int i = 0; i < 10; i++)
        {
            model.Record(i, "North", null, i); // about 215 bytes a line: four fit in 1 KB
        }

        test.Runtime.Flush();
        Assert.True(capture.Flush());
        string[] files = Files(model.Name);
        Assert.Equal(3, files.Length);
        Assert.All(files, f => Assert.True(new FileInfo(f).Length <= 1024, $"{f} is {new FileInfo(f).Length} bytes"));
        Assert.Equal(10, ReadLines(model.Name).Length);
        Assert.Equal("capture-rolling-20261201T100000Z-001.jsonl", Path.GetFileName(files[0]));

        clock.Advance(TimeSpan.FromHours(1)); // a new period: a new file, even though the last one has room
        model.Record(10, "North", null, 10);
        test.Runtime.Flush();
        Assert.True(capture.Flush());
        files = Files(model.Name);
        Assert.Equal(4, files.Length);
        Assert.Equal("capture-rolling-20261201T110000Z-004.jsonl", Path.GetFileName(files[^1]));

        clock.Advance(TimeSpan.FromHours(1));
        model.Record(11, "North", null, 11);
        test.Runtime.Flush();
        Assert.True(capture.Flush());
        files = Files(model.Name);
        Assert.Equal(4, files.Length); // the oldest was deleted
        Assert.DoesNotContain(files, f => f.EndsWith("-001.jsonl", StringComparison.Ordinal));
        Assert.Equal("capture-rolling-20261201T120000Z-005.jsonl", Path.GetFileName(files[^1]));
        Assert.Equal((12, 0), capture.CountsOf(model.Name));
    }

    [Fact]
    public void When_the_writer_is_stuck_records_are_dropped_and_counted_and_predictions_never_wait()
    {
        var clock = new FakeTimeProvider(Start);
        var model = new CapturedModel("capture-stuck");
        string folder = Path.Combine(_folder, model.Name);
        Directory.CreateDirectory(folder);
        string fifo = Path.Combine(folder, "capture-stuck-20261201T100000Z-001.jsonl");
        MakeFifo(fifo); // opening it for writing blocks until someone reads: the writer thread is stuck
        using var capture = new InferenceCapture(Options(o => o.BufferCapacity = 10), clock);
        using var collector = new CaptureMetrics(model.Name);
        using var test = new TestRuntime(consumers: capture);

        model.Record(0, "North", null, 0);
        test.Runtime.Flush();
        SpinWait.SpinUntil(() => capture.Queued == 0, TimeSpan.FromSeconds(10)); // the writer took it, and blocks
        for (int i = 1; i <= 25; i++)
        {
            model.Record(i, "North", null, i);
        }

        test.Runtime.Flush(); // the folder is not held up by the writer
        Assert.Equal(26, test.Runtime.For(model.Name).GetPredictionCounts().Successes);
        Assert.Equal(15, capture.CountsOf(model.Name).Dropped);
        Assert.Equal(15, collector.Observe()["ml.capture.dropped{model=capture-stuck,reason=buffer_full}"]);

        using (var reader = new FileStream(fifo, FileMode.Open, FileAccess.Read))
        {
            // Unblocks the writer; the lines it writes into the pipe are read here and thrown away.
            var drain = Task.Run(() => reader.CopyTo(Stream.Null));
            Assert.True(capture.Flush(TimeSpan.FromSeconds(20)));
            capture.Dispose();
        }
    }

    [Fact]
    public void A_full_disk_is_counted_and_logged_once_a_minute_and_never_thrown()
    {
        var clock = new FakeTimeProvider(Start);
        var model = new CapturedModel("capture-disk-full");
        string folder = Path.Combine(_folder, model.Name);
        Directory.CreateDirectory(folder);
        File.CreateSymbolicLink(Path.Combine(folder, "capture-disk-full-20261201T100000Z-001.jsonl"), "/dev/full"); // every write: ENOSPC
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)));
        using var capture = new InferenceCapture(Options(), clock, loggerFactory);
        using var collector = new CaptureMetrics(model.Name);
        using var test = new TestRuntime(consumers: capture);

        for (int i = 0; i < 5; i++)
        {
            model.Record(i, "North", null, i);
        }

        test.Runtime.Flush();
        Assert.True(capture.Flush());
        Thread.Sleep(1_100); // past the writer's one-second pause after an error: it tries a new file
        model.Record(5, "North", null, 5);
        test.Runtime.Flush();
        Assert.True(capture.Flush());

        Assert.Equal(6, test.Runtime.For(model.Name).GetPredictionCounts().Successes);
        (long written, long dropped) = capture.CountsOf(model.Name);
        Assert.Equal(5, dropped); // the five lines buffered into /dev/full
        Assert.Equal(1, written); // the sixth went to a new file
        Assert.True(capture.WriteErrors >= 1);
        IReadOnlyDictionary<string, double> observed = collector.Observe();
        Assert.True(observed["ml.capture.write.errors{error=disk_full}"] >= 1);
        FakeLogRecord warning = Assert.Single(logs.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains("disk_full", warning.Message, StringComparison.Ordinal);
        Assert.Contains(folder, warning.Message, StringComparison.Ordinal);
        Assert.Contains("disk_full", capture.Status.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_without_permission_is_counted_and_logged_and_never_thrown()
    {
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)));
        var model = new CapturedModel("capture-permission");
        using var capture = new InferenceCapture(new InferenceCaptureOptions { Enabled = true, Directory = "/sys/model-monitoring-capture" }, loggerFactory: loggerFactory);
        using (var test = new TestRuntime(consumers: capture))
        {
            model.Record(1, "North", null, 1);
            model.Record(2, "North", null, 2);
            test.Runtime.Flush();
            Assert.Equal(2, test.Runtime.For(model.Name).GetPredictionCounts().Successes);
        }

        Assert.True(capture.Flush());
        Assert.Equal((0, 2), capture.CountsOf(model.Name));
        FakeLogRecord warning = Assert.Single(logs.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains("permission", warning.Message, StringComparison.Ordinal);
        Assert.Contains("/sys/model-monitoring-capture", warning.Message, StringComparison.Ordinal);
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    private InferenceCaptureOptions Options(Action<InferenceCaptureOptions>? configure = null)
    {
        var options = new InferenceCaptureOptions { Enabled = true, Directory = _folder };
        configure?.Invoke(options);
        return options;
    }

    private string[] Files(string model)
    {
        string[] files = Directory.GetFiles(Path.Combine(_folder, model), "*.jsonl");
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    private string[] ReadLines(string model) => Files(model).SelectMany(File.ReadAllLines).ToArray();

    /// <summary>Reads the capture meter's observable counters for one model (other tests' captures run in parallel).</summary>
    private sealed class CaptureMetrics : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly string _model;
        private readonly Dictionary<string, double> _observed = [];

        public CaptureMetrics(string model)
        {
            _model = model;
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "ModelMonitoring.Capture")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                var pairs = tags.ToArray();
                if (pairs.Any(t => t.Key == "model" && (string?)t.Value != _model))
                {
                    return;
                }

                string key = instrument.Name + "{" + string.Join(",", pairs.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => t.Key + "=" + t.Value)) + "}";
                _observed[key] = _observed.GetValueOrDefault(key) + value;
            });
            _listener.Start();
        }

        public IReadOnlyDictionary<string, double> Observe()
        {
            lock (_observed)
            {
                _observed.Clear();
                _listener.RecordObservableInstruments();
                return new Dictionary<string, double>(_observed);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
