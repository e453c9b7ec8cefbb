using ModelMonitoring.Sketches;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Statistics.Tests.Sketches;

public sealed class FeatureProfileTests
{
    [Fact]
    public void Numerical_profile_counts_missing_values_and_moments()
    {
        var profile = FeatureProfile.Numerical("price");
        foreach (double value in new[] { 1e9 + 1, 1e9 + 2, double.NaN, 1e9 + 3 })
        {
            profile.Add(value);
        }

        profile.Add((string?)null);
        Assert.Equal(3, profile.Count);
        Assert.Equal(2, profile.MissingCount);
        Assert.Equal(1e9 + 2, profile.Mean, 6);
        Assert.Equal(Math.Sqrt(2.0 / 3.0), profile.StandardDeviation, 6);
        Assert.Equal(1e9 + 1, profile.Min);
        Assert.Equal(1e9 + 3, profile.Max);
        Assert.True(profile.HasExactValueCounts);
        Assert.Equal(3, profile.DistinctCount);
        Assert.Throws<InvalidOperationException>(() => profile.Add("text"));
    }

    [Fact]
    public void Exact_value_counts_stop_after_the_limit()
    {
        var profile = FeatureProfile.Numerical("rooms");
        for (int i = 0; i < 1000; i++)
        {
            profile.Add(i % FeatureProfile.DistinctValueLimit);
        }

        Assert.True(profile.HasExactValueCounts);
        Assert.Equal(FeatureProfile.DistinctValueLimit, profile.DistinctCount);
        Assert.Equal(1000, profile.GetValueCounts()!.Sum(pair => pair.Weight));
        profile.Add(99);
        Assert.False(profile.HasExactValueCounts);
        Assert.Null(profile.GetValueCounts());
        Assert.True(profile.DistinctCount > Methods.BinnedShares.MaxDistinctValuesCompared);
    }

    [Fact]
    public void Merge_combines_counts_moments_and_sketches()
    {
        var left = FeatureProfile.Numerical("x");
        var right = FeatureProfile.Numerical("x");
        var whole = FeatureProfile.Numerical("x");
        var random = new Random(2);
        for (int i = 0; i < 50_000; i++)
        {
            double value = (random.NextDouble() * 100) + 1000;
            (i % 2 == 0 ? left : right).Add(value);
            whole.Add(value);
        }

        right.Add(double.NaN);
        left.Merge(right);
        Assert.Equal(50_000, left.Count);
        Assert.Equal(1, left.MissingCount);
        Assert.Equal(whole.Mean, left.Mean, 9);
        Assert.Equal(whole.StandardDeviation, left.StandardDeviation, 9);
        Assert.Equal(whole.Min, left.Min);
        Assert.Equal(whole.Max, left.Max);
        Assert.InRange(Math.Abs(left.Sketch!.Rank(1050) - whole.Sketch!.Rank(1050)), 0, 2 * KllSketch.RankErrorFor(KllSketch.DefaultK));
        Assert.Throws<ArgumentException>(() => left.Merge(FeatureProfile.Categorical("x")));
    }

    [Fact]
    public void Reset_forgets_everything_and_keeps_working()
    {
        var profile = FeatureProfile.Numerical("x");
        for (int i = 0; i < 100_000; i++)
        {
            profile.Add(i);
        }

        profile.Reset();
        Assert.Equal(0, profile.Count);
        Assert.True(profile.Sketch!.IsEmpty);
        profile.Add(5);
        Assert.Equal(5, profile.Mean);
        Assert.Equal(1, profile.DistinctCount);
    }

    [Fact]
    public void Add_double_does_not_allocate_after_warm_up()
    {
        var profile = FeatureProfile.Numerical("x");
        var random = new Random(5);
        double[] values = Enumerable.Range(0, 1 << 16).Select(_ => random.NextDouble()).ToArray();
        for (int i = 0; i < 2_000_000; i++)
        {
            profile.Add(values[i & 0xFFFF]);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000_000; i++)
        {
            profile.Add(values[i & 0xFFFF]);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Memory_of_a_numerical_profile_stays_bounded_after_ten_million_values()
    {
        var profile = FeatureProfile.Numerical("x");
        int capacity = profile.Sketch!.ItemCapacity;
        for (int i = 0; i < 10_000_000; i++)
        {
            profile.Add(i * 0.5);
        }

        Assert.Equal(10_000_000, profile.Count);
        Assert.Equal(capacity, profile.Sketch.ItemCapacity);
        Assert.InRange(profile.Sketch.RetainedItems, 1, KllSketch.MaxRetainedItems(KllSketch.DefaultK));
    }

    [Fact]
    public void Categorical_profile_uses_a_bounded_counter_with_an_overflow_bucket()
    {
        var profile = FeatureProfile.Categorical("region", maxCategories: 3);
        foreach (string? value in new[] { "north", "south", null, "east", "west", "north", "up" })
        {
            profile.Add(value);
        }

        CategoryCounter counter = profile.Categories!;
        Assert.Equal(6, profile.Count);
        Assert.Equal(1, profile.MissingCount);
        Assert.Equal(3, counter.CategoryCount);
        Assert.Equal(2, counter.OverflowCount);
        Assert.Equal(4, profile.DistinctCount);
        Assert.Equal(
            [CategoryCounter.OverflowCategory, "east", "north", "south"],
            counter.GetCounts().Select(pair => pair.Key).ToArray());
        Assert.Equal(2, counter.CountOf("north"));
        Assert.Equal(2, counter.CountOf(CategoryCounter.OverflowCategory));
        Assert.Throws<InvalidOperationException>(() => profile.Add(1.5));
    }

    [Fact]
    public void Category_counter_does_not_allocate_for_known_categories_and_merges()
    {
        var counter = new CategoryCounter();
        string[] labels = Enumerable.Range(0, 150).Select(i => $"c{i}").ToArray();
        foreach (string label in labels)
        {
            counter.Add(label);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000_000; i++)
        {
            counter.Add(labels[i % labels.Length]);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(CategoryCounter.DefaultMaxCategories, counter.CategoryCount);
        Assert.Equal(1_000_150, counter.Count);

        var other = new CategoryCounter();
        other.Add("c0", 5);
        other.Add("new");
        counter.Merge(other);
        Assert.Equal(1_000_156, counter.Count);
        Assert.Equal(counter.Count, counter.GetCounts().Sum(pair => pair.Value));
    }
}
