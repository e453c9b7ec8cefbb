namespace ModelMonitoring.Runtime;

/// <summary>
/// A single-producer, single-consumer ring of recorded rows: one per thread and tracked method. The owning thread
/// writes a row and publishes it by advancing <see cref="Head"/>; the folding thread reads rows up to the head and
/// advances <see cref="Tail"/>. Neither side locks or allocates on the producer's path.
/// </summary>
internal sealed class RecordingBuffer
{
    public const int DefaultCapacity = 1024;
    public const byte HasCall = 1;
    public const byte HasFeatures = 2;

    public readonly int Capacity;
    public readonly int Mask;
    public readonly int NumberWidth;
    public readonly int LabelWidth;
    public readonly long[] ElapsedTicks;

    // When each row was recorded (Stopwatch ticks): rows of several threads are folded in this order.
    public readonly long[] Timestamps;
    public readonly byte[] Flags;
    public readonly double[] Numbers;
    public readonly string?[] Labels;
    public readonly Thread Owner;

    // Written by the owner only (Volatile.Write on publish); read by the folder.
    public long Head;

    // Written by the folder only, under the model's fold lock; read by the owner.
    public long Tail;

    // A row is between BeginRow and Commit on the owning thread (guards re-entrant calls during capture).
    public bool Writing;

    public RecordingBuffer(int numberWidth, int labelWidth, int capacity = DefaultCapacity)
    {
        Capacity = capacity;
        Mask = capacity - 1;
        NumberWidth = numberWidth;
        LabelWidth = labelWidth;
        ElapsedTicks = new long[capacity];
        Timestamps = new long[capacity];
        Flags = new byte[capacity];
        Numbers = new double[capacity * Math.Max(numberWidth, 0)];
        Labels = new string?[capacity * Math.Max(labelWidth, 0)];
        Owner = Thread.CurrentThread;
    }

    public int Pending => (int)(Volatile.Read(ref Head) - Volatile.Read(ref Tail));
}
