using System.ComponentModel;

namespace ModelMonitoring.Runtime;

/// <summary>
/// One row being recorded by generated code: the call's latency and the values of its features. Setting a value
/// writes into the calling thread's buffer; <see cref="Commit"/> publishes the row to the folding thread.
/// An inactive row (monitoring disabled or re-entered) ignores everything.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct FeatureRow
{
    private readonly PredictionMonitor? _monitor;
    private readonly RecordingBuffer? _buffer;
    private readonly int _index;
    private readonly int _numberOffset;
    private readonly int _labelOffset;
    private bool _committed;

    internal FeatureRow(PredictionMonitor monitor, RecordingBuffer buffer, int index)
    {
        _monitor = monitor;
        _buffer = buffer;
        _index = index;
        _numberOffset = index * buffer.NumberWidth;
        _labelOffset = index * buffer.LabelWidth;
        _committed = false;
    }

    /// <summary>Whether the row is recording (otherwise every call on it does nothing).</summary>
    public readonly bool IsActive => _buffer is not null && !_committed;

    /// <summary>Sets a numerical feature; NaN means missing.</summary>
    public readonly void SetNumber(int slot, double value)
    {
        if (_buffer is not null)
        {
            _buffer.Numbers[_numberOffset + slot] = value;
        }
    }

    /// <summary>Sets a numerical feature; <see langword="null"/> means missing.</summary>
    public readonly void SetNumber(int slot, double? value) => SetNumber(slot, value ?? double.NaN);

    /// <summary>Sets a categorical feature; <see langword="null"/> means missing.</summary>
    public readonly void SetLabel(int slot, string? value)
    {
        if (_buffer is not null)
        {
            _buffer.Labels[_labelOffset + slot] = value;
        }
    }

    /// <summary>Keeps the call's latency and outcome but records no features for this row (for example an empty batch).</summary>
    public readonly void SkipFeatures()
    {
        if (_buffer is not null)
        {
            _buffer.Flags[_index] = (byte)(_buffer.Flags[_index] & ~RecordingBuffer.HasFeatures);
        }
    }

    /// <summary>
    /// Reports that reading the features failed (for example a property getter threw). The failure is counted and
    /// logged; the call itself is still counted. Never throws.
    /// </summary>
    public readonly void Fail(Exception exception)
    {
        SkipFeatures();
        _monitor?.RecordMonitoringFailure("capturing features", exception);
    }

    /// <summary>Publishes the row to the folding thread. Never throws; a second call does nothing.</summary>
    public void Commit()
    {
        if (_buffer is null || _committed)
        {
            return;
        }

        _committed = true;
        _monitor!.Publish(_buffer);
    }
}
