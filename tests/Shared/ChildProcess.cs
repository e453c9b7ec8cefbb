using System.Diagnostics;

namespace ModelMonitoring.Tests.Shared;

/// <summary>
/// Runs a program (dotnet, an installed or native mlmon) as a child process, as a user would run it: without the test
/// host's MSBuild settings, which would redirect a child build, and without the dotnet CLI's first-run chatter. Linked
/// into every test project that starts one (tests/Shared).
/// </summary>
internal static class ChildProcess
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(6);

    /// <summary>The dotnet that runs the tests (DOTNET_HOST_PATH), else the one on the PATH.</summary>
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>Runs the dotnet CLI; returns its exit code and its standard output followed by its standard error.</summary>
    public static Task<(int Code, string Output)> DotnetAsync(string workingDirectory, params string[] args) =>
        DotnetAsync(workingDirectory, DefaultTimeout, args);

    /// <inheritdoc cref="DotnetAsync(string, string[])"/>
    public static async Task<(int Code, string Output)> DotnetAsync(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        (int code, string stdout, string stderr) = await RunAsync(Dotnet, workingDirectory, new Dictionary<string, string>(), timeout, args);
        return (code, stdout + stderr);
    }

    public static Task<(int Code, string Stdout, string Stderr)> RunAsync(string program, string workingDirectory, params string[] args) =>
        RunAsync(program, workingDirectory, new Dictionary<string, string>(), DefaultTimeout, args);

    /// <summary>Runs <paramref name="program"/> with these environment variables set besides the test host's.</summary>
    public static Task<(int Code, string Stdout, string Stderr)> RunAsync(
        string program, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunAsync(program, workingDirectory, environment, DefaultTimeout, args);

    /// <summary>Runs <paramref name="program"/>; a run longer than <paramref name="timeout"/> is killed and is an error that shows its output.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(
        string program, string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] args)
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

        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish within {timeout}:\n{await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
