using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using ModelMonitoring.Outliers;
using ModelMonitoring.Runtime;
using ModelMonitoring.Quality;
using ModelMonitoring.Sketches;
using ModelMonitoring.Statistics;

namespace ModelMonitoring;

/// <summary>
/// The runtime's built-in quality monitor, a row consumer on the folder thread. For every successful row with features it
/// scores the numerical inputs with the model's isolation forest (allocation-free) and counts each feature's missing,
/// out-of-range and unseen values into the open window of the model and of the row's segment; when the runtime closes a
/// window it publishes a <see cref="WindowQuality"/> for it and rebinds the next window to the key's reference.
/// </summary>
/// <remarks>
/// <para>
/// <b>References.</b> Range and categories come from the key's drift reference (the baseline, or the model's or segment's
/// first window), and nothing but missing values is counted before one exists. The isolation forest and robust z-scores
/// come from the baseline's outlier profile (<see cref="BaselineProfile.Outliers"/>); without one, they are fitted on the
/// model's first window, from a sample of at most <see cref="MaxFitRows"/> rows. Segments are scored with the model's
/// forest (or, with <see cref="ModelMonitoringOptions.SegmentOutlierForests"/>, with their own, fitted on their first
/// window), and checked against their own reference.
/// </para>
/// <para>
/// <b>Memory</b> is bounded: per model, one counter per feature per key (segments bounded by
/// <see cref="ModelMonitoringOptions.MaxSegments"/>), the forest, and the fitting sample until the forest exists.
/// </para>
/// <para>
/// <b>Window alignment.</b> The folder calls <see cref="OnWindowClosed"/> before it hands the consumers the row that filled
/// the window; when the window holds one row more than was counted here, the result is published after that row.
/// </para>
/// </remarks>
internal sealed partial class QualityMonitor : IPredictionRowConsumer, IModelSignalSource
{
    /// <summary>The most rows of the first window kept to fit the isolation forest on (reservoir-sampled beyond).</summary>
    public const int MaxFitRows = 4096;

    /// <summary>
    /// How a forest fitted on a reference is grown: scikit-learn's defaults, with the threshold that flags 1 % of the
    /// reference's rows. scikit-learn's <c>auto</c> (0.5) flags 10 % to 25 % of ordinary data, which would leave the
    /// outlier ratio above any alert threshold; 1 % keeps it near 0.01 while the data looks like the reference.
    /// </summary>
    public static readonly IsolationForestOptions ReferenceForest = new() { Contamination = OutlierContamination.Of(0.01) };

    /// <summary>Outliers logged per window: the first ones, then one in <see cref="OutlierLogEvery"/>.</summary>
    public const int OutlierLogFirst = 3;

    /// <summary>After the first <see cref="OutlierLogFirst"/> outliers of a window, one in this many is logged.</summary>
    public const int OutlierLogEvery = 100;

    private readonly ModelMonitoringRuntime _runtime;
    private readonly Dictionary<ModelMonitor, ModelQuality> _models = new(ReferenceEqualityComparer.Instance);
    private ModelQuality? _lastState; // the state of the last row's model: rows come in runs of one model
    private readonly ConcurrentDictionary<(string Model, string Segment), OutlierTotal> _totals = new();
    private int _instrumentsCreated;

    public QualityMonitor(ModelMonitoringRuntime runtime) => _runtime = runtime;

