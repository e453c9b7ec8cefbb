using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using ModelMonitoring.Detectors;
using ModelMonitoring.Performance;
using ModelMonitoring.Runtime;

namespace ModelMonitoring;

/// <summary>
/// The built-in performance monitor: keeps keyed predictions until their outcome arrives
/// (<see cref="ModelMonitor.RecordOutcome(PredictionKey, double)"/>), computes the realized performance of each window
/// (and segment window), estimates it without outcomes (CBPE) once the first outcomes calibrated the scores, and runs
/// concept-drift detectors on the error stream. A row consumer of every runtime, first in line.
/// </summary>
internal sealed class PerformanceMonitor : IPredictionRowConsumer, IModelSignalSource
{
    private readonly ModelMonitoringRuntime _runtime;
    private readonly ConcurrentDictionary<ModelMonitor, ModelPerformance> _models = new(ReferenceEqualityComparer.Instance);
    private int _instrumentsCreated;

    public PerformanceMonitor(ModelMonitoringRuntime runtime) => _runtime = runtime;

    internal IEnumerable<ModelPerformance> Models => _models.Values;

    public void OnRow(in PredictionRow row)
    {
        if (row.Outcome != PredictionOutcome.Success || !row.HasFeatures)
        {
            return;
        }

        ModelPerformance? performance = For(row.Model);
        performance?.OnRow(in row);
    }

    public void OnWindowClosed(ModelMonitor model, FeatureWindowSnapshot window)
    {
        if (_models.TryGetValue(model, out ModelPerformance? performance))
        {
            performance.OnWindowClosed(window);
        }
    }

    public void AddSignals(ModelMonitor model, ICollection<ModelSignal> signals)
    {
        if (!_models.TryGetValue(model, out ModelPerformance? performance))
        {
            return;
        }

        foreach (ModelPerformanceReport report in performance.LatestReports)
        {
            foreach ((string metric, double value) in report.Metrics)
            {
                signals.Add(new ModelSignal(ModelSignalNames.Performance, value) { Metric = metric, Segment = NullIfEmpty(report.Segment) });
            }
        }

        foreach (ModelPerformanceEstimate estimate in performance.LatestEstimates)
        {
            foreach (EstimatedMetric metric in estimate.Metrics)
            {
                if (!double.IsNaN(metric.Estimate))
                {
                    signals.Add(new ModelSignal(ModelSignalNames.EstimatedPerformance, metric.Estimate) { Metric = metric.Metric, Segment = NullIfEmpty(estimate.Segment) });
                }
            }
        }

        foreach ((string detector, long detections) in performance.Detections)
        {
            signals.Add(new ModelSignal(ModelSignalNames.ConceptDriftDetections, detections) { Metric = detector });
        }
    }

    /// <summary>Joins an outcome to its prediction, or keeps it until the prediction arrives. True when joined now.</summary>
    public bool RecordOutcome(ModelMonitor model, PredictionKey key, string? label, double number)
    {
        if (key.IsEmpty)
        {
            throw new ArgumentException($"The outcome of model '{model.Name}' has an empty key; pass the value of its [PredictionKey] member.", nameof(key));
        }

        ModelPerformance performance = For(model)
            ?? throw new InvalidOperationException($"Model '{model.Name}' has no prediction feature to compare outcomes with (is its prediction [Sensitive], or ignored?).");
        return performance.RecordOutcome(key, label, number, _runtime.TimeProvider.GetUtcNow());
    }

    public ModelPerformance? Find(ModelMonitor model) => _models.TryGetValue(model, out ModelPerformance? performance) ? performance : null;

    /// <summary>The model's performance state, created on first use; null when the model has no prediction to score.</summary>
    private ModelPerformance? For(ModelMonitor model)
    {
        if (_models.TryGetValue(model, out ModelPerformance? existing))
        {
            return existing;
        }

        if (ModelPerformance.Create(model, _runtime) is not { } created)
        {
            return null;
        }

        if (Interlocked.Exchange(ref _instrumentsCreated, 1) == 0)
        {
            PerformanceInstruments.Create(_runtime.Meter, this);
        }

        return _models.GetOrAdd(model, created);
    }

    private static string? NullIfEmpty(string segment) => segment.Length == 0 ? null : segment;
}

