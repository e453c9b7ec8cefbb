namespace ModelMonitoring;

/// <summary>
/// Marks the property of a prediction that holds the probability of the positive label (a number in [0, 1]), for
/// ROC AUC and log loss once outcomes arrive, and for the performance estimated before they do (CBPE). A multiclass
/// prediction carries one per class, each with its <see cref="PositiveLabel"/>: the probabilities give the one-vs-rest
/// ROC AUC and the multiclass log loss.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, Inherited = true, AllowMultiple = false)]
public sealed class PredictionScoreAttribute : Attribute
{
    /// <summary>The label the score is the probability of. Defaults to the greater of the two labels in ordinal order ("true" over "false", "1" over "0").</summary>
    public string? PositiveLabel { get; set; }
}
