namespace ModelMonitoring.Performance;

/// <summary>
/// Isotonic regression of outcomes on scores (pool adjacent violators), the calibration CBPE applies to a classifier's
/// probabilities: fitted where labels are known, it maps a score to the observed frequency of the positive label,
/// non-decreasing in the score. Predictions interpolate linearly between the fitted points and clip to the fitted range
/// outside it, as scikit-learn's <c>IsotonicRegression(out_of_bounds="clip", y_min=0, y_max=1)</c>.
/// </summary>
public sealed class IsotonicCalibrator
{
    private readonly double[] _scores;
    private readonly double[] _values;

    private IsotonicCalibrator(double[] scores, double[] values)
    {
        _scores = scores;
        _values = values;
    }

    /// <summary>The distinct fitted scores, ascending.</summary>
    public IReadOnlyList<double> Scores => _scores;

    /// <summary>The calibrated probability at each of <see cref="Scores"/>, non-decreasing.</summary>
    public IReadOnlyList<double> Values => _values;

    /// <summary>Fits the calibration; rows with a NaN score are skipped.</summary>
    /// <param name="scores">The classifier's scores (probabilities of the positive label).</param>
    /// <param name="positive">Whether each row is of the positive label.</param>
    /// <exception cref="ArgumentException">The lists differ in length or no row has a score.</exception>
    public static IsotonicCalibrator Fit(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(positive);
        if (scores.Count != positive.Count)
        {
            throw new ArgumentException($"{scores.Count} scores but {positive.Count} labels.", nameof(positive));
        }

        var rows = new List<(double Score, double Outcome)>(scores.Count);
        for (int i = 0; i < scores.Count; i++)
        {
            if (!double.IsNaN(scores[i]))
            {
                rows.Add((scores[i], positive[i] ? 1 : 0));
            }
        }

        if (rows.Count == 0)
        {
            throw new ArgumentException("Calibration needs at least one row with a score.", nameof(scores));
        }

        rows.Sort((a, b) => a.Score.CompareTo(b.Score));

        // Blocks of equal scores first (their mean outcome, weighted by size), then pool adjacent violators.
        var blockSums = new List<double>();
        var blockWeights = new List<double>();
        var blockStarts = new List<int>(); // index in the distinct scores where each pooled block starts
        var distinct = new List<double>();
        int start = 0;
        while (start < rows.Count)
        {
            int end = start;
            double sum = 0;
            while (end < rows.Count && rows[end].Score == rows[start].Score)
            {
                sum += rows[end].Outcome;
                end++;
            }

            distinct.Add(rows[start].Score);
            blockSums.Add(sum);
            blockWeights.Add(end - start);
            blockStarts.Add(distinct.Count - 1);
            while (blockSums.Count > 1 && (blockSums[^2] / blockWeights[^2]) >= (blockSums[^1] / blockWeights[^1]))
            {
                blockSums[^2] += blockSums[^1];
                blockWeights[^2] += blockWeights[^1];
                blockSums.RemoveAt(blockSums.Count - 1);
                blockWeights.RemoveAt(blockWeights.Count - 1);
                blockStarts.RemoveAt(blockStarts.Count - 1);
            }

            start = end;
        }

        var values = new double[distinct.Count];
        for (int block = 0; block < blockStarts.Count; block++)
        {
            int first = blockStarts[block];
            int last = block + 1 < blockStarts.Count ? blockStarts[block + 1] : distinct.Count;
            double value = Math.Clamp(blockSums[block] / blockWeights[block], 0, 1);
            for (int i = first; i < last; i++)
            {
                values[i] = value;
            }
        }

        return new IsotonicCalibrator([.. distinct], values);
    }

    /// <summary>The calibrated probability of a score; NaN for a NaN score.</summary>
    /// <param name="score">A score on the scale the calibration was fitted on.</param>
    public double Calibrate(double score)
    {
        if (double.IsNaN(score))
        {
            return double.NaN;
        }

        if (score <= _scores[0])
        {
            return _values[0];
        }

        if (score >= _scores[^1])
        {
            return _values[^1];
        }

        int index = Array.BinarySearch(_scores, score);
        if (index >= 0)
        {
            return _values[index];
        }

        int upper = ~index;
        int lower = upper - 1;
        double fraction = (score - _scores[lower]) / (_scores[upper] - _scores[lower]);
        return _values[lower] + (fraction * (_values[upper] - _values[lower]));
    }
}
