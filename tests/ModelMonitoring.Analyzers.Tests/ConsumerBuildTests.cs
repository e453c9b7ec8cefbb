using ModelMonitoring.Tests.Shared;
using System.Text.RegularExpressions;

namespace ModelMonitoring.Analyzers.Tests;

/// <summary>
/// Builds a real project with <c>dotnet build</c>, outside the solution, that references the analyzer as a user's
/// project does (an <c>Analyzer</c> item, which is what the package's analyzers/dotnet/cs folder becomes), and reads
/// the diagnostics from the build output.
/// </summary>
public sealed class ConsumerBuildTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mmon-analyzer-consumer-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Dotnet_build_reports_MMON001_and_MMON006_with_file_and_line()
    {
        Directory.CreateDirectory(_directory);

        // Nothing is inherited from the repository (its props turn on central package management and warnings as
        // errors), and nothing needs a package: the restore is offline and quick.
        File.WriteAllText(Path.Combine(_directory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(_directory, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(_directory, "Directory.Packages.props"), "<Project />\n");
        var analyzer = typeof(UnmonitoredModelAnalyzer).Assembly.Location;
        File.WriteAllText(Path.Combine(_directory, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                <InterceptorsNamespaces>$(InterceptorsNamespaces);ModelMonitoring.Generated</InterceptorsNamespaces>
              </PropertyGroup>
              <ItemGroup>
                <Analyzer Include="{analyzer}" />
              </ItemGroup>
            </Project>
            """);

        // The ModelMonitoring attributes, as the runtime library declares them.
        foreach (var file in TestEnvironment.AttributeSourceFiles)
        {
            File.Copy(file, Path.Combine(_directory, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(_directory, ".editorconfig"), """
            root = true

            [*.cs]
            dotnet_diagnostic.MMON007.severity = warning
            """);
        File.WriteAllText(Path.Combine(_directory, "Models.cs"), """
            using ModelMonitoring;

            namespace Consumer;

            public sealed class ChurnModel
            {
                public bool Predict(double tenure) => tenure > 3;
            }

            public sealed record PricingRequest(double Area, int Rooms, string CustomerEmail);

            [MonitoredModel("pricing")]
            public sealed class PricingModel
            {
                [DriftTracked]
                public double Predict(PricingRequest request) => request.Area * 2;
            }
            """);

        var (exitCode, output) = await RunAsync("dotnet", "build", "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-v:minimal");

        Assert.True(exitCode == 0, "dotnet build failed:\n" + output);
        var models = Regex.Escape(Path.Combine(_directory, "Models.cs"));
        AssertOutput(models + @"\(5,21\): warning MMON001: 'ChurnModel' looks like a machine-learning model", output);
        AssertOutput(models + @"\(10,68\): warning MMON006: Feature 'customer_email' looks like personal data", output);

        // Severity set in .editorconfig: MMON007 is info by default, a warning here.
        AssertOutput(models + @"\(10,68\): warning MMON007: String feature 'customer_email'", output);

        // Interception is enabled through InterceptorsNamespaces (the compiler's feature flag): no MMON008.
        Assert.DoesNotContain("MMON008", output, StringComparison.Ordinal);
    }

    private static void AssertOutput(string pattern, string output)
        => Assert.True(Regex.IsMatch(output, pattern), "Not found in the build output: " + pattern + "\n" + output);

    private async Task<(int ExitCode, string Output)> RunAsync(string fileName, params string[] arguments)
    {
        (int code, string stdout, string stderr) = await ChildProcess.RunAsync(fileName, _directory, new Dictionary<string, string>(), TimeSpan.FromMinutes(5), arguments);
        return (code, stdout + stderr);
    }
}
