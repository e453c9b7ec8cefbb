namespace ModelMonitoring.Performance;

/// <summary>Metrics of the predicted probability of a positive label: ROC AUC and log loss, as scikit-learn computes them.</summary>
public static class BinaryScores
{
    /// <summary>
    /// The area under the ROC curve: the probability that a positive row scores above a negative one, ties counting
    /// one half (the Mann-Whitney form of scikit-learn's <c>roc_auc_score</c>). NaN when either class is absent.
    /// </summary>
    /// <param name="positive">Whether each row is of the positive label.</param>
    /// <param name="scores">Each row's score; higher means more likely positive.</param>
    /// <exception cref="ArgumentException">The lists differ in length or a score is NaN.</exception>
    public static double RocAuc(IReadOnlyList<bool> positive, IReadOnlyList<double> scores)
    {
        ArgumentNullException.ThrowIfNull(positive);
        ArgumentNullException.ThrowIfNull(scores);
        if (positive.Count != scores.Count)
        {
            throw new ArgumentException($"{positive.Count} labels but {scores.Count} scores.", nameof(scores));
        }

        int n = scores.Count;
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            if (double.IsNaN(scores[i]))
            {
                throw new ArgumentException($"Score {i} is NaN.", nameof(scores));
            }

            order[i] = i;
        }

        Array.Sort(order, (x, y) => scores[x].CompareTo(scores[y]));
        double positiveRankSum = 0;
        long positives = 0;
        int start = 0;
        while (start < n)
        {
            int end = start;
            while (end + 1 < n && scores[order[end + 1]] == scores[order[start]])
            {
                end++;
            }

            double averageRank = ((start + end) / 2.0) + 1; // 1-based ranks, ties share their mean
            for (int i = start; i <= end; i++)
            {
                if (positive[order[i]])
                {
                    positiveRankSum += averageRank;
                    positives++;
                }
            }

            start = end + 1;
        }

        long negatives = n - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        return (positiveRankSum - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }

    /// <summary>
    /// The mean negative log-likelihood of the labels under the probabilities, each clipped to [ε, 1 − ε] with ε the
    /// machine epsilon of <see cref="double"/> (scikit-learn's <c>log_loss</c> since 1.5). NaN with no rows.
    /// </summary>
    /// <param name="positive">Whether each row is of the positive label.</param>
    /// <param name="probabilities">Each row's predicted probability of the positive label, in [0, 1].</param>
    /// <exception cref="ArgumentException">The lists differ in length, or a probability lies outside [0, 1].</exception>
    public static double LogLoss(IReadOnlyList<bool> positive, IReadOnlyList<double> probabilities)
    {
        ArgumentNullException.ThrowIfNull(positive);
        ArgumentNullException.ThrowIfNull(probabilities);
        if (positive.Count != probabilities.Count)
        {
            throw new ArgumentException($"{positive.Count} labels but {probabilities.Count} probabilities.", nameof(probabilities));
        }

        if (positive.Count == 0)
        {
            return double.NaN;
        }

        const double epsilon = 2.220446049250313e-16;
        double sum = 0;
        for (int i = 0; i < positive.Count; i++)
        {
            double p = probabilities[i];
            if (!(p >= 0 && p <= 1))
            {
                throw new ArgumentException($"Probability {i} is {p}, outside [0, 1].", nameof(probabilities));
            }

            p = Math.Clamp(p, epsilon, 1 - epsilon);
            sum -= positive[i] ? Math.Log(p) : Math.Log(1 - p);
        }

        return sum / positive.Count;
    }
}
