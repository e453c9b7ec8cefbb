namespace ModelMonitoring.Statistics.Methods;

/// <summary>
/// The distinct values of both sides pooled, ascending, with each side's weight at each value: what the rank tests
/// (Anderson-Darling, Cramér-von Mises, Mann-Whitney) and the CDF distances read. With unit weights this is the pooled
/// sample with its ties counted.
/// </summary>
internal sealed class PooledValues
{
    private PooledValues(double[] values, long[] reference, long[] current)
    {
        Values = values;
        Reference = reference;
        Current = current;
    }

    /// <summary>The distinct pooled values, ascending.</summary>
    public double[] Values { get; }

    /// <summary>The reference's weight at each value.</summary>
    public long[] Reference { get; }

    /// <summary>The current side's weight at each value.</summary>
    public long[] Current { get; }

    /// <summary>How many distinct values.</summary>
    public int Length => Values.Length;

    /// <summary>Whether some value is held more than once (a tie).</summary>
    public bool HasTies
    {
        get
        {
            for (int j = 0; j < Values.Length; j++)
            {
                if (Reference[j] + Current[j] > 1)
                {
                    return true;
                }
            }

            return false;
        }
    }

    public static PooledValues Of(NumericalSide reference, NumericalSide current)
    {
        ReadOnlySpan<double> left = reference.Distribution.Values;
        ReadOnlySpan<long> leftWeights = reference.Distribution.Weights;
        ReadOnlySpan<double> right = current.Distribution.Values;
        ReadOnlySpan<long> rightWeights = current.Distribution.Weights;
        var values = new List<double>(left.Length + right.Length);
        var referenceWeights = new List<long>(left.Length + right.Length);
        var currentWeights = new List<long>(left.Length + right.Length);
        int i = 0;
        int j = 0;
        while (i < left.Length || j < right.Length)
        {
            double value = i >= left.Length ? right[j] : j >= right.Length ? left[i] : Math.Min(left[i], right[j]);
            values.Add(value);
            referenceWeights.Add(i < left.Length && left[i] == value ? leftWeights[i++] : 0);
            currentWeights.Add(j < right.Length && right[j] == value ? rightWeights[j++] : 0);
        }

        return new PooledValues([.. values], [.. referenceWeights], [.. currentWeights]);
    }

    /// <summary>
    /// The sum over one side's sorted values of <c>(midrank in the pooled sample - position in the side)^2</c>, the
    /// positions 1-based (Cramér-von Mises' U term). Ties share the average rank, as <c>rankdata(method="average")</c>.
    /// </summary>
    public double SquaredRankGaps(bool ofReference)
    {
        long[] side = ofReference ? Reference : Current;
        double sum = 0;
        long pooledBelow = 0;
        long sideBelow = 0;
        for (int j = 0; j < Values.Length; j++)
        {
            long tied = Reference[j] + Current[j];
            long count = side[j];
            if (count > 0)
            {
                double midrank = pooledBelow + ((tied + 1) / 2.0);
                double first = midrank - (sideBelow + 1);
                double a = count;
                sum += (a * first * first) - (first * a * (a - 1)) + ((a - 1) * a * ((2 * a) - 1) / 6);
            }

            pooledBelow += tied;
            sideBelow += count;
        }

        return sum;
    }

    /// <summary>The sum of the midranks of the reference's values in the pooled sample (Mann-Whitney's R1).</summary>
    public double ReferenceRankSum()
    {
        double sum = 0;
        long pooledBelow = 0;
        for (int j = 0; j < Values.Length; j++)
        {
            long tied = Reference[j] + Current[j];
            sum += Reference[j] * (pooledBelow + ((tied + 1) / 2.0));
            pooledBelow += tied;
        }

        return sum;
    }

    /// <summary>The tie term <c>sum(t^3 - t)</c> over the groups of tied values.</summary>
    public double TieTerm()
    {
        double sum = 0;
        for (int j = 0; j < Values.Length; j++)
        {
            double t = Reference[j] + Current[j];
            sum += (t * t * t) - t;
        }

        return sum;
    }
}
