using ModelMonitoring.Sketches;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Statistics.Tests.Sketches;

/// <summary>
/// Window profiles binned on their reference's grid (<see cref="FeatureProfile.CreateWindowProfile"/>): what stays
/// exact, what is approximate and within which bound, and that the drift engine's fast path on the grid gives what
/// the value-by-value path gives.
/// </summary>
public sealed class BinnedWindowTests
{
    [Fact]
    public void A_window_profile_has_the_reference_name_and_type_and_a_binned_or_bounded_store()
    {
        FeatureProfile numbers = Fill(FeatureProfile.Numerical("price"), Normal(new Random(1), 5_000, 100, 15));
        FeatureProfile window = FeatureProfile.CreateWindowProfile(numbers);
        Assert.Equal("price", window.Name);
        Assert.Equal(ColumnType.Numerical, window.Type);
        Assert.True(window.IsBinned);
        Assert.Null(window.Sketch);
        Assert.Equal(0, window.Count);
        Assert.InRange(window.BinCount, 1_025, 1_100);

        var labels = FeatureProfile.Categorical("region", maxCategories: 7);
        labels.Add("north");
        FeatureProfile labelWindow = FeatureProfile.CreateWindowProfile(labels);
        Assert.Equal("region", labelWindow.Name);
        Assert.Equal(ColumnType.Categorical, labelWindow.Type);
        Assert.Equal(7, labelWindow.MaxCategories);
        Assert.False(labelWindow.IsBinned);

        // No value in the reference yet: nothing to derive a grid from, so the window is sketched.
        FeatureProfile fromEmpty = FeatureProfile.CreateWindowProfile(FeatureProfile.Numerical("empty", sketchK: 512));
        Assert.False(fromEmpty.IsBinned);
        Assert.Equal(512, fromEmpty.SketchK);
    }

    /// <summary>
    /// Adding a span gives, bit for bit, what adding its values one by one gives: a binned window from its first value
    /// (exact value counts tracked, then overflowing in the middle of a span), with NaN and infinities between runs,
    /// and a sketched profile.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Adding_a_span_is_adding_its_values_one_by_one(bool binned)
    {
        var random = new Random(5);
        FeatureProfile reference = Fill(FeatureProfile.Numerical("price"), Normal(random, 20_000, 100, 15));
        double[] values = [.. Enumerable.Range(0, 30_000).Select(i => i switch
        {
            < 500 => i % 7, // few distinct values first: exact counts tracked, then overflowing
            _ when i % 997 == 0 => double.NaN,
            _ when i % 1_499 == 0 => i % 2 == 0 ? double.PositiveInfinity : double.NegativeInfinity,
            _ => Math.Round(100 + (random.NextDouble() * 60) - 30, 3),
        })];
        FeatureProfile one = binned ? FeatureProfile.CreateWindowProfile(reference) : FeatureProfile.Numerical("price");
        FeatureProfile spans = binned ? FeatureProfile.CreateWindowProfile(reference) : FeatureProfile.Numerical("price");
        foreach (double value in values)
        {
            one.Add(value);
        }

        for (int start = 0; start < values.Length; start += 1_024)
        {
            spans.Add(values.AsSpan(start, Math.Min(1_024, values.Length - start)));
        }

        Assert.Equal(binned, spans.IsBinned);
        Assert.Equal(one.Count, spans.Count);
        Assert.Equal(one.MissingCount, spans.MissingCount);
        Assert.Equal(one.NonFiniteCount, spans.NonFiniteCount);
        Assert.Equal(one.DistinctCount, spans.DistinctCount);
        Assert.Equal(BitConverter.DoubleToInt64Bits(one.Mean), BitConverter.DoubleToInt64Bits(spans.Mean));
        Assert.Equal(BitConverter.DoubleToInt64Bits(one.StandardDeviation), BitConverter.DoubleToInt64Bits(spans.StandardDeviation));
        Assert.Equal(one.Min, spans.Min);
        Assert.Equal(one.Max, spans.Max);
        Assert.Equal(one.GetDistribution().Values.ToArray(), spans.GetDistribution().Values.ToArray());
        Assert.Equal(one.GetDistribution().Weights.ToArray(), spans.GetDistribution().Weights.ToArray());
        Assert.Throws<InvalidOperationException>(() => FeatureProfile.Categorical("region").Add([1.0]));
    }