/// <summary>The performance state of one model: the join, the window accumulators, the detectors and CBPE.</summary>
internal sealed class ModelPerformance
{
    private const int MaxLabels = 1_000;
    private const int MaxScoredRowsPerWindow = 100_000;

    private readonly object _lock = new();
    private readonly ModelMonitoringRuntime _runtime;
    private readonly PendingMap<Pending> _pending;
    private readonly PendingMap<Outcome> _early;
    private readonly Dictionary<string, string> _labels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _segments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Accumulator> _accumulators = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ScoredRows> _scored = new(StringComparer.Ordinal); // folder only
    private readonly ConcurrentDictionary<string, ModelPerformanceReport> _latest = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ModelPerformanceEstimate> _latestEstimates = new(StringComparer.Ordinal);
    private readonly IChangeDetector[] _detectors;
    private readonly long[] _detections;
    private readonly ScoredRows _reference = new();
    private readonly List<string> _referenceActual = [];
    private int _referenceSize;
    private readonly int _segmentReferenceSize;
    private readonly Dictionary<string, SegmentCalibration> _segmentCalibrations = new(StringComparer.Ordinal); // under _lock
    private CbpeEstimator? _estimator;
    private string? _referencePositive;
    private long _joined;
    private long _expired;
    private long _evicted;
    private long _unknown;

    private ModelPerformance(ModelMonitor model, ModelMonitoringRuntime runtime, int prediction, List<int> scores)
    {
        Model = model;
        _runtime = runtime;
        PredictionFeature = prediction;
        FeatureDescriptor descriptor = model.Features[prediction];
        IsClassification = descriptor.Kind == FeatureKind.Categorical || descriptor.Storage == FeatureStorage.Label;

        // One [PredictionScore] per class, each naming its label, is a multiclass probability vector; else the first
        // score is the probability of the positive label of a binary task.
        string?[] labels = [.. scores.Select(s => model.Features[s].PositiveLabel)];
        if (IsClassification && scores.Count > 1 && labels.All(l => l is not null) && labels.Distinct(StringComparer.Ordinal).Count() == labels.Length)
        {
            ClassScoreFeatures = [.. scores];
            Classes = labels!;
            ScoreFeature = -1;
        }
        else
        {
            ScoreFeature = scores.Count > 0 ? scores[0] : -1;
        }

        PositiveLabel = ScoreFeature >= 0 ? model.Features[ScoreFeature].PositiveLabel : null;
        ModelMonitoringOptions options = runtime.OptionsSnapshot;
        _pending = new PendingMap<Pending>(options.MaxPendingOutcomes);
        _early = new PendingMap<Outcome>(options.MaxPendingOutcomes);
        _referenceSize = options.ReferenceSize > 0 ? options.ReferenceSize : options.WindowSize;
        _segmentReferenceSize = _referenceSize;
        _detectors = IsClassification ? [new Adwin(), new PageHinkley(), new Ddm()] : [new Adwin(), new PageHinkley()];
        _detections = new long[_detectors.Length];
    }

    public ModelMonitor Model { get; }

    public int PredictionFeature { get; }

    public int ScoreFeature { get; }

    /// <summary>The <c>[PredictionScore]</c> features of a multiclass model, one per class of <see cref="Classes"/>; null otherwise.</summary>
    public int[]? ClassScoreFeatures { get; }

    /// <summary>The classes whose probabilities <see cref="ClassScoreFeatures"/> hold, in the same order; null otherwise.</summary>
    public string[]? Classes { get; }

    public bool IsClassification { get; }

    public string? PositiveLabel { get; }

    public string Task => IsClassification ? "classification" : "regression";

    public IEnumerable<ModelPerformanceReport> LatestReports => _latest.Values;

    public IEnumerable<ModelPerformanceEstimate> LatestEstimates => _latestEstimates.Values;

    public ModelPerformanceReport? LatestReport(string segment) => _latest.GetValueOrDefault(segment);

    public ModelPerformanceEstimate? LatestEstimate(string segment) => _latestEstimates.GetValueOrDefault(segment);

    public IEnumerable<(string Detector, long Detections)> Detections =>
        _detectors.Select((d, i) => (d.Name, Interlocked.Read(ref _detections[i])));

