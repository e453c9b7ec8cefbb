using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using ModelMonitoring.Runtime;

namespace ModelMonitoring.Benchmarks;

/// <summary>
/// What the inference capture costs. Per row of a 10-feature model (6 numbers, 4 labels, one of them sensitive), the
/// whole path: the caller records the row, the folder folds it (counts, window, drift profiles) and, with capture on,
/// copies it into the capture's buffer; the capture's thread serializes the line and writes it to its file. Measured
/// over 1,000 rows and a flush of both threads, against the same with the capture off. And on the caller's thread,
/// <c>FeatureValues.Protect</c> (the keyed hash of a sensitive value) against <c>FeatureValues.Presence</c>.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class CaptureBenchmarks
{
    private const int Rows = 1_000;
    private static readonly ModelDescriptor Descriptor = new("bench-capture", "1.0", "owner", "squad", "Bench.Capture", [
        new MethodDescriptor("Predict", "M:Bench.Capture", false, false, [
            Number("area", 0), Number("rooms", 1), Number("year_built", 2), Number("distance_km", 3), Number("floor", 4),
            Label("region", 0), Label("energy_rating", 1), Label("channel", 2),
            new FeatureDescriptor("customer_email", FeatureKind.Categorical, FeatureStorage.Label, 3, FeatureSource.Input, "string", true, 0, DriftMethod.Auto, double.NaN),
            new FeatureDescriptor("prediction", FeatureKind.Numerical, FeatureStorage.Number, 5, FeatureSource.Prediction, "double", false, 0, DriftMethod.Auto, double.NaN),
        ]),
    ]);

    private static readonly PredictionMonitor Method = ModelRegistry.Register(Descriptor).Methods[0];
    private static readonly string[] Regions = ["North", "South", "East", "West"];
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mm-bench-capture-" + Guid.NewGuid().ToString("N"));
    private InferenceCapture? _capture;
    private ModelMonitoringRuntime? _runtime;
    private IDisposable? _scope;
    private int _next;

    /// <summary>Whether the runtime has an enabled capture.</summary>
    [Params(false, true)]
    public bool Capture { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _capture = new InferenceCapture(new InferenceCaptureOptions
        {
            Enabled = Capture,
            Directory = _folder,
            BufferCapacity = 100_000,
            Sensitive = SensitiveCapture.Hash,
            HashKey = "benchmark-key-of-at-least-16-bytes",
        });
        _runtime = new ModelMonitoringRuntime(new ModelMonitoringOptions { RecordingCapacity = 1 << 16, WindowSize = 10_000 }, rowConsumers: [_capture]);
        _scope = _runtime.BeginScope();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _scope?.Dispose();
        _runtime?.Dispose();
        _capture?.Dispose();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>1,000 rows recorded, folded and (capture on) written, per row.</summary>
    [Benchmark(OperationsPerInvoke = Rows, Description = "Row recorded + folded (+ captured and written)")]
    public void RecordFoldAndCapture()
    {
        for (int i = 0; i < Rows; i++)
        {
            int n = _next++;
            FeatureRow row = Method.BeginRow(Stopwatch.GetTimestamp(), default(ActivityScope));
            row.SetNumber(0, 40 + (n % 120));
            row.SetNumber(1, 1 + (n % 5));
            row.SetNumber(2, 1950 + (n % 70));
            row.SetNumber(3, (n % 300) / 10.0);
            row.SetNumber(4, n % 12);
            row.SetLabel(0, Regions[n & 3]);
            row.SetLabel(1, "B");
            row.SetLabel(2, "web");
            row.SetLabel(3, FeatureValues.Redacted);
            row.SetNumber(5, 250_000 + n);
            row.Commit();
        }

        _runtime!.Flush();
        _capture!.Flush();
    }

    /// <summary>The caller's cost of a sensitive value when the capture hashes: HMAC-SHA256 and a 69-character string.</summary>
    [Benchmark(Description = "Caller: FeatureValues.Protect (hash on)")]
    public string? Protect() => FeatureValues.Protect("jane.doe@example.com");

    /// <summary>The caller's cost of a sensitive value otherwise: its presence only.</summary>
    [Benchmark(Baseline = true, Description = "Caller: FeatureValues.Presence")]
    public string? Presence() => FeatureValues.Presence("jane.doe@example.com");

    private static FeatureDescriptor Number(string name, int slot) =>
        new(name, FeatureKind.Numerical, FeatureStorage.Number, slot, FeatureSource.Input, "double", false, 0, DriftMethod.Auto, double.NaN);

    private static FeatureDescriptor Label(string name, int slot) =>
        new(name, FeatureKind.Categorical, FeatureStorage.Label, slot, FeatureSource.Input, "string", false, 0, DriftMethod.Auto, double.NaN);
}