    [Fact]
    public void The_grid_is_derived_once_and_shared_by_every_window_of_a_reference()
    {
        FeatureProfile reference = Fill(FeatureProfile.Numerical("x"), Normal(new Random(2), 20_000, 0, 1));
        FeatureProfile first = FeatureProfile.CreateWindowProfile(reference);
        FeatureProfile second = FeatureProfile.CreateWindowProfile(reference);
        double[] values = Normal(new Random(3), 3_000, 0, 1);
        Fill(first, values);
        Fill(second, values);

        // Same grid: a merge adds bin to bin, giving what one window fed both streams holds.
        FeatureProfile both = Fill(Fill(FeatureProfile.CreateWindowProfile(reference), values), values);
        first.Merge(second);
        AssertSameDistribution(both.GetDistribution(), first.GetDistribution(), 1e-12);
        Assert.Equal(both.Count, first.Count);
        Assert.Equal(both.Mean, first.Mean, 12);
    }

    [Fact]
    public void Windows_created_on_many_threads_at_once_share_one_grid()
    {
        // mlmon's chunked read creates a column's window on every thread at the same moment: each must get the grid
        // the first one published, built on the reference's one distribution, or the chunks' merge and the comparison
        // would leave the grid's exact path (rounded differently, and different from run to run).
        for (int attempt = 0; attempt < 20; attempt++)
        {
            FeatureProfile reference = Fill(FeatureProfile.Numerical("x"), Normal(new Random(attempt), 50_000, 0, 1));
            var windows = new FeatureProfile[8];
            using var start = new Barrier(windows.Length);
            Parallel.For(0, windows.Length, new ParallelOptions { MaxDegreeOfParallelism = windows.Length }, i =>
            {
                start.SignalAndWait();
                windows[i] = FeatureProfile.CreateWindowProfile(reference);
            });

            Assert.All(windows, w => Assert.Same(windows[0].BinGrid, w.BinGrid));
            Assert.Same(windows[0].BinGrid, FeatureProfile.CreateWindowProfile(reference).BinGrid);
            Assert.Same(reference.GetDistribution(), windows[0].BinGrid!.Source); // the drift engine's fast path on the grid
        }
    }

    [Fact]
    public void Count_missing_moments_and_range_stay_exact()
    {
        var random = new Random(4);
        FeatureProfile reference = Fill(FeatureProfile.Numerical("x"), Normal(random, 10_000, 1e6, 250));
        FeatureProfile window = FeatureProfile.CreateWindowProfile(reference);
        double[] values = [.. Normal(random, 4_000, 1e6 + 40, 300), 5e5, 2e6]; // two values outside the reference's range
        Fill(window, values);
        window.Add(double.NaN);
        window.AddMissing();

        double mean = values.Average();
        double variance = values.Select(v => (v - mean) * (v - mean)).Average();
        Assert.Equal(values.Length, window.Count);
        Assert.Equal(2, window.MissingCount);
        Assert.Equal(mean, window.Mean, 6);
        Assert.Equal(variance, window.Variance, variance * 1e-9);
        Assert.Equal(5e5, window.Min);
        Assert.Equal(2e6, window.Max);
        Assert.False(window.HasExactValueCounts);
        Assert.Equal(FeatureProfile.DistinctValueLimit + 1, window.DistinctCount);

        // The distribution's weights add up to the count, its values (bin means) are ascending and inside the range.
        SortedWeightedValues distribution = window.GetDistribution();
        Assert.Equal(values.Length, distribution.TotalWeight);
        Assert.InRange(distribution.Values[0], 5e5, reference.Min);
        Assert.InRange(distribution.Values[^1], reference.Max, 2e6);
        for (int i = 1; i < distribution.Length; i++)
        {
            Assert.True(distribution.Values[i] > distribution.Values[i - 1]);
        }
    }

    [Fact]
    public void Few_distinct_numbers_are_counted_exactly_for_evidently_rules()
    {
        FeatureProfile reference = Fill(FeatureProfile.Numerical("rooms"), [.. Enumerable.Range(0, 1_000).Select(i => (double)(i % 6))]);
        FeatureProfile window = FeatureProfile.CreateWindowProfile(reference);
        Fill(window, [.. Enumerable.Range(0, 700).Select(i => (double)(i % 4)), 9]);
        Assert.True(window.HasExactValueCounts);
        Assert.Equal(5, window.DistinctCount);
        Assert.Equal(
            new WeightedValue[] { new(0, 175), new(1, 175), new(2, 175), new(3, 175), new(9, 1) },
            window.GetValueCounts()!);
        Assert.Equal(window.GetValueCounts()!.Select(p => p.Value), window.GetDistribution().Values.ToArray());
    }