    /// <summary>The slots of the two join maps (predictions waiting, outcomes waiting), for tests of their bound.</summary>
    internal (int Predictions, int Outcomes) JoinSlots
    {
        get
        {
            lock (_lock)
            {
                return (_pending.Slots, _early.Slots);
            }
        }
    }

    public OutcomeCounts Counts
    {
        get
        {
            lock (_lock)
            {
                return new OutcomeCounts(_joined, _expired, _evicted, _unknown, _pending.Count);
            }
        }
    }

    /// <summary>The state of a model whose prediction can be scored (a non-sensitive prediction feature that is not the score); else null.</summary>
    public static ModelPerformance? Create(ModelMonitor model, ModelMonitoringRuntime runtime)
    {
        IReadOnlyList<FeatureDescriptor> features = model.Features;
        int prediction = -1;
        var scores = new List<int>();
        for (int i = 0; i < features.Count; i++)
        {
            FeatureDescriptor feature = features[i];
            if (feature.Source != FeatureSource.Prediction || feature.IsSensitive)
            {
                continue;
            }

            if (feature.IsPredictionScore)
            {
                scores.Add(i);
            }
            else if (prediction < 0)
            {
                prediction = i;
            }
        }

        return prediction < 0 ? null : new ModelPerformance(model, runtime, prediction, scores);
    }

    /// <summary>A successful row, on the folder thread: its scores for CBPE, and its key kept for the join.</summary>
    public void OnRow(in PredictionRow row)
    {
        string? label = null;
        double number = double.NaN;
        bool read = IsClassification ? ReadLabel(in row, out label) : row.TryGetNumber(PredictionFeature, out number);
        if (!read || (IsClassification ? label is null : double.IsNaN(number)))
        {
            return;
        }

        double score = double.NaN;
        if (ScoreFeature >= 0 && row.TryGetNumber(ScoreFeature, out double s))
        {
            score = s;
        }

        string segment = row.Segment is { } value ? Segment(value) : string.Empty;
        if (IsClassification && !double.IsNaN(score))
        {
            AddScored(string.Empty, score, label!);
            if (segment.Length > 0)
            {
                AddScored(segment, score, label!);
            }
        }

        if (row.Key.IsEmpty)
        {
            return;
        }

        var pending = new Pending(segment, label, number, score, ClassScoreFeatures is null ? null : ReadProbabilities(in row));
        lock (_lock)
        {
            Expire(row.Timestamp);
            if (_early.TryRemove(row.Key, out Outcome outcome, out _))
            {
                Join(pending, outcome);
            }
            else
            {
                _evicted += _pending.Add(row.Key, row.Timestamp, pending);
            }
        }
    }

    public bool RecordOutcome(PredictionKey key, string? label, double number, DateTimeOffset now)
    {
        Outcome outcome;
        if (IsClassification)
        {
            string actual = label ?? (double.IsNaN(number) ? throw new ArgumentException($"The outcome of model '{Model.Name}' is missing (NaN).", nameof(number)) : number.ToString(CultureInfo.InvariantCulture));
            outcome = new Outcome(Intern(actual), double.NaN);
        }
        else
        {
            double actual = number;
            if (label is not null && !double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out actual))
            {
                throw new ArgumentException($"Model '{Model.Name}' is a regression (its prediction is numerical), so its outcome must be a number; '{label}' is not.", nameof(label));
            }

            if (!double.IsFinite(actual))
            {
                throw new ArgumentException($"The outcome of model '{Model.Name}' must be a finite number (was {actual}).", nameof(number));
            }

            outcome = new Outcome(null, actual);
        }