    public void OnRow(in PredictionRow row)
    {
        if (!row.HasFeatures || row.Outcome != PredictionOutcome.Success)
        {
            return;
        }

        EnsureInstruments();
        ModelMonitor model = row.Model;
        ModelQuality? state = _lastState;
        if (state is null || !ReferenceEquals(state.Model, model))
        {
            if (!_models.TryGetValue(model, out state))
            {
                state = new ModelQuality(model);
                _models[model] = state;
            }

            _lastState = state;
        }

        state.EnsureFeatures();
        KeyQuality modelKey = state.ModelKey;
        double rangeTolerance = _runtime.OptionsSnapshot.RangeTolerance;
        modelKey.BindIfNeeded(state, model.Windows.Model.Reference, rangeTolerance);
        KeyQuality? segmentKey = null;
        if (row.Segment is { } segment)
        {
            segmentKey = state.ForSegment(segment, _runtime.OptionsSnapshot);
            if (_runtime.OptionsSnapshot is { OutlierDetection: true, SegmentOutlierForests: true })
            {
                segmentKey.Own ??= new ModelQuality(model); // before the bind, so that a segment baseline's forest is adopted
                segmentKey.Own.EnsureFeatures();
            }

            segmentKey.BindIfNeeded(state, ReferenceOf(model, segmentKey.Segment), rangeTolerance);
        }

        // Outliers: one score per row, counted in the model's window and in the segment's (or, with
        // SegmentOutlierForests, a second score by the segment's own forest, counted in the segment's).
        bool outlierDetection = _runtime.OptionsSnapshot.OutlierDetection;
        bool segmentForests = outlierDetection && _runtime.OptionsSnapshot.SegmentOutlierForests && segmentKey is not null;
        if (!outlierDetection)
        {
            // Off: no score, no fitting sample.
        }
        else if (state.Forest is { } forest)
        {
            double score = state.Score(forest, in row);
            bool outlier = forest.IsOutlier(score);
            modelKey.CountScore(outlier);
            if (!segmentForests)
            {
                segmentKey?.CountScore(outlier);
            }

            if (outlier)
            {
                Total(model.Name, string.Empty).Add();
                if (segmentKey is not null && !segmentForests)
                {
                    Total(model.Name, segmentKey.Segment).Add();
                }

                if (modelKey.WindowOutliers <= OutlierLogFirst || modelKey.WindowOutliers % OutlierLogEvery == 0)
                {
                    LogOutlier(model, state, row.Segment, score, forest.Threshold);
                }
            }
        }
        else
        {
            state.AddToFitSample(in row);
        }

        if (segmentForests)
        {
            ScoreWithSegmentForest(model, segmentKey!, in row);
        }

        modelKey.CountRow(in row);
        segmentKey?.CountRow(in row);
        if (modelKey.PendingClose is { } modelClosed)
        {
            Publish(model, state, modelKey, modelClosed);
        }

        if (segmentKey?.PendingClose is { } segmentClosed)
        {
            Publish(model, state, segmentKey, segmentClosed);
        }
    }

    /// <summary>Scores a row with its segment's own forest, or keeps it to fit that forest on the segment's first window.</summary>
    private void ScoreWithSegmentForest(ModelMonitor model, KeyQuality segmentKey, in PredictionRow row)
    {
        ModelQuality own = segmentKey.Own ??= new ModelQuality(model);
        own.EnsureFeatures();
        if (own.Forest is not { } forest)
        {
            own.AddToFitSample(in row);
            return;
        }

        double score = own.Score(forest, in row);
        bool outlier = forest.IsOutlier(score);
        segmentKey.CountScore(outlier);
        if (outlier)
        {
            Total(model.Name, segmentKey.Segment).Add();
            if (segmentKey.WindowOutliers <= OutlierLogFirst || segmentKey.WindowOutliers % OutlierLogEvery == 0)
            {
                LogOutlier(model, own, segmentKey.Segment, score, forest.Threshold);
            }
        }
    }

    public void OnWindowClosed(ModelMonitor model, FeatureWindowSnapshot window)
    {
        if (!_models.TryGetValue(model, out ModelQuality? state))
        {
            state = new ModelQuality(model);
            _models[model] = state;
        }

        state.EnsureFeatures();
        KeyQuality key = window.Segment.Length == 0 ? state.ModelKey : state.ForSegment(window.Segment, _runtime.OptionsSnapshot);
        if (key.PendingClose is { } earlier)
        {
            Publish(model, state, key, earlier);
        }

        if (key.Rows == window.Rows - 1)
        {
            key.PendingClose = window; // the row that filled it comes next
        }
        else
        {
            Publish(model, state, key, window);
        }
    }

    public void AddSignals(ModelMonitor model, ICollection<ModelSignal> signals)
    {
        AddSignals(model.LatestQuality, null, signals);
        foreach (KeyValuePair<string, WindowQuality> segment in model.LatestSegmentQuality)
        {
            AddSignals(segment.Value, segment.Key, signals);
        }
    }

