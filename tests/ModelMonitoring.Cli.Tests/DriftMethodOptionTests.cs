using System.Text.Json;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Cli.Tests;

/// <summary><c>mlmon drift --method NAME</c> for every Evidently method, the help that lists them, and the opt-in decisions.</summary>
public sealed class DriftMethodOptionTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public async Task Help_lists_every_method_name()
    {
        (int code, string stdout, _) = await CliRunner.RunAsync("drift", "--help");
        Assert.Equal(0, code);
        string help = string.Join(' ', stdout.Split((char[])['\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries));
        foreach (string name in StatTests.Names)
        {
            Assert.Contains(name, help, StringComparison.Ordinal);
        }

        Assert.Contains("--min-effect-size", help, StringComparison.Ordinal);
        Assert.Contains("--chunk-thresholds", help, StringComparison.Ordinal);
    }

    public static TheoryData<string> Methods() => [.. StatTests.Names];

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task Every_method_runs_under_its_Evidently_name(string method)
    {
        // A numerical and a binary categorical column, so that every method applies to one of them.
        string header = "price,plan\n";
        string reference = dir.Write($"ref-{method}.csv", header + string.Concat(Enumerable.Range(0, 60).Select(i => $"{(i * 7) % 23}.5,{(i % 3 == 0 ? "gold" : "basic")}\n")));
        string current = dir.Write($"cur-{method}.csv", header + string.Concat(Enumerable.Range(0, 50).Select(i => $"{((i * 5) % 29) + 3}.25,{(i % 2 == 0 ? "gold" : "basic")}\n")));
        string output = Path.Combine(dir.Path, $"report-{method}.json");

        (int code, _, string stderr) = await CliRunner.RunAsync("drift", "-r", reference, "-c", current, "--method", method, "--output", output);

        Assert.True(code is 0 or 1, stderr);
        using JsonDocument report = JsonDocument.Parse(await File.ReadAllTextAsync(output));
        string[] methods = report.RootElement.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("method").GetString()!).ToArray();
        Assert.Contains(method, methods);
    }

    [Fact]
    public async Task A_minimum_effect_size_vetoes_drift_and_a_bad_one_names_the_option()
    {
        string header = "x\n";
        string reference = dir.Write("ref.csv", header + string.Concat(Enumerable.Range(0, 900).Select(i => $"{i % 300}\n")));
        string current = dir.Write("cur.csv", header + string.Concat(Enumerable.Range(0, 900).Select(i => $"{(i % 300) + 20}\n")));

        (int drifted, _, _) = await CliRunner.RunAsync("drift", "-r", reference, "-c", current, "--method", "ks");
        (int vetoed, _, string stderr) = await CliRunner.RunAsync("drift", "-r", reference, "-c", current, "--method", "ks", "--min-effect-size", "ks=0.2");
        Assert.Equal(1, drifted);
        Assert.Equal(0, vetoed);
        Assert.Empty(stderr);

        (int bad, _, string error) = await CliRunner.RunAsync("drift", "-r", reference, "-c", current, "--min-effect-size", "kolmogorov=0.1");
        Assert.Equal(2, bad);
        Assert.Contains("--min-effect-size", error, StringComparison.Ordinal);
    }
}
