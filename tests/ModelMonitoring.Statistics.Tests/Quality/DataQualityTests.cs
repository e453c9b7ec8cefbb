using ModelMonitoring.Outliers;
using ModelMonitoring.Quality;
using ModelMonitoring.Sketches;

namespace ModelMonitoring.Statistics.Tests.Quality;

/// <summary>Data quality per feature: counts checked by hand on small columns (exact: integers over integers).</summary>
public sealed class DataQualityTests
{
    private static readonly ColumnSample Reference = ColumnSample.Numerical("price", [10, 11, 12, 13, 14, 15, 16, 17, 18, 20]);

    [Fact]
    public void MissingValuesAreNullNaNAndInfinityAndCountOverEveryValue()
    {
        ColumnSample current = ColumnSample.Numerical("price", [12, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 15], missingCount: 2);
        FeatureQuality quality = DataQuality.Measure(Reference, current);
        Assert.Equal(7, quality.Values);
        Assert.Equal(5, quality.Missing);
        Assert.Equal(2, quality.Present);
        Assert.Equal(5.0 / 7, quality.MissingRatio);
        Assert.Equal(0, quality.OutOfRangeRatio);
    }

    [Fact]
    public void OutOfRangeIsOutsideTheReferenceRangeWidenedByTheTolerance()
    {
        ColumnSample current = ColumnSample.Numerical("price", [9.5, 10, 20, 20.5, 21.5, 8.9, 15]);
        FeatureQuality exact = DataQuality.Measure(Reference, current);
        Assert.Equal(4, exact.OutOfRange); // 9.5, 20.5, 21.5, 8.9
        Assert.Equal(4.0 / 7, exact.OutOfRangeRatio);
        Assert.True(exact.HasRange);

        // 10 % of the range (10) widens it by 1 on each side: [9, 21].
        FeatureQuality widened = DataQuality.Measure(Reference, current, new DataQualitySettings { RangeTolerance = 0.1 });
        Assert.Equal(2, widened.OutOfRange); // 21.5, 8.9
        Assert.True(double.IsNaN(widened.UnseenCategoryRatio));
    }

    [Fact]
    public void RobustOutliersUseTheReferenceMedianAndMad()
    {
        RobustZScore robust = RobustZScore.Fit(Reference.Numbers);
        double far = robust.Median + (4 * robust.Scale);
        double near = robust.Median + (3 * robust.Scale);
        FeatureQuality quality = DataQuality.Measure(Reference, ColumnSample.Numerical("price", [far, near, robust.Median]));
        Assert.Equal(1, quality.RobustOutliers);
        Assert.Equal(1.0 / 3, quality.RobustOutlierRatio);
    }

    [Fact]
    public void UnseenCategoriesAreCountedWithAFewExamples()
    {
        ColumnSample reference = ColumnSample.Categorical("region", ["north", "south", "east"]);
        ColumnSample current = ColumnSample.Categorical("region", ["north", "west", "west", "mars", "  ", "south", "venus"], missingCount: 1);
        FeatureQuality quality = DataQuality.Measure(reference, current, new DataQualitySettings { MaxUnseenExamples = 2 });
        Assert.Equal(8, quality.Values);
        Assert.Equal(2, quality.Missing); // the blank label and the declared missing one
        Assert.Equal(4, quality.UnseenCategories); // west ×2, mars, venus
        Assert.Equal(4.0 / 6, quality.UnseenCategoryRatio);
        Assert.Equal(["west", "mars"], quality.UnseenExamples);
        Assert.True(double.IsNaN(quality.OutOfRangeRatio));
    }

    [Fact]
    public void AgainstABaselineProfileUnseenCategoriesAndRangeComeFromTheProfile()
    {
        BaselineProfile baseline = BaselineProfile.Build([Reference, ColumnSample.Categorical("region", ["north", "south", "north"])]);
        FeatureQuality numbers = DataQuality.Measure(baseline.Features[0], ColumnSample.Numerical("price", [5, 10, 25]));
        Assert.Equal(2, numbers.OutOfRange);
        Assert.False(numbers.HasRobustScore); // no robust z-score given

        FeatureQuality labels = DataQuality.Measure(baseline.Features[1], ColumnSample.Categorical("region", ["north", "west"]));
        Assert.Equal(1, labels.UnseenCategories);
        FeatureQualityReference reference = FeatureQualityReference.FromProfile(baseline.Features[1]);
        Assert.Equal(CategoryMembership.Known, reference.Contains("south"));
        Assert.Equal(CategoryMembership.Unseen, reference.Contains("west"));
    }

