using System.Diagnostics;
using ModelMonitoring.Runtime;

namespace ModelMonitoring;

/// <summary>
/// One recorded prediction, as the folder hands it to <see cref="IPredictionRowConsumer"/>s: when and how the call
/// ended, its latency, its key and segment, and the value of each captured feature. A view over the recording ring,
/// valid only during <see cref="IPredictionRowConsumer.OnRow"/>; reading it allocates nothing.
/// </summary>
public readonly ref struct PredictionRow
{
    private readonly MethodRecorder _recorder;
    private readonly int _index;

    internal PredictionRow(MethodRecorder recorder, int index, DateTimeOffset timestamp)
    {
        _recorder = recorder;
        _index = index;
        Timestamp = timestamp;
    }

    /// <summary>The model the row belongs to.</summary>
    public ModelMonitor Model => _recorder.Model;

    /// <summary>The tracked method that was called.</summary>
    public MethodDescriptor Method => _recorder.Method.Descriptor;

    /// <summary>When the call ended, on the runtime's clock.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Whether the row is a call (false for the second and later items of a batch, which carry features only).</summary>
    public bool IsCall => (Slot.Flags & RowSlot.HasCall) != 0;

    /// <summary>Whether the row carries feature values (false when they could not be read, or for an empty batch).</summary>
    public bool HasFeatures => (Slot.Flags & RowSlot.HasFeatures) != 0;

    /// <summary>How the call ended.</summary>
    public PredictionOutcome Outcome => Slot.Outcome;

    /// <summary>The call's latency (zero for further items of a batch).</summary>
    public TimeSpan Duration => Stopwatch.GetElapsedTime(0, Slot.ElapsedTicks);

    /// <summary>The call's latency in seconds.</summary>
    public double DurationSeconds => (double)Slot.ElapsedTicks / Stopwatch.Frequency;

    /// <summary>The exception type of a failed call (bounded set of names), else <see langword="null"/>.</summary>
    public string? ExceptionType => Slot.ExceptionType;

    /// <summary>The prediction's key, from <c>[PredictionKey]</c>; empty when the model has none.</summary>
    public PredictionKey Key => Slot.Key;

    /// <summary>The row's segment, from <c>[Segment]</c>; <see langword="null"/> when the model has none.</summary>
    public string? Segment => Slot.Segment;

    /// <summary>The model's features; the indexes of <see cref="TryGetNumber"/> and <see cref="TryGetLabel"/> refer to this list.</summary>
    public IReadOnlyList<FeatureDescriptor> Features => _recorder.Model.Features;

    private ref RowSlot Slot => ref _recorder.Slots[_index];

    /// <summary>The ring the row is in, for built-in consumers that read its slots directly.</summary>
    internal MethodRecorder Recorder => _recorder;

    /// <summary>The row's index in <see cref="Recorder"/>'s ring.</summary>
    internal int Index => _index;

    /// <summary>
    /// The value of a numerical feature (by index in <see cref="ModelMonitor.Features"/>): NaN when missing.
    /// False when this row's method does not capture the feature, or when the row carries no features (the prediction of
    /// a failed call is never captured).
    /// </summary>
    public bool TryGetNumber(int feature, out double value)
    {
        value = double.NaN;
        if (!HasFeatures)
        {
            return false;
        }

        int[] slots = _recorder.NumberFeatures;
        for (int slot = 0; slot < slots.Length; slot++)
        {
            if (slots[slot] == feature)
            {
                if (Outcome != PredictionOutcome.Success && IsPrediction(feature))
                {
                    return false;
                }

                value = _recorder.Numbers[(_index * _recorder.NumberWidth) + slot];
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The value of a categorical feature (by index in <see cref="ModelMonitor.Features"/>): <see langword="null"/> when
    /// missing, <c>[redacted]</c> when present but sensitive. False as for <see cref="TryGetNumber"/>.
    /// </summary>
    public bool TryGetLabel(int feature, out string? value)
    {
        value = null;
        if (!HasFeatures)
        {
            return false;
        }

        int[] slots = _recorder.LabelFeatures;
        for (int slot = 0; slot < slots.Length; slot++)
        {
            if (slots[slot] == feature)
            {
                if (Outcome != PredictionOutcome.Success && IsPrediction(feature))
                {
                    return false;
                }

                value = _recorder.Labels[(_index * _recorder.LabelWidth) + slot];
                return true;
            }
        }

        return false;
    }

    private bool IsPrediction(int feature) => _recorder.Model.FeatureStates[feature].IsPrediction;
}
