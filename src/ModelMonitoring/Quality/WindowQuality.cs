using ModelMonitoring.Quality;

namespace ModelMonitoring;

/// <summary>
/// The data quality and outliers of one closed window of a model (or of one of its segments), against the window's
/// reference: the baseline, or the model's (segment's) first window. Published by the runtime's built-in quality monitor
/// as <see cref="ModelMonitor.LatestQuality"/> and <see cref="ModelMonitor.LatestSegmentQuality"/>, and exported as
/// <c>ml.model.outliers</c>, <c>ml.model.outlier.ratio</c>, <c>ml.feature.missing.ratio</c>,
/// <c>ml.feature.out_of_range.ratio</c> and <c>ml.feature.unseen_category.ratio</c>.
/// </summary>
/// <param name="Model">The model's name.</param>
/// <param name="Segment">The segment; empty for the model's own window.</param>
/// <param name="Start">When the window opened.</param>
/// <param name="End">When it closed.</param>
/// <param name="Rows">Successful predictions with features in the window.</param>
public sealed record WindowQuality(string Model, string Segment, DateTimeOffset Start, DateTimeOffset End, long Rows)
{
    /// <summary>Rows scored by the isolation forest (0 before the model has an outlier reference).</summary>
    public long ScoredRows { get; init; }

    /// <summary>Rows whose isolation-forest score was above <see cref="OutlierThreshold"/>.</summary>
    public long Outliers { get; init; }

    /// <summary>Outliers over scored rows; NaN when no row was scored.</summary>
    public double OutlierRatio => ScoredRows > 0 ? (double)Outliers / ScoredRows : double.NaN;

    /// <summary>The forest's threshold (NaN without a forest): 0.5 for contamination <c>auto</c>.</summary>
    public double OutlierThreshold { get; init; } = double.NaN;

    /// <summary>Where the reference came from: <c>baseline</c>, <c>first_window</c>, or <c>none</c> (only missing values were counted).</summary>
    public string ReferenceSource { get; init; } = "none";

    /// <summary>Per-feature quality, in the model's feature order (inputs, then the prediction).</summary>
    public IReadOnlyList<FeatureQuality> Features { get; init; } = [];

    /// <summary>The quality of the named feature.</summary>
    /// <exception cref="KeyNotFoundException">No feature has that name; the message lists the features.</exception>
    public FeatureQuality this[string feature] =>
        Features.FirstOrDefault(f => f.Name == feature)
        ?? throw new KeyNotFoundException($"Model '{Model}' has no feature '{feature}'. Its features are: {string.Join(", ", Features.Select(f => f.Name))}.");
}
