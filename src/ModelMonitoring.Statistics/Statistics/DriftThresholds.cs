namespace ModelMonitoring.Statistics;

/// <summary>
/// Default thresholds and drift decisions per method, as Evidently's legacy stattests define them.
/// </summary>
public static class DriftThresholds
{
    /// <summary>The default significance level of the p-value tests (Kolmogorov-Smirnov, chi-square, Z).</summary>
    public const double DefaultPValueThreshold = 0.05;

    /// <summary>The default threshold of the distance methods (Wasserstein, Jensen-Shannon, PSI, KL, Hellinger).</summary>
    public const double DefaultDistanceThreshold = 0.1;

    /// <summary>The default threshold of a method: 0.05 for the p-value tests, 0.1 for the distances.</summary>
    /// <param name="method">A concrete method; <see cref="DriftMethod.Auto"/> has no threshold of its own.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="method"/> is <see cref="DriftMethod.Auto"/> or unknown.</exception>
    public static double Default(DriftMethod method) =>
        IsPValue(method) ? DefaultPValueThreshold : DefaultDistanceThreshold;

    /// <summary>
    /// Whether the method's score is a p-value (small means drift) rather than a distance (large means drift).
    /// </summary>
    /// <param name="method">A concrete method.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="method"/> is <see cref="DriftMethod.Auto"/> or unknown.</exception>
    public static bool IsPValue(DriftMethod method) => method switch
    {
        DriftMethod.KolmogorovSmirnov or DriftMethod.ChiSquare or DriftMethod.ZTest => true,
        DriftMethod.Wasserstein or DriftMethod.JensenShannon or DriftMethod.PopulationStabilityIndex
            or DriftMethod.KullbackLeibler or DriftMethod.Hellinger => false,
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "A concrete drift method is required (not Auto)."),
    };

    /// <summary>
    /// Whether a score means drift, with Evidently's comparisons: Kolmogorov-Smirnov drifts when
    /// <c>p &lt;= threshold</c>, chi-square and Z when <c>p &lt; threshold</c>, every distance when
    /// <c>score &gt;= threshold</c>. A NaN score never drifts.
    /// </summary>
    /// <param name="method">A concrete method.</param>
    /// <param name="score">The method's score.</param>
    /// <param name="threshold">The threshold to compare with.</param>
    public static bool IsDrift(DriftMethod method, double score, double threshold) => method switch
    {
        DriftMethod.KolmogorovSmirnov => score <= threshold,
        DriftMethod.ChiSquare or DriftMethod.ZTest => score < threshold,
        _ when !IsPValue(method) => score >= threshold,
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown drift method."),
    };
}
