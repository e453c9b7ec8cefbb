namespace ModelMonitoring.Outliers;

/// <summary>
/// A robust z-score of one feature: how far a value lies from the reference's median, in units of the reference's
/// median absolute deviation scaled to a standard deviation (<c>(x - median) / (1.4826 × MAD)</c>, the same as
/// <c>scipy.stats.median_abs_deviation(scale="normal")</c>). Unlike the classical z-score, a few extreme reference
/// values move neither the centre nor the scale. When more than half the reference values are equal (MAD = 0), the
/// scale falls back to the mean absolute deviation from the median × √(π/2) (both equal the standard deviation for
/// normal data); when every reference value is equal, any other value is infinitely far.
/// </summary>
/// <param name="Median">The reference's median (numpy's: the mean of the two middle values for an even count).</param>
/// <param name="MedianAbsoluteDeviation">The median of the reference's absolute deviations from <paramref name="Median"/>.</param>
/// <param name="MeanAbsoluteDeviation">The mean of the reference's absolute deviations from <paramref name="Median"/>.</param>
public readonly record struct RobustZScore(double Median, double MedianAbsoluteDeviation, double MeanAbsoluteDeviation)
{
    /// <summary>
    /// The usual cut-off: a value whose robust z-score exceeds 3.5 in absolute value is an outlier (Iglewicz and
    /// Hoaglin's rule for the modified z-score, which this score equals).
    /// </summary>
    public const double DefaultThreshold = 3.5;

    /// <summary>1 / Φ⁻¹(3/4): MAD × this estimates the standard deviation of normal data.</summary>
    public const double NormalMadScale = 1.482602218505602;

    /// <summary>√(π/2): the mean absolute deviation × this estimates the standard deviation of normal data.</summary>
    public const double NormalMeanDeviationScale = 1.2533141373155003;

    /// <summary>The standard-deviation-like scale the score divides by; 0 when every reference value is equal.</summary>
    public double Scale => MedianAbsoluteDeviation > 0
        ? NormalMadScale * MedianAbsoluteDeviation
        : NormalMeanDeviationScale * MeanAbsoluteDeviation;

    /// <summary>
    /// The score of a value: 0 at the median, negative below it. NaN for a missing value (NaN or ±Infinity); ±Infinity
    /// for a value off the median of a constant reference.
    /// </summary>
    public double Score(double value)
    {
        if (!double.IsFinite(value) || double.IsNaN(Median))
        {
            return double.NaN;
        }

        double distance = value - Median;
        double scale = Scale;
        if (scale > 0)
        {
            return distance / scale;
        }

        return distance == 0 ? 0 : distance > 0 ? double.PositiveInfinity : double.NegativeInfinity;
    }

    /// <summary>Whether a value's score exceeds <paramref name="threshold"/> in absolute value (never for a missing value).</summary>
    public bool IsOutlier(double value, double threshold = DefaultThreshold) => Math.Abs(Score(value)) > threshold;

    /// <summary>
    /// The robust z-score of a sample: its median and absolute deviations, over its finite values (NaN and ±Infinity
    /// are left out). An empty sample gives NaN statistics, whose scores are NaN.
    /// </summary>
    /// <param name="values">The reference values.</param>
    public static RobustZScore Fit(ReadOnlySpan<double> values)
    {
        // A pooled work array: a million-value column would otherwise cost 8 MB of fresh pages per fit.
        double[] finite = System.Buffers.ArrayPool<double>.Shared.Rent(Math.Max(values.Length, 1));
        try
        {
            int count = 0;
            foreach (double value in values)
            {
                if (double.IsFinite(value))
                {
                    finite[count++] = value;
                }
            }

            return FitInPlace(finite.AsSpan(0, count));
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(finite);
        }
    }

    /// <summary>Fits on finite values, reordering them.</summary>
    internal static RobustZScore FitInPlace(Span<double> finite)
    {
        if (finite.IsEmpty)
        {
            return new RobustZScore(double.NaN, double.NaN, double.NaN);
        }

        double median = MedianInPlace(finite); // selection, not a sort: O(n) for a million-row reference column
        double sum = 0;
        for (int i = 0; i < finite.Length; i++)
        {
            double deviation = Math.Abs(finite[i] - median);
            sum += deviation;
            finite[i] = deviation;
        }

        return new RobustZScore(median, MedianInPlace(finite), sum / finite.Length);
    }

    /// <summary>
    /// The robust z-score of a sample given as its sorted distinct values and their counts (what the exact drift engine
    /// builds anyway): the same median and median absolute deviation as <see cref="Fit"/>, found by walking the values
    /// (O(distinct) instead of two selections over every value); the mean absolute deviation may differ in its last bits.
    /// </summary>
    internal static RobustZScore FromDistribution(Sketches.SortedWeightedValues distribution)
    {
        ReadOnlySpan<double> values = distribution.Values;
        ReadOnlySpan<long> weights = distribution.Weights;
        long total = distribution.TotalWeight;
        if (total == 0)
        {
            return new RobustZScore(double.NaN, double.NaN, double.NaN);
        }

        long lowerRank = (total - 1) / 2; // numpy's median: the mean of the ranks (n-1)/2 and n/2 (one rank when n is odd)
        long upperRank = total / 2;
        double median = (ValueAtRank(values, weights, lowerRank) + ValueAtRank(values, weights, upperRank)) / 2;
        double sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            sum += weights[i] * Math.Abs(values[i] - median);
        }

        // The absolute deviations in ascending order: outwards from the median, taking the nearer side each time.
        int right = values.BinarySearch(median);
        right = right >= 0 ? right : ~right;
        int left = right - 1;
        long seen = 0;
        double lower = double.NaN;
        double upper;
        while (true)
        {
            double fromLeft = left >= 0 ? median - values[left] : double.PositiveInfinity;
            double fromRight = right < values.Length ? values[right] - median : double.PositiveInfinity;
            bool takeRight = fromRight <= fromLeft;
            double deviation = takeRight ? fromRight : fromLeft;
            long weight = takeRight ? weights[right] : weights[left];
            if (lowerRank < seen + weight && double.IsNaN(lower))
            {
                lower = deviation;
            }

            if (upperRank < seen + weight)
            {
                upper = deviation;
                break;
            }

            seen += weight;
            if (takeRight)
            {
                right++;
            }
            else
            {
                left--;
            }
        }

        return new RobustZScore(median, (lower + upper) / 2, sum / total);
    }

    // The value of 0-based rank `rank` in sorted distinct values with counts.
    private static double ValueAtRank(ReadOnlySpan<double> values, ReadOnlySpan<long> weights, long rank)
    {
        long seen = 0;
        for (int i = 0; i < values.Length; i++)
        {
            seen += weights[i];
            if (rank < seen)
            {
                return values[i];
            }
        }

        return values[^1];
    }

    /// <summary>numpy's median of finite values (the mean of the two middle ones for an even count), reordering them.</summary>
    internal static double MedianInPlace(Span<double> values)
    {
        int middle = values.Length / 2;
        double upper = Statistics.OrderStatistic.SelectInPlace(values, middle);
        if (values.Length % 2 == 1)
        {
            return upper;
        }

        double lower = double.NegativeInfinity; // the largest of the values before the middle one
        foreach (double value in values[..middle])
        {
            lower = Math.Max(lower, value);
        }

        return (lower + upper) / 2;
    }
}
