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
/// constructor) whatever the stream length, each key at most <see cref="MaxCategoryLength"/> characters: a longer
/// value is truncated to that many before it is counted (so two values sharing that prefix share a count), and a key
/// is always the counter's own copy, never the caller's string, so a counter never keeps a caller's object alive.
/// </para>
/// <para>
/// <b>Allocation.</b> <see cref="Add(string?)"/> does not allocate for a category already counted (it is looked up by
/// its truncated characters) nor for the overflow bucket; a new category allocates its copy, the dictionary never
/// grows past its initial size.
/// </para>
/// <para>
/// <b>Overflow.</b> Which values are counted exactly depends on arrival order: the first <see cref="MaxCategories"/>
/// distinct ones. Drift methods see the overflow bucket as one more category named <see cref="OverflowCategory"/>;
/// a real value spelled <c>"__other__"</c> would share that key. The counter also keeps a bottom-k sample of the
/// distinct overflowed values with their exact counts (256 values, about 4 KiB, allocated at the first overflow), from
/// which the drift engine estimates how much of two overflow buckets the same values fill: a complete change of
/// categories inside the overflow is still seen. Scores on such columns are approximate.
/// </para>
/// <para><b>Thread safety.</b> Not thread-safe: one writer at a time, no reader during a write.</para>
/// </remarks>
public sealed class CategoryCounter
{
    /// <summary>The default number of distinct categories counted exactly.</summary>
    public const int DefaultMaxCategories = 100;

    /// <summary>The largest <see cref="MaxCategories"/> a counter accepts (a baseline file declaring more is rejected).</summary>
    public const int MaxCategoriesLimit = 1_000_000;

    /// <summary>The default for <see cref="MaxCategoryLength"/>: 256 characters.</summary>
    public const int DefaultMaxCategoryLength = 256;

    /// <summary>The largest <see cref="MaxCategoryLength"/> a counter accepts.</summary>
    public const int MaxCategoryLengthLimit = 1 << 20;

    /// <summary>The key under which values beyond <see cref="MaxCategories"/> are counted.</summary>
    public const string OverflowCategory = "__other__";

    private readonly Dictionary<string, long> _counts;
    private readonly Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private long _count;
    private long _overflowCount;
    private long _missingCount;

    // A bottom-k sample of the distinct values that went to the overflow bucket, created at the first overflow.
    private OverflowSample? _overflowSample;

    // SortedCounts' last result, valid while the count is unchanged (Reset, Merge and Restore clear it).
    private KeyValuePair<string, long>[]? _sorted;
    private long _sortedCount;

    /// <summary>Creates an empty counter.</summary>
    /// <param name="maxCategories">How many distinct values are counted exactly (1 to <see cref="MaxCategoriesLimit"/>); 0 means <see cref="DefaultMaxCategories"/>.</param>
    /// <param name="maxCategoryLength">How many characters of a value are kept (1 to <see cref="MaxCategoryLengthLimit"/>); 0 means <see cref="DefaultMaxCategoryLength"/>.</param>
    public CategoryCounter(int maxCategories = DefaultMaxCategories, int maxCategoryLength = DefaultMaxCategoryLength)
        : this(maxCategories, maxCategoryLength, initialCapacity: -1)
    {
    }