    [Fact]
    public void On_a_reference_with_few_distinct_values_every_reference_value_is_a_bin_of_its_own()
    {
        // 300 distinct values, and one far outlier that crowds all the others into the first bucket of the lookup
        // table: the refined tables must still find every value's own bin.
        double[] distinct = [.. Enumerable.Range(0, 300).Select(i => (i * 0.37) - 40), 1e12];
        var random = new Random(5);
        FeatureProfile reference = Fill(FeatureProfile.Numerical("x"), [.. Enumerable.Range(0, 5_000).Select(_ => distinct[random.Next(distinct.Length)])]);
        FeatureProfile window = FeatureProfile.CreateWindowProfile(reference);
        Assert.Equal((2 * distinct.Length) + 1, window.BinCount);

        double[] values = [.. Enumerable.Range(0, 20_000).Select(_ => distinct[random.Next(distinct.Length)])];
        Fill(window, values);
        SortedWeightedValues expected = SortedWeightedValues.Create(values.Select(v => new WeightedValue(v, 1)));
        AssertSameDistribution(expected, window.GetDistribution(), 0);

        // Values between two reference values land in the gap between them: the count and the mean of each gap.
        FeatureProfile gaps = FeatureProfile.CreateWindowProfile(reference);
        double[] between = [.. Enumerable.Range(0, 20_000).Select(_ => random.Next(299)).Select(k => distinct[k] + (random.NextDouble() * 0.36) + 0.005)];
        Fill(gaps, between);
        SortedWeightedValues binned = gaps.GetDistribution();
        var byGap = between.GroupBy(v => Array.BinarySearch(distinct, v)).OrderBy(g => ~g.Key).ToArray();
        Assert.Equal(byGap.Length, binned.Length);
        for (int i = 0; i < byGap.Length; i++)
        {
            Assert.Equal(byGap[i].LongCount(), binned.Weights[i]);
            Assert.Equal(byGap[i].Average(), binned.Values[i], 1e-9);
        }
    }

    [Fact]
    public void Reset_keeps_the_grid_and_clone_copies_the_bins()
    {
        FeatureProfile reference = Fill(FeatureProfile.Numerical("x"), Normal(new Random(6), 20_000, 0, 1));
        FeatureProfile window = FeatureProfile.CreateWindowProfile(reference);
        double[] values = Normal(new Random(7), 5_000, 0.2, 1);
        Fill(window, Normal(new Random(8), 5_000, 3, 1));
        int bins = window.BinCount;
        window.Reset();
        Assert.Equal(0, window.Count);
        Assert.True(double.IsNaN(window.Min));
        Assert.True(window.IsBinned);
        Assert.Equal(bins, window.BinCount);

        Fill(window, values);
        FeatureProfile fresh = Fill(FeatureProfile.CreateWindowProfile(reference), values);
        AssertSameDistribution(fresh.GetDistribution(), window.GetDistribution(), 0);
        FeatureProfile clone = window.Clone();
        Assert.True(clone.IsBinned);
        AssertSameDistribution(window.GetDistribution(), clone.GetDistribution(), 0);
        Assert.Equal(window.Variance, clone.Variance, 15);
    }

    [Fact]
    public void Adding_with_the_bin_looked_up_first_gives_exactly_what_Add_gives()
    {
        // The folder looks a row's bins up first and adds after (Add(value, bin)): the profile must be the same.
        FeatureProfile reference = Fill(FeatureProfile.Numerical("x"), Normal(new Random(21), 20_000, 0, 1));
        FeatureProfile direct = FeatureProfile.CreateWindowProfile(reference);
        FeatureProfile lookedUp = FeatureProfile.CreateWindowProfile(reference);
        double[] values = [.. Normal(new Random(22), 5_000, 0.5, 2), double.NaN, double.PositiveInfinity, -1e300, 1e300, 0, 0];
        foreach (double value in values)
        {
            direct.Add(value);
            int bin = lookedUp.BinOf(value);
            Assert.Equal(double.IsFinite(value), bin >= 0);
            lookedUp.Add(value, bin);
        }

        AssertSameDistribution(direct.GetDistribution(), lookedUp.GetDistribution(), 0);
        Assert.Equal(direct.Count, lookedUp.Count);
        Assert.Equal(direct.MissingCount, lookedUp.MissingCount);
        Assert.Equal(direct.NonFiniteCount, lookedUp.NonFiniteCount);
        Assert.Equal(direct.Sum, lookedUp.Sum);
        Assert.Equal(direct.SumOfSquares, lookedUp.SumOfSquares);
        Assert.Equal(direct.Min, lookedUp.Min);
        Assert.Equal(direct.Max, lookedUp.Max);
        Assert.Equal(direct.DistinctCount, lookedUp.DistinctCount);

        // Not binned (a sketched profile): no bin, and Add(value, -1) is Add(value).
        FeatureProfile sketched = FeatureProfile.Numerical("y");
        Assert.Equal(-1, sketched.BinOf(1.5));
        sketched.Add(1.5, -1);
        Assert.Equal(1, sketched.Count);
    }

