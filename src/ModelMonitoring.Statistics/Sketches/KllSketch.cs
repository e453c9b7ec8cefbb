using System.Runtime.CompilerServices;

namespace ModelMonitoring.Sketches;

/// <summary>
/// A mergeable quantile sketch of a stream of numbers (Karnin, Lang and Liberty's KLL, laid out as in Apache
/// DataSketches' <c>KllDoublesSketch</c>): it keeps a bounded set of the values it has seen, each with a weight that
/// is a power of two, and answers rank, cumulative distribution and quantile queries with a bounded rank error.
/// </summary>
/// <remarks>
/// <para>
/// <b>Memory bound.</b> The retained values live in one array allocated by the constructor and never grown:
/// <see cref="MaxRetainedItems(int)"/> values, at most <c>3 K + 256 + 8 * 61</c> (6,749 doubles, 52.7 KiB, for the
/// default K = 2048; 3,689 doubles, 28.8 KiB, for K = 1024), plus a 62-entry level index, whatever the stream length.
/// <see cref="RetainedItems"/> never exceeds that figure, and <see cref="Add(double)"/> never allocates.
/// </para>
/// <para>
/// <b>Error bound.</b> For a rank query the absolute error, as a fraction of <see cref="Count"/>, is below
/// <see cref="RankErrorFor(int)"/> = <c>2.296 / K^0.9723</c> with 99% confidence once the sketch has started
/// compacting (DataSketches' empirical fit for the same algorithm): 1.33% for K = 200, 0.27% for K = 1024, 0.14% for
/// the default K = 2048. While fewer than <c>K</c> values have been added the sketch holds them all and is exact.
/// Two refinements over DataSketches keep integrals of the distribution (Wasserstein, bin shares) accurate without
/// changing that bound: a compaction keeps the lower and the upper item of successive pairs alternately (a query point
/// still sees a fair +w/-w coin per compaction, but shifts over a range cancel), and it leaves the 8 smallest and 8
/// largest items of a level uncompacted, so sparse tails keep fine weights. The input level holds at least 256 values,
/// which makes updates cheaper and never adds error (its values weigh 1).
/// </para>
/// <para>
/// <b>Determinism.</b> Each compaction starts its alternation from a pseudo-random bit of a SplitMix64 generator seeded
/// by the constructor: the same seed and the same stream give the same sketch.
/// </para>
/// <para>
/// <b>Thread safety.</b> Not thread-safe: one writer at a time. Readers must not run concurrently with a writer.
/// </para>
/// </remarks>
public sealed class KllSketch
{
    /// <summary>The default accuracy parameter: about 0.14% rank error (99% confidence), 52.7 KiB per sketch.</summary>
    public const int DefaultK = 2048;

    /// <summary>The smallest accepted accuracy parameter.</summary>
    public const int MinK = 8;

    /// <summary>The largest accepted accuracy parameter.</summary>
    public const int MaxK = 65_535;

    /// <summary>The default seed of the compaction coin.</summary>
    public const ulong DefaultSeed = 0x9E3779B97F4A7C15UL;

    /// <summary>The smallest capacity of a level (DataSketches' <c>m</c>).</summary>
    internal const int MinLevelCapacity = 8;

    /// <summary>
    /// The smallest capacity of level 0, the input buffer (DataSketches lets it shrink to 8 as the sketch grows): a
    /// larger input buffer means fewer, cheaper-per-item compactions and never more error, as its items weigh 1.
    /// </summary>
    internal const int MinLevelZeroCapacity = 256;

    /// <summary>How many of the smallest and of the largest items of a level a compaction leaves uncompacted.</summary>
    internal const int TailItems = 8;

    /// <summary>The most levels a sketch can have: the top level then weighs 2^60, beyond any <see cref="long"/> count.</summary>
    internal const int MaxLevels = 61;

    private readonly double[] _items;
    private readonly int[] _levels = new int[MaxLevels + 2];
    private int _numLevels;
    private bool _levelZeroSorted;
    private long _count;
    private double _min = double.NaN;
    private double _max = double.NaN;
    private ulong _random;
    private readonly ulong _seed;
    private readonly int[] _capacityByDepth;

