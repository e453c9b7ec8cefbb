namespace ModelMonitoring.Statistics;

/// <summary>
/// First Wasserstein (earth mover's) distance between two one-dimensional distributions, as
/// <c>scipy.stats.wasserstein_distance</c> computes it, and Evidently's normed form.
/// </summary>
internal static class WassersteinDistance
{
    /// <summary>The smallest standard deviation Evidently divides by (so a constant reference does not divide by 0).</summary>
    public const double MinimumNorm = 0.001;

    /// <summary>The integral of |F_u - F_v| over the real line, for two samples sorted ascending.</summary>
    /// <param name="sortedU">The first sample, sorted ascending (at least one value).</param>
    /// <param name="sortedV">The second sample, sorted ascending (at least one value).</param>
    public static double Distance(ReadOnlySpan<double> sortedU, ReadOnlySpan<double> sortedV)
    {
        RequireNotEmpty(sortedU, sortedV);
        double uCount = sortedU.Length;
        double vCount = sortedV.Length;
        int i = 0;
        int j = 0;
        double sum = 0;
        double previous = Math.Min(sortedU[0], sortedV[0]);
        while (i < sortedU.Length || j < sortedV.Length)
        {
            double next = j >= sortedV.Length || (i < sortedU.Length && sortedU[i] <= sortedV[j]) ? sortedU[i] : sortedV[j];
            if (next != previous)
            {
                sum += Math.Abs((i / uCount) - (j / vCount)) * (next - previous);
                previous = next;
            }

            if (j >= sortedV.Length || (i < sortedU.Length && sortedU[i] <= sortedV[j]))
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return sum;
    }

    /// <summary>
    /// The distance between two weighted samples (for example quantile sketches: values with their weights), as
    /// <c>scipy.stats.wasserstein_distance(u_values, v_values, u_weights, v_weights)</c>.
    /// </summary>
    /// <param name="sortedUValues">The first distribution's values, sorted ascending.</param>
    /// <param name="uWeights">Their non-negative weights (any positive total).</param>
    /// <param name="sortedVValues">The second distribution's values, sorted ascending.</param>
    /// <param name="vWeights">Their non-negative weights (any positive total).</param>
    public static double Distance(ReadOnlySpan<double> sortedUValues, ReadOnlySpan<double> uWeights, ReadOnlySpan<double> sortedVValues, ReadOnlySpan<double> vWeights) =>
        WeightedDistance(sortedUValues, uWeights, sortedVValues, vWeights);

    /// <summary>The distance between two distributions with integer weights (counts); the same as with the counts as doubles.</summary>
    public static double Distance(ReadOnlySpan<double> sortedUValues, ReadOnlySpan<long> uWeights, ReadOnlySpan<double> sortedVValues, ReadOnlySpan<long> vWeights) =>
        WeightedDistance(sortedUValues, uWeights, sortedVValues, vWeights);

    private static double WeightedDistance<TWeight>(ReadOnlySpan<double> sortedUValues, ReadOnlySpan<TWeight> uWeights, ReadOnlySpan<double> sortedVValues, ReadOnlySpan<TWeight> vWeights)
        where TWeight : struct, System.Numerics.INumberBase<TWeight>
    {
        RequireNotEmpty(sortedUValues, sortedVValues);
        double uTotal = WeightTotal(sortedUValues, uWeights, nameof(uWeights));
        double vTotal = WeightTotal(sortedVValues, vWeights, nameof(vWeights));
        int i = 0;
        int j = 0;
        double uCumulative = 0;
        double vCumulative = 0;
        double sum = 0;
        double previous = Math.Min(sortedUValues[0], sortedVValues[0]);
        while (i < sortedUValues.Length || j < sortedVValues.Length)
        {
            bool takeU = j >= sortedVValues.Length || (i < sortedUValues.Length && sortedUValues[i] <= sortedVValues[j]);
            double next = takeU ? sortedUValues[i] : sortedVValues[j];
            if (next != previous)
            {
                sum += Math.Abs((uCumulative / uTotal) - (vCumulative / vTotal)) * (next - previous);
                previous = next;
            }

            if (takeU)
            {
                uCumulative += double.CreateTruncating(uWeights[i++]);
            }
            else
            {
                vCumulative += double.CreateTruncating(vWeights[j++]);
            }
        }

        return sum;
    }

    /// <summary>
    /// Evidently's normed distance: <paramref name="distance"/> divided by the reference's population standard deviation
    /// (<c>np.std</c>, ddof = 0), floored at <see cref="MinimumNorm"/>.
    /// </summary>
    /// <param name="distance">The Wasserstein distance.</param>
    /// <param name="referenceStandardDeviation">The reference's population standard deviation.</param>
    public static double Normed(double distance, double referenceStandardDeviation) =>
        distance / Math.Max(referenceStandardDeviation, MinimumNorm);

    private static void RequireNotEmpty(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        if (u.IsEmpty)
        {
            throw new ArgumentException("The first distribution has no values.", "sortedU");
        }

        if (v.IsEmpty)
        {
            throw new ArgumentException("The second distribution has no values.", "sortedV");
        }
    }

    private static double WeightTotal<TWeight>(ReadOnlySpan<double> values, ReadOnlySpan<TWeight> weights, string parameterName)
        where TWeight : struct, System.Numerics.INumberBase<TWeight>
    {
        if (weights.Length != values.Length)
        {
            throw new ArgumentException($"Expected {values.Length} weights, got {weights.Length}.", parameterName);
        }

        double total = 0;
        foreach (TWeight raw in weights)
        {
            double weight = double.CreateTruncating(raw);
            if (!(weight >= 0) || double.IsInfinity(weight))
            {
                throw new ArgumentException($"Weights must be finite and non-negative; found {weight}.", parameterName);
            }

            total += weight;
        }

        if (total <= 0)
        {
            throw new ArgumentException("The weights sum to zero.", parameterName);
        }

        return total;
    }
}
