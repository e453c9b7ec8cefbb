using System.Collections.Concurrent;
using ModelMonitoring.Sketches;

namespace ModelMonitoring;

/// <summary>
/// The windows of one model, keyed by segment (the model's own window has the empty key), with bounded
/// cardinality: rows of segments beyond <see cref="ModelMonitoringOptions.MaxSegments"/> go to <see cref="OtherSegment"/>.
/// The dictionary and the windows belong to the folder; each key's reference may be set from any thread.
/// </summary>
internal sealed class WindowSet
{
    public const string OtherSegment = CategoryCounter.OverflowCategory;

    private readonly Dictionary<string, WindowState> _segments = new(StringComparer.Ordinal);

    public WindowSet(WindowState modelWindow) => Model = modelWindow;

    /// <summary>The model's own window (all rows, whatever their segment).</summary>
    public WindowState Model { get; }

    /// <summary>The segment windows, in the order their first row arrived.</summary>
    public IEnumerable<WindowState> Segments => _segments.Values;

    /// <summary>The window state of a segment value, created on its first row. Folder only.</summary>
    public WindowState ForSegment(string segment, int maxSegments, Func<string, WindowState> create)
    {
        if (_segments.TryGetValue(segment, out WindowState? state))
        {
            return state;
        }

        if (_segments.Count >= maxSegments - 1 && !string.Equals(segment, OtherSegment, StringComparison.Ordinal))
        {
            segment = OtherSegment; // one slot is kept for the overflow
            if (_segments.TryGetValue(segment, out state))
            {
                return state;
            }
        }

        state = create(segment);
        _segments[segment] = state;
        return state;
    }
}

/// <summary>One key's open window, its reference and the profiles that come back from evaluation.</summary>
internal sealed class WindowState(string segment)
{
    private BaselineProfile? _reference;

    /// <summary>The segment value; empty for the model's own window.</summary>
    public string Segment { get; } = segment;

    /// <summary>The open window. Folder only.</summary>
    public FeatureWindow? Window { get; set; }

    /// <summary>The drift reference: a baseline, or the key's first window.</summary>
    public BaselineProfile? Reference => Volatile.Read(ref _reference);

    /// <summary>Whether the reference was set by the user or from a baseline file (never replaced by a first window).</summary>
    public bool ReferenceIsBaseline { get; private set; }

    /// <summary>Profiles of evaluated windows, to reuse for the next ones (with the reference they were binned on).</summary>
    public ConcurrentQueue<(BaselineProfile? BinnedOn, FeatureProfile[] Profiles)> SpareProfiles { get; } = new();

    /// <summary>Sets a baseline as the reference; always wins over a first-window reference.</summary>
    public void SetBaseline(BaselineProfile baseline)
    {
        ReferenceIsBaseline = true;
        Volatile.Write(ref _reference, baseline);
    }

    /// <summary>Makes a closed window the reference, unless a reference exists already (a baseline set meanwhile wins).</summary>
    public bool TrySetFirstWindow(BaselineProfile firstWindow) =>
        Interlocked.CompareExchange(ref _reference, firstWindow, null) is null;
}
