using BenchmarkDotNet.Attributes;
using ModelMonitoring.Sketches;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Benchmarks;

/// <summary>
/// Recording into the streaming drift sketches (issue 3: at least 20 million feature values per second on one core,
/// with 0 allocations). Each invocation adds <see cref="Count"/> pre-generated, varied values, so the reported time
/// and allocation are per value.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class DriftRecordingBenchmarks
{
    /// <summary>Values added per invocation (<c>OperationsPerInvoke</c>).</summary>
    public const int Count = 1_000_000;

    private const int WindowSize = 10_000;
    private const int CategoryCount = 20;

    private readonly FeatureProfile _stream = FeatureProfile.Numerical("stream");
    private readonly FeatureProfile _window = FeatureProfile.Numerical("window");
    private readonly KllSketch _sketch = new();
    private readonly FeatureProfile _labels = FeatureProfile.Categorical("labels");
    private FeatureProfile _binned = null!;
    private double[] _values = [];
    private string[] _categories = [];

    /// <summary>
    /// A mix of continuous distributions (normal, log-normal, uniform, prices rounded to cents), and labels drawn
    /// with a skew from 20 strings that already exist, as generated code passes them. Then one pass of every
    /// benchmark (warm-up), and a second pass that must not allocate.
    /// </summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20_240_603);
        _values = new double[Count];
        for (int i = 0; i < Count; i++)
        {
            _values[i] = Draw(random, i);
        }

        string[] names = [.. Enumerable.Range(0, CategoryCount).Select(i => "category-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        _categories = new string[Count];
        for (int i = 0; i < Count; i++)
        {
            double u = random.NextDouble();
            _categories[i] = names[(int)(CategoryCount * u * u)];
        }

        // The binned window's reference: 100,000 other values of the same mix, sketched as a reference is.
        var reference = FeatureProfile.Numerical("window");
        for (int i = 0; i < 100_000; i++)
        {
            reference.Add(Draw(random, i));
        }

        _binned = FeatureProfile.CreateWindowProfile(reference);
        Console.WriteLine($"// binned window: {_binned.BinCount} bins on the reference's grid");

        Action[] passes = [FeatureProfileAddDouble, FeatureProfileAddDoubleWindows, FeatureProfileAddDoubleBinned, KllSketchAdd, FeatureProfileAddString];
        foreach (Action pass in passes)
        {
            pass();
            long before = GC.GetAllocatedBytesForCurrentThread();
            pass();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Console.WriteLine($"// {pass.Method.Name}: {allocated} bytes allocated over {Count:N0} values (second pass, this thread)");
            if (allocated != 0)
            {
                throw new InvalidOperationException($"{pass.Method.Name} allocated {allocated} bytes over {Count:N0} values.");
            }
        }
    }

    /// <summary>A numerical profile (default K = 2048) fed as one endless stream: the sketch stays at its bound.</summary>
    [Benchmark(Description = "FeatureProfile.Add(double), endless stream", OperationsPerInvoke = Count)]
    public void FeatureProfileAddDouble()
    {
        FeatureProfile profile = _stream;
        double[] values = _values;
        for (int i = 0; i < values.Length; i++)
        {
            profile.Add(values[i]);
        }
    }

    /// <summary>The same profile used as a window: reset every 10,000 values (the runtime's default window size).</summary>
    [Benchmark(Description = "FeatureProfile.Add(double), Reset every 10,000", OperationsPerInvoke = Count)]
    public void FeatureProfileAddDoubleWindows()
    {
        FeatureProfile profile = _window;
        double[] values = _values;
        for (int start = 0; start < values.Length; start += WindowSize)
        {
            profile.Reset();
            int end = Math.Min(start + WindowSize, values.Length);
            for (int i = start; i < end; i++)
            {
                profile.Add(values[i]);
            }
        }
    }

    /// <summary>
    /// A window profile binned on its reference's grid (<see cref="FeatureProfile.CreateWindowProfile"/>), reset every
    /// 10,000 values: what a window costs once a reference exists.
    /// </summary>
    [Benchmark(Description = "FeatureProfile.Add(double), binned window, Reset every 10,000", OperationsPerInvoke = Count)]
    public void FeatureProfileAddDoubleBinned()
    {
        FeatureProfile profile = _binned;
        double[] values = _values;
        for (int start = 0; start < values.Length; start += WindowSize)
        {
            profile.Reset();
            int end = Math.Min(start + WindowSize, values.Length);
            for (int i = start; i < end; i++)
            {
                profile.Add(values[i]);
            }
        }
    }

    /// <summary>The KLL sketch alone (K = 2048), without the profile's moments and distinct-value counts.</summary>
    [Benchmark(Description = "KllSketch.Add, endless stream", OperationsPerInvoke = Count)]
    public void KllSketchAdd()
    {
        KllSketch sketch = _sketch;
        double[] values = _values;
        for (int i = 0; i < values.Length; i++)
        {
            sketch.Add(values[i]);
        }
    }

    // Normal, log-normal, uniform and cent-rounded log-normal prices, in turn.
    private static double Draw(Random random, int i) => (i % 4) switch
    {
        0 => DriftData.Normal(random, 100, 15),
        1 => Math.Exp(DriftData.Normal(random, 3, 0.8)),
        2 => random.NextDouble() * 1_000,
        _ => Math.Round(Math.Exp(DriftData.Normal(random, 12, 0.5)), 2),
    };

    /// <summary>A categorical profile (MaxCategories = 100) fed 20 known categories.</summary>
    [Benchmark(Description = "FeatureProfile.Add(string), 20 known categories", OperationsPerInvoke = Count)]
    public void FeatureProfileAddString()
    {
        FeatureProfile profile = _labels;
        string[] categories = _categories;
        for (int i = 0; i < categories.Length; i++)
        {
            profile.Add(categories[i]);
        }
    }
}

/// <summary>
/// Evaluating one window of 50 features (issue 3: at most 10 ms): 40 numerical and 10 categorical
/// <see cref="FeatureProfile"/>s, 10,000 values each for the reference and for the current window, 12 features
/// shifted. With more than 1,000 reference rows the defaults are Evidently's: normed Wasserstein for the 36
/// continuous numbers, Jensen-Shannon for the 4 small integers and the 10 categories.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class DriftEvaluationBenchmarks
{
    private const int Rows = 10_000;
    private const int ContinuousFeatures = 36;
    private const int IntegerFeatures = 4;
    private const int CategoricalFeatures = 10;

    private FeatureProfile[] _reference = [];
    private FeatureProfile[] _current = [];
    private FeatureProfile[] _changingCurrent = [];
    private FeatureProfile[] _binnedCurrent = [];
    private double[][] _extraValues = [];
    private string[][] _extraLabels = [];
    private int _next;

    /// <summary>Builds the reference and current profiles (and a second copy of the current ones that the "window changed" case mutates).</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7_919);
        var reference = new List<FeatureProfile>();
        var current = new List<FeatureProfile>();
        var changing = new List<FeatureProfile>();
        var extraValues = new List<double[]>();
        var extraLabels = new List<string[]>();
        var currentNumbers = new List<double[]>();
        var currentLabelsPerFeature = new List<string[]>();
        for (int f = 0; f < ContinuousFeatures; f++)
        {
            string name = "x" + f.ToString(System.Globalization.CultureInfo.InvariantCulture);
            bool shifted = f % 4 == 0; // 9 of 36
            Func<Random, double, double> draw = (f % 3) switch
            {
                0 => (r, shift) => DriftData.Normal(r, 50 + shift, 10),
                1 => (r, shift) => Math.Exp(DriftData.Normal(r, 2 + (shift / 10), 0.7)),
                _ => (r, shift) => (r.NextDouble() * 100) + shift,
            };
            double currentShift = shifted ? 5 : 0;
            reference.Add(Fill(FeatureProfile.Numerical(name), Rows, () => draw(random, 0)));
            double[] currentValues = [.. Enumerable.Range(0, Rows).Select(_ => draw(random, currentShift))];
            current.Add(Fill(FeatureProfile.Numerical(name), currentValues));
            currentNumbers.Add(currentValues);
            currentLabelsPerFeature.Add([]);
            changing.Add(Fill(FeatureProfile.Numerical(name), currentValues));
            extraValues.Add([.. Enumerable.Range(0, 1_024).Select(_ => draw(random, currentShift))]);
            extraLabels.Add([]);
        }

        for (int f = 0; f < IntegerFeatures; f++)
        {
            string name = "n" + f.ToString(System.Globalization.CultureInfo.InvariantCulture);
            int distinct = 3 + (2 * f); // 3, 5, 7, 9 distinct values
            bool shifted = f == 0;
            reference.Add(Fill(FeatureProfile.Numerical(name), Rows, () => random.Next(distinct)));
            double[] currentValues = [.. Enumerable.Range(0, Rows).Select(_ => (double)(shifted ? Math.Min(distinct - 1, random.Next(distinct) + 1) : random.Next(distinct)))];
            current.Add(Fill(FeatureProfile.Numerical(name), currentValues));
            currentNumbers.Add(currentValues);
            currentLabelsPerFeature.Add([]);
            changing.Add(Fill(FeatureProfile.Numerical(name), currentValues));
            extraValues.Add([.. Enumerable.Range(0, 1_024).Select(_ => (double)random.Next(distinct))]);
            extraLabels.Add([]);
        }

        for (int f = 0; f < CategoricalFeatures; f++)
        {
            string name = "c" + f.ToString(System.Globalization.CultureInfo.InvariantCulture);
            int count = 5 + (5 * f); // 5 to 50 categories
            string[] labels = [.. Enumerable.Range(0, count).Select(i => name + "-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
            bool shifted = f % 5 == 0; // 2 of 10
            Func<Random, bool, string> draw = (r, skew) =>
            {
                double u = r.NextDouble();
                return labels[(int)(count * (skew ? u * u : u))];
            };
            FeatureProfile referenceProfile = FeatureProfile.Categorical(name);
            for (int i = 0; i < Rows; i++)
            {
                referenceProfile.Add(draw(random, false));
            }

            string[] currentLabels = [.. Enumerable.Range(0, Rows).Select(_ => draw(random, shifted))];
            currentNumbers.Add([]);
            currentLabelsPerFeature.Add(currentLabels);
            FeatureProfile currentProfile = FeatureProfile.Categorical(name);
            FeatureProfile changingProfile = FeatureProfile.Categorical(name);
            foreach (string label in currentLabels)
            {
                currentProfile.Add(label);
                changingProfile.Add(label);
            }

            reference.Add(referenceProfile);
            current.Add(currentProfile);
            changing.Add(changingProfile);
            extraValues.Add([]);
            extraLabels.Add([.. Enumerable.Range(0, 1_024).Select(_ => draw(random, shifted))]);
        }

        _reference = [.. reference];
        _current = [.. current];

        // The same current windows, binned on their references' grids (as the runtime records once a reference exists).
        _binnedCurrent = [.. reference.Select(FeatureProfile.CreateWindowProfile)];
        for (int f = 0; f < _binnedCurrent.Length; f++)
        {
            Fill(_binnedCurrent[f], currentNumbers[f]);
            foreach (string label in currentLabelsPerFeature[f])
            {
                _binnedCurrent[f].Add(label);
            }
        }
        _changingCurrent = [.. changing];
        _extraValues = [.. extraValues];
        _extraLabels = [.. extraLabels];

        DatasetDriftResult result = Evaluate();
        int drifted = result.Columns.Count(c => c.Drift);
        string methods = string.Join(", ", result.Columns.GroupBy(c => c.Method).Select(g => $"{g.Key} x{g.Count()}"));
        Console.WriteLine($"// 50-feature window: {drifted} drifted ({methods})");
        DatasetDriftResult binned = EvaluateBinnedWindow();
        Console.WriteLine($"// binned 50-feature window: {binned.Columns.Count(c => c.Drift)} drifted, {binned.Columns.Count(c => c.Drift != result.Columns.Single(s => s.Name == c.Name).Drift)} flags differ from the sketched window");
        if (result.Columns.Count != ContinuousFeatures + IntegerFeatures + CategoricalFeatures || drifted == 0)
        {
            throw new InvalidOperationException("The evaluation benchmark's data does not look as intended.");
        }
    }

    /// <summary><c>SketchDriftEngine.Evaluate(reference, current)</c> on the same 50 pairs of profiles every time.</summary>
    [Benchmark(Description = "SketchDriftEngine.Evaluate, 50 features (same profiles)")]
    public DatasetDriftResult Evaluate() => SketchDriftEngine.Evaluate(_reference, _current);

    /// <summary>
    /// One value added to each of the 50 current profiles before evaluating, so that nothing computed from the
    /// current window by a previous evaluation can be reused, as at a real window close (the reference is unchanged).
    /// The 50 adds cost about 2 µs of the total.
    /// </summary>
    [Benchmark(Description = "SketchDriftEngine.Evaluate, 50 features (current window changed)")]
    public DatasetDriftResult EvaluateChangedWindow()
    {
        int k = _next++ & 1_023;
        for (int f = 0; f < _changingCurrent.Length; f++)
        {
            if (_changingCurrent[f].Type == ColumnType.Numerical)
            {
                _changingCurrent[f].Add(_extraValues[f][k]);
            }
            else
            {
                _changingCurrent[f].Add(_extraLabels[f][k]);
            }
        }

        return SketchDriftEngine.Evaluate(_reference, _changingCurrent);
    }

    /// <summary>
    /// The window-close figure once a reference exists: the 50 current windows binned on their references' grids
    /// (<see cref="FeatureProfile.CreateWindowProfile"/>), one value added to each before evaluating so that nothing
    /// cached from the previous evaluation is reused.
    /// </summary>
    [Benchmark(Description = "SketchDriftEngine.Evaluate, 50 features, binned window (current window changed)")]
    public DatasetDriftResult EvaluateBinnedWindow()
    {
        int k = _next++ & 1_023;
        for (int f = 0; f < _binnedCurrent.Length; f++)
        {
            if (_binnedCurrent[f].Type == ColumnType.Numerical)
            {
                _binnedCurrent[f].Add(_extraValues[f][k]);
            }
            else
            {
                _binnedCurrent[f].Add(_extraLabels[f][k]);
            }
        }

        return SketchDriftEngine.Evaluate(_reference, _binnedCurrent);
    }

    private static FeatureProfile Fill(FeatureProfile profile, int count, Func<double> next)
    {
        for (int i = 0; i < count; i++)
        {
            profile.Add(next());
        }

        return profile;
    }

    private static FeatureProfile Fill(FeatureProfile profile, double[] values)
    {
        foreach (double value in values)
        {
            profile.Add(value);
        }

        return profile;
    }
}

/// <summary>
/// The exact engine's two-sample Kolmogorov-Smirnov test on two 1,000,000-value columns (forced with
/// <c>DriftMethod.KolmogorovSmirnov</c>; scipy's <c>ks_2samp</c> switches to the asymptotic distribution at this size, and
/// so does the engine), for comparison with the <c>ks_2samp</c> figure in docs/benchmarks.md ("mlmon at scale").
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class DriftExactKsBenchmarks
{
    private const int Rows = 1_000_000;
    private static readonly ColumnDriftSettings Ks = new(StatTests.KolmogorovSmirnov);
    private ColumnSample _reference = null!;
    private ColumnSample _current = null!;

    /// <summary>Standard-normal reference; current shifted by 0.005 standard deviations, as the scipy comparison's column.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1_000_003);
        _reference = ColumnSample.Numerical("noise", [.. Enumerable.Range(0, Rows).Select(_ => DriftData.Normal(random, 0, 1))]);
        _current = ColumnSample.Numerical("noise", [.. Enumerable.Range(0, Rows).Select(_ => DriftData.Normal(random, 0.005, 1))]);
        ColumnDriftResult result = EvaluateColumn();
        Console.WriteLine($"// exact KS on 2 x {Rows:N0} values: {result.Method}, p = {result.Score:R}, drift {result.Drift}");
    }

    /// <summary><c>ExactDriftEngine.EvaluateColumn</c> with KS: copy, sort, statistic and p-value.</summary>
    [Benchmark(Description = "ExactDriftEngine.EvaluateColumn, KS, 2 x 1M values")]
    public ColumnDriftResult EvaluateColumn() => ExactDriftEngine.EvaluateColumn(_reference, _current, Ks);
}

/// <summary>Deterministic inputs for the drift benchmarks.</summary>
internal static class DriftData
{
    /// <summary>A normal draw (Box-Muller).</summary>
    public static double Normal(Random random, double mean, double standardDeviation)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return mean + (standardDeviation * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }
}
