namespace ModelMonitoring.Performance;

/// <summary>
/// Metrics of a multiclass classifier's predicted probabilities, one per class: ROC AUC one-vs-rest (macro) and log
/// loss, as scikit-learn's <c>roc_auc_score(multi_class="ovr", average="macro", labels=classes)</c> and
/// <c>log_loss(labels=classes)</c> compute them.
/// </summary>
public static class MulticlassScores
{
    /// <summary>
    /// The unweighted mean over the classes of the ROC AUC of each class's probability against that class versus the
    /// rest (<see cref="BinaryScores.RocAuc"/>). NaN when a class never occurs among <paramref name="actual"/>, or every
    /// row is of it (scikit-learn raises then), or when an actual label is not one of <paramref name="classes"/>.
    /// </summary>
    /// <param name="actual">The true label of each row.</param>
    /// <param name="classes">The classes, in the order of each row's probabilities.</param>
    /// <param name="probabilities">Each row's probability of each class (as many as <paramref name="classes"/>).</param>
    /// <exception cref="ArgumentException">The lists differ in length, a row has the wrong number of probabilities, or a probability is NaN.</exception>
    public static double RocAucOneVsRest(IReadOnlyList<string> actual, IReadOnlyList<string> classes, IReadOnlyList<IReadOnlyList<double>> probabilities)
    {
        int[] truth = Encode(actual, classes, probabilities);
        if (truth.Length == 0 || Array.IndexOf(truth, -1) >= 0)
        {
            return double.NaN;
        }

        var positive = new bool[truth.Length];
        var column = new double[truth.Length];
        double sum = 0;
        for (int c = 0; c < classes.Count; c++)
        {
            for (int i = 0; i < truth.Length; i++)
            {
                positive[i] = truth[i] == c;
                column[i] = probabilities[i][c];
            }

            double auc = BinaryScores.RocAuc(positive, column);
            if (double.IsNaN(auc))
            {
                return double.NaN;
            }

            sum += auc;
        }

        return sum / classes.Count;
    }

    /// <summary>
    /// The mean negative log of each row's probability of its true class, after clipping every probability to
    /// [ε, 1 − ε] (ε the machine epsilon of <see cref="double"/>) and dividing each row by its sum, as scikit-learn does.
    /// NaN with no rows, or when an actual label is not one of <paramref name="classes"/>.
    /// </summary>
    /// <param name="actual">The true label of each row.</param>
    /// <param name="classes">The classes, in the order of each row's probabilities.</param>
    /// <param name="probabilities">Each row's probability of each class, in [0, 1].</param>
    /// <exception cref="ArgumentException">The lists differ in length, a row has the wrong number of probabilities, or a probability lies outside [0, 1].</exception>
    public static double LogLoss(IReadOnlyList<string> actual, IReadOnlyList<string> classes, IReadOnlyList<IReadOnlyList<double>> probabilities)
    {
        int[] truth = Encode(actual, classes, probabilities);
        if (truth.Length == 0 || Array.IndexOf(truth, -1) >= 0)
        {
            return double.NaN;
        }

        const double epsilon = 2.220446049250313e-16;
        double loss = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            IReadOnlyList<double> row = probabilities[i];
            double total = 0;
            for (int c = 0; c < row.Count; c++)
            {
                double p = row[c];
                if (!(p >= 0 && p <= 1))
                {
                    throw new ArgumentException($"Probability {c} of row {i} is {p}, outside [0, 1].", nameof(probabilities));
                }

                total += Math.Clamp(p, epsilon, 1 - epsilon);
            }

            loss -= Math.Log(Math.Clamp(row[truth[i]], epsilon, 1 - epsilon) / total);
        }

        return loss / truth.Length;
    }

    /// <summary>The index of each row's class in <paramref name="classes"/>, −1 when it is not one.</summary>
    private static int[] Encode(IReadOnlyList<string> actual, IReadOnlyList<string> classes, IReadOnlyList<IReadOnlyList<double>> probabilities)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(probabilities);
        if (actual.Count != probabilities.Count)
        {
            throw new ArgumentException($"{actual.Count} labels but {probabilities.Count} rows of probabilities.", nameof(probabilities));
        }

        if (classes.Count < 2)
        {
            throw new ArgumentException($"A multiclass score needs at least two classes; {classes.Count} given.", nameof(classes));
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < classes.Count; c++)
        {
            if (!index.TryAdd(classes[c], c))
            {
                throw new ArgumentException($"Class '{classes[c]}' is given twice.", nameof(classes));
            }
        }

        var truth = new int[actual.Count];
        for (int i = 0; i < actual.Count; i++)
        {
            IReadOnlyList<double> row = probabilities[i];
            if (row.Count != classes.Count)
            {
                throw new ArgumentException($"Row {i} has {row.Count} probabilities for {classes.Count} classes.", nameof(probabilities));
            }

            for (int c = 0; c < row.Count; c++)
            {
                if (double.IsNaN(row[c]))
                {
                    throw new ArgumentException($"Probability {c} of row {i} is NaN.", nameof(probabilities));
                }
            }

            truth[i] = index.TryGetValue(actual[i], out int k) ? k : -1;
        }

        return truth;
    }
}
