using ModelMonitoring.Statistics;

namespace ModelMonitoring.Sketches;

/// <summary>
/// Streaming drift detection: the methods, defaults and thresholds of <see cref="ExactDriftEngine"/> (the same code: the exact engine is this one
/// with unit weights), computed from two <see cref="FeatureProfile"/>s (a reference and a current window) instead of raw values, in memory bounded by the
/// profiles.
/// </summary>
/// <remarks>
/// <para><b>How each method is computed.</b></para>
/// <list type="bullet">
/// <item>Method choice: <see cref="StatTests.SelectDefault"/> with the reference count and the number of
/// distinct values of both sides (exact up to <see cref="FeatureProfile.DistinctValueLimit"/>, then "more").</item>
/// <item>Kolmogorov-Smirnov: D = the largest gap between the two distributions' cumulative functions, evaluated at every
/// value either side retains; the p-value is <see cref="KolmogorovSmirnovTest.PValue(double, long, long)"/> with the
/// true counts.</item>
/// <item>Wasserstein: scipy's integral of |F_reference - F_current| over the retained weighted values
/// (<see cref="WassersteinDistance.Distance(ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double})"/>),
/// divided by the reference's exact population standard deviation (from the profile's moments).</item>
/// <item>PSI, KL, Jensen-Shannon: when the reference has more than 20 distinct values, Sturges bins from the exact
/// minimum, maximum and counts of both sides (<see cref="Histogram.SturgesEdges(double, double, long)"/>), each side's bin
/// shares read from its distribution; otherwise one bin per value from the exact value counts. Empty bins are filled
/// for PSI and KL as Evidently does.</item>
/// <item>Chi-square and Z on categories or on numbers with few distinct values: exact counts.</item>
/// <item>The rank and moment methods (<c>anderson</c>, <c>cramer_von_mises</c>, <c>mannw</c>, <c>es</c>, <c>t_test</c>,
/// <c>ed</c>, <c>empirical_mmd</c>) read the same weighted values, each weight standing for that many equal values;
/// <c>t_test</c> uses the exact moments.</item>
/// </list>
/// <para><b>Error bound.</b> A side whose profile is exact (a numerical profile with at most 21 distinct values, or a
/// <see cref="KllSketch"/> that never compacted, i.e. fewer than K values; a categorical profile that did not overflow)
/// gives exactly the exact engine's score. Otherwise, with ε the sketch's <see cref="KllSketch.NormalizedRankError"/>
/// (0.14% for the default K = 2048, 99% confidence per query): the KS statistic is within ε_reference + ε_current; each bin share is
/// within 2ε; the Wasserstein distance is within (ε_reference + ε_current) × (max - min) before norming. PSI, KL and
/// Jensen-Shannon follow from the bin shares (no closed form; measured figures are in the "Sketches" section of <c>docs/benchmarks.md</c>).
/// Categorical scores are exact unless a <see cref="CategoryCounter"/> overflowed: then the overflow bucket is compared
/// as one category, split by the estimated overlap of the values it holds on each side (a bottom-k sample of them, see
/// <see cref="CategoryCounter"/>), so that a complete change of categories inside the overflow still shows.</para>
/// <para><b>Binned windows.</b> A current profile from <see cref="FeatureProfile.CreateWindowProfile"/> is compared
/// the same way, through its distribution (each bin's mean with its count), except that Wasserstein and the histogram
/// methods spread each bin's values over the bin (see <see cref="FeatureProfile"/> for the bound this gives), and
/// that Wasserstein against the very reference the grid came from is summed bin by bin, without walking the
/// reference's values.</para>
/// <para><b>Thread safety.</b> Stateless; safe to call from any thread, as long as the profiles are not being written.</para>
/// </remarks>
public static class SketchDriftEngine
{
    /// <summary>
    /// Compares one feature's reference profile with a current profile. A method forced in
    /// <paramref name="settings"/> that the feature's type does not allow is ignored with its threshold, as in
    /// <see cref="ExactDriftEngine.EvaluateColumn"/>.
    /// </summary>
    /// <param name="reference">The reference profile (for example from a <see cref="BaselineProfile"/>); its
    /// <see cref="FeatureProfile.ReferenceChunks"/> serve the chunk thresholds.</param>
    /// <param name="current">The current profile: same name and type.</param>
    /// <param name="settings">The method, threshold and decision settings, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">
    /// The profiles differ in name or type, a side has no non-missing value, a value is not finite, or a setting is
    /// invalid. The message names the feature.
    /// </exception>
    public static ColumnDriftResult EvaluateColumn(FeatureProfile reference, FeatureProfile current, ColumnDriftSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        string name = reference.Name;
        ColumnComparison.Validate("feature", name, current.Name, reference.Type, current.Type, reference.Count, current.Count, settings);
        IReadOnlyList<FeatureProfile> chunks = reference.ReferenceChunks;
        if (reference.Type == ColumnType.Numerical)
        {
            NumericalSide referenceSide = NumericalSide.FromProfile(reference, "reference");
            NumericalSide currentSide = NumericalSide.FromProfile(current, "current");
            (StatTest method, MethodScore score) = ColumnComparison.ScoreNumbers(referenceSide, currentSide, settings);
            return ColumnComparison.Verdict(name, reference.Type, method, score, settings, reference.MissingCount, current.MissingCount, () =>
                ColumnComparison.ChunkThresholdOf(chunks.Where(c => c.Count > 0).Select(chunk =>
                    ColumnComparison.ScoreNumbers(method, referenceSide, NumericalSide.FromProfile(chunk, "reference")))));
        }

        CategoryTable table = CategoryTable.FromCounters(reference.Categories!, current.Categories!);
        (StatTest categoricalMethod, MethodScore categoricalScore) = ColumnComparison.ScoreCategories(table, settings);
        return ColumnComparison.Verdict(name, reference.Type, categoricalMethod, categoricalScore, settings, reference.MissingCount, current.MissingCount, () =>
            ColumnComparison.ChunkThresholdOf(chunks.Where(c => c.Count > 0).Select(chunk =>
                ColumnComparison.ScoreCategories(categoricalMethod, CategoryTable.FromCounters(reference.Categories!, chunk.Categories!)))));
    }

