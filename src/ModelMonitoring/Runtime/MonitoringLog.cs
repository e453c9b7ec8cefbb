using Microsoft.Extensions.Logging;

namespace ModelMonitoring.Runtime;

/// <summary>Monitoring's log messages, source-generated so that logging does not allocate when it is off.</summary>
internal static partial class MonitoringLog
{
    public const string Category = "ModelMonitoring";

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Prediction {Method} of model {Model} failed after {DurationMilliseconds} ms with {ExceptionType}")]
    public static partial void PredictionFailed(ILogger logger, Exception exception, string model, string method, double durationMilliseconds, string exceptionType);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Prediction {Method} of model {Model} took {DurationMilliseconds} ms; features: {Features}")]
    public static partial void PredictionRecorded(ILogger logger, string model, string method, double durationMilliseconds, string features);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Monitoring of model {Model} failed while {Stage}; the prediction itself was not affected")]
    public static partial void MonitoringFailed(ILogger logger, Exception exception, string model, string stage);

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
}

/// <summary>The log scope of a model: model, version, owner and squad on every log line written inside it.</summary>
internal sealed class ModelLogScope(ModelDescriptor descriptor) : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?>[] _items =
    [
        new("Model", descriptor.Name),
        new("ModelVersion", descriptor.Version),
        new("Owner", descriptor.Owner),
        new("Squad", descriptor.Squad),
    ];

    private readonly string _text = $"Model {descriptor.Name} {descriptor.Version} (owner {descriptor.Owner}, squad {descriptor.Squad})";

    public int Count => _items.Length;

    public KeyValuePair<string, object?> this[int index] => _items[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_items).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => _text;
}
