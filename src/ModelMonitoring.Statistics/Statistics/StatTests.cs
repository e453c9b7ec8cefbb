using System.Diagnostics.CodeAnalysis;

namespace ModelMonitoring.Statistics;

/// <summary>
/// The registry of drift methods: every method Evidently's legacy registry ships for numerical and categorical columns,
/// under its <c>stattest</c> name, with its default threshold and drift rule, and Evidently's choice of a default method
/// per column. One file per method under <c>Statistics/Methods</c>; this table lists them.
/// </summary>
public static class StatTests
{
    /// <summary>Reference sizes up to this many values use the statistical tests by default; larger ones use distances.</summary>
    public const int SmallReferenceMaxCount = 1000;

    /// <summary><c>ks</c>: two-sample Kolmogorov-Smirnov, as <c>scipy.stats.ks_2samp</c>; p-value, drift when <c>p &lt;= 0.05</c>.</summary>
    public static StatTest KolmogorovSmirnov => Methods.KolmogorovSmirnovMethod.Test;

    /// <summary><c>chisquare</c>: chi-square goodness of fit against the scaled reference counts; p-value, drift when <c>p &lt; 0.05</c>.</summary>
    public static StatTest ChiSquare => Methods.ChiSquareMethod.Test;

    /// <summary><c>z</c>: two-proportion Z test; p-value, drift when <c>p &lt; 0.05</c>.</summary>
    public static StatTest Z => Methods.ZMethod.Test;

    /// <summary><c>wasserstein</c>: Wasserstein distance normed by the reference's standard deviation; drift when <c>&gt;= 0.1</c>.</summary>
    public static StatTest Wasserstein => Methods.WassersteinMethod.Test;

    /// <summary><c>jensenshannon</c>: Jensen-Shannon distance (natural log); drift when <c>&gt;= 0.1</c>.</summary>
    public static StatTest JensenShannon => Methods.JensenShannonMethod.Test;

    /// <summary><c>psi</c>: population stability index; drift when <c>&gt;= 0.1</c>.</summary>
    public static StatTest PopulationStabilityIndex => Methods.PopulationStabilityIndexMethod.Test;

    /// <summary><c>kl_div</c>: Kullback-Leibler divergence; drift when <c>&gt;= 0.1</c>.</summary>
    public static StatTest KullbackLeibler => Methods.KullbackLeiblerMethod.Test;

    /// <summary><c>hellinger</c>: Hellinger distance; drift when <c>&gt;= 0.1</c>.</summary>
    public static StatTest Hellinger => Methods.HellingerMethod.Test;

    /// <summary><c>anderson</c>: Anderson-Darling k-sample test, as <c>scipy.stats.anderson_ksamp</c>; p-value, drift when <c>p &lt; 0.1</c>.</summary>
    public static StatTest AndersonDarling => Methods.AndersonDarlingMethod.Test;

    /// <summary><c>cramer_von_mises</c>: two-sample Cramér-von Mises, as <c>scipy.stats.cramervonmises_2samp</c>; p-value, drift when <c>p &lt;= 0.1</c>.</summary>
    public static StatTest CramerVonMises => Methods.CramerVonMisesMethod.Test;

    /// <summary><c>ed</c>: energy distance, as <c>scipy.stats.energy_distance</c>; drift when <c>&gt; 0.1</c>.</summary>
    public static StatTest EnergyDistance => Methods.EnergyDistanceMethod.Test;

    /// <summary><c>es</c>: Epps-Singleton test, as <c>scipy.stats.epps_singleton_2samp</c>; p-value, drift when <c>p &lt; 0.05</c>.</summary>
    public static StatTest EppsSingleton => Methods.EppsSingletonMethod.Test;

    /// <summary><c>fisher_exact</c>: Fisher's exact test on two categories, as <c>scipy.stats.fisher_exact</c>; p-value, drift when <c>p &lt; 0.1</c>.</summary>
    public static StatTest FisherExact => Methods.FisherExactMethod.Test;

    /// <summary><c>g_test</c>: G-test (log-likelihood ratio), as <c>scipy.stats.power_divergence</c>; p-value, drift when <c>p &lt; 0.1</c>.</summary>
    public static StatTest GTest => Methods.GTestMethod.Test;

