namespace ModelMonitoring.Performance;

/// <summary>
/// Realized performance of a classifier, from actual and predicted labels (and, for a binary task, the predicted
/// probability of the positive label): computed as scikit-learn's <c>accuracy_score</c>, <c>precision_score</c>,
/// <c>recall_score</c>, <c>f1_score</c> (with <c>zero_division=0</c>), <c>roc_auc_score</c> and <c>log_loss</c>.
/// </summary>
/// <param name="Rows">How many (actual, predicted) pairs were scored.</param>
/// <param name="Labels">Every label seen in either column, in ordinal order (scikit-learn's <c>unique_labels</c>).</param>
/// <param name="Accuracy">Share of rows whose prediction equals the actual label.</param>
/// <param name="PrecisionMacro">Unweighted mean of the per-label precisions.</param>
/// <param name="RecallMacro">Unweighted mean of the per-label recalls.</param>
/// <param name="F1Macro">Unweighted mean of the per-label F1 scores.</param>
/// <param name="PrecisionWeighted">Mean of the per-label precisions weighted by each label's actual count.</param>
/// <param name="RecallWeighted">Mean of the per-label recalls weighted by each label's actual count.</param>
/// <param name="F1Weighted">Mean of the per-label F1 scores weighted by each label's actual count.</param>
public sealed record ClassificationMetrics(
    long Rows,
    IReadOnlyList<string> Labels,
    double Accuracy,
    double PrecisionMacro,
    double RecallMacro,
    double F1Macro,
    double PrecisionWeighted,
    double RecallWeighted,
    double F1Weighted)
{
    /// <summary>The label treated as positive for <see cref="Precision"/>, <see cref="Recall"/>, <see cref="F1"/>, ROC AUC and log loss; null for a multiclass task.</summary>
    public string? PositiveLabel { get; init; }

    /// <summary>Precision of <see cref="PositiveLabel"/> (scikit-learn's <c>average="binary"</c>); NaN when there is none.</summary>
    public double Precision { get; init; } = double.NaN;

    /// <summary>Recall of <see cref="PositiveLabel"/>; NaN when there is none.</summary>
    public double Recall { get; init; } = double.NaN;

    /// <summary>F1 of <see cref="PositiveLabel"/>; NaN when there is none.</summary>
    public double F1 { get; init; } = double.NaN;

    /// <summary>Area under the ROC curve of the scores against the positive label; NaN without scores or with one class only.</summary>
    public double RocAuc { get; init; } = double.NaN;

    /// <summary>Mean cross-entropy of the scores (probabilities clipped to [ε, 1 − ε], ε the double's machine epsilon); NaN without scores.</summary>
    public double LogLoss { get; init; } = double.NaN;

    /// <summary>
    /// The metrics by the names <c>mlmon performance</c> prints and <c>ml.model.performance</c> tags: <c>accuracy</c>,
    /// <c>precision_macro</c>, <c>recall_macro</c>, <c>f1_macro</c>, <c>precision_weighted</c>, <c>recall_weighted</c>,
    /// <c>f1_weighted</c>, then for a binary task <c>precision</c>, <c>recall</c>, <c>f1</c>, and with scores
    /// <c>roc_auc</c> and <c>log_loss</c>. Metrics that are NaN are left out.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, double>> ToNamedValues()
    {
        var values = new List<KeyValuePair<string, double>>
        {
            new("accuracy", Accuracy),
            new("precision_macro", PrecisionMacro),
            new("recall_macro", RecallMacro),
            new("f1_macro", F1Macro),
            new("precision_weighted", PrecisionWeighted),
            new("recall_weighted", RecallWeighted),
            new("f1_weighted", F1Weighted),
            new("precision", Precision),
            new("recall", Recall),
            new("f1", F1),
            new("roc_auc", RocAuc),
            new("log_loss", LogLoss),
        };
        values.RemoveAll(pair => double.IsNaN(pair.Value));
        return values;
    }

    /// <summary>
    /// Scores predicted labels against actual ones. Rows whose actual or predicted label is null are skipped. With two
    /// labels the task is binary: the positive label is <paramref name="positiveLabel"/>, else the greater of the two in
    /// ordinal order (as scikit-learn takes the last of its sorted labels), and the scores, when given, are that label's
    /// probability.
    /// </summary>
    /// <param name="actual">The true labels.</param>
    /// <param name="predicted">The predicted labels, as many as <paramref name="actual"/>.</param>
    /// <param name="scores">The predicted probability of the positive label per row, or null. NaN scores are skipped for ROC AUC and log loss.</param>
    /// <param name="positiveLabel">The positive label of a binary task; null: the greater label.</param>
    /// <exception cref="ArgumentException">The lists differ in length, or scores are given for a task that is not binary, or a score lies outside [0, 1].</exception>
    public static ClassificationMetrics Compute(IReadOnlyList<string?> actual, IReadOnlyList<string?> predicted, IReadOnlyList<double>? scores = null, string? positiveLabel = null)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        if (actual.Count != predicted.Count || (scores is not null && scores.Count != actual.Count))
        {
            throw new ArgumentException($"The columns differ in length: {actual.Count} actual, {predicted.Count} predicted{(scores is null ? "" : $", {scores.Count} scores")}.", nameof(predicted));
        }

        var confusion = new ConfusionCounts();
        for (int i = 0; i < actual.Count; i++)
        {
            if (actual[i] is { } a && predicted[i] is { } p)
            {
                confusion.Add(a, p);
            }
        }

        ClassificationMetrics metrics = confusion.ToMetrics(positiveLabel);
        if (scores is null || metrics.PositiveLabel is null)
        {
            if (scores is not null && confusion.Labels.Count > 2)
            {
                throw new ArgumentException($"Scores are the probability of one positive label, so they need a binary task; {confusion.Labels.Count} labels were found ({string.Join(", ", confusion.Labels.Take(5))}...).", nameof(scores));
            }

            return metrics;
        }

        var positives = new List<bool>(actual.Count);
        var probabilities = new List<double>(actual.Count);
        for (int i = 0; i < actual.Count; i++)
        {
            if (actual[i] is { } a && predicted[i] is not null && !double.IsNaN(scores[i]))
            {
                positives.Add(string.Equals(a, metrics.PositiveLabel, StringComparison.Ordinal));
                probabilities.Add(scores[i]);
            }
        }

        return metrics with
        {
            RocAuc = BinaryScores.RocAuc(positives, probabilities),
            LogLoss = BinaryScores.LogLoss(positives, probabilities),
        };
    }
}
