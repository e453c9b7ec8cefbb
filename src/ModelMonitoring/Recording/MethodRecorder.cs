using System.Runtime.InteropServices;

namespace ModelMonitoring.Runtime;

/// <summary>
/// The recording ring of one tracked method in one runtime: a bounded multi-producer, single-consumer queue of rows
/// (Vyukov's bounded queue: a sequence number per slot, one compare-and-swap to reserve). Callers reserve, write and
/// commit rows without locks; the runtime's folder is the only reader. When the ring is full the row is dropped, and
/// its call still counted in <see cref="Dropped"/>. Memory is fixed at creation, whatever the number of threads.
/// </summary>
internal sealed class MethodRecorder
{
    private readonly RowSlot[] _slots;
    private readonly int _mask;
    private readonly int _signalMask;
    private readonly ModelMonitoringRuntime _runtime;
    private PaddedPosition _enqueue;
    private long _dequeue; // folder only

    // Folded counts (folder only writes; anyone reads).
    private long _successes;
    private long _errors;
    private long _canceled;

    public MethodRecorder(ModelMonitoringRuntime runtime, ModelMonitor model, PredictionMonitor method, int capacity, IReadOnlyList<double> bucketBoundaries)
    {
        _runtime = runtime;
        Model = model;
        Method = method;
        Capacity = capacity;
        _mask = capacity - 1;
        _signalMask = (capacity / 2) - 1;
        NumberWidth = method.Descriptor.NumberSlots;
        LabelWidth = method.Descriptor.LabelSlots;
        _slots = new RowSlot[capacity];
        for (int i = 0; i < capacity; i++)
        {
            _slots[i].Sequence = i;
        }

        Numbers = new double[capacity * NumberWidth];
        Labels = new string?[capacity * LabelWidth];
        Dropped = new DroppedCalls(bucketBoundaries);
    }

    public ModelMonitor Model { get; }

    public PredictionMonitor Method { get; }

    public int Capacity { get; }

    public int NumberWidth { get; }

    public int LabelWidth { get; }

    public double[] Numbers { get; }

    public string?[] Labels { get; }

    public RowSlot[] Slots => _slots;

    public DroppedCalls Dropped { get; }

    /// <summary>The model feature each number slot feeds (-1: none), set by the model; folder only.</summary>
    public int[] NumberFeatures { get; set; } = [];

    /// <summary>The model feature each label slot feeds (-1: none), set by the model; folder only.</summary>
    public int[] LabelFeatures { get; set; } = [];

    public long Successes => Volatile.Read(ref _successes);

    public long Errors => Volatile.Read(ref _errors);

    public long Canceled => Volatile.Read(ref _canceled);

    /// <summary>Rows reserved so far (committed or not).</summary>
    public long Reserved => Volatile.Read(ref _enqueue.Value);

    /// <summary>Whether rows wait to be folded (reserved but not yet released).</summary>
    public bool HasPending => Volatile.Read(ref _enqueue.Value) != Volatile.Read(ref _dequeue);

    /// <summary>
    /// Reserves a row; the inactive row when the ring is full (the call is then counted as dropped). The row's time is
    /// taken on the runtime's clock (<paramref name="stopwatchNow"/> itself for the system clock), so that a fake clock
    /// in tests decides which window a row belongs to.
    /// </summary>
    public FeatureRow Reserve(long stopwatchNow, long elapsedTicks, byte flags, PredictionOutcome outcome, string? exceptionType)
    {
        long timestamp = _runtime.UsesSystemClock ? stopwatchNow : _runtime.TimeProvider.GetTimestamp();
        RowSlot[] slots = _slots;
        long position = Volatile.Read(ref _enqueue.Value);
        while (true)
        {
            int index = (int)(position & _mask);
            long difference = Volatile.Read(ref slots[index].Sequence) - position;
            if (difference == 0)
            {
                long seen = Interlocked.CompareExchange(ref _enqueue.Value, position + 1, position);
                if (seen == position)
                {
                    ref RowSlot slot = ref slots[index];
                    slot.Timestamp = timestamp;
                    slot.ElapsedTicks = elapsedTicks;
                    slot.Flags = flags;
                    slot.Outcome = outcome;
                    if (exceptionType is not null)
                    {
                        slot.ExceptionType = exceptionType; // a success stores no reference: no write barrier
                    }

                    // Segment, Key and ExceptionType are already empty: slots start zeroed and Release clears them.
                    return new FeatureRow(this, index, position);
                }

                position = seen;
            }
            else if (difference < 0)
            {
                Dropped.Add(flags, outcome, elapsedTicks, exceptionType);
                _runtime.Folder.Signal();
                return default;
            }
            else
            {
                position = Volatile.Read(ref _enqueue.Value);
            }
        }
    }

    /// <summary>Publishes a written row to the folder.</summary>
    public void Commit(int index, long position)
    {
        Volatile.Write(ref _slots[index].Sequence, position + 1);
        if ((position & _signalMask) == _signalMask)
        {
            _runtime.Folder.Signal(); // every half ring: the folder should not wait for its timer
        }
    }

    /// <summary>The next committed row, in reservation order; false when the next row is not committed yet. Folder only.</summary>
    public bool TryPeek(out int index)
    {
        long position = _dequeue;
        index = (int)(position & _mask);
        return Volatile.Read(ref _slots[index].Sequence) == position + 1;
    }

    /// <summary>The timestamp of the row <see cref="TryPeek"/> returned.</summary>
    public long TimestampAt(int index) => _slots[index].Timestamp;

    /// <summary>Frees the row at the head for writers, forgetting every reference it held. Folder only.</summary>
    public void Release(int index)
    {
        ref RowSlot slot = ref _slots[index];
        slot.ExceptionType = null;
        slot.Segment = null;
        slot.Key = default;
        if (LabelWidth > 0)
        {
            Array.Clear(Labels, index * LabelWidth, LabelWidth); // do not keep the caller's strings alive
        }

        long position = _dequeue;
        _dequeue = position + 1;
        Volatile.Write(ref slot.Sequence, position + Capacity);
    }

    /// <summary>Releases every committed row unread. Only while the folder is paused (benchmarks of the caller's path).</summary>
    internal void DiscardCommitted()
    {
        while (TryPeek(out int index))
        {
            Release(index);
        }
    }

    /// <summary>Counts one folded call. Folder only.</summary>
    public void CountOutcome(PredictionOutcome outcome, long calls = 1)
    {
        switch (outcome)
        {
            case PredictionOutcome.Success:
                Volatile.Write(ref _successes, _successes + calls);
                break;
            case PredictionOutcome.Error:
                Volatile.Write(ref _errors, _errors + calls);
                break;
            default:
                Volatile.Write(ref _canceled, _canceled + calls);
                break;
        }
    }

    /// <summary>The position up to which rows are reserved now: a fold started now takes the rows before it.</summary>
    public long SnapshotPosition() => Volatile.Read(ref _enqueue.Value);

    /// <summary>How many rows the folder has released so far.</summary>
    public long Released => Volatile.Read(ref _dequeue);

    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct PaddedPosition
    {
        [FieldOffset(64)]
        public long Value;
    }
}
