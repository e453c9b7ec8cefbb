using ModelMonitoring.Sketches;

namespace ModelMonitoring.Statistics;

/// <summary>
/// The counts of a reference and a current side per category (or per distinct number), aligned over the union of
/// both sides' keys in ordinal (or ascending) order: what every categorical method compares. The exact engine counts
/// raw labels; the sketch engine reads two <see cref="CategoryCounter"/>s, whose overflow buckets are split by the
/// estimated overlap of their values (see <see cref="FromCounters"/>).
/// </summary>
internal sealed class CategoryTable
{
    private CategoryTable(long[] reference, long[] current, string? warning)
    {
        Reference = reference;
        Current = current;
        ReferenceTotal = Sum(reference);
        CurrentTotal = Sum(current);
        Warning = warning;
    }

    /// <summary>The reference count of each key.</summary>
    public long[] Reference { get; }

    /// <summary>The current count of each key, in the same order.</summary>
    public long[] Current { get; }

    /// <summary>The reference total.</summary>
    public long ReferenceTotal { get; }

    /// <summary>The current total.</summary>
    public long CurrentTotal { get; }

    /// <summary>How many keys the union holds.</summary>
    public int Length => Reference.Length;

    /// <summary>Why the counts are approximate beyond what a method can see, or null.</summary>
    public string? Warning { get; }

    /// <summary>Counts raw labels (ordinal keys).</summary>
    public static CategoryTable FromLabels(IReadOnlyList<string> reference, IReadOnlyList<string> current)
    {
        Dictionary<string, long> left = Count(reference, nameof(reference));
        Dictionary<string, long> right = Count(current, nameof(current));
        return Align(Sorted(left), Sorted(right), warning: null);
    }

    /// <summary>
    /// Aligns two counters. An overflow bucket (<see cref="CategoryCounter.OverflowCategory"/>) stands for many values;
    /// when its values' sample is known on the sides that overflowed, the bucket is split into the share whose values the
    /// other side also holds and the share it does not (see <see cref="OverflowOverlap"/>), so that a complete change of
    /// categories inside the overflow still shows. Without samples (an old baseline), the bucket is compared as one
    /// category and <see cref="Warning"/> says so.
    /// </summary>
    public static CategoryTable FromCounters(CategoryCounter reference, CategoryCounter current)
    {
        KeyValuePair<string, long>[] left = reference.SortedCounts();
        KeyValuePair<string, long>[] right = current.SortedCounts();
        if (!reference.HasOverflow && !current.HasOverflow)
        {
            return Align(left, right, warning: null);
        }

        return OverflowOverlap.Split(reference, current, left, right);
    }

    /// <summary>Counts per distinct number over the union of both sides' values, ascending (chi-square and Z on numbers).</summary>
    public static CategoryTable FromNumbers(NumericalSide reference, NumericalSide current)
    {
        SortedWeightedValues left = reference.Distribution;
        SortedWeightedValues right = current.Distribution;
        if (current.IsExact)
        {
            var referenceCounts = new List<long>();
            var currentCounts = new List<long>();
            ReadOnlySpan<double> referenceValues = left.Values;
            ReadOnlySpan<double> currentValues = right.Values;
            int i = 0;
            int j = 0;
            while (i < referenceValues.Length || j < currentValues.Length)
            {
                double value = i >= referenceValues.Length ? currentValues[j]
                    : j >= currentValues.Length ? referenceValues[i]
                    : Math.Min(referenceValues[i], currentValues[j]);
                referenceCounts.Add(i < referenceValues.Length && referenceValues[i] == value ? left.Weights[i++] : 0);
                currentCounts.Add(j < currentValues.Length && currentValues[j] == value ? right.Weights[j++] : 0);
            }

            return new CategoryTable([.. referenceCounts], [.. currentCounts], warning: null);
        }

        // The current side is sketched: its weight at each reference value is read from its distribution, and the rest
        // goes to one extra key the reference lacks (exact for Jensen-Shannon, approximate for PSI and KL).
        int length = left.Length;
        var referenceResult = new long[length + 1];
        var currentResult = new long[length + 1];
        long matched = 0;
        for (int i = 0; i < length; i++)
        {
            double value = left.Values[i];
            referenceResult[i] = left.Weights[i];
            currentResult[i] = right.WeightAtOrBelow(value) - right.WeightBelow(value);
            matched += currentResult[i];
        }

        currentResult[length] = right.TotalWeight - matched;
        if (currentResult[length] == 0)
        {
            Array.Resize(ref referenceResult, length);
            Array.Resize(ref currentResult, length);
        }

        return new CategoryTable(referenceResult, currentResult, warning: null);
    }

    /// <summary>Builds a table from aligned counts.</summary>
    internal static CategoryTable FromAligned(long[] reference, long[] current, string? warning) => new(reference, current, warning);

    /// <summary>The reference shares, empty keys filled as Evidently does for PSI and KL when asked.</summary>
    public double[] ReferenceShares(bool fillEmpty) => SharesOf(Reference, ReferenceTotal, fillEmpty);

    /// <summary>The current shares, empty keys filled as Evidently does for PSI and KL when asked.</summary>
    public double[] CurrentShares(bool fillEmpty) => SharesOf(Current, CurrentTotal, fillEmpty);

    /// <summary>The total variation distance of the two share vectors: half the sum of the absolute differences.</summary>
    public double TotalVariation()
    {
        double sum = 0;
        for (int i = 0; i < Length; i++)
        {
            sum += Math.Abs(((double)Reference[i] / ReferenceTotal) - ((double)Current[i] / CurrentTotal));
        }

        return sum / 2;
    }

    /// <summary>Merges two sorted key lists into aligned counts.</summary>
    internal static CategoryTable Align(KeyValuePair<string, long>[] left, KeyValuePair<string, long>[] right, string? warning)
    {
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

        return new CategoryTable([.. referenceCounts], [.. currentCounts], warning);
    }

    private static double[] SharesOf(long[] counts, long total, bool fillEmpty)
    {
        var shares = new double[counts.Length];
        Shares.FromCounts(counts, total, shares);
        if (fillEmpty)
        {
            Shares.FillEmpty(shares);
        }

        return shares;
    }

    private static Dictionary<string, long> Count(IReadOnlyList<string> labels, string side)
    {
        ArgumentNullException.ThrowIfNull(labels, side);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string label in labels)
        {
            ArgumentNullException.ThrowIfNull(label, side);
            System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, label, out _)++;
        }

        return counts;
    }

    private static KeyValuePair<string, long>[] Sorted(Dictionary<string, long> counts)
    {
        KeyValuePair<string, long>[] sorted = [.. counts];
        Array.Sort(sorted, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return sorted;
    }

    private static long Sum(long[] counts)
    {
        long total = 0;
        foreach (long count in counts)
        {
            total += count;
        }

        return total;
    }
}
