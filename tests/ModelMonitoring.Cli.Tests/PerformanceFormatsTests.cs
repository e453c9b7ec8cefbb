using System.Globalization;
using System.Text;
using System.Text.Json;
using ParquetSharp;

namespace ModelMonitoring.Cli.Tests;

/// <summary>
/// <c>mlmon performance</c>, <c>estimate</c> and <c>changes</c> over Parquet and JSON lines, read by the readers
/// <c>drift</c> uses: the scikit-learn fixtures of tests/data/performance, rewritten here in each format (labels as
/// strings, scores and values as doubles, 0/1 columns as integers), give the same figures as the CSV (metrics to 1e-9
/// of scikit-learn's).
/// </summary>
public sealed class PerformanceFormatsTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private static string Fixture(string file) => PerformanceFixtures.Fixture(file);

    private static JsonElement Expected(string fixture) => PerformanceFixtures.Expected(fixture);

    /// <summary>A fixture's columns (no quoting in them): numbers where every cell is one, else text.</summary>
    private static List<(string Name, string[] Cells, bool Integer, bool Number)> Columns(string fixture)
    {
        string[] lines = File.ReadAllLines(Fixture(fixture));
        string[] header = lines[0].Split(',');
        string[][] rows = [.. lines.Skip(1).Select(l => l.Split(','))];
        return [.. header.Select((name, c) =>
        {
            string[] cells = [.. rows.Select(r => r[c])];
            bool number = cells.All(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            bool integer = number && cells.All(v => long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out _));
            return (name, cells, integer, number);
        })];
    }

    private string WriteParquet(string fixture, string name)
    {
        var columns = Columns(fixture);
        string path = dir.File_(name);
        Column[] schema = [.. columns.Select(c => c.Integer ? new Column<long>(c.Name) : c.Number ? new Column<double>(c.Name) : (Column)new Column<string>(c.Name))];
        using (var file = new ParquetFileWriter(path, schema))
        {
            using RowGroupWriter group = file.AppendRowGroup();
            foreach (var column in columns)
            {
                if (column.Integer)
                {
                    using var w = group.NextColumn().LogicalWriter<long>();
                    w.WriteBatch([.. column.Cells.Select(v => long.Parse(v, CultureInfo.InvariantCulture))]);
                }
                else if (column.Number)
                {
                    using var w = group.NextColumn().LogicalWriter<double>();
                    w.WriteBatch([.. column.Cells.Select(v => double.Parse(v, CultureInfo.InvariantCulture))]);
                }
                else
                {
                    using var w = group.NextColumn().LogicalWriter<string>();
                    w.WriteBatch(column.Cells);
                }
            }

            file.Close();
        }

        return path;
    }

    private string WriteJsonLines(string fixture, string name)
    {
        var columns = Columns(fixture);
        var text = new StringBuilder();
        for (int r = 0; r < columns[0].Cells.Length; r++)
        {
            text.Append('{').AppendJoin(',', columns.Select(c => JsonSerializer.Serialize(c.Name) + ":" + (c.Number ? c.Cells[r] : JsonSerializer.Serialize(c.Cells[r])))).Append("}\n");
        }

        return dir.Write(name, text.ToString());
    }

    [Theory]
    [InlineData("binary", "parquet")]
    [InlineData("binary", "jsonl")]
    [InlineData("multiclass", "parquet")]
    [InlineData("regression", "jsonl")]
    [InlineData("regression", "parquet")]
    public async Task Performance_reads_parquet_and_json_lines_and_matches_scikit_learn(string fixture, string format)
    {
        string path = format == "parquet" ? WriteParquet($"{fixture}.csv", $"{fixture}.parquet") : WriteJsonLines($"{fixture}.csv", $"{fixture}.jsonl");
        string[] score = fixture == "binary" ? ["--score", "score", "--positive", "churn"] : [];

        (int exit, string stdout, string stderr) = await CliRunner.RunAsync(
            ["performance", "--data", path, "--target", "actual", "--prediction", "predicted", "--format", "json", .. score]);

        Assert.True(exit == 0, stderr);
        using JsonDocument output = JsonDocument.Parse(stdout);
        Assert.Equal(File.ReadAllLines(Fixture($"{fixture}.csv")).Length - 1, output.RootElement.GetProperty("rows").GetInt32());
        JsonElement metrics = output.RootElement.GetProperty("metrics");
        Assert.Equal(Expected(fixture).EnumerateObject().Select(p => p.Name).Order(), metrics.EnumerateObject().Select(p => p.Name).Order());
        foreach (JsonProperty expected in Expected(fixture).EnumerateObject())
        {
            double ours = metrics.GetProperty(expected.Name).GetDouble();
            Assert.True(Math.Abs(expected.Value.GetDouble() - ours) <= 1e-9 * Math.Max(1, Math.Abs(ours)), $"{expected.Name}: scikit-learn {expected.Value.GetDouble():R}, mlmon {ours:R}");
        }
    }

    [Fact]
    public async Task Estimate_reads_a_parquet_reference_and_a_json_lines_current_file()
    {
        string reference = WriteParquet("cbpe_reference.csv", "reference.parquet");
        string current = WriteJsonLines("cbpe_current.csv", "current.jsonl");
        string[] common = ["--target", "target", "--score", "score", "--prediction", "prediction", "--chunk-size", "2000", "--format", "json"];

        (int exit, string stdout, string stderr) = await CliRunner.RunAsync(["estimate", "--reference", reference, "--current", current, .. common]);
        (int csvExit, string csvStdout, _) = await CliRunner.RunAsync(["estimate", "--reference", Fixture("cbpe_reference.csv"), "--current", Fixture("cbpe_current.csv"), .. common]);

        Assert.True(exit == 0, stderr);
        Assert.Equal(0, csvExit);
        Assert.Equal(csvStdout, stdout); // the same figures, to the last digit, as from the CSV files
        using JsonDocument output = JsonDocument.Parse(stdout);
        double[] realized = [.. Expected("cbpe").GetProperty("realized_accuracy").EnumerateArray().Select(a => a.GetDouble())];
        JsonElement[] chunks = [.. output.RootElement.GetProperty("chunks").EnumerateArray()];
        Assert.Equal(realized.Length, chunks.Length);
        for (int i = 0; i < chunks.Length; i++)
        {
            Assert.Equal(realized[i], chunks[i].GetProperty("realized").GetProperty("accuracy").GetDouble(), 12);
            Assert.True(Math.Abs(chunks[i].GetProperty("estimated").GetProperty("accuracy").GetDouble() - realized[i]) <= 0.03);
        }
    }

    [Fact]
    public async Task Changes_reads_parquet_and_json_lines_and_finds_what_it_finds_in_the_csv()
    {
        var random = new Random(5);
        string csv = dir.Write("stream.csv", "error\n" + string.Concat(Enumerable.Range(0, 3000).Select(i => random.NextDouble() < (i < 1000 ? 0.1 : 0.3) ? "1\n" : "0\n")));
        string jsonl = dir.Write("stream.jsonl", string.Concat(File.ReadAllLines(csv).Skip(1).Select(v => $"{{\"error\":{v}}}\n")));
        string parquet = dir.File_("stream.parquet");
        using (var file = new ParquetFileWriter(parquet, [new Column<double?>("error")]))
        {
            using RowGroupWriter group = file.AppendRowGroup();
            using (var w = group.NextColumn().LogicalWriter<double?>())
            {
                w.WriteBatch([.. File.ReadAllLines(csv).Skip(1).Select(v => (double?)double.Parse(v, CultureInfo.InvariantCulture))]);
            }

            file.Close();
        }

        (int csvExit, string fromCsv, _) = await CliRunner.RunAsync("changes", "--data", csv, "--column", "error", "--detector", "ddm", "--format", "json");
        (int jsonExit, string fromJson, string jsonErr) = await CliRunner.RunAsync("changes", "--data", jsonl, "--column", "error", "--detector", "ddm", "--format", "json");
        (int parquetExit, string fromParquet, string parquetErr) = await CliRunner.RunAsync("changes", "--data", parquet, "--column", "error", "--detector", "ddm", "--format", "json");

        Assert.Equal(1, csvExit);
        Assert.True(jsonExit == 1, jsonErr);
        Assert.True(parquetExit == 1, parquetErr);
        Assert.NotEmpty(JsonDocument.Parse(fromCsv).RootElement.GetProperty("detections").EnumerateArray());
        Assert.Equal(fromCsv, fromJson);
        Assert.Equal(fromCsv, fromParquet);
    }

    [Fact]
    public async Task The_input_format_overrides_the_extension_and_errors_name_the_row_or_the_option()
    {
        string jsonInText = dir.Write("scored.txt", "{\"actual\":\"a\",\"predicted\":\"a\"}\n{\"actual\":\"b\",\"predicted\":\"a\"}\n");
        string badScore = dir.Write("bad.jsonl", "{\"actual\":\"a\",\"predicted\":\"a\",\"score\":0.5}\n{\"actual\":\"b\",\"predicted\":\"a\",\"score\":\"high\"}\n");
        string parquet = WriteParquet("multiclass.csv", "multiclass.parquet");

        (int exit, string stdout, string stderr) = await CliRunner.RunAsync("performance", "--data", jsonInText, "--target", "actual", "--prediction", "predicted", "--input-format", "jsonl", "--format", "json");
        (int e1, _, string asCsv) = await CliRunner.RunAsync("performance", "--data", jsonInText, "--target", "actual", "--prediction", "predicted");
        (int e2, _, string score) = await CliRunner.RunAsync("performance", "--data", badScore, "--target", "actual", "--prediction", "predicted", "--score", "score");
        (int e3, _, string delimiter) = await CliRunner.RunAsync("changes", "--data", parquet, "--column", "actual", "--delimiter", ";");
        (int e4, _, string format) = await CliRunner.RunAsync("estimate", "--reference", parquet, "--current", parquet, "--target", "actual", "--score", "s", "--input-format", "xlsx");

        Assert.True(exit == 0, stderr);
        Assert.Equal(0.5, JsonDocument.Parse(stdout).RootElement.GetProperty("metrics").GetProperty("accuracy").GetDouble());
        Assert.Equal(2, e1); // read as CSV, its one "column" is not 'actual'
        Assert.Contains("has no column 'actual'", asCsv);
        Assert.Equal(2, e2);
        Assert.Contains(badScore + ", row 2: column 'score' holds 'high', which is not a number.", score);
        Assert.Equal(2, e3);
        Assert.Contains("--delimiter applies to CSV files, but " + parquet + " is read as parquet.", delimiter);
        Assert.Equal(2, e4);
        Assert.Contains("--input-format: 'xlsx' is not a format; use csv, parquet or jsonl.", format);
    }
}
