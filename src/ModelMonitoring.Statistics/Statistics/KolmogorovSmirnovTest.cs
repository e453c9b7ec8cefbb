namespace ModelMonitoring.Statistics;

/// <summary>
/// Two-sample Kolmogorov-Smirnov test, two-sided, with the p-value as <c>scipy.stats.ks_2samp</c> (scipy 1.10) computes it
/// by default: exact when both samples hold at most 10,000 values, otherwise the one-sample Kolmogorov distribution
/// (<c>kstwo</c>) at the effective size <c>round(n m / (n + m))</c>.
/// </summary>
internal static class KolmogorovSmirnovTest
{
    /// <summary>The largest sample size for which the exact p-value is used (scipy's <c>MAX_AUTO_N</c>).</summary>
    public const int MaxExactSampleSize = 10_000;

    /// <summary>The p-value of two samples, each sorted ascending.</summary>
    /// <param name="sortedReference">The reference sample, sorted ascending (at least one value).</param>
    /// <param name="sortedCurrent">The current sample, sorted ascending (at least one value).</param>
    public static double PValue(ReadOnlySpan<double> sortedReference, ReadOnlySpan<double> sortedCurrent) =>
        PValue(Statistic(sortedReference, sortedCurrent), sortedReference.Length, sortedCurrent.Length);

    /// <summary>The statistic D = sup |F_reference - F_current| of two samples sorted ascending.</summary>
    /// <param name="sortedReference">The reference sample, sorted ascending (at least one value).</param>
    /// <param name="sortedCurrent">The current sample, sorted ascending (at least one value).</param>
    public static double Statistic(ReadOnlySpan<double> sortedReference, ReadOnlySpan<double> sortedCurrent)
    {
        if (sortedReference.IsEmpty)
        {
            throw new ArgumentException("The reference sample is empty.", nameof(sortedReference));
        }

        if (sortedCurrent.IsEmpty)
        {
            throw new ArgumentException("The current sample is empty.", nameof(sortedCurrent));
        }

        long n = sortedReference.Length;
        long m = sortedCurrent.Length;
        int i = 0;
        int j = 0;
        long largest = 0;
        while (i < sortedReference.Length && j < sortedCurrent.Length)
        {
            double value = Math.Min(sortedReference[i], sortedCurrent[j]);
            while (i < sortedReference.Length && sortedReference[i] <= value)
            {
                i++;
            }

            while (j < sortedCurrent.Length && sortedCurrent[j] <= value)
            {
                j++;
            }

            largest = Math.Max(largest, Math.Abs((i * m) - (j * n)));
        }

        // Past the end of one sample the difference only shrinks towards 0.
        return largest / ((double)n * m);
    }

    /// <summary>
    /// The statistic D of two weighted distributions: the largest gap between their cumulative functions, evaluated at
    /// every value either holds (unit weights give <see cref="Statistic(ReadOnlySpan{double}, ReadOnlySpan{double})"/>).
    /// </summary>
    public static double Statistic(Sketches.SortedWeightedValues reference, Sketches.SortedWeightedValues current)
    {
        ReadOnlySpan<double> referenceValues = reference.Values;
        ReadOnlySpan<long> referenceWeights = reference.Weights;
        ReadOnlySpan<double> currentValues = current.Values;
        ReadOnlySpan<long> currentWeights = current.Weights;
        double referenceTotal = reference.TotalWeight;
        double currentTotal = current.TotalWeight;
        int i = 0;
        int j = 0;
        long referenceCumulative = 0;
        long currentCumulative = 0;
        double largest = 0;
        while (i < referenceValues.Length && j < currentValues.Length)
        {
            double value = Math.Min(referenceValues[i], currentValues[j]);
            if (referenceValues[i] == value)
            {
                referenceCumulative += referenceWeights[i++];
            }

            if (currentValues[j] == value)
            {
                currentCumulative += currentWeights[j++];
            }

            largest = Math.Max(largest, Math.Abs((referenceCumulative / referenceTotal) - (currentCumulative / currentTotal)));
        }

        return largest;
    }

