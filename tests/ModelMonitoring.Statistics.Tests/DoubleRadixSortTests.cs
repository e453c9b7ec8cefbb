namespace ModelMonitoring.Statistics.Tests;

/// <summary>
/// The exact engine's radix sort gives what a comparison sort and a count of equal neighbours give, on the inputs
/// where a bit-level sort could go wrong: negatives, both zeros, subnormals, the extremes of the double range, many
/// ties, and sizes on either side of the small-input cut-over.
/// </summary>
public sealed class DoubleRadixSortTests
{
    public static TheoryData<int, int> Sizes => new() { { 1, 1 }, { 255, 2 }, { 256, 3 }, { 257, 4 }, { 10_000, 5 }, { 200_000, 6 } };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Matches_a_comparison_sort_with_ties_counted(int size, int seed)
    {
        var random = new Random(seed);
        double[] special = [0.0, -0.0, double.Epsilon, -double.Epsilon, double.MaxValue, -double.MaxValue, double.MinValue, 1e-310, -1e-310, 1.0, -1.0];
        double[] values = new double[size];
        for (int i = 0; i < size; i++)
        {
            values[i] = (i % 7) switch
            {
                0 => special[random.Next(special.Length)],
                1 => Math.Round(random.NextDouble() * 10, 1), // many ties
                2 => -Math.Round(random.NextDouble() * 10, 1),
                3 => (random.NextDouble() - 0.5) * 1e300,
                4 => (random.NextDouble() - 0.5) * 1e-300,
                _ => random.NextDouble() - 0.5,
            };
        }

        (double[] distinct, long[] counts) = DoubleRadixSort.DistinctCounts(values, out double? nonFinite);

        Assert.Null(nonFinite);
        (double[] expectedValues, long[] expectedCounts) = Expected(values);
        Assert.Equal(expectedValues.Length, distinct.Length);
        for (int i = 0; i < distinct.Length; i++)
        {
            Assert.True(expectedValues[i] == distinct[i], $"value {i}: expected {expectedValues[i]:R}, got {distinct[i]:R}");
            Assert.Equal(expectedCounts[i], counts[i]);
        }

        Assert.Equal(size, counts.Sum());
        Assert.DoesNotContain(distinct, d => d == 0 && double.IsNegative(d)); // -0.0 is read as 0.0
    }

    [Theory]
    [InlineData(10, double.NaN)]
    [InlineData(10, double.PositiveInfinity)]
    [InlineData(1000, double.NegativeInfinity)]
    [InlineData(1000, double.NaN)]
    public void Reports_the_first_non_finite_value(int size, double bad)
    {
        double[] values = Enumerable.Range(0, size).Select(i => (double)i).ToArray();
        values[size / 2] = bad;
        values[^1] = double.PositiveInfinity;

        DoubleRadixSort.DistinctCounts(values, out double? nonFinite);

        Assert.Equal(bad, nonFinite);
    }

    [Fact]
    public void Keys_order_as_the_values()
    {
        double[] ordered = [double.MinValue, -1e300, -1.5, -double.Epsilon, 0.0, double.Epsilon, 1e-300, 1.5, 1e300, double.MaxValue];
        for (int i = 0; i < ordered.Length; i++)
        {
            Assert.Equal(ordered[i], DoubleRadixSort.FromKey(DoubleRadixSort.ToKey(ordered[i])));
            if (i > 0)
            {
                Assert.True(DoubleRadixSort.ToKey(ordered[i - 1]) < DoubleRadixSort.ToKey(ordered[i]));
            }
        }
    }

    private static (double[] Values, long[] Counts) Expected(double[] values)
    {
        double[] sorted = (double[])values.Clone();
        Array.Sort(sorted);
        var distinct = new List<double>();
        var counts = new List<long>();
        foreach (double value in sorted)
        {
            if (distinct.Count > 0 && distinct[^1] == value)
            {
                counts[^1]++;
            }
            else
            {
                distinct.Add(value);
                counts.Add(1);
            }
        }

        return ([.. distinct], [.. counts]);
    }
}