    private static void AddSignals(WindowQuality? quality, string? segment, ICollection<ModelSignal> signals)
    {
        if (quality is null)
        {
            return;
        }

        if (!double.IsNaN(quality.OutlierRatio))
        {
            signals.Add(new ModelSignal(ModelSignalNames.OutlierRatio, quality.OutlierRatio) { Segment = segment });
        }

        foreach (FeatureQuality feature in quality.Features)
        {
            Add(ModelSignalNames.MissingRatio, feature.MissingRatio);
            Add(ModelSignalNames.OutOfRangeRatio, feature.OutOfRangeRatio);
            Add(ModelSignalNames.UnseenCategoryRatio, feature.UnseenCategoryRatio);

            void Add(string name, double value)
            {
                if (!double.IsNaN(value))
                {
                    signals.Add(new ModelSignal(name, value) { Feature = feature.Name, Segment = segment });
                }
            }
        }
    }

    private static BaselineProfile? ReferenceOf(ModelMonitor model, string segment)
    {
        foreach (WindowState state in model.Windows.Segments)
        {
            if (string.Equals(state.Segment, segment, StringComparison.Ordinal))
            {
                return state.Reference;
            }
        }

        return null;
    }

    private void Publish(ModelMonitor model, ModelQuality state, KeyQuality key, FeatureWindowSnapshot window)
    {
        key.PendingClose = null;
        WindowQuality quality = key.ToResult(model.Name, window, key.Own is { } own && _runtime.OptionsSnapshot.SegmentOutlierForests ? own.Forest : state.Forest);
        if (key.Segment.Length == 0)
        {
            model.PublishQuality(quality);
            LogSummary(model, quality);

            // The first window fits the forest when the baseline brought none.
            if (state.Forest is null && _runtime.OptionsSnapshot.OutlierDetection)
            {
                state.FitFromSample(model);
            }
        }
        else
        {
            model.PublishSegmentQuality(key.Segment, quality);

            // The segment's first window fits its own forest (SegmentOutlierForests).
            if (key.Own is { Forest: null } unfitted && _runtime.OptionsSnapshot.OutlierDetection && _runtime.OptionsSnapshot.SegmentOutlierForests)
            {
                unfitted.FitFromSample(model);
            }
        }

        BaselineProfile? reference = key.Segment.Length == 0 ? model.Windows.Model.Reference : ReferenceOf(model, key.Segment);
        key.Bind(state, reference, _runtime.OptionsSnapshot.RangeTolerance);
    }

    private OutlierTotal Total(string model, string segment) => _totals.GetOrAdd((model, segment), static _ => new OutlierTotal());

    private void LogOutlier(ModelMonitor model, ModelQuality state, string? segment, double score, double threshold)
    {
        ILogger logger = _runtime.Logger;
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        // The feature furthest from the reference's median, by robust z-score: a name and a score, never a value.
        string feature = string.Empty;
        double furthest = 0;
        IReadOnlyList<RobustZScore> robust = state.Outliers!.RobustScores;
        for (int i = 0; i < robust.Count; i++)
        {
            double z = Math.Abs(robust[i].Score(state.RowBuffer[i]));
            if (z > furthest || (double.IsInfinity(z) && feature.Length == 0))
            {
                furthest = z;
                feature = state.Outliers.Features[i];
            }
        }

        using (logger.BeginScope(model.LogScope))
        {
            OutlierDetected(logger, model.Name, segment ?? string.Empty, score, threshold, feature, furthest);
        }
    }

    private void LogSummary(ModelMonitor model, WindowQuality quality)
    {
        ILogger logger = _runtime.Logger;
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var issues = new List<string>();
        foreach (FeatureQuality feature in quality.Features)
        {
            Add(feature.MissingRatio, "missing");
            Add(feature.OutOfRangeRatio, "out of range");
            Add(feature.UnseenCategoryRatio, "unseen");

            void Add(double ratio, string what)
            {
                if (ratio > 0)
                {
                    issues.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{feature.Name} {ratio:P1} {what}"));
                }
            }
        }

        string outliers = quality.ScoredRows > 0
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{quality.Outliers} outliers in {quality.ScoredRows} rows")
            : "no outlier reference yet";
        using (logger.BeginScope(model.LogScope))
        {
            QualitySummary(logger, model.Name, quality.Rows, quality.ReferenceSource, outliers, issues.Count == 0 ? "no missing, out-of-range or unseen values" : string.Join("; ", issues));
        }
    }

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Quality of model {Model}'s window of {Rows} rows against its reference ({ReferenceSource}): {Outliers}; {Issues}")]
    private static partial void QualitySummary(ILogger logger, string model, long rows, string referenceSource, string outliers, string issues);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Outlier in model {Model}{Segment}: isolation forest score {Score:F3} above {Threshold:F3}; furthest feature {Feature} (robust z {RobustZ:F1})")]
    private static partial void OutlierDetected(ILogger logger, string model, string segment, double score, double threshold, string feature, double robustZ);

