using System.Text.Json;
using ModelMonitoring.Performance;

namespace ModelMonitoring.Statistics.Tests.Performance;

/// <summary>Realized metrics and the isotonic calibration against scikit-learn 1.2.1 (tests/data/performance), to 1e-9.</summary>
public sealed class MetricsTests
{
    private const double Tolerance = 1e-9;

    [Theory]
    [InlineData("binary", "churn")]
    [InlineData("multiclass", null)]
    public void Classification_metrics_match_scikit_learn(string fixture, string? positive)
    {
        Dictionary<string, string[]> data = PerformanceFixtures.Read($"{fixture}.csv");
        double[]? scores = data.TryGetValue("score", out string[]? score) ? PerformanceFixtures.Numbers(score) : null;

        ClassificationMetrics metrics = ClassificationMetrics.Compute(data["actual"], data["predicted"], scores, positive);

        JsonElement expected = PerformanceFixtures.Expected(fixture);
        var actual = metrics.ToNamedValues().ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(expected.EnumerateObject().Select(p => p.Name).Order(), actual.Keys.Order());
        foreach (JsonProperty metric in expected.EnumerateObject())
        {
            Assert.True(Math.Abs(metric.Value.GetDouble() - actual[metric.Name]) <= Tolerance, $"{metric.Name}: scikit-learn {metric.Value.GetDouble():R}, ours {actual[metric.Name]:R}");
        }
    }

    [Fact]
    public void Regression_metrics_match_scikit_learn()
    {
        Dictionary<string, string[]> data = PerformanceFixtures.Read("regression.csv");

        RegressionMetrics metrics = RegressionMetrics.Compute(PerformanceFixtures.Numbers(data["actual"]), PerformanceFixtures.Numbers(data["predicted"]));

        JsonElement expected = PerformanceFixtures.Expected("regression");
        foreach ((string name, double value) in metrics.ToNamedValues())
        {
            double reference = expected.GetProperty(name).GetDouble();
            Assert.True(Math.Abs(reference - value) <= Tolerance * Math.Max(1, Math.Abs(reference)), $"{name}: scikit-learn {reference:R}, ours {value:R}");
        }
    }

    [Fact]
    public void The_isotonic_calibration_predicts_as_scikit_learn()
    {
        Dictionary<string, string[]> data = PerformanceFixtures.Read("isotonic.csv");
        IsotonicCalibrator calibrator = IsotonicCalibrator.Fit(PerformanceFixtures.Numbers(data["score"]), [.. data["label"].Select(l => l == "1")]);

        JsonElement expected = PerformanceFixtures.Expected("isotonic");
        double[] queries = [.. expected.GetProperty("queries").EnumerateArray().Select(q => q.GetDouble())];
        double[] predictions = [.. expected.GetProperty("predictions").EnumerateArray().Select(q => q.GetDouble())];
        for (int i = 0; i < queries.Length; i++)
        {
            Assert.True(Math.Abs(predictions[i] - calibrator.Calibrate(queries[i])) <= Tolerance, $"at {queries[i]}: scikit-learn {predictions[i]:R}, ours {calibrator.Calibrate(queries[i]):R}");
        }
    }

    [Fact]
    public void Edge_cases_follow_scikit_learns_conventions()
    {
        // One class only: ROC AUC is undefined; a label never predicted has precision 0 (zero_division=0).
        Assert.True(double.IsNaN(BinaryScores.RocAuc([true, true], [0.2, 0.9])));
        ClassificationMetrics metrics = ClassificationMetrics.Compute(["a", "b", "b"], ["b", "b", "b"]);
        Assert.Equal(0.5 * (0 + (2.0 / 3)), metrics.PrecisionMacro, 12);
        Assert.Equal("b", metrics.PositiveLabel); // the greater label, as scikit-learn's last sorted label
        // Constant actual values: R² is 1 when exact, else 0 (force_finite).
        Assert.Equal(1, RegressionMetrics.Compute([3, 3], [3, 3]).R2);
        Assert.Equal(0, RegressionMetrics.Compute([3, 3], [3, 4]).R2);
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute(["a"], ["a", "b"]));
        Assert.Throws<ArgumentException>(() => BinaryScores.LogLoss([true], [1.5]));
    }
}