    /// <summary>
    /// The two-sided p-value of a statistic D for samples of sizes <paramref name="referenceCount"/> and
    /// <paramref name="currentCount"/>, as <c>ks_2samp(method="auto")</c>. For the exact method, D is first snapped to the
    /// lattice <c>h / lcm(n, m)</c> as scipy does. A statistic computed from sketches may be passed too.
    /// </summary>
    /// <param name="statistic">D, between 0 and 1.</param>
    /// <param name="referenceCount">The reference sample size (at least 1).</param>
    /// <param name="currentCount">The current sample size (at least 1).</param>
    public static double PValue(double statistic, long referenceCount, long currentCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(referenceCount, 1L);
        ArgumentOutOfRangeException.ThrowIfLessThan(currentCount, 1L);
        if (!(statistic >= 0 && statistic <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(statistic), statistic, "The Kolmogorov-Smirnov statistic lies between 0 and 1.");
        }

        double d = statistic;
        if (Math.Max(referenceCount, currentCount) <= MaxExactSampleSize)
        {
            long gcd = GreatestCommonDivisor(referenceCount, currentCount);
            long lcm = referenceCount / gcd * currentCount;
            long h = (long)Math.Round(statistic * lcm, MidpointRounding.ToEven);
            d = (double)h / lcm;
            if (h == 0)
            {
                return 1.0;
            }

            double exact = referenceCount == currentCount
                ? ProbabilityOutsideSquare(referenceCount, h)
                : ProbabilityOutsideLines(referenceCount, currentCount, gcd, h);
            if (exact >= 0 && exact <= 1)
            {
                return exact;
            }
        }

        double larger = Math.Max(referenceCount, currentCount);
        double smaller = Math.Min(referenceCount, currentCount);
        double effectiveSize = Math.Round(larger * smaller / (larger + smaller), MidpointRounding.ToEven);
        return Math.Clamp(KolmogorovDistribution.Survival((long)effectiveSize, d), 0, 1);
    }

    /// <summary>
    /// Exact P(D_{n,n} &gt;= h / n) for two samples of equal size n (scipy's <c>_compute_prob_outside_square</c>): the
    /// alternating sum of binomial ratios evaluated with a Horner-like scheme.
    /// </summary>
    internal static double ProbabilityOutsideSquare(long n, long h)
    {
        double probability = 0.0;
        long k = n / h;
        while (k >= 0)
        {
            double term = 1.0;
            for (long j = 0; j < h; j++)
            {
                term = (n - (k * h) - j) * term / (n + (k * h) + j + 1);
            }

            probability = term * (1.0 - probability);
            k--;
        }

        return 2 * probability;
    }

    /// <summary>
    /// Exact proportion of lattice paths from (0, 0) to (m, n) that leave the band |x/m - y/n| &lt; h / lcm(m, n)
    /// (scipy's <c>_compute_outer_prob_inside_method</c>: Hodges' inside method, with Viehmann's recursion for
    /// 1 - p that keeps every entry between 0 and 1).
    /// </summary>
    internal static double ProbabilityOutsideLines(long first, long second, long gcd, long h)
    {
        long m = Math.Max(first, second);
        long n = Math.Min(first, second);
        long mg = m / gcd;
        long ng = n / gcd;

        long minJ = 0;
        long maxJ = Math.Min(CeilingDivide(h, mg), n + 1);
        long currentLength = maxJ - minJ;
        long lengthA = Math.Min((2 * maxJ) + 2, n + 1);
        var a = new double[lengthA];
        Array.Fill(a, 1.0);
        Array.Fill(a, 0.0, (int)minJ, (int)(maxJ - minJ));
        for (long i = 1; i <= m; i++)
        {
            long lastMinJ = minJ;
            long lastLength = currentLength;
            minJ = Math.Max(FloorDivide((ng * i) - h, mg) + 1, 0);
            minJ = Math.Min(minJ, n);
            maxJ = Math.Min(CeilingDivide((ng * i) + h, mg), n + 1);
            if (maxJ <= minJ)
            {
                return 1.0;
            }

            double value = minJ == 0 ? 0.0 : 1.0;
            for (long jj = 0; jj < maxJ - minJ; jj++)
            {
                long j = jj + minJ;
                value = ((a[jj + minJ - lastMinJ] * i) + (value * j)) / (i + j);
                a[jj] = value;
            }

            currentLength = maxJ - minJ;
            if (lastLength > currentLength)
            {
                long start = maxJ - minJ;
                long end = Math.Min(start + (lastLength - currentLength), lengthA);
                Array.Fill(a, 1.0, (int)start, (int)(end - start));
            }
        }

        return a[maxJ - minJ - 1];
    }

    private static long GreatestCommonDivisor(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }

    private static long FloorDivide(long numerator, long denominator) =>
        (numerator / denominator) - ((numerator % denominator != 0 && (numerator < 0) != (denominator < 0)) ? 1 : 0);

    private static long CeilingDivide(long numerator, long denominator) => -FloorDivide(-numerator, denominator);
}
