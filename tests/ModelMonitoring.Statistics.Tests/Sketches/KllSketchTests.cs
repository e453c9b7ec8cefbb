using ModelMonitoring.Sketches;

namespace ModelMonitoring.Statistics.Tests.Sketches;

public sealed class KllSketchTests
{
    [Fact]
    public void Holds_every_value_exactly_until_k_values()
    {
        var sketch = new KllSketch(k: 200);
        for (int i = 1; i <= 150; i++)
        {
            sketch.Add(i);
        }

        Assert.True(sketch.IsExact);
        Assert.Equal(150, sketch.RetainedItems);
        Assert.Equal(0.5, sketch.Rank(75), 12);
        Assert.Equal(75, sketch.Quantile(0.5));
        Assert.Equal(1, sketch.Min);
        Assert.Equal(150, sketch.Max);
        Assert.Equal(0, sketch.NormalizedRankError);
    }

    [Theory]
    [InlineData("random")]
    [InlineData("ascending")]
    [InlineData("descending")]
    public void Rank_error_stays_within_the_documented_bound(string order)
    {
        const int n = 1_000_000;
        double[] values = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        if (order == "random")
        {
            new Random(42).Shuffle(values);
        }
        else if (order == "descending")
        {
            Array.Reverse(values);
        }

        var sketch = new KllSketch(seed: 7);
        foreach (double value in values)
        {
            sketch.Add(value);
        }

        Assert.Equal(n, sketch.Count);
        Assert.Equal(n, sketch.WeightedItems().Sum(item => item.Weight));
        double bound = KllSketch.RankErrorFor(KllSketch.DefaultK);
        for (double q = 0.01; q < 1; q += 0.01)
        {
            double x = q * n;
            double trueRank = (Math.Floor(x) + 1) / n;
            Assert.InRange(Math.Abs(sketch.Rank(x) - trueRank), 0, bound);
            Assert.InRange(Math.Abs((sketch.Quantile(q) / n) - q), 0, bound + (1.0 / n));
        }
    }

    [Fact]
    public void Memory_stays_bounded_after_ten_million_values()
    {
        var sketch = new KllSketch();
        int bound = KllSketch.MaxRetainedItems(KllSketch.DefaultK);
        int capacity = sketch.ItemCapacity;
        var random = new Random(1);
        int maxRetained = 0;
        for (int i = 0; i < 10_000_000; i++)
        {
            sketch.Add(random.NextDouble());
            if ((i & 0xFFFF) == 0)
            {
                maxRetained = Math.Max(maxRetained, sketch.RetainedItems);
            }
        }

        Assert.Equal(10_000_000, sketch.Count);
        Assert.Equal(capacity, sketch.ItemCapacity);
        Assert.Equal(bound, capacity);
        Assert.InRange(Math.Max(maxRetained, sketch.RetainedItems), 1, bound);
        // The documented bound: about 3 K, plus 256 for the input level and 8 per small level.
        Assert.InRange(bound, 3 * KllSketch.DefaultK, (3 * KllSketch.DefaultK) + 256 + (8 * 61));
        Assert.InRange(Math.Abs(sketch.Rank(0.25) - 0.25), 0, KllSketch.RankErrorFor(KllSketch.DefaultK));
    }

    [Fact]
    public void Same_seed_and_stream_give_the_same_sketch()
    {
        KllSketch first = Fill(new KllSketch(k: 64, seed: 3), 100_000, 5);
        KllSketch second = Fill(new KllSketch(k: 64, seed: 3), 100_000, 5);
        Assert.Equal(first.WeightedItems(), second.WeightedItems());
    }

    [Fact]
    public void Merge_of_two_halves_estimates_the_whole_stream()
    {
        var left = new KllSketch(k: 256, seed: 1);
        var right = new KllSketch(k: 256, seed: 2);
        var random = new Random(9);
        for (int i = 0; i < 300_000; i++)
        {
            left.Add(random.NextDouble());
            right.Add(1 + random.NextDouble());
        }

        left.Merge(right);
        Assert.Equal(600_000, left.Count);
        Assert.Equal(600_000, left.WeightedItems().Sum(item => item.Weight));
        Assert.InRange(left.Min, 0, 0.001);
        Assert.InRange(left.Max, 1.999, 2);
        Assert.InRange(left.RetainedItems, 1, KllSketch.MaxRetainedItems(256));
        double bound = KllSketch.RankErrorFor(256);
        Assert.InRange(Math.Abs(left.Rank(1) - 0.5), 0, bound);
        Assert.InRange(Math.Abs(left.Rank(0.5) - 0.25), 0, bound);
        Assert.InRange(Math.Abs(left.Rank(1.75) - 0.875), 0, bound);
        Assert.Equal(300_000, right.Count);
    }

    [Fact]
    public void Merge_into_an_empty_sketch_and_of_small_sketches_is_exact()
    {
        var empty = new KllSketch(k: 64);
        var small = new KllSketch(k: 64);
        small.Add(3);
        small.Add(1);
        empty.Merge(small);
        Assert.Equal(2, empty.Count);
        Assert.Equal(1, empty.Min);
        Assert.Equal(3, empty.Max);
        Assert.Equal(0.5, empty.Rank(2));

        Assert.Throws<ArgumentException>(() => empty.Merge(new KllSketch(k: 128)));
    }

    [Fact]
    public void Many_merges_keep_memory_bounded_and_ranks_accurate()
    {
        var total = new KllSketch(k: 128);
        var window = new KllSketch(k: 128);
        var random = new Random(4);
        for (int w = 0; w < 200; w++)
        {
            window.Reset();
            for (int i = 0; i < 5_000; i++)
            {
                window.Add(random.NextDouble());
            }

            total.Merge(window);
            Assert.InRange(total.RetainedItems, 1, KllSketch.MaxRetainedItems(128));
        }

        Assert.Equal(1_000_000, total.Count);
        Assert.InRange(Math.Abs(total.Rank(0.3) - 0.3), 0, KllSketch.RankErrorFor(128));
    }

    [Fact]
    public void Add_does_not_allocate_in_steady_state()
    {
        var sketch = new KllSketch();
        var random = new Random(3);
        double[] values = Enumerable.Range(0, 1 << 16).Select(_ => random.NextDouble()).ToArray();
        for (int i = 0; i < 2_000_000; i++)
        {
            sketch.Add(values[i & 0xFFFF]);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000_000; i++)
        {
            sketch.Add(values[i & 0xFFFF]);
        }

        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, after - before);
    }

    [Fact]
    public void NaN_is_ignored_and_empty_sketch_answers_NaN()
    {
        var sketch = new KllSketch();
        sketch.Add(double.NaN);
        Assert.True(sketch.IsEmpty);
        Assert.True(double.IsNaN(sketch.Rank(0)));
        Assert.True(double.IsNaN(sketch.Quantile(0.5)));
        Assert.True(double.IsNaN(sketch.Min));
    }

    private static KllSketch Fill(KllSketch sketch, int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            sketch.Add(random.NextDouble());
        }

        return sketch;
    }
}
