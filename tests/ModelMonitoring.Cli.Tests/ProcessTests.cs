using System.Diagnostics;
using System.Text.Json;

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
}
