using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using ModelMonitoring.Sketches;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Benchmarks;

/// <summary>
/// Where the deferred (folding) work of one row goes, per row of the 10-feature model: the latency histogram, the
/// drift profiles of the 7 numbers (6 inputs and the prediction) and of the 4 labels. The per-window statistics and
/// the ring reading are the rest of "3 Monitored + fold" minus "2b caller path only".
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class FoldBenchmarks
{
    private const int WindowSize = 10_000;
    private static readonly Meter Meter = new("ModelMonitoring.Benchmarks.Fold");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram(
        "bench.fold.duration", unit: "s", description: null, tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ModelMonitoringInstruments.DefaultDurationBuckets });

    private static readonly KeyValuePair<string, object?>[] Tags =
    [
        new("model", MonitoredPricingModel.ModelName),
        new("model_version", MonitoredPricingModel.ModelVersion),
        new("method", "Predict"),
    ];

    private readonly PricingRequest[] _requests = PricingFormula.CreateRequests();
    private readonly FeatureProfile[] _numbers = [.. Enumerable.Range(0, 7).Select(i => new FeatureProfile("n" + i, ColumnType.Numerical))];
    private readonly FeatureProfile[] _labels = [.. Enumerable.Range(0, 4).Select(i => new FeatureProfile("l" + i, ColumnType.Categorical))];
    private TelemetrySession? _telemetry;
    private int _next;
    private int _rows;

    /// <summary>An OpenTelemetry SDK listener on the histogram, as in <see cref="Listener.OpenTelemetrySdk"/>.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _telemetry = TelemetrySession.Start(Listener.OpenTelemetrySdk, Meter.Name);
        HistogramRecord();
        if (!_telemetry.Collect().TryGetValue(Duration.Name, out long count) || count == 0)
        {
            throw new InvalidOperationException("The OpenTelemetry SDK does not listen to the fold benchmark's histogram.");
        }
    }

    /// <summary>Stops listening.</summary>
    [GlobalCleanup]
    public void Cleanup() => _telemetry?.Dispose();

    /// <summary>The folder records each row's latency with the method's 3 tags (a bound array, no lookups).</summary>
    [Benchmark(Description = "Fold: Histogram.Record, 3 tags (OpenTelemetry SDK)")]
    public void HistogramRecord() => Duration.Record(0.00001 * (_next++ & 63), Tags);

    /// <summary>The 7 numbers of a row into their drift profiles (moments, distinct values, KLL sketch with K = 2048), reset every 10,000 rows like a window.</summary>
    [Benchmark(Description = "Fold: 7 numbers into drift profiles")]
    public void NumberProfiles()
    {
        PricingRequest r = Next();
        _numbers[0].Add(r.Area);
        _numbers[1].Add(r.Rooms);
        _numbers[2].Add(r.YearBuilt);
        _numbers[3].Add(r.DistanceToCenterKm);
        _numbers[4].Add(r.FloorLevel);
        _numbers[5].Add(r.LotSize);
        _numbers[6].Add(r.Area * 2_750);
    }

    /// <summary>The 4 labels of a row into their drift profiles (bounded category counts).</summary>
    [Benchmark(Description = "Fold: 4 labels into drift profiles")]
    public void LabelProfiles()
    {
        PricingRequest r = Next();
        _labels[0].Add(r.Region switch { Region.North => "North", Region.South => "South", Region.East => "East", _ => "West" });
        _labels[1].Add(r.IsNew ? "true" : "false");
        _labels[2].Add(r.EnergyRating);
        _labels[3].Add(r.Channel);
    }

    private PricingRequest Next()
    {
        if (++_rows == WindowSize)
        {
            _rows = 0;
            foreach (FeatureProfile profile in _numbers)
            {
                profile.Reset();
            }

            foreach (FeatureProfile profile in _labels)
            {
                profile.Reset();
            }
        }

        return _requests[_next++ & (4096 - 1)];
    }
}
