using System.Diagnostics;

namespace ModelMonitoring;

/// <summary>
/// The names of everything ModelMonitoring exports: a <see cref="System.Diagnostics.Metrics.Meter"/> per runtime and one
/// <see cref="ActivitySource"/>, all named <see cref="SourceName"/>, and the instruments below. Prometheus shows dots as underscores and adds
/// unit and <c>_total</c> suffixes (<c>ml.model.predictions</c> becomes <c>ml_model_predictions_total</c>).
/// </summary>
public static class ModelMonitoringInstruments
{
    /// <summary>The name of the meter and the activity source.</summary>
    public const string SourceName = "ModelMonitoring";

    /// <summary>Counter of predictions; tags <c>model</c>, <c>model_version</c>, <c>method</c>, <c>outcome</c> (success, error, canceled).</summary>
    public const string Predictions = "ml.model.predictions";

    /// <summary>Histogram of prediction latency in seconds, to completion for tasks; tags <c>model</c>, <c>model_version</c>, <c>method</c>, <c>outcome</c>.</summary>
    public const string PredictionDuration = "ml.model.prediction.duration";

    /// <summary>Counter of failed predictions; tags <c>model</c>, <c>model_version</c>, <c>method</c>, <c>exception_type</c>.</summary>
    public const string Errors = "ml.model.errors";

    /// <summary>Counter of failures inside monitoring itself (never thrown to callers); tags <c>model</c>, <c>stage</c> (<see cref="MonitoringStage"/>, snake_case) and, where one applies, <c>feature</c>.</summary>
    public const string MonitoringFailures = "ml.monitoring.failures";

    /// <summary>Counter of captured non-missing feature values; tags <c>model</c>, <c>feature</c>.</summary>
    public const string FeatureValues = "ml.feature.values";

    /// <summary>Counter of missing feature values (null, NaN or ±Infinity); tags <c>model</c>, <c>feature</c>.</summary>
    public const string FeatureMissing = "ml.feature.missing";

    /// <summary>Gauge: present values in the feature's current window; tags <c>model</c>, <c>feature</c>. (Not <c>.count</c>: Prometheus reserves that suffix.)</summary>
    public const string FeatureWindowValues = "ml.feature.window.values";

    /// <summary>Gauge: mean of a numerical feature in its current window; tags <c>model</c>, <c>feature</c>.</summary>
    public const string FeatureWindowMean = "ml.feature.window.mean";

    /// <summary>Gauge: minimum of a numerical feature in its current window; tags <c>model</c>, <c>feature</c>.</summary>
    public const string FeatureWindowMin = "ml.feature.window.min";

    /// <summary>Gauge: maximum of a numerical feature in its current window; tags <c>model</c>, <c>feature</c>.</summary>
    public const string FeatureWindowMax = "ml.feature.window.max";

    /// <summary>Gauge: drift score of a feature or prediction in the last window; tags <c>model</c>, <c>feature</c>, <c>method</c> (ks, psi...).</summary>
    public const string FeatureDriftScore = "ml.feature.drift.score";

    /// <summary>Gauge: 1 when the feature drifted in the last window, else 0; tags <c>model</c>, <c>feature</c>, <c>method</c>.</summary>
    public const string FeatureDriftDetected = "ml.feature.drift.detected";

    /// <summary>Gauge: share of the model's input features that drifted in the last window; tag <c>model</c>.</summary>
    public const string ModelDriftShare = "ml.model.drift.share";

    /// <summary>Gauge: 1 when the model's inputs drifted (share at or above the threshold), else 0; tag <c>model</c>.</summary>
    public const string ModelDriftDetected = "ml.model.drift.detected";

    /// <summary>Gauge: share of the prediction's parts that drifted in the last window; tag <c>model</c>.</summary>
    public const string PredictionDriftShare = "ml.model.prediction.drift.share";

    /// <summary>Gauge: 1 when the prediction drifted, else 0; tag <c>model</c>.</summary>
    public const string PredictionDriftDetected = "ml.model.prediction.drift.detected";

    /// <summary>Counter of rows that could not be recorded because the folder fell behind (their calls are still counted); tag <c>model</c>.</summary>
    public const string RowsDropped = "ml.monitoring.rows.dropped";

