using System.Runtime.CompilerServices;

namespace ModelMonitoring.Generators.Tests;

/// <summary>
/// Compares generated code with an approved snapshot checked in under <c>Snapshots/</c>.
/// On a difference the new text is written next to it as <c>.received.cs</c> and the test fails.
/// To approve: review the diff, then run the tests with <c>MODELMONITORING_APPROVE_SNAPSHOTS=1</c>
/// (or copy the <c>.received.cs</c> file over the <c>.verified.cs</c> one).
/// </summary>
internal static class Snapshots
{
    public static void Verify(string name, string actual, [CallerFilePath] string callerPath = "")
    {
        string directory = Path.Combine(Path.GetDirectoryName(callerPath)!, "Snapshots");
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