    /// <summary>A counter whose dictionary starts at <paramref name="initialCapacity"/> entries (-1: all of them), for restored references.</summary>
    internal CategoryCounter(int maxCategories, int maxCategoryLength, int initialCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCategories);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxCategories, MaxCategoriesLimit);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCategoryLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxCategoryLength, MaxCategoryLengthLimit);
        MaxCategories = maxCategories == 0 ? DefaultMaxCategories : maxCategories;
        MaxCategoryLength = maxCategoryLength == 0 ? DefaultMaxCategoryLength : maxCategoryLength;
        _counts = new Dictionary<string, long>(initialCapacity < 0 ? MaxCategories : Math.Min(initialCapacity, MaxCategories), StringComparer.Ordinal);
        _bySpan = _counts.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>How many characters of a value are kept; a longer value is truncated to them before it is counted.</summary>
    public int MaxCategoryLength { get; }

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

        // A known category short enough to be kept whole is found by the caller's string: the quickest lookup.
        if (category.Length <= MaxCategoryLength)
        {
            ref long known = ref CollectionsMarshal.GetValueRefOrNullRef(_counts, category);
            if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref known))
            {
                known += count;
                return;
            }
        }

        AddByCharacters(Truncate(category), count);
    }

    // A long category (looked up by its truncated characters) or a new one, created from the characters: the counter's
    // own string, never the caller's.
    private void AddByCharacters(ReadOnlySpan<char> key, long count)
    {
        ref long existing = ref CollectionsMarshal.GetValueRefOrNullRef(_bySpan, key);
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref existing))
        {
            existing += count;
        }
        else if (_counts.Count < MaxCategories)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_bySpan, key, out _) = count;
        }
        else
        {
            _overflowCount += count;
            (_overflowSample ??= new OverflowSample()).Add(OverflowSample.Hash(key), count);
        }
    }

    /// <summary>How many times <paramref name="category"/> was counted exactly (0 if unknown or in the overflow bucket).</summary>
    /// <param name="category">The value; <see cref="OverflowCategory"/> gives the overflow count plus any real value of that name.</param>
    public long CountOf(string category)
    {
        ArgumentNullException.ThrowIfNull(category);
        long exact = _bySpan.TryGetValue(Truncate(category), out long value) ? value : 0;
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
            _overflowSample?.Double();
            return;
        }

        foreach (KeyValuePair<string, long> pair in other._counts.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            Add(pair.Key, pair.Value);
        }

        _overflowCount += other._overflowCount;
        _count += other._overflowCount;
        _missingCount += other._missingCount;
        if (other._overflowSample is not null)
        {
            (_overflowSample ??= new OverflowSample()).Merge(other._overflowSample);
        }
    }

    /// <summary>Forgets every count; keeps the allocated dictionary.</summary>
    public void Reset()
    {
        _sorted = null;
        _counts.Clear();
        _count = 0;
        _overflowCount = 0;
        _missingCount = 0;
        _overflowSample?.Reset();
    }

    /// <summary>
    /// The characters of <paramref name="category"/> that are kept: all of them, or the first
    /// <see cref="MaxCategoryLength"/> (one fewer when the last would split a surrogate pair).
    /// </summary>
    private ReadOnlySpan<char> Truncate(string category)
    {
        int length = category.Length;
        if (length <= MaxCategoryLength)
        {
            return category;
        }

        length = MaxCategoryLength;
        if (char.IsHighSurrogate(category[length - 1]))
        {
            length--;
        }

        return category.AsSpan(0, length);
    }

    /// <summary>Restores a counter from serialized parts; used by <see cref="BaselineProfile"/>.</summary>
    internal void Restore(IEnumerable<KeyValuePair<string, long>> counts, long overflow, long missing, IEnumerable<(ulong Hash, long Count)>? overflowSample = null)
    {
        Reset();
        foreach (KeyValuePair<string, long> pair in counts)
        {
            Add(pair.Key, pair.Value);
        }

        _overflowCount += overflow;
        _count += overflow;
        _missingCount = missing;
        if (overflowSample is null)
        {
            // An old baseline: the overflow's values are unknown (the drift engine says so when it matters).
            _overflowSample = null;
            return;
        }

        _overflowSample?.Reset();
        foreach ((ulong hash, long count) in overflowSample)
        {
            (_overflowSample ??= new OverflowSample()).Add(hash, count);
        }
    }

    /// <summary>The bottom-k sample of the overflow bucket's distinct values, or null when nothing overflowed (or an old baseline).</summary>
    internal OverflowSample? OverflowSample => _overflowSample is { Count: > 0 } ? _overflowSample : null;

    /// <summary>The exact counts, in no particular order, for serialization.</summary>
    internal IEnumerable<KeyValuePair<string, long>> ExactCounts => _counts;
}
