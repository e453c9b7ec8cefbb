namespace ModelMonitoring;

/// <summary>
/// A map from prediction keys to values that waits a bounded time, with bounded size: entries live in a ring in
/// insertion order, so the oldest is the first to expire (after the time to live) or to be evicted (when
/// <c>capacity</c> entries are live). Removing an entry leaves a hole in the ring; the ring (at most twice the capacity)
/// is compacted when holes fill it, which frees at least <c>capacity</c> slots, so an add costs O(1) amortized. No
/// allocation per entry once the ring and the dictionary have grown. Not thread-safe: the caller locks.
/// </summary>
internal sealed class PendingMap<T>
{
    private readonly Dictionary<PredictionKey, int> _index = new();
    private readonly int _capacity;
    private Entry[] _ring;
    private long _head; // position of the oldest slot still in use (live or hole)
    private long _tail; // position of the next slot to fill

    public PendingMap(int capacity)
    {
        _capacity = capacity;
        _ring = new Entry[Math.Min(2 * capacity, 1024)];
    }

    /// <summary>The ring's length: at most twice the capacity, whatever went through.</summary>
    public int Slots => _ring.Length;

    /// <summary>How many live entries there are.</summary>
    public int Count => _index.Count;

    /// <summary>
    /// Adds or replaces an entry (a replaced one leaves a hole). Returns how many live entries were evicted to make room
    /// (0 or 1).
    /// </summary>
    public int Add(PredictionKey key, DateTimeOffset time, T value)
    {
        if (_index.Remove(key, out int previous))
        {
            _ring[previous].Live = false;
        }

        int evicted = 0;
        while (_index.Count >= _capacity)
        {
            evicted += DropOldest();
        }

        if (_tail - _head == _ring.Length)
        {
            Resize(_index.Count * 2 >= _ring.Length ? Math.Min(2 * _capacity, _ring.Length * 2) : _ring.Length);
        }

        int slot = (int)(_tail % _ring.Length);
        _ring[slot] = new Entry { Key = key, Time = time, Value = value, Live = true };
        _index[key] = slot;
        _tail++;
        return evicted;
    }

    /// <summary>Removes the entry of a key, if there is one.</summary>
    public bool TryRemove(PredictionKey key, out T value, out DateTimeOffset time)
    {
        if (_index.Remove(key, out int slot))
        {
            ref Entry entry = ref _ring[slot];
            entry.Live = false;
            value = entry.Value;
            time = entry.Time;
            entry.Value = default!;
            TrimHoles();
            return true;
        }

        value = default!;
        time = default;
        return false;
    }

    /// <summary>Drops the entries older than <paramref name="oldest"/>; returns how many live ones were dropped.</summary>
    public int Expire(DateTimeOffset oldest)
    {
        int expired = 0;
        while (_head < _tail)
        {
            ref Entry entry = ref _ring[(int)(_head % _ring.Length)];
            if (entry.Live && entry.Time >= oldest)
            {
                break;
            }

            if (entry.Live)
            {
                _index.Remove(entry.Key);
                expired++;
            }

            entry = default;
            _head++;
        }

        return expired;
    }

    private int DropOldest()
    {
        int dropped = 0;
        ref Entry entry = ref _ring[(int)(_head % _ring.Length)];
        if (entry.Live)
        {
            _index.Remove(entry.Key);
            dropped = 1;
        }

        entry = default;
        _head++;
        TrimHoles();
        return dropped;
    }

    private void TrimHoles()
    {
        while (_head < _tail && !_ring[(int)(_head % _ring.Length)].Live)
        {
            _ring[(int)(_head % _ring.Length)] = default;
            _head++;
        }
    }

    /// <summary>Copies the live entries, in order, to the start of a ring of the given length (compacting out the holes).</summary>
    private void Resize(int length)
    {
        var resized = new Entry[length];
        int count = 0;
        for (long position = _head; position < _tail; position++)
        {
            Entry entry = _ring[(int)(position % _ring.Length)];
            if (entry.Live)
            {
                resized[count] = entry;
                _index[entry.Key] = count;
                count++;
            }
        }

        _ring = resized;
        _head = 0;
        _tail = count;
    }

    private struct Entry
    {
        public PredictionKey Key;
        public DateTimeOffset Time;
        public T Value;
        public bool Live;
    }
}
