using System.Text.Json;
using ModelMonitoring.Performance;

namespace ModelMonitoring.Statistics.Tests.Performance;

/// <summary>
/// Multiclass ROC AUC (one-vs-rest, macro) and log loss against scikit-learn 1.2.1 on
/// tests/data/performance/multiclass_scores.csv (probabilities rounded to 3 decimals, so with ties, and rows with 0 and 1), to 1e-9.
/// </summary>
public sealed class MulticlassScoresTests
{
    private const double Tolerance = 1e-9;
    private static readonly string[] Classes = ["a", "b", "c"];

    [Fact]
    public void Roc_auc_one_vs_rest_and_log_loss_match_scikit_learn()
    {
        Dictionary<string, string[]> data = PerformanceFixtures.Read("multiclass_scores.csv");
        double[] a = PerformanceFixtures.Numbers(data["p_a"]), b = PerformanceFixtures.Numbers(data["p_b"]), c = PerformanceFixtures.Numbers(data["p_c"]);
        IReadOnlyList<double>[] probabilities = [.. a.Select((_, i) => (IReadOnlyList<double>)[a[i], b[i], c[i]])];
        JsonElement expected = PerformanceFixtures.Expected("multiclass_scores");

        Assert.Equal(expected.GetProperty("roc_auc").GetDouble(), MulticlassScores.RocAucOneVsRest(data["actual"], Classes, probabilities), Tolerance);
        Assert.Equal(expected.GetProperty("log_loss").GetDouble(), MulticlassScores.LogLoss(data["actual"], Classes, probabilities), Tolerance);
    }

    [Fact]
    public void An_unknown_or_absent_class_gives_nan_and_bad_rows_are_named()
    {
        IReadOnlyList<double>[] rows = [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]];
        Assert.True(double.IsNaN(MulticlassScores.RocAucOneVsRest(["a", "b"], Classes, rows))); // class c never occurs
        Assert.True(double.IsNaN(MulticlassScores.LogLoss(["a", "z"], Classes, rows))); // z has no probability
        Assert.Equal(-(Math.Log(0.7) + Math.Log(0.8)) / 2, MulticlassScores.LogLoss(["a", "b"], Classes, rows), 12);
        Assert.Contains("Row 1 has 2 probabilities for 3 classes", Assert.Throws<ArgumentException>(() => MulticlassScores.LogLoss(["a", "b"], Classes, [[0.7, 0.2, 0.1], [0.5, 0.5]])).Message);
        Assert.Contains("Probability 0 of row 0 is 1.5", Assert.Throws<ArgumentException>(() => MulticlassScores.LogLoss(["a"], Classes, [[1.5, 0, 0]])).Message);
        Assert.Contains("Class 'a' is given twice", Assert.Throws<ArgumentException>(() => MulticlassScores.RocAucOneVsRest(["a"], ["a", "a"], [[0.5, 0.5]])).Message);
    }
}
