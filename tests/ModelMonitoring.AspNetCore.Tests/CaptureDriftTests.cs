using System.Diagnostics;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;

namespace ModelMonitoring.AspNetCore.Tests;

/// <summary>
/// The batch job the capture is for: yesterday's capture of PricingService becomes a baseline (<c>mlmon baseline</c>),
/// and today's capture is compared with it (<c>mlmon drift --current</c>), both files as the service wrote them.
/// </summary>
public sealed class CaptureDriftTests
{
    [Fact]
    public async Task A_day_of_captured_predictions_is_compared_with_a_baseline_by_mlmon()
    {
        string root = Path.Combine(Path.GetTempPath(), "mm-capture-drift-" + Guid.NewGuid().ToString("N"));
        try
        {
            string yesterday = await CaptureAsync(Path.Combine(root, "yesterday"), shifted: false);
            string today = await CaptureAsync(Path.Combine(root, "today"), shifted: true); // bigger, newer, farther homes, from the east
            string sameAsYesterday = await CaptureAsync(Path.Combine(root, "calm"), shifted: false);
            string baseline = Path.Combine(root, "pricing.baseline.json");

            (int built, string _, string builtError) = await MlmonAsync("baseline", yesterday, "--out", baseline);
            Assert.True(built == 0, builtError);

            (int drifted, string report, string error) = await MlmonAsync("drift", "--reference", baseline, "--current", today, "--format", "json");
            Assert.True(drifted == 1, $"exit {drifted}: {error}");
            using JsonDocument json = JsonDocument.Parse(report);
            Assert.True(json.RootElement.GetProperty("dataset").GetProperty("drift").GetBoolean());
            string columns = json.RootElement.ToString();
            Assert.Contains("\"area\"", columns, StringComparison.Ordinal);
            Assert.Contains("\"prediction.price\"", columns, StringComparison.Ordinal);
            Assert.DoesNotContain("customer_email", columns, StringComparison.Ordinal);

            (int calm, string _, string calmError) = await MlmonAsync("drift", "--reference", baseline, "--current", sameAsYesterday);
            Assert.True(calm == 0, $"exit {calm}: {calmError}");
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    /// <summary>Runs PricingService with the capture on, posts 200 predictions, and returns the capture file.</summary>
    private static async Task<string> CaptureAsync(string folder, bool shifted)
    {
        await using (PricingServiceProcess service = await PricingServiceProcess.StartAsync(
            "--ModelMonitoring:Capture:Enabled=true", "--ModelMonitoring:Capture:Directory=" + folder))
        {
            for (int i = 0; i < 200; i++)
            {
                using HttpResponseMessage response = await service.Client.PostAsJsonAsync("predict", new
                {
                    area = (shifted ? 160 : 60) + (i % 60),
                    rooms = (shifted ? 5 : 1) + (i % 5),
                    region = shifted ? "East" : i % 2 == 0 ? "North" : "South",
                    isNew = i % 3 == 0,
                    yearBuilt = (shifted ? 2000 : 1960) + (i % 25),
                    distanceToCenterKm = (shifted ? 30 : 0) + ((i % 40) / 2.0),
                    floorLevel = (shifted ? 10 : 0) + (i % 8),
                    energyRating = "ABCDEFG"[i % 7].ToString(),
                    channel = i % 4 == 0 ? "app" : "web",
                    customerEmail = $"customer{i}@example.com",
                });
                response.EnsureSuccessStatusCode();
            }

            for (int attempt = 0; attempt < 100 && Lines(folder) < 200; attempt++)
            {
                await Task.Delay(100);
            }
        }

        Assert.Equal(200, Lines(folder));
        return Assert.Single(Directory.GetFiles(Path.Combine(folder, "pricing"), "*.jsonl"));
    }

    private static int Lines(string folder)
    {
        string models = Path.Combine(folder, "pricing");
        return Directory.Exists(models) ? Directory.GetFiles(models, "*.jsonl").Sum(f => File.ReadAllLines(f).Length) : 0;
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> MlmonAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(MlmonDll());
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string MlmonDll()
    {
        string configuration = typeof(CaptureDriftTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "src", "ModelMonitoring.Cli", "bin", configuration, "net10.0", "mlmon.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("mlmon.dll not found: build src/ModelMonitoring.Cli first.");
    }
}
