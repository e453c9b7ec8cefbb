using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

// dotnet run -c Release --project tests/ModelMonitoring.Benchmarks -- [--quick] [BenchmarkDotNet options, e.g. --filter *Monitored*]
//   --allocations: no benchmark; reports where monitored calls and flushes allocate (see AllocationProbe).
//   --profile [seconds] [--drift-off | --caller]: no benchmark; runs "3 Monitored + fold" (or 3c, or 2b) in a loop, for a profiler (perf record).
//   --compare seconds rounds directory...: no benchmark; runs the --profile loop of several builds of this project
//     (their bin/Release/net10.0 copies) in one process, in turn, and prints each one's median (see CompareBuilds).
//   --quick: in-process, 1 warm-up and 3 short iterations per case: a smoke run of well under a minute.
//   default: a separate process per case, 2 launches x 15 iterations of 250 ms.
if (args.Contains("--allocations"))
{
    ModelMonitoring.Benchmarks.AllocationProbe.Run(calls: 1_000_000);
    ModelMonitoring.Benchmarks.AllocationProbe.WindowCloseBreakdown();
    return;
}

if (args.Contains("--profile"))
{
    int seconds = args.SkipWhile(a => a != "--profile").Skip(1).Select(a => int.TryParse(a, out int s) ? s : 0).FirstOrDefault(s => s > 0);
    ModelMonitoring.Benchmarks.ProfileLoop.Run(TimeSpan.FromSeconds(seconds > 0 ? seconds : 20), driftDetection: !args.Contains("--drift-off"), callerPathOnly: args.Contains("--caller"));
    return;
}

if (args.Length >= 4 && args[0] == "--compare")
{
    ModelMonitoring.Benchmarks.CompareBuilds.Run(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), args[3..]);
    return;
}

bool quick = args.Contains("--quick");
string[] options = [.. args.Where(a => a != "--quick")];
if (!options.Any(a => a is "--filter" or "-f" or "--list" or "--info"))
{
    options = [.. options, "--filter", "*"];
}

Job job = quick
    ? Job.Default.WithToolchain(InProcessEmitToolchain.Instance)
        .WithWarmupCount(1).WithIterationCount(3).WithIterationTime(TimeInterval.FromMilliseconds(100))
        .WithId("Quick")
    : Job.Default.WithLaunchCount(2).WithWarmupCount(6).WithIterationCount(15).WithIterationTime(TimeInterval.FromMilliseconds(250))
        .WithId("Full");
IConfig config = DefaultConfig.Instance.AddJob(job.AsDefault()).WithBuildTimeout(TimeSpan.FromMinutes(10)); // a loaded machine builds slowly
BenchmarkSwitcher.FromAssembly(typeof(ModelMonitoring.Benchmarks.PredictionBenchmarks).Assembly).Run(options, config);
