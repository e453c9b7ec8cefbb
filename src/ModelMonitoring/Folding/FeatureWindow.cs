using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ModelMonitoring.Sketches;

namespace ModelMonitoring;

/// <summary>
/// The open window of one key (a model, or one of its segments): per feature, present, missing and infinite counts,
/// the mean and extremes of numbers, and a drift profile (binned on the reference when there is one). It closes after
/// exactly its size in rows, or by time. Folder only: nothing else reads or writes it.
/// </summary>
internal sealed class FeatureWindow
{
    public const string OverflowCategory = CategoryCounter.OverflowCategory;

    private FeatureAccumulator[] _features;
    private readonly ModelMonitoringOptions _options;

    public FeatureWindow(IReadOnlyList<ModelFeature> features, ModelMonitoringOptions options, DateTimeOffset start, int size, BaselineProfile? reference, FeatureProfile[]? spareProfiles)
    {
        _options = options;
        Size = size;
        Start = start;
        Reference = reference;
        Calls = new WindowCalls(options.EffectiveDurationBuckets);
        _features = new FeatureAccumulator[features.Count];
        for (int i = 0; i < features.Count; i++)
        {
            _features[i] = new FeatureAccumulator(features[i], options, reference, spareProfiles);
        }
    }

    /// <summary>The rows after which the window closes.</summary>
    public int Size { get; }

    /// <summary>The options the window was opened with: reloads apply from the next window on.</summary>
    public ModelMonitoringOptions Options => _options;

    /// <summary>The reference the window's profiles are binned on (null: sketched with KLL).</summary>
    public BaselineProfile? Reference { get; }

    public DateTimeOffset Start { get; private set; }

    public long Rows { get; private set; }

    public bool IsFull => Rows >= Size;

    public IReadOnlyList<FeatureAccumulator> Features => _features;

    /// <summary>The window's calls by outcome, and the latency of its successes.</summary>
    public WindowCalls Calls { get; }

    /// <summary>Adds accumulators for features a model gained (a type registered later under the same name).</summary>
    public void EnsureFeatures(IReadOnlyList<ModelFeature> features)
    {
        if (features.Count <= _features.Length)
        {
            return;
        }

        FeatureAccumulator[] grown = [.. _features, .. features.Skip(_features.Length).Select(f => new FeatureAccumulator(f, _options, Reference, null))];
        _features = grown;
    }

    public void AddNumber(int feature, double value) => _features[feature].AddNumber(value);

    /// <summary>The grid bin the feature's profile will count <paramref name="value"/> in, or -1 (see <see cref="FeatureAccumulator.BinOf"/>).</summary>
    public int BinOf(int feature, double value) => _features[feature].BinOf(value);

    /// <summary><see cref="AddNumber(int, double)"/> with the bin <see cref="BinOf"/> gave.</summary>
    public void AddNumber(int feature, double value, int bin) => _features[feature].AddNumber(value, bin);

    public void AddLabel(int feature, string? value) => _features[feature].AddLabel(value);

    public void EndRow() => Rows++;

    public bool IsDue(DateTimeOffset now) => now - Start >= _options.WindowDuration;

    /// <summary>Restarts the clock of an empty window, so that it does not close the moment its first row arrives.</summary>
    public void RestartIfEmpty(DateTimeOffset now)
    {
        if (Rows == 0)
        {
            Start = now;
        }
    }

    /// <summary>An empty window starts no later than its first row: rows recorded before the folder opened it count from their own time.</summary>
    public void StartNoLaterThan(DateTimeOffset rowTime)
    {
        if (Rows == 0 && rowTime < Start)
        {
            Start = rowTime;
        }
    }

    public FeatureWindowSnapshot Snapshot(string model, string segment, DateTimeOffset now) =>
        new(model, Start, now, Rows, _features.Select(f => f.Snapshot()).ToArray()) { Segment = segment, Calls = Calls.Copy() };

    /// <summary>Closes the window: its statistics become a snapshot that takes its profiles along (no copy).</summary>
    public FeatureWindowSnapshot Close(string model, string segment, DateTimeOffset now)
    {
        FeatureWindowSnapshot snapshot = Snapshot(model, segment, now);
        FeatureProfile[] profiles = _features.Where(f => f.Profile is not null).Select(f => f.Profile!).ToArray();
        if (profiles.Length > 0)
        {
            snapshot.Profiles = profiles;
            snapshot.ProfilesReference = Reference;
        }

        return snapshot;
    }
}

/// <summary>One feature's statistics in one window. Folder only.</summary>
internal sealed class FeatureAccumulator
{
    private static readonly IReadOnlyDictionary<string, long> s_noCategories = new Dictionary<string, long>();

