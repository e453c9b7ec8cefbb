using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Sketches;

/// <summary>
/// The bounded-memory profile of one feature over a stream or a window: counts, missing values, moments, minimum and
/// maximum, a <see cref="KllSketch"/> of the numbers (numerical features), a <see cref="CategoryCounter"/> (categorical
/// features), and exact counts of up to <see cref="DistinctValueLimit"/> distinct numbers, so that the drift engine can
/// apply Evidently's "more than 2 / 5 / 20 distinct values" rules and compare low-cardinality numbers value by value.
/// </summary>
/// <remarks>
/// <para>
/// <b>Memory bound.</b> Numerical: one <see cref="KllSketch"/> (<see cref="KllSketch.MaxRetainedItems(int)"/> doubles,
/// 52.7 KiB for the default K = 2048) plus 21 exact value counts, about 53 KiB in all. Categorical: one
/// <see cref="CategoryCounter"/> of at most <see cref="MaxCategories"/> entries of at most
/// <see cref="MaxCategoryLength"/> characters, its own copies (a profile never keeps a caller's string alive). Both are
/// allocated by the constructor; nothing grows with the stream. NaN, ±Infinity and null are missing values.
/// </para>
/// <para>
/// <b>Window profiles binned on a reference's grid.</b> <see cref="CreateWindowProfile"/> makes the profile of a
/// window that will be compared with a given reference. Its numbers are not sketched: each is counted in a bin of a
/// grid derived once from the reference (NannyML's approach) and cached on it, with the bin's count and sum, so that
/// a bin's mass sits at the mean of the values it received. The grid: one point bin per reference value when the
/// reference has at most 1,024 distinct values (values equal to a reference value are counted exactly); otherwise
/// 1,024 equal-frequency bins from the reference's quantiles plus a point bin for every value holding at least
/// 1/1,024 of the reference; the bins below the reference's minimum and above its maximum are open. Count, missing
/// values, moments, minimum and maximum and the 21 exact value counts stay exact; <see cref="GetDistribution"/>
/// returns the non-empty bins' means with their counts. Memory: 16 bytes per bin (at most about 33 KiB), against
/// 53 KiB for a sketch; <see cref="Add(double)"/> costs a table look-up instead of a sketch update.
/// </para>
/// <para>
/// <b>Error of a binned window.</b> At every grid edge the window's cumulative count is exact; inside a bin only the
/// count and the mean of its values are known. With p the largest share of the window in one bin (about 1/1,024 when
/// the window resembles the reference; more when it piles into a few reference bins, a drift every method shows
/// anyway) and a point bin being exact, against the exact window compared with the same reference profile:
/// the KS statistic is within p (the bin's mass sits at its mean); the Wasserstein distance within p × (the window's
/// maximum - minimum) (the engine spreads each bin's values evenly over the widest interval centred on their mean
/// that stays in the bin); each histogram share used by PSI, KL, Jensen-Shannon and Hellinger within the window's
/// share of the two grid bins that the histogram bin's edges cut through (same spreading). These add to the
/// reference sketch's own error (see <see cref="SketchDriftEngine"/>). Measured on the golden cases against the exact
/// engine: KS statistic 0.00033, Wasserstein 1.2%, PSI 2.4%, Jensen-Shannon 3.4%, KL 4.4% relative at worst, every
/// drift flag the same (<c>docs/benchmarks.md</c>, "Drift engine").
/// </para>
/// <para>
/// <b>Allocation.</b> <see cref="Add(double)"/> never allocates; <see cref="Add(string?)"/> does not allocate for
/// a category already seen (see <see cref="CategoryCounter"/>).
/// </para>
/// <para>
/// <b>Thread safety.</b> Single writer: one thread calls <c>Add</c>, <see cref="Merge"/> and <see cref="Reset"/>
/// (the recorder's folding thread); reads must not overlap a write. Profiles of different features or windows are
/// independent.
/// </para>
/// </remarks>
public sealed class FeatureProfile
{
    /// <summary>
    /// How many distinct numbers are counted exactly: 21, one more than Evidently's "more than 20 distinct values"
    /// rule needs. Past that, <see cref="HasExactValueCounts"/> becomes <see langword="false"/>.
    /// </summary>
    public const int DistinctValueLimit = 21;

    // DistinctValueLimit rounded up to whole 4-double vectors.
    private const int DistinctSlots = 24;

    private KllSketch? _sketch;
    private readonly CategoryCounter? _categories;

    // A binned window profile (see CreateWindowProfile): the grid it counts in, a count and a sum per bin, and the
    // exact minimum and maximum (a sketch keeps those itself). Null for a sketched or categorical profile.
    private readonly QuantileGrid? _binGrid;
    private readonly BinTotal[]? _bins;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;

    // The grid of windows compared with this profile as their reference, built on first use.
    private QuantileGrid? _windowGrid;
    private readonly double[] _distinctValues;
    private readonly long[] _distinctCounts;
    private int _distinctCount;
    private bool _distinctOverflow;
    private long _count;
    private long _missingCount;
    private long _nonFiniteCount;
    private double _shift;
    private double _shiftedSum;
    private double _shiftedSumOfSquares;

    // Profiles of this reference's consecutive chunks, for NannyML-style thresholds (empty unless set).
    private FeatureProfile[] _chunks = [];

    // GetDistribution's last result, valid while the count is unchanged (Reset, Merge and ReplaceSketch clear it).
    private CachedDistribution? _distribution;

