using ModelMonitoring.Statistics;

namespace ModelMonitoring.Sketches;

/// <summary>
/// Streaming drift detection: the methods, defaults and thresholds of <see cref="ExactDriftEngine"/>, computed from
/// two <see cref="FeatureProfile"/>s (a reference and a current window) instead of raw values, in memory bounded by the
/// profiles.
/// </summary>
/// <remarks>
/// <para><b>How each method is computed.</b></para>
/// <list type="bullet">
/// <item>Method choice: <see cref="DriftMethodRegistry.SelectDefault"/> with the reference count and the number of
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
/// </list>
/// <para><b>Error bound.</b> A side whose profile is exact (a numerical profile with at most 21 distinct values, or a
/// <see cref="KllSketch"/> that never compacted, i.e. fewer than K values; a categorical profile that did not overflow)
/// gives exactly the exact engine's score. Otherwise, with ε the sketch's <see cref="KllSketch.NormalizedRankError"/>
/// (0.14% for the default K = 2048, 99% confidence per query): the KS statistic is within ε_reference + ε_current; each bin share is
/// within 2ε; the Wasserstein distance is within (ε_reference + ε_current) × (max - min) before norming. PSI, KL and
/// Jensen-Shannon follow from the bin shares (no closed form; measured figures are in the "Sketches" section of <c>docs/benchmarks.md</c>).
/// Categorical scores are exact unless a <see cref="CategoryCounter"/> overflowed: then the overflow bucket is compared
/// as one category.</para>
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
    /// <param name="reference">The reference profile (for example from a <see cref="BaselineProfile"/>).</param>
    /// <param name="current">The current profile: same name and type.</param>
    /// <param name="settings">The method and threshold, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">
    /// The profiles differ in name or type, a side has no non-missing value, a value is not finite, or the threshold is
    /// negative or NaN. The message names the feature.
    /// </exception>
    public static ColumnDriftResult EvaluateColumn(FeatureProfile reference, FeatureProfile current, ColumnDriftSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        string name = reference.Name;
        ColumnComparison.Validate("feature", name, current.Name, reference.Type, current.Type, reference.Count, current.Count, settings);
        (DriftMethod method, double score) = reference.Type == ColumnType.Numerical
            ? EvaluateNumerical(reference, current, settings)
            : EvaluateCategorical(reference, current, settings);
        return ColumnComparison.Verdict(name, reference.Type, method, score, settings, reference.MissingCount, current.MissingCount);
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
        ReadOnlySpan<double> referenceValues = reference.Values;
        ReadOnlySpan<long> referenceWeights = reference.Weights;
        ReadOnlySpan<double> currentValues = current.Values;
        ReadOnlySpan<long> currentWeights = current.Weights;
        double referenceTotal = reference.TotalWeight;
        double currentTotal = current.TotalWeight;
        int i = 0;
        int j = 0;
        long referenceCumulative = 0;
        long currentCumulative = 0;
        double largest = 0;
        while (i < referenceValues.Length && j < currentValues.Length)
        {
            double value = Math.Min(referenceValues[i], currentValues[j]);
            if (referenceValues[i] == value)
            {
                referenceCumulative += referenceWeights[i++];
            }

            if (currentValues[j] == value)
            {
                currentCumulative += currentWeights[j++];
            }

            largest = Math.Max(largest, Math.Abs((referenceCumulative / referenceTotal) - (currentCumulative / currentTotal)));
        }

        return largest;
    }

    private static (DriftMethod Method, double Score) EvaluateNumerical(FeatureProfile reference, FeatureProfile current, ColumnDriftSettings? settings)
    {
        string name = reference.Name;
        RequireFinite(reference, "reference");
        RequireFinite(current, "current");
        DriftMethod method = ColumnComparison.ChooseMethod(ColumnType.Numerical, reference.Count, DistinctNumbers(reference, current), settings);
        SortedWeightedValues referenceDistribution = reference.GetDistribution();

        // A binned window's Wasserstein and histogram methods work on its bins; the current distribution (cached by
        // the profile) is built only by the methods that need it.
        double score;
        switch (method)
        {
            case DriftMethod.KolmogorovSmirnov:
                score = KolmogorovSmirnovTest.PValue(
                    KolmogorovSmirnovStatistic(referenceDistribution, current.GetDistribution()), reference.Count, current.Count);
                break;
            case DriftMethod.Wasserstein:
                score = WassersteinDistance.Normed(
                    current.IsBinned && !current.HasExactValueCounts
                        ? current.WassersteinTo(referenceDistribution)
                        : WassersteinDistance.Distance(
                            referenceDistribution.Values,
                            ToDoubles(referenceDistribution.Weights),
                            current.GetDistribution().Values,
                            ToDoubles(current.GetDistribution().Weights)),
                    reference.StandardDeviation);
                break;
            case DriftMethod.ChiSquare:
            {
                (long[] referenceCounts, long[] currentCounts) = CountPerValue(referenceDistribution, current.GetDistribution(), current.HasExactValueCounts);
                score = ChiSquareTest.PValueFromReferenceCounts(ToDoubles(currentCounts), ToDoubles(referenceCounts));
                break;
            }

            case DriftMethod.ZTest:
            {
                (long[] referenceCounts, long[] currentCounts) = CountPerValue(referenceDistribution, current.GetDistribution(), current.HasExactValueCounts);
                score = ZTestOnCounts(referenceCounts, currentCounts);
                break;
            }

            case DriftMethod.Hellinger:
            {
                double[] edges = Histogram.SturgesEdges(
                    Math.Min(reference.Min, current.Min),
                    Math.Max(reference.Max, current.Max),
                    reference.HasExactValueCounts && current.HasExactValueCounts
                        ? DistinctNumbers(reference, current)
                        : reference.Count + current.Count);
                score = HellingerDistance.FromBinnedCounts(
                    ToDoubles(CountPerBin(referenceDistribution, edges)), CurrentPerBin(current, edges), edges);
                break;
            }

            default:
            {
                if (reference.HasExactValueCounts && reference.DistinctCount <= ColumnDistributions.MaxDistinctValuesCompared)
                {
                    (long[] referenceCounts, long[] currentCounts) = CountPerValue(referenceDistribution, current.GetDistribution(), current.HasExactValueCounts);
                    score = CompareCounts(method, referenceCounts, reference.Count, currentCounts, current.Count);
                }
                else
                {
                    double[] edges = Histogram.SturgesEdges(
                        Math.Min(reference.Min, current.Min), Math.Max(reference.Max, current.Max), reference.Count + current.Count);
                    score = CompareShares(
                        method,
                        SharesOf(ToDoubles(CountPerBin(referenceDistribution, edges)), reference.Count),
                        SharesOf(CurrentPerBin(current, edges), current.Count));
                }

                break;
            }
        }

        return (method, score);

        void RequireFinite(FeatureProfile profile, string side)
        {
            if (!double.IsFinite(profile.Min) || !double.IsFinite(profile.Max))
            {
                throw new ArgumentException(
                    $"Feature '{name}' holds a non-finite value in the {side} data (range {profile.Min} to {profile.Max}); count such values as missing.",
                    side);
            }
        }
    }

    private static (DriftMethod Method, double Score) EvaluateCategorical(FeatureProfile reference, FeatureProfile current, ColumnDriftSettings? settings)
    {
        (long[] referenceCounts, long[] currentCounts) = CountCategories(reference.Categories!, current.Categories!);
        DriftMethod method = ColumnComparison.ChooseMethod(ColumnType.Categorical, reference.Count, referenceCounts.Length, settings);
        double score = method switch
        {
            DriftMethod.ChiSquare => ChiSquareTest.PValueFromReferenceCounts(ToDoubles(currentCounts), ToDoubles(referenceCounts)),
            DriftMethod.ZTest => ZTestOnCounts(referenceCounts, currentCounts),
            _ => CompareCounts(method, referenceCounts, reference.Count, currentCounts, current.Count),
        };

        return (method, score);
    }

    private static double CompareCounts(DriftMethod method, long[] referenceCounts, long referenceTotal, long[] currentCounts, long currentTotal)
    {
        var referenceShares = new double[referenceCounts.Length];
        var currentShares = new double[currentCounts.Length];
        Shares.FromCounts(referenceCounts, referenceTotal, referenceShares);
        Shares.FromCounts(currentCounts, currentTotal, currentShares);
        return CompareShares(method, referenceShares, currentShares);
    }

    private static double CompareShares(DriftMethod method, double[] referenceShares, double[] currentShares)
    {
        if (method is DriftMethod.PopulationStabilityIndex or DriftMethod.KullbackLeibler)
        {
            Shares.FillEmpty(referenceShares);
            Shares.FillEmpty(currentShares);
        }

        return method switch
        {
            DriftMethod.JensenShannon => JensenShannonDistance.Compute(referenceShares, currentShares),
            DriftMethod.PopulationStabilityIndex => PopulationStabilityIndex.Compute(referenceShares, currentShares),
            DriftMethod.KullbackLeibler => KullbackLeiblerDivergence.Compute(referenceShares, currentShares),
            DriftMethod.Hellinger => HellingerDistance.Compute(referenceShares, currentShares),
            _ => throw new InvalidOperationException($"Method {method} does not compare shares."),
        };
    }

    // Evidently's z test: the proportion of values other than the first key in sorted order (as the exact engine).
    private static double ZTestOnCounts(long[] referenceCounts, long[] currentCounts)
    {
        long referenceTotal = referenceCounts.Sum();
        long currentTotal = currentCounts.Sum();
        return ZTest.PValue(referenceTotal - referenceCounts[0], referenceTotal, currentTotal - currentCounts[0], currentTotal);
    }

    /// <summary>
    /// Distinct numbers of both sides together: exact while both profiles have exact value counts, otherwise
    /// <see cref="FeatureProfile.DistinctValueLimit"/> + 1 ("more than the limit"), which is all the default rules need.
    /// </summary>
    private static int DistinctNumbers(FeatureProfile reference, FeatureProfile current)
    {
        if (!reference.HasExactValueCounts || !current.HasExactValueCounts)
        {
            return FeatureProfile.DistinctValueLimit + 1;
        }

        var values = new HashSet<double>();
        foreach (WeightedValue pair in reference.GetValueCounts()!)
        {
            values.Add(pair.Value);
        }

        foreach (WeightedValue pair in current.GetValueCounts()!)
        {
            values.Add(pair.Value);
        }

        return values.Count;
    }

    /// <summary>
    /// Counts per value over the union of both sides' values, ascending, from exact value counts. When the current side
    /// is not exact (more than 21 distinct values), its weight at each reference value is read from its distribution
    /// and the rest goes to one extra bin the reference lacks: exact for Jensen-Shannon, approximate for PSI and KL.
    /// </summary>
    private static (long[] Reference, long[] Current) CountPerValue(SortedWeightedValues reference, SortedWeightedValues current, bool currentExact)
    {
        if (currentExact)
        {
            var referenceCounts = new List<long>();
            var currentCounts = new List<long>();
            ReadOnlySpan<double> referenceValues = reference.Values;
            ReadOnlySpan<double> currentValues = current.Values;
            int i = 0;
            int j = 0;
            while (i < referenceValues.Length || j < currentValues.Length)
            {
                double value = i >= referenceValues.Length ? currentValues[j]
                    : j >= currentValues.Length ? referenceValues[i]
                    : Math.Min(referenceValues[i], currentValues[j]);
                referenceCounts.Add(i < referenceValues.Length && referenceValues[i] == value ? reference.Weights[i++] : 0);
                currentCounts.Add(j < currentValues.Length && currentValues[j] == value ? current.Weights[j++] : 0);
            }

            return (referenceCounts.ToArray(), currentCounts.ToArray());
        }

        int length = reference.Length;
        var referenceResult = new long[length + 1];
        var currentResult = new long[length + 1];
        long matched = 0;
        for (int i = 0; i < length; i++)
        {
            double value = reference.Values[i];
            referenceResult[i] = reference.Weights[i];
            currentResult[i] = current.WeightAtOrBelow(value) - current.WeightBelow(value);
            matched += currentResult[i];
        }

        currentResult[length] = current.TotalWeight - matched;
        if (currentResult[length] == 0)
        {
            Array.Resize(ref referenceResult, length);
            Array.Resize(ref currentResult, length);
        }

        return (referenceResult, currentResult);
    }

    /// <summary>Weights per bin with numpy's histogram semantics: [e_i, e_i+1), the last bin closed.</summary>
    private static long[] CountPerBin(SortedWeightedValues distribution, double[] edges)
    {
        var counts = new long[edges.Length - 1];
        long previous = distribution.WeightBelow(edges[0]);
        for (int i = 1; i < edges.Length; i++)
        {
            long cumulative = i == edges.Length - 1 ? distribution.WeightAtOrBelow(edges[i]) : distribution.WeightBelow(edges[i]);
            counts[i - 1] = cumulative - previous;
            previous = cumulative;
        }

        return counts;
    }

    /// <summary>
    /// The current side's count per histogram bin: a binned window spreads each grid bin's values around their mean
    /// (<see cref="FeatureProfile"/>), a sketched or exact one counts its weighted values.
    /// </summary>
    private static double[] CurrentPerBin(FeatureProfile current, double[] edges) =>
        current.IsBinned && !current.HasExactValueCounts
            ? current.SpreadOverHistogram(edges)
            : ToDoubles(CountPerBin(current.GetDistribution(), edges));

    private static double[] SharesOf(double[] counts, long total)
    {
        for (int i = 0; i < counts.Length; i++)
        {
            counts[i] /= total;
        }

        return counts;
    }

    /// <summary>Counts per category over the union of both sides' keys, in ordinal order (the overflow bucket is a key).</summary>
    private static (long[] Reference, long[] Current) CountCategories(CategoryCounter reference, CategoryCounter current)
    {
        KeyValuePair<string, long>[] left = reference.SortedCounts();
        KeyValuePair<string, long>[] right = current.SortedCounts();
        var referenceCounts = new List<long>(left.Length + right.Length);
        var currentCounts = new List<long>(left.Length + right.Length);
        int i = 0;
        int j = 0;
        while (i < left.Length || j < right.Length)
        {
            int order = i >= left.Length ? 1 : j >= right.Length ? -1 : string.CompareOrdinal(left[i].Key, right[j].Key);
            referenceCounts.Add(order <= 0 ? left[i++].Value : 0);
            currentCounts.Add(order >= 0 ? right[j++].Value : 0);
        }

        return ([.. referenceCounts], [.. currentCounts]);
    }

    private static double[] ToDoubles(ReadOnlySpan<long> counts)
    {
        var result = new double[counts.Length];
        for (int i = 0; i < counts.Length; i++)
        {
            result[i] = counts[i];
        }

        return result;
    }

}
