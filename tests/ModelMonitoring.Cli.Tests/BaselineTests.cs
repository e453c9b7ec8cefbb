using System.Text.Json;

namespace ModelMonitoring.Cli.Tests;

/// <summary><c>mlmon baseline</c> and <c>mlmon drift</c> against a baseline profile (the sketch engine).</summary>
public sealed class BaselineTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private static string Golden(string name, string file) => Path.Combine(RepoPaths.GoldenDrift, name, file);

    [Theory]
    [InlineData("large_drift")]
    [InlineData("large_no_drift")]
    public async Task Baseline_then_drift_with_the_sketch_engine_agrees_with_the_golden_flags(string name)
    {
        string baseline = dir.File_("pricing.baseline.json");
        (int built, string builtOut, string builtErr) = await CliRunner.RunAsync("baseline", Golden(name, "reference.csv"), "--out", baseline);
        Assert.True(built == 0, builtErr);
        Assert.Contains("Baseline of 7 columns (5 numerical, 2 categorical) from 20,000 rows", builtOut);
        string text = File.ReadAllText(baseline);
        Assert.Contains("mlmon-baseline", text);
        Assert.True(new FileInfo(baseline).Length < new FileInfo(Golden(name, "reference.csv")).Length, "a profile, not the rows");

        (int code, string stdout, string stderr) = await CliRunner.RunAsync("drift", "--reference", baseline, "--current", Golden(name, "current.csv"), "--format", "json");

        Assert.True(stderr.Length == 0, stderr);
        using JsonDocument actual = JsonDocument.Parse(stdout);
        using JsonDocument expected = JsonDocument.Parse(File.ReadAllText(Golden(name, "expected.json")));
        Assert.Equal("sketch", actual.RootElement.GetProperty("engine").GetString());
        var e = expected.RootElement.GetProperty("columns").EnumerateArray().ToArray();
        var a = actual.RootElement.GetProperty("columns").EnumerateArray().ToArray();
        Assert.Equal(e.Select(c => c.GetProperty("name").GetString()), a.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(e.Select(c => c.GetProperty("method").GetString()), a.Select(c => c.GetProperty("method").GetString()));
        Assert.Equal(e.Select(c => c.GetProperty("drift").GetBoolean()), a.Select(c => c.GetProperty("drift").GetBoolean()));
        bool drift = expected.RootElement.GetProperty("dataset").GetProperty("drift").GetBoolean();
        Assert.Equal(drift ? 1 : 0, code);
    }

    [Fact]
    public async Task A_corrupt_baseline_is_an_input_error()
    {
        string baseline = dir.File_("b.baseline.json");
        await CliRunner.RunAsync("baseline", Golden("small_drift", "reference.csv"), "--out", baseline);
        string json = File.ReadAllText(baseline);
        File.WriteAllText(baseline, json[..(json.Length / 2)]); // truncated

        (int code, string stdout, string stderr) = await CliRunner.RunAsync("drift", "-r", baseline, "-c", Golden("small_drift", "current.csv"));

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains("b.baseline.json", stderr);
    }

    [Fact]
    public async Task A_baseline_of_other_columns_is_an_input_error_naming_the_column()
    {
        string baseline = dir.File_("b.baseline.json");
        string other = dir.Write("other.csv", "price,zone\n1,a\n2,b\n3,a\n");
        string current = dir.Write("cur.csv", "price,region\n1,a\n2,b\n");
        await CliRunner.RunAsync("baseline", other, "--out", baseline);

        (int code, _, string stderr) = await CliRunner.RunAsync("drift", "-r", baseline, "-c", current);

        Assert.Equal(2, code);
        Assert.Contains("'zone'", stderr);
    }

    [Fact]
    public async Task A_numerical_baseline_column_with_text_in_the_current_file_names_file_and_line()
    {
        string baseline = dir.File_("b.baseline.json");
        await CliRunner.RunAsync("baseline", dir.Write("train.csv", "price\n1\n2\n3\n"), "--out", baseline);
        string current = dir.Write("cur.csv", "price\n1\n2\ncheap\n");

        (int code, _, string stderr) = await CliRunner.RunAsync("drift", "-r", baseline, "-c", current);

        Assert.Equal(2, code);
        Assert.Contains("'price'", stderr);
        Assert.Contains("line 4", stderr);
        Assert.Contains("'cheap'", stderr);
    }

    [Fact]
    public async Task The_exact_engine_cannot_use_a_baseline_and_the_sketch_engine_needs_one()
    {
        string baseline = dir.File_("b.baseline.json");
        await CliRunner.RunAsync("baseline", Golden("small_drift", "reference.csv"), "--out", baseline);

        (int exact, _, string exactErr) = await CliRunner.RunAsync("drift", "-r", baseline, "-c", Golden("small_drift", "current.csv"), "--engine", "exact");
        (int sketch, _, string sketchErr) = await CliRunner.RunAsync("drift", "-r", Golden("small_drift", "reference.csv"), "-c", Golden("small_drift", "current.csv"), "--engine", "sketch");

        Assert.Equal(2, exact);
        Assert.Contains("--engine exact", exactErr);
        Assert.Equal(2, sketch);
        Assert.Contains("mlmon baseline", sketchErr);
    }

    [Fact]
    public async Task Html_report_against_a_baseline_has_histograms()
    {
        string baseline = dir.File_("b.baseline.json");
        await CliRunner.RunAsync("baseline", Golden("large_drift", "reference.csv"), "--out", baseline);

        (int code, string html, string stderr) = await CliRunner.RunAsync("drift", "-r", baseline, "-c", Golden("large_drift", "current.csv"), "--format", "html");

        Assert.True(code == 1, stderr);
        Assert.Equal(7, System.Text.RegularExpressions.Regex.Matches(html, "<svg ").Count);
    }

    [Fact]
    public async Task A_column_the_baseline_holds_as_labels_keeps_its_labels_as_written_in_the_current_file()
    {
        // Zip codes look like numbers; the baseline was told they are labels, so "01234" must not become 1234.
        string data = dir.Write("zips.csv", "zip,price\n" + string.Concat(Enumerable.Range(0, 400).Select(i => $"0{1000 + (i % 9)},{i % 50}.5\n")));
        string baseline = dir.File_("zips.baseline.json");
        (int built, _, string builtErr) = await CliRunner.RunAsync("baseline", data, "--out", baseline, "--categorical", "zip");
        Assert.True(built == 0, builtErr);

        (int code, string stdout, string stderr) = await CliRunner.RunAsync("drift", "-r", baseline, "-c", data, "-f", "json");

        Assert.True(code == 0, stderr);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        JsonElement zip = doc.RootElement.GetProperty("columns")[0];
        Assert.Equal("categorical", zip.GetProperty("type").GetString());
        Assert.False(zip.GetProperty("drift").GetBoolean());
        Assert.Equal("chisquare", zip.GetProperty("method").GetString());
        Assert.Equal(1, zip.GetProperty("score").GetDouble(), 12); // the same categories: "01000", not 1000
    }

    [Fact]
    public async Task A_corrupt_baseline_stops_the_read_of_the_current_file_and_is_the_error_reported()
    {
        string baseline = dir.Write("bad.baseline.json", "{ not json");
        string current = dir.Write("big.csv", "a,b\n" + string.Concat(Enumerable.Range(0, 200_000).Select(i => $"{i}.5,r{i % 7}\n")));

        (int code, _, string stderr) = await CliRunner.RunAsync("drift", "-r", baseline, "-c", current);

        Assert.Equal(2, code);
        Assert.Contains("bad.baseline.json", stderr);
        Assert.DoesNotContain("cancel", stderr, StringComparison.OrdinalIgnoreCase);
    }
}
