using ModelMonitoring.Statistics;

namespace ModelMonitoring.Statistics.Tests;

public sealed class DistanceTests
{
    [Theory]
    [InlineData(new double[] { 0 }, new double[] { 1 }, 1)]
    [InlineData(new double[] { 0, 1 }, new double[] { 0, 1 }, 0)]
    [InlineData(new double[] { 0, 0, 1, 1 }, new double[] { 2, 2, 3, 3 }, 2)]
    [InlineData(new double[] { 1, 2, 3 }, new double[] { 1, 2, 6 }, 1)] // CDFs differ by 1/3 over [3, 6]
    public void Wasserstein_of_small_samples(double[] u, double[] v, double expected)
    {
        Assert.Equal(expected, WassersteinDistance.Distance(u, v), 12);
        Assert.Equal(expected, WassersteinDistance.Distance(v, u), 12);
    }

    [Fact]
    public void Weighted_Wasserstein_uses_the_weighted_cdfs()
    {
        // F_u = 0.75 and F_v = 0.25 between 0 and 1.
        Assert.Equal(0.5, WassersteinDistance.Distance([0, 1], [3, 1], [0, 1], [1, 3]), 12);
        // Equal weights give the unweighted distance.
        Assert.Equal(
            WassersteinDistance.Distance([1, 2, 3], [1, 2, 6]),
            WassersteinDistance.Distance([1, 2, 3], [1, 1, 1], [1, 2, 6], [2, 2, 2]), 12);
    }

    [Fact]
    public void Wasserstein_norm_is_floored()
    {
        Assert.Equal(500, WassersteinDistance.Normed(0.5, 0), 9);
        Assert.Equal(0.25, WassersteinDistance.Normed(0.5, 2), 12);
    }

    [Fact]
    public void Wasserstein_validates_its_arguments()
    {
        Assert.Throws<ArgumentException>(() => WassersteinDistance.Distance([], [1.0]));
        Assert.Throws<ArgumentException>(() => WassersteinDistance.Distance([0, 1], [1], [0, 1], [1, 1]));
        Assert.Throws<ArgumentException>(() => WassersteinDistance.Distance([0, 1], [1, -1], [0, 1], [1, 1]));
        Assert.Throws<ArgumentException>(() => WassersteinDistance.Distance([0, 1], [0, 0], [0, 1], [1, 1]));
    }

    [Fact]
    public void Jensen_Shannon_of_identical_and_disjoint_distributions()
    {
        Assert.Equal(0, JensenShannonDistance.Compute([0.2, 0.8], [0.2, 0.8]), 12);
        Assert.Equal(Math.Sqrt(Math.Log(2)), JensenShannonDistance.Compute([1, 0], [0, 1]), 12);
        // Inputs are normalised first, as scipy does.
        Assert.Equal(Math.Sqrt(Math.Log(2)), JensenShannonDistance.Compute([2, 0], [0, 3]), 12);
    }

    [Fact]
    public void Population_stability_index_by_hand()
    {
        Assert.Equal(0, PopulationStabilityIndex.Compute([0.5, 0.5], [0.5, 0.5]));
        // (0.25 - 0.5) ln(0.5) + (0.75 - 0.5) ln(1.5) = 0.25 ln 3
        Assert.Equal(0.25 * Math.Log(3), PopulationStabilityIndex.Compute([0.25, 0.75], [0.5, 0.5]), 12);
    }

    [Fact]
    public void Kullback_Leibler_by_hand()
    {
        // 0.5 ln(0.5 / 0.25) + 0.5 ln(0.5 / 0.75) = 0.5 ln(4/3)
        Assert.Equal(0.5 * Math.Log(4.0 / 3), KullbackLeiblerDivergence.Compute([0.5, 0.5], [0.25, 0.75]), 12);
        Assert.Equal(double.PositiveInfinity, KullbackLeiblerDivergence.Compute([0.5, 0.5], [1, 0]));
        Assert.Equal(0, KullbackLeiblerDivergence.Compute([1, 0], [1, 0]));
    }

    [Fact]
    public void Hellinger_by_hand()
    {
        Assert.Equal(0, HellingerDistance.Compute([0.3, 0.7], [0.3, 0.7]), 7);
        Assert.Equal(1, HellingerDistance.Compute([1, 0], [0, 1]));
        Assert.Equal(Math.Sqrt(1 - Math.Sqrt(0.5)), HellingerDistance.Compute([0.5, 0.5], [1, 0]), 12);
        // Binned form with equal widths reduces to shares.
        Assert.Equal(Math.Sqrt(1 - Math.Sqrt(0.5)), HellingerDistance.FromBinnedCounts([2, 2], [4, 0], [0, 1, 2]), 12);
    }

    [Fact]
    public void Share_methods_reject_mismatched_bins()
    {
        var error = Assert.Throws<ArgumentException>(() => JensenShannonDistance.Compute([0.5, 0.5], [1]));
        Assert.Contains("same bins", error.Message);
        Assert.Throws<ArgumentException>(() => PopulationStabilityIndex.Compute([], []));
        Assert.Throws<ArgumentException>(() => HellingerDistance.FromBinnedCounts([1], [1], [0, 1, 2]));
    }
}
