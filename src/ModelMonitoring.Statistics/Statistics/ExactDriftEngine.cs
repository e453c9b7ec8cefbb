namespace ModelMonitoring.Statistics;

/// <summary>
/// Batch (exact) drift detection over raw column values, reproducing Evidently's data drift defaults: the method per
/// column (<see cref="StatTests.SelectDefault"/>), its threshold and drift rule (<see cref="StatTest"/>) and the dataset
/// verdict (drift when at least <see cref="DatasetDriftResult.DefaultDriftShare"/> of the columns drift).
/// </summary>
/// <remarks>
/// It is the sketch engine (<see cref="Sketches.SketchDriftEngine"/>) with unit weights: each column becomes its distinct
/// values with their exact counts (or its exact category counts), and the same method code scores them.
/// </remarks>
public static class ExactDriftEngine
{
    /// <summary>
    /// Compares one column's reference and current values. A method forced in <paramref name="settings"/> that the
    /// column's type does not allow (see <see cref="StatTest.AppliesTo"/>) is ignored together with its threshold, and
    /// the column keeps its default, as Evidently's "apply to the columns that allow it" does.
    /// </summary>
    /// <param name="reference">The reference column (its values in row order: chunk thresholds cut it in that order).</param>
    /// <param name="current">The current column: same name and type as the reference.</param>
    /// <param name="settings">The method, threshold and decision settings, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">
    /// The columns differ in name or type, a side has no non-missing value, a value is not finite, or a setting is
    /// invalid. The message names the column.
    /// </exception>
    public static ColumnDriftResult EvaluateColumn(ColumnSample reference, ColumnSample current, ColumnDriftSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        string name = reference.Name;
        ColumnComparison.Validate("column", name, current.Name, reference.Type, current.Type, reference.Count, current.Count, settings);
        if (reference.Type == ColumnType.Numerical)
        {
            NumericalSide referenceSide = NumericalSide.FromValues(reference.Numbers, name, "reference");
            reference.Summary ??= new NumericalSummary(referenceSide.Min, referenceSide.Max, Outliers.RobustZScore.FromDistribution(referenceSide.Distribution));
            NumericalSide currentSide = NumericalSide.FromValues(current.Numbers, name, "current");
            (StatTest method, MethodScore score) = ColumnComparison.ScoreNumbers(referenceSide, currentSide, settings);
            return ColumnComparison.Verdict(name, reference.Type, method, score, settings, reference.MissingCount, current.MissingCount, () =>
                ColumnComparison.ChunkThresholdOf(Chunks(reference.Numbers.Length, settings!.ChunkCount).Select(range =>
                    ColumnComparison.ScoreNumbers(method, referenceSide, NumericalSide.FromValues(reference.Numbers.AsSpan(range.Start, range.Length), name, "reference")))));
        }

        CategoryTable table = CategoryTable.FromLabels(reference.Categories, current.Categories);
        (StatTest categoricalMethod, MethodScore categoricalScore) = ColumnComparison.ScoreCategories(table, settings);
        return ColumnComparison.Verdict(name, reference.Type, categoricalMethod, categoricalScore, settings, reference.MissingCount, current.MissingCount, () =>
            ColumnComparison.ChunkThresholdOf(Chunks(reference.Categories.Length, settings!.ChunkCount).Select(range =>
                ColumnComparison.ScoreCategories(categoricalMethod, CategoryTable.FromLabels(reference.Categories, new ArraySegment<string>(reference.Categories, range.Start, range.Length))))));
    }

    /// <summary>
    /// Compares every column of a dataset, matched by name, and summarises them into a dataset verdict. Results follow
    /// the reference's column order.
    /// </summary>
    /// <param name="reference">The reference columns.</param>
    /// <param name="current">The current columns: the same names as the reference, in any order.</param>
    /// <param name="settingsForColumn">The settings of a column by name, or <see langword="null"/> (or a null result) for the defaults.</param>
    /// <param name="driftShare">The share of drifted columns at which the dataset drifts (0 to 1).</param>
    /// <exception cref="ArgumentException">A column is present on one side only, or appears twice; the message names it.</exception>
    public static DatasetDriftResult Evaluate(
        IReadOnlyList<ColumnSample> reference,
        IReadOnlyList<ColumnSample> current,
        Func<string, ColumnDriftSettings?>? settingsForColumn = null,
        double driftShare = DatasetDriftResult.DefaultDriftShare)
    {
        return ColumnComparison.EvaluateDataset("column", reference, current, c => c.Name, EvaluateColumn, settingsForColumn, driftShare);
    }

    // The reference cut into `count` consecutive chunks whose sizes differ by at most one (none when too small).
    private static IEnumerable<(int Start, int Length)> Chunks(int length, int count)
    {
        if (length < count)
        {
            yield break;
        }

        for (int i = 0; i < count; i++)
        {
            int start = (int)((long)length * i / count);
            int end = (int)((long)length * (i + 1) / count);
            yield return (start, end - start);
        }
    }
}
