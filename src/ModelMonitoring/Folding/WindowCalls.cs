namespace ModelMonitoring;

/// <summary>
/// The calls of one window: how many ended in each outcome, and the latency of the successful ones in the latency
/// histogram's buckets, so that error rates and latency quantiles are read per window (alert rules use them).
/// </summary>
public sealed class WindowCalls
{
    private readonly long[] _successLatencyBuckets;

    internal WindowCalls(IReadOnlyList<double> boundaries)
    {
        Boundaries = boundaries;
        _successLatencyBuckets = new long[boundaries.Count + 1];
    }

    private WindowCalls(WindowCalls source)
    {
        Boundaries = source.Boundaries;
        _successLatencyBuckets = [.. source._successLatencyBuckets];
        Successes = source.Successes;
        Errors = source.Errors;
        Canceled = source.Canceled;
    }

    /// <summary>Calls that returned.</summary>
    public long Successes { get; private set; }

    /// <summary>Calls that threw (other than cancellations).</summary>
    public long Errors { get; private set; }

    /// <summary>Calls canceled with an <see cref="OperationCanceledException"/>.</summary>
    public long Canceled { get; private set; }

    /// <summary>All calls.</summary>
    public long Total => Successes + Errors + Canceled;

    /// <summary>Errors over all calls (cancellations included in the denominator); NaN without calls.</summary>
    public double ErrorRate => Total == 0 ? double.NaN : (double)Errors / Total;

    /// <summary>The latency bucket boundaries, in seconds (those of <c>ml.model.prediction.duration</c>).</summary>
    public IReadOnlyList<double> Boundaries { get; }

    /// <summary>Successful calls per latency bucket: one more than <see cref="Boundaries"/>, the last one open.</summary>
    public IReadOnlyList<long> SuccessLatencyBuckets => _successLatencyBuckets;

    /// <summary>
    /// A quantile of the successful calls' latency, in seconds, interpolated linearly inside its bucket as Prometheus'
    /// <c>histogram_quantile</c> does (the open last bucket gives its lower bound). NaN without successful calls.
    /// </summary>
    public double SuccessLatencyQuantile(double quantile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantile, 1);
        long total = 0;
        foreach (long count in _successLatencyBuckets)
        {
            total += count;
        }

        if (total == 0)
        {
            return double.NaN;
        }

        double rank = quantile * total;
        long below = 0;
        for (int bucket = 0; bucket < _successLatencyBuckets.Length; bucket++)
        {
            long count = _successLatencyBuckets[bucket];
            if (below + count >= rank && count > 0)
            {
                if (bucket == Boundaries.Count)
                {
                    return Boundaries[^1];
                }

                double low = bucket == 0 ? 0 : Boundaries[bucket - 1];
                double high = Boundaries[bucket];
                return low + ((high - low) * (rank - below) / count);
            }

            below += count;
        }

        return Boundaries[^1];
    }

    internal void Count(PredictionOutcome outcome, double seconds, long calls = 1)
    {
        switch (outcome)
        {
            case PredictionOutcome.Success:
                Successes += calls;
                int bucket = 0;
                while (bucket < Boundaries.Count && seconds > Boundaries[bucket])
                {
                    bucket++;
                }

                _successLatencyBuckets[bucket] += calls;
                break;
            case PredictionOutcome.Error:
                Errors += calls;
                break;
            default:
                Canceled += calls;
                break;
        }
    }

    internal WindowCalls Copy() => new(this);
}
