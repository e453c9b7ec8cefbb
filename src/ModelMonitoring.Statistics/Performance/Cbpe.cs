namespace ModelMonitoring.Performance;

/// <summary>One estimated metric of a chunk, with its confidence band.</summary>
/// <param name="Metric">The metric's name: <c>accuracy</c>, <c>precision</c>, <c>recall</c>, <c>f1</c> or <c>roc_auc</c>.</param>
/// <param name="Estimate">The estimated value.</param>
/// <param name="Lower">The band's lower end, estimate − 3 σ (clipped to 0); NaN when the reference had too few chunks.</param>
/// <param name="Upper">The band's upper end, estimate + 3 σ (clipped to 1); NaN when the reference had too few chunks.</param>
public readonly record struct EstimatedMetric(string Metric, double Estimate, double Lower, double Upper);

/// <summary>The estimated performance of one chunk of predictions.</summary>
/// <param name="Rows">How many predictions with a score the chunk had.</param>
/// <param name="Metrics">The estimated metrics, in the order of <see cref="CbpeEstimator.MetricNames"/>.</param>
public sealed record CbpeEstimate(long Rows, IReadOnlyList<EstimatedMetric> Metrics)
{
    /// <summary>The estimate of the named metric.</summary>
    /// <exception cref="KeyNotFoundException">No such metric; the message lists the metrics.</exception>
    public EstimatedMetric this[string metric] =>
        Metrics.FirstOrDefault(m => m.Metric == metric) is { Metric: not null } found
            ? found
            : throw new KeyNotFoundException($"No estimated metric '{metric}'. The metrics are: {string.Join(", ", Metrics.Select(m => m.Metric))}.");
}

/// <summary>
/// Confidence-based performance estimation (CBPE, as NannyML describes it) for a binary classifier that outputs the
/// probability of the positive label: it estimates accuracy, precision, recall, F1 and ROC AUC where the labels are not
/// known yet. Fitted on a reference where they are, it calibrates the scores there with isotonic regression; on a
/// chunk, each prediction then counts its calibrated probability p as an expected true positive (predicted positive)
/// or false negative (predicted negative), and 1 − p as a false positive or true negative, so that the metrics follow
/// from the expected confusion matrix. ROC AUC is the area under the expected ROC curve, with the scores as thresholds.
/// The confidence band is ±3 standard deviations of the metric's realized value over the reference's chunks, scaled to
/// the chunk's size (σ √(chunk size / rows)). The estimate holds as long as the calibration does: under covariate shift,
/// not under concept drift.
/// </summary>
public sealed class CbpeEstimator
{
    private readonly double[] _referenceSpread;

    private CbpeEstimator(IsotonicCalibrator calibrator, double threshold, int chunkSize, double[] spread, int referenceChunks)
    {
        Calibrator = calibrator;
        Threshold = threshold;
        ChunkSize = chunkSize;
        _referenceSpread = spread;
        ReferenceChunks = referenceChunks;
    }

    /// <summary>The estimated metrics: <c>accuracy</c>, <c>precision</c>, <c>recall</c>, <c>f1</c>, <c>roc_auc</c>.</summary>
    public static IReadOnlyList<string> MetricNames { get; } = ["accuracy", "precision", "recall", "f1", "roc_auc"];

    /// <summary>The calibration fitted on the reference.</summary>
    public IsotonicCalibrator Calibrator { get; }

    /// <summary>The score from which a prediction is positive, when predicted labels are not given.</summary>
    public double Threshold { get; }

    /// <summary>The size of the reference chunks the band is measured on.</summary>
    public int ChunkSize { get; }

    /// <summary>How many full reference chunks the band was measured on (at least 2 give a band).</summary>
    public int ReferenceChunks { get; }

    /// <summary>The standard deviation of each metric's realized value over the reference chunks (NaN with fewer than 2).</summary>
    public IReadOnlyList<double> ReferenceSpread => _referenceSpread;

