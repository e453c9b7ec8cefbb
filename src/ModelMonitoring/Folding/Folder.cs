using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using ModelMonitoring.Runtime;
using ModelMonitoring.Sketches;

namespace ModelMonitoring;

/// <summary>
/// The runtime's folder: one background thread that drains every recording ring, in arrival order, and hands each row
/// to the counts and instruments, to the windows (per model and segment) and to the row consumers. It closes a window
/// at exactly its size, or by time when its timer (on the runtime's <see cref="TimeProvider"/>) fires, and queues the
/// closed window for the evaluator. Readers that need exact figures ask it for a pass and wait; callers never do.
/// </summary>
internal sealed class Folder : IDisposable
{
    private static readonly TimeSpan s_answerTimeout = TimeSpan.FromSeconds(30);

    // The grid bins of the row being added (AddToWindows), reused: passes never overlap (_passLock). An array, not a
    // stackalloc, which would keep the method from tiered compilation's profile-guided optimization.
    private int[] _rowBins = new int[16];
    private readonly ModelMonitoringRuntime _runtime;
    private readonly object _gate = new();
    private readonly object _passLock = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly ConcurrentQueue<Action> _work = new();
    private readonly IReadOnlyList<IPredictionRowConsumer> _consumers;
    private Thread? _thread;
    private ITimer? _timer;
    private TimeSpan _timerPeriod;
    private int _signaled;
    private int _timerDue;
    private int _closeRequested;
    private long _requested;
    private long _completed;
    private volatile bool _stopping;
    private double _sampleCredit;
    private DateTimeOffset _anchorUtc;
    private long _anchorTicks;
    private long _lastDroppedLog = -60_000; // TickCount64 starts near 0: the first drop is logged at once
    private int _paused;

    public Folder(ModelMonitoringRuntime runtime, IReadOnlyList<IPredictionRowConsumer> consumers)
    {
        _runtime = runtime;
        _consumers = consumers;
    }

    private bool IsFolderThread => ReferenceEquals(Thread.CurrentThread, _thread);

    private bool IsRunning => _thread is not null && !_stopping;

    /// <summary>Starts the thread and the timer, once.</summary>
    public void EnsureStarted()
    {
        if (_thread is not null || _stopping)
        {
            return;
        }

        lock (_gate)
        {
            if (_thread is not null || _stopping)
            {
                return;
            }

            var thread = new Thread(Loop) { IsBackground = true, Name = "ModelMonitoring folder" };
            _thread = thread;
            thread.Start();
            ResetTimer(_runtime.OptionsSnapshot.FlushInterval);
        }
    }

    /// <summary>Follows a changed flush interval.</summary>
    public void ResetTimer(TimeSpan period)
    {
        lock (_gate)
        {
            if (_stopping || _thread is null || (_timer is not null && period == _timerPeriod))
            {
                return;
            }

            _timer?.Dispose();
            _timerPeriod = period;
            _timer = _runtime.TimeProvider.CreateTimer(static state => ((Folder)state!).OnTimer(), this, period, period);
        }
    }

    /// <summary>Wakes the folder. Cheap when it is already awake; never blocks.</summary>
    public void Signal()
    {
        if (Interlocked.Exchange(ref _signaled, 1) == 0)
        {
            _wake.Set();
        }
    }

    /// <summary>
    /// Asks for a pass that folds every row committed before this call and waits for it (up to 30 s). With
    /// <paramref name="closeDue"/>, the pass also closes windows whose time is up. Returns at once on the folder thread.
    /// </summary>
    public void RequestPass(bool closeDue)
    {
        if (IsFolderThread || Volatile.Read(ref _paused) > 0)
        {
            return;
        }

        if (!IsRunning)
        {
            PassInline(closeDue);
            return;
        }

        long target;
        lock (_gate)
        {
            target = ++_requested;
        }

        if (closeDue)
        {
            Volatile.Write(ref _closeRequested, 1);
        }

        Signal();
        var waited = Stopwatch.StartNew();
        lock (_gate)
        {
            while (Volatile.Read(ref _completed) < target && IsRunning)
            {
                TimeSpan left = s_answerTimeout - waited.Elapsed;
                if (left <= TimeSpan.Zero || !Monitor.Wait(_gate, left))
                {
                    return; // the folder is stuck (a consumer blocks it?): read what was published
                }
            }
        }

        if (!IsRunning)
        {
            PassInline(closeDue);
        }
    }

