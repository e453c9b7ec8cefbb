using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using ParquetSharp;
using ModelMonitoring.Tests.Shared;

namespace ModelMonitoring.Cli.Tests;

/// <summary>
/// The native build of docs/mlmon.md ("A native build"): <c>dotnet publish src/ModelMonitoring.Cli -r RID
/// -p:MlmonNative=true</c> writes mlmon as one Native AOT executable. Trimming and ahead-of-time compilation can break
/// what reflection or generated code reaches only at run time, and no other test runs that build, so this one runs it
/// over every input format and the main commands, and asks for the very output the JIT-compiled mlmon gives in process.
/// The build goes to a folder of its own; nothing in the repository's bin/obj is written.
/// </summary>
public sealed class NativeBuildTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public async Task The_native_build_gives_the_output_of_the_jit_build_for_every_format_and_command()
    {
        string output = Path.Combine(dir.Path, "native");
        (int published, string publishOutput) = await ChildProcess.DotnetAsync(
            RepoPaths.RepositoryRoot,
            "publish", "src/ModelMonitoring.Cli", "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "-p:MlmonNative=true", "-o", output,
            "-p:UseArtifactsOutput=true", "-p:ArtifactsPath=" + Path.Combine(dir.Path, "artifacts"), "-nologo", "-nodeReuse:false");
        Assert.True(published == 0, "dotnet publish -p:MlmonNative=true failed:\n" + publishOutput);
        string mlmon = Path.Combine(output, OperatingSystem.IsWindows() ? "mlmon.exe" : "mlmon");
        Assert.False(File.Exists(Path.Combine(output, "mlmon.dll")), "a native build has no managed entry assembly");

        string referenceCsv = dir.Write("reference.csv", Csv(seed: 1, shift: 0));
        string currentCsv = dir.Write("current.csv", Csv(seed: 2, shift: 3));
        string referenceParquet = Parquet("reference.parquet", seed: 1, shift: 0);
        string currentParquet = Parquet("current.parquet", seed: 2, shift: 3);
        string referenceLines = dir.Write("reference.jsonl", JsonLines(seed: 1, shift: 0));
        string currentLines = dir.Write("current.jsonl", JsonLines(seed: 2, shift: 3));
        string baseline = dir.File_("reference.baseline.json");
        (int built, _, string builtErr) = await ChildProcess.RunAsync(mlmon, dir.Path, "baseline", referenceCsv, "--out", baseline);
        Assert.True(built == 0, builtErr);

        string[][] commands =
        [
            ["drift", "-r", referenceCsv, "-c", currentCsv, "-f", "json"],
            ["drift", "-r", referenceCsv, "-c", currentCsv, "-f", "json", "--method", "anderson", "--categorical", "rooms"],
            ["drift", "-r", referenceParquet, "-c", currentParquet, "-f", "json"],
            ["drift", "-r", referenceLines, "-c", currentLines, "-f", "json"],
            ["drift", "-r", baseline, "-c", currentCsv, "-f", "json"],
            ["drift", "-r", baseline, "-c", currentParquet, "-f", "json"],
            ["drift", "-r", referenceCsv, "-c", currentCsv, "-f", "table"],
            ["drift", "-r", referenceCsv, "-c", currentCsv, "-f", "html"],
            ["outliers", "--train", referenceCsv, "--score", currentCsv, "--seed", "3"],
            ["drift", "-r", referenceCsv, "-c", dir.Write("bad.csv", "price,rooms,region,when\n1.5,2,north,2024-01-01\n2.5,3\n")],
        ];
        foreach (string[] command in commands)
        {
            (int code, string stdout, string stderr) = await ChildProcess.RunAsync(mlmon, dir.Path, command);
            (int expectedCode, string expectedStdout, string expectedStderr) = await CliRunner.RunAsync(command);
            string what = string.Join(' ', command);
            Assert.True(expectedCode == code, $"{what}: exit {code}, the JIT build {expectedCode}: {stderr}");
            Assert.True(expectedStdout == stdout, $"{what}: the native build printed\n{stdout}\nthe JIT build\n{expectedStdout}");
            Assert.True(expectedStderr == stderr, $"{what}: the native build's errors\n{stderr}\nthe JIT build's\n{expectedStderr}");
        }

        (int exported, _, string exportError) = await ChildProcess.RunAsync(mlmon, dir.Path, "export", "prometheus-rules", "--assembly", mlmon);
        Assert.Equal(2, exported);
        Assert.Contains("this native build of mlmon cannot do", exportError, StringComparison.Ordinal);
        (int alertmanager, string config, string alertmanagerError) = await ChildProcess.RunAsync(mlmon, dir.Path, "export", "alertmanager-config");
        Assert.True(alertmanager == 0, alertmanagerError);
        Assert.Contains("receivers:", config, StringComparison.Ordinal);
    }

    private static (double Price, int Rooms, string? Region, bool Flag, DateTime When, decimal Fee)[] Rows(int seed, double shift)
    {
        var rng = new Random(seed);
        string[] regions = ["north", "south", "east", "west"];
        return Enumerable.Range(0, 600).Select(i => (
            Math.Round(100 + (rng.NextDouble() * 20) + shift, 3),
            1 + (i % 5),
            i % 17 == 0 ? null : regions[(i + (int)shift) % regions.Length],
            i % 3 == 0,
            new DateTime(2024, 1, 1).AddDays(i % 20),
            Math.Round((decimal)(rng.NextDouble() * 50), 2))).ToArray();
    }

    private static string Csv(int seed, double shift)
    {
        var text = new StringBuilder("price,rooms,region,flag,when,fee\n");
        foreach (var row in Rows(seed, shift))
        {
            text.Append(CultureInfo.InvariantCulture, $"{row.Price:R},{row.Rooms},{row.Region},{(row.Flag ? "True" : "False")},{row.When:yyyy-MM-dd},{row.Fee}\n");
        }

        return text.ToString();
    }

    private static string JsonLines(int seed, double shift) =>
        string.Concat(Rows(seed, shift).Select(row => string.Create(CultureInfo.InvariantCulture,
            $"{{\"price\": {row.Price:R}, \"rooms\": {row.Rooms}, \"region\": {(row.Region is null ? "null" : $"\"{row.Region}\"")}, \"flag\": {(row.Flag ? "true" : "false")}, \"fee\": {row.Fee}}}\n")));

    private string Parquet(string name, int seed, double shift)
    {
        var rows = Rows(seed, shift);
        string path = dir.File_(name);
        var columns = new Column[]
        {
            new Column<double>("price"), new Column<int>("rooms"), new Column<string>("region"), new Column<bool>("flag"),
            new Column<DateTime>("when", LogicalType.Timestamp(false, TimeUnit.Micros)), new Column<decimal?>("fee", LogicalType.Decimal(10, 2)),
            new Column<long?>("views"), new Column<Half>("ratio"), new Column<Date>("day"),
        };
        using var file = new ParquetFileWriter(path, columns);
        using (RowGroupWriter group = file.AppendRowGroup())
        {
            using (var w = group.NextColumn().LogicalWriter<double>()) w.WriteBatch(rows.Select(r => r.Price).ToArray());
            using (var w = group.NextColumn().LogicalWriter<int>()) w.WriteBatch(rows.Select(r => r.Rooms).ToArray());
            using (var w = group.NextColumn().LogicalWriter<string?>()) w.WriteBatch(rows.Select(r => r.Region).ToArray());
            using (var w = group.NextColumn().LogicalWriter<bool>()) w.WriteBatch(rows.Select(r => r.Flag).ToArray());
            using (var w = group.NextColumn().LogicalWriter<DateTime>()) w.WriteBatch(rows.Select(r => r.When).ToArray());
            using (var w = group.NextColumn().LogicalWriter<decimal?>()) w.WriteBatch(rows.Select((r, i) => i % 11 == 0 ? null : (decimal?)r.Fee).ToArray());
            using (var w = group.NextColumn().LogicalWriter<long?>()) w.WriteBatch(rows.Select((r, i) => i % 7 == 0 ? null : (long?)(r.Rooms * 1000L)).ToArray());
            using (var w = group.NextColumn().LogicalWriter<Half>()) w.WriteBatch(rows.Select(r => (Half)(r.Price / 10)).ToArray());
            using (var w = group.NextColumn().LogicalWriter<Date>()) w.WriteBatch(rows.Select(r => new Date(r.When)).ToArray());
        }

        file.Close();
        return path;
    }
}
