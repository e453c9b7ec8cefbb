using ModelMonitoring.Outliers;
using ModelMonitoring.Sketches;

namespace ModelMonitoring.Statistics.Tests.Outliers;

/// <summary>The isolation forest's contract beyond scikit-learn's scores: determinism, missing values, cost, persistence.</summary>
public sealed class OutlierProfileTests
{
    private static readonly string[] Features = ["x", "y", "z"];

    [Fact]
    public void TheSameSeedGrowsTheSameForestAndAnotherSeedAnother()
    {
        double[][] columns = Normal(500, 3, seed: 1);
        IsolationForest a = IsolationForest.Fit(Features, columns, new IsolationForestOptions { Seed = 7 });
        IsolationForest b = IsolationForest.Fit(Features, columns, new IsolationForestOptions { Seed = 7 });
        IsolationForest c = IsolationForest.Fit(Features, columns, new IsolationForestOptions { Seed = 8 });
        double[] row = [0.3, -1.2, 2.5];
        Assert.Equal(a.Score(row), b.Score(row));
        Assert.NotEqual(a.Score(row), c.Score(row));
        Assert.Equal(a.NodeCount, b.NodeCount);
    }

    [Fact]
    public void FarRowsScoreHigherThanCentralOnesAndScoresStayInTheUnitInterval()
    {
        IsolationForest forest = IsolationForest.Fit(Features, Normal(2000, 3, seed: 2));
        double central = forest.Score([0, 0, 0]);
        double far = forest.Score([8, -8, 8]);
        Assert.True(far > 0.65, $"far row {far}");
        Assert.True(central < 0.5, $"central row {central}");
        Assert.InRange(far, 0, 1);
        Assert.True(forest.IsOutlier(far));
        Assert.False(forest.IsOutlier(central));
    }

    [Fact]
    public void AMissingValueTakesTheTrainingMedianOfItsFeature()
    {
        double[][] columns = Normal(800, 3, seed: 3);
        columns[1][5] = double.NaN;
        columns[2][9] = double.PositiveInfinity;
        IsolationForest forest = IsolationForest.Fit(Features, columns);
        Assert.All(forest.Medians, m => Assert.True(double.IsFinite(m)));
        double[] filled = [1.5, forest.Medians[1], forest.Medians[2]];
        Assert.Equal(forest.Score(filled), forest.Score([1.5, double.NaN, double.NegativeInfinity]));
    }

