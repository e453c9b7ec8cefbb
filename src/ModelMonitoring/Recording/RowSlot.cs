namespace ModelMonitoring.Runtime;

/// <summary>The fixed part of one recorded row in a <see cref="MethodRecorder"/>'s ring.</summary>
internal struct RowSlot
{
    public const byte HasCall = 1;
    public const byte HasFeatures = 2;

    /// <summary>
    /// The ring's sequence for this slot: equal to the write position when the slot is free, position + 1 once the row
    /// at that position is committed, position + capacity once the folder has released it.
    /// </summary>
    public long Sequence;

    /// <summary>When the call ended (Stopwatch ticks); rows of a model's methods are folded in this order.</summary>
    public long Timestamp;

    /// <summary>The call's latency in Stopwatch ticks (0 for the second and later items of a batch).</summary>
    public long ElapsedTicks;

    public byte Flags;

    public PredictionOutcome Outcome;

    /// <summary>The exception type tag of a failed call (bounded set), else null.</summary>
    public string? ExceptionType;

    public string? Segment;

    public PredictionKey Key;
}