    [Fact]
    public void Binned_and_sketched_profiles_merge_into_each_other_keeping_count_and_range()
    {
        FeatureProfile reference = Fill(FeatureProfile.Numerical("x"), Normal(new Random(9), 20_000, 0, 1));
        double[] values = Normal(new Random(10), 5_000, 0, 1);
        FeatureProfile binned = Fill(FeatureProfile.CreateWindowProfile(reference), values);
        FeatureProfile sketched = Fill(FeatureProfile.Numerical("x"), Normal(new Random(11), 3_000, 1, 2));

        FeatureProfile intoSketch = sketched.Clone();
        intoSketch.Merge(binned);
        Assert.False(intoSketch.IsBinned);
        Assert.Equal(8_000, intoSketch.Count);
        Assert.Equal(8_000, intoSketch.Sketch!.Count);
        Assert.Equal(Math.Min(values.Min(), sketched.Min), intoSketch.Min);
        Assert.Equal(Math.Max(values.Max(), sketched.Max), intoSketch.Max);

        FeatureProfile intoBins = binned.Clone();
        intoBins.Merge(sketched);
        Assert.True(intoBins.IsBinned);
        Assert.Equal(8_000, intoBins.Count);
        Assert.Equal(8_000, intoBins.GetDistribution().TotalWeight);
        Assert.Equal(intoSketch.Min, intoBins.Min);
        Assert.Equal(intoSketch.Max, intoBins.Max);
        Assert.Equal(intoSketch.Mean, intoBins.Mean, 12);
    }