    [Fact]
    public void ScoringAllocatesNothing()
    {
        IsolationForest forest = IsolationForest.Fit(Features, Normal(1000, 3, seed: 4));
        double[] row = [0.1, 0.2, 0.3];
        double[] gap = [0.1, double.NaN, 0.3];
        double sum = 0;
        for (int i = 0; i < 2000; i++)
        {
            sum += forest.Score(row) + forest.Score(gap); // past the runtime's call counting, which allocates on the calling thread
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            sum += forest.Score(row) + forest.Score(gap);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(sum > 0);
    }

    [Fact]
    public void BadInputIsRejectedWithTheReason()
    {
        double[][] columns = Normal(100, 3, seed: 5);
        Assert.Contains("2 training rows", Assert.Throws<ArgumentException>(() => IsolationForest.Fit(["x"], [[1.0]])).Message, StringComparison.Ordinal);
        Assert.Contains("same number of rows", Assert.Throws<ArgumentException>(() => IsolationForest.Fit(["x", "y"], [[1.0, 2], [1.0]])).Message, StringComparison.Ordinal);
        Assert.Contains("Trees", Assert.Throws<ArgumentException>(() => IsolationForest.Fit(Features, columns, new IsolationForestOptions { Trees = 0 })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => OutlierContamination.Of(0.7));
        Assert.False(OutlierContamination.TryParse("0", out _));
        Assert.True(OutlierContamination.TryParse(" AUTO ", out OutlierContamination auto) && auto.IsAuto);
        Assert.True(OutlierContamination.TryParse("0.1", out OutlierContamination share) && share.Share == 0.1);
        IsolationForest forest = IsolationForest.Fit(Features, columns);
        Assert.Contains("3 features", Assert.Throws<ArgumentException>(() => forest.Score([1.0, 2.0])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheBaselineKeepsTheOutlierProfileAndScoresTheSameAfterReloading()
    {
        double[][] columns = Normal(600, 3, seed: 6);
        OutlierProfile outliers = OutlierProfile.Fit(Features, columns, new IsolationForestOptions { Seed = 3, Contamination = OutlierContamination.Of(0.1) });
        BaselineProfile baseline = BaselineProfile.Build(Features.Select((f, i) => ColumnSample.Numerical(f, columns[i])).ToArray(), "m");
        baseline = new BaselineProfile(baseline.Features, "m", baseline.RowCount, baseline.CreatedAt) { Outliers = outliers };

        BaselineProfile reloaded = BaselineProfile.FromJson(baseline.ToJson(), "test.json");
        OutlierProfile restored = Assert.IsType<OutlierProfile>(reloaded.Outliers);
        Assert.Equal(outliers.Features, restored.Features);
        Assert.Equal(outliers.RobustScores, restored.RobustScores);
        Assert.Equal(outliers.Forest.Threshold, restored.Forest.Threshold);
        Assert.Equal("0.1", restored.Forest.Contamination.ToString());
        Assert.Equal(outliers.Forest.NodeCount, restored.Forest.NodeCount);
        foreach (double[] row in new[] { new[] { 0.0, 0, 0 }, [3, -2, 1], [9, 9, -9] })
        {
            Assert.Equal(outliers.Forest.Score(row), restored.Forest.Score(row));
        }
    }

    [Fact]
    public void ABaselineWithoutOutliersStillLoads()
    {
        string path = Path.Combine(OutlierGoldenTests.RepositoryRoot(), "tests", "data", "baselines", "small_drift.9611c4d.baseline.json");
        Assert.Null(BaselineProfile.Load(path).Outliers);
    }

    [Theory]
    [InlineData("\"right\":\\s*\\[", "\"right\":[99,", "outliers.isolation_forest")]
    [InlineData("\"contamination\":\\s*\"auto\"", "\"contamination\":\"lots\"", "outliers.isolation_forest.contamination")]
    [InlineData("\"mad\":", "\"mad\":-1,\"x\":", "outliers.robust[0]")]
    [InlineData("\"outliers\":\\s*\\{\\s*\"features\":\\s*\\[\\s*\"x\",\\s*\"y\",\\s*\"z\"", "\"outliers\":{\"features\":[\"x\",\"y\",\"w\"", "outliers.features")]
    public void ACorruptOutlierProfileIsReportedByField(string find, string replace, string field)
    {
        double[][] columns = Normal(300, 3, seed: 7);
        BaselineProfile built = BaselineProfile.Build(Features.Select((f, i) => ColumnSample.Numerical(f, columns[i])).ToArray(), "m");
        var baseline = new BaselineProfile(built.Features, "m", built.RowCount, built.CreatedAt) { Outliers = OutlierProfile.Fit(Features, columns, new IsolationForestOptions { Trees = 3 }) };
        string json = baseline.ToJson();
        var pattern = new System.Text.RegularExpressions.Regex(find);
        Assert.Matches(pattern, json);
        string corrupt = pattern.Replace(json, replace.Replace("$", "$$", StringComparison.Ordinal), 1);
        BaselineFormatException error = Assert.Throws<BaselineFormatException>(() => BaselineProfile.FromJson(corrupt, "corrupt.json"));
        Assert.Contains("corrupt.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    internal static double[][] Normal(int rows, int width, int seed)
    {
        var random = new Random(seed);
        var columns = new double[width][];
        for (int f = 0; f < width; f++)
        {
            columns[f] = new double[rows];
            for (int i = 0; i < rows; i++)
            {
                // Box-Muller: standard normal values.
                columns[f][i] = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            }
        }

        return columns;
    }
}
