namespace ModelMonitoring;

/// <summary>
/// Settings of the monitoring runtime. In ASP.NET Core they are bound from the <c>"ModelMonitoring"</c>
/// configuration section and validated at start-up.
/// </summary>
public sealed class ModelMonitoringOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "ModelMonitoring";

    /// <summary>Whether predictions are recorded at all. When <see langword="false"/> the wrappers only call the model.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The share of successful predictions logged at Debug level (0 to 1). Errors are always logged.
    /// Default 0.01: one prediction in a hundred, when Debug is enabled for the <c>ModelMonitoring</c> category.
    /// </summary>
    public double PredictionLogSampleRate { get; set; } = 0.01;

    /// <summary>A feature window closes after exactly this many rows (successful predictions). Default 10,000.</summary>
    public int WindowSize { get; set; } = 10_000;

    /// <summary>
    /// Whether feature windows keep drift sketches and are compared with a reference when they close. Default
    /// <see langword="true"/>. Turning it off keeps counts, latency and window statistics and removes the sketch
    /// updates from the deferred work (see docs/benchmarks.md).
    /// </summary>
    public bool DriftDetection { get; set; } = true;

    /// <summary>
    /// When no baseline is set, the model's first window becomes the drift reference; it closes after this many rows.
    /// Zero (the default) means <see cref="WindowSize"/>.
    /// </summary>
    public int ReferenceSize { get; set; }

    /// <summary>
    /// Baseline profiles (written by <c>mlmon baseline</c>) by model name. A model with a baseline compares every window
    /// with it; one without uses its first window. A missing, corrupt or mismatched file is an error naming the file.
    /// </summary>
    public Dictionary<string, string> Baselines { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The drift method for features that do not choose one with <c>[Feature(DriftMethod = ...)]</c>. Default: Evidently's choice per feature.</summary>
    public DriftMethod DriftMethod { get; set; } = DriftMethod.Auto;

    /// <summary>The drift threshold for features that do not choose one. Default: the method's own.</summary>
    public double? DriftThreshold { get; set; }

    /// <summary>
    /// Opt-in: a feature whose effect size (the method's: KS D, the total variation distance, the distance itself...) is
    /// below this never drifts, whatever its p-value, so that large windows do not flag differences too small to matter.
    /// <see langword="null"/> (the default) keeps Evidently's decision. <see cref="MinimumEffectSizes"/> overrides it per
    /// method.
    /// </summary>
    public double? MinimumEffectSize { get; set; }

    /// <summary>
    /// Opt-in: a minimum effect size per method, by Evidently's method name (<c>ks</c>: 0.05, <c>wasserstein</c>: 0.1...);
    /// it wins over <see cref="MinimumEffectSize"/> for that method. Empty by default.
    /// </summary>
    public Dictionary<string, double> MinimumEffectSizes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Opt-in NannyML-style thresholds: a feature drifts when its effect size lies above the mean + 3 standard deviations
    /// of the effect sizes of the reference's chunks, each compared with the whole reference, instead of the method's
    /// threshold. Needs a reference with chunks (a baseline written by <c>mlmon baseline</c>, which stores
    /// <c>--chunks</c>, 10 by default); without them the method's threshold decides and the result says so. Default
    /// <see langword="false"/>.
    /// </summary>
    public bool ChunkThresholds { get; set; }

    /// <summary>The share of drifted features at which a model's dataset drifts. Default 0.5, as Evidently.</summary>
    public double DatasetDriftShare { get; set; } = 0.5;

    /// <summary>A feature window closes after this much time, even when it is not full. Default 5 minutes.</summary>
    public TimeSpan WindowDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often buffered predictions are folded into instruments and windows off the callers' threads. Default 200 ms.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The most distinct values a categorical feature counts before the overflow bucket, unless the feature says otherwise. Default 100.</summary>
    public int DefaultMaxCategories { get; set; } = 100;

    /// <summary>
    /// Category values longer than this many characters are truncated before they are kept in a window or a reference,
    /// so that memory is bounded in bytes, not only in categories. Default 256.
    /// </summary>
    public int MaxCategoryLength { get; set; } = 256;

    /// <summary>
    /// How many rows each tracked method's recording ring holds while they wait for the folder (a power of two,
    /// 1,024 to 1,048,576). When the folder falls behind, further rows are dropped and counted in
    /// <c>ml.monitoring.rows.dropped</c>; prediction counts and latency stay exact. Default 16,384. Read when a
    /// method records its first row in a runtime.
    /// </summary>
    public int RecordingCapacity { get; set; } = 16_384;

    /// <summary>
    /// The most segment values a model keeps a window for (<c>[Segment]</c>); rows of further values go to the
    /// <c>__other__</c> segment. Default 50.
    /// </summary>
    public int MaxSegments { get; set; } = 50;

    /// <summary>
    /// Whether the built-in quality monitor scores every row with an isolation forest (<c>ml.model.outliers</c>).
    /// Default <see langword="false"/>: 100 trees cost about 6 µs per row on the folder thread (docs/benchmarks.md),
    /// thirty times the rest of monitoring, so a busy service would drop rows; turn it on for models that serve fewer
    /// than about 100,000 predictions per second per core. The per-feature data quality is kept either way.
    /// </summary>
    public bool OutlierDetection { get; set; }

    /// <summary>
    /// With <see cref="OutlierDetection"/>, whether each segment (<c>[Segment]</c>) is scored by an isolation forest of
    /// its own, fitted on the segment's first window (or taken from its baseline), rather than by the model's: a row
    /// normal for the model but not for its segment is then an outlier of the segment. Default <see langword="false"/>:
    /// it costs a second forest score per segmented row on the folder thread (about 6 µs) and up to
    /// <see cref="MaxSegments"/> forests (about 800 KB each). The model's window is always scored by the model's forest.
    /// </summary>
    public bool SegmentOutlierForests { get; set; }

    /// <summary>
    /// The share of the reference's range that widens it, on each side, before a number counts as out of range
    /// (<c>ml.feature.out_of_range.ratio</c>): a value is out of range below min − t × (max − min) or above
    /// max + t × (max − min). The same setting as <c>mlmon drift --range-tolerance</c>. Default 0: the reference's
    /// exact [min, max]. Applies from the next window on.
    /// </summary>
    public double RangeTolerance { get; set; }

    /// <summary>
    /// How long a keyed prediction waits for its outcome (<see cref="ModelMonitor.RecordOutcome(PredictionKey, double)"/>),
    /// and an outcome for its prediction, before it is dropped and counted (<c>ml.model.outcomes</c>, result
    /// <c>expired</c> or <c>unknown_key</c>). Default one hour.
    /// </summary>
    public TimeSpan OutcomeTimeToLive { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The most keyed predictions per model kept waiting for their outcome; past it the oldest is dropped and counted
    /// (result <c>evicted</c>). Bounds the memory of the join (about 100 bytes a prediction). Default 100,000.
    /// </summary>
    public int MaxPendingOutcomes { get; set; } = 100_000;

    /// <summary>
    /// The bucket boundaries of the <c>ml.model.prediction.duration</c> histogram, in seconds, increasing.
    /// <see langword="null"/> (the default) means <see cref="ModelMonitoringInstruments.DefaultDurationBuckets"/>:
    /// 1 µs to 10 s. Read when the runtime starts.
    /// </summary>
    public double[]? DurationBuckets { get; set; }

    /// <summary>
    /// The deployment environment (for example <c>production</c>): the <c>env</c> of every model log entry, the
    /// <c>deployment.environment</c> resource attribute and the <c>env</c> Datadog tag. <see langword="null"/> (the
    /// default) falls back to the <c>ENV</c>, then the <c>DD_ENV</c> environment variable. See <see cref="ServiceIdentity"/>.
    /// </summary>
    public string? Environment { get; set; }

    /// <summary>
    /// The service's name (for example <c>pricing-service</c>): the <c>service.name</c> resource attribute and the
    /// Datadog <c>service</c>. <c>OTEL_SERVICE_NAME</c> wins over it; <see langword="null"/> (the default) falls back to
    /// <c>DD_SERVICE</c>. See <see cref="ServiceIdentity"/>.
    /// </summary>
    public string? ServiceName { get; set; }

    /// <summary>
    /// The service's version: the <c>service.version</c> resource attribute. <see langword="null"/> (the default) falls
    /// back to <c>DD_VERSION</c>, then to the entry assembly's informational version.
    /// </summary>
    public string? ServiceVersion { get; set; }

    internal IReadOnlyList<double> EffectiveDurationBuckets => DurationBuckets ?? ModelMonitoringInstruments.DefaultDurationBuckets;

    /// <summary>Returns one message per invalid setting, naming the setting and the value; empty when all are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (double.IsNaN(PredictionLogSampleRate) || PredictionLogSampleRate < 0 || PredictionLogSampleRate > 1)
        {
            errors.Add($"{SectionName}:{nameof(PredictionLogSampleRate)} must be between 0 and 1 (was {PredictionLogSampleRate}).");
        }

        if (WindowSize < 1)
        {
            errors.Add($"{SectionName}:{nameof(WindowSize)} must be at least 1 (was {WindowSize}).");
        }

        if (ReferenceSize < 0)
        {
            errors.Add($"{SectionName}:{nameof(ReferenceSize)} must be zero (same as WindowSize) or positive (was {ReferenceSize}).");
        }

        if (DriftThreshold is { } threshold && (double.IsNaN(threshold) || threshold < 0))
        {
            errors.Add($"{SectionName}:{nameof(DriftThreshold)} must be a non-negative number (was {threshold}).");
        }

        if (MinimumEffectSize is { } minimumEffect && !(minimumEffect >= 0))
        {
            errors.Add($"{SectionName}:{nameof(MinimumEffectSize)} must be a non-negative number (was {minimumEffect}).");
        }

        foreach ((string method, double minimum) in MinimumEffectSizes)
        {
            if (!Statistics.StatTests.TryGet(method, out _))
            {
                errors.Add($"{SectionName}:{nameof(MinimumEffectSizes)}:{method} is not a drift method; use one of: {string.Join(", ", Statistics.StatTests.Names)}.");
            }
            else if (!(minimum >= 0))
            {
                errors.Add($"{SectionName}:{nameof(MinimumEffectSizes)}:{method} must be a non-negative number (was {minimum}).");
            }
        }

        if (double.IsNaN(DatasetDriftShare) || DatasetDriftShare <= 0 || DatasetDriftShare > 1)
        {
            errors.Add($"{SectionName}:{nameof(DatasetDriftShare)} must be greater than 0 and at most 1 (was {DatasetDriftShare}).");
        }

        foreach ((string model, string path) in Baselines)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                errors.Add($"{SectionName}:{nameof(Baselines)}:{model} must be the path of a baseline file.");
            }
            else if (!File.Exists(path))
            {
                errors.Add($"{SectionName}:{nameof(Baselines)}:{model}: baseline file '{Path.GetFullPath(path)}' does not exist.");
            }
        }

        if (WindowDuration <= TimeSpan.Zero)
        {
            errors.Add($"{SectionName}:{nameof(WindowDuration)} must be positive (was {WindowDuration}).");
        }

        if (FlushInterval < TimeSpan.FromMilliseconds(1) || FlushInterval > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{SectionName}:{nameof(FlushInterval)} must be between 1 ms and 1 minute (was {FlushInterval}).");
        }

        if (DefaultMaxCategories < 1 || DefaultMaxCategories > 100_000)
        {
            errors.Add($"{SectionName}:{nameof(DefaultMaxCategories)} must be between 1 and 100000 (was {DefaultMaxCategories}).");
        }

        if (MaxCategoryLength < 1 || MaxCategoryLength > 1_000_000)
        {
            errors.Add($"{SectionName}:{nameof(MaxCategoryLength)} must be between 1 and 1000000 (was {MaxCategoryLength}).");
        }

        if (RecordingCapacity < 1024 || RecordingCapacity > 1 << 20 || (RecordingCapacity & (RecordingCapacity - 1)) != 0)
        {
            errors.Add($"{SectionName}:{nameof(RecordingCapacity)} must be a power of two between 1024 and 1048576 (was {RecordingCapacity}).");
        }

        if (MaxSegments < 1 || MaxSegments > 10_000)
        {
            errors.Add($"{SectionName}:{nameof(MaxSegments)} must be between 1 and 10000 (was {MaxSegments}).");
        }

        if (!(RangeTolerance >= 0) || double.IsInfinity(RangeTolerance))
        {
            errors.Add($"{SectionName}:{nameof(RangeTolerance)} must be a share of the reference's range of 0 or more, such as 0.1 (was {RangeTolerance.ToString(System.Globalization.CultureInfo.InvariantCulture)}).");
        }

        if (OutcomeTimeToLive <= TimeSpan.Zero)
        {
            errors.Add($"{SectionName}:{nameof(OutcomeTimeToLive)} must be positive (was {OutcomeTimeToLive}).");
        }

        if (MaxPendingOutcomes < 1 || MaxPendingOutcomes > 10_000_000)
        {
            errors.Add($"{SectionName}:{nameof(MaxPendingOutcomes)} must be between 1 and 10000000 (was {MaxPendingOutcomes}).");
        }

        if (DurationBuckets is { Length: 0 })
        {
            errors.Add($"{SectionName}:{nameof(DurationBuckets)} must list at least one bucket boundary in seconds.");
        }
        else if (DurationBuckets is not null)
        {
            for (int i = 0; i < DurationBuckets.Length; i++)
            {
                double boundary = DurationBuckets[i];
                if (!double.IsFinite(boundary) || boundary <= 0 || (i > 0 && boundary <= DurationBuckets[i - 1]))
                {
                    errors.Add($"{SectionName}:{nameof(DurationBuckets)}:{i} must be a positive number of seconds greater than the one before it (was {boundary}).");
                    break;
                }
            }
        }

        return errors;
    }

    /// <summary>A deep copy: the runtime keeps its own snapshot, so changing this object afterwards changes nothing.</summary>
    internal ModelMonitoringOptions Clone()
    {
        var clone = (ModelMonitoringOptions)MemberwiseClone();
        clone.Baselines = new Dictionary<string, string>(Baselines, StringComparer.Ordinal);
        clone.MinimumEffectSizes = new Dictionary<string, double>(MinimumEffectSizes, StringComparer.OrdinalIgnoreCase);
        clone.DurationBuckets = DurationBuckets is null ? null : [.. DurationBuckets];
        return clone;
    }
}