    // Label instances the profile already counts exactly, compared by reference, with the counts not yet added to the
    // profile: the labels the generator emits for enums and bools (string literals) then skip the hash lookup. Only
    // interned strings are kept (at most 8, of at most 64 characters), which live as long as the process anyway: a
    // caller's own string is never kept alive by the cache. The check for "interned" is itself a lookup, so a window
    // makes at most 32 of them per feature (a feature whose labels are fresh strings stops trying). The counts reach
    // the profile whenever anything reads it (Profile, Snapshot) or a slot is reused, so every reader sees the same
    // counts as without the cache; only categories already counted exactly are cached, so which categories overflow
    // does not change either.
    private const int KnownLabelCacheSize = 8;
    private const int KnownLabelMaxLength = 64;
    private const int MaxInternChecks = 32;
    private int _internChecks;
    private readonly string?[]? _knownLabels;
    private readonly long[]? _knownPending;
    private int _knownCount;
    private int _nextKnown;
    private bool _hasPending;
    private readonly FeatureProfile? _profile;
    private readonly ModelFeature _feature;
    private readonly FeatureKind _kind; // read for every value: one load instead of three (feature, descriptor, kind)
    private readonly int _maxCategories;
    private readonly int _maxCategoryLength;
    private Dictionary<string, long>? _categories;     // categorical counts when drift profiles are off
    private Dictionary<double, string>? _numberLabels; // labels of numbers declared categorical, for this window only

    public FeatureAccumulator(ModelFeature feature, ModelMonitoringOptions options, BaselineProfile? reference, FeatureProfile[]? spareProfiles)
    {
        _feature = feature;
        _kind = feature.Kind;
        _maxCategories = feature.MaxCategories(options.DefaultMaxCategories);
        _maxCategoryLength = options.MaxCategoryLength;
        Min = double.PositiveInfinity;
        Max = double.NegativeInfinity;
        if (options.DriftDetection && !feature.IsSensitive)
        {
            _profile = spareProfiles?.FirstOrDefault(p => p.Name == feature.Name && p.Type == feature.ColumnType) is { } spare
                ? Reset(spare)
                : WindowProfiles.Create(feature, _maxCategories, _maxCategoryLength, reference?.Find(feature.Name));
            if (_profile.Categories is not null)
            {
                _knownLabels = new string?[KnownLabelCacheSize];
                _knownPending = new long[KnownLabelCacheSize];
            }
        }
    }

    public ModelFeature Feature => _feature;

    /// <summary>The drift profile (null for sensitive features, or when drift detection is off), with every count added.</summary>
    public FeatureProfile? Profile
    {
        get
        {
            FlushKnownLabels();
            return _profile;
        }
    }

    public long Count { get; private set; }

    public long Missing { get; private set; }

    public long Infinite { get; private set; }

    public double Sum { get; private set; }

    public double Min { get; private set; }

    public double Max { get; private set; }

    public void AddNumber(double value) => AddNumber(value, -1);

    /// <summary>
    /// The bin of the drift profile a number goes to, when the profile is binned on a reference's grid; -1 otherwise.
    /// The folder looks up a row's bins first, then adds its numbers with them: the look-ups' cache misses overlap.
    /// </summary>
    public int BinOf(double value) => _kind == FeatureKind.Numerical && _profile is { } profile ? profile.BinOf(value) : -1;

    /// <summary>Adds a number, with the bin <see cref="BinOf"/> gave for it (-1: none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddNumber(double value, int bin)
    {
        if (!double.IsFinite(value))
        {
            // NaN, +Infinity and -Infinity are all missing: one 1e400 must not poison the window's sums and sketches.
            Missing++;
            if (!double.IsNaN(value))
            {
                Infinite++;
            }

            _profile?.AddMissing();
            return;
        }

        Count++;
        if (_kind == FeatureKind.Categorical)
        {
            CountCategory(LabelOf(value));
            return;
        }

        _profile?.Add(value, bin);
        Sum += value;
        if (value < Min)
        {
            Min = value;
        }

        if (value > Max)
        {
            Max = value;
        }
    }

    public void AddLabel(string? value)
    {
        if (value is null)
        {
            Missing++;
            _profile?.AddMissing();
            return;
        }

        if (value.Length > _maxCategoryLength)
        {
            value = value[.._maxCategoryLength]; // bounded in bytes: a 25 MB string keeps 256 characters
        }

        CountCategory(value); // first: if it throws, nothing was counted
        Count++;
    }

