using ModelMonitoring.Sketches;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Runtime;

/// <summary>
/// The current window of a model's features: per feature, present and missing counts, and the mean and extremes
/// of numbers or the counts of categories (bounded, with an overflow bucket). Single writer: the model's fold lock.
/// </summary>
internal sealed class FeatureWindow
{
    public const string OverflowCategory = CategoryCounter.OverflowCategory;

    private readonly FeatureInfo[] _features;
    private int _windowSize;
    private readonly TimeProvider _timeProvider;
    private readonly string _model;

    public FeatureWindow(string model, FeatureInfo[] features, ModelMonitoringOptions options, TimeProvider timeProvider, bool isReferenceWindow)
    {
        _model = model;
        _features = features;
        _windowSize = isReferenceWindow && options.ReferenceSize > 0 ? options.ReferenceSize : options.WindowSize;
        RegularSize = options.WindowSize;
        foreach (FeatureInfo feature in features)
        {
            feature.ProfilingEnabled = options.DriftDetection;
        }

        WindowDuration = options.WindowDuration;
        _timeProvider = timeProvider;
        Start = timeProvider.GetUtcNow();
        foreach (FeatureInfo feature in features)
        {
            feature.ResetWindow();
        }
    }

    public IReadOnlyList<FeatureInfo> Features => _features;

    public DateTimeOffset Start { get; private set; }

    /// <summary>The size of windows after the reference window.</summary>
    public int RegularSize { get; }

    public TimeSpan WindowDuration { get; }

    public long Rows { get; private set; }

    public bool IsFull => Rows >= _windowSize;

    public void AddNumber(int feature, double value) => _features[feature].AddNumber(value);

    public void AddLabel(int feature, string? value) => _features[feature].AddLabel(value);

    public void EndRow() => Rows++;

    public bool IsDue(DateTimeOffset now) => now - Start >= WindowDuration;

    /// <summary>Restarts the clock of an empty window, so that it does not close the moment its first row arrives.</summary>
    public void RestartIfEmpty(DateTimeOffset now)
    {
        if (Rows == 0)
        {
            Start = now;
        }
    }

    public FeatureWindowSnapshot Snapshot()
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        return new FeatureWindowSnapshot(_model, Start, now, Rows, _features.Select(f => f.Snapshot()).ToArray());
    }

    /// <summary>
    /// Closes the window: its statistics become a snapshot and its profiles move into it (no copy); each feature
    /// goes on with its spare profile. Give the profiles back with <see cref="FeatureInfo.Recycle"/> once compared.
    /// </summary>
    public FeatureWindowSnapshot Close()
    {
        FeatureWindowSnapshot snapshot = Snapshot();
        if (_features.Any(f => f.ProfilingEnabled && f.Profile is not null))
        {
            snapshot.Profiles = _features.Where(f => f.ProfilingEnabled && f.Profile is not null).Select(f => f.TakeProfile()).ToArray();
        }

        _windowSize = RegularSize;
        foreach (FeatureInfo feature in _features)
        {
            feature.ResetWindow();
        }

        Rows = 0;
        Start = snapshot.End;
        return snapshot;
    }
}

/// <summary>One feature of a model, with its all-time counts and the statistics of the current window.</summary>
internal sealed class FeatureInfo
{
    private readonly Dictionary<string, long> _categories = new(StringComparer.Ordinal);
    private readonly Dictionary<double, string> _numberLabels = [];

    public FeatureInfo(string name, FeatureKind kind, bool isSensitive, int maxCategories, DriftMethod driftMethod, double driftThreshold, bool isPrediction)
    {
        Name = name;
        IsPrediction = isPrediction;


        Kind = kind;
        IsSensitive = isSensitive;
        MaxCategories = maxCategories;
        DriftMethod = driftMethod;
        DriftThreshold = driftThreshold;
        TagsArray = [];

        // Sensitive values are never profiled: only their presence is counted.
        Profile = isSensitive ? null : NewProfile();
    }

    public string Name { get; }

    public bool IsPrediction { get; }

    /// <summary>The current window's sketch (quantiles or bounded category counts) for drift; null for sensitive features.</summary>
    public FeatureProfile? Profile { get; private set; }

    /// <summary>Whether values go into <see cref="Profile"/> (<see cref="ModelMonitoringOptions.DriftDetection"/>).</summary>
    public bool ProfilingEnabled { get; set; } = true;

    private FeatureProfile? _spare;

    private bool Profiled => ProfilingEnabled && Profile is not null;

