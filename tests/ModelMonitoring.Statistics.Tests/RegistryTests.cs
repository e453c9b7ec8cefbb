using ModelMonitoring.Statistics;

namespace ModelMonitoring.Statistics.Tests;

public sealed class RegistryTests
{
    [Theory]
    [InlineData(ColumnType.Numerical, 1000, 6, DriftMethod.KolmogorovSmirnov)]
    [InlineData(ColumnType.Numerical, 1000, 5, DriftMethod.ChiSquare)]
    [InlineData(ColumnType.Numerical, 1000, 3, DriftMethod.ChiSquare)]
    [InlineData(ColumnType.Numerical, 1000, 2, DriftMethod.ZTest)]
    [InlineData(ColumnType.Categorical, 10, 50, DriftMethod.ChiSquare)]
    [InlineData(ColumnType.Categorical, 10, 2, DriftMethod.ZTest)]
    [InlineData(ColumnType.Categorical, 10, 1, DriftMethod.ZTest)]
    [InlineData(ColumnType.Numerical, 1001, 6, DriftMethod.Wasserstein)]
    [InlineData(ColumnType.Numerical, 1001, 5, DriftMethod.JensenShannon)]
    [InlineData(ColumnType.Categorical, 5000, 100, DriftMethod.JensenShannon)]
    public void Default_method_follows_Evidently(ColumnType type, int referenceCount, int distinct, DriftMethod expected)
    {
        Assert.Equal(expected, DriftMethodRegistry.SelectDefault(type, referenceCount, distinct));
    }

    [Theory]
    [InlineData(DriftMethod.KolmogorovSmirnov, ColumnType.Numerical, true)]
    [InlineData(DriftMethod.KolmogorovSmirnov, ColumnType.Categorical, false)]
    [InlineData(DriftMethod.Wasserstein, ColumnType.Categorical, false)]
    [InlineData(DriftMethod.ChiSquare, ColumnType.Numerical, false)]
    [InlineData(DriftMethod.ZTest, ColumnType.Numerical, false)]
    [InlineData(DriftMethod.ZTest, ColumnType.Categorical, true)]
    [InlineData(DriftMethod.PopulationStabilityIndex, ColumnType.Numerical, true)]
    [InlineData(DriftMethod.Hellinger, ColumnType.Categorical, true)]
    public void Forced_methods_apply_only_to_the_types_that_allow_them(DriftMethod method, ColumnType type, bool expected)
    {
        Assert.Equal(expected, DriftMethodRegistry.IsApplicable(method, type));
    }

    [Fact]
    public void Thresholds_and_comparisons_follow_Evidently()
    {
        Assert.Equal(0.05, DriftThresholds.Default(DriftMethod.KolmogorovSmirnov));
        Assert.Equal(0.05, DriftThresholds.Default(DriftMethod.ChiSquare));
        Assert.Equal(0.05, DriftThresholds.Default(DriftMethod.ZTest));
        Assert.Equal(0.1, DriftThresholds.Default(DriftMethod.Wasserstein));
        Assert.Equal(0.1, DriftThresholds.Default(DriftMethod.PopulationStabilityIndex));
        Assert.True(DriftThresholds.IsPValue(DriftMethod.ZTest));
        Assert.False(DriftThresholds.IsPValue(DriftMethod.Hellinger));

        Assert.True(DriftThresholds.IsDrift(DriftMethod.KolmogorovSmirnov, 0.05, 0.05)); // p <= threshold
        Assert.False(DriftThresholds.IsDrift(DriftMethod.ChiSquare, 0.05, 0.05)); // p < threshold
        Assert.False(DriftThresholds.IsDrift(DriftMethod.ZTest, 0.05, 0.05));
        Assert.True(DriftThresholds.IsDrift(DriftMethod.JensenShannon, 0.1, 0.1)); // distance >= threshold
        Assert.False(DriftThresholds.IsDrift(DriftMethod.JensenShannon, double.NaN, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DriftThresholds.Default(DriftMethod.Auto));
    }
}
