namespace ModelMonitoring.Statistics;

/// <summary>
/// Turns a reference and a current column into the aligned share vectors the binned methods compare, as Evidently's
/// <c>get_binned_data</c> does: Sturges bins over both samples when the column is numerical and the reference has more
/// than 20 distinct values, otherwise one bin per value seen in either sample.
/// </summary>
public static class ColumnDistributions
{
    /// <summary>Numerical columns with more distinct reference values than this are binned; others are compared per value.</summary>
    public const int MaxDistinctValuesCompared = 20;

    /// <summary>Shares of two sorted numerical samples (see the type's summary).</summary>
    /// <param name="sortedReference">The reference values, sorted ascending.</param>
    /// <param name="sortedCurrent">The current values, sorted ascending.</param>
    /// <param name="fillEmpty">Whether to fill empty bins with <see cref="Shares.FillEmpty"/> (Evidently does for PSI and KL).</param>
    /// <returns>The reference and current shares, one per bin or value, in the same order.</returns>
    public static (double[] Reference, double[] Current) Numerical(ReadOnlySpan<double> sortedReference, ReadOnlySpan<double> sortedCurrent, bool fillEmpty)
    {
        RequireNotEmpty(sortedReference.Length, sortedCurrent.Length);
        long[] referenceCounts;
        long[] currentCounts;
        if (CountDistinct(sortedReference) > MaxDistinctValuesCompared)
        {
            double[] edges = Histogram.SturgesEdges(sortedReference, sortedCurrent);
            referenceCounts = new long[edges.Length - 1];
            currentCounts = new long[edges.Length - 1];
            Histogram.CountSorted(sortedReference, edges, referenceCounts);
            Histogram.CountSorted(sortedCurrent, edges, currentCounts);
        }
        else
        {
            (referenceCounts, currentCounts) = CountPerValue(sortedReference, sortedCurrent);
        }

        return ToShares(referenceCounts, sortedReference.Length, currentCounts, sortedCurrent.Length, fillEmpty);
    }

    /// <summary>Shares of two categorical samples, one per category seen in either sample (ordinal comparison).</summary>
    /// <param name="reference">The reference labels.</param>
    /// <param name="current">The current labels.</param>
    /// <param name="fillEmpty">Whether to fill empty categories with <see cref="Shares.FillEmpty"/>.</param>
    /// <returns>The reference and current shares, one per category, in the same order.</returns>
    public static (double[] Reference, double[] Current) Categorical(IReadOnlyList<string> reference, IReadOnlyList<string> current, bool fillEmpty)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        RequireNotEmpty(reference.Count, current.Count);
        (long[] referenceCounts, long[] currentCounts, _) = CountCategories(reference, current);
        return ToShares(referenceCounts, reference.Count, currentCounts, current.Count, fillEmpty);
    }

    /// <summary>How many distinct values a sorted span holds.</summary>
    /// <param name="sorted">Values sorted ascending.</param>
    public static int CountDistinct(ReadOnlySpan<double> sorted)
    {
        int distinct = 0;
        for (int i = 0; i < sorted.Length; i++)
        {
            if (i == 0 || sorted[i] != sorted[i - 1])
            {
                distinct++;
            }
        }

        return distinct;
    }

    /// <summary>How many distinct values two sorted spans hold together.</summary>
    /// <param name="sortedFirst">The first sample, sorted ascending.</param>
    /// <param name="sortedSecond">The second sample, sorted ascending.</param>
    public static int CountDistinct(ReadOnlySpan<double> sortedFirst, ReadOnlySpan<double> sortedSecond)
    {
        int distinct = 0;
        int i = 0;
        int j = 0;
        while (i < sortedFirst.Length || j < sortedSecond.Length)
        {
            double value = i >= sortedFirst.Length ? sortedSecond[j]
                : j >= sortedSecond.Length ? sortedFirst[i]
                : Math.Min(sortedFirst[i], sortedSecond[j]);
            while (i < sortedFirst.Length && sortedFirst[i] == value)
            {
                i++;
            }

            while (j < sortedSecond.Length && sortedSecond[j] == value)
            {
                j++;
            }

            distinct++;
        }

        return distinct;
    }

    /// <summary>Counts each distinct value of two sorted samples; the values are the union of both, ascending.</summary>
    /// <param name="sortedReference">The reference values, sorted ascending.</param>
    /// <param name="sortedCurrent">The current values, sorted ascending.</param>
    public static (long[] Reference, long[] Current) CountPerValue(ReadOnlySpan<double> sortedReference, ReadOnlySpan<double> sortedCurrent)
    {
        var referenceCounts = new List<long>();
        var currentCounts = new List<long>();
        int i = 0;
        int j = 0;
        while (i < sortedReference.Length || j < sortedCurrent.Length)
        {
            double value = i >= sortedReference.Length ? sortedCurrent[j]
                : j >= sortedCurrent.Length ? sortedReference[i]
                : Math.Min(sortedReference[i], sortedCurrent[j]);
            long referenceCount = 0;
            long currentCount = 0;
            while (i < sortedReference.Length && sortedReference[i] == value)
            {
                referenceCount++;
                i++;
            }

            while (j < sortedCurrent.Length && sortedCurrent[j] == value)
            {
                currentCount++;
                j++;
            }

            referenceCounts.Add(referenceCount);
            currentCounts.Add(currentCount);
        }

        return (referenceCounts.ToArray(), currentCounts.ToArray());
    }

    /// <summary>Counts each category of two samples; the categories are the union of both, in ordinal order.</summary>
    /// <param name="reference">The reference labels.</param>
    /// <param name="current">The current labels.</param>
    public static (long[] Reference, long[] Current, string[] Categories) CountCategories(IReadOnlyList<string> reference, IReadOnlyList<string> current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        var counts = new SortedDictionary<string, long[]>(StringComparer.Ordinal);
        Add(reference, 0);
        Add(current, 1);
        var referenceCounts = new long[counts.Count];
        var currentCounts = new long[counts.Count];
        var categories = new string[counts.Count];
        int index = 0;
        foreach ((string category, long[] pair) in counts)
        {
            categories[index] = category;
            referenceCounts[index] = pair[0];
            currentCounts[index] = pair[1];
            index++;
        }

        return (referenceCounts, currentCounts, categories);

        void Add(IReadOnlyList<string> labels, int side)
        {
            foreach (string label in labels)
            {
                ArgumentNullException.ThrowIfNull(label, side == 0 ? nameof(reference) : nameof(current));
                if (!counts.TryGetValue(label, out long[]? pair))
                {
                    pair = new long[2];
                    counts.Add(label, pair);
                }

                pair[side]++;
            }
        }
    }

    private static (double[] Reference, double[] Current) ToShares(long[] referenceCounts, long referenceTotal, long[] currentCounts, long currentTotal, bool fillEmpty)
    {
        var referenceShares = new double[referenceCounts.Length];
        var currentShares = new double[currentCounts.Length];
        Shares.FromCounts(referenceCounts, referenceTotal, referenceShares);
        Shares.FromCounts(currentCounts, currentTotal, currentShares);
        if (fillEmpty)
        {
            Shares.FillEmpty(referenceShares);
            Shares.FillEmpty(currentShares);
        }

        return (referenceShares, currentShares);
    }

    private static void RequireNotEmpty(int referenceCount, int currentCount)
    {
        if (referenceCount == 0)
        {
            throw new ArgumentException("The reference sample is empty.", "reference");
        }

        if (currentCount == 0)
        {
            throw new ArgumentException("The current sample is empty.", "current");
        }
    }
}
