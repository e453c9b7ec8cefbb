using ModelMonitoring.Outliers;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Statistics.Tests;

/// <summary>Selection gives exactly what a sort gives, on every shape that breaks a quickselect: ties, sorted, reversed, tiny.</summary>
public sealed class OrderStatisticTests
{
    public static TheoryData<string> Shapes => new() { "random", "ties", "sorted", "reversed", "constant", "organ-pipe" };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TheKthValueIsTheSortedOnesAndThePartitionHolds(string shape)
    {
        var random = new Random(7);
        foreach (int length in new[] { 1, 2, 3, 17, 18, 1000, 100_001 })
        {
            double[] values = Enumerable.Range(0, length).Select(i => shape switch
            {
                "random" => random.NextDouble(),
                "ties" => random.Next(5),
                "sorted" => i,
                "reversed" => -i,
                "constant" => 4.2,
                _ => Math.Min(i, length - i),
            }).Select(v => (double)v).ToArray();
            double[] sorted = values.Order().ToArray();
            foreach (int k in new[] { 0, length / 2, length - 1 })
            {
                double[] copy = (double[])values.Clone();
                double selected = OrderStatistic.SelectInPlace(copy, k);
                Assert.Equal(sorted[k], selected);
                Assert.Equal(sorted[k], copy[k]);
                Assert.All(copy[..k], v => Assert.True(v <= selected));
                Assert.All(copy[(k + 1)..], v => Assert.True(v >= selected));
                Assert.Equal(sorted, copy.Order().ToArray()); // a permutation: nothing lost or duplicated
            }
        }
    }

    [Fact]
    public void TheRobustScoreMedianAndMadAreNumpysForOddAndEvenCounts()
    {
        // numpy.median([1, 2, 4, 7, 100]) = 4, MAD = median(|x - 4|) = median([3, 2, 0, 3, 96]) = 3
        RobustZScore odd = RobustZScore.Fit([7, 1, 100, 4, 2]);
        Assert.Equal(4, odd.Median);
        Assert.Equal(3, odd.MedianAbsoluteDeviation);

        // numpy.median([1, 2, 4, 7]) = 3, deviations [2, 1, 1, 4] -> MAD 1.5, mean 2
        RobustZScore even = RobustZScore.Fit([4, 1, 7, 2, double.NaN, double.PositiveInfinity]);
        Assert.Equal(3, even.Median);
        Assert.Equal(1.5, even.MedianAbsoluteDeviation);
        Assert.Equal(2, even.MeanAbsoluteDeviation);
    }
}