    private void EnsureInstruments()
    {
        if (Volatile.Read(ref _instrumentsCreated) == 0 && Interlocked.Exchange(ref _instrumentsCreated, 1) == 0)
        {
            QualityInstruments.Create(_runtime, _totals);
        }
    }

    /// <summary>A cumulative outlier count, written by the folder, read at collection.</summary>
    internal sealed class OutlierTotal
    {
        private long _value;

        public long Value => Volatile.Read(ref _value);

        public void Add() => Volatile.Write(ref _value, _value + 1);
    }

    /// <summary>One model's quality state. Folder only.</summary>
    private sealed class ModelQuality(ModelMonitor model)
    {
        private readonly Dictionary<string, KeyQuality> _segments = new(StringComparer.Ordinal);
        private double[][]? _sample;
        private int[] _sampleFeatures = [];
        private long _sampleSeen;
        private Random? _sampleRandom;

        public ModelMonitor Model { get; } = model;

        public KeyQuality ModelKey { get; } = new(string.Empty);

        public FeatureDescriptor[] Features { get; private set; } = [];

        public OutlierProfile? Outliers { get; private set; }

        public IsolationForest? Forest => Outliers?.Forest;

        public string OutliersSource { get; private set; } = "none";

        /// <summary>For each forest feature, its index among the model's features (−1 when the model lacks it).</summary>
        public int[] ForestFeatures { get; private set; } = [];

        public double[] RowBuffer { get; private set; } = [];

        public IEnumerable<KeyQuality> Keys => _segments.Values.Prepend(ModelKey);

        public void EnsureFeatures()
        {
            IReadOnlyList<FeatureDescriptor> current = Model.Features;
            if (current.Count == Features.Length)
            {
                return;
            }

            Features = [.. current];
            _sample = null; // its columns were picked by the old feature indexes: sample again
            foreach (KeyQuality key in Keys)
            {
                key.Invalidate();
            }

            if (Outliers is not null)
            {
                UseOutliers(Outliers, OutliersSource);
            }
        }

        /// <summary>The segment's key, with the folder's rule: truncated as it truncates, overflow to <c>__other__</c>.</summary>
        public KeyQuality ForSegment(string segment, ModelMonitoringOptions options)
        {
            string key = segment.Length > options.MaxCategoryLength ? segment[..options.MaxCategoryLength] : segment;
            if (_segments.TryGetValue(key, out KeyQuality? state))
            {
                return state;
            }

            if (_segments.Count >= options.MaxSegments - 1 && !string.Equals(key, WindowSet.OtherSegment, StringComparison.Ordinal))
            {
                key = WindowSet.OtherSegment;
                if (_segments.TryGetValue(key, out state))
                {
                    return state;
                }
            }

            state = new KeyQuality(key);
            _segments[key] = state;
            return state;
        }

        public void UseOutliers(OutlierProfile outliers, string source)
        {
            Outliers = outliers;
            OutliersSource = source;
            ForestFeatures = outliers.Features.Select(name => Array.FindIndex(Features, f => f.Name == name && f.Kind == FeatureKind.Numerical)).ToArray();
            RowBuffer = new double[outliers.Features.Count];
            _sample = null;
        }

        /// <summary>Keeps the numerical inputs of a row for fitting (a reservoir of <see cref="MaxFitRows"/> rows).</summary>
        public void AddToFitSample(in PredictionRow row)
        {
            if (_sample is null)
            {
                _sampleFeatures = Enumerable.Range(0, Features.Length)
                    .Where(i => Features[i] is { Kind: FeatureKind.Numerical, IsSensitive: false, Source: FeatureSource.Input })
                    .ToArray();
                if (_sampleFeatures.Length == 0)
                {
                    return;
                }

                _sample = _sampleFeatures.Select(_ => new double[MaxFitRows]).ToArray();
                _sampleSeen = 0;
            }

            long slot = _sampleSeen++;
            if (slot >= MaxFitRows)
            {
                _sampleRandom ??= new Random(0);
                slot = _sampleRandom.NextInt64(_sampleSeen);
                if (slot >= MaxFitRows)
                {
                    return;
                }
            }

            for (int f = 0; f < _sampleFeatures.Length; f++)
            {
                _sample[f][slot] = row.TryGetNumber(_sampleFeatures[f], out double value) ? value : double.NaN;
            }
        }

