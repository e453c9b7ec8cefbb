using System.Runtime.InteropServices;

namespace ModelMonitoring.Sketches;

/// <summary>
/// Bounded counts of a categorical stream: exact counts for the first <see cref="MaxCategories"/> distinct values
/// seen, and one overflow bucket (<see cref="OverflowCategory"/>, <c>"__other__"</c>) counting every value seen after
/// that limit was reached.
/// </summary>
/// <remarks>
/// <para>
/// <b>Memory bound.</b> At most <see cref="MaxCategories"/> entries (a dictionary pre-sized for them, created by the
/// constructor) whatever the stream length; the strings are the caller's, not copies.
/// </para>
/// <para>
/// <b>Allocation.</b> <see cref="Add(string?)"/> does not allocate for a category already counted, nor for a new one
/// while there is room (the dictionary never grows past its initial size), nor for the overflow bucket.
/// </para>
/// <para>
/// <b>Overflow.</b> Which values are counted exactly depends on arrival order: the first <see cref="MaxCategories"/>
/// distinct ones. Drift methods see the overflow bucket as one more category named <see cref="OverflowCategory"/>;
/// a real value spelled <c>"__other__"</c> would share that key. When both compared profiles overflow, their buckets
/// may hold different values, so scores on such columns are approximate.
/// </para>
/// <para><b>Thread safety.</b> Not thread-safe: one writer at a time, no reader during a write.</para>
/// </remarks>
public sealed class CategoryCounter
{
    /// <summary>The default number of distinct categories counted exactly.</summary>
    public const int DefaultMaxCategories = 100;

    /// <summary>The key under which values beyond <see cref="MaxCategories"/> are counted.</summary>
    public const string OverflowCategory = "__other__";

    private readonly Dictionary<string, long> _counts;
    private long _count;
    private long _overflowCount;
    private long _missingCount;

    // SortedCounts' last result, valid while the count is unchanged (Reset, Merge and Restore clear it).
    private KeyValuePair<string, long>[]? _sorted;
    private long _sortedCount;