    /// <summary>Runs work on the folder thread after a pass, and returns its result (inline when called on the folder).</summary>
    /// <exception cref="TimeoutException">The folder did not answer within 30 s.</exception>
    public T Run<T>(Func<T> work)
    {
        if (IsFolderThread)
        {
            return work();
        }

        if (!IsRunning || Volatile.Read(ref _paused) > 0)
        {
            lock (_passLock)
            {
                if (Volatile.Read(ref _paused) == 0)
                {
                    PassLocked(closeDue: false);
                }

                return work();
            }
        }

        T result = default!;
        Exception? failure = null;
        using var done = new ManualResetEventSlim(false);
        _work.Enqueue(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception exception)
            {
                failure = exception;
            }
            finally
            {
                done.Set();
            }
        });
        Signal();
        if (!done.Wait(s_answerTimeout))
        {
            throw new TimeoutException("The ModelMonitoring folder did not answer within 30 s: a row consumer may be blocking it.");
        }

        return failure is null ? result : throw new InvalidOperationException("Reading the monitoring state failed: " + failure.Message, failure);
    }

    /// <summary>
    /// Stops folding until the handle is disposed (waiting for a pass in progress to end): rows stay in the rings, and
    /// readers see what was published. For tests and benchmarks that need the folder to fall behind, or to stay idle.
    /// </summary>
    public IDisposable Pause()
    {
        lock (_passLock)
        {
            Interlocked.Increment(ref _paused);
        }

        return new Resume(this);
    }

    private sealed class Resume(Folder folder) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref folder._paused);
                folder.Signal();
            }
        }
    }

    /// <summary>Stops the thread after a last pass.</summary>
    public void Dispose()
    {
        Thread? thread;
        lock (_gate)
        {
            _stopping = true;
            _timer?.Dispose();
            thread = _thread;
            Monitor.PulseAll(_gate);
        }

        _wake.Set();
        if (thread is not null && !ReferenceEquals(thread, Thread.CurrentThread))
        {
            thread.Join(s_answerTimeout);
        }

        PassInline(closeDue: false);
    }

    /// <summary>The open window of a model, as a snapshot. Folder only.</summary>
    public FeatureWindowSnapshot SnapshotOpenWindow(ModelMonitor model)
    {
        WindowState state = model.Windows.Model;
        DateTimeOffset now = _runtime.TimeProvider.GetUtcNow();
        FeatureWindow window = EnsureWindow(model, state, now);
        return window.Snapshot(model.Name, state.Segment, now);
    }

    /// <summary>Closes a model's window now, whatever its size. Folder only.</summary>
    public FeatureWindowSnapshot CloseModelWindow(ModelMonitor model)
    {
        WindowState state = model.Windows.Model;
        DateTimeOffset now = _runtime.TimeProvider.GetUtcNow();
        EnsureWindow(model, state, now);
        return Close(model, state, now);
    }

    private void OnTimer()
    {
        Volatile.Write(ref _timerDue, 1);
        Signal();
    }

    private void Loop()
    {
        while (!_stopping)
        {
            _wake.WaitOne();
            Volatile.Write(ref _signaled, 0);
            if (_stopping)
            {
                break;
            }

            bool closeDue = (Interlocked.Exchange(ref _timerDue, 0) | Interlocked.Exchange(ref _closeRequested, 0)) == 1;
            lock (_passLock)
            {
                if (Volatile.Read(ref _paused) == 0)
                {
                    PassLocked(closeDue);
                }
            }
        }
    }

    private void PassInline(bool closeDue)
    {
        lock (_passLock)
        {
            PassLocked(closeDue);
        }
    }

    /// <summary>One pass on the calling thread, paused or not: benchmarks of the deferred work measure it this way.</summary>
    internal void FoldInline(bool closeDue) => PassInline(closeDue);

    private void PassLocked(bool closeDue)
    {
        long generation = Volatile.Read(ref _requested);
        _anchorUtc = _runtime.TimeProvider.GetUtcNow();
        _anchorTicks = _runtime.TimeProvider.GetTimestamp();
        foreach (ModelMonitor model in _runtime.ModelList)
        {
            try
            {
                FoldModel(model, closeDue);
            }
            catch (Exception exception)
            {
                model.RecordMonitoringFailure(MonitoringStage.Fold, exception);
            }
        }

        // Work asks for every row recorded before it was queued: the pass above may have taken its snapshot earlier
        // (work queued mid-pass), so fold again, from a snapshot taken after the work was dequeued, then run it.
        while (!_work.IsEmpty)
        {
            var batch = new List<Action>();
            while (_work.TryDequeue(out Action? work))
            {
                batch.Add(work);
            }

            _anchorUtc = _runtime.TimeProvider.GetUtcNow();
            _anchorTicks = _runtime.TimeProvider.GetTimestamp();
            foreach (ModelMonitor model in _runtime.ModelList)
            {
                try
                {
                    FoldModel(model, closeDue: false);
                }
                catch (Exception exception)
                {
                    model.RecordMonitoringFailure(MonitoringStage.Fold, exception);
                }
            }

            foreach (Action work in batch)
            {
                work(); // catches its own failures
            }
        }

        lock (_gate)
        {
            if (generation > _completed)
            {
                Volatile.Write(ref _completed, generation);
            }

            Monitor.PulseAll(_gate);
        }
    }

    private void FoldModel(ModelMonitor model, bool closeDue)
    {
        MethodRecorder[] recorders = model.Recorders;
        WindowState modelState = model.Windows.Model;
        FeatureWindow window = EnsureWindow(model, modelState, _anchorUtc);
        window.EnsureFeatures(model.FeatureStates);
        bool changed = false;
        foreach (MethodRecorder recorder in recorders)
        {
            changed |= ReplayDropped(recorder);
        }

        if (recorders.Length == 1)
        {
            MethodRecorder recorder = recorders[0];
            long end = recorder.SnapshotPosition();
            while (recorder.Released < end && recorder.TryPeek(out int index))
            {
                FoldRow(model, recorder, index);
                changed = true;
            }
        }
        else if (recorders.Length > 1)
        {
            // Rows of several methods (or types sharing the name) go in the order they were recorded.
            long[] ends = recorders.Select(r => r.SnapshotPosition()).ToArray();
            while (true)
            {
                int earliest = -1;
                int earliestIndex = 0;
                for (int i = 0; i < recorders.Length; i++)
                {
                    if (recorders[i].Released < ends[i] && recorders[i].TryPeek(out int index)
                        && (earliest < 0 || recorders[i].TimestampAt(index) < recorders[earliest].TimestampAt(earliestIndex)))
                    {
                        earliest = i;
                        earliestIndex = index;
                    }
                }

                if (earliest < 0)
                {
                    break;
                }

                FoldRow(model, recorders[earliest], earliestIndex);
                changed = true;
            }
        }

        if (closeDue)
        {
            changed |= CloseDueWindows(model);
        }

        if (changed || model.PublishedWindow is null)
        {
            FeatureWindow open = modelState.Window!;
            model.PublishedWindow = open.Snapshot(model.Name, string.Empty, _anchorUtc);
        }
    }

    private bool CloseDueWindows(ModelMonitor model)
    {
        bool closed = false;
        foreach (WindowState state in Enumerable.Repeat(model.Windows.Model, 1).Concat(model.Windows.Segments))
        {
            FeatureWindow? window = state.Window;
            if (window is null)
            {
                continue;
            }

            if (window.Rows > 0 && window.IsDue(_anchorUtc))
            {
                Close(model, state, _anchorUtc);
                closed = true;
            }
            else
            {
                window.RestartIfEmpty(_anchorUtc);
            }
        }

        return closed;
    }

    /// <summary>The key's open window; an empty window is reopened when the options or the reference changed.</summary>
    private FeatureWindow EnsureWindow(ModelMonitor model, WindowState state, DateTimeOffset now)
    {
        FeatureWindow? window = state.Window;
        if (window is null
            || (window.Rows == 0 && (!ReferenceEquals(window.Options, _runtime.OptionsSnapshot) || !ReferenceEquals(window.Reference, state.Reference))))
        {
            window = Open(model, state, window?.Start ?? now);
        }

        return window;
    }

    private FeatureWindow Open(ModelMonitor model, WindowState state, DateTimeOffset start)
    {
        ModelMonitoringOptions options = _runtime.OptionsSnapshot;
        BaselineProfile? reference = state.Reference;
        int size = reference is null && options.ReferenceSize > 0 ? options.ReferenceSize : options.WindowSize;
        FeatureProfile[]? spares = null;
        while (state.SpareProfiles.TryDequeue(out (BaselineProfile? BinnedOn, FeatureProfile[] Profiles) spare))
        {
            if (ReferenceEquals(spare.BinnedOn, reference))
            {
                spares = spare.Profiles;
                break;
            }
        }

        var window = new FeatureWindow(model.FeatureStates, options, start, size, reference, options.DriftDetection ? spares : null);
        state.Window = window;
        return window;
    }

    private FeatureWindowSnapshot Close(ModelMonitor model, WindowState state, DateTimeOffset end)
    {
        FeatureWindow window = state.Window!;
        FeatureWindowSnapshot snapshot = window.Close(model.Name, state.Segment, end);
        BaselineProfile? reference = state.Reference;
        bool becameReference = false;
        if (reference is null && snapshot.Profiles is { Count: > 0 } profiles && snapshot.Rows > 0)
        {
            // Decided here, on the folder, so that the next window is already binned on it; a baseline set meanwhile wins.
            var firstWindow = new BaselineProfile(profiles, model.Name, snapshot.Rows, snapshot.End);
            becameReference = state.TrySetFirstWindow(firstWindow);
            reference = becameReference ? null : state.Reference;
        }

        Open(model, state, end);
        foreach (IPredictionRowConsumer consumer in _consumers)
        {
            try
            {
                consumer.OnWindowClosed(model, snapshot);
            }
            catch (Exception exception)
            {
                model.RecordMonitoringFailure(MonitoringStage.Consume, exception);
            }
        }

        _runtime.Evaluator.Enqueue(new ClosedWindow(model, state, snapshot, reference, becameReference));
        return snapshot;
    }

    private void FoldRow(ModelMonitor model, MethodRecorder recorder, int index)
    {
        try
        {
            ref RowSlot slot = ref recorder.Slots[index];
            if ((slot.Flags & RowSlot.HasCall) != 0)
            {
                double seconds = (double)slot.ElapsedTicks / Stopwatch.Frequency;
                recorder.CountOutcome(slot.Outcome);
                _runtime.Instruments.RecordCall(recorder, slot.Outcome, seconds, slot.ExceptionType);
                CountCall(model, slot.Segment, slot.Outcome, seconds);
            }

            DateTimeOffset timestamp = _anchorUtc - _runtime.TimeProvider.GetElapsedTime(slot.Timestamp, _anchorTicks);
            if ((slot.Flags & RowSlot.HasFeatures) != 0 && slot.Outcome == PredictionOutcome.Success)
            {
                AddToWindows(model, recorder, index, slot.Segment, timestamp);
                if ((slot.Flags & RowSlot.HasCall) != 0)
                {
                    LogSampled(model, recorder, index);
                }
            }

            if (_consumers.Count > 0)
            {
                var row = new PredictionRow(recorder, index, timestamp);
                foreach (IPredictionRowConsumer consumer in _consumers)
                {
                    try
                    {
                        consumer.OnRow(in row);
                    }
                    catch (Exception exception)
                    {
                        model.RecordMonitoringFailure(MonitoringStage.Consume, exception);
                    }
                }
            }
        }
        catch (Exception exception)
        {
            // One row that cannot be folded is counted and skipped; it must not block the rows behind it.
            model.RecordMonitoringFailure(MonitoringStage.Fold, exception);
        }
        finally
        {
            recorder.Release(index);
        }
    }

    /// <summary>Counts a call in the model's window and its segment's (calls are counted whatever their outcome).</summary>
    private void CountCall(ModelMonitor model, string? segment, PredictionOutcome outcome, double seconds)
    {
        model.Windows.Model.Window!.Calls.Count(outcome, seconds);
        if (segment is not null)
        {
            EnsureWindow(model, SegmentState(model, segment), _anchorUtc).Calls.Count(outcome, seconds);
        }
    }

    private WindowState SegmentState(ModelMonitor model, string segment)
    {
        ModelMonitoringOptions options = _runtime.OptionsSnapshot;
        string key = segment.Length > options.MaxCategoryLength ? segment[..options.MaxCategoryLength] : segment;
        return model.Windows.ForSegment(key, options.MaxSegments, value => new WindowState(new string(value.AsSpan())));
    }

    private void AddToWindows(ModelMonitor model, MethodRecorder recorder, int index, string? segment, DateTimeOffset timestamp)
    {
        ModelFeature[] features = model.FeatureStates;
        FeatureWindow window = model.Windows.Model.Window!;
        WindowState? segmentState = null;
        if (segment is not null)
        {
            segmentState = SegmentState(model, segment);
            EnsureWindow(model, segmentState, timestamp).EnsureFeatures(features);
        }

        FeatureWindow? segmentWindow = segmentState?.Window;
        window.StartNoLaterThan(timestamp);
        segmentWindow?.StartNoLaterThan(timestamp);
        int numberOffset = index * recorder.NumberWidth;
        int[] numberFeatures = recorder.NumberFeatures;
        double[] numbers = recorder.Numbers;

        // The row's grid bins first, then the counts: each look-up is a few dependent loads from tables too large for
        // the first-level cache, and done one after the other the features' misses would add up instead of overlapping.
        if (_rowBins.Length < numberFeatures.Length)
        {
            _rowBins = new int[numberFeatures.Length];
        }

        int[] bins = _rowBins;
        for (int slot = 0; slot < numberFeatures.Length; slot++)
        {
            int feature = numberFeatures[slot];
            bins[slot] = feature >= 0 ? window.BinOf(feature, numbers[numberOffset + slot]) : -1;
        }

        for (int slot = 0; slot < numberFeatures.Length; slot++)
        {
            int feature = numberFeatures[slot];
            if (feature >= 0)
            {
                double value = numbers[numberOffset + slot];
                features[feature].CountNumber(value);
                window.AddNumber(feature, value, bins[slot]);
                segmentWindow?.AddNumber(feature, value);
            }
        }

        int labelOffset = index * recorder.LabelWidth;
        int[] labelFeatures = recorder.LabelFeatures;
        for (int slot = 0; slot < labelFeatures.Length; slot++)
        {
            int feature = labelFeatures[slot];
            if (feature >= 0)
            {
                string? value = recorder.Labels[labelOffset + slot];
                features[feature].CountLabel(value);
                window.AddLabel(feature, value);
                segmentWindow?.AddLabel(feature, value);
            }
        }

        window.EndRow();
        if (window.IsFull)
        {
            Close(model, model.Windows.Model, timestamp);
        }

        if (segmentWindow is not null)
        {
            segmentWindow.EndRow();
            if (segmentWindow.IsFull)
            {
                Close(model, segmentState!, timestamp);
            }
        }
    }

    /// <summary>Replays the calls dropped while the ring was full into counts and instruments; true when there were some.</summary>
    private bool ReplayDropped(MethodRecorder recorder)
    {
        bool any = false;
        recorder.Dropped.Replay(
            (outcome, count, seconds) =>
            {
                any = true;
                recorder.CountOutcome(outcome, count);
                recorder.Model.Windows.Model.Window?.Calls.Count(outcome, seconds, count);
                for (long i = 0; i < count; i++)
                {
                    _runtime.Instruments.RecordCall(recorder, outcome, seconds, exceptionType: null);
                }
            },
            (exceptionType, count) => _runtime.Instruments.CountErrors(recorder, exceptionType, count));
        if (any && Environment.TickCount64 - _lastDroppedLog >= 60_000)
        {
            _lastDroppedLog = Environment.TickCount64;
            ILogger logger = _runtime.Logger;
            if (logger.IsEnabled(LogLevel.Warning))
            {
                using (logger.BeginScope(recorder.Model.LogScope))
                {
                    MonitoringLog.RowsDropped(logger, recorder.Model.Name, recorder.Dropped.Rows, recorder.Capacity);
                }
            }
        }

        return any;
    }

    private void LogSampled(ModelMonitor model, MethodRecorder recorder, int index)
    {
        ILogger logger = _runtime.Logger;
        double rate = _runtime.OptionsSnapshot.PredictionLogSampleRate;
        if (rate <= 0 || !logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        _sampleCredit += rate;
        if (_sampleCredit < 1)
        {
            return;
        }

        _sampleCredit -= 1;
        int maxLength = _runtime.OptionsSnapshot.MaxCategoryLength;
        var text = new StringBuilder();
        foreach (FeatureDescriptor feature in recorder.Method.Descriptor.Features)
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
                text.Append(recorder.Numbers[(index * recorder.NumberWidth) + feature.Slot].ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                string? label = recorder.Labels[(index * recorder.LabelWidth) + feature.Slot];
                text.Append(label is null ? "null" : label.Length > maxLength ? label[..maxLength] + "…" : label);
            }
        }

        using (logger.BeginScope(model.LogScope))
        {
            MonitoringLog.PredictionRecorded(logger, model.Name, recorder.Method.Descriptor.Name, recorder.Slots[index].ElapsedTicks * 1000.0 / Stopwatch.Frequency, text.ToString());
        }
    }
}
