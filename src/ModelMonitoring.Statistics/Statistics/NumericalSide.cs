using ModelMonitoring.Sketches;

namespace ModelMonitoring.Statistics;

/// <summary>
/// One side of a numerical comparison, as every method sees it: a distribution (distinct values with their weights),
/// its count, range and moments. The exact engine builds it from raw values with unit weights; the sketch engine from a
/// <see cref="FeatureProfile"/> (exact value counts, a KLL sketch's weighted values, or a binned window's bins). The
/// methods are written once, against this type.
/// </summary>
internal sealed class NumericalSide
{
    /// <summary>
    /// Values whose magnitude exceeds this are scaled down by a power of two before any arithmetic, so that squares,
    /// ranges and sums of values near ±1e308 stay finite (a power of two scales exactly).
    /// </summary>
    internal static readonly double LargestUnscaledMagnitude = Math.ScaleB(1.0, 400);

    private double? _mean;
    private double? _standardDeviation;

    private NumericalSide(SortedWeightedValues distribution, long count, double min, double max, bool isExact, double? mean, double? standardDeviation, FeatureProfile? binned, double scale)
    {
        Distribution = distribution;
        Count = count;
        Min = min;
        Max = max;
        IsExact = isExact;
        _mean = mean;
        _standardDeviation = standardDeviation;
        BinnedProfile = binned;
        Scale = scale;
    }

    /// <summary>The distinct values, ascending, with their weights (summing to <see cref="Count"/>).</summary>
    public SortedWeightedValues Distribution { get; }

    /// <summary>How many values the side holds.</summary>
    public long Count { get; }

    /// <summary>The smallest value (exact).</summary>
    public double Min { get; }

    /// <summary>The largest value (exact).</summary>
    public double Max { get; }

    /// <summary>Whether <see cref="Distribution"/> holds every value with its exact count.</summary>
    public bool IsExact { get; }

    /// <summary>
    /// The factor the values were multiplied by (a power of two; 1 unless they were too large to compute with), so that
    /// a score in the data's units (the energy distance) can be scaled back.
    /// </summary>
    public double Scale { get; }

    /// <summary>A binned window profile whose bins the histogram and Wasserstein methods read directly, or null.</summary>
    public FeatureProfile? BinnedProfile { get; }

    /// <summary>The mean of the values.</summary>
    public double Mean => _mean ??= Distribution.Moments().Mean;

    /// <summary>The population standard deviation (ddof = 0, as <c>np.std</c>).</summary>
    public double StandardDeviation => _standardDeviation ??= Distribution.Moments().StandardDeviation;

    /// <summary>The exact number of distinct values, or -1 when only a sketch of them is known.</summary>
    public int ExactDistinctCount => IsExact ? Distribution.Length : -1;