    [Fact]
    public void UnconvertibleValuesAndTypeMismatchAreReported()
    {
        FeatureQuality quality = DataQuality.Measure(Reference, ColumnSample.Numerical("price", [12, 13]), unconvertible: 2, observedType: ColumnType.Categorical);
        Assert.Equal(4, quality.Values);
        Assert.Equal(0.5, quality.UnconvertibleRatio);
        Assert.Equal(2, quality.Present);
        Assert.True(quality.TypeMismatch);

        ArgumentException error = Assert.Throws<ArgumentException>(() => DataQuality.Measure(Reference, ColumnSample.Categorical("price", ["a"])));
        Assert.Contains("'price' is categorical but its reference is numerical", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddingASpanCountsWhatAddingItsNumbersOneByOneCounts()
    {
        RobustZScore robust = RobustZScore.Fit(Reference.Numbers);
        double[] values =
        [
            12, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 9.5, 10, 20, 20.5, 8.9, 15,
            robust.Median, robust.Median + (4 * robust.Scale), robust.Median - (5 * robust.Scale), robust.Median + (2.5 * robust.Scale), 1e308, -1e308,
        ];
        FeatureQualityReference?[] references =
        [
            FeatureQualityReference.FromSample(Reference),
            FeatureQualityReference.FromSample(ColumnSample.Numerical("price", [5, 5, 5, 5])), // scale 0: any other value scores ±Infinity
            null,
        ];
        foreach (FeatureQualityReference? reference in references)
        {
            var oneByOne = new FeatureQualityCounter("price", ColumnType.Numerical, reference);
            var span = new FeatureQualityCounter("price", ColumnType.Numerical, reference);
            foreach (double value in values)
            {
                oneByOne.AddNumber(value);
            }

            span.AddNumbers(values.AsSpan(0, 7));
            span.AddNumbers(values.AsSpan(7));
            FeatureQuality expected = oneByOne.ToResult();
            FeatureQuality actual = span.ToResult();
            Assert.Equal(
                (expected.Values, expected.Missing, expected.OutOfRange, expected.RobustOutliers, expected.HasRange),
                (actual.Values, actual.Missing, actual.OutOfRange, actual.RobustOutliers, actual.HasRange));
        }

        // The counts are not trivially equal: the first reference sees every kind of value.
        var counter = new FeatureQualityCounter("price", ColumnType.Numerical, references[0]);
        counter.AddNumbers(values);
        FeatureQuality counted = counter.ToResult();
        Assert.Equal((16, 3, 8, 4), (counted.Values, counted.Missing, counted.OutOfRange, counted.RobustOutliers));
    }

    [Fact]
    public void TheCounterAllocatesNothingPerValueAndStartsAgainOnReset()
    {
        var counter = new FeatureQualityCounter("price", ColumnType.Numerical, FeatureQualityReference.FromSample(Reference));
        counter.AddNumber(1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            counter.AddNumber(i % 30);
            counter.AddNumber(double.NaN);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        FeatureQuality result = counter.ToResult();
        Assert.Equal(2001, result.Values);
        Assert.Equal(1000, result.Missing);
        counter.Reset(null);
        counter.AddNumber(100);
        Assert.Equal(1, counter.ToResult().Values);
        Assert.False(counter.ToResult().HasRange);
        Assert.True(double.IsNaN(counter.ToResult().OutOfRangeRatio));
    }

    [Fact]
    public void AKnownLabelInstanceSeenAgainIsCountedTheSameAndTheShortcutEndsWithTheWindow()
    {
        var regions = FeatureQualityReference.FromSample(ColumnSample.Categorical("region", ["north", "south"]));
        var counter = new FeatureQualityCounter("region", ColumnType.Categorical, regions);
        string north = "north"; // one instance, as an enum's label table gives
        for (int i = 0; i < 5; i++)
        {
            counter.AddLabel(north); // the first one is looked up, the others are found by reference
            counter.AddLabel(new string("west".AsSpan())); // a fresh instance every time: looked up every time
        }

        FeatureQuality quality = counter.ToResult();
        Assert.Equal(10, quality.Values);
        Assert.Equal(5, quality.UnseenCategories);
        Assert.Equal(0, quality.Missing);

        // The next window is checked against a reference without "north": the instance must not stay "known".
        counter.Reset(FeatureQualityReference.FromSample(ColumnSample.Categorical("region", ["south"])));
        counter.AddLabel(north);
        Assert.Equal(1, counter.ToResult().UnseenCategories);
    }
}
