using ModelMonitoring.Sketches;

namespace ModelMonitoring.Outliers;

/// <summary>
/// What outlier detection keeps of a reference dataset: an <see cref="IsolationForest"/> over its numerical features and
/// a <see cref="RobustZScore"/> per feature. <c>mlmon baseline</c> fits one and stores it in the baseline profile
/// (<see cref="BaselineProfile.Outliers"/>), so that a service that loads the baseline scores rows at once, without
/// refitting after a restart; the runtime fits one from the first window otherwise.
/// </summary>
public sealed class OutlierProfile
{
    /// <summary>Combines a forest with the robust z-score of each of its features.</summary>
    /// <param name="forest">The forest.</param>
    /// <param name="robustScores">One per feature of the forest, in the same order.</param>
    /// <exception cref="ArgumentException">The counts differ.</exception>
    public OutlierProfile(IsolationForest forest, IReadOnlyList<RobustZScore> robustScores)
    {
        ArgumentNullException.ThrowIfNull(forest);
        ArgumentNullException.ThrowIfNull(robustScores);
        if (robustScores.Count != forest.Features.Count)
        {
            throw new ArgumentException($"One robust z-score per feature is needed: the forest has {forest.Features.Count} features, {robustScores.Count} scores were given.", nameof(robustScores));
        }

        Forest = forest;
        RobustScores = [.. robustScores];
    }

    /// <summary>The isolation forest.</summary>
    public IsolationForest Forest { get; }

    /// <summary>The features, in the order rows are scored in.</summary>
    public IReadOnlyList<string> Features => Forest.Features;

    /// <summary>The robust z-score of each feature, in the order of <see cref="Features"/>.</summary>
    public IReadOnlyList<RobustZScore> RobustScores { get; }

    /// <summary>Fits a forest and the robust z-scores on training data held by column.</summary>
    /// <param name="features">The features' names, one per column.</param>
    /// <param name="columns">One array per feature with one value per row (NaN or ±Infinity: missing).</param>
    /// <param name="options">The forest's options; null: scikit-learn's defaults with seed 0.</param>
    /// <exception cref="ArgumentException">As <see cref="IsolationForest.Fit"/>.</exception>
    public static OutlierProfile Fit(IReadOnlyList<string> features, IReadOnlyList<double[]> columns, IsolationForestOptions? options = null)
    {
        IsolationForest forest = IsolationForest.Fit(features, columns, options);
        return new OutlierProfile(forest, columns.Select(c => RobustZScore.Fit(c)).ToArray());
    }

    /// <summary>The index of a feature in <see cref="Features"/>, or -1.</summary>
    public int IndexOf(string feature)
    {
        for (int i = 0; i < Forest.Features.Count; i++)
        {
            if (string.Equals(Forest.Features[i], feature, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    internal OutliersDocument ToDocument() => new()
    {
        Features = [.. Forest.Features],
        Robust = RobustScores.Select(r => new RobustDocument { Median = r.Median, Mad = r.MedianAbsoluteDeviation, MeanAbsoluteDeviation = r.MeanAbsoluteDeviation }).ToList()!,
        IsolationForest = new IsolationForestDocument
        {
            SamplesPerTree = Forest.SamplesPerTree,
            Seed = Forest.Seed,
            Contamination = Forest.Contamination.ToString(),
            Threshold = Forest.Threshold,
            TrainingRows = Forest.TrainingRows,
            Medians = [.. Forest.Medians],
            Trees = Forest.Trees().Select(t => new TreeDocument { Feature = t.Feature, Value = t.Value, Right = t.Right }).ToList()!,
        },
    };

    internal static OutlierProfile FromDocument(OutliersDocument document, string? source)
    {
        BaselineFormatException Error(string field, string problem) => new(source, null, "outliers." + field, problem);

        string[] features = document.Features ?? throw Error("features", "is missing");
        if (features.Any(string.IsNullOrEmpty) || features.Distinct(StringComparer.Ordinal).Count() != features.Length)
        {
            throw Error("features", "holds an empty or repeated name");
        }

        List<RobustDocument?> robust = document.Robust ?? throw Error("robust", "is missing");
        if (robust.Count != features.Length)
        {
            throw Error("robust", $"has {robust.Count} entries for {features.Length} features");
        }

        var scores = new RobustZScore[robust.Count];
        for (int i = 0; i < scores.Length; i++)
        {
            RobustDocument entry = robust[i] ?? throw Error($"robust[{i}]", "is null");
            double median = entry.Median ?? throw Error($"robust[{i}].median", "is missing");
            double mad = entry.Mad ?? throw Error($"robust[{i}].mad", "is missing");
            double meanDeviation = entry.MeanAbsoluteDeviation ?? throw Error($"robust[{i}].mean_absolute_deviation", "is missing");
            if (mad < 0 || meanDeviation < 0 || double.IsInfinity(median) || double.IsInfinity(mad) || double.IsInfinity(meanDeviation))
            {
                throw Error($"robust[{i}]", "holds an infinite or negative statistic");
            }

            scores[i] = new RobustZScore(median, mad, meanDeviation);
        }

        IsolationForestDocument forestDocument = document.IsolationForest ?? throw Error("isolation_forest", "is missing");
        int samplesPerTree = forestDocument.SamplesPerTree ?? throw Error("isolation_forest.samples_per_tree", "is missing");
        if (!OutlierContamination.TryParse(forestDocument.Contamination ?? throw Error("isolation_forest.contamination", "is missing"), out OutlierContamination contamination))
        {
            throw Error("isolation_forest.contamination", $"is '{forestDocument.Contamination}', expected auto or a number in (0, 0.5]");
        }

        List<TreeDocument?> trees = forestDocument.Trees ?? throw Error("isolation_forest.trees", "is missing");
        var parts = new (int[] Feature, double[] Value, int[] Right)[trees.Count];
        for (int t = 0; t < parts.Length; t++)
        {
            TreeDocument tree = trees[t] ?? throw Error($"isolation_forest.trees[{t}]", "is null");
            parts[t] = (tree.Feature ?? throw Error($"isolation_forest.trees[{t}].feature", "is missing"),
                tree.Value ?? throw Error($"isolation_forest.trees[{t}].value", "is missing"),
                tree.Right ?? throw Error($"isolation_forest.trees[{t}].right", "is missing"));
        }

        IsolationForest forest = IsolationForest.TryRestore(
                features,
                forestDocument.Medians ?? throw Error("isolation_forest.medians", "is missing"),
                parts,
                samplesPerTree,
                forestDocument.Seed ?? 0,
                contamination,
                forestDocument.Threshold ?? throw Error("isolation_forest.threshold", "is missing"),
                forestDocument.TrainingRows ?? throw Error("isolation_forest.training_rows", "is missing"),
                out string? problem)
            ?? throw Error("isolation_forest", problem ?? "is not a valid forest");
        return new OutlierProfile(forest, scores);
    }
}
