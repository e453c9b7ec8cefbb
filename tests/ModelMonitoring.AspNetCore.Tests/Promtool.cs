using System.Diagnostics;

namespace ModelMonitoring.AspNetCore.Tests;

/// <summary>Runs Debian's <c>promtool</c> (package <c>prometheus</c>, installed by test.sh).</summary>
internal static class Promtool
{
    /// <summary><c>promtool check metrics</c> on a scrape: its exit code and everything it printed (nothing when clean).</summary>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string scrape)
    {
        var start = new ProcessStartInfo("promtool", "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("promtool is not installed: run ./test.sh, which installs Debian's prometheus package, or apt-get install prometheus.", exception);
        }

        using (process)
        {
            await process.StandardInput.WriteAsync(scrape);
            process.StandardInput.Close();
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, ((await output) + (await error)).Trim());
        }
    }
}