    /// <summary>Counter of ±Infinity values in numerical features (counted as missing too); tags <c>model</c>, <c>feature</c>.</summary>
    public const string FeatureInfinite = "ml.feature.infinite";

    /// <summary>Counter of prediction records written by the inference capture (meter <c>ModelMonitoring.Capture</c>); tag <c>model</c>.</summary>
    public const string CaptureRecords = "ml.capture.records";

    /// <summary>Counter of prediction records the inference capture dropped; tags <c>model</c>, <c>reason</c> (buffer_full, write_error).</summary>
    public const string CaptureDropped = "ml.capture.dropped";

    /// <summary>Counter of errors writing the inference capture files; tag <c>error</c> (disk_full, permission, io, retention).</summary>
    public const string CaptureWriteErrors = "ml.capture.write.errors";

    // Quality (issue 10): the built-in quality monitor's outliers and per-window data quality.

    /// <summary>Counter of rows the isolation forest flagged as outliers; tags <c>model</c> and, for a segment's rows, <c>segment</c> (the model's series counts every row).</summary>
    public const string ModelOutliers = "ml.model.outliers";

    /// <summary>Gauge: share of the last closed window's scored rows that were outliers; tags <c>model</c>[, <c>segment</c>].</summary>
    public const string ModelOutlierRatio = "ml.model.outlier.ratio";

    /// <summary>Gauge: share of a feature's values missing (null, NaN, ±Infinity, empty) in the last closed window; tags <c>model</c>, <c>feature</c>[, <c>segment</c>].</summary>
    public const string FeatureMissingRatio = "ml.feature.missing.ratio";

    /// <summary>Gauge: share of a numerical feature's present values outside the reference's [min, max] in the last closed window; tags <c>model</c>, <c>feature</c>[, <c>segment</c>].</summary>
    public const string FeatureOutOfRangeRatio = "ml.feature.out_of_range.ratio";

    /// <summary>Gauge: share of a categorical feature's present values the reference never saw, in the last closed window; tags <c>model</c>, <c>feature</c>[, <c>segment</c>].</summary>
    public const string FeatureUnseenCategoryRatio = "ml.feature.unseen_category.ratio";

    // Performance from ground truth and without it, concept drift (issue 10, performance half).

    /// <summary>Gauge: realized performance of the last window from joined outcomes; tags <c>model</c>, <c>metric</c> (accuracy, f1_macro, roc_auc, log_loss, mae, rmse, mape, r2...), <c>segment</c> for segment windows.</summary>
    public const string ModelPerformance = "ml.model.performance";

    /// <summary>Gauge: performance of the last window estimated without outcomes (CBPE); tags <c>model</c>, <c>metric</c> (accuracy, precision, recall, f1, roc_auc), <c>bound</c> (estimate, lower, upper), <c>segment</c> for segment windows.</summary>
    public const string ModelPerformanceEstimated = "ml.model.performance.estimated";

    /// <summary>Counter of keyed predictions and outcomes by result; tags <c>model</c>, <c>result</c> (joined, expired, evicted, unknown_key).</summary>
    public const string ModelOutcomes = "ml.model.outcomes";

    /// <summary>Counter of changes detected on the error stream of joined outcomes; tags <c>model</c>, <c>detector</c> (adwin, page-hinkley, ddm).</summary>
    public const string ConceptDriftDetections = "ml.model.concept_drift.detections";

    /// <summary>
    /// Default latency histogram bucket boundaries, in seconds: 1 µs to 10 s, three per decade, so that the quantiles of
    /// a 10 µs model are as sharp as those of a 100 ms one. Set others with <see cref="ModelMonitoringOptions.DurationBuckets"/>.
    /// </summary>
    public static IReadOnlyList<double> DefaultDurationBuckets { get; } =
    [
        0.000001, 0.0000025, 0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
        0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ];

    /// <summary>The version the meter and activity source report: the ModelMonitoring assembly's.</summary>
    internal static readonly string? Version = typeof(ModelMonitoringInstruments).Assembly.GetName().Version?.ToString(3);

    /// <summary>One activity source per process: activity listeners are process-wide anyway.</summary>
    internal static readonly ActivitySource ActivitySource = new(SourceName, Version);
}
