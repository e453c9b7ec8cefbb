using ModelMonitoring.Statistics;

namespace ModelMonitoring.Statistics.Tests;

public sealed class ChiSquareAndZTests
{
    [Fact]
    public void Chi_square_with_two_degrees_of_freedom_is_exp_of_minus_half_the_statistic()
    {
        Assert.Equal(0.05, ChiSquareTest.PValueFromStatistic(2 * Math.Log(20), 2), 12);
    }

    [Fact]
    public void Expected_counts_are_the_reference_scaled_to_the_current_size()
    {
        // Reference 20/20/20 of 60 scaled to 60 current values: expected 20 each; statistic (100 + 0 + 100) / 20 = 10.
        Assert.Equal(Math.Exp(-5), ChiSquareTest.PValueFromReferenceCounts([10, 20, 30], [20, 20, 20]), 12);
        // Reference of 30 scaled by 2: same expectation.
        Assert.Equal(Math.Exp(-5), ChiSquareTest.PValueFromReferenceCounts([10, 20, 30], [10, 10, 10]), 12);
    }

    [Fact]
    public void A_category_missing_from_the_reference_gives_p_zero()
    {
        Assert.Equal(0, ChiSquareTest.PValueFromReferenceCounts([5, 5, 5], [10, 10, 0]));
    }

    [Fact]
    public void A_single_category_has_nothing_to_compare()
    {
        Assert.Equal(1, ChiSquareTest.PValueFromReferenceCounts([7], [3]));
    }

    [Fact]
    public void Chi_square_validates_its_arguments()
    {
        Assert.Throws<ArgumentException>(() => ChiSquareTest.PValueFromReferenceCounts([1, 2], [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => ChiSquareTest.PValueFromReferenceCounts([0, 0], [1, 2]));
        var mismatch = Assert.Throws<ArgumentException>(() => ChiSquareTest.PValue([10, 10], [5, 5]));
        Assert.Contains("1e-8", mismatch.Message);
        Assert.Throws<ArgumentException>(() => ChiSquareTest.PValue([-1, 3], [1, 1]));
    }

    [Fact]
    public void Z_test_of_equal_proportions_is_one()
    {
        Assert.Equal(1, ZTest.PValue(30, 100, 60, 200), 15);
        Assert.Equal(1, ZTest.PValue(0, 100, 0, 50));
        Assert.Equal(1, ZTest.PValue(100, 100, 50, 50));
    }

    [Fact]
    public void Z_test_matches_the_normal_table()
    {
        // p1 = 0.5, p2 = 0.3, pooled 0.4: z = 0.2 / sqrt(0.24 * 0.02) = 2.88675; two-sided p from the normal table.
        Assert.Equal(0.003892, ZTest.PValue(50, 100, 30, 100), 5);
        Assert.Equal(0.05, ZTest.TwoSidedPValue(1.959963984540054), 10);
    }

    [Fact]
    public void Z_test_validates_its_arguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ZTest.PValue(5, 0, 1, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => ZTest.PValue(11, 10, 1, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => ZTest.PValue(-1, 10, 1, 10));
    }
}