    [Fact]
    public void Add_on_a_binned_window_does_not_allocate()
    {
        FeatureProfile reference = Fill(FeatureProfile.Numerical("x"), Normal(new Random(12), 50_000, 0, 1));
        FeatureProfile window = FeatureProfile.CreateWindowProfile(reference);
        double[] values = Normal(new Random(13), 1 << 16, 0, 1.5);
        for (int i = 0; i < 200_000; i++)
        {
            window.Add(values[i & 0xFFFF]);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000_000; i++)
        {
            window.Add(values[i & 0xFFFF]);
        }

        window.Reset();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>
    /// The documented bounds of a binned window against the exact window, for the same reference: the KS statistic
    /// within the largest share of the window in one bin, the Wasserstein distance within that share times the
    /// window's range. Checked on a window like the reference, a shifted one, a wider one and a heavy-tailed one.
    /// </summary>
    [Theory]
    [InlineData(0.0, 1.0, false)]
    [InlineData(0.3, 1.0, false)]
    [InlineData(0.0, 2.5, false)]
    [InlineData(0.0, 1.0, true)]
    public void Ks_and_wasserstein_stay_within_the_documented_bound(double shift, double scale, bool heavyTailed)
    {
        var random = new Random(14);
        Func<double, double> shape = heavyTailed ? Math.Exp : v => v;
        FeatureProfile reference = Fill(FeatureProfile.Numerical("x"), [.. Normal(random, 20_000, 0, 1).Select(shape)]);
        double[] values = [.. Normal(random, 10_000, shift, scale).Select(shape)];
        FeatureProfile window = Fill(FeatureProfile.CreateWindowProfile(reference), values);
        SortedWeightedValues referenceDistribution = reference.GetDistribution();
        SortedWeightedValues exactWindow = SortedWeightedValues.Create(values.Select(v => new WeightedValue(v, 1)));
        SortedWeightedValues binned = window.GetDistribution();
        double largestShare = (double)binned.Weights.ToArray().Max() / values.Length;

        double exactD = SketchDriftEngine.KolmogorovSmirnovStatistic(referenceDistribution, exactWindow);
        double binnedD = SketchDriftEngine.KolmogorovSmirnovStatistic(referenceDistribution, binned);
        Assert.True(Math.Abs(binnedD - exactD) <= largestShare, $"KS {binnedD} vs {exactD}, bound {largestShare}");

        double exactW = WassersteinDistance.Distance(
            referenceDistribution.Values, Doubles(referenceDistribution.Weights), exactWindow.Values, Doubles(exactWindow.Weights));
        double binnedW = SketchDriftEngine.EvaluateColumn(reference, window, new ColumnDriftSettings(StatTests.Wasserstein)).Score
            * Math.Max(reference.StandardDeviation, WassersteinDistance.MinimumNorm);
        double bound = largestShare * (values.Max() - values.Min());
        Assert.True(Math.Abs(binnedW - exactW) <= bound, $"Wasserstein {binnedW} vs {exactW}, bound {bound}");
    }

    [Fact]
    public void Wasserstein_on_the_grid_equals_the_value_by_value_walk()
    {
        // The engine's fast path needs the reference the grid came from; a clone of it takes the general walk.
        var random = new Random(15);
        foreach ((double shift, double scale) in new[] { (0.0, 1.0), (0.05, 1.0), (1.0, 0.5), (-4.0, 3.0) })
        {
            FeatureProfile reference = Fill(FeatureProfile.Numerical("x"), Normal(random, 30_000, 0, 1));
            FeatureProfile window = Fill(FeatureProfile.CreateWindowProfile(reference), Normal(random, 8_000, shift, scale));
            var settings = new ColumnDriftSettings(StatTests.Wasserstein);
            double onGrid = SketchDriftEngine.EvaluateColumn(reference, window, settings).Score;
            double byValues = SketchDriftEngine.EvaluateColumn(reference.Clone(), window, settings).Score;
            Assert.Equal(byValues, onGrid, byValues * 1e-9);
        }
    }

    [Fact]
    public void A_binned_window_saved_as_a_baseline_keeps_its_count_range_and_moments()
    {
        FeatureProfile reference = Fill(FeatureProfile.Numerical("x"), Normal(new Random(16), 20_000, 0, 1));
        FeatureProfile window = Fill(FeatureProfile.CreateWindowProfile(reference), Normal(new Random(17), 6_000, 0.1, 1));
        var baseline = new BaselineProfile([window], "m", window.Count, DateTimeOffset.UnixEpoch);
        FeatureProfile loaded = BaselineProfile.FromJson(baseline.ToJson(), "window.json").Features[0];
        Assert.False(loaded.IsBinned);
        Assert.Equal(window.Count, loaded.Count);
        Assert.Equal(window.Min, loaded.Min);
        Assert.Equal(window.Max, loaded.Max);
        Assert.Equal(window.Mean, loaded.Mean, 12);
        Assert.Equal(window.Variance, loaded.Variance, 12);
    }

    [Fact]
    public void Category_counts_seen_by_the_engine_follow_later_adds_and_resets()
    {
        var counter = new CategoryCounter();
        counter.Add("b");
        Assert.Equal(new[] { "b" }, counter.GetCounts().Select(p => p.Key));
        counter.Add("a");
        counter.Add("b");
        Assert.Equal(new KeyValuePair<string, long>[] { new("a", 1), new("b", 2) }, counter.GetCounts());
        counter.Reset();
        Assert.Empty(counter.GetCounts());
        counter.Add("c");
        Assert.Equal(new[] { "c" }, counter.GetCounts().Select(p => p.Key));
    }

    internal static FeatureProfile Fill(FeatureProfile profile, IEnumerable<double> values)
    {
        foreach (double value in values)
        {
            profile.Add(value);
        }

        return profile;
    }

    internal static double[] Normal(Random random, int count, double mean, double standardDeviation)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            values[i] = mean + (standardDeviation * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }

        return values;
    }

    private static double[] Doubles(ReadOnlySpan<long> weights)
    {
        var result = new double[weights.Length];
        for (int i = 0; i < weights.Length; i++)
        {
            result[i] = weights[i];
        }

        return result;
    }

    private static void AssertSameDistribution(SortedWeightedValues expected, SortedWeightedValues actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected.Weights[i], actual.Weights[i]);
            Assert.Equal(expected.Values[i], actual.Values[i], Math.Abs(expected.Values[i]) * tolerance);
        }
    }
}