    /// <summary>Fits the estimator on a reference with known labels.</summary>
    /// <param name="scores">The reference's scores, probabilities of the positive label.</param>
    /// <param name="actual">Whether each reference row is positive.</param>
    /// <param name="predicted">The predicted labels (true: positive); null: score ≥ <paramref name="threshold"/>.</param>
    /// <param name="chunkSize">Rows per reference chunk for the band (at least 2).</param>
    /// <param name="threshold">The score from which a prediction is positive when <paramref name="predicted"/> is null.</param>
    /// <exception cref="ArgumentException">The lists differ in length, or have no row with a score.</exception>
    public static CbpeEstimator Fit(IReadOnlyList<double> scores, IReadOnlyList<bool> actual, IReadOnlyList<bool>? predicted = null, int chunkSize = 1000, double threshold = 0.5)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 2);
        if (predicted is not null && predicted.Count != scores.Count)
        {
            throw new ArgumentException($"{scores.Count} scores but {predicted.Count} predicted labels.", nameof(predicted));
        }

        IsotonicCalibrator calibrator = IsotonicCalibrator.Fit(scores, actual);
        int chunks = scores.Count / chunkSize;
        var realized = new List<double>[MetricNames.Count];
        for (int m = 0; m < realized.Length; m++)
        {
            realized[m] = [];
        }

        for (int chunk = 0; chunk < chunks; chunk++)
        {
            double[] values = RealizedMetrics(scores, actual, predicted, threshold, chunk * chunkSize, (chunk + 1) * chunkSize);
            for (int m = 0; m < values.Length; m++)
            {
                if (!double.IsNaN(values[m]))
                {
                    realized[m].Add(values[m]);
                }
            }
        }

        double[] spread = [.. realized.Select(StandardDeviation)];
        return new CbpeEstimator(calibrator, threshold, chunkSize, spread, chunks);
    }

    /// <summary>
    /// The realized metrics of rows [<paramref name="start"/>, <paramref name="end"/>) whose labels are known, in the
    /// order of <see cref="MetricNames"/> (NaN where a metric is undefined): what the estimate of the same rows is
    /// compared with. Rows with a NaN score, or for which <paramref name="hasLabel"/> is false, are skipped.
    /// </summary>
    /// <param name="scores">The scores, probabilities of the positive label.</param>
    /// <param name="actual">Whether each row is positive.</param>
    /// <param name="predicted">The predicted labels (true: positive); null: score ≥ <paramref name="threshold"/>.</param>
    /// <param name="threshold">The score from which a prediction is positive when <paramref name="predicted"/> is null.</param>
    /// <param name="start">The first row.</param>
    /// <param name="end">The row after the last.</param>
    /// <param name="hasLabel">Whether a row's label is known; null: every row's is.</param>
    public static double[] RealizedMetrics(IReadOnlyList<double> scores, IReadOnlyList<bool> actual, IReadOnlyList<bool>? predicted, double threshold, int start, int end, Func<int, bool>? hasLabel = null)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(actual);
        var confusion = new ConfusionCounts();
        var positives = new List<bool>(Math.Max(0, end - start));
        var chunkScores = new List<double>(Math.Max(0, end - start));
        for (int i = start; i < end; i++)
        {
            if (double.IsNaN(scores[i]) || (hasLabel is not null && !hasLabel(i)))
            {
                continue;
            }

            bool predictedPositive = predicted?[i] ?? scores[i] >= threshold;
            confusion.Add(actual[i] ? "1" : "0", predictedPositive ? "1" : "0");
            positives.Add(actual[i]);
            chunkScores.Add(scores[i]);
        }

        ClassificationMetrics metrics = confusion.ToMetrics("1");
        return [metrics.Accuracy, metrics.Precision, metrics.Recall, metrics.F1, BinaryScores.RocAuc(positives, chunkScores)];
    }

    /// <summary>Estimates the performance of a chunk of predictions whose labels are unknown.</summary>
    /// <param name="scores">The chunk's scores; NaN rows are skipped.</param>
    /// <param name="predicted">The predicted labels (true: positive); null: score ≥ <see cref="Threshold"/>.</param>
    /// <exception cref="ArgumentException">The lists differ in length.</exception>
    public CbpeEstimate Estimate(IReadOnlyList<double> scores, IReadOnlyList<bool>? predicted = null)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (predicted is not null && predicted.Count != scores.Count)
        {
            throw new ArgumentException($"{scores.Count} scores but {predicted.Count} predicted labels.", nameof(predicted));
        }

        double truePositive = 0, falsePositive = 0, falseNegative = 0, trueNegative = 0;
        var rows = new List<(double Score, double Probability)>(scores.Count);
        for (int i = 0; i < scores.Count; i++)
        {
            if (double.IsNaN(scores[i]))
            {
                continue;
            }

            double p = Calibrator.Calibrate(scores[i]);
            if (predicted?[i] ?? scores[i] >= Threshold)
            {
                truePositive += p;
                falsePositive += 1 - p;
            }
            else
            {
                falseNegative += p;
                trueNegative += 1 - p;
            }

            rows.Add((scores[i], p));
        }

        long n = rows.Count;
        double[] estimates =
        [
            n == 0 ? double.NaN : (truePositive + trueNegative) / n,
            Ratio(truePositive, truePositive + falsePositive),
            Ratio(truePositive, truePositive + falseNegative),
            Ratio(2 * truePositive, (2 * truePositive) + falsePositive + falseNegative),
            ExpectedRocAuc(rows),
        ];

        var metrics = new EstimatedMetric[estimates.Length];
        for (int m = 0; m < estimates.Length; m++)
        {
            double sigma = n == 0 ? double.NaN : _referenceSpread[m] * Math.Sqrt((double)ChunkSize / n);
            metrics[m] = new EstimatedMetric(MetricNames[m], estimates[m],
                double.IsNaN(sigma) ? double.NaN : Math.Max(0, estimates[m] - (3 * sigma)),
                double.IsNaN(sigma) ? double.NaN : Math.Min(1, estimates[m] + (3 * sigma)));
        }

        return new CbpeEstimate(n, metrics);
    }

    /// <summary>The area under the ROC curve expected from calibrated probabilities, thresholds at the scores.</summary>
    private static double ExpectedRocAuc(List<(double Score, double Probability)> rows)
    {
        double positives = rows.Sum(r => r.Probability);
        double negatives = rows.Count - positives;
        if (positives <= 0 || negatives <= 0)
        {
            return double.NaN;
        }

        rows.Sort((a, b) => b.Score.CompareTo(a.Score));
        double area = 0, truePositives = 0, falsePositives = 0;
        int start = 0;
        while (start < rows.Count)
        {
            double previousTpr = truePositives / positives, previousFpr = falsePositives / negatives;
            int end = start;
            while (end < rows.Count && rows[end].Score == rows[start].Score)
            {
                truePositives += rows[end].Probability;
                falsePositives += 1 - rows[end].Probability;
                end++;
            }

            double tpr = truePositives / positives, fpr = falsePositives / negatives;
            area += (fpr - previousFpr) * (tpr + previousTpr) / 2;
            start = end;
        }

        return area;
    }

    private static double Ratio(double numerator, double denominator) => denominator <= 0 ? double.NaN : numerator / denominator;

    private static double StandardDeviation(List<double> values)
    {
        if (values.Count < 2)
        {
            return double.NaN;
        }

        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
