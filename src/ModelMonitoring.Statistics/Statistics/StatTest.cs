namespace ModelMonitoring.Statistics;

/// <summary>How a method's score is compared with its threshold to decide drift, as Evidently decides it.</summary>
public enum DriftRule
{
    /// <summary>The score is a p-value; drift when <c>score &lt; threshold</c>.</summary>
    PValueBelow,

    /// <summary>The score is a p-value; drift when <c>score &lt;= threshold</c> (Kolmogorov-Smirnov, Cramér-von Mises).</summary>
    PValueAtOrBelow,

    /// <summary>The score is a distance; drift when <c>score &gt;= threshold</c>.</summary>
    DistanceAtOrAbove,

    /// <summary>The score is a distance; drift when <c>score &gt; threshold</c> (energy distance).</summary>
    DistanceAbove,
}

/// <summary>
/// One drift method: Evidently's <c>StatTest</c>. Its <see cref="Name"/> is the one Evidently's <c>stattest</c>
/// parameter takes (<c>ks</c>, <c>anderson</c>, <c>TVD</c>...), with Evidently's default threshold, drift rule and column
/// types. The methods are listed in <see cref="StatTests"/>; instances are immutable and shared.
/// </summary>
public sealed class StatTest
{
    private readonly bool _numerical;
    private readonly bool _categorical;

    internal StatTest(
        string name,
        string displayName,
        DriftRule rule,
        double defaultThreshold,
        bool numerical,
        bool categorical,
        string effectSize,
        NumericalScorer? scoreNumbers,
        CategoricalScorer? scoreCategories)
    {
        Name = name;
        DisplayName = displayName;
        Rule = rule;
        DefaultThreshold = defaultThreshold;
        _numerical = numerical;
        _categorical = categorical;
        EffectSize = effectSize;
        ScoreNumbers = scoreNumbers;
        ScoreCategories = scoreCategories;
    }

    /// <summary>The name Evidently's <c>stattest</c> parameter takes, such as <c>ks</c> or <c>cramer_von_mises</c>.</summary>
    public string Name { get; }

    /// <summary>The name Evidently shows in its reports, such as <c>K-S p_value</c>.</summary>
    public string DisplayName { get; }

    /// <summary>How the score is compared with the threshold.</summary>
    public DriftRule Rule { get; }

    /// <summary>Evidently's default threshold for this method.</summary>
    public double DefaultThreshold { get; }

    /// <summary>Whether the score is a p-value (small means drift) rather than a distance (large means drift).</summary>
    public bool IsPValue => Rule is DriftRule.PValueBelow or DriftRule.PValueAtOrBelow;

    /// <summary>
    /// What <see cref="ColumnDriftResult.EffectSize"/> measures for this method, a magnitude that does not shrink with
    /// the sample size: the score itself for a distance; for a test, its natural effect size (KS D, total variation
    /// distance, Cohen's d...). A minimum effect size (<see cref="ColumnDriftSettings.MinimumEffectSize"/>) and the chunk
    /// thresholds (<see cref="ColumnDriftSettings.ChunkThresholds"/>) are read on this scale.
    /// </summary>
    public string EffectSize { get; }

    /// <summary>The column types Evidently allows for this method when it is chosen explicitly.</summary>
    public IReadOnlyList<ColumnType> ColumnTypes => (_numerical, _categorical) switch
    {
        (true, true) => [ColumnType.Numerical, ColumnType.Categorical],
        (true, false) => [ColumnType.Numerical],
        _ => [ColumnType.Categorical],
    };

    internal NumericalScorer? ScoreNumbers { get; }

    internal CategoricalScorer? ScoreCategories { get; }

    /// <summary>Whether the method may be chosen for a column of this type (Evidently's <c>allowed_feature_types</c>).</summary>
    /// <param name="type">The column's type.</param>
    public bool AppliesTo(ColumnType type) => type == ColumnType.Numerical ? _numerical : _categorical;

    /// <summary>Whether a score means drift under <see cref="Rule"/>. A NaN score never drifts.</summary>
    /// <param name="score">The method's score.</param>
    /// <param name="threshold">The threshold to compare it with.</param>
    public bool IsDrift(double score, double threshold) => Rule switch
    {
        DriftRule.PValueBelow => score < threshold,
        DriftRule.PValueAtOrBelow => score <= threshold,
        DriftRule.DistanceAtOrAbove => score >= threshold,
        _ => score > threshold,
    };

    /// <summary>The method's <see cref="Name"/>.</summary>
    public override string ToString() => Name;
}

/// <summary>A method's result before the verdict: its score, its effect size, and what made it less reliable.</summary>
internal readonly record struct MethodScore(double Score, double EffectSize, string? Warning = null)
{
    /// <summary>A method that cannot run on these data: no score, and the reason.</summary>
    public static MethodScore Undefined(string reason) => new(double.NaN, double.NaN, reason);
}

/// <summary>Scores a numerical reference and current side.</summary>
internal delegate MethodScore NumericalScorer(NumericalSide reference, NumericalSide current);

/// <summary>Scores the aligned category counts of a reference and a current side.</summary>
internal delegate MethodScore CategoricalScorer(CategoryTable table);
