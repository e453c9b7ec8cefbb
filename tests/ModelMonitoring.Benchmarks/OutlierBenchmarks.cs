using BenchmarkDotNet.Attributes;
using ModelMonitoring.Outliers;
using ModelMonitoring.Quality;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Benchmarks;

/// <summary>
/// Scoring one row with the isolation forest (issue 10: allocation-free, ns per row for 10 features; scikit-learn's
/// defaults, 100 trees of 256 samples), and counting one value's data quality. Each invocation scores
/// <see cref="Rows"/> pre-generated rows, so the reported time and allocation are per row.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class OutlierScoringBenchmarks
{
    /// <summary>Rows scored per invocation (<c>OperationsPerInvoke</c>).</summary>
    public const int Rows = 10_000;

    private const int Features = 10;

    private IsolationForest _forest = null!;
    private double[][] _rows = [];
    private double[] _values = [];
    private FeatureQualityCounter _counter = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20_261_202);
        double[][] columns = Enumerable.Range(0, Features).Select(_ => Enumerable.Range(0, 10_000).Select(_ => Normal(random)).ToArray()).ToArray();
        _forest = IsolationForest.Fit([.. Enumerable.Range(0, Features).Select(i => "f" + i)], columns);
        _rows = Enumerable.Range(0, Rows).Select(_ => Enumerable.Range(0, Features).Select(_ => Normal(random) * 1.5).ToArray()).ToArray();
        _values = _rows.Select(r => r[0]).ToArray();
        _counter = new FeatureQualityCounter("f0", ColumnType.Numerical, FeatureQualityReference.FromSample(ColumnSample.Numerical("f0", columns[0])));
    }

    /// <summary>One row of 10 features through 100 trees.</summary>
    [Benchmark(OperationsPerInvoke = Rows)]
    public double IsolationForestScore10Features()
    {
        double sum = 0;
        foreach (double[] row in _rows)
        {
            sum += _forest.Score(row);
        }

        return sum;
    }

    /// <summary>One value into a feature's quality counter (missing, range, robust z-score).</summary>
    [Benchmark(OperationsPerInvoke = Rows)]
    public void QualityCounterAddNumber()
    {
        foreach (double value in _values)
        {
            _counter.AddNumber(value);
        }
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
