using ModelMonitoring.Statistics;

namespace ModelMonitoring;

/// <summary>How a model's latest window compares with its reference.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="WindowStart">When the compared window opened.</param>
/// <param name="WindowEnd">When it closed.</param>
/// <param name="Rows">Rows in the window.</param>
/// <param name="ReferenceRows">Rows the reference was built from.</param>
/// <param name="Features">Drift of each input feature and of the inputs as a dataset.</param>
/// <param name="Prediction">Drift of the prediction (each captured part of it) and of the prediction as a whole.</param>
public sealed record ModelDriftReport(string Model, DateTimeOffset WindowStart, DateTimeOffset WindowEnd, long Rows, long ReferenceRows, DatasetDriftResult Features, DatasetDriftResult Prediction)
{
    /// <summary>The segment the compared window belongs to; empty for the model's own window.</summary>
    public string Segment { get; init; } = string.Empty;

    /// <summary>Whether the inputs drifted: the share of drifted input features reached the dataset threshold.</summary>
    public bool Drift => Features.Drift;

    /// <summary>Whether the prediction drifted.</summary>
    public bool PredictionDrift => Prediction.Drift;

    /// <summary>The result of one feature (input or prediction) by name.</summary>
    /// <exception cref="KeyNotFoundException">No such feature was compared; the message lists those that were.</exception>
    public ColumnDriftResult this[string feature] =>
        Features.Columns.Concat(Prediction.Columns).FirstOrDefault(c => c.Name == feature)
        ?? throw new KeyNotFoundException($"Feature '{feature}' of model '{Model}' was not compared. Compared: {string.Join(", ", Features.Columns.Concat(Prediction.Columns).Select(c => c.Name))}.");
}
