namespace ModelMonitoring.Performance;

/// <summary>
/// A confusion matrix filled one (actual, predicted) pair at a time, for streams and windows: the labels seen and the
/// count of each pair. <see cref="ToMetrics"/> gives accuracy, precision, recall and F1 as <see cref="ClassificationMetrics"/>.
/// Not thread-safe.
/// </summary>
public sealed class ConfusionCounts
{
    private readonly Dictionary<(string Actual, string Predicted), long> _pairs = new();
    private readonly SortedSet<string> _labels = new(StringComparer.Ordinal);

    /// <summary>How many pairs were added.</summary>
    public long Rows { get; private set; }

    /// <summary>Every label seen as actual or predicted, in ordinal order.</summary>
    public IReadOnlyCollection<string> Labels => _labels;

    /// <summary>Adds one scored row.</summary>
    /// <param name="actual">The true label.</param>
    /// <param name="predicted">The predicted label.</param>
    public void Add(string actual, string predicted)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        _labels.Add(actual);
        _labels.Add(predicted);
        _pairs[(actual, predicted)] = _pairs.GetValueOrDefault((actual, predicted)) + 1;
        Rows++;
    }

    /// <summary>How many rows had this actual and this predicted label.</summary>
    /// <param name="actual">The true label.</param>
    /// <param name="predicted">The predicted label.</param>
    public long Count(string actual, string predicted) => _pairs.GetValueOrDefault((actual, predicted));

    /// <summary>Forgets every row.</summary>
    public void Clear()
    {
        _pairs.Clear();
        _labels.Clear();
        Rows = 0;
    }

    /// <summary>
    /// The metrics of the rows added so far. The task is binary when two labels were seen, or when
    /// <paramref name="positiveLabel"/> is given and at most two were; then <see cref="ClassificationMetrics.Precision"/>,
    /// <see cref="ClassificationMetrics.Recall"/> and <see cref="ClassificationMetrics.F1"/> are those of the positive label
    /// (<paramref name="positiveLabel"/>, else the greater label in ordinal order). Ratios with a zero denominator are 0,
    /// as scikit-learn's <c>zero_division=0</c>. With no rows every metric is NaN.
    /// </summary>
    /// <param name="positiveLabel">The positive label of a binary task; null: the greater label.</param>
    public ClassificationMetrics ToMetrics(string? positiveLabel = null)
    {
        string[] labels = [.. _labels];
        if (Rows == 0)
        {
            return new ClassificationMetrics(0, labels, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        int n = labels.Length;
        var truePositives = new long[n];
        var actualCounts = new long[n];
        var predictedCounts = new long[n];
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < n; i++)
        {
            index[labels[i]] = i;
        }

        long correct = 0;
        foreach (KeyValuePair<(string Actual, string Predicted), long> pair in _pairs)
        {
            int a = index[pair.Key.Actual];
            int p = index[pair.Key.Predicted];
            actualCounts[a] += pair.Value;
            predictedCounts[p] += pair.Value;
            if (a == p)
            {
                truePositives[a] += pair.Value;
                correct += pair.Value;
            }
        }

        double precisionMacro = 0, recallMacro = 0, f1Macro = 0, precisionWeighted = 0, recallWeighted = 0, f1Weighted = 0;
        var precision = new double[n];
        var recall = new double[n];
        var f1 = new double[n];
        for (int i = 0; i < n; i++)
        {
            precision[i] = Ratio(truePositives[i], predictedCounts[i]);
            recall[i] = Ratio(truePositives[i], actualCounts[i]);
            f1[i] = Ratio(2 * truePositives[i], predictedCounts[i] + actualCounts[i]);
            precisionMacro += precision[i];
            recallMacro += recall[i];
            f1Macro += f1[i];
            double weight = (double)actualCounts[i] / Rows;
            precisionWeighted += precision[i] * weight;
            recallWeighted += recall[i] * weight;
            f1Weighted += f1[i] * weight;
        }

        var metrics = new ClassificationMetrics(Rows, labels, (double)correct / Rows, precisionMacro / n, recallMacro / n, f1Macro / n,
            precisionWeighted, recallWeighted, f1Weighted);
        bool binary = n == 2 || (positiveLabel is not null && n <= 2);
        if (!binary)
        {
            return metrics;
        }

        string positive = positiveLabel ?? labels[^1];
        if (!index.TryGetValue(positive, out int k))
        {
            return metrics with { PositiveLabel = positive, Precision = 0, Recall = 0, F1 = 0 };
        }

        return metrics with { PositiveLabel = positive, Precision = precision[k], Recall = recall[k], F1 = f1[k] };
    }

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;
}
