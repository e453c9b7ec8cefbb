namespace ModelMonitoring.Statistics;

/// <summary>Turns counts into shares and fills empty bins the way Evidently's <c>get_binned_data</c> does.</summary>
internal static class Shares
{
    /// <summary>The share given to empty bins, unless the smallest non-empty share is smaller than it.</summary>
    public const double EmptyBinShare = 0.0001;

    /// <summary>Divides each count by <paramref name="total"/>, into <paramref name="shares"/>.</summary>
    /// <param name="counts">The counts per bin or category.</param>
    /// <param name="total">The sample size the shares are relative to (at least 1).</param>
    /// <param name="shares">Receives the shares; same length as <paramref name="counts"/>.</param>
    public static void FromCounts(ReadOnlySpan<long> counts, long total, Span<double> shares)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(total, 1L);
        if (shares.Length != counts.Length)
        {
            throw new ArgumentException($"Expected {counts.Length} shares, got {shares.Length}.", nameof(shares));
        }

        for (int i = 0; i < counts.Length; i++)
        {
            shares[i] = counts[i] / (double)total;
        }
    }

    /// <summary>
    /// Replaces zero shares so that logarithms stay finite, as Evidently does for PSI and KL divergence
    /// (<c>feel_zeroes=True</c>): zeros become 0.0001, or the smallest non-zero share divided by 10^6 when that share is
    /// at most 0.0001. The shares are not renormalised. Nothing changes when every share is zero.
    /// </summary>
    /// <param name="shares">The shares to fill in place.</param>
    public static void FillEmpty(Span<double> shares)
    {
        double smallest = double.PositiveInfinity;
        foreach (double share in shares)
        {
            if (share != 0 && share < smallest)
            {
                smallest = share;
            }
        }

        if (double.IsPositiveInfinity(smallest))
        {
            return;
        }

        double fill = smallest <= EmptyBinShare ? smallest / 1_000_000 : EmptyBinShare;
        for (int i = 0; i < shares.Length; i++)
        {
            if (shares[i] == 0)
            {
                shares[i] = fill;
            }
        }
    }

    internal static void RequireSameLength(ReadOnlySpan<double> reference, ReadOnlySpan<double> current)
    {
        if (reference.Length != current.Length)
        {
            throw new ArgumentException(
                $"The reference has {reference.Length} shares and the current {current.Length}; they must cover the same bins.",
                nameof(current));
        }

        if (reference.Length == 0)
        {
            throw new ArgumentException("At least one bin is needed.", nameof(reference));
        }
    }

    /// <summary>scipy.special.rel_entr: x log(x / y), 0 when x is 0, infinity when y is 0 and x is not.</summary>
    internal static double RelativeEntropy(double x, double y)
    {
        if (double.IsNaN(x) || double.IsNaN(y))
        {
            return double.NaN;
        }

        if (x > 0 && y > 0)
        {
            return x * Math.Log(x / y);
        }

        return x == 0 && y >= 0 ? 0 : double.PositiveInfinity;
    }

    internal static double Sum(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (double value in values)
        {
            sum += value;
        }

        return sum;
    }
}
