namespace ModelMonitoring;

/// <summary>
/// One current figure of a model's health, as alert rules read it: the dataset drift share, a feature's drift score,
/// the error rate of the last window, the outlier ratio... named by <see cref="ModelSignalNames"/>.
/// </summary>
/// <param name="Name">What the figure is (one of <see cref="ModelSignalNames"/>, or a name of your own).</param>
/// <param name="Value">The figure.</param>
public readonly record struct ModelSignal(string Name, double Value)
{
    /// <summary>The feature it is about, for per-feature signals.</summary>
    public string? Feature { get; init; }

    /// <summary>The segment it is about; null for the model as a whole.</summary>
    public string? Segment { get; init; }

    /// <summary>The metric, for performance signals (<c>accuracy</c>, <c>rmse</c>...).</summary>
    public string? Metric { get; init; }
}

/// <summary>The names of the signals the runtime and its built-in monitors provide.</summary>
public static class ModelSignalNames
{
    /// <summary>Share of input features that drifted in the last evaluated window (0 to 1).</summary>
    public const string DatasetDriftShare = "dataset_drift_share";

    /// <summary>1 when the inputs drifted in the last evaluated window, else 0.</summary>
    public const string DatasetDrift = "dataset_drift";

    /// <summary>1 when a feature drifted in the last evaluated window, else 0 (per feature).</summary>
    public const string FeatureDrift = "feature_drift";

    /// <summary>A feature's drift score in the last evaluated window (per feature; a p-value or a distance).</summary>
    public const string FeatureDriftScore = "feature_drift_score";

    /// <summary>1 when the prediction drifted in the last evaluated window, else 0.</summary>
    public const string PredictionDrift = "prediction_drift";

    /// <summary>Errors over calls in the last closed window (0 to 1).</summary>
    public const string ErrorRate = "error_rate";

    /// <summary>The 95th percentile of successful calls' latency in the last closed window, in seconds.</summary>
    public const string LatencyP95 = "latency_p95";

    /// <summary>Share of the last window's rows flagged as outliers (0 to 1).</summary>
    public const string OutlierRatio = "outlier_ratio";

    /// <summary>Share of a feature's values that were missing in the last window (per feature).</summary>
    public const string MissingRatio = "missing_ratio";

    /// <summary>Share of a feature's values outside the reference's range in the last window (per feature).</summary>
    public const string OutOfRangeRatio = "out_of_range_ratio";

    /// <summary>Share of a feature's values that are categories the reference lacks, in the last window (per feature).</summary>
    public const string UnseenCategoryRatio = "unseen_category_ratio";

    /// <summary>A performance metric realized from ground truth (per metric).</summary>
    public const string Performance = "performance";

    /// <summary>A performance metric estimated without ground truth (CBPE; per metric).</summary>
    public const string EstimatedPerformance = "estimated_performance";

    /// <summary>Concept-drift detections on the error stream since the start (per detector, in <see cref="ModelSignal.Metric"/>).</summary>
    public const string ConceptDriftDetections = "concept_drift_detections";
}

/// <summary>
/// Provides signals of a model. The runtime asks every source when alert rules are evaluated. Built-in monitors are
/// sources; a row consumer given to the runtime that also implements this interface is one too.
/// </summary>
public interface IModelSignalSource
{
    /// <summary>Adds the current signals of <paramref name="model"/>. Called on the evaluator thread; keep it quick.</summary>
    void AddSignals(ModelMonitor model, ICollection<ModelSignal> signals);
}

/// <summary>The signals the runtime has itself: drift from the last evaluation, error rate and latency from the last window.</summary>
internal sealed class RuntimeSignals : IModelSignalSource
{
    public void AddSignals(ModelMonitor model, ICollection<ModelSignal> signals)
    {
        if (model.LatestDrift is { } drift)
        {
            signals.Add(new ModelSignal(ModelSignalNames.DatasetDriftShare, drift.Features.Share));
            signals.Add(new ModelSignal(ModelSignalNames.DatasetDrift, drift.Drift ? 1 : 0));
            signals.Add(new ModelSignal(ModelSignalNames.PredictionDrift, drift.PredictionDrift ? 1 : 0));
            foreach (Statistics.ColumnDriftResult column in drift.Features.Columns.Concat(drift.Prediction.Columns))
            {
                signals.Add(new ModelSignal(ModelSignalNames.FeatureDrift, column.Drift ? 1 : 0) { Feature = column.Name });
                signals.Add(new ModelSignal(ModelSignalNames.FeatureDriftScore, column.Score) { Feature = column.Name });
            }
        }

        if (model.LastClosedWindow?.Calls is { Total: > 0 } calls)
        {
            signals.Add(new ModelSignal(ModelSignalNames.ErrorRate, calls.ErrorRate));
            if (calls.Successes > 0)
            {
                signals.Add(new ModelSignal(ModelSignalNames.LatencyP95, calls.SuccessLatencyQuantile(0.95)));
            }
        }
    }
}
