using System.Diagnostics;
using System.Text.Json;
using ModelMonitoring.Tests.Shared;

namespace ModelMonitoring.Cli.Tests;

/// <summary>The real built <c>mlmon</c>, run as a process: exit code and clean stdout.</summary>
public sealed class ProcessTests
{
    [Fact]
    public async Task Mlmon_dll_exits_1_on_drift_and_writes_only_json_to_a_redirected_stdout()
    {
        Assert.True(File.Exists(RepoPaths.MlmonDll), $"mlmon.dll not found at {RepoPaths.MlmonDll}");
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        string dir = Path.Combine(RepoPaths.GoldenDrift, "small_drift");
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { RepoPaths.MlmonDll, "drift", "--reference", Path.Combine(dir, "reference.csv"), "--current", Path.Combine(dir, "current.csv"), "--format", "json" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 1, $"exit code {process.ExitCode}; stderr: {await stderr}");
        Assert.Empty(await stderr);
        using JsonDocument doc = JsonDocument.Parse(await stdout); // nothing but the report: no progress, no colours
        Assert.True(doc.RootElement.GetProperty("dataset").GetProperty("drift").GetBoolean());
        Assert.Equal(6, doc.RootElement.GetProperty("dataset").GetProperty("drifted_columns").GetInt32());
    }

    [Fact]
    public async Task On_a_terminal_mlmon_shows_progress_per_column_while_computing()
    {
        Assert.True(File.Exists("/usr/bin/script"), "/usr/bin/script (util-linux) runs mlmon on a pseudo-terminal for this test");
        using var dir = new TempDir();
        var rng = new Random(2);
        string Rows() => string.Concat(Enumerable.Range(0, 20_000).Select(i => FormattableString.Invariant($"{rng.NextDouble():R},{rng.Next(100)},r{i % 5}\n")));
        string reference = dir.Write("ref.csv", "a,b,c\n" + Rows());
        string current = dir.Write("cur.csv", "a,b,c\n" + Rows());
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        string command = string.Join(' ', new[] { dotnet, RepoPaths.MlmonDll, "drift", "-r", reference, "-c", current }.Select(a => "'" + a + "'"));
        var terminalSettings = new Dictionary<string, string> { ["TERM"] = "xterm-256color", ["COLUMNS"] = "120" };
        (int code, string terminal, string stderr) = await ChildProcess.RunAsync("/usr/bin/script", dir.Path, terminalSettings, "-qec", command, "/dev/null");

        Assert.True(code == 0, $"exit {code}: {terminal} {stderr}");
        Assert.Contains("Reading ref.csv", terminal);
        Assert.Contains("Computing drift: 3/3 columns", terminal);
        Assert.Matches(@"Computing drift: 3/3 columns, [abc] done", terminal); // redrawn 10 times a second, so the last state is sure to show
        Assert.Contains("No dataset drift", terminal); // the report follows once the bars are cleared
    }
}