        public void FitFromSample(ModelMonitor model)
        {
            if (_sample is null || _sampleSeen < 2)
            {
                return;
            }

            int rows = (int)Math.Min(_sampleSeen, MaxFitRows);
            double[][] columns = _sample.Select(c => c.AsSpan(0, rows).ToArray()).ToArray();
            string[] names = _sampleFeatures.Select(i => Features[i].Name).ToArray();
            try
            {
                UseOutliers(OutlierProfile.Fit(names, columns, ReferenceForest), "first_window");
            }
            catch (ArgumentException exception)
            {
                model.RecordMonitoringFailure(MonitoringStage.Consume, exception);
                _sample = null;
            }
        }

        /// <summary>The forest's score of a row: its numbers in the forest's feature order (NaN when the row lacks one).</summary>
        public double Score(IsolationForest forest, in PredictionRow row)
        {
            double[] buffer = RowBuffer;
            int[] map = ForestFeatures;
            for (int i = 0; i < map.Length; i++)
            {
                buffer[i] = map[i] >= 0 && row.TryGetNumber(map[i], out double value) ? value : double.NaN;
            }

            return forest.Score(buffer);
        }

        /// <summary>The robust z-score of a model feature, from the outlier profile, if it has one.</summary>
        public RobustZScore? RobustOf(string feature)
        {
            if (Outliers is null)
            {
                return null;
            }

            int index = Outliers.IndexOf(feature);
            return index >= 0 ? Outliers.RobustScores[index] : null;
        }

        public void AdoptBaselineOutliers(BaselineProfile? reference)
        {
            if (reference?.Outliers is { } outliers && !ReferenceEquals(outliers, Outliers))
            {
                UseOutliers(outliers, "baseline");
            }
        }
    }

    /// <summary>The counts of one key's open window (the model's or a segment's). Folder only.</summary>
    private sealed class KeyQuality(string segment)
    {
        private FeatureQualityCounter?[] _counters = [];
        private FeatureQualityCounter?[] _numberCounters = [];
        private FeatureQualityCounter?[] _labelCounters = [];
        private MethodRecorder? _mappedRecorder;
        private int[]? _mappedNumberFeatures;
        private int[]? _mappedLabelFeatures;
        private bool _bound;
        private string _referenceSource = "none";

        public string Segment { get; } = segment;

        public long Rows { get; private set; }

        public long Scored { get; private set; }

        public long WindowOutliers { get; private set; }

        public FeatureWindowSnapshot? PendingClose { get; set; }

        /// <summary>A segment's own outlier state (forest, robust z-scores, fitting sample), with <see cref="ModelMonitoringOptions.SegmentOutlierForests"/>.</summary>
        public ModelQuality? Own { get; set; }

        public void Invalidate() => _bound = false;

        public void BindIfNeeded(ModelQuality state, BaselineProfile? reference, double rangeTolerance)
        {
            if (!_bound)
            {
                Bind(state, reference, rangeTolerance, keepCounts: Rows > 0);
            }
        }