    /// <summary><c>mannw</c>: Mann-Whitney U, one-sided as Evidently calls <c>scipy.stats.mannwhitneyu</c>; p-value, drift when <c>p &lt; 0.05</c>.</summary>
    public static StatTest MannWhitneyU => Methods.MannWhitneyMethod.Test;

    /// <summary><c>t_test</c>: Student's two-sample t test, as <c>scipy.stats.ttest_ind</c>; p-value, drift when <c>p &lt; 0.05</c>.</summary>
    public static StatTest TTest => Methods.TTestMethod.Test;

    /// <summary><c>TVD</c>: total variation distance with a permutation p-value; p-value, drift when <c>p &lt; 0.1</c>.</summary>
    public static StatTest TotalVariationDistance => Methods.TotalVariationMethod.Test;

    /// <summary><c>empirical_mmd</c>: maximum mean discrepancy (RBF kernel) with a permutation p-value; drift when <c>p &lt; 0.1</c>.</summary>
    public static StatTest EmpiricalMmd => Methods.EmpiricalMmdMethod.Test;

    /// <summary>Every method, in the order help texts list them.</summary>
    public static IReadOnlyList<StatTest> All { get; } =
    [
        KolmogorovSmirnov, ChiSquare, Z, Wasserstein, JensenShannon, PopulationStabilityIndex, KullbackLeibler, Hellinger,
        AndersonDarling, CramerVonMises, EnergyDistance, EppsSingleton, FisherExact, GTest, MannWhitneyU, TTest,
        TotalVariationDistance, EmpiricalMmd,
    ];

    /// <summary>Every method's name, in the order of <see cref="All"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(test => test.Name).ToArray();

    /// <summary>Finds a method by its Evidently name, ignoring case (<c>ks</c>, <c>TVD</c>, <c>tvd</c>...).</summary>
    /// <param name="name">The name.</param>
    /// <param name="test">The method, when found.</param>
    public static bool TryGet(string? name, [NotNullWhen(true)] out StatTest? test)
    {
        string? trimmed = name?.Trim();
        test = All.FirstOrDefault(candidate => string.Equals(candidate.Name, trimmed, StringComparison.OrdinalIgnoreCase));
        return test is not null;
    }

    /// <summary>The method of this name (see <see cref="TryGet"/>).</summary>
    /// <param name="name">The name.</param>
    /// <exception cref="ArgumentException">No method has that name; the message lists the names.</exception>
    public static StatTest Get(string name) =>
        TryGet(name, out StatTest? test)
            ? test
            : throw new ArgumentException($"'{name}' is not a drift method; use one of: {string.Join(", ", Names)}.", nameof(name));

    /// <summary>
    /// Evidently's default method for a column:
    /// <list type="bullet">
    /// <item>reference count &lt;= 1000: numerical with &gt; 5 distinct values -> <c>ks</c>; otherwise <c>chisquare</c>
    /// when &gt; 2 distinct values, else <c>z</c>;</item>
    /// <item>reference count &gt; 1000: numerical with &gt; 5 distinct values -> <c>wasserstein</c>; otherwise
    /// <c>jensenshannon</c>.</item>
    /// </list>
    /// </summary>
    /// <param name="type">The column's type.</param>
    /// <param name="referenceCount">How many non-missing values the reference holds.</param>
    /// <param name="distinctCount">How many distinct non-missing values reference and current hold together.</param>
    public static StatTest SelectDefault(ColumnType type, long referenceCount, long distinctCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(referenceCount);
        ArgumentOutOfRangeException.ThrowIfNegative(distinctCount);
        bool manyNumbers = type switch
        {
            ColumnType.Numerical => distinctCount > 5,
            ColumnType.Categorical => false,
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown column type."),
        };

        if (referenceCount <= SmallReferenceMaxCount)
        {
            return manyNumbers ? KolmogorovSmirnov : distinctCount > 2 ? ChiSquare : Z;
        }

        return manyNumbers ? Wasserstein : JensenShannon;
    }
}