    /// <summary>
    /// Compares every feature, matched by name, and summarises them into a dataset verdict, in the reference's order.
    /// </summary>
    /// <param name="reference">The reference profiles.</param>
    /// <param name="current">The current profiles: the same names, in any order.</param>
    /// <param name="settingsForColumn">The settings of a feature by name, or <see langword="null"/> (or a null result) for the defaults.</param>
    /// <param name="driftShare">The share of drifted features at which the dataset drifts (0 to 1).</param>
    /// <exception cref="ArgumentException">A feature is on one side only or appears twice; the message names it.</exception>
    public static DatasetDriftResult Evaluate(
        IReadOnlyList<FeatureProfile> reference,
        IReadOnlyList<FeatureProfile> current,
        Func<string, ColumnDriftSettings?>? settingsForColumn = null,
        double driftShare = DatasetDriftResult.DefaultDriftShare)
    {
        return ColumnComparison.EvaluateDataset("feature", reference, current, c => c.Name, EvaluateColumn, settingsForColumn, driftShare);
    }

    /// <summary>Compares current profiles with a baseline's; see <see cref="Evaluate(IReadOnlyList{FeatureProfile}, IReadOnlyList{FeatureProfile}, Func{string, ColumnDriftSettings?}?, double)"/>.</summary>
    /// <param name="baseline">The reference profiles.</param>
    /// <param name="current">The current profiles: the same names, in any order.</param>
    /// <param name="settingsForColumn">The settings of a feature by name, or <see langword="null"/> for the defaults.</param>
    /// <param name="driftShare">The share of drifted features at which the dataset drifts (0 to 1).</param>
    public static DatasetDriftResult Evaluate(
        BaselineProfile baseline,
        IReadOnlyList<FeatureProfile> current,
        Func<string, ColumnDriftSettings?>? settingsForColumn = null,
        double driftShare = DatasetDriftResult.DefaultDriftShare)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        return Evaluate(baseline.Features, current, settingsForColumn, driftShare);
    }

    /// <summary>
    /// The Kolmogorov-Smirnov statistic of two distributions: the largest gap between their cumulative functions,
    /// evaluated at every value of either.
    /// </summary>
    /// <param name="reference">The reference distribution.</param>
    /// <param name="current">The current distribution.</param>
    public static double KolmogorovSmirnovStatistic(SortedWeightedValues reference, SortedWeightedValues current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        return KolmogorovSmirnovTest.Statistic(reference, current);
    }
}
