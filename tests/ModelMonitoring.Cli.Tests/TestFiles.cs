using System.Text;

namespace ModelMonitoring.Cli.Tests;

/// <summary>Paths of the repository and its golden data, and a scratch directory per test.</summary>
internal static class RepoPaths
{
    /// <summary>The directory holding Instrumentation.sln, found by walking up from the test's output directory.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The golden drift cases: <c>tests/data/golden/drift</c> inside the repository.</summary>
    public static string GoldenDrift => Path.Combine(RepositoryRoot, "tests", "data", "golden", "drift");

    /// <summary>The built mlmon.dll next to the tests (copied by the project reference).</summary>
    public static string MlmonDll => Path.Combine(AppContext.BaseDirectory, "mlmon.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Instrumentation.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Instrumentation.sln above {AppContext.BaseDirectory}.");
    }
}

/// <summary>A temporary directory deleted at the end of the test.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mlmon-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Writes a file (UTF-8 without BOM, text exactly as given) and returns its path.</summary>
    public string Write(string name, string content)
    {
        string path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    /// <summary>A path in the directory.</summary>
    public string File_(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Runs the CLI in-process and captures what it writes.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await Cli.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
