using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ModelMonitoring;

/// <summary>
/// The names of everything ModelMonitoring exports: one <see cref="Meter"/> and one <see cref="ActivitySource"/>,
/// both named <see cref="SourceName"/>, and the instruments below. Prometheus shows dots as underscores and adds
/// unit and <c>_total</c> suffixes (<c>ml.model.predictions</c> becomes <c>ml_model_predictions_total</c>).
/// </summary>
public static class ModelMonitoringInstruments
{
    /// <summary>The name of the meter and the activity source.</summary>
    public const string SourceName = "ModelMonitoring";

    /// <summary>Counter of predictions; tags <c>model</c>, <c>model_version</c>, <c>method</c>, <c>outcome</c> (success, error, canceled).</summary>
    public const string Predictions = "ml.model.predictions";

    /// <summary>Histogram of prediction latency in seconds, to completion for tasks; tags <c>model</c>, <c>model_version</c>, <c>method</c>.</summary>
    public const string PredictionDuration = "ml.model.prediction.duration";

    /// <summary>Counter of failed predictions; tags <c>model</c>, <c>model_version</c>, <c>method</c>, <c>exception_type</c>.</summary>
    public const string Errors = "ml.model.errors";

    /// <summary>Counter of failures inside monitoring itself (never thrown to callers); tags <c>model</c>, <c>stage</c>.</summary>
    public const string MonitoringFailures = "ml.monitoring.failures";

    /// <summary>Counter of captured non-missing feature values; tags <c>model</c>, <c>feature</c>.</summary>
    public const string FeatureValues = "ml.feature.values";

    /// <summary>Counter of missing feature values (null or NaN); tags <c>model</c>, <c>feature</c>.</summary>
    public const string FeatureMissing = "ml.feature.missing";

    /// <summary>Gauge: values in the feature's current window; tags <c>model</c>, <c>feature</c>.</summary>
    public const string FeatureWindowCount = "ml.feature.window.count";

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

    /// <summary>Latency histogram bucket boundaries, in seconds: 100 µs to 10 s.</summary>
    public static IReadOnlyList<double> DurationBuckets { get; } =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    internal static readonly Meter Meter = new(SourceName, typeof(ModelMonitoringInstruments).Assembly.GetName().Version?.ToString(3));

    internal static readonly ActivitySource ActivitySource = new(SourceName, typeof(ModelMonitoringInstruments).Assembly.GetName().Version?.ToString(3));

    internal static readonly Histogram<double> Duration = Meter.CreateHistogram(
        PredictionDuration,
        unit: "s",
        description: "Latency of model predictions, to completion for asynchronous ones.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    internal static readonly Counter<long> ErrorCounter = Meter.CreateCounter<long>(Errors, unit: "{error}", description: "Predictions that threw, by exception type.");

    internal static readonly Counter<long> MonitoringFailureCounter = Meter.CreateCounter<long>(MonitoringFailures, unit: "{failure}", description: "Failures inside monitoring; never thrown to the caller.");

    static ModelMonitoringInstruments()
    {
        Meter.CreateObservableCounter(Predictions, ModelMonitor.ObservePredictions, unit: "{prediction}", description: "Model predictions by outcome.");
        Meter.CreateObservableCounter(FeatureValues, () => ModelMonitor.ObserveFeatures(FeatureStatistic.Values), unit: "{value}", description: "Captured feature values that were present.");
        Meter.CreateObservableCounter(FeatureMissing, () => ModelMonitor.ObserveFeatures(FeatureStatistic.Missing), unit: "{value}", description: "Captured feature values that were missing (null or NaN).");
        Meter.CreateObservableGauge(FeatureWindowCount, () => ModelMonitor.ObserveFeatures(FeatureStatistic.WindowCount), unit: "{value}", description: "Values in the feature's current window.");
        Meter.CreateObservableGauge(FeatureWindowMean, () => ModelMonitor.ObserveFeatureDoubles(FeatureStatistic.WindowMean), description: "Mean of the numerical feature in its current window.");
        Meter.CreateObservableGauge(FeatureWindowMin, () => ModelMonitor.ObserveFeatureDoubles(FeatureStatistic.WindowMin), description: "Minimum of the numerical feature in its current window.");
        Meter.CreateObservableGauge(FeatureDriftScore, () => ModelMonitor.ObserveDrift(DriftStatistic.FeatureScore), description: "Drift score of the feature in the last window: a p-value for ks, chisquare and z, otherwise a distance.");
        Meter.CreateObservableGauge(FeatureDriftDetected, () => ModelMonitor.ObserveDrift(DriftStatistic.FeatureDetected), description: "1 when the feature drifted in the last window.");
        Meter.CreateObservableGauge(ModelDriftShare, () => ModelMonitor.ObserveDrift(DriftStatistic.ModelShare), description: "Share of the model's input features that drifted in the last window.");
        Meter.CreateObservableGauge(ModelDriftDetected, () => ModelMonitor.ObserveDrift(DriftStatistic.ModelDetected), description: "1 when the model's inputs drifted in the last window.");
        Meter.CreateObservableGauge(PredictionDriftShare, () => ModelMonitor.ObserveDrift(DriftStatistic.PredictionShare), description: "Share of the prediction's parts that drifted in the last window.");
        Meter.CreateObservableGauge(PredictionDriftDetected, () => ModelMonitor.ObserveDrift(DriftStatistic.PredictionDetected), description: "1 when the prediction drifted in the last window.");
        Meter.CreateObservableGauge(FeatureWindowMax, () => ModelMonitor.ObserveFeatureDoubles(FeatureStatistic.WindowMax), description: "Maximum of the numerical feature in its current window.");
    }

    /// <summary>Forces the instruments to exist (the static constructor runs once).</summary>
    internal static void EnsureCreated()
    {
    }
}

internal enum DriftStatistic
{
    FeatureScore,
    FeatureDetected,
    ModelShare,
    ModelDetected,
    PredictionShare,
    PredictionDetected,
}

internal enum FeatureStatistic
{
    Values,
    Missing,
    WindowCount,
    WindowMean,
    WindowMin,
    WindowMax,
}