    /// <summary>A side of raw values: each value with weight 1, ties merged.</summary>
    /// <exception cref="ArgumentException">A value is not finite; the message names the column and side.</exception>
    public static NumericalSide FromValues(ReadOnlySpan<double> values, string name, string side)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException($"Column '{name}' has no value in the {side} data.", side);
        }

        (double[] distinct, long[] counts) = DoubleRadixSort.DistinctCounts(values, out double? nonFinite);
        if (nonFinite is double value)
        {
            throw new ArgumentException(
                $"Column '{name}' holds {value} in the {side} data; remove non-finite values and count them as missing.",
                side);
        }

        double min = distinct[0];
        double max = distinct[^1];
        SortedWeightedValues distribution = SortedWeightedValues.FromDistinct(distinct, counts);
        return new NumericalSide(distribution, values.Length, min, max, isExact: true, mean: null, standardDeviation: null, binned: null, scale: 1);
    }

    /// <summary>A side read from a profile: its distribution, exact count, range and moments.</summary>
    /// <exception cref="ArgumentException">The profile holds a non-finite range; the message names the feature.</exception>
    public static NumericalSide FromProfile(FeatureProfile profile, string side)
    {
        if (!double.IsFinite(profile.Min) || !double.IsFinite(profile.Max))
        {
            throw new ArgumentException(
                $"Feature '{profile.Name}' holds a non-finite value in the {side} data (range {profile.Min} to {profile.Max}); count such values as missing.",
                side);
        }

        bool exact = profile.HasExactValueCounts || profile.Sketch is { IsExact: true };
        double mean = profile.Mean;
        double deviation = profile.StandardDeviation;
        return new NumericalSide(
            profile.GetDistribution(),
            profile.Count,
            profile.Min,
            profile.Max,
            exact,
            double.IsFinite(mean) ? mean : null,
            double.IsFinite(deviation) ? deviation : null,
            profile.IsBinned && !profile.HasExactValueCounts ? profile : null,
            scale: 1);
    }

    /// <summary>
    /// The two sides on a common scale: unchanged unless a value's magnitude exceeds
    /// <see cref="LargestUnscaledMagnitude"/>; then both are multiplied by the same power of two (exact), their
    /// moments recomputed from the scaled values. Scale-free scores are unchanged by this.
    /// </summary>
    public static (NumericalSide Reference, NumericalSide Current) OnCommonScale(NumericalSide reference, NumericalSide current)
    {
        double largest = Math.Max(Math.Max(Math.Abs(reference.Min), Math.Abs(reference.Max)), Math.Max(Math.Abs(current.Min), Math.Abs(current.Max)));
        if (largest <= LargestUnscaledMagnitude)
        {
            return (reference, current);
        }

        double factor = Math.ScaleB(1.0, Math.ILogB(LargestUnscaledMagnitude) - Math.ILogB(largest) - 1);
        return (reference.Scaled(factor), current.Scaled(factor));
    }

    /// <summary>Weights per bin with numpy's histogram semantics ([e_i, e_i+1), the last bin closed).</summary>
    public long[] WeightPerBin(ReadOnlySpan<double> edges)
    {
        var counts = new long[edges.Length - 1];
        long previous = Distribution.WeightBelow(edges[0]);
        for (int i = 1; i < edges.Length; i++)
        {
            long cumulative = i == edges.Length - 1 ? Distribution.WeightAtOrBelow(edges[i]) : Distribution.WeightBelow(edges[i]);
            counts[i - 1] = cumulative - previous;
            previous = cumulative;
        }

        return counts;
    }

    /// <summary>
    /// This side's count per histogram bin: a binned window spreads each grid bin's values over its span (see
    /// <see cref="FeatureProfile"/>), any other side counts its weighted values.
    /// </summary>
    public double[] CountsPerBin(double[] edges) =>
        BinnedProfile is not null ? BinnedProfile.SpreadOverHistogram(edges) : ToDoubles(WeightPerBin(edges));

    /// <summary>The value of rank <paramref name="rank"/> (0-based) in the sorted values, counting each value's weight.</summary>
    public double ValueAtRank(long rank)
    {
        int index = Distribution.IndexOfRank(rank);
        return Distribution.Values[index];
    }

    /// <summary>numpy's default percentile (linear interpolation between the values of ranks floor and ceiling).</summary>
    public static double Percentile(SortedWeightedValues distribution, double fraction)
    {
        double position = (distribution.TotalWeight - 1) * fraction;
        long below = (long)Math.Floor(position);
        long above = Math.Min(below + 1, distribution.TotalWeight - 1);
        double low = distribution.Values[distribution.IndexOfRank(below)];
        double high = distribution.Values[distribution.IndexOfRank(above)];
        double t = position - below;
        return low + ((high - low) * t);
    }

    internal static double[] ToDoubles(ReadOnlySpan<long> counts)
    {
        var result = new double[counts.Length];
        for (int i = 0; i < counts.Length; i++)
        {
            result[i] = counts[i];
        }

        return result;
    }

    private NumericalSide Scaled(double factor)
    {
        ReadOnlySpan<double> values = Distribution.Values;
        var scaled = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            scaled[i] = values[i] * factor;
        }

        SortedWeightedValues distribution = SortedWeightedValues.FromSorted(scaled, Distribution.Weights.ToArray());
        return new NumericalSide(distribution, Count, Min * factor, Max * factor, IsExact, mean: null, standardDeviation: null, binned: null, Scale * factor);
    }
}
