using System.Diagnostics;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using ModelMonitoring.Runtime;

namespace ModelMonitoring.Benchmarks;

/// <summary>
/// The cost of monitoring one prediction of a 10-feature model, next to the same model unmonitored, a hand-written
/// OpenTelemetry equivalent and a DispatchProxy. See docs/benchmarks.md for what each row means.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class PredictionBenchmarks
{
    /// <summary>
    /// Calls per invocation of the batched benchmarks. Below half of a ring's capacity (1024), so no call signals
    /// the folding thread and every deferred row is folded where the benchmark says.
    /// </summary>
    public const int Batch = 500;

    private readonly PricingRequest[] _requests = PricingFormula.CreateRequests();
    private int _next;
    private readonly UnmonitoredPricingModel _unmonitored = new();
    private readonly MonitoredPricingModel _monitored = new();
    private IPricingModel _proxy = null!;
    private IPricingModel _handWrittenTarget = null!;
    private TelemetrySession? _telemetry;
    private PredictionMonitor _method = null!;
    private IDisposable? _pausedFolder;
    private ModelMonitoringRuntime _runtime = null!;
    private IDisposable? _activation;

    /// <summary>The next request of the deterministic cycle (every benchmark pays the same ~1 ns for this).</summary>
    private PricingRequest NextRequest => _requests[_next++ & (4096 - 1)];

    /// <summary>Who listens to the meters.</summary>
    [Params(Listener.OpenTelemetrySdk, Listener.MeterListener)]
    public Listener Listener { get; set; }

    /// <summary>Production settings: the folder runs every 200 ms or when a ring is half full.</summary>
    [GlobalSetup]
    public void SetupProduction() => Setup(new ModelMonitoringOptions());

    /// <summary>
    /// The folder is kept idle (flush interval 1 minute, batches below the half-full signal), so the deferred work is
    /// either done by the benchmark itself (<see cref="Monitored_TotalWithFold"/>) or discarded.
    /// </summary>
    [GlobalSetup(Targets = [nameof(Monitored_CallerPathOnly), nameof(Monitored_TotalWithFold), nameof(Runtime_RecordRowOnly)])]
    public void SetupIdleFolder()
    {
        Setup(new ModelMonitoringOptions { FlushInterval = TimeSpan.FromMinutes(1) });
        _pausedFolder = _runtime.Folder.Pause();
    }

    /// <summary>The idle folder of <see cref="SetupIdleFolder"/>, without drift sketches.</summary>
    [GlobalSetup(Targets = [nameof(Monitored_TotalWithFold_DriftDetectionOff)])]
    public void SetupIdleFolderWithoutDrift()
    {
        Setup(new ModelMonitoringOptions { FlushInterval = TimeSpan.FromMinutes(1), DriftDetection = false });
        _pausedFolder = _runtime.Folder.Pause();
    }

    /// <summary>Folds what is left and stops listening.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _pausedFolder?.Dispose();
        _runtime.Flush();
        _telemetry?.Dispose();
        _telemetry = null;
        _activation?.Dispose();
        _runtime.Dispose();
    }

    /// <summary>1. The model, unmonitored.</summary>
    [Benchmark(Baseline = true, Description = "1 Unmonitored")]
    public double Unmonitored() => _unmonitored.Predict(NextRequest);

    /// <summary>
    /// 2. The generated monitored call, as in production: the folder runs in the background, on the other core. When
    /// calls come faster than the folder folds (here they do: nothing else happens between calls), rows are dropped
    /// and counted, and the caller still never folds.
    /// </summary>
    [Benchmark(Description = "2 Monitored (folder in background)")]
    public double Monitored() => _monitored.Predict(NextRequest);

    /// <summary>2b. The generated monitored call's own path only: the rows are discarded instead of folded.</summary>
    [Benchmark(OperationsPerInvoke = Batch, Description = "2b Monitored, caller path only")]
    public double Monitored_CallerPathOnly()
    {
        double sum = 0;
        for (int i = 0; i < Batch; i++)
        {
            sum += _monitored.Predict(NextRequest);
        }

        DiscardRows();
        return sum;
    }

    /// <summary>
    /// 3. The generated monitored call plus all its deferred work: calls, then the folder's pass on this thread (counts,
    /// histogram, windows, closes) and a wait until the evaluator has compared every closed window.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Batch, Description = "3 Monitored + fold (total)")]
    public double Monitored_TotalWithFold()
    {
        double sum = 0;
        for (int i = 0; i < Batch; i++)
        {
            sum += _monitored.Predict(NextRequest);
        }

        FoldHere();
        return sum;
    }

    /// <summary>
    /// 3c. As 3, with <see cref="ModelMonitoringOptions.DriftDetection"/> off: counts, latency and window statistics of
    /// the 10 features are kept; the per-row drift sketches and window comparisons are not.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Batch, Description = "3c Monitored + fold, drift detection off")]
    public double Monitored_TotalWithFold_DriftDetectionOff()
    {
        double sum = 0;
        for (int i = 0; i < Batch; i++)
        {
            sum += _monitored.Predict(NextRequest);
        }

        FoldHere();
        return sum;
    }

    /// <summary>
    /// The clock floor: the unmonitored call between two <see cref="Stopwatch.GetTimestamp"/> reads, as any latency
    /// measurement (ours, the hand-written one) needs. On a VM with the kvm-clock source each read is a vDSO call of
    /// ~25-30 ns; on bare metal with the TSC, ~5-10 ns.
    /// </summary>
    [Benchmark(Description = "1b Unmonitored between two clock reads")]
    public double UnmonitoredBetweenTwoClockReads()
    {
        long started = Stopwatch.GetTimestamp();
        double price = _unmonitored.Predict(NextRequest);
        return price + (Stopwatch.GetTimestamp() - started);
    }

    /// <summary>4. A hand-written OpenTelemetry equivalent: counter and histogram with the same tags on every call.</summary>
    [Benchmark(Description = "4 Hand-written OpenTelemetry")]
    public double HandWrittenOpenTelemetry() => HandWrittenMonitoring.Predict(_handWrittenTarget, NextRequest);

    /// <summary>5. Runtime interception: a DispatchProxy doing what 4 does, through the interface.</summary>
    [Benchmark(Description = "5 DispatchProxy + OpenTelemetry")]
    public double DispatchProxyInterception() => _proxy.Predict(NextRequest);

    /// <summary>
    /// The runtime's recording path alone, as generated code drives it (reserve a row, write 10 features and the
    /// prediction, publish), without the model, the timestamps or the wrapper. Rows are discarded.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Batch, Description = "Runtime: BeginRow + 11 values + Commit")]
    public void Runtime_RecordRowOnly()
    {
        for (int i = 0; i < Batch; i++)
        {
            PricingRequest request = NextRequest;
            FeatureRow row = _method.BeginRow(Stopwatch.GetTimestamp(), default);
            row.SetNumber(0, request.Area);
            row.SetNumber(1, request.Rooms);
            row.SetNumber(2, request.YearBuilt);
            row.SetNumber(3, request.DistanceToCenterKm);
            row.SetNumber(4, request.FloorLevel);
            row.SetNumber(5, request.LotSize);
            row.SetLabel(0, request.Region == Region.East ? "East" : "other");
            row.SetLabel(1, FeatureValues.ToLabel(request.IsNew));
            row.SetLabel(2, request.EnergyRating);
            row.SetLabel(3, request.Channel);
            row.SetNumber(6, request.Area * 2_750);
            row.Commit();
        }

        DiscardRows();
    }

    private void Setup(ModelMonitoringOptions options)
    {
        // A runtime of this case's own (BenchmarkDotNet runs each case in its own process), made the process default.
        // MODELMONITORING_BENCHMARK_OUTLIERS=1 measures the opt-in isolation forest as well (docs/benchmarks.md).
        options.OutlierDetection = Environment.GetEnvironmentVariable("MODELMONITORING_BENCHMARK_OUTLIERS") == "1";
        _runtime = new ModelMonitoringRuntime(options);
        _activation = _runtime.Activate();
        _telemetry = TelemetrySession.Start(Listener);
        _handWrittenTarget = _unmonitored;
        _proxy = MonitoringProxy.Create(_unmonitored);
        _method = _runtime.For(MonitoredPricingModel.ModelName).Methods[0];

        // One call of each variant, then check that the listener really sees both meters.
        _ = _unmonitored.Predict(NextRequest) + _monitored.Predict(NextRequest) + HandWrittenOpenTelemetry() + _proxy.Predict(NextRequest);
        _telemetry.Verify(_runtime);
        ReportCallerThreadAllocations();
    }

    /// <summary>Prints the bytes the monitored call allocates on the caller's thread (folds included), as a cross-check of the memory diagnoser, which counts all threads.</summary>
    private void ReportCallerThreadAllocations()
    {
        const int Calls = 100_000;
        for (int i = 0; i < Calls; i++)
        {
            _ = _monitored.Predict(NextRequest);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Calls; i++)
        {
            _ = _monitored.Predict(NextRequest);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        _runtime.Flush();
        Console.WriteLine($"// caller-thread allocation check: {allocated} bytes over {Calls} monitored calls ({(double)allocated / Calls:0.###} B/call)");
    }

    /// <summary>Drops the published rows without folding them (the folder is paused in these benchmarks).</summary>
    private void DiscardRows() => _runtime.GetRecorder(_method)!.DiscardCommitted();

    /// <summary>The deferred work, on this thread: the folder's pass, then the evaluations it queued.</summary>
    private void FoldHere()
    {
        _runtime.Folder.FoldInline(closeDue: false);
        _runtime.Evaluator.WaitUntilIdle();
    }
}
