using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ModelMonitoring.Runtime;

/// <summary>
/// The process-wide monitor of one tracked method, which generated wrappers call: <see cref="StartActivity"/> before
/// the model, <see cref="BeginFailedRow"/> from an exception filter, <see cref="BeginRow(long, ActivityScope)"/> after a success. Each call
/// records into the runtime current for the caller (<see cref="ModelMonitoringRuntime.Current"/>). None of these
/// members throws; the success path neither locks nor allocates.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PredictionMonitor
{
    private const int MaxExceptionTypes = 50;
    private const string OtherExceptionType = "other";
    private static readonly double s_millisecondsPerTick = 1000.0 / Stopwatch.Frequency;
    private readonly ConcurrentDictionary<string, string> _exceptionTypes = new(StringComparer.Ordinal);
    private readonly string _activityName;

    internal PredictionMonitor(RegisteredModel model, MethodDescriptor descriptor, int id)
    {
        Model = model;
        Descriptor = descriptor;
        Id = id;
        _activityName = model.Descriptor.Name + "." + descriptor.Name;
        DurationTags = new[] { PredictionOutcome.Success, PredictionOutcome.Error, PredictionOutcome.Canceled }
            .Select(outcome => new KeyValuePair<string, object?>[]
            {
                new("model", model.Descriptor.Name),
                new("model_version", ModelMonitor.VersionTagOf(model.Descriptor)),
                new("method", descriptor.Name),
                new("outcome", RuntimeInstruments.OutcomeTag(outcome)),
            })
            .ToArray();
    }

    /// <summary>The tags of the latency histogram, per <see cref="PredictionOutcome"/>.</summary>
    internal KeyValuePair<string, object?>[][] DurationTags { get; }

    /// <summary>The model type this method belongs to.</summary>
    public RegisteredModel Model { get; }

    /// <summary>The method as the generator described it.</summary>
    public MethodDescriptor Descriptor { get; }

    /// <summary>The method's index among every tracked method of the process.</summary>
    internal int Id { get; }

    /// <summary>Whether calls are recorded in the caller's current runtime (false when monitoring is disabled).</summary>
    public bool IsRecording => ModelMonitoringRuntime.Current.GetRecorder(this) is not null;

    /// <summary>Starts an activity for the prediction, only when someone listens to the <c>ModelMonitoring</c> source.</summary>
    public ActivityScope StartActivity()
    {
        if (!ModelMonitoringInstruments.ActivitySource.HasListeners())
        {
            return default;
        }

        try
        {
            Activity? previous = Activity.Current;
            Activity? activity = ModelMonitoringInstruments.ActivitySource.StartActivity(_activityName, ActivityKind.Internal);
            if (activity is null)
            {
                return default;
            }

            if (activity.IsAllDataRequested)
            {
                activity.SetTag("model", Model.Descriptor.Name);
                activity.SetTag("model_version", ModelMonitor.VersionTagOf(Model.Descriptor));
                activity.SetTag("method", Descriptor.Name);
            }

            return new ActivityScope(activity, previous);
        }
        catch (Exception exception)
        {
            ReportFailure(MonitoringStage.Activity, exception);
            return default;
        }
    }

    /// <summary>
    /// Starts the row of a successful call: ends the activity (the caller's <see cref="Activity.Current"/> is put back)
    /// and reserves a row with the call's latency. Fill it with the <c>Set</c> methods, then <see cref="FeatureRow.Commit"/>.
    /// </summary>
    public FeatureRow BeginRow(long startedTimestamp, ActivityScope activity)
    {
        long now = Stopwatch.GetTimestamp();
        if (activity.Activity is not null)
        {
            StopActivity(activity);
        }

        return ModelMonitoringRuntime.Current.GetRecorder(this) is { } recorder
            ? recorder.Reserve(now, now - startedTimestamp, RowSlot.HasCall | RowSlot.HasFeatures, PredictionOutcome.Success, exceptionType: null)
            : default;
    }

    /// <summary>
    /// Records a call that threw and starts its row, which carries the inputs (write them, then commit). The failure
    /// is counted, logged at Error with the exception, and set on the activity, which is stopped; each of these steps
    /// is isolated from the others. Never throws, and never catches the model's exception.
    /// </summary>
    public FeatureRow BeginFailedRow(long startedTimestamp, Exception exception, ActivityScope activity)
    {
        long now = Stopwatch.GetTimestamp();
        bool canceled = exception is OperationCanceledException;
        string exceptionType = OtherExceptionType;
        try
        {
            exceptionType = ExceptionTypeTag(exception);
        }
        catch (Exception failure)
        {
            ReportFailure(MonitoringStage.Record, failure);
        }

        if (activity.Activity is { } started)
        {
            try
            {
                started.SetStatus(ActivityStatusCode.Error, exceptionType);
                started.AddException(exception);
            }
            catch (Exception failure)
            {
                ReportFailure(MonitoringStage.Activity, failure);
            }

            StopActivity(activity);
        }

        MethodRecorder? recorder = ModelMonitoringRuntime.Current.GetRecorder(this);
        if (recorder is null)
        {
            return default;
        }

        if (!canceled)
        {
            try
            {
                ILogger logger = recorder.Model.Logger;
                if (logger.IsEnabled(LogLevel.Error))
                {
                    using (logger.BeginScope(recorder.Model.LogScope))
                    {
                        MonitoringLog.PredictionFailed(logger, exception, Model.Descriptor.Name, Descriptor.Name, (now - startedTimestamp) * s_millisecondsPerTick, exceptionType);
                    }
                }
            }
            catch (Exception failure)
            {
                recorder.Model.RecordMonitoringFailure(MonitoringStage.Log, failure);
            }
        }

        try
        {
            return recorder.Reserve(now, now - startedTimestamp, RowSlot.HasCall | RowSlot.HasFeatures,
                canceled ? PredictionOutcome.Canceled : PredictionOutcome.Error, canceled ? null : exceptionType);
        }
        catch (Exception failure)
        {
            recorder.Model.RecordMonitoringFailure(MonitoringStage.Record, failure);
            return default;
        }
    }

    /// <summary>Starts a row that carries features only: the second and later items of a batch.</summary>
    public FeatureRow BeginFeatureRow() =>
        ModelMonitoringRuntime.Current.GetRecorder(this) is { } recorder
            ? recorder.Reserve(Stopwatch.GetTimestamp(), 0, RowSlot.HasFeatures, PredictionOutcome.Success, exceptionType: null)
            : default;

    /// <summary>Counts and logs a failure to read a feature before the call. Never throws.</summary>
    public void ReportCaptureFailure(Exception exception) => ReportFailure(MonitoringStage.Capture, exception);

    private void StopActivity(ActivityScope activity)
    {
        try
        {
            activity.Activity!.Dispose();
        }
        catch (Exception exception)
        {
            ReportFailure(MonitoringStage.Activity, exception);
        }

        activity.RestorePrevious();
    }

    private void ReportFailure(MonitoringStage stage, Exception exception)
    {
        try
        {
            ModelMonitoringRuntime.Current.GetMonitor(Model)?.RecordMonitoringFailure(stage, exception);
        }
        catch
        {
            // The last line of defence: monitoring never throws into a prediction.
        }
    }

    private string ExceptionTypeTag(Exception exception)
    {
        string name = exception.GetType().FullName ?? exception.GetType().Name;
        if (_exceptionTypes.TryGetValue(name, out string? known))
        {
            return known;
        }

        return _exceptionTypes.Count >= MaxExceptionTypes ? OtherExceptionType : _exceptionTypes.GetOrAdd(name, name);
    }
}
