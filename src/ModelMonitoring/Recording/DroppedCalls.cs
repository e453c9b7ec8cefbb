using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace ModelMonitoring.Runtime;

/// <summary>
/// What a method's callers recorded while its ring was full: outcome counts, latency per histogram bucket (count and
/// sum) and failures per exception type, updated with interlocked operations only. The folder replays them into the
/// instruments, so that prediction counts and the latency histogram stay exact when rows are dropped.
/// </summary>
internal sealed class DroppedCalls
{
    private readonly long[] _bucketTicks;      // upper bounds, in Stopwatch ticks
    private readonly long[] _counts;           // [outcome * (buckets + 1) + bucket]
    private readonly long[] _tickSums;
    private readonly long[] _carriedTicks;     // folder only: sums seen before their counts
    private readonly ConcurrentDictionary<string, StrongBox<long>> _errorsByType = new(StringComparer.Ordinal);
    private long _rows;

    public DroppedCalls(IReadOnlyList<double> bucketBoundariesSeconds)
    {
        _bucketTicks = bucketBoundariesSeconds.Select(s => (long)Math.Ceiling(s * System.Diagnostics.Stopwatch.Frequency)).ToArray();
        BoundariesSeconds = [.. bucketBoundariesSeconds];
        int cells = 3 * (_bucketTicks.Length + 1);
        _counts = new long[cells];
        _tickSums = new long[cells];
        _carriedTicks = new long[cells];
    }

    public double[] BoundariesSeconds { get; }

    /// <summary>Rows (calls and batch items) that could not be recorded, since the start.</summary>
    public long Rows => Volatile.Read(ref _rows);

    public void Add(byte flags, PredictionOutcome outcome, long elapsedTicks, string? exceptionType)
    {
        Interlocked.Increment(ref _rows);
        if ((flags & RowSlot.HasCall) == 0)
        {
            return;
        }

        int bucket = Array.BinarySearch(_bucketTicks, elapsedTicks);
        bucket = bucket < 0 ? ~bucket : bucket;
        int cell = ((int)outcome * (_bucketTicks.Length + 1)) + bucket;

        // Sum first, count second: a count the folder sees always has its sum in place already.
        Interlocked.Add(ref _tickSums[cell], elapsedTicks);
        Interlocked.Increment(ref _counts[cell]);
        if (exceptionType is not null && outcome == PredictionOutcome.Error)
        {
            Interlocked.Increment(ref _errorsByType.GetOrAdd(exceptionType, static _ => new StrongBox<long>()).Value);
        }
    }

    /// <summary>
    /// Hands every call dropped since the last replay to <paramref name="replay"/> as (outcome, count, latency in seconds):
    /// each bucket's calls at their mean latency, so bucket counts, the count and the sum stay exact. Folder only.
    /// </summary>
    public void Replay(Action<PredictionOutcome, long, double> replay, Action<string, long> replayErrors)
    {
        int width = _bucketTicks.Length + 1;
        for (int cell = 0; cell < _counts.Length; cell++)
        {
            long count = Volatile.Read(ref _counts[cell]);
            long sum = Interlocked.Exchange(ref _tickSums[cell], 0) + _carriedTicks[cell];
            _carriedTicks[cell] = 0;
            if (count == 0)
            {
                _carriedTicks[cell] = sum; // sums of calls whose count is not visible yet
                continue;
            }

            Interlocked.Add(ref _counts[cell], -count);
            int bucket = cell % width;
            double low = bucket == 0 ? 0 : BoundariesSeconds[bucket - 1];
            double high = bucket < BoundariesSeconds.Length ? BoundariesSeconds[bucket] : double.MaxValue;
            double mean = (double)sum / count / System.Diagnostics.Stopwatch.Frequency;
            replay((PredictionOutcome)(cell / width), count, Math.Clamp(mean, low, high));
        }

        foreach ((string type, StrongBox<long> box) in _errorsByType)
        {
            long errors = Interlocked.Exchange(ref box.Value, 0);
            if (errors > 0)
            {
                replayErrors(type, errors);
            }
        }
    }
}
