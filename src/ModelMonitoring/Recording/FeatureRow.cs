using System.ComponentModel;

namespace ModelMonitoring.Runtime;

/// <summary>
/// One row being recorded by generated code: a slot reserved in the method's ring, holding the call's latency and
/// outcome and the values of its features. <see cref="Commit"/> hands it to the folder. An inactive row (monitoring
/// disabled, or the ring full) ignores everything.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct FeatureRow
{
    private readonly MethodRecorder? _recorder;
    private readonly int _index;
    private readonly long _position;
    private readonly int _numberOffset;
    private readonly int _labelOffset;
    private bool _committed;

    internal FeatureRow(MethodRecorder recorder, int index, long position)
    {
        _recorder = recorder;
        _index = index;
        _position = position;
        _numberOffset = index * recorder.NumberWidth;
        _labelOffset = index * recorder.LabelWidth;
        _committed = false;
    }

    /// <summary>Whether the row is recording (otherwise every call on it does nothing).</summary>
    public readonly bool IsActive => _recorder is not null && !_committed;

    /// <summary>Sets a numerical feature; NaN and ±Infinity mean missing.</summary>
    public readonly void SetNumber(int slot, double value)
    {
        if (_recorder is not null)
        {
            _recorder.Numbers[_numberOffset + slot] = value;
        }
    }

    /// <summary>Sets a numerical feature; <see langword="null"/> means missing.</summary>
    public readonly void SetNumber(int slot, double? value) => SetNumber(slot, value ?? double.NaN);

    /// <summary>Sets a categorical feature; <see langword="null"/> means missing.</summary>
    public readonly void SetLabel(int slot, string? value)
    {
        if (_recorder is not null)
        {
            _recorder.Labels[_labelOffset + slot] = value;
        }
    }

    /// <summary>Sets the prediction's key (from <c>[PredictionKey]</c>); <see langword="null"/> means none.</summary>
    public readonly void SetKey(string? key)
    {
        if (_recorder is not null)
        {
            _recorder.Slots[_index].Key = PredictionKey.FromString(key);
        }
    }

    /// <summary>Sets the prediction's key (from <c>[PredictionKey]</c>).</summary>
    public readonly void SetKey(long key)
    {
        if (_recorder is not null)
        {
            _recorder.Slots[_index].Key = PredictionKey.FromInt64(key);
        }
    }

    /// <summary>Sets the prediction's key (from <c>[PredictionKey]</c>).</summary>
    public readonly void SetKey(Guid key)
    {
        if (_recorder is not null)
        {
            _recorder.Slots[_index].Key = PredictionKey.FromGuid(key);
        }
    }

    /// <summary>Sets the prediction's key (from <c>[PredictionKey]</c>); the empty key means none.</summary>
    public readonly void SetKey(PredictionKey key)
    {
        if (_recorder is not null)
        {
            _recorder.Slots[_index].Key = key;
        }
    }

    /// <summary>Sets the row's segment (from <c>[Segment]</c>); <see langword="null"/> means none.</summary>
    public readonly void SetSegment(string? segment)
    {
        if (_recorder is not null)
        {
            _recorder.Slots[_index].Segment = segment;
        }
    }

    /// <summary>Keeps the call's latency and outcome but records no features for this row (for example an empty batch).</summary>
    public readonly void SkipFeatures()
    {
        if (_recorder is not null)
        {
            _recorder.Slots[_index].Flags &= unchecked((byte)~RowSlot.HasFeatures);
        }
    }

    /// <summary>
    /// Reports that reading the features failed (for example a property getter threw). The failure is counted and
    /// logged; the call itself is still counted. Never throws.
    /// </summary>
    public readonly void Fail(Exception exception)
    {
        SkipFeatures();
        _recorder?.Model.RecordMonitoringFailure(MonitoringStage.Capture, exception);
    }

    /// <summary>Publishes the row to the folder. Never throws; a second call does nothing.</summary>
    public void Commit()
    {
        if (_recorder is null || _committed)
        {
            return;
        }

        _committed = true;
        _recorder.Commit(_index, _position);
    }
}