    /// <summary>Hands the window's profile over and continues with the spare one (or a new one).</summary>
    public FeatureProfile TakeProfile()
    {
        FeatureProfile closed = Profile!;
        Profile = _spare ?? NewProfile();
        _spare = null;
        return closed;
    }

    /// <summary>Takes back a profile handed over by <see cref="TakeProfile"/> once it is no longer needed. Call under the fold lock.</summary>
    public void Recycle(FeatureProfile profile)
    {
        if (_spare is null && profile.Name == Name)
        {
            profile.Reset();
            _spare = profile;
        }
    }

    private FeatureProfile NewProfile() =>
        new(Name, Kind == FeatureKind.Numerical ? ColumnType.Numerical : ColumnType.Categorical, MaxCategories);

    public FeatureKind Kind { get; }

    public bool IsSensitive { get; }

    public int MaxCategories { get; }

    public DriftMethod DriftMethod { get; }

    public double DriftThreshold { get; }

    public KeyValuePair<string, object?>[] TagsArray { get; set; }

    public long TotalValues { get; private set; }

    public long TotalMissing { get; private set; }

    public long WindowCount { get; private set; }

    public long WindowMissing { get; private set; }

    public double WindowSum { get; private set; }

    public double WindowMin { get; private set; }

    public double WindowMax { get; private set; }

    public void AddNumber(double value)
    {
        if (double.IsNaN(value))
        {
            TotalMissing++;
            WindowMissing++;
            if (Profiled)
            {
                Profile!.AddMissing();
            }

            return;
        }

        TotalValues++;
        WindowCount++;
        if (Kind == FeatureKind.Categorical)
        {
            // A number declared categorical (for example a rating): counted by value.
            if (!_numberLabels.TryGetValue(value, out string? label))
            {
                label = _numberLabels.Count < MaxCategories
                    ? value.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : OverflowLabel;
                if (_numberLabels.Count < MaxCategories)
                {
                    _numberLabels[value] = label;
                }
            }

            CountCategory(label);
            return;
        }

        if (Profiled)
        {
            Profile!.Add(value);
        }

        WindowSum += value;
        if (value < WindowMin)
        {
            WindowMin = value;
        }

        if (value > WindowMax)
        {
            WindowMax = value;
        }
    }

    private static string OverflowLabel => FeatureWindow.OverflowCategory;

    public void AddLabel(string? value)
    {
        if (value is null)
        {
            TotalMissing++;
            WindowMissing++;
            if (Profiled)
            {
                Profile!.AddMissing();
            }

            return;
        }

        CountCategory(value); // first: if it throws, nothing was counted
        TotalValues++;
        WindowCount++;
    }

    private void CountCategory(string value)
    {
        if (Profiled)
        {
            Profile!.Add(value); // the profile's bounded counts are the window's category counts
            return;
        }

        ref long count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(_categories, value);
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref count))
        {
            count++;
        }
        else if (_categories.Count < MaxCategories)
        {
            _categories[value] = 1;
        }
        else
        {
            System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_categories, FeatureWindow.OverflowCategory, out _)++;
        }
    }

    public void ResetWindow()
    {
        WindowCount = 0;
        WindowMissing = 0;
        WindowSum = 0;
        WindowMin = double.PositiveInfinity;
        WindowMax = double.NegativeInfinity;
        _categories.Clear();
        if (Profiled)
        {
            Profile!.Reset();
        }
    }

    public FeatureStatistics Snapshot() => new(
        Name,
        Kind,
        IsSensitive,
        WindowCount,
        WindowMissing,
        Kind == FeatureKind.Numerical && WindowCount > 0 ? WindowSum / WindowCount : double.NaN,
        Kind == FeatureKind.Numerical && WindowCount > 0 ? WindowMin : double.NaN,
        Kind == FeatureKind.Numerical && WindowCount > 0 ? WindowMax : double.NaN,
        Categories());

    private IReadOnlyDictionary<string, long> Categories()
    {
        if (Profiled && Profile!.Categories is { } counter)
        {
            IReadOnlyList<KeyValuePair<string, long>> counts = counter.GetCounts();
            return counts.Count == 0 ? EmptyCategories : counts.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        }

        return _categories.Count == 0 ? EmptyCategories : new Dictionary<string, long>(_categories, StringComparer.Ordinal);
    }

    private static readonly IReadOnlyDictionary<string, long> EmptyCategories = new Dictionary<string, long>();
}
