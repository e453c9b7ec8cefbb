using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ModelMonitoring.Package.Tests;

/// <summary>
/// Packs ModelMonitoring and ModelMonitoring.AspNetCore to a temporary feed with a version used nowhere else, then
/// builds and runs a fresh console project outside the solution that references ModelMonitoring by that version:
/// the package alone must bring the runtime, the generator (calls are intercepted and counted), the analyzer and the
/// interceptors namespace.
/// </summary>
public sealed class PackageTests : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    // A version no other build uses, so a stale package in the NuGet cache is never picked up; its cache entries are
    // removed afterwards.
    private readonly string _version = "0.0.1-packagetest." + Guid.NewGuid().ToString("N")[..12];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mmon-package-" + Guid.NewGuid().ToString("N"));

    private string Feed => Path.Combine(_root, "feed");

    private string Consumer => Path.Combine(_root, "consumer");

    private string WebConsumer => Path.Combine(_root, "web-consumer");

    public void Dispose()
    {
        foreach (var id in new[] { "modelmonitoring", "modelmonitoring.aspnetcore", "modelmonitoring.statistics" })
        {
            var idFolder = Path.Combine(DotnetCli.GlobalPackagesFolder, id);
            TryDelete(Path.Combine(idFolder, _version.ToLowerInvariant()));
            if (Directory.Exists(idFolder) && !Directory.EnumerateFileSystemEntries(idFolder).Any())
            {
                TryDelete(idFolder);
            }
        }

        TryDelete(_root);
    }

    [Fact]
    public async Task A_fresh_project_referencing_the_package_is_monitored_and_analyzed()
    {
        Directory.CreateDirectory(Feed);
        await PackAsync("src/ModelMonitoring.Statistics/ModelMonitoring.Statistics.csproj");
        await PackAsync("src/ModelMonitoring/ModelMonitoring.csproj");
        await PackAsync("src/ModelMonitoring.AspNetCore/ModelMonitoring.AspNetCore.csproj");

        AssertPackageLayout();
        AssertAspNetCoreDependsOnModelMonitoring();

        WriteConsumer();
        var (buildExit, buildOutput) = await DotnetCli.RunAsync(
            Consumer, CommandTimeout, "build", "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-v:minimal");
        Assert.True(buildExit == 0, "The consumer did not build:\n" + buildOutput);

        // The analyzer came with the package.
        var program = Regex.Escape(Path.Combine(Consumer, "Program.cs"));
        Assert.True(
            Regex.IsMatch(buildOutput, program + @"\(\d+,\d+\): warning MMON001: 'UnwatchedChurnModel'"),
            "MMON001 is missing from the consumer's build output:\n" + buildOutput);
        Assert.DoesNotContain("MMON008", buildOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("MMON005", buildOutput, StringComparison.Ordinal);

        var (runExit, runOutput) = await DotnetCli.RunAsync(
            Consumer, CommandTimeout, "exec", Path.Combine(Consumer, "bin", "Debug", "net10.0", "Consumer.dll"));
        Assert.True(runExit == 0, "The consumer failed:\n" + runOutput);

        // Three calls of Predict were intercepted and two delegate calls of the partial Score went through its
        // generated body: counted by the generated code and read from the meter.
        var lines = runOutput.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains("predictions=3", lines);
        Assert.Contains("partial=2", lines);
        Assert.Contains("durations=5", lines);
        Assert.Contains("registered=True", lines);

        await AssertDependencyInjectionPatternIsCountedAsync();
    }

    /// <summary>
    /// The ASP.NET Core pattern: a minimal API whose handler gets <c>IPricingModel</c> from dependency injection. The call is
    /// through the interface; the generated interceptor tests the receiver's type, so every request is counted exactly.
    /// </summary>
    private async Task AssertDependencyInjectionPatternIsCountedAsync()
    {
        WriteWebConsumer();
        var (buildExit, buildOutput) = await DotnetCli.RunAsync(
            WebConsumer, CommandTimeout, "build", "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-v:minimal");
        Assert.True(buildExit == 0, "The web consumer did not build:\n" + buildOutput);
        Assert.DoesNotContain("warning MMON", buildOutput, StringComparison.Ordinal);

        var (runExit, runOutput) = await DotnetCli.RunAsync(
            WebConsumer, CommandTimeout, "exec", Path.Combine(WebConsumer, "bin", "Debug", "net10.0", "WebConsumer.dll"));
        Assert.True(runExit == 0, "The web consumer failed:\n" + runOutput);
        var lines = runOutput.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains("responses=4", lines);
        Assert.Contains("predictions=4", lines);
        Assert.Contains("errors=1", lines);
    }

    private void WriteWebConsumer()
    {
        Directory.CreateDirectory(WebConsumer);
        File.WriteAllText(Path.Combine(WebConsumer, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(WebConsumer, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(WebConsumer, "Directory.Packages.props"), "<Project />\n");
        File.Copy(Path.Combine(Consumer, "nuget.config"), Path.Combine(WebConsumer, "nuget.config"));
        File.WriteAllText(Path.Combine(WebConsumer, "WebConsumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ModelMonitoring" Version="{_version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(WebConsumer, "Program.cs"), """
            using System.Diagnostics.Metrics;
            using Microsoft.AspNetCore.Hosting.Server;
            using Microsoft.AspNetCore.Hosting.Server.Features;
            using ModelMonitoring;

            long predictions = 0;
            long errors = 0;
            using var listener = new MeterListener();
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "ModelMonitoring" && instrument.Name == "ml.model.predictions")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? model = null;
                string? outcome = null;
                foreach (var tag in tags)
                {
                    model = tag.Key == "model" ? (string?)tag.Value : model;
                    outcome = tag.Key == "outcome" ? (string?)tag.Value : outcome;
                }

                if (model == "pricing-api" && outcome == "success")
                {
                    predictions += value;
                }
                else if (model == "pricing-api" && outcome == "error")
                {
                    errors += value;
                }
            });
            listener.Start();

            var builder = WebApplication.CreateBuilder(args);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<IPricingModel, PricingModel>();
            var app = builder.Build();
            app.MapPost("/predict", (PricingRequest request, IPricingModel model) => model.Predict(request));
            await app.StartAsync();

            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var client = new HttpClient { BaseAddress = new Uri(address) };
            int responses = 0;
            for (var i = 0; i < 4; i++)
            {
                var response = await client.PostAsJsonAsync("/predict", new PricingRequest(80 + i, 3));
                responses += response.IsSuccessStatusCode ? 1 : 0;
            }

            // A failing prediction (the model throws on a negative area) is counted as an error, and the request fails.
            var failed = await client.PostAsJsonAsync("/predict", new PricingRequest(-1, 3));
            await app.StopAsync();

            ModelMonitoringRuntime.Current.Flush();
            listener.RecordObservableInstruments();
            Console.WriteLine($"responses={responses}");
            Console.WriteLine($"predictions={predictions}");
            Console.WriteLine($"errors={errors}");
            Console.WriteLine($"failed-status={(int)failed.StatusCode}");

            public interface IPricingModel
            {
                PriceQuote Predict(PricingRequest request);
            }

            [MonitoredModel("pricing-api", Version = "2.0.0")]
            public sealed class PricingModel : IPricingModel
            {
                [DriftTracked]
                public PriceQuote Predict(PricingRequest request)
                    => request.Area > 0 ? new PriceQuote(request.Area * 1000 + request.Rooms) : throw new ArgumentOutOfRangeException(nameof(request));
            }

            public sealed record PricingRequest(double Area, int Rooms);

            public sealed record PriceQuote(double Price);
            """);
    }

    private async Task PackAsync(string project)
    {
        var (exitCode, output) = await DotnetCli.RunAsync(
            DotnetCli.RepositoryRoot,
            CommandTimeout,
            "pack",
            project,
            "-c",
            "Release",
            "-o",
            Feed,
            "-p:PackageVersion=" + _version,

            // Built in a folder of its own: a fresh build, and nothing in the repository's bin/ and obj/ (which other
            // builds and tests use at the same time) is written.
            "-p:UseArtifactsOutput=true",
            "-p:ArtifactsPath=" + Path.Combine(_root, "artifacts"),
            "-nologo",
            "-nodeReuse:false");
        Assert.True(exitCode == 0, $"dotnet pack {project} failed:\n{output}");
    }

    private void AssertPackageLayout()
    {
        using var package = ZipFile.OpenRead(Path.Combine(Feed, $"ModelMonitoring.{_version}.nupkg"));
        var entries = package.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("lib/net10.0/ModelMonitoring.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/ModelMonitoring.Generators.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/ModelMonitoring.Analyzers.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/ModelMonitoring.Analyzers.CodeFixes.dll", entries);
        Assert.Contains("build/ModelMonitoring.props", entries);
        Assert.Contains("buildTransitive/ModelMonitoring.props", entries);

        // The Roslyn components are not in lib/ and are not package dependencies; the statistics are a package of their own.
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Generators", StringComparison.Ordinal));
        Assert.DoesNotContain("lib/net10.0/ModelMonitoring.Statistics.dll", entries);
        var dependencies = ReadNuspec(package).Descendants().Where(e => e.Name.LocalName == "dependency").ToList();
        var ids = dependencies.Select(e => (string)e.Attribute("id")!).ToList();
        Assert.DoesNotContain(ids, d => d.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal));
        Assert.Equal(["ModelMonitoring.Statistics"], ids.Where(d => d.StartsWith("ModelMonitoring", StringComparison.Ordinal)));
        Assert.Equal(_version, (string?)dependencies.Single(e => (string?)e.Attribute("id") == "ModelMonitoring.Statistics").Attribute("version"));

        // The statistics package stands alone: the library and MathNet.Numerics, nothing of the runtime.
        using var statistics = ZipFile.OpenRead(Path.Combine(Feed, $"ModelMonitoring.Statistics.{_version}.nupkg"));
        Assert.Contains("lib/net10.0/ModelMonitoring.Statistics.dll", statistics.Entries.Select(e => e.FullName));
        Assert.Equal(["MathNet.Numerics"], ReadNuspec(statistics).Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (string)e.Attribute("id")!));
    }

    private void AssertAspNetCoreDependsOnModelMonitoring()
    {
        using var package = ZipFile.OpenRead(Path.Combine(Feed, $"ModelMonitoring.AspNetCore.{_version}.nupkg"));
        var dependency = ReadNuspec(package).Descendants()
            .Single(e => e.Name.LocalName == "dependency" && (string?)e.Attribute("id") == "ModelMonitoring");
        Assert.Equal(_version, (string?)dependency.Attribute("version"));

        // Nothing of ModelMonitoring is excluded: the generator, analyzer and props reach AspNetCore's users too.
        Assert.Null(dependency.Attribute("exclude"));
    }

    private static XDocument ReadNuspec(ZipArchive package)
    {
        using var stream = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return XDocument.Load(stream);
    }

    private void WriteConsumer()
    {
        Directory.CreateDirectory(Consumer);

        // Nothing is inherited from above: no Directory.Build.props, no central package management.
        File.WriteAllText(Path.Combine(Consumer, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(Consumer, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(Consumer, "Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(Consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(Consumer, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ModelMonitoring" Version="{_version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(Consumer, "Program.cs"), """
            using System.Diagnostics.Metrics;
            using ModelMonitoring;

            long predictions = 0;
            long partialPredictions = 0;
            long durations = 0;
            using var listener = new MeterListener();
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "ModelMonitoring"
                    && instrument.Name is "ml.model.predictions" or "ml.model.prediction.duration")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "model" && (string?)tag.Value == "pricing")
                    {
                        predictions += value;
                    }
                    else if (tag.Key == "model" && (string?)tag.Value == "scoring")
                    {
                        partialPredictions += value;
                    }
                }
            });
            listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref durations));
            listener.Start();

            var model = new PricingModel();
            for (var i = 0; i < 3; i++)
            {
                model.Predict(new PricingRequest(80 + i, 3, "north"));
            }

            // Partial mode: the generated body monitors every use, a delegate too (the shape MMON005's fix produces).
            Func<double, double> score = new ScoringModel().Score;
            score(1);
            score(2);

            // Predictions are folded in the background; make them visible, then read the observable counter once.
            ModelMonitoringRuntime.Current.Flush();
            listener.RecordObservableInstruments();
            Console.WriteLine($"predictions={predictions}");
            Console.WriteLine($"partial={partialPredictions}");
            Console.WriteLine($"durations={Interlocked.Read(ref durations)}");
            Console.WriteLine($"registered={ModelMonitor.TryGet("pricing", out _)}");

            [MonitoredModel("pricing", Version = "1.0.0")]
            public sealed class PricingModel
            {
                [DriftTracked]
                public double Predict(PricingRequest request) => request.Area * 1000 + request.Rooms;
            }

            public sealed record PricingRequest(double Area, int Rooms, [property: Feature(MaxCategories = 10)] string Region);

            [MonitoredModel("scoring")]
            public sealed partial class ScoringModel
            {
                [DriftTracked]
                public partial double Score(double x);

                private double ScoreCore(double x) => x * 2;
            }

            public sealed class UnwatchedChurnModel
            {
                public bool Predict(double tenure) => tenure > 3;
            }
            """);
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
