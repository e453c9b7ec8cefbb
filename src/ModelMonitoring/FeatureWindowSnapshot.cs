namespace ModelMonitoring;

/// <summary>The statistics of one feature in one window.</summary>
/// <param name="Name">The feature's name.</param>
/// <param name="Kind">Numerical or categorical.</param>
/// <param name="IsSensitive">Whether only the value's presence was recorded.</param>
/// <param name="Count">Values that were present.</param>
/// <param name="Missing">Values that were missing (null, NaN or ±Infinity).</param>
/// <param name="Mean">Mean of a numerical feature; NaN for categorical ones or an empty window.</param>
/// <param name="Min">Minimum of a numerical feature; NaN for categorical ones or an empty window.</param>
/// <param name="Max">Maximum of a numerical feature; NaN for categorical ones or an empty window.</param>
/// <param name="Categories">Counts per category of a categorical feature (bounded; the rest under <c>__other__</c>).</param>
public sealed record FeatureStatistics(string Name, FeatureKind Kind, bool IsSensitive, long Count, long Missing, double Mean, double Min, double Max, IReadOnlyDictionary<string, long> Categories)
{
    /// <summary>How many of the missing values were ±Infinity.</summary>
    public long Infinite { get; init; }
}

/// <summary>A model's features over one window of predictions.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="Start">When the window opened.</param>
/// <param name="End">When the window closed, or now for the current window.</param>
/// <param name="Rows">Rows (successful predictions with their features) folded into the window.</param>
/// <param name="Features">Per-feature statistics, inputs first, then the prediction.</param>
public sealed record FeatureWindowSnapshot(string Model, DateTimeOffset Start, DateTimeOffset End, long Rows, IReadOnlyList<FeatureStatistics> Features)
{
    /// <summary>The calls made while the window was open: outcomes, error rate, latency quantiles of the successes.</summary>
    public WindowCalls Calls { get; init; } = new([]);

    /// <summary>The segment the window belongs to; empty for the model's own window.</summary>
    public string Segment { get; init; } = string.Empty;

    /// <summary>The window's sketches (sensitive features excluded), kept for drift evaluation and as a reference.</summary>
    internal IReadOnlyList<Sketches.FeatureProfile>? Profiles { get; set; }

    /// <summary>The reference the profiles were binned on, if any (recycled profiles must match it).</summary>
    internal Sketches.BaselineProfile? ProfilesReference { get; set; }

    /// <summary>The statistics of the named feature.</summary>
    /// <exception cref="KeyNotFoundException">No feature has that name; the message lists the features.</exception>
    public FeatureStatistics this[string feature] =>
        Features.FirstOrDefault(f => f.Name == feature)
        ?? throw new KeyNotFoundException($"Model '{Model}' has no feature '{feature}'. Its features are: {string.Join(", ", Features.Select(f => f.Name))}.");
}
