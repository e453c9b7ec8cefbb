using System.Diagnostics;

namespace ModelMonitoring.Benchmarks;

/// <summary>
/// Runs "3 Monitored + fold" (calls, then the fold on this thread), or "2b caller path only", in a loop for a while, with nothing else, so that a
/// sampling profiler sees where the total per call goes: <c>DOTNET_PerfMapEnabled=1 perf record -g dotnet ... --profile</c>.
/// </summary>
internal static class ProfileLoop
{
    public static void Run(TimeSpan duration, bool driftDetection, bool callerPathOnly = false)
    {
        var benchmarks = new PredictionBenchmarks { Listener = Listener.OpenTelemetrySdk };
        if (driftDetection)
        {
            benchmarks.SetupIdleFolder();
        }
        else
        {
            benchmarks.SetupIdleFolderWithoutDrift();
        }

        long invocations = 0;
        var clock = Stopwatch.StartNew();
        double sink = 0;
        while (clock.Elapsed < duration)
        {
            sink += callerPathOnly ? benchmarks.Monitored_CallerPathOnly()
                : driftDetection ? benchmarks.Monitored_TotalWithFold() : benchmarks.Monitored_TotalWithFold_DriftDetectionOff();
            invocations++;
        }

        clock.Stop();
        benchmarks.Cleanup();
        double nanoseconds = clock.Elapsed.TotalNanoseconds / (invocations * PredictionBenchmarks.Batch);
        Console.WriteLine($"{invocations * PredictionBenchmarks.Batch:N0} calls, {nanoseconds:F1} ns per call ({(callerPathOnly ? "caller path only" : "total with fold")}, drift detection {(driftDetection ? "on" : "off")}); checksum {sink:G3}");
    }
}
