namespace ModelMonitoring.Statistics;

/// <summary>
/// The one drift engine behind <see cref="ExactDriftEngine"/> and <see cref="Sketches.SketchDriftEngine"/>: the checks on
/// the two sides, the method choice, the method's score on <see cref="NumericalSide"/>s or a <see cref="CategoryTable"/>,
/// and the verdict (threshold, minimum effect size, chunk thresholds, missing counts, warnings).
/// </summary>
internal static class ColumnComparison
{
    /// <summary>Checks that two sides can be compared. <paramref name="noun"/> is "column" or "feature" in messages.</summary>
    /// <exception cref="ArgumentException">The sides differ in name or type, a side is empty, or a setting is invalid.</exception>
    public static void Validate(string noun, string name, string currentName, ColumnType referenceType, ColumnType currentType, long referenceCount, long currentCount, ColumnDriftSettings? settings)
    {
        string capitalized = char.ToUpperInvariant(noun[0]) + noun[1..];
        if (!string.Equals(name, currentName, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Cannot compare {noun} '{name}' with {noun} '{currentName}'.", "current");
        }

        if (referenceType != currentType)
        {
            throw new ArgumentException($"{capitalized} '{name}' is {Describe(referenceType)} in the reference but {Describe(currentType)} in the current data.", "current");
        }

        if (referenceCount == 0)
        {
            throw new ArgumentException($"{capitalized} '{name}' has no non-missing value in the reference data.", "reference");
        }

        if (currentCount == 0)
        {
            throw new ArgumentException($"{capitalized} '{name}' has no non-missing value in the current data.", "current");
        }

        if (settings?.Threshold is double requested && !(requested >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(settings), requested, $"The drift threshold of {noun} '{name}' must be a non-negative number.");
        }

        if (settings?.MinimumEffectSize is double minimum && !(minimum >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(settings), minimum, $"The minimum effect size of {noun} '{name}' must be a non-negative number.");
        }

        foreach ((string method, double perMethod) in settings?.MinimumEffectSizes ?? new Dictionary<string, double>())
        {
            if (!(perMethod >= 0))
            {
                throw new ArgumentOutOfRangeException(nameof(settings), perMethod, $"The minimum effect size of {method} for {noun} '{name}' must be a non-negative number.");
            }
        }

        if (settings is { ChunkThresholds: true, ChunkCount: < 2 or > 1000 })
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.ChunkCount, $"The chunk count of {noun} '{name}' must lie between 2 and 1000.");
        }
    }

    /// <summary>
    /// The method for a column: a method forced in the settings when the column's type allows it, otherwise the default
    /// Evidently picks from the type, the reference size and the number of distinct values.
    /// </summary>
    public static StatTest ChooseMethod(ColumnType type, long referenceCount, long distinctCount, ColumnDriftSettings? settings)
    {
        StatTest? requested = settings?.Method;
        return requested is not null && requested.AppliesTo(type)
            ? requested
            : StatTests.SelectDefault(type, referenceCount, distinctCount);
    }

    /// <summary>How many distinct numbers both sides hold together: exact while both are exact, else "more than 21".</summary>
    public static long DistinctNumbers(NumericalSide reference, NumericalSide current)
    {
        if (!reference.IsExact || !current.IsExact)
        {
            return Sketches.FeatureProfile.DistinctValueLimit + 1;
        }

        ReadOnlySpan<double> left = reference.Distribution.Values;
        ReadOnlySpan<double> right = current.Distribution.Values;
        long distinct = 0;
        int i = 0;
        int j = 0;
        while (i < left.Length || j < right.Length)
        {
            double value = i >= left.Length ? right[j] : j >= right.Length ? left[i] : Math.Min(left[i], right[j]);
            if (i < left.Length && left[i] == value)
            {
                i++;
            }

            if (j < right.Length && right[j] == value)
            {
                j++;
            }

            distinct++;
        }

        return distinct;
    }

    /// <summary>A numerical column's method and score.</summary>
    public static (StatTest Method, MethodScore Score) ScoreNumbers(NumericalSide reference, NumericalSide current, ColumnDriftSettings? settings)
    {
        StatTest method = ChooseMethod(ColumnType.Numerical, reference.Count, DistinctNumbers(reference, current), settings);
        return (method, ScoreNumbers(method, reference, current));
    }

    /// <summary>A method's score on two numerical sides (put on a common scale first).</summary>
    public static MethodScore ScoreNumbers(StatTest method, NumericalSide reference, NumericalSide current)
    {
        (reference, current) = NumericalSide.OnCommonScale(reference, current);
        NumericalScorer scorer = method.ScoreNumbers
            ?? throw new InvalidOperationException($"The method {method.Name} does not score numbers.");
        return scorer(reference, current);
    }

    /// <summary>A categorical column's method and score.</summary>
    public static (StatTest Method, MethodScore Score) ScoreCategories(CategoryTable table, ColumnDriftSettings? settings)
    {
        StatTest method = ChooseMethod(ColumnType.Categorical, table.ReferenceTotal, table.Length, settings);
        return (method, ScoreCategories(method, table));
    }

    /// <summary>A method's score on aligned category counts (the table's own warning carried).</summary>
    public static MethodScore ScoreCategories(StatTest method, CategoryTable table)
    {
        CategoricalScorer scorer = method.ScoreCategories
            ?? throw new InvalidOperationException($"The method {method.Name} does not score categories.");
        MethodScore score = scorer(table);
        return table.Warning is null ? score : score with { Warning = Join(table.Warning, score.Warning) };
    }

    /// <summary>
    /// NannyML's threshold from the effect sizes of reference chunks, each compared with the whole reference; null
    /// when fewer than two chunks gave an effect size.
    /// </summary>
    public static ChunkThreshold? ChunkThresholdOf(IEnumerable<MethodScore> chunkScores)
    {
        double[] effects = chunkScores.Select(s => s.EffectSize).Where(double.IsFinite).ToArray();
        if (effects.Length < 2)
        {
            return null;
        }

        double mean = effects.Average();
        double variance = effects.Sum(e => (e - mean) * (e - mean)) / effects.Length;
        return new ChunkThreshold(effects.Length, mean, Math.Sqrt(variance));
    }

    /// <summary>
    /// The verdict for a score. The threshold: one forced in the settings applies to the method it was meant for (or to
    /// any method when the settings leave the method to the default); otherwise the method's default. With chunk
    /// thresholds on and a chunk threshold known, the effect size decides against its upper bound instead. A minimum
    /// effect size then vetoes drift below it. A NaN score never drifts (its warning says why).
    /// </summary>
    public static ColumnDriftResult Verdict(string name, ColumnType type, StatTest method, MethodScore score, ColumnDriftSettings? settings, long referenceMissing, long currentMissing, Func<ChunkThreshold?>? chunks)
    {
        double threshold = settings is { Threshold: double forced } && (settings.Method is null || settings.Method == method)
            ? forced
            : method.DefaultThreshold;
        string? warning = score.Warning;
        ChunkThreshold? chunk = null;
        bool drift;
        if (settings is { ChunkThresholds: true })
        {
            chunk = chunks?.Invoke();
            if (chunk is null)
            {
                warning = Join(warning, "chunk thresholds were asked for, but the reference has no chunks to derive them from; the method's threshold decided");
            }
        }

        if (double.IsNaN(score.Score))
        {
            drift = false;
            warning ??= $"the {method.Name} score is not a number; the column is not reported as drifted";
        }
        else if (chunk is not null)
        {
            drift = score.EffectSize > chunk.Upper;
        }
        else
        {
            drift = method.IsDrift(score.Score, threshold);
        }

        double? minimum = settings?.MinimumEffectSizes is { } perMethod && perMethod.TryGetValue(method.Name, out double forMethod)
            ? forMethod
            : settings?.MinimumEffectSize;
        if (drift && minimum is double least && !(score.EffectSize >= least))
        {
            drift = false;
        }

        return new ColumnDriftResult(name, type, method, score.Score, threshold, drift)
        {
            ReferenceMissing = (int)Math.Min(referenceMissing, int.MaxValue),
            CurrentMissing = (int)Math.Min(currentMissing, int.MaxValue),
            EffectSize = score.EffectSize,
            MinimumEffectSize = minimum,
            ChunkThreshold = chunk,
            Warning = warning,
        };
    }

    /// <summary>
    /// Compares every column of a dataset, matched by name, in the reference's order, and summarises them.
    /// <paramref name="noun"/> is "column" or "feature" in messages.
    /// </summary>
    /// <exception cref="ArgumentException">A column is on one side only, or appears twice; the message names it.</exception>
    public static DatasetDriftResult EvaluateDataset<TColumn>(
        string noun,
        IReadOnlyList<TColumn> reference,
        IReadOnlyList<TColumn> current,
        Func<TColumn, string> nameOf,
        Func<TColumn, TColumn, ColumnDriftSettings?, ColumnDriftResult> evaluateColumn,
        Func<string, ColumnDriftSettings?>? settingsForColumn,
        double driftShare)
        where TColumn : class
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        if (!(driftShare >= 0 && driftShare <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(driftShare), driftShare, "The dataset drift share must lie between 0 and 1.");
        }

        string capitalized = char.ToUpperInvariant(noun[0]) + noun[1..];
        Dictionary<string, TColumn> currentByName = IndexByName(current, nameOf, "current", capitalized);
        Dictionary<string, TColumn> referenceByName = IndexByName(reference, nameOf, "reference", capitalized);
        foreach (string name in currentByName.Keys)
        {
            if (!referenceByName.ContainsKey(name))
            {
                throw new ArgumentException($"{capitalized} '{name}' is in the current data but not in the reference.", nameof(current));
            }
        }

        var results = new ColumnDriftResult[reference.Count];
        for (int i = 0; i < reference.Count; i++)
        {
            string name = nameOf(reference[i]);
            if (!currentByName.TryGetValue(name, out TColumn? currentColumn))
            {
                throw new ArgumentException($"{capitalized} '{name}' is in the reference but not in the current data.", nameof(current));
            }

            results[i] = evaluateColumn(reference[i], currentColumn, settingsForColumn?.Invoke(name));
        }

        return DatasetDriftResult.FromColumns(results, driftShare);
    }

    public static string Describe(ColumnType type) => type == ColumnType.Numerical ? "numerical" : "categorical";

    internal static string? Join(string? first, string? second) =>
        first is null ? second : second is null ? first : first + "; " + second;

    private static Dictionary<string, TColumn> IndexByName<TColumn>(IReadOnlyList<TColumn> columns, Func<TColumn, string> nameOf, string side, string capitalized)
        where TColumn : class
    {
        var byName = new Dictionary<string, TColumn>(StringComparer.Ordinal);
        foreach (TColumn column in columns)
        {
            ArgumentNullException.ThrowIfNull(column, side);
            if (!byName.TryAdd(nameOf(column), column))
            {
                throw new ArgumentException($"{capitalized} '{nameOf(column)}' appears twice in the {side} data.", side);
            }
        }

        return byName;
    }
}
