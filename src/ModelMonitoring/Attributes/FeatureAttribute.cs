namespace ModelMonitoring;

/// <summary>Controls how one input parameter or property is captured as a feature.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field, Inherited = true, AllowMultiple = false)]
public sealed class FeatureAttribute : Attribute
{
    /// <summary>The feature's name in metrics and reports. Defaults to the member name in snake_case.</summary>
    public string? Name { get; set; }

    /// <summary>Whether the feature is numerical or categorical. Defaults to the kind implied by its type.</summary>
    public FeatureKind Kind { get; set; } = FeatureKind.Auto;

    /// <summary>
    /// For categorical features, how many distinct values are counted before further values go to an overflow
    /// bucket. Zero means the default (100).
    /// </summary>
    public int MaxCategories { get; set; }

    /// <summary>The drift method for this feature. Defaults to the method chosen by column type and size.</summary>
    public DriftMethod DriftMethod { get; set; } = DriftMethod.Auto;

    /// <summary>
    /// The drift threshold for this feature. <see cref="double.NaN"/> (the default) keeps the method's own default.
    /// </summary>
    public double DriftThreshold { get; set; } = double.NaN;
}

/// <summary>Excludes a parameter or property from feature capture.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field, Inherited = true, AllowMultiple = false)]
public sealed class IgnoreFeatureAttribute : Attribute
{
}

/// <summary>
/// Marks a parameter or property as personal or secret. Its value is never written to a log, an exported label
/// or a report; only its presence (count and missing count) is captured.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field, Inherited = true, AllowMultiple = false)]
public sealed class SensitiveAttribute : Attribute
{
}

/// <summary>How a feature's values are compared between reference and current data.</summary>
public enum FeatureKind
{
    /// <summary>Decided by the value's type: numbers and dates are numerical; strings, booleans, enums and chars categorical.</summary>
    Auto = 0,

    /// <summary>A quantity: compared with distribution tests (Kolmogorov-Smirnov, Wasserstein...).</summary>
    Numerical = 1,

    /// <summary>A label: compared with category shares (chi-square, Jensen-Shannon...).</summary>
    Categorical = 2,
}

/// <summary>A statistical method that scores drift between a reference and a current distribution.</summary>
public enum DriftMethod
{
    /// <summary>Evidently's default for the column: chosen by type, size and number of distinct values.</summary>
    Auto = 0,

    /// <summary>Two-sample Kolmogorov-Smirnov test; the score is a p-value (drift when p &lt;= threshold, default 0.05).</summary>
    KolmogorovSmirnov,

    /// <summary>Chi-square goodness of fit; the score is a p-value (drift when p &lt; threshold, default 0.05).</summary>
    ChiSquare,

    /// <summary>Two-proportion Z test; the score is a p-value (drift when p &lt; threshold, default 0.05).</summary>
    ZTest,

    /// <summary>Wasserstein distance normed by the reference standard deviation (drift when &gt;= threshold, default 0.1).</summary>
    Wasserstein,

    /// <summary>Jensen-Shannon distance, natural log (drift when &gt;= threshold, default 0.1).</summary>
    JensenShannon,

    /// <summary>Population stability index (drift when &gt;= threshold, default 0.1).</summary>
    PopulationStabilityIndex,

    /// <summary>Kullback-Leibler divergence (drift when &gt;= threshold, default 0.1).</summary>
    KullbackLeibler,

    /// <summary>Hellinger distance (drift when &gt;= threshold, default 0.1).</summary>
    Hellinger,

    /// <summary>Evidently's <c>anderson</c>: Anderson-Darling k-sample test; a p-value (drift when p &lt; threshold, default 0.1). Numerical.</summary>
    AndersonDarling,

    /// <summary>Evidently's <c>cramer_von_mises</c>: two-sample Cramér-von Mises test; a p-value (drift when p &lt;= threshold, default 0.1). Numerical.</summary>
    CramerVonMises,

    /// <summary>Evidently's <c>ed</c>: energy distance (drift when &gt; threshold, default 0.1). Numerical.</summary>
    EnergyDistance,

    /// <summary>Evidently's <c>es</c>: Epps-Singleton test; a p-value (drift when p &lt; threshold, default 0.05). Numerical.</summary>
    EppsSingleton,

    /// <summary>Evidently's <c>fisher_exact</c>: Fisher's exact test on two categories; a p-value (drift when p &lt; threshold, default 0.1). Categorical.</summary>
    FisherExact,

    /// <summary>Evidently's <c>g_test</c>: G-test; a p-value (drift when p &lt; threshold, default 0.1). Categorical.</summary>
    GTest,

    /// <summary>Evidently's <c>mannw</c>: Mann-Whitney U test, one-sided as Evidently; a p-value (drift when p &lt; threshold, default 0.05). Numerical.</summary>
    MannWhitneyU,

    /// <summary>Evidently's <c>t_test</c>: Student's two-sample t test; a p-value (drift when p &lt; threshold, default 0.05). Numerical.</summary>
    TTest,

    /// <summary>Evidently's <c>TVD</c>: total variation distance with a permutation p-value (drift when p &lt; threshold, default 0.1). Categorical.</summary>
    TotalVariationDistance,

    /// <summary>Evidently's <c>empirical_mmd</c>: maximum mean discrepancy with a permutation p-value (drift when p &lt; threshold, default 0.1). Numerical.</summary>
    EmpiricalMmd,
}
