using ModelMonitoring.Statistics;

namespace ModelMonitoring.Statistics.Tests;

public sealed class BinningTests
{
    [Fact]
    public void Sturges_edges_of_eight_values()
    {
        // log2(8) + 1 = 4 bins of width 7 / 4.
        double[] edges = Histogram.SturgesEdges([0, 1, 2, 3], [4, 5, 6, 7]);
        Assert.Equal([0, 1.75, 3.5, 5.25, 7], edges);

        var counts = new long[4];
        Histogram.CountSorted([0, 1, 2, 3, 4, 5, 6, 7], edges, counts);
        Assert.Equal([2L, 2, 2, 2], counts);
    }

    [Fact]
    public void A_constant_sample_gets_one_bin_of_width_one()
    {
        Assert.Equal([2.5, 3.5], Histogram.SturgesEdges([3, 3], [3]));
    }

    [Fact]
    public void Bins_are_half_open_except_the_last()
    {
        double[] edges = [0, 1, 2];
        Assert.Equal(0, Histogram.BinIndex(0, edges));
        Assert.Equal(1, Histogram.BinIndex(1, edges));
        Assert.Equal(1, Histogram.BinIndex(2, edges));
        Assert.Equal(-1, Histogram.BinIndex(2.5, edges));
        Assert.Equal(-1, Histogram.BinIndex(-0.1, edges));
        Assert.Equal(-1, Histogram.BinIndex(double.NaN, edges));

        var sorted = new long[2];
        var unsorted = new long[2];
        double[] values = [2, 0.5, 1, 1.5, 0, 3];
        Histogram.Accumulate(values, edges, unsorted);
        Array.Sort(values);
        Histogram.CountSorted(values, edges, sorted);
        Assert.Equal([2L, 3], sorted);
        Assert.Equal(sorted, unsorted);
    }

    [Fact]
    public void Empty_bins_are_filled_as_Evidently_does()
    {
        double[] shares = [0.5, 0, 0.5];
        Shares.FillEmpty(shares);
        Assert.Equal([0.5, 0.0001, 0.5], shares);

        double[] tiny = [0.00005, 0, 0.99995];
        Shares.FillEmpty(tiny);
        Assert.Equal(0.00005 / 1e6, tiny[1]);
    }

    [Fact]
    public void Numerical_columns_with_few_reference_values_are_compared_per_value()
    {
        // Values 1, 2, 3 (reference) and 3, 4 (current): one bin per value of the union.
        (double[] reference, double[] current) = Methods.BinnedShares.Of(Side([1, 2, 3, 3]), Side([3, 4]), fillEmpty: false);
        Assert.Equal([0.25, 0.25, 0.5, 0], reference);
        Assert.Equal([0, 0, 0.5, 0.5], current);
    }

    [Fact]
    public void Numerical_columns_with_many_reference_values_use_Sturges_bins()
    {
        double[] reference = Enumerable.Range(0, 21).Select(i => (double)i).ToArray();
        double[] current = [0, 20];
        (double[] referenceShares, double[] currentShares) = Methods.BinnedShares.Of(Side(reference), Side(current), fillEmpty: false);
        int expectedBins = (int)Math.Ceiling(Math.Log2(23) + 1); // range / (range / (log2(23) + 1))
        Assert.Equal(expectedBins, referenceShares.Length);
        Assert.Equal(1, referenceShares.Sum(), 12);
        Assert.Equal(0.5, currentShares[0]);
        Assert.Equal(0.5, currentShares[^1]);
    }

    [Fact]
    public void Distinct_values_are_counted_across_both_samples()
    {
        Assert.Equal(4, ColumnComparison.DistinctNumbers(Side([1, 1, 2, 5]), Side([2, 3, 5, 5])));
        Assert.Equal(3, Side([1, 1, 2, 5]).ExactDistinctCount);
        Assert.Equal(1, ColumnComparison.DistinctNumbers(Side([7]), Side([7, 7])));
    }

    [Fact]
    public void Categories_are_the_union_of_both_samples()
    {
        CategoryTable table = CategoryTable.FromLabels(["b", "a", "a"], ["c", "a"]);
        Assert.Equal([2L, 1, 0], table.Reference);
        Assert.Equal([1L, 0, 1], table.Current);
    }

    private static NumericalSide Side(double[] values) => NumericalSide.FromValues(values, "x", "reference");
}
