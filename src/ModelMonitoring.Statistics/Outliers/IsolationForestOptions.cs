using System.Globalization;

namespace ModelMonitoring.Outliers;

/// <summary>
/// How an <see cref="IsolationForest"/> is fitted. The defaults are scikit-learn's (<c>IsolationForest()</c>): 100 trees,
/// 256 samples per tree (fewer when the data has fewer rows), every feature, no bootstrap, and the <c>auto</c>
/// contamination; only the seed differs: scikit-learn draws a fresh one when <c>random_state</c> is not given, this
/// uses 0, so that the same data always gives the same forest.
/// </summary>
public sealed record IsolationForestOptions
{
    /// <summary>The most trees a forest may have (for files read back too).</summary>
    public const int MaxTrees = 1000;

    /// <summary>The most samples per tree (for files read back too).</summary>
    public const int MaxSamplesPerTree = 4096;

    /// <summary>The number of trees (scikit-learn's <c>n_estimators</c>). Default 100.</summary>
    public int Trees { get; init; } = 100;

    /// <summary>
    /// How many rows each tree is grown from, drawn without replacement (scikit-learn's <c>max_samples</c>, whose
    /// <c>auto</c> is min(256, rows)). Default 256; fewer when the data has fewer rows.
    /// </summary>
    public int SamplesPerTree { get; init; } = 256;

    /// <summary>The seed of the random draws (rows per tree, features and split points). Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>How the outlier threshold is chosen. Default <see cref="OutlierContamination.Auto"/>.</summary>
    public OutlierContamination Contamination { get; init; } = OutlierContamination.Auto;

    /// <summary>One message per invalid setting, naming it; empty when all are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Trees < 1 || Trees > MaxTrees)
        {
            errors.Add($"{nameof(Trees)} must be between 1 and {MaxTrees} (was {Trees}).");
        }

        if (SamplesPerTree < 2 || SamplesPerTree > MaxSamplesPerTree)
        {
            errors.Add($"{nameof(SamplesPerTree)} must be between 2 and {MaxSamplesPerTree} (was {SamplesPerTree}).");
        }

        return errors;
    }
}

/// <summary>
/// How an isolation forest turns scores into outlier flags, as scikit-learn's <c>contamination</c>:
/// <see cref="Auto"/> flags scores above 0.5 (Liu et al.'s threshold: a row isolated faster than an average row), and a
/// share flags that share of the training rows (the threshold is the training scores' (1 - share) quantile, with
/// numpy's linear interpolation).
/// </summary>
public readonly record struct OutlierContamination
{
    private OutlierContamination(double? share) => Share = share;

    /// <summary>scikit-learn's <c>contamination="auto"</c>: the threshold is 0.5.</summary>
    public static OutlierContamination Auto => default;

    /// <summary>The expected share of outliers in the training data, in (0, 0.5]; <see langword="null"/> for <see cref="Auto"/>.</summary>
    public double? Share { get; }

    /// <summary>Whether the threshold is 0.5 rather than a quantile of the training scores.</summary>
    public bool IsAuto => Share is null;

    /// <summary>A share of outliers in the training data.</summary>
    /// <param name="share">Greater than 0 and at most 0.5, as scikit-learn requires.</param>
    /// <exception cref="ArgumentOutOfRangeException">The share is outside (0, 0.5].</exception>
    public static OutlierContamination Of(double share)
    {
        if (!(share > 0 && share <= 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(share), share, "The contamination must be greater than 0 and at most 0.5, or auto.");
        }

        return new OutlierContamination(share);
    }

    /// <summary>Reads <c>auto</c> or a number in (0, 0.5] written with a decimal point (invariant culture).</summary>
    public static bool TryParse(string? text, out OutlierContamination contamination)
    {
        contamination = Auto;
        string trimmed = text?.Trim() ?? string.Empty;
        if (string.Equals(trimmed, "auto", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out double share) && share > 0 && share <= 0.5)
        {
            contamination = new OutlierContamination(share);
            return true;
        }

        return false;
    }

    /// <summary><c>auto</c>, or the share in the invariant culture.</summary>
    public override string ToString() => Share is { } share ? share.ToString("R", CultureInfo.InvariantCulture) : "auto";
}
