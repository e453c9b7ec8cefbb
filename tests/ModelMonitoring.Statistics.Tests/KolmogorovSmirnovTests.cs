using ModelMonitoring.Statistics;

namespace ModelMonitoring.Statistics.Tests;

public sealed class KolmogorovSmirnovTests
{
    [Fact]
    public void Identical_samples_have_statistic_zero_and_p_value_one()
    {
        double[] sample = [1, 2, 2, 3, 5, 8];
        Assert.Equal(0, KolmogorovSmirnovTest.Statistic(sample, sample));
        Assert.Equal(1, KolmogorovSmirnovTest.PValue(sample, sample));
    }

    [Theory]
    // Fully separated samples: only the two orderings "all of one, then all of the other" reach D = 1,
    // out of C(n + m, n) equally likely orderings.
    [InlineData(new double[] { 1, 2, 3 }, new double[] { 4, 5, 6 }, 2.0 / 20)]
    [InlineData(new double[] { 1, 2 }, new double[] { 3, 4, 5 }, 2.0 / 10)]
    [InlineData(new double[] { 0 }, new double[] { 1, 2 }, 2.0 / 3)]
    public void Separated_samples_have_the_lattice_path_p_value(double[] reference, double[] current, double expected)
    {
        Assert.Equal(1, KolmogorovSmirnovTest.Statistic(reference, current));
        Assert.Equal(expected, KolmogorovSmirnovTest.PValue(reference, current), 12);
    }

    [Fact]
    public void Ties_are_counted_on_both_sides_before_comparing()
    {
        // F_ref - F_cur: at 1: 2/4 - 1/2 = 0; at 2: 1 - 1/2 = 1/2; at 3: 1 - 1 = 0.
        Assert.Equal(0.5, KolmogorovSmirnovTest.Statistic([1, 1, 2, 2], [1, 3]));
    }

    [Theory]
    [InlineData(4, 6)]
    [InlineData(5, 5)]
    [InlineData(3, 7)]
    public void Exact_p_value_agrees_with_enumerating_every_ordering(int n, int m)
    {
        // Under the null hypothesis every interleaving of the two samples is equally likely: enumerate them all.
        var statistics = new List<double>();
        foreach (bool[] fromReference in Interleavings(n, m))
        {
            var reference = new List<double>();
            var current = new List<double>();
            for (int position = 0; position < fromReference.Length; position++)
            {
                (fromReference[position] ? reference : current).Add(position);
            }

            statistics.Add(KolmogorovSmirnovTest.Statistic(reference.ToArray(), current.ToArray()));
        }

        foreach (double observed in statistics.Distinct())
        {
            double expected = statistics.Count(s => s >= observed - 1e-12) / (double)statistics.Count;
            Assert.Equal(expected, KolmogorovSmirnovTest.PValue(observed, n, m), 10);
        }
    }

    [Fact]
    public void One_sample_distribution_of_size_one_is_two_times_one_minus_d()
    {
        // With one observation, D_1 = max(U, 1 - U), so P(D_1 >= d) = 2 (1 - d) for d in [0.5, 1].
        Assert.Equal(0.5, KolmogorovDistribution.Survival(1, 0.75), 12);
        Assert.Equal(0.2, KolmogorovDistribution.Survival(1, 0.9), 12);
        Assert.Equal(1, KolmogorovDistribution.Survival(1, 0.4));
        Assert.Equal(0, KolmogorovDistribution.Survival(1, 1));
    }

    [Theory]
    // Kolmogorov's limit: P(sqrt(n) D_n > x) -> 2 sum (-1)^(k-1) exp(-2 k^2 x^2).
    [InlineData(1.36)] // Pelz-Good region
    [InlineData(1.63)] // Smirnov sum region
    [InlineData(0.9)]
    public void Large_samples_approach_the_Kolmogorov_limit(double x)
    {
        const long n = 200_000;
        double limit = 0;
        for (int k = 1; k < 100; k++)
        {
            limit += 2 * (k % 2 == 1 ? 1 : -1) * Math.Exp(-2.0 * k * k * x * x);
        }

        double actual = KolmogorovDistribution.Survival(n, x / Math.Sqrt(n));
        Assert.InRange(actual, limit * 0.98, limit * 1.0);
    }

    [Fact]
    public void Samples_above_ten_thousand_use_the_asymptotic_distribution()
    {
        // The effective size is round(n m / (n + m)) = 10,000 here; scipy passes the raw D to kstwo.
        double d = 0.02;
        Assert.Equal(KolmogorovDistribution.Survival(10_000, d), KolmogorovSmirnovTest.PValue(d, 20_000, 20_000), 15);
    }

    [Fact]
    public void Arguments_are_validated()
    {
        Assert.Throws<ArgumentException>(() => KolmogorovSmirnovTest.Statistic([], [1.0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => KolmogorovSmirnovTest.PValue(1.5, 3, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => KolmogorovSmirnovTest.PValue(double.NaN, 3, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => KolmogorovSmirnovTest.PValue(0.5, 0, 3));
    }

    private static IEnumerable<bool[]> Interleavings(int n, int m)
    {
        int length = n + m;
        for (int mask = 0; mask < 1 << length; mask++)
        {
            if (System.Numerics.BitOperations.PopCount((uint)mask) == n)
            {
                yield return Enumerable.Range(0, length).Select(bit => (mask & (1 << bit)) != 0).ToArray();
            }
        }
    }
}
