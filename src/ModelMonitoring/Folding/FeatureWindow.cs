using System.Globalization;
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
    private readonly ModelFeature _feature;
    private readonly int _maxCategories;
    private readonly int _maxCategoryLength;
    private Dictionary<string, long>? _categories;     // categorical counts when drift profiles are off
    private Dictionary<double, string>? _numberLabels; // labels of numbers declared categorical, for this window only

    public FeatureAccumulator(ModelFeature feature, ModelMonitoringOptions options, BaselineProfile? reference, FeatureProfile[]? spareProfiles)
    {
        _feature = feature;
        _maxCategories = feature.MaxCategories(options.DefaultMaxCategories);
        _maxCategoryLength = options.MaxCategoryLength;
        Min = double.PositiveInfinity;
        Max = double.NegativeInfinity;
        if (options.DriftDetection && !feature.IsSensitive)
        {
            Profile = spareProfiles?.FirstOrDefault(p => p.Name == feature.Name && p.Type == feature.ColumnType) is { } spare
                ? Reset(spare)
                : WindowProfiles.Create(feature, _maxCategories, _maxCategoryLength, reference?.Find(feature.Name));
        }
    }

    public ModelFeature Feature => _feature;

    /// <summary>The drift profile (null for sensitive features, or when drift detection is off).</summary>
    public FeatureProfile? Profile { get; }

    public long Count { get; private set; }

    public long Missing { get; private set; }

    public long Infinite { get; private set; }

    public double Sum { get; private set; }

    public double Min { get; private set; }

    public double Max { get; private set; }

    public void AddNumber(double value)
    {
        if (!double.IsFinite(value))
        {
            // NaN, +Infinity and -Infinity are all missing: one 1e400 must not poison the window's sums and sketches.
            Missing++;
            if (!double.IsNaN(value))
            {
                Infinite++;
            }

            Profile?.AddMissing();
            return;
        }

        Count++;
        if (_feature.Kind == FeatureKind.Categorical)
        {
            CountCategory(LabelOf(value));
            return;
        }

        Profile?.Add(value);
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
            Profile?.AddMissing();
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

    private void CountCategory(string value)
    {
        if (Profile is not null)
        {
            Profile.Add(value); // the profile's bounded counts are the window's category counts
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
