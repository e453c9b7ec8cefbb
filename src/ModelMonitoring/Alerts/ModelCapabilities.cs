using ModelMonitoring.Runtime;

namespace ModelMonitoring.Alerts;

/// <summary>
/// What a model's descriptor says it can produce beyond calls, latency, drift and data quality, as the performance
/// monitor decides it: realized performance and concept drift need a prediction to score (a non-sensitive prediction
/// feature that is not the score) and a <c>[PredictionKey]</c> that outcomes join to; estimated performance (CBPE)
/// also needs a classifier with a <c>[PredictionScore]</c>. The generated rules leave out, with a comment, the rules
/// over a signal the model cannot produce.
/// </summary>
internal sealed record ModelCapabilities(bool HasPrediction, bool HasKey, bool IsClassification, bool HasScore)
{
    public static ModelCapabilities Of(ModelDescriptor model)
    {
        FeatureDescriptor[] predictions = model.Methods.SelectMany(m => m.Features).Where(f => f.Source == FeatureSource.Prediction && !f.IsSensitive).ToArray();
        FeatureDescriptor? prediction = predictions.FirstOrDefault(f => !f.IsPredictionScore);
        return new ModelCapabilities(
            HasPrediction: prediction is not null,
            HasKey: model.Methods.Any(m => m.PredictionKeyMember is not null),
            IsClassification: prediction is not null && (prediction.Kind == FeatureKind.Categorical || prediction.Storage == FeatureStorage.Label),
            HasScore: predictions.Any(f => f.IsPredictionScore));
    }

    /// <summary>Why the model cannot produce <paramref name="signal"/>; null when it can (or when the signal needs nothing of the descriptor).</summary>
    public string? WhyNot(string signal) => signal switch
    {
        ModelSignalNames.Performance or ModelSignalNames.ConceptDriftDetections => WhyNoOutcomes(),
        ModelSignalNames.EstimatedPerformance => WhyNoOutcomes()
            ?? (!IsClassification ? "is a regression, and CBPE estimates the performance of classifiers"
            : !HasScore ? "has no [PredictionScore], which CBPE estimates from" : null),
        _ => null,
    };

    /// <summary>The descriptor's verdict in a few words, for the dashboard's description: the panels that stay empty for this model.</summary>
    public string EmptyPanels()
    {
        var empty = new List<string>();
        if (WhyNoOutcomes() is { } noOutcomes)
        {
            empty.Add("performance (realized and estimated), outcomes and concept drift (" + noOutcomes + ")");
        }
        else if (IsClassification)
        {
            empty.Add("realized mae and rmse (a classifier)");
            if (WhyNot(ModelSignalNames.EstimatedPerformance) is { } unscored)
            {
                empty.Add("estimated performance (" + unscored + ")");
            }
        }
        else
        {
            empty.Add("estimated performance (" + WhyNot(ModelSignalNames.EstimatedPerformance) + ")");
        }

        return empty.Count == 0 ? string.Empty : "; empty by design: " + string.Join(", ", empty);
    }

    private string? WhyNoOutcomes() =>
        !HasPrediction ? "has no prediction to score"
        : !HasKey ? "has no [PredictionKey] that outcomes join to"
        : null;
}
