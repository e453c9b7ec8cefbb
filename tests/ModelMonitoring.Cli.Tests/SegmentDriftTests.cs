using System.Globalization;
using System.Text.Json;

namespace ModelMonitoring.Cli.Tests;

/// <summary>mlmon drift --segment: each segment of the current file against the same segment of the reference.</summary>
public sealed class SegmentDriftTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private (string Reference, string Current) Files()
    {
        var random = new Random(4);
        string Rows(int n, Func<string, double> shift) => string.Concat(Enumerable.Range(0, n).Select(i =>
        {
            string region = i % 2 == 0 ? "north" : "south";
            double price = (region == "north" ? 100 : 300) + shift(region) + (random.NextDouble() * 50);
            return string.Create(CultureInfo.InvariantCulture, $"{price:F3},{region},{(i % 3 == 0 ? "web" : "app")}\n");
        }));

        // The whole file would hide it: south moves by 40 while north stays put.
        return (dir.Write("ref.csv", "price,region,channel\n" + Rows(2000, _ => 0)),
                dir.Write("cur.csv", "price,region,channel\n" + Rows(2000, r => r == "south" ? 40 : 0)));
    }

    [Fact]
    public async Task Each_segment_is_compared_with_its_own_reference_and_the_drifted_one_sets_the_exit_code()
    {
        (string reference, string current) = Files();

        (int exit, string stdout, string stderr) = await CliRunner.RunAsync("drift", "-r", reference, "-c", current, "--segment", "region", "--format", "json");

        Assert.True(exit == 1, stderr);
        using JsonDocument output = JsonDocument.Parse(stdout);
        Assert.Equal("region", output.RootElement.GetProperty("segment_column").GetString());
        var segments = output.RootElement.GetProperty("segments").EnumerateArray().ToDictionary(s => s.GetProperty("segment").GetString()!);
        Assert.Equal(["north", "south"], segments.Keys);
        Assert.False(segments["north"].GetProperty("drift").GetBoolean());
        Assert.True(segments["south"].GetProperty("drift").GetBoolean());
        Assert.Equal(1000, segments["south"].GetProperty("current_rows").GetInt32());
        string southReport = segments["south"].GetProperty("report").GetRawText();
        Assert.Contains("\"price\"", southReport);
        Assert.DoesNotContain("\"region\"", southReport); // the segment column is not compared within its segments
    }

    [Fact]
    public async Task The_table_names_each_segment_and_bad_uses_are_errors()
    {
        (string reference, string current) = Files();

        (int exit, string table, _) = await CliRunner.RunAsync("drift", "-r", reference, "-c", current, "--segment", "region");
        (int e1, _, string noColumn) = await CliRunner.RunAsync("drift", "-r", reference, "-c", current, "--segment", "plan");
        (int e2, _, string html) = await CliRunner.RunAsync("drift", "-r", reference, "-c", current, "--segment", "region", "--format", "html");

        Assert.Equal(1, exit);
        Assert.Contains("== region = north: 1,000 reference rows, 1,000 current rows ==", table);
        Assert.Contains("1 of 2 segments of 'region' drifted.", table);
        Assert.Equal(2, e1);
        Assert.Contains("--segment: " + reference + " has no column 'plan'. Its columns are: price, region, channel.", noColumn);
        Assert.Equal(2, e2);
        Assert.Contains("--format: with --segment the report is table or json", html);
    }
}