    /// <summary>Creates an empty profile.</summary>
    /// <param name="name">The feature's name.</param>
    /// <param name="type">Whether the feature is numerical or categorical.</param>
    /// <param name="maxCategories">For a categorical feature, how many distinct values are counted exactly (0 = 100).</param>
    /// <param name="sketchK">For a numerical feature, the accuracy parameter of its <see cref="KllSketch"/>.</param>
    /// <param name="seed">The seed of the sketch's compaction coin (deterministic results for equal seeds and streams).</param>
    /// <param name="maxCategoryLength">For a categorical feature, how many characters of a value are kept (0 = 256); a longer value is truncated.</param>
    public FeatureProfile(string name, ColumnType type, int maxCategories = CategoryCounter.DefaultMaxCategories, int sketchK = KllSketch.DefaultK, ulong seed = KllSketch.DefaultSeed, int maxCategoryLength = CategoryCounter.DefaultMaxCategoryLength)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Type = type;
        switch (type)
        {
            case ColumnType.Numerical:
                _sketch = new KllSketch(sketchK, seed);
                _distinctValues = NewDistinctSlots();
                _distinctCounts = new long[DistinctValueLimit];
                break;
            case ColumnType.Categorical:
                _categories = new CategoryCounter(maxCategories, maxCategoryLength);
                _distinctValues = [];
                _distinctCounts = [];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown column type.");
        }
    }

    // A restored numerical profile around its sketch, or categorical one around its counter (BaselineProfile).
    private FeatureProfile(string name, KllSketch? sketch, CategoryCounter? categories)
    {
        Name = name;
        Type = sketch is not null ? ColumnType.Numerical : ColumnType.Categorical;
        _sketch = sketch;
        _categories = categories;
        _distinctValues = sketch is not null ? NewDistinctSlots() : [];
        _distinctCounts = sketch is not null ? new long[DistinctValueLimit] : [];
    }

    // A binned window profile on the grid of a reference.
    private FeatureProfile(string name, QuantileGrid grid)
    {
        Name = name;
        Type = ColumnType.Numerical;
        _binGrid = grid;
        _bins = new BinTotal[grid.BinCount];
        _distinctValues = NewDistinctSlots();
        _distinctCounts = new long[DistinctValueLimit];
    }

    /// <summary>
    /// Creates the empty profile of a window that will be compared with <paramref name="reference"/>: same name and
    /// type; a numerical window is binned on a grid derived once from the reference (cached on it, see the remarks of
    /// <see cref="FeatureProfile"/>), a categorical one counts up to the reference's <see cref="MaxCategories"/>.
    /// </summary>
    /// <param name="reference">The profile the window will be compared with. It must not change afterwards (a
    /// changed reference gets a new grid for the windows created after the change).</param>
    /// <returns>
    /// A binned profile; or, when the numerical reference has no value yet (no grid to derive), a sketched profile
    /// with the reference's <see cref="SketchK"/>.
    /// </returns>
    /// <remarks>Safe to call from several threads at once for one reference, as long as nothing writes to it.</remarks>
    public static FeatureProfile CreateWindowProfile(FeatureProfile reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Type == ColumnType.Categorical)
        {
            return new FeatureProfile(reference.Name, ColumnType.Categorical, reference.MaxCategories, maxCategoryLength: reference.MaxCategoryLength);
        }

        QuantileGrid? grid = reference.WindowGrid();
        return grid is null
            ? new FeatureProfile(reference.Name, ColumnType.Numerical, sketchK: reference.SketchK == 0 ? KllSketch.DefaultK : reference.SketchK)
            : new FeatureProfile(reference.Name, grid);
    }

    /// <summary>Creates an empty numerical profile.</summary>
    /// <param name="name">The feature's name.</param>
    /// <param name="sketchK">The accuracy parameter of its <see cref="KllSketch"/>.</param>
    public static FeatureProfile Numerical(string name, int sketchK = KllSketch.DefaultK) =>
        new(name, ColumnType.Numerical, sketchK: sketchK);

    /// <summary>Creates an empty categorical profile.</summary>
    /// <param name="name">The feature's name.</param>
    /// <param name="maxCategories">How many distinct values are counted exactly before the overflow bucket.</param>
    /// <param name="maxCategoryLength">How many characters of a value are kept; a longer value is truncated.</param>
    public static FeatureProfile Categorical(string name, int maxCategories = CategoryCounter.DefaultMaxCategories, int maxCategoryLength = CategoryCounter.DefaultMaxCategoryLength) =>
        new(name, ColumnType.Categorical, maxCategories, maxCategoryLength: maxCategoryLength);

    /// <summary>The feature's name.</summary>
    public string Name { get; }

    /// <summary>Whether the feature is numerical or categorical.</summary>
    public ColumnType Type { get; }

    /// <summary>How many non-missing values were added.</summary>
    public long Count => _count;

    /// <summary>How many missing values (NaN, ±Infinity or null) were added.</summary>
    public long MissingCount => _missingCount;

    /// <summary>
    /// How many of the missing values were ±Infinity (or a number too large for a double, such as 1e400, which parses as
    /// infinity). They are counted as missing, as NaN is, so that one of them cannot make the moments, the range or the
    /// drift comparison meaningless.
    /// </summary>
    public long NonFiniteCount => _nonFiniteCount;

    /// <summary>How many values were added, missing ones included.</summary>
    public long TotalCount => _count + _missingCount;

    /// <summary>The sketch of the numbers; <see langword="null"/> for a categorical feature or a binned window (<see cref="IsBinned"/>).</summary>
    public KllSketch? Sketch => _sketch;

    /// <summary>Whether the numbers are counted on a reference's grid (see <see cref="CreateWindowProfile"/>) instead of sketched.</summary>
    public bool IsBinned => _bins is not null;

    /// <summary>How many bins a binned profile counts in (0 when it is not binned).</summary>
    public int BinCount => _bins?.Length ?? 0;

    /// <summary>The category counts; <see langword="null"/> for a numerical feature.</summary>
    public CategoryCounter? Categories => _categories;

    /// <summary>For a categorical feature, how many distinct values are counted exactly before the overflow bucket.</summary>
    public int MaxCategories => _categories?.MaxCategories ?? CategoryCounter.DefaultMaxCategories;

    /// <summary>For a categorical feature, how many characters of a value are kept (longer values are truncated).</summary>
    public int MaxCategoryLength => _categories?.MaxCategoryLength ?? CategoryCounter.DefaultMaxCategoryLength;

    /// <summary>The accuracy parameter of the numerical sketch (0 for a categorical feature or a binned window).</summary>
    public int SketchK => _sketch?.K ?? 0;

    /// <summary>The sum of the numbers (0 for a categorical feature).</summary>
    public double Sum => _shiftedSum + (_count * _shift);

    /// <summary>The sum of the squares of the numbers (0 for a categorical feature).</summary>
    public double SumOfSquares => _shiftedSumOfSquares + (2 * _shift * _shiftedSum) + (_count * _shift * _shift);

    /// <summary>The mean of the numbers, or NaN when there are none.</summary>
    public double Mean => _count == 0 ? double.NaN : _shift + (_shiftedSum / _count);

    /// <summary>
    /// The population variance (divided by <see cref="Count"/>, as <c>numpy.std</c> uses), or NaN when empty.
    /// Computed from sums shifted by the first value, which keeps it accurate when the mean is large.
    /// </summary>
    public double Variance
    {
        get
        {
            if (_count == 0)
            {
                return double.NaN;
            }

            double mean = _shiftedSum / _count;
            return Math.Max(0, (_shiftedSumOfSquares / _count) - (mean * mean));
        }
    }

    /// <summary>The population standard deviation, or NaN when empty.</summary>
    public double StandardDeviation => Math.Sqrt(Variance);

    /// <summary>The smallest number, or NaN when there is none.</summary>
    public double Min => _bins is not null ? (_count == 0 ? double.NaN : _min) : _sketch?.Min ?? double.NaN;

    /// <summary>The largest number, or NaN when there is none.</summary>
    public double Max => _bins is not null ? (_count == 0 ? double.NaN : _max) : _sketch?.Max ?? double.NaN;

    /// <summary>
    /// Whether the exact count of every distinct number is known (numerical feature with at most
    /// <see cref="DistinctValueLimit"/> distinct values so far).
    /// </summary>
    public bool HasExactValueCounts => Type == ColumnType.Numerical && !_distinctOverflow;

    /// <summary>
    /// Profiles of consecutive chunks of this reference, in order (empty unless set with
    /// <see cref="SetReferenceChunks"/> or read from a baseline): the drift engine compares each with the whole
    /// reference to derive chunk thresholds (<see cref="ColumnDriftSettings.ChunkThresholds"/>).
    /// </summary>
    public IReadOnlyList<FeatureProfile> ReferenceChunks => _chunks;

    /// <summary>Sets <see cref="ReferenceChunks"/>: profiles of the same feature over consecutive parts of this reference.</summary>
    /// <param name="chunks">The chunk profiles, in order; same type as this profile.</param>
    /// <exception cref="ArgumentException">A chunk is null or of another type.</exception>
    public void SetReferenceChunks(IEnumerable<FeatureProfile> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        FeatureProfile[] array = chunks.ToArray();
        foreach (FeatureProfile chunk in array)
        {
            ArgumentNullException.ThrowIfNull(chunk, nameof(chunks));
            if (chunk.Type != Type)
            {
                throw new ArgumentException($"A chunk of the {Type} profile '{Name}' is {chunk.Type}.", nameof(chunks));
            }
        }

        _chunks = array;
    }

    /// <summary>
    /// The number of distinct non-missing values: exact up to <see cref="DistinctValueLimit"/> for numbers; for
    /// categories, the exact categories plus one for a non-empty overflow bucket. When numbers exceed the limit this is
    /// <see cref="DistinctValueLimit"/> + 1, meaning "more than the limit".
    /// </summary>
    public int DistinctCount => Type == ColumnType.Categorical
        ? _categories!.DistinctCount
        : _distinctOverflow ? DistinctValueLimit + 1 : _distinctCount;

    /// <summary>
    /// Adds a number. NaN and ±Infinity count as missing (infinities also in <see cref="NonFiniteCount"/>).
    /// Allocation-free.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <exception cref="InvalidOperationException">The feature is categorical and the value is finite.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(double value)
    {
        if (!double.IsFinite(value))
        {
            AddNonFinite(value);
            return;
        }

        BinTotal[]? bins = _bins;
        if (bins is not null)
        {
            AddToBin(bins, value, _binGrid!.BinOf(value));
            return;
        }

        KllSketch sketch = _sketch ?? throw NotNumerical();
        AddMoments(value);
        sketch.Add(value);
    }

    /// <summary>
    /// For a binned profile and a finite value, the grid bin <see cref="Add(double)"/> would count it in; -1 otherwise.
    /// With <see cref="Add(double, int)"/>, lets a caller look up the bins of several profiles first and count after,
    /// so that the look-ups' cache misses overlap instead of following one another.
    /// </summary>
    internal int BinOf(double value) => _bins is not null && double.IsFinite(value) ? _binGrid!.BinOf(value) : -1;

    /// <summary>
    /// <see cref="Add(double)"/> with the bin <see cref="BinOf"/> gave for this value (-1: the ordinary path). The
    /// same result as <see cref="Add(double)"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Add(double value, int bin)
    {
        if (bin >= 0)
        {
            AddToBin(_bins!, value, bin);
        }
        else
        {
            Add(value);
        }
    }

    /// <summary>
    /// Adds numbers in order: the same result as <see cref="Add(double)"/> for each, bit for bit (NaN and infinities
    /// missing). Faster for a binned profile (a window compared with a reference): the moments and the range stay in
    /// registers over each run of finite values instead of being loaded and stored on the profile for every value.
    /// </summary>
    /// <param name="values">The values.</param>
    /// <exception cref="InvalidOperationException">The feature is categorical.</exception>
    public void Add(ReadOnlySpan<double> values)
    {
        int i = 0;
        while (i < values.Length)
        {
            // The ordinary path while exact value counts are tracked, for a sketched profile, and for non-finite values.
            if (_bins is null || !_distinctOverflow || _count == 0 || !double.IsFinite(values[i]))
            {
                Add(values[i++]);
            }
            else
            {
                i = AddBinnedRun(values, i);
            }
        }
    }

    // Adds the finite values from start on, up to the first non-finite one; returns its index (or the length).
    private int AddBinnedRun(ReadOnlySpan<double> values, int start)
    {
        BinTotal[] bins = _bins!;
        QuantileGrid grid = _binGrid!;
        double shift = _shift;
        double sum = _shiftedSum;
        double squares = _shiftedSumOfSquares;
        double min = _min;
        double max = _max;
        int i = start;
        for (; i < values.Length; i++)
        {
            double value = values[i];
            if (!double.IsFinite(value))
            {
                break;
            }

            double shifted = value - shift;
            sum += shifted;
            squares += shifted * shifted;
            if (value < min)
            {
                min = value;
            }

            if (value > max)
            {
                max = value;
            }

            ref BinTotal bin = ref bins[grid.BinOf(value)];
            bin.Count++;
            bin.Sum += value;
        }

        _count += i - start;
        _shiftedSum = sum;
        _shiftedSumOfSquares = squares;
        _min = min;
        _max = max;
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddToBin(BinTotal[] bins, double value, int index)
    {
        AddMoments(value);
        if (value < _min)
        {
            _min = value;
        }

        if (value > _max)
        {
            _max = value;
        }

        ref BinTotal bin = ref bins[index];
        bin.Count++;
        bin.Sum += value;
    }

    /// <summary>
    /// Adds a category. Null counts as missing. A value longer than <see cref="MaxCategoryLength"/> is truncated; a new
    /// category is kept as a copy, never as the caller's string. Allocation-free for a category already seen.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <exception cref="InvalidOperationException">The feature is numerical and the value is not null.</exception>
    public void Add(string? value)
    {
        if (value is null)
        {
            _missingCount++;
            return;
        }

        CategoryCounter categories = _categories ?? throw NotCategorical();
        categories.Add(value);
        _count++;
    }

    /// <summary>
    /// Adds a category <paramref name="count"/> times: the same counts as that many calls of <see cref="Add(string?)"/>,
    /// for a caller that tallies labels before handing them over (a window's cached label instances, mlmon's readers).
    /// </summary>
    /// <param name="value">The value; null counts as missing.</param>
    /// <param name="count">How many times (not negative).</param>
    /// <exception cref="InvalidOperationException">The feature is numerical and the value is not null.</exception>
    public void Add(string? value, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (value is null)
        {
            _missingCount += count;
            return;
        }

        CategoryCounter categories = _categories ?? throw NotCategorical();
        categories.Add(value, count);
        _count += count;
    }

    /// <summary>Counts one missing value.</summary>
    public void AddMissing() => _missingCount++;

    /// <summary>
    /// Adds everything <paramref name="other"/> holds, as if this profile had seen both streams. The exact value
    /// counts stay exact while the two together hold at most <see cref="DistinctValueLimit"/> distinct numbers.
    /// </summary>
    /// <param name="other">A profile of the same type (its name may differ, e.g. a window of the same feature).</param>
    /// <exception cref="ArgumentException">The types or the sketch accuracy parameters differ.</exception>
    public void Merge(FeatureProfile other)
    {
        _distribution = null;
        ArgumentNullException.ThrowIfNull(other);
        if (other.Type != Type)
        {
            throw new ArgumentException($"Cannot merge the {other.Type} profile '{other.Name}' into the {Type} profile '{Name}'.", nameof(other));
        }

        if (ReferenceEquals(other, this))
        {
            other = other.Clone();
        }

        if (Type == ColumnType.Numerical)
        {
            if (other._count > 0)
            {
                if (_count == 0)
                {
                    _shift = other._shift;
                    _shiftedSum = other._shiftedSum;
                    _shiftedSumOfSquares = other._shiftedSumOfSquares;
                }
                else
                {
                    double delta = other._shift - _shift;
                    _shiftedSumOfSquares += other._shiftedSumOfSquares + (2 * delta * other._shiftedSum) + (other._count * delta * delta);
                    _shiftedSum += other._shiftedSum + (other._count * delta);
                }

                MergeDistinct(other);
            }

            MergeNumbers(other);
        }
        else
        {
            _categories!.Merge(other._categories!);
        }

        _count += other._count;
        _missingCount += other._missingCount;
        _nonFiniteCount += other._nonFiniteCount;
    }

    /// <summary>Forgets everything; keeps the allocated memory (for reuse by the next window).</summary>
    public void Reset()
    {
        _distribution = null;
        _count = 0;
        _missingCount = 0;
        _nonFiniteCount = 0;
        _shift = 0;
        _shiftedSum = 0;
        _shiftedSumOfSquares = 0;
        _distinctCount = 0;
        _distinctOverflow = false;
        Array.Fill(_distinctValues, double.NaN);
        _min = double.PositiveInfinity;
        _max = double.NegativeInfinity;
        _sketch?.Reset();
        _categories?.Reset();
        if (_bins is not null)
        {
            Array.Clear(_bins);
        }
    }

    /// <summary>A deep copy (a binned profile's copy counts on the same grid).</summary>
    public FeatureProfile Clone()
    {
        if (_binGrid is not null)
        {
            var binned = new FeatureProfile(Name, _binGrid);
            binned.Merge(this);
            return binned;
        }

        var copy = new FeatureProfile(Name, Type, MaxCategories, _sketch?.K ?? KllSketch.DefaultK, _sketch?.Seed ?? KllSketch.DefaultSeed, MaxCategoryLength);
        copy.Merge(this);
        if (_sketch is not null)
        {
            // Merge re-adds level 0 through Add; a clone must be identical, so copy the sketch itself.
            copy.ReplaceSketch(_sketch.Clone());
        }

        return copy;
    }

    /// <summary>
    /// The exact count of each distinct number, ascending, while <see cref="HasExactValueCounts"/>; otherwise
    /// <see langword="null"/>. Allocates.
    /// </summary>
    public IReadOnlyList<WeightedValue>? GetValueCounts()
    {
        if (!HasExactValueCounts)
        {
            return null;
        }

        var result = new WeightedValue[_distinctCount];
        for (int i = 0; i < _distinctCount; i++)
        {
            result[i] = new WeightedValue(_distinctValues[i], _distinctCounts[i]);
        }

        Array.Sort(result, (left, right) => left.Value.CompareTo(right.Value));
        return result;
    }

    /// <summary>
    /// The distribution of the numbers as the drift engine sees it: exact when <see cref="HasExactValueCounts"/>,
    /// otherwise the sketch's weighted values, or for a binned profile each non-empty bin's mean with its count.
    /// Allocates.
    /// </summary>
    /// <exception cref="InvalidOperationException">The feature is categorical.</exception>
    public SortedWeightedValues GetDistribution()
    {
        if (Type != ColumnType.Numerical)
        {
            throw NotNumerical();
        }

        // A reference profile is compared with every window and never changes: build its view once. Threads that build
        // it at the same time all return the one published first, so that a grid's Source is the reference's view.
        CachedDistribution? seen = Volatile.Read(ref _distribution);
        if (seen is not null && seen.Count == _count)
        {
            return seen.Values;
        }

        var built = new CachedDistribution(
            HasExactValueCounts ? SortedWeightedValues.Create(GetValueCounts()!)
                : _bins is not null ? BinnedDistribution()
                : _sketch!.ToSortedView(),
            _count);
        CachedDistribution? raced = Interlocked.CompareExchange(ref _distribution, built, seen);
        return ReferenceEquals(raced, seen) || raced is null || raced.Count != _count ? built.Values : raced.Values;
    }

    // The distribution of a profile as it was at Count: one object, so that it is published (and read) whole.
    private sealed record CachedDistribution(SortedWeightedValues Values, long Count);

    /// <inheritdoc/>
    public override string ToString() =>
        $"FeatureProfile({Name}, {Type}, Count={_count}, Missing={_missingCount}, Distinct={(HasExactValueCounts || Type == ColumnType.Categorical ? DistinctCount.ToString(System.Globalization.CultureInfo.InvariantCulture) : $">{DistinctValueLimit}")})";

    internal double Shift => _shift;

    internal double ShiftedSum => _shiftedSum;

    internal double ShiftedSumOfSquares => _shiftedSumOfSquares;

    internal bool DistinctOverflow => _distinctOverflow;

    /// <summary>A restored numerical profile around a restored sketch; used by <see cref="BaselineProfile"/>.</summary>
    internal static FeatureProfile Restored(string name, KllSketch sketch) => new(name, sketch, null);

    /// <summary>A restored categorical profile around its counter; used by <see cref="BaselineProfile"/>.</summary>
    internal static FeatureProfile Restored(string name, CategoryCounter categories) => new(name, null, categories);

    /// <summary>Restores the moments and counts from serialized parts; used by <see cref="BaselineProfile"/>.</summary>
    internal void RestoreNumbers(long count, long missing, long nonFinite, double shift, double shiftedSum, double shiftedSumOfSquares, bool distinctOverflow, IReadOnlyList<WeightedValue> valueCounts, KllSketch sketch)
    {
        _count = count;
        _missingCount = missing;
        _nonFiniteCount = nonFinite;
        _shift = shift;
        _shiftedSum = shiftedSum;
        _shiftedSumOfSquares = shiftedSumOfSquares;
        _distinctOverflow = distinctOverflow;
        _distinctCount = 0;
        Array.Fill(_distinctValues, double.NaN);
        if (!distinctOverflow)
        {
            foreach (WeightedValue pair in valueCounts)
            {
                _distinctValues[_distinctCount] = pair.Value;
                _distinctCounts[_distinctCount] = pair.Weight;
                _distinctCount++;
            }
        }

        ReplaceSketch(sketch);
    }

    /// <summary>Restores the category counts from serialized parts; used by <see cref="BaselineProfile"/>.</summary>
    internal void RestoreCategories(long missing, long nonFinite, IEnumerable<KeyValuePair<string, long>> counts, long overflow, IEnumerable<(ulong Hash, long Count)>? overflowSample = null)
    {
        _nonFiniteCount = nonFinite;
        _categories!.Restore(counts, overflow, missing, overflowSample);
        _count = _categories.Count;
        _missingCount = missing;
    }

    /// <summary>
    /// The sketch to save in a baseline file: the profile's own, or for a binned profile a sketch fed its distribution
    /// (each bin's mean as many times as the bin's count, the exact minimum and maximum kept).
    /// </summary>
    internal KllSketch SketchForSaving()
    {
        if (_sketch is not null)
        {
            return _sketch;
        }

        var sketch = new KllSketch();
        AddDistributionTo(sketch);
        return sketch;
    }

    // The grid of the windows compared with this profile; built once, rebuilt if the profile changed since.
    private QuantileGrid? WindowGrid()
    {
        QuantileGrid? seen = Volatile.Read(ref _windowGrid);
        if (seen is not null && seen.ReferenceCount == _count)
        {
            return seen;
        }

        if (_count == 0)
        {
            return null;
        }

        // Threads that build the grid at once all return the one published first: windows binned on one grid merge
        // bin by bin (exactly), where windows on two equal grids would be merged value by value, with rounding.
        QuantileGrid? built = QuantileGrid.Build(GetDistribution());
        if (built is null)
        {
            return null;
        }

        QuantileGrid? raced = Interlocked.CompareExchange(ref _windowGrid, built, seen);
        return ReferenceEquals(raced, seen) ? built : raced is not null && raced.ReferenceCount == _count ? raced : built;
    }

    /// <summary>The grid a binned profile counts on (null for a sketched or categorical one), for tests.</summary>
    internal QuantileGrid? BinGrid => _binGrid;

    // NaN, or ±Infinity (its own counter too): missing, never folded into the moments, range, bins or sketch.
    private void AddNonFinite(double value)
    {
        _missingCount++;
        if (!double.IsNaN(value))
        {
            _nonFiniteCount++;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddMoments(double value)
    {
        if (_count == 0)
        {
            _shift = value;
        }

        double shifted = value - _shift;
        _shiftedSum += shifted;
        _shiftedSumOfSquares += shifted * shifted;
        _count++;
        if (!_distinctOverflow)
        {
            TrackDistinct(value);
        }
    }

    // The distribution part of Merge (moments, counts and exact values are merged by the caller).
    private void MergeNumbers(FeatureProfile other)
    {
        if (other._count == 0)
        {
            return;
        }

        if (_bins is null)
        {
            if (other._sketch is not null)
            {
                _sketch!.Merge(other._sketch);
            }
            else
            {
                other.AddDistributionTo(_sketch!);
            }

            return;
        }

        _min = Math.Min(_min, other.Min);
        _max = Math.Max(_max, other.Max);
        if (ReferenceEquals(other._binGrid, _binGrid))
        {
            BinTotal[] source = other._bins!;
            for (int i = 0; i < _bins.Length; i++)
            {
                _bins[i].Count += source[i].Count;
                _bins[i].Sum += source[i].Sum;
            }

            return;
        }

        // Another grid or a sketch: bin its distribution, each weighted value where it falls.
        SortedWeightedValues distribution = other.GetDistribution();
        for (int i = 0; i < distribution.Length; i++)
        {
            double value = distribution.Values[i];
            long weight = distribution.Weights[i];
            ref BinTotal bin = ref _bins[_binGrid!.BinOf(value)];
            bin.Count += weight;
            bin.Sum += value * weight;
        }
    }

    // Feeds the distribution to a sketch, one value per unit of weight, with the lowest and highest unit replaced by the
    // exact minimum and maximum so that the sketch's range stays exact.
    private void AddDistributionTo(KllSketch sketch)
    {
        if (_count == 0)
        {
            return;
        }

        SortedWeightedValues distribution = GetDistribution();
        long remaining = distribution.TotalWeight;
        sketch.Add(Min);
        remaining--;
        for (int i = 0; i < distribution.Length && remaining > 1; i++)
        {
            long weight = i == 0 ? distribution.Weights[i] - 1 : distribution.Weights[i];
            for (long w = 0; w < weight && remaining > 1; w++)
            {
                sketch.Add(distribution.Values[i]);
                remaining--;
            }
        }

        if (remaining == 1)
        {
            sketch.Add(Max);
        }
    }

    /// <summary>
    /// For a binned profile, its count in each histogram bin (numpy's [e_i, e_i+1), the last closed), with each grid
    /// bin's values spread evenly over its span (see <see cref="Span"/>). Finer than putting a bin's whole mass at its
    /// mean when a histogram edge cuts through a grid bin. Allocates the result only.
    /// </summary>
    internal double[] SpreadOverHistogram(ReadOnlySpan<double> edges)
    {
        BinTotal[] bins = _bins ?? throw new InvalidOperationException($"The feature '{Name}' is not binned.");
        var counts = new double[edges.Length - 1];
        for (int i = 0; i < bins.Length; i++)
        {
            long count = bins[i].Count;
            if (count == 0)
            {
                continue;
            }

            (double from, double to) = Span(i);
            if (!(to > from))
            {
                int bin = HistogramBin(edges, from);
                if (bin >= 0)
                {
                    counts[bin] += count;
                }

                continue;
            }

            double density = count / (to - from);
            for (int bin = Math.Max(HistogramBin(edges, from), 0); bin < counts.Length && edges[bin] < to; bin++)
            {
                double overlap = Math.Min(to, edges[bin + 1]) - Math.Max(from, edges[bin]);
                if (overlap > 0)
                {
                    counts[bin] += overlap * density;
                }
            }
        }

        return counts;
    }

    /// <summary>
    /// For a binned profile, the first Wasserstein distance (the integral of |F_reference - F_window|) to a reference
    /// distribution, with the window's cumulative function rising linearly across each grid bin's span instead of
    /// jumping at its mean: one pass over the reference's values and the window's bins, no sort.
    /// </summary>
    internal double WassersteinTo(SortedWeightedValues reference)
    {
        _ = _bins ?? throw new InvalidOperationException($"The feature '{Name}' is not binned.");
        if (ReferenceEquals(reference, _binGrid!.Source))
        {
            return WassersteinOnGrid();
        }

        return WassersteinByValues(reference);
    }

    // WassersteinTo for any reference: one walk over its values and the window's bins, in order.
    private double WassersteinByValues(SortedWeightedValues reference)
    {
        BinTotal[] bins = _bins!;
        ReadOnlySpan<double> referenceValues = reference.Values;
        ReadOnlySpan<long> referenceWeights = reference.Weights;
        double referenceTotal = reference.TotalWeight;
        double windowTotal = _count;
        int i = 0;
        int bin = -1;
        double binFrom = double.PositiveInfinity;   // the span of the next bin to enter, or of the bin being crossed
        double binTo = double.PositiveInfinity;
        double binMass = 0;
        NextBin();
        double referenceCdf = 0;
        double windowBase = 0;          // the window's share in the bins already crossed
        bool rising = false;            // inside a bin's span, where the window's cumulative share rises linearly
        double slope = 0;
        double x = Math.Min(referenceValues[0], binFrom);
        double sum = 0;
        while (i < referenceValues.Length || bin < bins.Length)
        {
            double next = Math.Min(i < referenceValues.Length ? referenceValues[i] : double.PositiveInfinity, rising ? binTo : binFrom);
            if (next > x)
            {
                double g0 = referenceCdf - (rising ? windowBase + (slope * (x - binFrom)) : windowBase);
                double g1 = referenceCdf - (rising ? windowBase + (slope * (next - binFrom)) : windowBase);
                sum += AbsoluteIntegral(g0, g1, next - x);
                x = next;
            }

            if (rising && binTo == x)
            {
                rising = false;
                windowBase += binMass;
                NextBin();
            }

            while (!rising && bin < bins.Length && binFrom == x)
            {
                if (binTo > binFrom)
                {
                    rising = true;
                    slope = binMass / (binTo - binFrom);
                }
                else
                {
                    windowBase += binMass;
                    NextBin();
                }
            }

            while (i < referenceValues.Length && referenceValues[i] == x)
            {
                referenceCdf += referenceWeights[i++] / referenceTotal;
            }
        }

        return sum;

        void NextBin()
        {
            do
            {
                bin++;
            }
            while (bin < bins.Length && bins[bin].Count == 0);

            if (bin < bins.Length)
            {
                (binFrom, binTo) = Span(bin);
                binMass = bins[bin].Count / windowTotal;
            }
            else
            {
                binFrom = binTo = double.PositiveInfinity;
            }
        }
    }

    /// <summary>
    /// <see cref="WassersteinTo"/> against the reference the grid was derived from, bin by bin: where the two
    /// cumulative functions do not cross inside a bin, the integral of their difference is the difference of their
    /// integrals, which the grid holds for the reference (<see cref="QuantileGrid.ReferenceMoment"/>) and the span
    /// gives for the window; only the few bins where they cross are walked value by value. The same result as the
    /// value-by-value walk, in one pass over the bins.
    /// </summary>
    private double WassersteinOnGrid()
    {
        BinTotal[] bins = _bins!;
        QuantileGrid grid = _binGrid!;
        ReadOnlySpan<double> edges = grid.Edges;
        double[] below = grid.ReferenceBelow;
        double[] moment = grid.ReferenceMoment;
        int[] first = grid.ReferenceFirst;
        double windowTotal = _count;
        double windowBelow = 0;
        double sum = 0;
        int last = bins.Length - 1;
        for (int i = 0; i <= last; i++)
        {
            long count = bins[i].Count;
            double share = count / windowTotal;
            double from = 0;
            double to = 0;
            if (count > 0)
            {
                (from, to) = Span(i);
            }

            if (i == 0 || i == last)
            {
                // The open bins hold no reference value: the reference's cumulative share is 0 below its minimum and
                // 1 above its maximum, so each window value there contributes its distance to the reference's range.
                if (count > 0)
                {
                    if (first[i + 1] != first[i])
                    {
                        return WassersteinByValues(grid.Source);
                    }

                    double centre = (from + to) / 2;
                    sum += i == 0 ? share * (edges[0] - centre) : share * (centre - edges[^1]);
                }

                windowBelow += share;
                continue;
            }

            double lower = edges[i - 1];
            double upper = edges[i];
            double width = upper - lower;
            double referenceBelow = below[i];
            double referenceShare = below[i + 1] - referenceBelow;
            if (referenceBelow >= windowBelow + share || referenceBelow + referenceShare <= windowBelow)
            {
                double referenceIntegral = (referenceBelow * width) + moment[i];
                double windowIntegral = (windowBelow * width) + (count > 0 ? share * (upper - ((from + to) / 2)) : 0);
                sum += Math.Abs(referenceIntegral - windowIntegral);
            }
            else
            {
                sum += CrossingBin(grid.Source, first[i], first[i + 1], lower, upper, referenceBelow, windowBelow, share, from, to);
            }

            windowBelow += share;
        }

        return sum;
    }

    // The integral of |F_reference - F_window| over one bin [lower, upper), walking the reference's values in it and
    // the window's span [from, to] (its share rising linearly there from windowBelow to windowBelow + share).
    private static double CrossingBin(SortedWeightedValues reference, int firstValue, int endValue, double lower, double upper, double referenceCdf, double windowBelow, double share, double from, double to)
    {
        ReadOnlySpan<double> values = reference.Values;
        ReadOnlySpan<long> weights = reference.Weights;
        double total = reference.TotalWeight;
        bool point = !(to > from);
        double sum = 0;
        double x = lower;
        int k = firstValue;
        while (x < upper)
        {
            while (k < endValue && values[k] <= x)
            {
                referenceCdf += weights[k++] / total;
            }

            double next = Math.Min(k < endValue ? values[k] : upper, x < from ? from : x < to ? to : upper);
            double g0 = referenceCdf - WindowCdf(x, after: true);
            double g1 = referenceCdf - WindowCdf(next, after: false);
            sum += AbsoluteIntegral(g0, g1, next - x);
            x = next;
        }

        return sum;

        // The window's cumulative share just after (or just before) x.
        double WindowCdf(double at, bool after)
        {
            if (point)
            {
                return (after ? at >= from : at > from) ? windowBelow + share : windowBelow;
            }

            return windowBelow + (share * Math.Clamp((at - from) / (to - from), 0, 1));
        }
    }

    // The integral of |g| over a segment of the given length on which g is linear from g0 to g1.
    private static double AbsoluteIntegral(double g0, double g1, double length) =>
        (g0 >= 0) == (g1 >= 0)
            ? length * (Math.Abs(g0) + Math.Abs(g1)) / 2
            : length * ((g0 * g0) + (g1 * g1)) / (2 * (Math.Abs(g0) + Math.Abs(g1)));

    /// <summary>
    /// Where a non-empty bin's values are taken to lie: evenly over the widest interval centred on their mean that
    /// stays inside the grid bin and the window's range; a single point (From = To) for a bin holding one value or a
    /// point bin, which is then exact.
    /// </summary>
    private (double From, double To) Span(int bin)
    {
        QuantileGrid grid = _binGrid!;
        long count = _bins![bin].Count;
        double lower = Math.Max(grid.LowerBound(bin), _min);
        double upper = Math.Min(bin == _bins.Length - 1 ? double.PositiveInfinity : grid.Edges[bin], _max);
        double mean = Math.Clamp(_bins[bin].Sum / count, lower, Math.Max(lower, upper));
        double half = count == 1 ? 0 : Math.Min(mean - lower, upper - mean);
        return half > 0 ? (mean - half, mean + half) : (mean, mean);
    }

    // numpy's histogram bin of a value: e_i <= value < e_i+1, the last edge in the last bin; -1 outside.
    private static int HistogramBin(ReadOnlySpan<double> edges, double value)
    {
        if (value < edges[0] || value > edges[^1])
        {
            return -1;
        }

        if (value == edges[^1])
        {
            return edges.Length - 2;
        }

        int low = 0;
        int high = edges.Length - 1;
        while (high - low > 1)
        {
            int middle = (low + high) >>> 1;
            if (edges[middle] <= value)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private SortedWeightedValues BinnedDistribution()
    {
        BinTotal[] bins = _bins!;
        QuantileGrid grid = _binGrid!;
        int nonEmpty = 0;
        foreach (BinTotal bin in bins)
        {
            nonEmpty += bin.Count > 0 ? 1 : 0;
        }

        var values = new double[nonEmpty];
        var weights = new long[nonEmpty];
        int write = 0;
        for (int i = 0; i < bins.Length; i++)
        {
            long count = bins[i].Count;
            if (count > 0)
            {
                // The mean, kept inside the bin and the window's range (a point bin's mean is its value exactly).
                double lower = Math.Max(grid.LowerBound(i), _min);
                double upper = Math.Min(grid.UpperBound(i), _max);
                values[write] = Math.Clamp(bins[i].Sum / count, lower, upper);
                weights[write] = count;
                write++;
            }
        }

        return SortedWeightedValues.FromSorted(values, weights);
    }

    private void ReplaceSketch(KllSketch sketch)
    {
        _sketch = sketch;
        _distribution = null;
    }

    // The exact values' slots: DistinctValueLimit rounded up to whole 4-double vectors, the unused ones NaN (never
    // equal to anything), so that TrackDistinct can compare 4 at a time without a branch per value.
    private static double[] NewDistinctSlots()
    {
        var slots = new double[DistinctSlots];
        Array.Fill(slots, double.NaN);
        return slots;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void TrackDistinct(double value)
    {
        double[] values = _distinctValues;
        int count = _distinctCount;
        if (Vector256.IsHardwareAccelerated)
        {
            // All 24 slots at once, one branch: whether the value is known is as predictable as the data allows.
            ref double slots = ref MemoryMarshal.GetArrayDataReference(values);
            Vector256<double> probe = Vector256.Create(value);
            uint matches = Vector256.Equals(Vector256.LoadUnsafe(ref slots, 0), probe).ExtractMostSignificantBits()
                | (Vector256.Equals(Vector256.LoadUnsafe(ref slots, 4), probe).ExtractMostSignificantBits() << 4)
                | (Vector256.Equals(Vector256.LoadUnsafe(ref slots, 8), probe).ExtractMostSignificantBits() << 8)
                | (Vector256.Equals(Vector256.LoadUnsafe(ref slots, 12), probe).ExtractMostSignificantBits() << 12)
                | (Vector256.Equals(Vector256.LoadUnsafe(ref slots, 16), probe).ExtractMostSignificantBits() << 16)
                | (Vector256.Equals(Vector256.LoadUnsafe(ref slots, 20), probe).ExtractMostSignificantBits() << 20);
            if (matches != 0)
            {
                _distinctCounts[BitOperations.TrailingZeroCount(matches)]++;
            }
            else
            {
                AddDistinct(value, 1);
            }

            return;
        }

        for (int i = 0; i < count; i++)
        {
            if (values[i] == value)
            {
                _distinctCounts[i]++;
                return;
            }
        }

        AddDistinct(value, 1);
    }

    private void AddDistinct(double value, long weight)
    {
        if (_distinctCount < DistinctValueLimit)
        {
            _distinctValues[_distinctCount] = value;
            _distinctCounts[_distinctCount] = weight;
            _distinctCount++;
        }
        else
        {
            _distinctOverflow = true;
        }
    }

    private void MergeDistinct(FeatureProfile other)
    {
        if (_distinctOverflow)
        {
            return;
        }

        if (other._distinctOverflow)
        {
            _distinctOverflow = true;
            return;
        }

        for (int j = 0; j < other._distinctCount && !_distinctOverflow; j++)
        {
            double value = other._distinctValues[j];
            int index = Array.IndexOf(_distinctValues, value, 0, _distinctCount);
            if (index >= 0)
            {
                _distinctCounts[index] += other._distinctCounts[j];
            }
            else
            {
                AddDistinct(value, other._distinctCounts[j]);
            }
        }
    }

    // One bin of a binned profile: how many values it received and their sum.
    private struct BinTotal
    {
        public long Count;
        public double Sum;
    }

    private InvalidOperationException NotNumerical() =>
        new($"The feature '{Name}' is categorical: add its values as strings.");

    private InvalidOperationException NotCategorical() =>
        new($"The feature '{Name}' is numerical: add its values as numbers (a string value is only accepted when null, as missing).");
}
