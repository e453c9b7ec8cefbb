using ModelMonitoring.Performance;

namespace ModelMonitoring;

/// <summary>
/// A model's realized performance over one window: the metrics of the outcomes joined to their predictions while the
/// window was open (whenever the predictions were made), for the model or one of its segments.
/// </summary>
/// <param name="Model">The model's name.</param>
/// <param name="Segment">The segment; empty for the model as a whole.</param>
/// <param name="End">When the window closed.</param>
/// <param name="Task"><c>classification</c> or <c>regression</c>.</param>
/// <param name="Outcomes">How many outcomes were joined in the window.</param>
/// <param name="Metrics">
/// The metrics by name: for classification <c>accuracy</c>, <c>precision_macro</c>, <c>recall_macro</c>, <c>f1_macro</c>,
/// the <c>_weighted</c> three, and for a binary model <c>precision</c>, <c>recall</c>, <c>f1</c>, plus <c>roc_auc</c> and
/// <c>log_loss</c> with a <c>[PredictionScore]</c> (for a multiclass model, one per class: one-vs-rest macro ROC AUC
/// and multiclass log loss); for regression <c>mae</c>, <c>rmse</c>, <c>mape</c>, <c>r2</c>.
/// </param>
public sealed record ModelPerformanceReport(string Model, string Segment, DateTimeOffset End, string Task, long Outcomes, IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>The named metric.</summary>
    /// <exception cref="KeyNotFoundException">No such metric; the message lists them.</exception>
    public double this[string metric] => Metrics.TryGetValue(metric, out double value)
        ? value
        : throw new KeyNotFoundException($"Model '{Model}' has no performance metric '{metric}' in this window. Its metrics are: {string.Join(", ", Metrics.Keys)}.");
}

/// <summary>
/// A model's performance estimated without ground truth (CBPE) over one window, from the scores of all its
/// predictions, calibrated on the first outcomes joined (the reference): the model's, or for a segment its own once
/// it has enough (<see cref="Reference"/>).
/// </summary>
/// <param name="Model">The model's name.</param>
/// <param name="Segment">The segment; empty for the model as a whole.</param>
/// <param name="End">When the window closed.</param>
/// <param name="Rows">How many scored predictions the window had.</param>
/// <param name="Metrics">Accuracy, precision, recall, F1 and ROC AUC, each with its band.</param>
public sealed record ModelPerformanceEstimate(string Model, string Segment, DateTimeOffset End, long Rows, IReadOnlyList<EstimatedMetric> Metrics)
{
    /// <summary>
    /// The outcomes the scores were calibrated on: <c>model</c>, the model's first outcomes, or <c>segment</c>, the
    /// segment's own first outcomes (as many as the model's reference), used for a segment once it has them.
    /// </summary>
    public string Reference { get; init; } = "model";

    /// <summary>The named estimate.</summary>
    /// <exception cref="KeyNotFoundException">No such metric; the message lists them.</exception>
    public EstimatedMetric this[string metric] =>
        Metrics.FirstOrDefault(m => m.Metric == metric) is { Metric: not null } found
            ? found
            : throw new KeyNotFoundException($"No estimated metric '{metric}'. The metrics are: {string.Join(", ", Metrics.Select(m => m.Metric))}.");
}

/// <summary>What happened to a model's keyed predictions and outcomes so far: the <c>result</c> tag of <c>ml.model.outcomes</c>.</summary>
/// <param name="Joined">Outcomes joined to their prediction.</param>
/// <param name="Expired">Predictions whose outcome did not arrive within the time to live.</param>
/// <param name="Evicted">Predictions dropped, oldest first, because too many waited.</param>
/// <param name="UnknownKey">Outcomes whose prediction never arrived within the time to live (or that were dropped waiting for it).</param>
/// <param name="Pending">Predictions waiting for their outcome now.</param>
public readonly record struct OutcomeCounts(long Joined, long Expired, long Evicted, long UnknownKey, long Pending);
