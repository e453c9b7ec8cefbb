namespace ModelMonitoring.Statistics;

/// <summary>
/// Selection of the k-th smallest value in linear expected time (Hoare's quickselect with a median-of-three pivot),
/// falling back to a sort of what is left when the partitions stop shrinking, so the worst case stays O(n log n).
/// </summary>
internal static class OrderStatistic
{
    /// <summary>
    /// Reorders <paramref name="values"/> so that the value at <paramref name="k"/> is the one a sort would put there,
    /// none before it is larger and none after it is smaller; returns it. The values must not be NaN.
    /// </summary>
    public static double SelectInPlace(Span<double> values, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(k, values.Length);
        int low = 0;
        int high = values.Length - 1;
        int budget = 2 * (64 - (int)ulong.LeadingZeroCount((ulong)values.Length)); // 2 log2(n) partitions
        while (high - low > 16)
        {
            if (budget-- == 0)
            {
                values[low..(high + 1)].Sort();
                return values[k];
            }

            // Median of three as the pivot, which also guards both ends of the partition loop.
            int middle = low + ((high - low) / 2);
            if (values[middle] < values[low])
            {
                Swap(values, middle, low);
            }

            if (values[high] < values[low])
            {
                Swap(values, high, low);
            }

            if (values[high] < values[middle])
            {
                Swap(values, high, middle);
            }

            double pivot = values[middle];
            int i = low;
            int j = high;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    Swap(values, i, j);
                    i++;
                    j--;
                }
            }

            // [low, j] <= pivot <= [i, high]; the values strictly between j and i equal the pivot.
            if (k <= j)
            {
                high = j;
            }
            else if (k >= i)
            {
                low = i;
            }
            else
            {
                return values[k];
            }
        }

        values[low..(high + 1)].Sort();
        return values[k];
    }

    private static void Swap(Span<double> values, int a, int b) => (values[a], values[b]) = (values[b], values[a]);
}
