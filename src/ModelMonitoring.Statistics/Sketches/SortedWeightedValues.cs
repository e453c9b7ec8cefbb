namespace ModelMonitoring.Sketches;

/// <summary>A value kept by a sketch and how many original values it stands for.</summary>
/// <param name="Value">The value.</param>
/// <param name="Weight">How many values of the stream it represents (a power of two in a <see cref="KllSketch"/>).</param>
public readonly record struct WeightedValue(double Value, long Weight);

/// <summary>
/// A discrete distribution: distinct values sorted ascending, each with a weight, and the running total of the weights.
/// It is what a <see cref="KllSketch"/> or an exact value count estimates, and what the sketch drift engine compares.
/// Immutable; safe to share between threads.
/// </summary>
public sealed class SortedWeightedValues
{
    private readonly double[] _values;
    private readonly long[] _weights;
    private readonly long[] _cumulative;

    private SortedWeightedValues(double[] values, long[] weights, long[] cumulative)
    {
        _values = values;
        _weights = weights;
        _cumulative = cumulative;
    }

    /// <summary>The distinct values, ascending.</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>The weight of each value.</summary>
    public ReadOnlySpan<long> Weights => _weights;

    /// <summary>How many distinct values there are.</summary>
    public int Length => _values.Length;

    /// <summary>The sum of the weights: the number of values the distribution stands for.</summary>
    public long TotalWeight => _cumulative.Length == 0 ? 0 : _cumulative[^1];

    /// <summary>
    /// Builds a distribution from values sorted ascending and their weights; equal neighbours are combined.
    /// The arrays are taken over, not copied.
    /// </summary>
    internal static SortedWeightedValues FromSorted(double[] values, long[] weights)
    {
        int write = -1;
        for (int read = 0; read < values.Length; read++)
        {
            if (write >= 0 && values[read] == values[write])
            {
                weights[write] += weights[read];
            }
            else
            {
                write++;
                values[write] = values[read];
                weights[write] = weights[read];
            }
        }

        int length = write + 1;
        if (length != values.Length)
        {
            Array.Resize(ref values, length);
            Array.Resize(ref weights, length);
        }

        var cumulative = new long[length];
        long total = 0;
        for (int i = 0; i < length; i++)
        {
            total += weights[i];
            cumulative[i] = total;
        }

        return new SortedWeightedValues(values, weights, cumulative);
    }

    /// <summary>Builds a distribution from distinct values sorted ascending and their weights; the arrays are taken over.</summary>
    internal static SortedWeightedValues FromDistinct(double[] values, long[] weights)
    {
        var cumulative = new long[values.Length];
        long total = 0;
        for (int i = 0; i < values.Length; i++)
        {
            total += weights[i];
            cumulative[i] = total;
        }

        return new SortedWeightedValues(values, weights, cumulative);
    }

    /// <summary>Builds a distribution from values and weights in any order; equal values are combined.</summary>
    /// <param name="items">The values and their weights; NaN values and negative weights are rejected.</param>
    public static SortedWeightedValues Create(IEnumerable<WeightedValue> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        WeightedValue[] array = items.ToArray();
        var values = new double[array.Length];
        var weights = new long[array.Length];
        for (int i = 0; i < array.Length; i++)
        {
            if (double.IsNaN(array[i].Value) || array[i].Weight < 0)
            {
                throw new ArgumentException("Values must not be NaN and weights must not be negative.", nameof(items));
            }

            values[i] = array[i].Value;
            weights[i] = array[i].Weight;
        }

        Array.Sort(values, weights);
        return FromSorted(values, weights);
    }

    /// <summary>The fraction of the total weight on values less than or equal to <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    public double Cdf(double value)
    {
        long total = TotalWeight;
        if (total == 0)
        {
            return double.NaN;
        }

        return (double)WeightAtOrBelow(value) / total;
    }

    /// <summary>The total weight on values less than or equal to <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    public long WeightAtOrBelow(double value)
    {
        int index = UpperBound(value);
        return index == 0 ? 0 : _cumulative[index - 1];
    }

    /// <summary>The total weight on values strictly less than <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    public long WeightBelow(double value)
    {
        int index = LowerBound(value);
        return index == 0 ? 0 : _cumulative[index - 1];
    }

    /// <summary>The smallest value whose cumulative weight reaches <c>fraction * TotalWeight</c>.</summary>
    /// <param name="fraction">From 0 to 1.</param>
    public double Quantile(double fraction)
    {
        if (_values.Length == 0)
        {
            return double.NaN;
        }

        double target = fraction * TotalWeight;
        int low = 0;
        int high = _cumulative.Length - 1;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (_cumulative[middle] >= target)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return _values[low];
    }

    /// <summary>The index of the value holding rank <paramref name="rank"/> (0-based, each value counted by its weight).</summary>
    internal int IndexOfRank(long rank)
    {
        int low = 0;
        int high = _cumulative.Length - 1;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (_cumulative[middle] > rank)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    /// <summary>The weighted mean and population standard deviation of the values.</summary>
    internal (double Mean, double StandardDeviation) Moments()
    {
        long total = TotalWeight;
        if (total == 0)
        {
            return (double.NaN, double.NaN);
        }

        double mean = 0;
        for (int i = 0; i < _values.Length; i++)
        {
            mean += _values[i] * _weights[i];
        }

        mean /= total;
        double squares = 0;
        for (int i = 0; i < _values.Length; i++)
        {
            double delta = _values[i] - mean;
            squares += delta * delta * _weights[i];
        }

        return (mean, Math.Sqrt(squares / total));
    }

    private int UpperBound(double value)
    {
        int low = 0;
        int high = _values.Length;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (_values[middle] <= value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private int LowerBound(double value)
    {
        int low = 0;
        int high = _values.Length;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (_values[middle] < value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
