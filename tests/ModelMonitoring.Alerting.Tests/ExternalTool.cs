using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ModelMonitoring.Alerting.Tests;

/// <summary>
/// The real programs the tests run (promtool, amtool, prometheus, alertmanager, the SMTP server): found on PATH, and
/// a clear failure naming the Debian package when one is missing (./test.sh installs them).
/// </summary>
internal static class ExternalTool
{
    /// <summary>The full path of the first of <paramref name="names"/> found on PATH; fails naming <paramref name="package"/> otherwise.</summary>
    public static string Find(string package, params string[] names)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin"))
        {
            foreach (string name in names)
            {
                string candidate = Path.Combine(directory, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        Assert.Fail($"{string.Join(" or ", names)} is not on PATH: install the Debian package '{package}' (./test.sh does: apt-get install {package}).");
        return null!;
    }

    /// <summary>Runs a program to its end (at most <paramref name="timeout"/>); its exit code and its stdout and stderr together.</summary>
    public static (int ExitCode, string Output) Run(string program, IEnumerable<string> arguments, TimeSpan timeout)
    {
        using Process process = Start(program, arguments, out StringBuilder output);
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(program)} did not finish within {timeout.TotalSeconds} s:\n{output}");
        }

        process.WaitForExit();
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    /// <summary>Starts a program whose stdout and stderr are collected into <paramref name="output"/>.</summary>
    public static Process Start(string program, IEnumerable<string> arguments, out StringBuilder output, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var collected = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        output = collected;
        return process;

        void Append(string? line)
        {
            if (line is not null)
            {
                lock (collected)
                {
                    collected.AppendLine(line);
                }
            }
        }
    }

    /// <summary>A TCP port free on 127.0.0.1 at the time of the call.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Stops a process started by a test, and its children.</summary>
    public static void Stop(Process? process)
    {
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }

        process.Dispose();
    }

    /// <summary>A new empty directory under the temporary directory.</summary>
    public static string TempDirectory(string prefix)
    {
        string path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }
}
