using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ModelMonitoring.Runtime;

/// <summary>
/// The monitor of one tracked method. Generated wrappers call it: <see cref="StartActivity"/> before the model,
/// <see cref="RecordFailure"/> from an exception filter, <see cref="BeginRow"/> after a success. None of these
/// throws, and the success path neither locks nor allocates.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PredictionMonitor
{
    private const int MaxExceptionTypes = 50;
    private static readonly double SecondsPerTick = 1.0 / Stopwatch.Frequency;
    private static int s_nextId = -1;

    [ThreadStatic]
    private static RecordingBuffer?[]? t_buffers;

    private readonly int _id;
    private readonly KeyValuePair<string, object?>[] _durationTags;
    private readonly List<RecordingBuffer> _buffers = [];
    private readonly ConcurrentDictionary<string, string> _exceptionTypes = new(StringComparer.Ordinal);
    private readonly string _activityName;
    private readonly int[] _numberSlotToFeature;
    private readonly int[] _labelSlotToFeature;
    private long _successes;
    private long _errors;
    private long _canceled;
    private double _sampleCredit;

    internal PredictionMonitor(ModelMonitor model, MethodDescriptor descriptor, int[] numberSlotToFeature, int[] labelSlotToFeature)
    {
        _id = Interlocked.Increment(ref s_nextId);
        Model = model;
        Descriptor = descriptor;
        _numberSlotToFeature = numberSlotToFeature;
        _labelSlotToFeature = labelSlotToFeature;
        _durationTags =
        [
            new("model", model.Name),
            new("model_version", model.VersionTag),
            new("method", descriptor.Name),
        ];
        _activityName = model.Name + "." + descriptor.Name;
    }

    /// <summary>The model this method belongs to.</summary>
    public ModelMonitor Model { get; }

    /// <summary>The method as the generator described it.</summary>
    public MethodDescriptor Descriptor { get; }

    /// <summary>Successful predictions folded so far.</summary>
    public long Successes => Volatile.Read(ref _successes);

    /// <summary>Predictions that threw (other than cancellations).</summary>
    public long Errors => Volatile.Read(ref _errors);

    /// <summary>Predictions canceled with an <see cref="OperationCanceledException"/>.</summary>
    public long Canceled => Volatile.Read(ref _canceled);

    /// <summary>Starts an activity for the prediction, only when someone listens to the <c>ModelMonitoring</c> source.</summary>
    public Activity? StartActivity()
    {
        if (!ModelMonitoringInstruments.ActivitySource.HasListeners())
        {
            return null;
        }

        try
        {
            Activity? activity = ModelMonitoringInstruments.ActivitySource.StartActivity(_activityName, ActivityKind.Internal);
            if (activity is { IsAllDataRequested: true })
            {
                activity.SetTag("model", Model.Name);
                activity.SetTag("model_version", Model.VersionTag);
                activity.SetTag("method", Descriptor.Name);
            }

            return activity;
        }
        catch (Exception exception)
        {
            RecordMonitoringFailure("starting an activity", exception);
            return null;
        }
    }

    /// <summary>
    /// Records a prediction that threw: counts it, records its latency, logs it at Error and ends the activity.
    /// Always returns <see langword="false"/>, so that an exception filter lets the exception pass unchanged.
    /// </summary>
    public bool RecordFailure(long startedTimestamp, Exception exception, Activity? activity)
    {
        try
        {
            long elapsed = Stopwatch.GetTimestamp() - startedTimestamp;
            double seconds = elapsed * SecondsPerTick;
            bool canceled = exception is OperationCanceledException;
            if (canceled)
            {
                Interlocked.Increment(ref _canceled);
            }
            else
            {
                Interlocked.Increment(ref _errors);
            }

            string exceptionType = ExceptionTypeTag(exception);
            ModelMonitoringInstruments.Duration.Record(seconds, _durationTags.AsSpan());
            if (!canceled)
            {
                var tags = new TagList(_durationTags.AsSpan()) { { "exception_type", exceptionType } };
                ModelMonitoringInstruments.ErrorCounter.Add(1, tags);
            }

            if (activity is not null)
            {
                activity.SetStatus(ActivityStatusCode.Error, exceptionType);
                activity.AddException(exception);
                activity.Dispose();
            }

            ILogger logger = Model.Logger;
            if (logger.IsEnabled(LogLevel.Error))
            {
                using (logger.BeginScope(Model.LogScope))
                {
                    MonitoringLog.PredictionFailed(logger, exception, Model.Name, Descriptor.Name, seconds * 1000, exceptionType);
                }
            }
        }
        catch (Exception monitoringFailure)
        {
            RecordMonitoringFailure("recording a failed prediction", monitoringFailure);
        }

        return false;
    }

    /// <summary>
    /// Starts the row of a successful call: ends the activity and reserves a row in this thread's buffer with the
    /// call's latency. Fill it with the <c>Set</c> methods, then <see cref="FeatureRow.Commit"/>.
    /// </summary>
    public FeatureRow BeginRow(long startedTimestamp, Activity? activity)
    {
        long now = Stopwatch.GetTimestamp();
        if (activity is not null)
        {
            StopActivity(activity);
        }

        return Reserve(now, now - startedTimestamp, RecordingBuffer.HasCall | RecordingBuffer.HasFeatures);
    }

    /// <summary>Starts a row that carries features only: the second and later items of a batch.</summary>
    public FeatureRow BeginFeatureRow() => Reserve(Stopwatch.GetTimestamp(), 0, RecordingBuffer.HasFeatures);

    private FeatureRow Reserve(long timestamp, long elapsed, byte flags)
    {
        try
        {
            if (!ModelMonitoringRuntime.Options.Enabled)
            {
                return default;
            }

            RecordingBuffer?[]? buffers = t_buffers;
            RecordingBuffer? buffer = buffers is not null && (uint)_id < (uint)buffers.Length ? buffers[_id] : null;
            buffer ??= CreateThreadBuffer();
            if (buffer.Writing)
            {
                return default; // a monitored call made while this thread captures features: not recorded
            }

            if (buffer.Head - Volatile.Read(ref buffer.Tail) >= buffer.Capacity)
            {
                // The folding thread fell behind: fold this buffer here rather than lose the row.
                Model.DrainBuffer(this, buffer);
            }

            int index = (int)(buffer.Head & buffer.Mask);
            buffer.ElapsedTicks[index] = elapsed;
            buffer.Timestamps[index] = timestamp;
            buffer.Flags[index] = flags;
            buffer.Writing = true;
            return new FeatureRow(this, buffer, index);
        }
        catch (Exception exception)
        {
            RecordMonitoringFailure("reserving a row", exception);
            return default;
        }
    }

    internal void Publish(RecordingBuffer buffer)
    {
        buffer.Writing = false;
        long head = buffer.Head + 1;
        Volatile.Write(ref buffer.Head, head);
        if (head - Volatile.Read(ref buffer.Tail) == buffer.Capacity / 2)
        {
            MonitoringWorker.Signal();
        }
    }

    private RecordingBuffer CreateThreadBuffer()
    {
        var buffer = new RecordingBuffer(Descriptor.NumberSlots, Descriptor.LabelSlots);
        RecordingBuffer?[]? buffers = t_buffers;
        if (buffers is null || buffers.Length <= _id)
        {
            Array.Resize(ref buffers, Math.Max(_id + 1, (buffers?.Length ?? 4) * 2));
            t_buffers = buffers;
        }

        buffers[_id] = buffer;
        lock (_buffers)
        {
            _buffers.Add(buffer);
        }

        MonitoringWorker.EnsureStarted();
        return buffer;
    }

    private void StopActivity(Activity activity)
    {
        try
        {
            activity.Dispose();
        }
        catch (Exception exception)
        {
            RecordMonitoringFailure("stopping an activity", exception);
        }
    }

    /// <summary>Counts and logs a failure inside monitoring. Never throws.</summary>
    internal void RecordMonitoringFailure(string stage, Exception exception) => Model.RecordMonitoringFailure(stage, exception);

    private string ExceptionTypeTag(Exception exception)
    {
        string name = exception.GetType().FullName ?? exception.GetType().Name;
        if (_exceptionTypes.TryGetValue(name, out string? known))
        {
            return known;
        }

        return _exceptionTypes.Count >= MaxExceptionTypes ? "other" : _exceptionTypes.GetOrAdd(name, name);
    }

    internal KeyValuePair<string, object?>[] DurationTags => _durationTags;

    /// <summary>The buffers of this method's threads, for the model's fold.</summary>
    internal RecordingBuffer[] GetBuffers()
    {
        lock (_buffers)
        {
            return _buffers.Count == 0 ? [] : [.. _buffers];
        }
    }

    /// <summary>Forgets the buffers of threads that ended, once they are empty.</summary>
    internal void RemoveDeadBuffers()
    {
        lock (_buffers)
        {
            _buffers.RemoveAll(buffer => !buffer.Owner.IsAlive && buffer.Pending == 0);
        }
    }

    /// <summary>Folds one buffer's published rows in order. Call with the model's fold lock held.</summary>
    internal void Drain(RecordingBuffer buffer, FeatureWindow window, bool allowWindowClose, List<FeatureWindowSnapshot>? closed, ILogger logger)
    {
        long head = Volatile.Read(ref buffer.Head);
        if (buffer.Tail == head)
        {
            return;
        }

        double sampleRate = SampleRate(logger);
        for (long tail = buffer.Tail; tail < head; tail++)
        {
            FoldRow(buffer, tail, window, allowWindowClose, closed, logger, sampleRate);
        }
    }

    internal static double SampleRate(ILogger logger) =>
        logger.IsEnabled(LogLevel.Debug) ? ModelMonitoringRuntime.Options.PredictionLogSampleRate : 0;

    /// <summary>
    /// Folds the row at <paramref name="position"/> (the buffer's tail) and advances the tail. Call with the model's
    /// fold lock held. A row that cannot be folded is counted as a monitoring failure and skipped.
    /// </summary>
    internal void FoldRow(RecordingBuffer buffer, long position, FeatureWindow window, bool allowWindowClose, List<FeatureWindowSnapshot>? closed, ILogger logger, double sampleRate)
    {
        try
        {
            int index = (int)(position & buffer.Mask);
            byte flags = buffer.Flags[index];
            if ((flags & RecordingBuffer.HasCall) != 0)
            {
                _successes++; // only ever written under the model's fold lock
                ModelMonitoringInstruments.Duration.Record(buffer.ElapsedTicks[index] * SecondsPerTick, _durationTags.AsSpan());
            }

            if ((flags & RecordingBuffer.HasFeatures) != 0)
            {
                int numberOffset = index * buffer.NumberWidth;
                int labelOffset = index * buffer.LabelWidth;
                if (sampleRate > 0 && (flags & RecordingBuffer.HasCall) != 0)
                {
                    _sampleCredit += sampleRate;
                    if (_sampleCredit >= 1)
                    {
                        _sampleCredit -= 1;
                        LogSampledPrediction(logger, buffer, index, numberOffset, labelOffset);
                    }
                }

                for (int slot = 0; slot < _numberSlotToFeature.Length; slot++)
                {
                    window.AddNumber(_numberSlotToFeature[slot], buffer.Numbers[numberOffset + slot]);
                }

                for (int slot = 0; slot < _labelSlotToFeature.Length; slot++)
                {
                    window.AddLabel(_labelSlotToFeature[slot], buffer.Labels[labelOffset + slot]);
                    buffer.Labels[labelOffset + slot] = null; // do not keep the caller's strings alive
                }

                window.EndRow();
                if (allowWindowClose && window.IsFull)
                {
                    closed?.Add(window.Close());
                }
            }
        }
        catch (Exception exception)
        {
            // One row that cannot be folded is counted and skipped; it must not block the rows behind it.
            RecordMonitoringFailure("folding a recorded row", exception);
        }
        finally
        {
            Volatile.Write(ref buffer.Tail, position + 1);
        }
    }

    private void LogSampledPrediction(ILogger logger, RecordingBuffer buffer, int index, int numberOffset, int labelOffset)
    {
        var text = new System.Text.StringBuilder();
        foreach (FeatureDescriptor feature in Descriptor.Features)
        {
            if (text.Length > 0)
            {
                text.Append(", ");
            }

            text.Append(feature.Name).Append('=');
            if (feature.IsSensitive)
            {
                text.Append(FeatureValues.Redacted);
            }
            else if (feature.Storage == FeatureStorage.Number)
            {
                text.Append(buffer.Numbers[numberOffset + feature.Slot].ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(buffer.Labels[labelOffset + feature.Slot] ?? "null");
            }
        }

        using (logger.BeginScope(Model.LogScope))
        {
            MonitoringLog.PredictionRecorded(logger, Model.Name, Descriptor.Name, buffer.ElapsedTicks[index] * SecondsPerTick * 1000, text.ToString());
        }
    }
}
