using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace ModelMonitoring.AspNetCore.Tests;

/// <summary>
/// The PricingService sample running for real, as a child process on a free loopback port (its own process, so its
/// process-wide monitoring state is its own). <see cref="DisposeAsync"/> kills the whole process tree.
/// </summary>
internal sealed class PricingServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PricingServiceProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    /// <summary>What the service wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the service and waits (at most 30 s) until <c>/health</c> answers.</summary>
    public static Task<PricingServiceProcess> StartAsync(params string[] extraArguments) => StartAsync(new Dictionary<string, string>(), extraArguments);

    /// <summary>Starts the service with these environment variables set, and waits (at most 30 s) until <c>/health</c> answers.</summary>
    public static async Task<PricingServiceProcess> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] extraArguments)
    {
        // A port picked free can be taken before the child binds it: try a few.
        for (int attempt = 1; ; attempt++)
        {
            PricingServiceProcess service = Launch(FreeLoopbackPort(), extraArguments, environment);
            try
            {
                await service.WaitUntilReadyAsync();
                return service;
            }
            catch (Exception) when (attempt < 3 && service.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await service.DisposeAsync();
            }
            catch
            {
                await service.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Runs the service with these arguments until it exits by itself (at most 30 s); returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(params string[] extraArguments)
    {
        await using PricingServiceProcess service = Launch(FreeLoopbackPort(), extraArguments);
        using var timeout = new CancellationTokenSource(StartTimeout);
        await service._process.WaitForExitAsync(timeout.Token);
        return (service._process.ExitCode, service.Output);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
        catch (OperationCanceledException)
        {
            // Killed but slow to go: nothing more to do here.
        }

        _process.Dispose();
    }

    private static PricingServiceProcess Launch(int port, string[] extraArguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        string dll = FindServiceDll();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (string argument in extraArguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        foreach (string inherited in start.Environment.Keys.Where(k => k.StartsWith("OTEL_", StringComparison.Ordinal) || k.StartsWith("DD_", StringComparison.Ordinal) || k == "ENV").ToArray())
        {
            start.Environment.Remove(inherited); // only what the test sets
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var service = new PricingServiceProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"PricingService exited with code {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using HttpResponseMessage response = await probe.GetAsync("health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow to answer: ask again.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"PricingService did not answer /health within {StartTimeout.TotalSeconds} s:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// The sample's own build output (built before the tests, as a project reference), with its appsettings.json;
    /// the copy next to the tests otherwise.
    /// </summary>
    private static string FindServiceDll()
    {
        string configuration = typeof(PricingServiceProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "samples", "PricingService", "bin", configuration, "net10.0", "PricingService.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        string besideTests = Path.Combine(AppContext.BaseDirectory, "PricingService.dll");
        return File.Exists(besideTests)
            ? besideTests
            : throw new FileNotFoundException("PricingService.dll not found: build samples/PricingService first.");
    }
}