    /// <summary>Creates an empty sketch.</summary>
    /// <param name="k">The accuracy parameter, from <see cref="MinK"/> to <see cref="MaxK"/>; see <see cref="RankErrorFor(int)"/>.</param>
    /// <param name="seed">The seed of the compaction coin; the same seed and stream give the same sketch.</param>
    public KllSketch(int k = DefaultK, ulong seed = DefaultSeed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, MinK);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, MaxK);
        K = k;
        _seed = seed;
        _capacityByDepth = new int[MaxLevels];
        for (int depth = 0; depth < MaxLevels; depth++)
        {
            _capacityByDepth[depth] = CapacityAtDepth(k, depth);
        }

        _items = new double[MaxRetainedItems(k)];
        Reset();
    }

    /// <summary>The accuracy parameter.</summary>
    public int K { get; }

    /// <summary>How many values were added (NaN values are ignored and not counted).</summary>
    public long Count => _count;

    /// <summary>Whether no value was added.</summary>
    public bool IsEmpty => _count == 0;

    /// <summary>The smallest value added, or <see cref="double.NaN"/> when empty.</summary>
    public double Min => _min;

    /// <summary>The largest value added, or <see cref="double.NaN"/> when empty.</summary>
    public double Max => _max;

    /// <summary>How many values the sketch currently keeps; never more than <see cref="MaxRetainedItems(int)"/>.</summary>
    public int RetainedItems => _levels[_numLevels] - _levels[0];

    /// <summary>The length of the array holding the retained values: fixed at construction, equal to <see cref="MaxRetainedItems(int)"/>.</summary>
    public int ItemCapacity => _items.Length;

    /// <summary>How many levels (weights 1, 2, 4...) the sketch uses.</summary>
    public int LevelCount => _numLevels;

    /// <summary>Whether the sketch still holds every value it was given (no compaction happened): its answers are exact.</summary>
    public bool IsExact => _numLevels == 1 && _count == RetainedItems;

    /// <summary>
    /// The normalized rank error bound of this sketch (fraction of <see cref="Count"/>, 99% confidence):
    /// <see cref="RankErrorFor(int)"/>, or 0 while the sketch is exact.
    /// </summary>
    public double NormalizedRankError => IsExact ? 0 : RankErrorFor(K);

    /// <summary>
    /// The normalized rank error bound (99% confidence, single rank query) of a compacting sketch with accuracy
    /// parameter <paramref name="k"/>: <c>2.296 / k^0.9723</c>, DataSketches' empirical fit for KLL.
    /// </summary>
    /// <param name="k">The accuracy parameter.</param>
    public static double RankErrorFor(int k) => 2.296 / Math.Pow(k, 0.9723);

    /// <summary>The most values a sketch with accuracy parameter <paramref name="k"/> ever keeps: its memory bound, in doubles.</summary>
    /// <param name="k">The accuracy parameter.</param>
    public static int MaxRetainedItems(int k) => TotalCapacity(k, MaxLevels);

    /// <summary>Adds a value. NaN is ignored. Allocation-free.</summary>
    /// <param name="value">The value.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(double value)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        if (_count == 0)
        {
            _min = value;
            _max = value;
        }
        else
        {
            if (value < _min)
            {
                _min = value;
            }

            if (value > _max)
            {
                _max = value;
            }
        }

        if (_levels[0] == 0)
        {
            CompressWhileUpdating();
        }

        int position = --_levels[0];
        _items[position] = value;
        _levelZeroSorted = false;
        _count++;
    }

    /// <summary>Empties the sketch and restarts its coin from the seed. Allocation-free.</summary>
    public void Reset()
    {
        _numLevels = 1;
        int capacity = Total(1);
        _levels[0] = capacity;
        _levels[1] = capacity;
        _levelZeroSorted = false;
        _count = 0;
        _min = double.NaN;
        _max = double.NaN;
        _random = _seed;
    }

    /// <summary>
    /// Adds every value of <paramref name="other"/> to this sketch, as if this sketch had seen both streams; the rank
    /// error bound stays the same. <paramref name="other"/> is not changed. Allocates a work buffer. The levels above 0
    /// are combined with DataSketches' plain compaction (no tail protection), so a sketch built from many merges has
    /// the documented rank error but somewhat coarser tails than one fed value by value.
    /// </summary>
    /// <param name="other">A sketch with the same <see cref="K"/>.</param>
    /// <exception cref="ArgumentException">The sketches have different accuracy parameters.</exception>
    public void Merge(KllSketch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.K != K)
        {
            throw new ArgumentException($"Cannot merge a sketch with K = {other.K} into one with K = {K}.", nameof(other));
        }

        if (other.IsEmpty)
        {
            return;
        }

        if (ReferenceEquals(other, this))
        {
            other = other.Clone();
        }

        long finalCount = _count + other._count;
        double otherMin = other._min;
        double otherMax = other._max;

        // Level 0 of the other sketch is added one value at a time.
        for (int i = other._levels[0]; i < other._levels[1]; i++)
        {
            Add(other._items[i]);
        }

        if (other._numLevels > 1)
        {
            MergeHigherLevels(other);
        }

        _count = finalCount;
        _min = double.IsNaN(_min) || otherMin < _min ? otherMin : _min;
        _max = double.IsNaN(_max) || otherMax > _max ? otherMax : _max;
    }

    /// <summary>A deep copy of this sketch, coin state included.</summary>
    public KllSketch Clone()
    {
        var copy = new KllSketch(K, _seed);
        Array.Copy(_items, copy._items, _items.Length);
        Array.Copy(_levels, copy._levels, _levels.Length);
        copy._numLevels = _numLevels;
        copy._levelZeroSorted = _levelZeroSorted;
        copy._count = _count;
        copy._min = _min;
        copy._max = _max;
        copy._random = _random;
        return copy;
    }

    /// <summary>
    /// The estimated fraction of values less than or equal to <paramref name="value"/> (the empirical cumulative
    /// distribution function), within <see cref="NormalizedRankError"/>. NaN when the sketch is empty.
    /// </summary>
    /// <param name="value">The value.</param>
    public double Rank(double value)
    {
        if (_count == 0)
        {
            return double.NaN;
        }

        long weight = 0;
        for (int level = 0; level < _numLevels; level++)
        {
            long levelWeight = 1L << level;
            for (int i = _levels[level]; i < _levels[level + 1]; i++)
            {
                if (_items[i] <= value)
                {
                    weight += levelWeight;
                }
            }
        }

        return (double)weight / _count;
    }

    /// <summary>Same as <see cref="Rank(double)"/>: the cumulative distribution function at <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    public double Cdf(double value) => Rank(value);

    /// <summary>
    /// The estimated <paramref name="fraction"/>-quantile: the smallest retained value whose cumulative weight reaches
    /// <c>fraction * Count</c>. 0 gives <see cref="Min"/>, 1 gives <see cref="Max"/>. NaN when the sketch is empty.
    /// </summary>
    /// <param name="fraction">The fraction, from 0 to 1.</param>
    public double Quantile(double fraction)
    {
        if (double.IsNaN(fraction) || fraction < 0 || fraction > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "A quantile fraction must be between 0 and 1.");
        }

        if (_count == 0)
        {
            return double.NaN;
        }

        if (fraction == 0)
        {
            return _min;
        }

        if (fraction == 1)
        {
            return _max;
        }

        return ToSortedView().Quantile(fraction);
    }

    /// <summary>
    /// The retained values with their weights (1, 2, 4...), in storage order (not sorted). The weights add up to
    /// <see cref="Count"/>.
    /// </summary>
    public IEnumerable<WeightedValue> WeightedItems()
    {
        for (int level = 0; level < _numLevels; level++)
        {
            long weight = 1L << level;
            for (int i = _levels[level]; i < _levels[level + 1]; i++)
            {
                yield return new WeightedValue(_items[i], weight);
            }
        }
    }

    /// <summary>
    /// The retained values sorted ascending, equal values combined, with their cumulative weights: the sketch's
    /// estimate of the distribution, for evaluation. Allocates.
    /// </summary>
    public SortedWeightedValues ToSortedView()
    {
        int retained = RetainedItems;
        var values = new double[retained];
        var weights = new long[retained];
        int index = 0;
        for (int level = 0; level < _numLevels; level++)
        {
            long weight = 1L << level;
            for (int i = _levels[level]; i < _levels[level + 1]; i++)
            {
                values[index] = _items[i];
                weights[index] = weight;
                index++;
            }
        }

        Array.Sort(values, weights);
        return SortedWeightedValues.FromSorted(values, weights);
    }

    /// <summary>The retained values of each level, bottom (weight 1) first; levels above 0 are sorted. For serialization.</summary>
    internal double[][] GetLevels()
    {
        var result = new double[_numLevels][];
        for (int level = 0; level < _numLevels; level++)
        {
            result[level] = _items.AsSpan(_levels[level], _levels[level + 1] - _levels[level]).ToArray();
        }

        return result;
    }

    /// <summary>The coin's current state, for serialization.</summary>
    internal ulong RandomState => _random;

    /// <summary>The coin's seed, for serialization.</summary>
    internal ulong Seed => _seed;

    /// <summary>
    /// Rebuilds a sketch from its serialized parts. Returns <see langword="null"/> and a reason when the parts are not
    /// a consistent sketch.
    /// </summary>
    internal static KllSketch? TryRestore(int k, ulong seed, ulong randomState, long count, double min, double max, double[][] levels, out string? problem)
    {
        problem = null;
        if (k < MinK || k > MaxK)
        {
            problem = $"k = {k} is outside {MinK}..{MaxK}";
            return null;
        }

        if (levels.Length is 0 or > MaxLevels)
        {
            problem = $"{levels.Length} levels (expected 1 to {MaxLevels})";
            return null;
        }

        if (count < 0)
        {
            problem = $"count {count} is negative";
            return null;
        }

        var sketch = new KllSketch(k, seed);
        int numLevels = levels.Length;
        int capacity = TotalCapacity(k, numLevels);
        int retained = 0;
        long weight = 0;
        for (int level = 0; level < numLevels; level++)
        {
            double[] items = levels[level] ?? [];
            retained += items.Length;
            weight += (long)items.Length << level;
            for (int i = 0; i < items.Length; i++)
            {
                double value = items[i];
                if (double.IsNaN(value) || value < min || value > max)
                {
                    problem = $"level {level} holds {value}, outside min {min} and max {max}";
                    return null;
                }

                if (level > 0 && i > 0 && value < items[i - 1])
                {
                    problem = $"level {level} is not sorted";
                    return null;
                }
            }
        }

        if (retained > capacity)
        {
            problem = $"{retained} retained values exceed the capacity {capacity} of {numLevels} levels";
            return null;
        }

        if (weight != count)
        {
            problem = $"the retained values weigh {weight} but the count is {count}";
            return null;
        }

        if (count > 0 && (double.IsNaN(min) || double.IsNaN(max) || min > max))
        {
            problem = $"min {min} and max {max} are not a valid range";
            return null;
        }

        sketch._numLevels = numLevels;
        sketch._levels[numLevels] = capacity;
        for (int level = numLevels - 1; level >= 0; level--)
        {
            double[] items = levels[level] ?? [];
            sketch._levels[level] = sketch._levels[level + 1] - items.Length;
            items.CopyTo(sketch._items, sketch._levels[level]);
        }

        sketch._count = count;
        sketch._min = count == 0 ? double.NaN : min;
        sketch._max = count == 0 ? double.NaN : max;
        sketch._random = randomState;
        sketch._levelZeroSorted = false;
        return sketch;
    }

    /// <summary>The capacity of <paramref name="level"/> in a sketch of <paramref name="numLevels"/> levels: k (2/3)^depth, at least 8.</summary>
    internal static int LevelCapacity(int k, int numLevels, int level) =>
        level == 0 ? Math.Max(MinLevelZeroCapacity, CapacityAtDepth(k, numLevels - 1)) : CapacityAtDepth(k, numLevels - level - 1);

    private static int CapacityAtDepth(int k, int depth)
    {
        double capacity = k * Math.Pow(2.0 / 3.0, depth);
        return Math.Max(MinLevelCapacity, (int)Math.Round(capacity, MidpointRounding.AwayFromZero));
    }

    private int Capacity(int numLevels, int level) =>
        level == 0 ? Math.Max(MinLevelZeroCapacity, _capacityByDepth[numLevels - 1]) : _capacityByDepth[numLevels - level - 1];

    private int Total(int numLevels)
    {
        int total = 0;
        for (int level = 0; level < numLevels; level++)
        {
            total += Capacity(numLevels, level);
        }

        return total;
    }

    internal static int TotalCapacity(int k, int numLevels)
    {
        int total = 0;
        for (int level = 0; level < numLevels; level++)
        {
            total += LevelCapacity(k, numLevels, level);
        }

        return total;
    }

    // SplitMix64: every seed, small ones included, gives a well-mixed stream of coins.
    private bool NextCoin()
    {
        ulong z = _random += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (long)z < 0;
    }

    private int FindLevelToCompact()
    {
        for (int level = 0; ; level++)
        {
            int population = _levels[level + 1] - _levels[level];
            if (population >= Capacity(_numLevels, level))
            {
                return level;
            }
        }
    }

    private void AddEmptyTopLevel()
    {
        int currentCapacity = _levels[_numLevels];
        int newCapacity = Total(_numLevels + 1);
        int delta = newCapacity - currentCapacity;
        int start = _levels[0];
        Array.Copy(_items, start, _items, start + delta, currentCapacity - start);
        for (int level = 0; level <= _numLevels; level++)
        {
            _levels[level] += delta;
        }

        _numLevels++;
        _levels[_numLevels] = newCapacity;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void CompressWhileUpdating()
    {
        int level = FindLevelToCompact();
        if (level == _numLevels - 1)
        {
            AddEmptyTopLevel();
        }

        int rawBegin = _levels[level];
        int rawEnd = _levels[level + 1];
        int populationAbove = _levels[level + 2] - rawEnd;
        int rawPopulation = rawEnd - rawBegin;
        bool oddPopulation = (rawPopulation & 1) == 1;
        int begin = oddPopulation ? rawBegin + 1 : rawBegin;
        int population = oddPopulation ? rawPopulation - 1 : rawPopulation;

        if (level == 0)
        {
            _items.AsSpan(begin, population).Sort();
        }

        // The TailItems smallest and largest items of the block stay at this level, uncompacted: the sparse tails of a
        // distribution then keep fine weights, which bounds what a single far-out pair can do to the Wasserstein distance.
        int tail = population >= 4 * TailItems ? TailItems : 0;
        int compactBegin = begin + tail;
        int compactPopulation = population - (2 * tail);
        int half = compactPopulation / 2;
        double oddItem = _items[rawBegin];
        Span<double> top = stackalloc double[TailItems];
        _items.AsSpan(rawEnd - tail, tail).CopyTo(top);

        if (populationAbove == 0)
        {
            HalveUp(_items, compactBegin, compactPopulation, NextCoin());
            if (tail > 0)
            {
                Array.Copy(_items, compactBegin + half, _items, rawEnd - half, half);
            }
        }
        else
        {
            HalveDown(_items, compactBegin, compactPopulation, NextCoin());
            MergeSorted(_items, compactBegin, half, _items, rawEnd, populationAbove, _items, rawEnd - half);
        }

        // This level keeps, in order: the odd item, the bottom tail, the top tail; right below the level above.
        int newLevelEnd = rawEnd - half;
        top[..tail].CopyTo(_items.AsSpan(newLevelEnd - tail, tail));
        Array.Copy(_items, begin, _items, newLevelEnd - (2 * tail), tail);
        int newLevelBegin = newLevelEnd - (2 * tail);
        if (oddPopulation)
        {
            newLevelBegin--;
            _items[newLevelBegin] = oddItem;
        }

        _levels[level + 1] = newLevelEnd;
        _levels[level] = newLevelBegin;

        if (level > 0)
        {
            int amount = rawBegin - _levels[0];
            Array.Copy(_items, _levels[0], _items, _levels[0] + half, amount);
            for (int lower = 0; lower < level; lower++)
            {
                _levels[lower] += half;
            }
        }
    }

    private void MergeHigherLevels(KllSketch other)
    {
        int provisionalLevels = Math.Max(_numLevels, other._numLevels);
        int workSize = RetainedItems + (other._levels[other._numLevels] - other._levels[1]);
        var work = new double[workSize];
        var workLevels = new int[MaxLevels + 3];
        var outLevels = new int[MaxLevels + 3];

        workLevels[0] = 0;
        int selfZero = _levels[1] - _levels[0];
        Array.Copy(_items, _levels[0], work, 0, selfZero);
        workLevels[1] = selfZero;
        for (int level = 1; level < provisionalLevels; level++)
        {
            int selfPopulation = level < _numLevels ? _levels[level + 1] - _levels[level] : 0;
            int otherPopulation = level < other._numLevels ? other._levels[level + 1] - other._levels[level] : 0;
            workLevels[level + 1] = workLevels[level] + selfPopulation + otherPopulation;
            if (selfPopulation > 0 && otherPopulation == 0)
            {
                Array.Copy(_items, _levels[level], work, workLevels[level], selfPopulation);
            }
            else if (selfPopulation == 0 && otherPopulation > 0)
            {
                Array.Copy(other._items, other._levels[level], work, workLevels[level], otherPopulation);
            }
            else if (selfPopulation > 0 && otherPopulation > 0)
            {
                MergeSorted(_items, _levels[level], selfPopulation, other._items, other._levels[level], otherPopulation, work, workLevels[level]);
            }
        }

        (int numLevels, int targetCapacity, int itemCount) = GeneralCompress(provisionalLevels, work, workLevels, outLevels);

        int freeAtBottom = targetCapacity - itemCount;
        Array.Copy(work, outLevels[0], _items, freeAtBottom, itemCount);
        int shift = freeAtBottom - outLevels[0];
        for (int level = 0; level <= numLevels; level++)
        {
            _levels[level] = outLevels[level] + shift;
        }

        _numLevels = numLevels;
    }

    private (int NumLevels, int TargetCapacity, int ItemCount) GeneralCompress(int numLevels, double[] buffer, int[] inLevels, int[] outLevels)
    {
        int currentItemCount = inLevels[numLevels] - inLevels[0];
        int targetItemCount = Total(numLevels);
        outLevels[0] = 0;
        int level = -1;
        bool done = false;
        while (!done)
        {
            level++;
            if (level == numLevels - 1)
            {
                inLevels[level + 2] = inLevels[level + 1];
            }

            int rawBegin = inLevels[level];
            int rawEnd = inLevels[level + 1];
            int rawPopulation = rawEnd - rawBegin;

            if (currentItemCount < targetItemCount || rawPopulation < Capacity(numLevels, level))
            {
                Array.Copy(buffer, rawBegin, buffer, outLevels[level], rawPopulation);
                outLevels[level + 1] = outLevels[level] + rawPopulation;
            }
            else
            {
                int populationAbove = inLevels[level + 2] - rawEnd;
                bool oddPopulation = (rawPopulation & 1) == 1;
                int begin = oddPopulation ? rawBegin + 1 : rawBegin;
                int population = oddPopulation ? rawPopulation - 1 : rawPopulation;
                int half = population / 2;

                if (oddPopulation)
                {
                    buffer[outLevels[level]] = buffer[rawBegin];
                    outLevels[level + 1] = outLevels[level] + 1;
                }
                else
                {
                    outLevels[level + 1] = outLevels[level];
                }

                if (level == 0 && !_levelZeroSorted)
                {
                    buffer.AsSpan(begin, population).Sort();
                }

                if (populationAbove == 0)
                {
                    HalveUp(buffer, begin, population, NextCoin());
                }
                else
                {
                    HalveDown(buffer, begin, population, NextCoin());
                    MergeSorted(buffer, begin, half, buffer, rawEnd, populationAbove, buffer, begin + half);
                }

                currentItemCount -= half;
                inLevels[level + 1] -= half;

                if (level == numLevels - 1)
                {
                    numLevels++;
                    targetItemCount = Total(numLevels);
                }
            }

            if (level == numLevels - 1)
            {
                done = true;
            }
        }

        return (numLevels, targetItemCount, currentItemCount);
    }

    // Keeps one item of each sorted pair (b[2p], b[2p + 1]): the lower or the upper one, alternating from pair to pair,
    // starting from a random choice. For any query point only the pair straddling it changes its rank, by +w or -w with
    // a fair coin, exactly as in KLL; but over a range the shifts alternate and cancel, so integrals of the distribution
    // (Wasserstein, bin shares) keep far less error than when every pair keeps the same side.
    private static void HalveDown(double[] buffer, int start, int length, bool odd)
    {
        int half = length / 2;
        int phase = odd ? 1 : 0;
        for (int i = 0; i < half; i++)
        {
            buffer[start + i] = buffer[start + (2 * i) + ((i + phase) & 1)];
        }
    }

    private static void HalveUp(double[] buffer, int start, int length, bool odd)
    {
        int half = length / 2;
        int phase = odd ? 1 : 0;
        for (int i = half - 1; i >= 0; i--)
        {
            buffer[start + half + i] = buffer[start + (2 * i) + ((i + phase) & 1)];
        }
    }

    private static void MergeSorted(double[] a, int startA, int lengthA, double[] b, int startB, int lengthB, double[] c, int startC)
    {
        int limA = startA + lengthA;
        int limB = startB + lengthB;
        int limC = startC + lengthA + lengthB;
        int a1 = startA;
        int b1 = startB;
        for (int c1 = startC; c1 < limC; c1++)
        {
            if (a1 == limA)
            {
                c[c1] = b[b1++];
            }
            else if (b1 == limB)
            {
                c[c1] = a[a1++];
            }
            else if (a[a1] < b[b1])
            {
                c[c1] = a[a1++];
            }
            else
            {
                c[c1] = b[b1++];
            }
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"KllSketch(K={K}, Count={_count}, Retained={RetainedItems}, Levels={_numLevels}, Min={_min}, Max={_max})";
}