    public FeatureStatistics Snapshot()
    {
        bool numerical = _feature.Kind == FeatureKind.Numerical && Count > 0;
        return new FeatureStatistics(
            _feature.Name,
            _feature.Kind,
            _feature.IsSensitive,
            Count,
            Missing,
            numerical ? Sum / Count : double.NaN,
            numerical ? Min : double.NaN,
            numerical ? Max : double.NaN,
            Categories())
        {
            Infinite = Infinite,
        };
    }

    private static FeatureProfile Reset(FeatureProfile profile)
    {
        profile.Reset();
        return profile;
    }

    private string LabelOf(double value)
    {
        // A number declared categorical (for example a rating): counted by value, with labels cached per window.
        _numberLabels ??= [];
        if (_numberLabels.TryGetValue(value, out string? label))
        {
            return label;
        }

        if (_numberLabels.Count >= _maxCategories)
        {
            return FeatureWindow.OverflowCategory;
        }

        label = value.ToString(CultureInfo.InvariantCulture);
        _numberLabels[value] = label;
        return label;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CountCategory(string value)
    {
        // A cached label instance first: no hash (see _knownLabels).
        string?[]? known = _knownLabels;
        if (known is not null)
        {
            for (int i = 0; i < _knownCount; i++)
            {
                if (ReferenceEquals(known[i], value))
                {
                    _knownPending![i]++;
                    _hasPending = true;
                    return;
                }
            }
        }

        CountCategoryByValue(value);
    }

    private void CountCategoryByValue(string value)
    {
        if (_profile is not null)
        {
            // The profile's bounded counts are the window's category counts.
            if (_knownLabels is { } known && _internChecks < MaxInternChecks)
            {
                CategoryCounter counter = _profile.Categories!;
                long overflow = counter.OverflowCount;
                _profile.Add(value);
                if (counter.OverflowCount == overflow && IsCacheable(value))
                {
                    // An interned string counted exactly (not in the overflow bucket): its later counts can wait here.
                    int slot;
                    if (_knownCount < known.Length)
                    {
                        slot = _knownCount++;
                    }
                    else
                    {
                        slot = _nextKnown;
                        _nextKnown = (slot + 1) % known.Length;
                        FlushKnownLabel(slot);
                    }

                    known[slot] = value;
                }

                return;
            }

            _profile.Add(value);
            return;
        }

        _categories ??= new Dictionary<string, long>(StringComparer.Ordinal);
        ref long count = ref CollectionsMarshal.GetValueRefOrNullRef(_categories, value);
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref count))
        {
            count++;
        }
        else if (_categories.Count < _maxCategories)
        {
            _categories[new string(value.AsSpan())] = 1; // a copy: the window never keeps the caller's string alive
        }
        else
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_categories, FeatureWindow.OverflowCategory, out _)++;
        }
    }

    // Whether a label counted exactly may wait in the cache: a short interned string (see _knownLabels).
    private bool IsCacheable(string value)
    {
        if (value.Length > KnownLabelMaxLength)
        {
            return false;
        }

        _internChecks++;
        return ReferenceEquals(string.IsInterned(value), value);
    }

    private void FlushKnownLabels()
    {
        if (!_hasPending)
        {
            return;
        }

        for (int i = 0; i < _knownCount; i++)
        {
            FlushKnownLabel(i);
        }

        _hasPending = false;
    }

    private void FlushKnownLabel(int slot)
    {
        long pending = _knownPending![slot];
        if (pending > 0)
        {
            _knownPending[slot] = 0;
            _profile!.Add(_knownLabels![slot]!, pending);
        }
    }

    private IReadOnlyDictionary<string, long> Categories()
    {
        if (Profile?.Categories is { } counter)
        {
            IReadOnlyList<KeyValuePair<string, long>> counts = counter.GetCounts();
            return counts.Count == 0 ? s_noCategories : counts.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        }

        return _categories is not { Count: > 0 } ? s_noCategories : new Dictionary<string, long>(_categories, StringComparer.Ordinal);
    }
}

/// <summary>Creates window profiles: binned on the reference's grid when there is one, else sketched.</summary>
internal static class WindowProfiles
{
    public static FeatureProfile Create(ModelFeature feature, int maxCategories, int maxCategoryLength, FeatureProfile? reference) =>
        reference is not null && reference.Type == feature.ColumnType
            ? FeatureProfile.CreateWindowProfile(reference) // numbers binned on the reference's quantile grid: a few ns a value
            : new FeatureProfile(feature.Name, feature.ColumnType, maxCategories, maxCategoryLength: maxCategoryLength);
}
