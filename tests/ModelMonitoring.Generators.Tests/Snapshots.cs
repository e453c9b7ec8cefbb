namespace ModelMonitoring.Generators.Tests;

/// <summary>
/// Compares generated code with an approved snapshot checked in under <c>Snapshots/</c>.
/// On a difference the new text is written next to it as <c>.received.cs</c> and the test fails.
/// To approve: review the diff, then run the tests with <c>MODELMONITORING_APPROVE_SNAPSHOTS=1</c>
/// (or copy the <c>.received.cs</c> file over the <c>.verified.cs</c> one).
/// </summary>
internal static class Snapshots
{
    public static void Verify(string name, string actual)
    {
        string directory = Path.Combine(RepositoryRoot(), "tests", "ModelMonitoring.Generators.Tests", "Snapshots");
        string verifiedPath = Path.Combine(directory, name + ".verified.cs");
        string receivedPath = Path.Combine(directory, name + ".received.cs");
        string normalized = actual.Replace("\r\n", "\n");

        if (Environment.GetEnvironmentVariable("MODELMONITORING_APPROVE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verifiedPath, normalized);
            File.Delete(receivedPath);
            return;
        }

        string? verified = File.Exists(verifiedPath) ? File.ReadAllText(verifiedPath).Replace("\r\n", "\n") : null;
        if (verified == normalized)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, normalized);
        Assert.Fail(verified is null
            ? $"No approved snapshot {verifiedPath}. Review {receivedPath}; approve with MODELMONITORING_APPROVE_SNAPSHOTS=1."
            : $"Generated code differs from {verifiedPath} (first difference at line {FirstDifferentLine(verified, normalized)}). Review {receivedPath}; approve with MODELMONITORING_APPROVE_SNAPSHOTS=1.");
    }

    /// <summary>
    /// The folder holding Instrumentation.sln, found from the test's output folder. (Source paths are no help: a CI
    /// build maps them to /_/ for determinism.)
    /// </summary>
    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Instrumentation.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Instrumentation.sln above {AppContext.BaseDirectory}: the snapshot tests run from the repository's build output.");
    }

    private static int FirstDifferentLine(string expected, string actual)
    {
        string[] a = expected.Split('\n');
        string[] b = actual.Split('\n');
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            if (a[i] != b[i])
            {
                return i + 1;
            }
        }

        return Math.Min(a.Length, b.Length) + 1;
    }
}
