using ModelMonitoring.Statistics;

namespace ModelMonitoring.Statistics.Tests;

public sealed class ExactDriftEngineTests
{
    [Fact]
    public void Identical_numerical_samples_do_not_drift()
    {
        double[] values = Enumerable.Range(0, 50).Select(i => i * 0.5).ToArray();
        ColumnDriftResult result = ExactDriftEngine.EvaluateColumn(
            ColumnSample.Numerical("area", values, missingCount: 3), ColumnSample.Numerical("area", values, missingCount: 1));

        Assert.Equal(StatTests.KolmogorovSmirnov, result.Method);
        Assert.Equal(1, result.Score);
        Assert.False(result.Drift);
        Assert.Equal(3, result.ReferenceMissing);
        Assert.Equal(1, result.CurrentMissing);
    }

    [Fact]
    public void A_category_only_in_current_drifts_with_chi_square()
    {
        ColumnDriftResult result = ExactDriftEngine.EvaluateColumn(
            ColumnSample.Categorical("region", ["north", "south", "east", "north"]),
            ColumnSample.Categorical("region", ["north", "south", "east", "west"]));

        Assert.Equal(StatTests.ChiSquare, result.Method);
        Assert.Equal(0, result.Score);
        Assert.True(result.Drift);
    }

    [Fact]
    public void Single_value_columns_use_the_Z_test_and_do_not_drift()
    {
        ColumnDriftResult numbers = ExactDriftEngine.EvaluateColumn(
            ColumnSample.Numerical("rooms", [2, 2, 2]), ColumnSample.Numerical("rooms", [2, 2]));
        ColumnDriftResult labels = ExactDriftEngine.EvaluateColumn(
            ColumnSample.Categorical("is_new", ["yes", "yes"]), ColumnSample.Categorical("is_new", ["yes"]));

        Assert.Equal((StatTests.Z, 1.0, false), (numbers.Method, numbers.Score, numbers.Drift));
        Assert.Equal((StatTests.Z, 1.0, false), (labels.Method, labels.Score, labels.Drift));
    }

    [Fact]
    public void A_constant_reference_floors_the_Wasserstein_norm()
    {
        double[] reference = Enumerable.Repeat(5.0, 2000).ToArray();
        double[] current = Enumerable.Repeat(5.0, 10).Concat(Enumerable.Repeat(6.0, 10)).ToArray();
        ColumnDriftResult result = ExactDriftEngine.EvaluateColumn(
            ColumnSample.Numerical("stable", reference), ColumnSample.Numerical("stable", current),
            new ColumnDriftSettings(StatTests.Wasserstein));

        // Distance 0.5 (half the current mass moved by 1), divided by the floor 0.001.
        Assert.Equal(StatTests.Wasserstein, result.Method);
        Assert.Equal(500, result.Score, 9);
        Assert.True(result.Drift);
    }

    [Fact]
    public void Empty_bins_are_filled_for_PSI_but_not_for_Jensen_Shannon()
    {
        var reference = ColumnSample.Categorical("c", ["a", "a", "b", "b"]);
        var current = ColumnSample.Categorical("c", ["a", "a", "a", "a"]);

        ColumnDriftResult psi = ExactDriftEngine.EvaluateColumn(reference, current, new ColumnDriftSettings(StatTests.PopulationStabilityIndex));
        ColumnDriftResult js = ExactDriftEngine.EvaluateColumn(reference, current, new ColumnDriftSettings(StatTests.JensenShannon));

        // PSI: current "b" share 0 becomes 0.0001.
        double expectedPsi = ((0.5 - 1) * Math.Log(0.5 / 1)) + ((0.5 - 0.0001) * Math.Log(0.5 / 0.0001));
        Assert.Equal(expectedPsi, psi.Score, 12);
        // JS of (0.5, 0.5) and (1, 0): m = (0.75, 0.25).
        double expectedJs = Math.Sqrt(((0.5 * Math.Log(0.5 / 0.75)) + (0.5 * Math.Log(0.5 / 0.25)) + Math.Log(1 / 0.75)) / 2);
        Assert.Equal(expectedJs, js.Score, 12);
    }

