using ModelMonitoring.Sketches;

namespace ModelMonitoring.Statistics;

/// <summary>
/// Compares two category counters whose overflow buckets hold many values. Each counter keeps a bottom-k sample of the
/// distinct values that went to its overflow bucket, with their exact counts (<see cref="CategoryCounter"/>); from the
/// values both samples can judge (hashes below both samples' thresholds), the share of each side's overflow mass whose
/// values the other side also holds is estimated, and the bucket is split into three keys: the shared part, the part only
/// the reference holds, the part only the current holds. Identical streams keep one shared bucket (the old behaviour);
/// a complete change of categories becomes two disjoint buckets, a drift every method sees.
/// </summary>
internal static class OverflowOverlap
{
    /// <summary>The keys the split buckets are compared under (after every real key in ordinal order).</summary>
    public const string SharedKey = CategoryCounter.OverflowCategory + " (both)";

    public const string ReferenceOnlyKey = CategoryCounter.OverflowCategory + " (reference only)";

    public const string CurrentOnlyKey = CategoryCounter.OverflowCategory + " (current only)";

    /// <summary>The aligned table with the overflow buckets split (see the type's summary).</summary>
    public static CategoryTable Split(CategoryCounter reference, CategoryCounter current, KeyValuePair<string, long>[] left, KeyValuePair<string, long>[] right)
    {
        OverflowSample? referenceSample = reference.OverflowSample;
        OverflowSample? currentSample = current.OverflowSample;
        bool referenceKnown = !reference.HasOverflow || referenceSample is not null;
        bool currentKnown = !current.HasOverflow || currentSample is not null;
        if (!referenceKnown || !currentKnown)
        {
            double referenceShare = (double)reference.OverflowCount / Math.Max(1, reference.Count);
            double currentShare = (double)current.OverflowCount / Math.Max(1, current.Count);
            return CategoryTable.Align(left, right, string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"the overflow bucket ({CategoryCounter.OverflowCategory}) holds {referenceShare:P1} of the reference and {currentShare:P1} of the current values, and its values were not sampled (a baseline written before samples were kept); it is compared as one category, which can hide a change among them"));
        }

        // The values both samples judge: hashes at or below the smaller threshold, where each side's sample is complete.
        ulong threshold = Math.Min(referenceSample?.Threshold ?? ulong.MaxValue, currentSample?.Threshold ?? ulong.MaxValue);
        HashSet<ulong> referenceExact = HashesOf(reference);
        HashSet<ulong> currentExact = HashesOf(current);
        double referenceShared = SharedFraction(referenceSample, threshold, currentSample, currentExact);
        double currentShared = SharedFraction(currentSample, threshold, referenceSample, referenceExact);

        long referenceOverflow = 0;
        long currentOverflow = 0;
        var referenceCounts = new List<long>();
        var currentCounts = new List<long>();
        CategoryTable exact = CategoryTable.Align(
            left.Where(pair => pair.Key != CategoryCounter.OverflowCategory).ToArray(),
            right.Where(pair => pair.Key != CategoryCounter.OverflowCategory).ToArray(),
            warning: null);
        referenceCounts.AddRange(exact.Reference);
        currentCounts.AddRange(exact.Current);
        referenceOverflow = left.Where(pair => pair.Key == CategoryCounter.OverflowCategory).Sum(pair => pair.Value);
        currentOverflow = right.Where(pair => pair.Key == CategoryCounter.OverflowCategory).Sum(pair => pair.Value);

        long referenceBoth = (long)Math.Round(referenceOverflow * referenceShared);
        long currentBoth = (long)Math.Round(currentOverflow * currentShared);
        Add(referenceBoth, currentBoth);
        Add(referenceOverflow - referenceBoth, 0);
        Add(0, currentOverflow - currentBoth);
        return CategoryTable.FromAligned([.. referenceCounts], [.. currentCounts], warning: null);

        void Add(long referenceCount, long currentCount)
        {
            if (referenceCount > 0 || currentCount > 0)
            {
                referenceCounts.Add(referenceCount);
                currentCounts.Add(currentCount);
            }
        }
    }

    // The share of `side`'s sampled overflow mass (hashes at or below the threshold) on values the other side holds,
    // in its overflow sample or among its exact categories. 1 when the side has no overflow sample to judge.
    private static double SharedFraction(OverflowSample? side, ulong threshold, OverflowSample? other, HashSet<ulong> otherExact)
    {
        if (side is null)
        {
            return 1;
        }

        double total = 0;
        double shared = 0;
        foreach ((ulong hash, long count) in side.Entries)
        {
            if (hash > threshold)
            {
                continue;
            }

            total += count;
            if (otherExact.Contains(hash) || (other is not null && other.Contains(hash)))
            {
                shared += count;
            }
        }

        return total > 0 ? shared / total : 1;
    }

    private static HashSet<ulong> HashesOf(CategoryCounter counter)
    {
        var hashes = new HashSet<ulong>();
        foreach (KeyValuePair<string, long> pair in counter.ExactCounts)
        {
            hashes.Add(OverflowSample.Hash(pair.Key));
        }

        return hashes;
    }
}
