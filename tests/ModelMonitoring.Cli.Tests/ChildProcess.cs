using System.Diagnostics;

namespace ModelMonitoring.Cli.Tests;

/// <summary>Runs a program (dotnet, an installed or native mlmon) as a child process, without the test host's MSBuild settings.</summary>
internal static class ChildProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(6);

    public static async Task<(int Code, string Output)> DotnetAsync(string workingDirectory, params string[] args)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        (int code, string stdout, string stderr) = await RunAsync(dotnet, workingDirectory, args);
        return (code, stdout + stderr);
    }

    public static Task<(int Code, string Stdout, string Stderr)> RunAsync(string program, string workingDirectory, params string[] args) =>
        RunAsync(program, workingDirectory, new Dictionary<string, string>(), args);

    /// <summary>Runs <paramref name="program"/> with these environment variables set besides the test host's.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(
        string program, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The test host's own MSBuild variables would redirect the child build.
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish within {Timeout}.");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