    /// <summary>Creates an empty counter.</summary>
    /// <param name="maxCategories">How many distinct values are counted exactly (at least 1); 0 means <see cref="DefaultMaxCategories"/>.</param>
    public CategoryCounter(int maxCategories = DefaultMaxCategories)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCategories);
        MaxCategories = maxCategories == 0 ? DefaultMaxCategories : maxCategories;
        _counts = new Dictionary<string, long>(MaxCategories, StringComparer.Ordinal);
    }

    /// <summary>How many distinct values are counted exactly before the overflow bucket takes the rest.</summary>
    public int MaxCategories { get; }

    /// <summary>How many non-null values were added (the overflow bucket included).</summary>
    public long Count => _count;

    /// <summary>How many null values were added (not part of <see cref="Count"/>).</summary>
    public long MissingCount => _missingCount;

    /// <summary>How many values went to the overflow bucket.</summary>
    public long OverflowCount => _overflowCount;

    /// <summary>Whether some values went to the overflow bucket.</summary>
    public bool HasOverflow => _overflowCount > 0;

    /// <summary>How many distinct values are counted exactly (at most <see cref="MaxCategories"/>).</summary>
    public int CategoryCount => _counts.Count;

    /// <summary>
    /// How many distinct keys the drift methods see: the exact categories plus one for a non-empty overflow bucket.
    /// A lower bound of the true number of distinct values when <see cref="HasOverflow"/>.
    /// </summary>
    public int DistinctCount => _counts.Count + (_overflowCount > 0 ? 1 : 0);

    /// <summary>Counts a value. Null counts as missing. Allocation-free.</summary>
    /// <param name="category">The value.</param>
    public void Add(string? category) => Add(category, 1);

    /// <summary>Counts a value <paramref name="count"/> times. Null counts as missing.</summary>
    /// <param name="category">The value.</param>
    /// <param name="count">How many times (not negative).</param>
    public void Add(string? category, long count)
    {
        if (count <= 0)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count);
            return;
        }

        if (category is null)
        {
            _missingCount += count;
            return;
        }

        _count += count;
        if (_counts.Count < MaxCategories)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_counts, category, out _) += count;
            return;
        }

        ref long existing = ref CollectionsMarshal.GetValueRefOrNullRef(_counts, category);
        if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref existing))
        {
            _overflowCount += count;
        }
        else
        {
            existing += count;
        }
    }

    /// <summary>How many times <paramref name="category"/> was counted exactly (0 if unknown or in the overflow bucket).</summary>
    /// <param name="category">The value; <see cref="OverflowCategory"/> gives the overflow count plus any real value of that name.</param>
    public long CountOf(string category)
    {
        ArgumentNullException.ThrowIfNull(category);
        long exact = _counts.TryGetValue(category, out long value) ? value : 0;
        return category == OverflowCategory ? exact + _overflowCount : exact;
    }

    /// <summary>
    /// The counts as the drift methods see them: each exact category, then <see cref="OverflowCategory"/> when the
    /// overflow bucket is not empty. Sorted by key (ordinal) so results do not depend on arrival order. Allocates.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, long>> GetCounts() => Array.AsReadOnly(SortedCounts());

    /// <summary>
    /// <see cref="GetCounts"/> as an array, cached while the count is unchanged: a reference compared with every
    /// window sorts its categories once. Callers must not change it.
    /// </summary>
    internal KeyValuePair<string, long>[] SortedCounts()
    {
        if (_sorted is not null && _sortedCount == _count)
        {
            return _sorted;
        }

        KeyValuePair<string, long>[] sorted = BuildSortedCounts();
        _sorted = sorted;
        _sortedCount = _count;
        return sorted;
    }

    private KeyValuePair<string, long>[] BuildSortedCounts()
    {
        var result = new List<KeyValuePair<string, long>>(_counts.Count + 1);
        long overflow = _overflowCount;
        foreach (KeyValuePair<string, long> pair in _counts)
        {
            if (pair.Key == OverflowCategory)
            {
                overflow += pair.Value;
            }
            else
            {
                result.Add(pair);
            }
        }

        if (overflow > 0)
        {
            result.Add(new KeyValuePair<string, long>(OverflowCategory, overflow));
        }

        result.Sort((left, right) => string.CompareOrdinal(left.Key, right.Key));
        return [.. result];
    }

    /// <summary>
    /// Adds the counts of <paramref name="other"/>: its exact categories as if added here (new ones beyond
    /// <see cref="MaxCategories"/> go to the overflow bucket), its overflow to the overflow bucket, its missing count
    /// to the missing count. <paramref name="other"/> is not changed.
    /// </summary>
    /// <param name="other">Another counter (its limit may differ).</param>
    public void Merge(CategoryCounter other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _sorted = null;
        if (ReferenceEquals(other, this))
        {
            foreach (string key in _counts.Keys.ToArray())
            {
                _counts[key] *= 2;
            }

            _count *= 2;
            _overflowCount *= 2;
            _missingCount *= 2;
            return;
        }

        foreach (KeyValuePair<string, long> pair in other._counts.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            Add(pair.Key, pair.Value);
        }

        _overflowCount += other._overflowCount;
        _count += other._overflowCount;
        _missingCount += other._missingCount;
    }

    /// <summary>Forgets every count; keeps the allocated dictionary.</summary>
    public void Reset()
    {
        _sorted = null;
        _counts.Clear();
        _count = 0;
        _overflowCount = 0;
        _missingCount = 0;
    }

    /// <summary>Restores a counter from serialized parts; used by <see cref="BaselineProfile"/>.</summary>
    internal void Restore(IEnumerable<KeyValuePair<string, long>> counts, long overflow, long missing)
    {
        Reset();
        foreach (KeyValuePair<string, long> pair in counts)
        {
            Add(pair.Key, pair.Value);
        }

        _overflowCount += overflow;
        _count += overflow;
        _missingCount = missing;
    }

    /// <summary>The exact counts, in no particular order, for serialization.</summary>
    internal IEnumerable<KeyValuePair<string, long>> ExactCounts => _counts;
}