        lock (_lock)
        {
            Expire(now);
            if (_pending.TryRemove(key, out Pending pending, out _))
            {
                Join(pending, outcome);
                return true;
            }

            _unknown += _early.Add(key, now, outcome);
            return false;
        }
    }

    /// <summary>On the folder thread: publishes the window's realized and estimated performance.</summary>
    public void OnWindowClosed(FeatureWindowSnapshot window)
    {
        ModelPerformanceReport? report = null;
        lock (_lock)
        {
            Expire(window.End);
            if (_accumulators.TryGetValue(window.Segment, out Accumulator? accumulator) && accumulator.Rows > 0)
            {
                report = new ModelPerformanceReport(Model.Name, window.Segment, window.End, Task, accumulator.Rows, accumulator.ToMetrics(IsClassification, PositiveLabel, Classes));
                accumulator.Clear();
            }
        }

        if (report is not null)
        {
            _latest[window.Segment] = report;
            PerformanceLog.PerformanceMeasured(_runtime.Logger, Model.Name, window.Segment.Length == 0 ? string.Empty : $" (segment {window.Segment})", report.Outcomes, string.Join(", ", report.Metrics.Select(m => $"{m.Key} {m.Value:G4}")));
        }

        if (_scored.TryGetValue(window.Segment, out ScoredRows? scored) && scored.Count > 0)
        {
            // A segment is estimated with its own calibration once its first outcomes fitted one, else with the model's.
            (CbpeEstimator Estimator, string Positive)? own = null;
            if (window.Segment.Length > 0)
            {
                lock (_lock)
                {
                    if (_segmentCalibrations.TryGetValue(window.Segment, out SegmentCalibration? calibration) && calibration.Estimator is { } fitted)
                    {
                        own = (fitted, calibration.Positive!);
                    }
                }
            }

            if ((own ?? (Volatile.Read(ref _estimator) is { } estimator && _referencePositive is { } positive ? (estimator, positive) : null)) is { } chosen)
            {
                CbpeEstimate estimate = chosen.Estimator.Estimate(scored.Scores, [.. scored.Labels.Select(l => string.Equals(l, chosen.Positive, StringComparison.Ordinal))]);
                _latestEstimates[window.Segment] = new ModelPerformanceEstimate(Model.Name, window.Segment, window.End, estimate.Rows, estimate.Metrics)
                {
                    Reference = own is null ? "model" : "segment",
                };
            }

            scored.Clear();
        }
    }

    private void Join(Pending pending, Outcome outcome)
    {
        _joined++;
        AddTo(string.Empty, pending, outcome);
        if (pending.Segment.Length > 0)
        {
            AddTo(pending.Segment, pending, outcome);
        }

        double error = IsClassification
            ? (string.Equals(outcome.Label, pending.Label, StringComparison.Ordinal) ? 0 : 1)
            : Math.Abs(outcome.Number - pending.Number);
        for (int i = 0; i < _detectors.Length; i++)
        {
            if (_detectors[i].Update(error))
            {
                Interlocked.Increment(ref _detections[i]);
                PerformanceLog.ConceptDrift(_runtime.Logger, Model.Name, _detectors[i].Name, _joined, IsClassification ? "error rate" : "absolute error");
            }
        }

        if (IsClassification && _estimator is null && !double.IsNaN(pending.Score))
        {
            _reference.Add(pending.Score, pending.Label!);
            _referenceActual.Add(outcome.Label!);
            if (_reference.Count >= _referenceSize)
            {
                FitEstimator();
            }
        }

        if (IsClassification && pending.Segment.Length > 0 && !double.IsNaN(pending.Score))
        {
            AddSegmentReference(pending, outcome);
        }
    }

    /// <summary>Keeps a segment's first scored outcomes, and fits the segment's own CBPE calibration once there are enough.</summary>
    private void AddSegmentReference(Pending pending, Outcome outcome)
    {
        if (!_segmentCalibrations.TryGetValue(pending.Segment, out SegmentCalibration? calibration))
        {
            calibration = new SegmentCalibration();
            _segmentCalibrations[pending.Segment] = calibration;
        }

        if (calibration.Done)
        {
            return;
        }

        calibration.Reference.Add(pending.Score, pending.Label!);
        calibration.Actual.Add(outcome.Label!);
        if (calibration.Reference.Count < _segmentReferenceSize)
        {
            return;
        }

        var labels = new SortedSet<string>(calibration.Reference.Labels.Concat(calibration.Actual), StringComparer.Ordinal);
        string? positive = PositiveLabel ?? _referencePositive ?? (labels.Count == 2 ? labels.Max : null);
        if (positive is not null && labels.Count <= 2)
        {
            try
            {
                calibration.Estimator = CbpeEstimator.Fit(calibration.Reference.Scores, [.. calibration.Actual.Select(a => a == positive)],
                    [.. calibration.Reference.Labels.Select(l => l == positive)], chunkSize: Math.Max(2, calibration.Reference.Count / 5));
                calibration.Positive = positive;
            }
            catch (ArgumentException)
            {
                // Not calibratable (no score in range): the segment keeps the model's calibration.
            }
        }

        calibration.Done = true;
        calibration.Reference.Clear();
        calibration.Actual.Clear();
    }

    private void FitEstimator()
    {
        var labels = new SortedSet<string>(_reference.Labels.Concat(_referenceActual), StringComparer.Ordinal);
        string? positive = PositiveLabel ?? (labels.Count == 2 ? labels.Max : null);
        if (positive is not null && labels.Count <= 2)
        {
            _referencePositive = positive;
            Volatile.Write(ref _estimator, CbpeEstimator.Fit(_reference.Scores, [.. _referenceActual.Select(a => a == positive)],
                [.. _reference.Labels.Select(l => l == positive)], chunkSize: Math.Max(2, _reference.Count / 5)));
        }
        else
        {
            Volatile.Write(ref _estimator, null); // not binary: no estimate; stop collecting
            _referenceSize = int.MaxValue;
        }

        _reference.Clear();
        _referenceActual.Clear();
    }

    private void AddTo(string segment, Pending pending, Outcome outcome)
    {
        if (!_accumulators.TryGetValue(segment, out Accumulator? accumulator))
        {
            accumulator = new Accumulator();
            _accumulators[segment] = accumulator;
        }

        accumulator.Add(pending, outcome);
    }

    private void AddScored(string segment, double score, string label)
    {
        if (!_scored.TryGetValue(segment, out ScoredRows? rows))
        {
            rows = new ScoredRows();
            _scored[segment] = rows;
        }

        if (rows.Count < MaxScoredRowsPerWindow)
        {
            rows.Add(score, label);
        }
    }

    private void Expire(DateTimeOffset now)
    {
        DateTimeOffset oldest = now - _runtime.OptionsSnapshot.OutcomeTimeToLive;
        _expired += _pending.Expire(oldest);
        _unknown += _early.Expire(oldest);
    }

    /// <summary>The row's probability of each class (clamped to [0, 1]), or null when one is missing.</summary>
    private double[]? ReadProbabilities(in PredictionRow row)
    {
        int[] features = ClassScoreFeatures!;
        var probabilities = new double[features.Length];
        for (int c = 0; c < features.Length; c++)
        {
            if (!row.TryGetNumber(features[c], out double p) || double.IsNaN(p))
            {
                return null;
            }

            probabilities[c] = Math.Clamp(p, 0, 1);
        }

        return probabilities;
    }

    private bool ReadLabel(in PredictionRow row, out string? label)
    {
        label = null;
        if (Model.Features[PredictionFeature].Storage == FeatureStorage.Number)
        {
            if (!row.TryGetNumber(PredictionFeature, out double number))
            {
                return false;
            }

            label = double.IsNaN(number) ? null : Intern(number.ToString(CultureInfo.InvariantCulture));
            return true;
        }

        if (!row.TryGetLabel(PredictionFeature, out string? value))
        {
            return false;
        }

        label = value is null ? null : Intern(value);
        return true;
    }

    /// <summary>A bounded copy of a label, so that a caller's string is never kept (the folder's and outcome callers' threads share it).</summary>
    private string Intern(string value)
    {
        lock (_labels)
        {
            if (_labels.TryGetValue(value, out string? interned))
            {
                return interned;
            }

            if (_labels.Count >= MaxLabels)
            {
                return WindowSet.OtherSegment;
            }

            string copy = new(value.AsSpan());
            _labels[copy] = copy;
            return copy;
        }
    }

    /// <summary>The segment value as the folder bounds it: the first <see cref="ModelMonitoringOptions.MaxSegments"/> − 1 values, then <c>__other__</c>. Folder only.</summary>
    private string Segment(string value)
    {
        if (_segments.TryGetValue(value, out string? segment))
        {
            return segment;
        }

        if (_segments.Count >= _runtime.OptionsSnapshot.MaxSegments - 1)
        {
            return WindowSet.OtherSegment;
        }

        string copy = new(value.AsSpan());
        _segments[copy] = copy;
        return copy;
    }

    private readonly record struct Pending(string Segment, string? Label, double Number, double Score, double[]? Probabilities);

    private readonly record struct Outcome(string? Label, double Number);

    /// <summary>The joined outcomes of one window of one key.</summary>
    private sealed class Accumulator
    {
        private readonly ConfusionCounts _confusion = new();
        private readonly RegressionAccumulator _regression = new();
        private readonly List<string> _scoredActual = [];
        private readonly List<double> _scores = [];
        private readonly List<string> _probabilitiesActual = [];
        private readonly List<IReadOnlyList<double>> _probabilities = [];

        public long Rows => _confusion.Rows + _regression.Rows;

        public void Add(Pending pending, Outcome outcome)
        {
            if (outcome.Label is not null)
            {
                _confusion.Add(outcome.Label, pending.Label!);
                if (!double.IsNaN(pending.Score) && _scores.Count < MaxScoredRowsPerWindow)
                {
                    _scores.Add(Math.Clamp(pending.Score, 0, 1));
                    _scoredActual.Add(outcome.Label);
                }

                if (pending.Probabilities is { } probabilities && _probabilities.Count < MaxScoredRowsPerWindow)
                {
                    _probabilities.Add(probabilities);
                    _probabilitiesActual.Add(outcome.Label);
                }
            }
            else
            {
                _regression.Add(outcome.Number, pending.Number);
            }
        }

        public Dictionary<string, double> ToMetrics(bool classification, string? positiveLabel, string[]? classes)
        {
            IReadOnlyList<KeyValuePair<string, double>> values;
            if (!classification)
            {
                values = _regression.ToMetrics().ToNamedValues();
            }
            else
            {
                ClassificationMetrics metrics = _confusion.ToMetrics(positiveLabel);
                if (metrics.PositiveLabel is { } positive && _scores.Count > 0)
                {
                    bool[] positives = [.. _scoredActual.Select(a => string.Equals(a, positive, StringComparison.Ordinal))];
                    metrics = metrics with { RocAuc = BinaryScores.RocAuc(positives, _scores), LogLoss = BinaryScores.LogLoss(positives, _scores) };
                }
                else if (classes is not null && _probabilities.Count > 0)
                {
                    metrics = metrics with
                    {
                        RocAuc = MulticlassScores.RocAucOneVsRest(_probabilitiesActual, classes, _probabilities),
                        LogLoss = MulticlassScores.LogLoss(_probabilitiesActual, classes, _probabilities),
                    };
                }

                values = metrics.ToNamedValues();
            }

            return values.Where(v => !double.IsNaN(v.Value)).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        }

        public void Clear()
        {
            _confusion.Clear();
            _regression.Clear();
            _scoredActual.Clear();
            _scores.Clear();
            _probabilitiesActual.Clear();
            _probabilities.Clear();
        }
    }

    /// <summary>A segment's own CBPE reference (its first scored outcomes) and, once fitted, its calibration. Under the state's lock.</summary>
    private sealed class SegmentCalibration
    {
        public ScoredRows Reference { get; } = new();

        public List<string> Actual { get; } = [];

        public CbpeEstimator? Estimator { get; set; }

        public string? Positive { get; set; }

        public bool Done { get; set; }
    }

    /// <summary>Scores and predicted labels of one window, for CBPE.</summary>
    private sealed class ScoredRows
    {
        public List<double> Scores { get; } = [];

        public List<string> Labels { get; } = [];

        public int Count => Scores.Count;

        public void Add(double score, string label)
        {
            Scores.Add(score);
            Labels.Add(label);
        }

        public void Clear()
        {
            Scores.Clear();
            Labels.Clear();
        }
    }
}

internal static partial class PerformanceLog
{
    [LoggerMessage(EventId = 60, Level = LogLevel.Warning, Message = "Concept drift in model {Model}: detector {Detector} saw the {ErrorKind} change after {Outcomes} joined outcomes")]
    public static partial void ConceptDrift(ILogger logger, string model, string detector, long outcomes, string errorKind);

    [LoggerMessage(EventId = 61, Level = LogLevel.Information, Message = "Performance of model {Model}{Segment} over {Outcomes} outcomes: {Metrics}")]
    public static partial void PerformanceMeasured(ILogger logger, string model, string segment, long outcomes, string metrics);
}
