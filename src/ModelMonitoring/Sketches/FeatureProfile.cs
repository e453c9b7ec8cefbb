using System.Runtime.CompilerServices;
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
/// <see cref="CategoryCounter"/> of at most <see cref="MaxCategories"/> entries. Both are allocated by the constructor;
/// nothing grows with the stream.
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

    private KllSketch? _sketch;
    private readonly CategoryCounter? _categories;
    private readonly double[] _distinctValues;
    private readonly long[] _distinctCounts;
    private int _distinctCount;
    private bool _distinctOverflow;
    private long _count;
    private long _missingCount;
    private double _shift;
    private double _shiftedSum;
    private double _shiftedSumOfSquares;

    // GetDistribution's last result, valid while the count is unchanged (Reset, Merge and ReplaceSketch clear it).
    private SortedWeightedValues? _distribution;
    private long _distributionCount;

    /// <summary>Creates an empty profile.</summary>
    /// <param name="name">The feature's name.</param>
    /// <param name="type">Whether the feature is numerical or categorical.</param>
    /// <param name="maxCategories">For a categorical feature, how many distinct values are counted exactly (0 = 100).</param>
    /// <param name="sketchK">For a numerical feature, the accuracy parameter of its <see cref="KllSketch"/>.</param>
    /// <param name="seed">The seed of the sketch's compaction coin (deterministic results for equal seeds and streams).</param>
    public FeatureProfile(string name, ColumnType type, int maxCategories = CategoryCounter.DefaultMaxCategories, int sketchK = KllSketch.DefaultK, ulong seed = KllSketch.DefaultSeed)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Type = type;
        switch (type)
        {
            case ColumnType.Numerical:
                _sketch = new KllSketch(sketchK, seed);
                _distinctValues = new double[DistinctValueLimit];
                _distinctCounts = new long[DistinctValueLimit];
                break;
            case ColumnType.Categorical:
                _categories = new CategoryCounter(maxCategories);
                _distinctValues = [];
                _distinctCounts = [];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown column type.");
        }
    }

    /// <summary>Creates an empty numerical profile.</summary>
    /// <param name="name">The feature's name.</param>
    /// <param name="sketchK">The accuracy parameter of its <see cref="KllSketch"/>.</param>
    public static FeatureProfile Numerical(string name, int sketchK = KllSketch.DefaultK) =>
        new(name, ColumnType.Numerical, sketchK: sketchK);

    /// <summary>Creates an empty categorical profile.</summary>
    /// <param name="name">The feature's name.</param>
    /// <param name="maxCategories">How many distinct values are counted exactly before the overflow bucket.</param>
    public static FeatureProfile Categorical(string name, int maxCategories = CategoryCounter.DefaultMaxCategories) =>
        new(name, ColumnType.Categorical, maxCategories);

    /// <summary>The feature's name.</summary>
    public string Name { get; }

    /// <summary>Whether the feature is numerical or categorical.</summary>
    public ColumnType Type { get; }

    /// <summary>How many non-missing values were added.</summary>
    public long Count => _count;

    /// <summary>How many missing values (NaN or null) were added.</summary>
    public long MissingCount => _missingCount;

    /// <summary>How many values were added, missing ones included.</summary>
    public long TotalCount => _count + _missingCount;

    /// <summary>The sketch of the numbers; <see langword="null"/> for a categorical feature.</summary>
    public KllSketch? Sketch => _sketch;

    /// <summary>The category counts; <see langword="null"/> for a numerical feature.</summary>
    public CategoryCounter? Categories => _categories;

    /// <summary>For a categorical feature, how many distinct values are counted exactly before the overflow bucket.</summary>
    public int MaxCategories => _categories?.MaxCategories ?? CategoryCounter.DefaultMaxCategories;

    /// <summary>The accuracy parameter of the numerical sketch (0 for a categorical feature).</summary>
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
    public double Min => _sketch?.Min ?? double.NaN;

    /// <summary>The largest number, or NaN when there is none.</summary>
    public double Max => _sketch?.Max ?? double.NaN;

    /// <summary>
    /// Whether the exact count of every distinct number is known (numerical feature with at most
    /// <see cref="DistinctValueLimit"/> distinct values so far).
    /// </summary>
    public bool HasExactValueCounts => Type == ColumnType.Numerical && !_distinctOverflow;

    /// <summary>
    /// The number of distinct non-missing values: exact up to <see cref="DistinctValueLimit"/> for numbers; for
    /// categories, the exact categories plus one for a non-empty overflow bucket. When numbers exceed the limit this is
    /// <see cref="DistinctValueLimit"/> + 1, meaning "more than the limit".
    /// </summary>
    public int DistinctCount => Type == ColumnType.Categorical
        ? _categories!.DistinctCount
        : _distinctOverflow ? DistinctValueLimit + 1 : _distinctCount;

    /// <summary>Adds a number. NaN counts as missing. Allocation-free.</summary>
    /// <param name="value">The value.</param>
    /// <exception cref="InvalidOperationException">The feature is categorical.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(double value)
    {
        if (double.IsNaN(value))
        {
            _missingCount++;
            return;
        }

        KllSketch sketch = _sketch ?? throw NotNumerical();
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

        sketch.Add(value);
    }

    /// <summary>Adds a category. Null counts as missing. Allocation-free for a category already seen.</summary>
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

            _sketch!.Merge(other._sketch!);
        }
        else
        {
            _categories!.Merge(other._categories!);
        }

        _count += other._count;
        _missingCount += other._missingCount;
    }

    /// <summary>Forgets everything; keeps the allocated memory (for reuse by the next window).</summary>
    public void Reset()
    {
        _distribution = null;
        _count = 0;
        _missingCount = 0;
        _shift = 0;
        _shiftedSum = 0;
        _shiftedSumOfSquares = 0;
        _distinctCount = 0;
        _distinctOverflow = false;
        _sketch?.Reset();
        _categories?.Reset();
    }

    /// <summary>A deep copy.</summary>
    public FeatureProfile Clone()
    {
        var copy = new FeatureProfile(Name, Type, MaxCategories, _sketch?.K ?? KllSketch.DefaultK, _sketch?.Seed ?? KllSketch.DefaultSeed);
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
    /// otherwise the sketch's weighted values. Allocates.
    /// </summary>
    /// <exception cref="InvalidOperationException">The feature is categorical.</exception>
    public SortedWeightedValues GetDistribution()
    {
        KllSketch sketch = _sketch ?? throw NotNumerical();

        // A reference profile is compared with every window and never changes: build its view once.
        if (_distribution is not null && _distributionCount == _count)
        {
            return _distribution;
        }

        SortedWeightedValues distribution = HasExactValueCounts ? SortedWeightedValues.Create(GetValueCounts()!) : sketch.ToSortedView();
        _distribution = distribution;
        _distributionCount = _count;
        return distribution;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"FeatureProfile({Name}, {Type}, Count={_count}, Missing={_missingCount}, Distinct={(HasExactValueCounts || Type == ColumnType.Categorical ? DistinctCount.ToString(System.Globalization.CultureInfo.InvariantCulture) : $">{DistinctValueLimit}")})";

    internal double Shift => _shift;

    internal double ShiftedSum => _shiftedSum;

    internal double ShiftedSumOfSquares => _shiftedSumOfSquares;

    internal bool DistinctOverflow => _distinctOverflow;

    /// <summary>Restores the moments and counts from serialized parts; used by <see cref="BaselineProfile"/>.</summary>
    internal void RestoreNumbers(long count, long missing, double shift, double shiftedSum, double shiftedSumOfSquares, bool distinctOverflow, IReadOnlyList<WeightedValue> valueCounts, KllSketch sketch)
    {
        _count = count;
        _missingCount = missing;
        _shift = shift;
        _shiftedSum = shiftedSum;
        _shiftedSumOfSquares = shiftedSumOfSquares;
        _distinctOverflow = distinctOverflow;
        _distinctCount = 0;
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
    internal void RestoreCategories(long missing, IEnumerable<KeyValuePair<string, long>> counts, long overflow)
    {
        _categories!.Restore(counts, overflow, missing);
        _count = _categories.Count;
        _missingCount = missing;
    }

    private void ReplaceSketch(KllSketch sketch)
    {
        _sketch = sketch;
        _distribution = null;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void TrackDistinct(double value)
    {
        double[] values = _distinctValues;
        int count = _distinctCount;
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

    private InvalidOperationException NotNumerical() =>
        new($"The feature '{Name}' is categorical: add its values as strings.");

    private InvalidOperationException NotCategorical() =>
        new($"The feature '{Name}' is numerical: add its values as numbers (a string value is only accepted when null, as missing).");
}
