namespace ModelMonitoring.Sketches;

/// <summary>
/// A bottom-k sample of the distinct values that went to a <see cref="CategoryCounter"/>'s overflow bucket: the
/// <see cref="Capacity"/> values with the smallest 64-bit hashes, each with its exact count. A value whose hash ends up
/// among the smallest was kept from its first occurrence (the threshold only falls), so its count is exact; and the
/// sample is a uniform random sample of the distinct values, which is what the drift engine needs to estimate how much
/// of two overflow buckets the same values fill. Fixed memory (about 4 KiB), mergeable, stable across processes (the
/// hash does not depend on the process).
/// </summary>
internal sealed class OverflowSample
{
    /// <summary>How many distinct values are kept: 256, a standard error of about 6% on the shares estimated from it.</summary>
    public const int DefaultCapacity = 256;

    private readonly Dictionary<ulong, long> _counts;
    private readonly ulong[] _heap;
    private int _size;

    public OverflowSample(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _counts = new Dictionary<ulong, long>(capacity + 1);
        _heap = new ulong[capacity];
    }

    /// <summary>How many distinct values the sample keeps at most.</summary>
    public int Capacity { get; }

    /// <summary>How many it keeps now.</summary>
    public int Count => _size;

    /// <summary>
    /// Every overflow value whose hash is at or below this is in the sample: the largest kept hash once the sample is
    /// full, <see cref="ulong.MaxValue"/> before (then every overflow value is in it).
    /// </summary>
    public ulong Threshold => _size < Capacity ? ulong.MaxValue : _heap[0];

    /// <summary>The kept hashes with their counts.</summary>
    public IEnumerable<(ulong Hash, long Count)> Entries => _counts.Select(pair => (pair.Key, pair.Value));

    /// <summary>Whether a hash is kept.</summary>
    public bool Contains(ulong hash) => _counts.ContainsKey(hash);

    /// <summary>Counts a value by its hash. Allocation-free.</summary>
    public void Add(ulong hash, long count)
    {
        ref long existing = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(_counts, hash);
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref existing))
        {
            existing += count;
            return;
        }

        if (_size < Capacity)
        {
            _counts.Add(hash, count);
            _heap[_size] = hash;
            SiftUp(_size++);
            return;
        }

        if (hash >= _heap[0])
        {
            return;
        }

        _counts.Remove(_heap[0]);
        _counts.Add(hash, count);
        _heap[0] = hash;
        SiftDown(0);
    }

    /// <summary>Adds another sample's values (the bottom-k of the union, counts summed).</summary>
    public void Merge(OverflowSample other)
    {
        foreach ((ulong hash, long count) in other.Entries.ToArray())
        {
            Add(hash, count);
        }
    }

    /// <summary>Doubles every count (a counter merged with itself).</summary>
    public void Double()
    {
        foreach (ulong hash in _counts.Keys.ToArray())
        {
            _counts[hash] *= 2;
        }
    }

    /// <summary>Forgets every value; keeps the memory.</summary>
    public void Reset()
    {
        _counts.Clear();
        _size = 0;
    }

    /// <summary>
    /// The 64-bit hash of a category's characters: FNV-1a over the UTF-16 code units, then the MurmurHash3 finaliser, so
    /// that the low hashes a bottom-k sample keeps are spread uniformly. The same in every process.
    /// </summary>
    public static ulong Hash(ReadOnlySpan<char> value)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in value)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return hash;
    }

    private void SiftUp(int index)
    {
        while (index > 0)
        {
            int parent = (index - 1) / 2;
            if (_heap[parent] >= _heap[index])
            {
                return;
            }

            (_heap[parent], _heap[index]) = (_heap[index], _heap[parent]);
            index = parent;
        }
    }

    private void SiftDown(int index)
    {
        while (true)
        {
            int left = (2 * index) + 1;
            int largest = index;
            if (left < _size && _heap[left] > _heap[largest])
            {
                largest = left;
            }

            if (left + 1 < _size && _heap[left + 1] > _heap[largest])
            {
                largest = left + 1;
            }

            if (largest == index)
            {
                return;
            }

            (_heap[largest], _heap[index]) = (_heap[index], _heap[largest]);
            index = largest;
        }
    }
}
