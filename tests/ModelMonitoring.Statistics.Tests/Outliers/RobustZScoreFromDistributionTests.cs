using ModelMonitoring.Outliers;
using ModelMonitoring.Quality;
using ModelMonitoring.Sketches;

namespace ModelMonitoring.Statistics.Tests.Outliers;

/// <summary>
/// The robust z-score the exact drift engine derives from its sorted values (<see cref="RobustZScore.FromDistribution"/>)
/// is the one <see cref="RobustZScore.Fit"/> finds over every value, and data quality uses it in place of a fit.
/// </summary>
public sealed class RobustZScoreFromDistributionTests
{
    public static TheoryData<int, int> Samples => new()
    {
        { 1, 1 }, { 2, 2 }, { 3, 3 }, { 1_000, 4 }, { 1_001, 5 }, { 10_000, 6 },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void The_median_and_median_absolute_deviation_equal_the_fit_over_every_value(int count, int seed)
    {
        var random = new Random(seed);
        foreach (double[] values in new[]
        {
            Enumerable.Range(0, count).Select(_ => (random.NextDouble() - 0.3) * 100).ToArray(), // distinct
            Enumerable.Range(0, count).Select(_ => (double)random.Next(0, 7)).ToArray(), // heavy ties
            Enumerable.Range(0, count).Select(i => i % 4 == 0 ? random.NextDouble() : 5.0).ToArray(), // MAD 0 when most are equal
        })
        {
            RobustZScore expected = RobustZScore.Fit(values);
            RobustZScore actual = RobustZScore.FromDistribution(Distribution(values));

            Assert.Equal(expected.Median, actual.Median);
            Assert.Equal(expected.MedianAbsoluteDeviation, actual.MedianAbsoluteDeviation);
            Assert.Equal(expected.MeanAbsoluteDeviation, actual.MeanAbsoluteDeviation, Math.Abs(expected.MeanAbsoluteDeviation) * 1e-12);
        }
    }

    [Fact]
    public void Quality_after_the_exact_engine_counts_what_it_counts_without_it()
    {
        var random = new Random(9);
        double[] referenceValues = Enumerable.Range(0, 5_000).Select(_ => random.NextDouble() * 10).ToArray();
        double[] currentValues = Enumerable.Range(0, 5_000).Select(_ => (random.NextDouble() * 14) - 2).ToArray();
        ColumnSample reference = ColumnSample.Numerical("x", referenceValues);
        ColumnSample current = ColumnSample.Numerical("x", currentValues);
        FeatureQuality before = DataQuality.Measure(ColumnSample.Numerical("x", referenceValues), current);

        ExactDriftEngine.EvaluateColumn(reference, current); // keeps the reference's range and robust z-score
        Assert.NotNull(reference.Summary);
        FeatureQuality after = DataQuality.Measure(reference, current);

        Assert.Equal(before with { UnseenExamples = [] }, after with { UnseenExamples = [] });
        Assert.True(after.OutOfRange > 0 && after.RobustOutliers >= 0);
    }

    private static SortedWeightedValues Distribution(double[] values)
    {
        var counts = values.GroupBy(v => v).OrderBy(g => g.Key).ToArray();
        return SortedWeightedValues.FromDistinct([.. counts.Select(g => g.Key)], [.. counts.Select(g => (long)g.Count())]);
    }
}
