using BenchmarkDotNet.Attributes;
using ModelMonitoring.Detectors;

namespace ModelMonitoring.Benchmarks;

/// <summary>
/// The per-outcome work of ground truth: a keyed prediction waiting in the join map then found by its outcome, and
/// one value through each concept-drift detector. Both run off the prediction's path (the folder thread, and the
/// caller of RecordOutcome).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class PerformanceBenchmarks
{
    private const int Keys = 100_000;
    private readonly PendingMap<double> _map = new(Keys);
    private readonly Adwin _adwin = new();
    private readonly PageHinkley _pageHinkley = new();
    private readonly Ddm _ddm = new();
    private readonly double[] _errors = new double[4096];
    private long _next;
    private int _value;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        for (int i = 0; i < _errors.Length; i++)
        {
            _errors[i] = random.NextDouble() < 0.1 ? 1 : 0;
        }

        for (long key = 0; key < Keys / 2; key++)
        {
            _map.Add(key, DateTimeOffset.UnixEpoch, 1.0);
        }

        _next = Keys / 2;
    }

    /// <summary>One prediction kept (an integer key) and the oldest pending one joined: the join's steady state at half capacity.</summary>
    [Benchmark]
    public bool JoinKeepAndFind()
    {
        long key = _next++;
        _map.Add(key, DateTimeOffset.UnixEpoch, 2.0);
        return _map.TryRemove(key - (Keys / 2), out _, out _);
    }

    [Benchmark]
    public bool AdwinUpdate() => _adwin.Update(_errors[_value++ & 4095]);

    [Benchmark]
    public bool PageHinkleyUpdate() => _pageHinkley.Update(_errors[_value++ & 4095]);

    [Benchmark]
    public bool DdmUpdate() => _ddm.Update(_errors[_value++ & 4095]);
}