    [Fact]
    public void Forced_method_and_threshold_apply_only_where_the_type_allows()
    {
        var settings = new ColumnDriftSettings(StatTests.KolmogorovSmirnov, Threshold: 0.2);
        ColumnDriftResult numbers = ExactDriftEngine.EvaluateColumn(
            ColumnSample.Numerical("x", [1, 2, 3, 4, 5, 6]), ColumnSample.Numerical("x", [1, 2, 3, 4, 5, 6]), settings);
        ColumnDriftResult labels = ExactDriftEngine.EvaluateColumn(
            ColumnSample.Categorical("y", ["a", "b", "c"]), ColumnSample.Categorical("y", ["a", "b", "c"]), settings);

        Assert.Equal((StatTests.KolmogorovSmirnov, 0.2), (numbers.Method, numbers.Threshold));
        Assert.Equal((StatTests.ChiSquare, 0.05), (labels.Method, labels.Threshold));
    }

    [Fact]
    public void A_threshold_alone_applies_to_the_default_method()
    {
        ColumnDriftResult result = ExactDriftEngine.EvaluateColumn(
            ColumnSample.Categorical("y", ["a", "b", "c"]), ColumnSample.Categorical("y", ["a", "b", "c"]),
            new ColumnDriftSettings(Threshold: 0.01));
        Assert.Equal((StatTests.ChiSquare, 0.01), (result.Method, result.Threshold));
    }

    [Fact]
    public void Dataset_drifts_at_half_of_the_columns()
    {
        ColumnSample[] reference = [ColumnSample.Categorical("a", ["x", "y", "z"]), ColumnSample.Categorical("b", ["x", "y", "z"])];
        ColumnSample[] current = [ColumnSample.Categorical("b", ["x", "y", "w"]), ColumnSample.Categorical("a", ["x", "y", "z"])];

        DatasetDriftResult result = ExactDriftEngine.Evaluate(reference, current);

        Assert.Equal(["a", "b"], result.Columns.Select(c => c.Name));
        Assert.Equal([false, true], result.Columns.Select(c => c.Drift));
        Assert.Equal((1, 2, 0.5, true), (result.DriftedColumns, result.ColumnCount, result.Share, result.Drift));
        Assert.False(ExactDriftEngine.Evaluate(reference, current, driftShare: 0.6).Drift);
    }

    [Fact]
    public void A_column_on_one_side_only_is_named_in_the_error()
    {
        ColumnSample[] both = [ColumnSample.Numerical("price", [1, 2])];
        ColumnSample[] extra = [ColumnSample.Numerical("price", [1, 2]), ColumnSample.Numerical("discount", [1])];

        Assert.Contains("'discount'", Assert.Throws<ArgumentException>(() => ExactDriftEngine.Evaluate(both, extra)).Message);
        Assert.Contains("'discount'", Assert.Throws<ArgumentException>(() => ExactDriftEngine.Evaluate(extra, both)).Message);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => ExactDriftEngine.Evaluate([.. both, .. both], both)).Message);
    }

    [Fact]
    public void Invalid_columns_are_rejected_with_the_column_name()
    {
        var numbers = ColumnSample.Numerical("price", [1, 2]);
        Assert.Contains("'price'", Assert.Throws<ArgumentException>(() =>
            ExactDriftEngine.EvaluateColumn(numbers, ColumnSample.Categorical("price", ["a"]))).Message);
        Assert.Contains("'price'", Assert.Throws<ArgumentException>(() =>
            ExactDriftEngine.EvaluateColumn(numbers, ColumnSample.Numerical("price", [], missingCount: 4))).Message);
        Assert.Contains("'price'", Assert.Throws<ArgumentException>(() =>
            ExactDriftEngine.EvaluateColumn(numbers, ColumnSample.Numerical("price", [double.NaN]))).Message);
        Assert.Throws<ArgumentException>(() => ExactDriftEngine.EvaluateColumn(numbers, ColumnSample.Numerical("cost", [1])));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            ExactDriftEngine.EvaluateColumn(numbers, numbers, new ColumnDriftSettings(Threshold: -1)));
        Assert.Throws<ArgumentNullException>(() => ExactDriftEngine.EvaluateColumn(null!, numbers));
    }
}
