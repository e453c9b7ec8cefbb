using System.Diagnostics.Tracing;

namespace ModelMonitoring.Benchmarks;

/// <summary>
/// <c>--allocations</c>: where the monitored path allocates, outside BenchmarkDotNet. Makes monitored calls on this
/// thread with the folder kept idle, flushes every <see cref="PredictionBenchmarks.Batch"/> calls, and reports the
/// bytes allocated by the calls and by each flush (from <see cref="GC.GetAllocatedBytesForCurrentThread"/>), plus the
/// types the runtime's allocation sampling saw (one event per ~100 KB allocated).
/// </summary>
internal static class AllocationProbe
{
    public static void Run(int calls)
    {
        ModelMonitoringRuntime.Default.UpdateOptions(new ModelMonitoringOptions { FlushInterval = TimeSpan.FromMinutes(1) });
        var model = new MonitoredPricingModel();
        PricingRequest[] requests = PricingFormula.CreateRequests();
        int next = 0;
        for (int i = 0; i < 20_000; i++)
        {
            _ = model.Predict(requests[next++ & (requests.Length - 1)]); // warm up: tiering, the ring, the first (reference) window
        }

        ModelMonitoringRuntime.Default.Flush();
        using var sampler = new AllocationSampler();
        long callBytes = 0;
        var flushBytes = new List<long>();
        var flushTicks = new List<long>();
        for (int done = 0; done < calls; done += PredictionBenchmarks.Batch)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < PredictionBenchmarks.Batch; i++)
            {
                _ = model.Predict(requests[next++ & (requests.Length - 1)]);
            }

            long afterCalls = GC.GetAllocatedBytesForCurrentThread();
            long flushStarted = System.Diagnostics.Stopwatch.GetTimestamp();
            ModelMonitoringRuntime.Default.Flush();
            flushTicks.Add(System.Diagnostics.Stopwatch.GetTimestamp() - flushStarted);
            callBytes += afterCalls - before;
            flushBytes.Add(GC.GetAllocatedBytesForCurrentThread() - afterCalls);
        }

        long total = flushBytes.Sum();
        Console.WriteLine($"Calls: {calls}, window size {ModelMonitoringRuntime.Default.Options.WindowSize}, reference size {ModelMonitoringRuntime.Default.Options.ReferenceSize}.");
        Console.WriteLine($"Bytes allocated by the calls themselves: {callBytes} ({(double)callBytes / calls:0.###} B/call).");
        Console.WriteLine($"Bytes allocated by {flushBytes.Count} flushes: {total} ({(double)total / calls:0.###} B/call).");
        foreach (IGrouping<bool, int> group in Enumerable.Range(0, flushBytes.Count).GroupBy(i => flushBytes[i] >= 65536).OrderBy(g => g.Key))
        {
            long[] bytes = [.. group.Select(i => flushBytes[i]).Order()];
            double[] micros = [.. group.Select(i => flushTicks[i] * 1e6 / System.Diagnostics.Stopwatch.Frequency).Order()];
            Console.WriteLine($"  {bytes.Length,5} flushes {(group.Key ? "closing a window" : "without a window close")}: median {bytes[bytes.Length / 2]} B, median {micros[micros.Length / 2]:0.0} us ({micros[micros.Length / 2] * 1000 / PredictionBenchmarks.Batch:0.0} ns per folded row), total {micros.Sum() / 1000:0.0} ms");
        }

        Console.WriteLine("Sampled allocations by type (each sample ~100 KB):");
        foreach ((string type, int samples) in sampler.Samples.OrderByDescending(p => p.Value).Take(15))
        {
            Console.WriteLine($"  {samples,6}  {type}");
        }
    }

    /// <summary>What closing a window costs per numerical feature: cloning its profile and comparing it with a reference.</summary>
    public static void WindowCloseBreakdown()
    {
        PricingRequest[] requests = PricingFormula.CreateRequests();
        Sketches.FeatureProfile Fill(int offset)
        {
            var profile = new Sketches.FeatureProfile("area", Statistics.ColumnType.Numerical);
            for (int i = 0; i < 10_000; i++)
            {
                profile.Add(requests[(i + offset) & (requests.Length - 1)].Area);
            }

            return profile;
        }

        Sketches.FeatureProfile reference = Fill(0);
        Sketches.FeatureProfile current = Fill(1000);
        Measure("FeatureProfile.Clone() of a 10,000-value numerical profile", () => current.Clone());
        Measure("KllSketch.Clone() alone (what Clone keeps)", () => current.Sketch!.Clone());
        Measure("FeatureProfile.GetDistribution()", () => current.GetDistribution());
        Measure("SketchDriftEngine.EvaluateColumn(reference, current)", () => Sketches.SketchDriftEngine.EvaluateColumn(reference, current));
        Console.WriteLine("(a window close of the benchmark model clones 10 profiles and evaluates 10 of them: 6 numbers, the prediction, 3 labels; the [Sensitive]-free labels are cheap)");
    }

    private static void Measure(string what, Func<object> action)
    {
        for (int i = 0; i < 20; i++)
        {
            _ = action();
        }

        var micros = new double[50];
        var bytes = new long[50];
        for (int i = 0; i < micros.Length; i++)
        {
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            _ = action();
            micros[i] = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            bytes[i] = GC.GetAllocatedBytesForCurrentThread() - allocated;
        }

        Array.Sort(micros);
        Console.WriteLine($"  {what}: median {micros[micros.Length / 2]:0.0} us, {bytes[0]} B");
    }

    private sealed class AllocationSampler : EventListener
    {
        private const int GCAllocationTickId = 10;
        private readonly object _lock = new();

        public Dictionary<string, int> Samples { get; } = new(StringComparer.Ordinal);

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventId != GCAllocationTickId || eventData.PayloadNames is null)
            {
                return;
            }

            int index = eventData.PayloadNames.IndexOf("TypeName");
            string type = index >= 0 ? eventData.Payload?[index] as string ?? "?" : "?";
            lock (_lock)
            {
                Samples[type] = Samples.GetValueOrDefault(type) + 1;
            }
        }
    }
}
