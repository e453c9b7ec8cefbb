namespace ModelMonitoring.Statistics;

/// <summary>
/// Bin edges and counts with numpy's semantics: <c>np.histogram_bin_edges(..., bins="sturges")</c> and
/// <c>np.histogram(values, edges)</c>, whose bins are half-open <c>[e_i, e_i+1)</c> except the last, which is closed.
/// </summary>
internal static class Histogram
{
    /// <summary>
    /// Sturges bin edges over two samples taken together, as Evidently computes them
    /// (<c>np.histogram_bin_edges(pd.concat([reference, current]), bins="sturges")</c>).
    /// </summary>
    /// <param name="first">The first sample (any order). Must hold finite values only.</param>
    /// <param name="second">The second sample (any order). Must hold finite values only.</param>
    /// <returns>The edges, at least two, increasing.</returns>
    /// <exception cref="ArgumentException">Both samples are empty, or a value is not finite.</exception>
    public static double[] SturgesEdges(ReadOnlySpan<double> first, ReadOnlySpan<double> second)
    {
        long count = (long)first.Length + second.Length;
        if (count == 0)
        {
            throw new ArgumentException("Sturges bins need at least one value.", nameof(first));
        }

        double minimum = double.PositiveInfinity;
        double maximum = double.NegativeInfinity;
        UpdateRange(first, ref minimum, ref maximum, nameof(first));
        UpdateRange(second, ref minimum, ref maximum, nameof(second));
        return SturgesEdges(minimum, maximum, count);
    }

    /// <summary>
    /// Sturges bin edges from a sample's range and size: <c>ceil(range / (range / (log2(count) + 1)))</c> equal bins
    /// from <paramref name="minimum"/> to <paramref name="maximum"/>, placed as <c>np.linspace</c> places them. When
    /// the range is empty the single bin is <c>[minimum - 0.5, maximum + 0.5]</c>, as in numpy.
    /// </summary>
    /// <param name="minimum">The smallest value.</param>
    /// <param name="maximum">The largest value.</param>
    /// <param name="count">How many values the sample holds (at least 1).</param>
    public static double[] SturgesEdges(double minimum, double maximum, long count)
    {
        if (!double.IsFinite(minimum) || !double.IsFinite(maximum) || minimum > maximum)
        {
            throw new ArgumentException($"The range [{minimum}, {maximum}] is not a finite, ordered range.", nameof(minimum));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1L);
        double range = maximum - minimum;
        double width = range / (Math.Log2(count) + 1.0);
        int binCount = width != 0 ? (int)Math.Ceiling(range / width) : 1;
        double first = minimum;
        double last = maximum;
        if (first == last)
        {
            first -= 0.5;
            last += 0.5;
        }

        return LinearEdges(first, last, binCount);
    }

    /// <summary>
    /// <paramref name="binCount"/> + 1 equally spaced edges from <paramref name="first"/> to <paramref name="last"/>,
    /// computed as <c>np.linspace</c> does (<c>i * step + first</c>, the last edge exactly <paramref name="last"/>).
    /// </summary>
    /// <param name="first">The first edge.</param>
    /// <param name="last">The last edge.</param>
    /// <param name="binCount">How many bins (at least 1).</param>
    public static double[] LinearEdges(double first, double last, int binCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(binCount, 1);
        var edges = new double[binCount + 1];
        double step = (last - first) / binCount;
        for (int i = 0; i < edges.Length; i++)
        {
            edges[i] = (i * step) + first;
        }

        edges[^1] = last;
        return edges;
    }

    /// <summary>
    /// Counts the values of a sorted sample per bin, exactly as <c>np.histogram(values, edges)</c> does; values outside
    /// the edges are not counted.
    /// </summary>
    /// <param name="sortedValues">The sample, sorted ascending.</param>
    /// <param name="edges">Increasing bin edges (at least two).</param>
    /// <param name="counts">Receives one count per bin; its length must be <c>edges.Length - 1</c>.</param>
    public static void CountSorted(ReadOnlySpan<double> sortedValues, ReadOnlySpan<double> edges, Span<long> counts)
    {
        ValidateEdges(edges, counts.Length);
        long previous = LowerBound(sortedValues, edges[0]);
        for (int i = 1; i < edges.Length; i++)
        {
            long cumulative = i == edges.Length - 1 ? UpperBound(sortedValues, edges[i]) : LowerBound(sortedValues, edges[i]);
            counts[i - 1] = cumulative - previous;
            previous = cumulative;
        }
    }

    /// <summary>Adds the values of an unsorted sample to per-bin counts, with the same bins as <see cref="CountSorted"/>.</summary>
    /// <param name="values">The sample, in any order.</param>
    /// <param name="edges">Increasing bin edges (at least two).</param>
    /// <param name="counts">The counts to add to; its length must be <c>edges.Length - 1</c>.</param>
    public static void Accumulate(ReadOnlySpan<double> values, ReadOnlySpan<double> edges, Span<long> counts)
    {
        ValidateEdges(edges, counts.Length);
        foreach (double value in values)
        {
            int bin = BinIndex(value, edges);
            if (bin >= 0)
            {
                counts[bin]++;
            }
        }
    }

    /// <summary>
    /// The bin a value falls in: <c>i</c> when <c>edges[i] &lt;= value &lt; edges[i + 1]</c>, the last bin for a value equal
    /// to the last edge, and -1 for a value outside the edges (or NaN).
    /// </summary>
    /// <param name="value">The value.</param>
    /// <param name="edges">Increasing bin edges (at least two).</param>
    public static int BinIndex(double value, ReadOnlySpan<double> edges)
    {
        if (!(value >= edges[0]) || value > edges[^1])
        {
            return -1;
        }

        int edgesAtOrBelow = (int)UpperBound(edges, value);
        return Math.Min(edgesAtOrBelow - 1, edges.Length - 2);
    }

    /// <summary>How many values of a sorted span are strictly less than <paramref name="value"/> (numpy's <c>searchsorted(side="left")</c>).</summary>
    /// <param name="sorted">Values sorted ascending.</param>
    /// <param name="value">The value to place.</param>
    public static long LowerBound(ReadOnlySpan<double> sorted, double value)
    {
        int low = 0;
        int high = sorted.Length;
        while (low < high)
        {
            int middle = low + ((high - low) >> 1);
            if (sorted[middle] < value)
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

    /// <summary>How many values of a sorted span are less than or equal to <paramref name="value"/> (numpy's <c>searchsorted(side="right")</c>).</summary>
    /// <param name="sorted">Values sorted ascending.</param>
    /// <param name="value">The value to place.</param>
    public static long UpperBound(ReadOnlySpan<double> sorted, double value)
    {
        int low = 0;
        int high = sorted.Length;
        while (low < high)
        {
            int middle = low + ((high - low) >> 1);
            if (sorted[middle] <= value)
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

    private static void ValidateEdges(ReadOnlySpan<double> edges, int countsLength)
    {
        if (edges.Length < 2)
        {
            throw new ArgumentException("At least two bin edges are needed.", nameof(edges));
        }

        if (countsLength != edges.Length - 1)
        {
            throw new ArgumentException($"Expected {edges.Length - 1} counts for {edges.Length} edges, got {countsLength}.", "counts");
        }
    }

    private static void UpdateRange(ReadOnlySpan<double> values, ref double minimum, ref double maximum, string parameterName)
    {
        foreach (double value in values)
        {
            if (!double.IsFinite(value))
            {
                throw new ArgumentException($"Bins need finite values; found {value}.", parameterName);
            }

            minimum = Math.Min(minimum, value);
            maximum = Math.Max(maximum, value);
        }
    }
}
