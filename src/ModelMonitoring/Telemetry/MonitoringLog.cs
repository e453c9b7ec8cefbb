using Microsoft.Extensions.Logging;

namespace ModelMonitoring;

/// <summary>Monitoring's log messages, source-generated so that logging does not allocate when it is off.</summary>
internal static partial class MonitoringLog
{
    public const string Category = "ModelMonitoring";

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Prediction {Method} of model {Model} failed after {DurationMilliseconds} ms with {ExceptionType}")]
    public static partial void PredictionFailed(ILogger logger, Exception exception, string model, string method, double durationMilliseconds, string exceptionType);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Prediction {Method} of model {Model} took {DurationMilliseconds} ms; features: {Features}")]
    public static partial void PredictionRecorded(ILogger logger, string model, string method, double durationMilliseconds, string features);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Monitoring of model {Model} failed at stage {Stage}{FeatureSuffix}; the prediction itself was not affected")]
    public static partial void MonitoringFailed(ILogger logger, Exception exception, string model, MonitoringStage stage, string featureSuffix);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Window of model {Model} closed: {Rows} rows from {WindowStart:O} to {WindowEnd:O}")]
    public static partial void WindowClosed(ILogger logger, string model, long rows, DateTimeOffset windowStart, DateTimeOffset windowEnd);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Drift in model {Model}: {DriftedFeatures} of {Features} input features drifted (share {DriftShare:F2}), prediction drift {PredictionDrift}, over {Rows} rows: {DriftedList}")]
    public static partial void DriftDetected(ILogger logger, string model, int driftedFeatures, int features, double driftShare, bool predictionDrift, long rows, string driftedList);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "No drift in model {Model}: {DriftedFeatures} of {Features} input features drifted (share {DriftShare:F2}) over {Rows} rows")]
    public static partial void NoDrift(ILogger logger, string model, int driftedFeatures, int features, double driftShare, long rows);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Model {Model} has no baseline: its first window of {Rows} rows is now the drift reference")]
    public static partial void ReferenceFromFirstWindow(ILogger logger, string model, long rows);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Two model types use the model name {Model}: {FirstType} and {SecondType}; their metrics are merged under one name")]
    public static partial void DuplicateModelName(ILogger logger, string model, string firstType, string secondType);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "Model {Model} could not record {Dropped} rows: its recording ring ({Capacity} rows) was full because the folder fell behind; counts and latency stay exact")]
    public static partial void RowsDropped(ILogger logger, string model, long dropped, int capacity);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Feature {Feature} of model {Model} is {FirstKind} in type {FirstType} but {SecondKind} in type {SecondType}; the second type's values are not captured under that name")]
    public static partial void FeatureKindConflict(ILogger logger, string model, string feature, FeatureKind firstKind, string firstType, FeatureKind secondKind, string secondType);
}
