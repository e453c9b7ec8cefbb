using System.IO.Compression;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using ModelMonitoring.Tests.Shared;

namespace ModelMonitoring.Cli.Tests;

/// <summary>
/// The commands of docs/mlmon.md ("Install") from a clone: <c>dotnet pack</c> the CLI to a folder, then
/// <c>dotnet tool install --tool-path ... --add-source ...</c>, then run the installed <c>mlmon</c>. The pack builds in a
/// folder of its own (nothing in the repository's bin/obj is written) with a version no other build uses, whose NuGet
/// cache entry is removed afterwards.
/// </summary>
public sealed class ToolPackageTests : IDisposable
{
    private readonly string version = "0.0.1-tooltest." + Guid.NewGuid().ToString("N")[..12];
    private readonly TempDir dir = new();

    public void Dispose()
    {
        // The package users name and the per-platform packages it points to.
        string packages = GlobalPackages();
        IEnumerable<string> ids = Directory.Exists(packages) ? Directory.GetDirectories(packages, "modelmonitoring.cli*") : [];
        foreach (string cached in ids.Select(id => Path.Combine(id, version)).Where(Directory.Exists))
        {
            try
            {
                Directory.Delete(cached, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        dir.Dispose();
    }

    [Fact]
    public async Task Mlmon_packs_as_a_dotnet_tool_installs_to_a_tool_path_and_runs()
    {
        string feed = Path.Combine(dir.Path, "feed");
        string tools = Path.Combine(dir.Path, "tools");

        (int packed, string packOutput) = await ChildProcess.DotnetAsync(
            RepoPaths.RepositoryRoot,
            "pack", "src/ModelMonitoring.Cli", "-c", "Release", "-o", feed, "-p:PackageVersion=" + version,
            "-p:UseArtifactsOutput=true", "-p:ArtifactsPath=" + Path.Combine(dir.Path, "artifacts"), "-nologo", "-nodeReuse:false");
        Assert.True(packed == 0, "dotnet pack failed:\n" + packOutput);
        // The package users name lists one package per platform; each holds mlmon precompiled (ReadyToRun) for its
        // platform, and "any" holds the portable, JIT-compiled build for the rest.
        string[] platforms = ["linux-x64", "linux-arm64", "osx-arm64", "win-x64", "any"];
        string settings = await ReadEntryAsync(Path.Combine(feed, $"ModelMonitoring.Cli.{version}.nupkg"), "DotnetToolSettings.xml");
        Assert.Contains("<Command Name=\"mlmon\"", settings);
        foreach (string platform in platforms)
        {
            Assert.Contains($"<RuntimeIdentifierPackage RuntimeIdentifier=\"{platform}\" Id=\"ModelMonitoring.Cli.{platform}\"", settings);
            string platformPackage = Path.Combine(feed, $"ModelMonitoring.Cli.{platform}.{version}.nupkg");
            Assert.True(File.Exists(platformPackage), $"no package for {platform} in {feed}");
            Assert.Equal(platform != "any", IsReadyToRun(await ReadEntryBytesAsync(platformPackage, $"tools/net10.0/{platform}/mlmon.dll")));
        }

        (int installed, string installOutput) = await ChildProcess.DotnetAsync(
            dir.Path, "tool", "install", "--tool-path", tools, "--add-source", feed, "ModelMonitoring.Cli", "--version", version);
        Assert.True(installed == 0, "dotnet tool install failed:\n" + installOutput);
        string installedFor = platforms.Contains(RuntimeInformation.RuntimeIdentifier) ? RuntimeInformation.RuntimeIdentifier : "any";
        string installedDll = Directory.GetFiles(Path.Combine(tools, ".store"), "mlmon.dll", SearchOption.AllDirectories).Single();
        Assert.Contains(Path.Combine($"modelmonitoring.cli.{installedFor}", version, "tools", "net10.0", installedFor), installedDll);
        Assert.Equal(installedFor != "any", IsReadyToRun(await File.ReadAllBytesAsync(installedDll)));

        string reference = dir.Write("ref.csv", "price,region\n" + string.Concat(Enumerable.Range(0, 300).Select(i => $"{i % 50}.5,{(i % 2 == 0 ? "north" : "south")}\n")));
        string current = dir.Write("cur.csv", "price,region\n" + string.Concat(Enumerable.Range(0, 300).Select(i => $"{(i % 50) + 30}.5,north\n")));
        (int code, string stdout, string stderr) = await ChildProcess.RunAsync(Path.Combine(tools, "mlmon"), dir.Path, "drift", "-r", reference, "-c", current, "--format", "json");

        Assert.True(code == 1, $"exit {code}: {stderr}");
        using JsonDocument report = JsonDocument.Parse(stdout);
        Assert.Equal(2, report.RootElement.GetProperty("dataset").GetProperty("drifted_columns").GetInt32());
    }

    private static async Task<string> ReadEntryAsync(string package, string nameEnd) =>
        Encoding.UTF8.GetString(await ReadEntryBytesAsync(package, nameEnd));

    private static async Task<byte[]> ReadEntryBytesAsync(string package, string nameEnd)
    {
        using ZipArchive zip = ZipFile.OpenRead(package);
        ZipArchiveEntry entry = zip.Entries.Single(e => e.FullName.EndsWith(nameEnd, StringComparison.Ordinal));
        using var bytes = new MemoryStream();
        await using (Stream stream = entry.Open())
        {
            await stream.CopyToAsync(bytes);
        }

        return bytes.ToArray();
    }

    /// <summary>Whether an assembly carries precompiled code: ReadyToRun images have a managed native header.</summary>
    private static bool IsReadyToRun(byte[] assembly)
    {
        using var reader = new PEReader(new MemoryStream(assembly));
        return reader.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }

    private static string GlobalPackages() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
