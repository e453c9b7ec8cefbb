using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;

namespace ModelMonitoring.Benchmarks;

/// <summary>
/// Compares builds of this benchmark project in one process: each build's output directory is loaded into its own
/// <see cref="AssemblyLoadContext"/> (its own ModelMonitoring, its own statics), and their <see cref="ProfileLoop"/>s
/// run in turn, a few seconds each, for several rounds. On a machine shared with other work, load changes between two
/// separate runs more than the code does; alternating short loops exposes both builds to the same load, and the
/// medians of the rounds can be compared. Usage: <c>--compare seconds rounds directory...</c>.
/// </summary>
internal static class CompareBuilds
{
    public static void Run(int seconds, int rounds, IReadOnlyList<string> directories)
    {
        Action<TimeSpan>[] loops = [.. directories.Select(Load)];
        var results = directories.Select(_ => new List<double>()).ToArray();
        TextWriter output = Console.Out;
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < loops.Length; i++)
            {
                var captured = new StringWriter();
                Console.SetOut(captured);
                try
                {
                    loops[i](TimeSpan.FromSeconds(seconds));
                }
                finally
                {
                    Console.SetOut(output);
                }

                // ProfileLoop prints "N calls, X ns per call (...)".
                string line = captured.ToString().Split('\n').First(l => l.Contains(" ns per call", StringComparison.Ordinal));
                double nanoseconds = double.Parse(line.Split(" calls, ")[1].Split(" ns")[0], CultureInfo.InvariantCulture);
                results[i].Add(nanoseconds);
                Console.WriteLine($"round {round + 1}: {Name(directories[i])} {nanoseconds:F1} ns per call");
            }
        }

        for (int i = 0; i < loops.Length; i++)
        {
            List<double> sorted = [.. results[i].Order()];
            Console.WriteLine($"{Name(directories[i])}: median {sorted[sorted.Count / 2]:F1} ns, min {sorted[0]:F1}, max {sorted[^1]:F1} (rounds: {string.Join(" ", results[i].Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))})");
        }
    }

    private static string Name(string directory) => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));

    private static Action<TimeSpan> Load(string directory)
    {
        string full = Path.GetFullPath(directory);
        var context = new BuildContext(full);
        Assembly benchmarks = context.LoadFromAssemblyPath(Path.Combine(full, "ModelMonitoring.Benchmarks.dll"));
        MethodInfo run = benchmarks.GetType("ModelMonitoring.Benchmarks.ProfileLoop")!.GetMethod("Run", BindingFlags.Public | BindingFlags.Static)!;
        return duration => run.Invoke(null, [duration, true, false]);
    }

    // Loads a build's own assemblies from its directory; the framework's come from the default context.
    private sealed class BuildContext(string directory) : AssemblyLoadContext(Path.GetFileName(directory))
    {
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            string path = Path.Combine(directory, assemblyName.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
