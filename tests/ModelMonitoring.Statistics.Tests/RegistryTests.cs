using ModelMonitoring.Statistics;

namespace ModelMonitoring.Statistics.Tests;

public sealed class RegistryTests
{
    [Theory]
    [InlineData(ColumnType.Numerical, 1000, 6, "ks")]
    [InlineData(ColumnType.Numerical, 1000, 5, "chisquare")]
    [InlineData(ColumnType.Numerical, 1000, 3, "chisquare")]
    [InlineData(ColumnType.Numerical, 1000, 2, "z")]
    [InlineData(ColumnType.Categorical, 10, 50, "chisquare")]
    [InlineData(ColumnType.Categorical, 10, 2, "z")]
    [InlineData(ColumnType.Categorical, 10, 1, "z")]
    [InlineData(ColumnType.Numerical, 1001, 6, "wasserstein")]
    [InlineData(ColumnType.Numerical, 1001, 5, "jensenshannon")]
    [InlineData(ColumnType.Categorical, 5000, 100, "jensenshannon")]
    public void Default_method_follows_Evidently(ColumnType type, int referenceCount, int distinct, string expected)
    {
        Assert.Equal(expected, StatTests.SelectDefault(type, referenceCount, distinct).Name);
    }

    [Theory]
    [InlineData("ks", ColumnType.Numerical, true)]
    [InlineData("ks", ColumnType.Categorical, false)]
    [InlineData("wasserstein", ColumnType.Categorical, false)]
    [InlineData("chisquare", ColumnType.Numerical, false)]
    [InlineData("z", ColumnType.Numerical, false)]
    [InlineData("z", ColumnType.Categorical, true)]
    [InlineData("psi", ColumnType.Numerical, true)]
    [InlineData("hellinger", ColumnType.Categorical, true)]
    public void Forced_methods_apply_only_to_the_types_that_allow_them(string method, ColumnType type, bool expected)
    {
        Assert.Equal(expected, StatTests.Get(method).AppliesTo(type));
    }

    [Fact]
    public void Thresholds_and_comparisons_follow_Evidently()
    {
        Assert.Equal(0.05, StatTests.KolmogorovSmirnov.DefaultThreshold);
        Assert.Equal(0.05, StatTests.ChiSquare.DefaultThreshold);
        Assert.Equal(0.05, StatTests.Z.DefaultThreshold);
        Assert.Equal(0.1, StatTests.Wasserstein.DefaultThreshold);
        Assert.Equal(0.1, StatTests.PopulationStabilityIndex.DefaultThreshold);
        Assert.True(StatTests.Z.IsPValue);
        Assert.False(StatTests.Hellinger.IsPValue);

        Assert.True(StatTests.KolmogorovSmirnov.IsDrift(0.05, 0.05)); // p <= threshold
        Assert.False(StatTests.ChiSquare.IsDrift(0.05, 0.05)); // p < threshold
        Assert.False(StatTests.Z.IsDrift(0.05, 0.05));
        Assert.True(StatTests.JensenShannon.IsDrift(0.1, 0.1)); // distance >= threshold
        Assert.False(StatTests.JensenShannon.IsDrift(double.NaN, 0.1));
        Assert.Throws<ArgumentException>(() => StatTests.Get("auto"));
    }
}