        /// <summary>Starts the next window against <paramref name="reference"/>, its range widened by <paramref name="rangeTolerance"/> (<see cref="ModelMonitoringOptions.RangeTolerance"/>).</summary>
        public void Bind(ModelQuality state, BaselineProfile? reference, double rangeTolerance, bool keepCounts = false)
        {
            if (Segment.Length == 0)
            {
                state.AdoptBaselineOutliers(reference);
            }
            else
            {
                Own?.AdoptBaselineOutliers(reference);
            }

            ModelQuality robust = Own is { Outliers: not null } own ? own : state;

            FeatureDescriptor[] features = state.Features;
            FeatureQualityCounter?[] previous = _counters;
            var counters = new FeatureQualityCounter?[features.Length];
            for (int i = 0; i < features.Length; i++)
            {
                FeatureDescriptor feature = features[i];
                ColumnType type = feature.Kind == FeatureKind.Numerical ? ColumnType.Numerical : ColumnType.Categorical;
                FeatureQualityReference? check = null;
                if (!feature.IsSensitive && reference?.Features.FirstOrDefault(p => p.Name == feature.Name && p.Type == type) is { } profile)
                {
                    check = FeatureQualityReference.FromProfile(profile, rangeTolerance, type == ColumnType.Numerical ? robust.RobustOf(feature.Name) : null);
                }

                FeatureQualityCounter? old = Array.Find(previous, c => c is not null && c.Name == feature.Name && c.Type == type);
                if (keepCounts && old is not null)
                {
                    counters[i] = old; // the features grew mid-window: keep what was counted
                    continue;
                }

                FeatureQualityCounter counter = old ?? new FeatureQualityCounter(feature.Name, type, check, RobustZScore.DefaultThreshold, feature.IsSensitive ? 0 : 5);
                counter.Reset(check);
                counters[i] = counter;
            }

            _counters = counters;
            _mappedRecorder = null; // the slot map points at the previous counters
            _referenceSource = reference is null ? "none" : reference.Outliers is not null || ReferenceIsBaseline(state, reference) ? "baseline" : "first_window";
            if (!keepCounts)
            {
                Rows = Scored = WindowOutliers = 0;
            }

            _bound = true;
        }

        public void CountScore(bool outlier)
        {
            Scored++;
            if (outlier)
            {
                WindowOutliers++;
            }
        }

        /// <summary>
        /// Counts a successful row with features. The slots of the row's ring are read directly, through a map from
        /// each slot to its feature's counter built once per method: a numerical counter takes its number slot, a
        /// categorical one its label slot (as before this map, a number declared categorical is not counted here).
        /// </summary>
        public void CountRow(in PredictionRow row)
        {
            Rows++;
            MethodRecorder recorder = row.Recorder;
            if (!ReferenceEquals(recorder, _mappedRecorder) || !ReferenceEquals(recorder.NumberFeatures, _mappedNumberFeatures)
                || !ReferenceEquals(recorder.LabelFeatures, _mappedLabelFeatures))
            {
                MapSlots(recorder);
            }

            FeatureQualityCounter?[] numberCounters = _numberCounters;
            double[] numbers = recorder.Numbers;
            int numberOffset = row.Index * recorder.NumberWidth;
            for (int slot = 0; slot < numberCounters.Length; slot++)
            {
                numberCounters[slot]?.AddNumber(numbers[numberOffset + slot]);
            }

            FeatureQualityCounter?[] labelCounters = _labelCounters;
            string?[] labels = recorder.Labels;
            int labelOffset = row.Index * recorder.LabelWidth;
            for (int slot = 0; slot < labelCounters.Length; slot++)
            {
                labelCounters[slot]?.AddLabel(labels[labelOffset + slot]);
            }
        }

        private void MapSlots(MethodRecorder recorder)
        {
            int[] numberFeatures = recorder.NumberFeatures;
            int[] labelFeatures = recorder.LabelFeatures;
            _numberCounters = numberFeatures.Select(f => CounterOf(f, ColumnType.Numerical)).ToArray();
            _labelCounters = labelFeatures.Select(f => CounterOf(f, ColumnType.Categorical)).ToArray();
            _mappedRecorder = recorder;
            _mappedNumberFeatures = numberFeatures;
            _mappedLabelFeatures = labelFeatures;

            FeatureQualityCounter? CounterOf(int feature, ColumnType type) =>
                feature >= 0 && feature < _counters.Length && _counters[feature] is { } counter && counter.Type == type ? counter : null;
        }

        public WindowQuality ToResult(string model, FeatureWindowSnapshot window, IsolationForest? forest) => new(model, Segment, window.Start, window.End, Rows)
        {
            ScoredRows = Scored,
            Outliers = WindowOutliers,
            OutlierThreshold = forest?.Threshold ?? double.NaN,
            ReferenceSource = _referenceSource,
            Features = _counters.OfType<FeatureQualityCounter>().Select(c => c.ToResult()).ToArray(),
        };

        private bool ReferenceIsBaseline(ModelQuality state, BaselineProfile reference)
        {
            WindowState? windows = Segment.Length == 0
                ? state.Model.Windows.Model
                : state.Model.Windows.Segments.FirstOrDefault(s => string.Equals(s.Segment, Segment, StringComparison.Ordinal));
            return windows is { ReferenceIsBaseline: true } && ReferenceEquals(windows.Reference, reference);
        }
    }
}
