using System.Text.Json;
using ModelMonitoring.Cli.Data;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Cli.Tests;

/// <summary>JSON lines input: flat objects, and the capture records inference capture writes.</summary>
public sealed class JsonLinesTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private static string Capture(int i, double area, string region, double price) =>
        FormattableString.Invariant(
            $$$"""{"timestamp":"2025-01-0{{{1 + (i % 9)}}}T10:00:00Z","model":"pricing","model_version":"1.3.0","method":"Predict","key":"q-{{{i}}}","outcome":"success","duration_ms":0.012,"features":{"area":{{{area:R}}},"region":"{{{region}}}"},"prediction":{"prediction.price":{{{price:R}}}}}""");

    [Fact]
    public void Capture_records_give_the_features_and_prediction_keys_as_columns()
    {
        string path = dir.Write("capture.jsonl", string.Join('\n', Enumerable.Range(0, 30).Select(i => Capture(i, 50 + i, i % 2 == 0 ? "North" : "South", 300_000 + (i * 10.5)))) + "\n");

        Dataset data = Dataset.Load(path);

        Assert.Equal(DataFormat.JsonLines, data.Format);
        Assert.Equal(30, data.RowCount);
        Assert.Equal(["area", "region", "prediction.price"], data.ColumnNames);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => 50.0 + i), data["area"].ToSample().Numbers);
        Assert.Equal(ColumnType.Categorical, data["region"].ToSample().Type);
        Assert.Equal(300_010.5, data["prediction.price"].ToSample().Numbers[1]);
    }

    [Fact]
    public void The_capture_record_of_the_brief_reads_as_three_columns()
    {
        string path = dir.Write("one.jsonl", """
            {"timestamp":"2025-03-01T12:00:00Z","model":"pricing","model_version":"1.3.0","method":"Predict","key":"q-1","outcome":"success","duration_ms":0.012,"features":{"area":91.5,"region":"North"},"prediction":{"prediction.price":301200.5}}
            """);

        Dataset data = Dataset.Load(path);

        Assert.Equal([91.5], data["area"].ToSample().Numbers);
        Assert.Equal(["North"], data["region"].ToSample().Categories);
        Assert.Equal([301200.5], data["prediction.price"].ToSample().Numbers);
    }

    [Fact]
    public void Flat_lines_missing_keys_nulls_and_named_non_finite_numbers_are_missing()
    {
        string path = dir.Write("flat.jsonl", """
            {"price": 1.5, "region": "north", "new": true}

            {"price": null, "region": "south"}
            {"region": "east", "price": 2.5, "extra": 7}
            {"price": "NaN", "region": null, "new": false}
            """);

        Dataset data = Dataset.Load(path);

        Assert.Equal(4, data.RowCount);
        Assert.Equal(["price", "region", "new", "extra"], data.ColumnNames);
        ColumnSample price = data["price"].ToSample();
        Assert.Equal([1.5, 2.5], price.Numbers);
        Assert.Equal(2, price.MissingCount);
        Assert.Equal(["north", "south", "east"], data["region"].ToSample().Categories);
        Assert.Equal(["true", "false"], data["new"].ToSample().Categories);
        Assert.Equal(2, data["new"].ToSample().MissingCount);
        Assert.Equal(3, data["extra"].ToSample().MissingCount); // absent before and after its line
    }

    [Fact]
    public void A_column_of_numbers_and_labels_is_categorical_with_numbers_as_written()
    {
        string path = dir.Write("mixed.jsonl", "{\"code\": 4.0}\n{\"code\": 7}\n{\"code\": \"A1\"}\n");

        ColumnSample code = Dataset.Load(path)["code"].ToSample();

        Assert.Equal(["4.0", "7", "A1"], code.Categories);
    }

    [Fact]
    public async Task Drift_between_two_capture_files_and_a_csv_reference()
    {
        var rng = new Random(11);
        string reference = dir.Write("ref.csv", "area,region,prediction.price\n" + string.Concat(Enumerable.Range(0, 400).Select(i =>
            FormattableString.Invariant($"{50 + (rng.NextDouble() * 40):0.##},{(i % 2 == 0 ? "North" : "South")},{300_000 + (rng.NextDouble() * 1000):0.##}\n"))));
        string current = dir.Write("cur.ndjson", string.Join('\n', Enumerable.Range(0, 300).Select(i => Capture(i, 80 + (rng.NextDouble() * 40), "North", 300_000 + (rng.NextDouble() * 1000)))));

        (int code, string stdout, string stderr) = await CliRunner.RunAsync("drift", "-r", reference, "-c", current, "-f", "json");

        Assert.True(stderr.Length == 0, stderr);
        Assert.Equal(1, code);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        var columns = doc.RootElement.GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("drift").GetBoolean());
        Assert.True(columns["area"]);
        Assert.True(columns["region"]);
        Assert.False(columns["prediction.price"]);
    }

    [Fact]
    public async Task The_input_format_option_reads_a_txt_file_as_json_lines()
    {
        string path = dir.Write("capture.txt", string.Join('\n', Enumerable.Range(0, 40).Select(i => Capture(i, i, "North", i))));

        (int code, string stdout, string stderr) = await CliRunner.RunAsync("drift", "-r", path, "-c", path, "--input-format", "jsonl", "-f", "json");

        Assert.True(code == 0, stderr);
        Assert.Contains("prediction.price", stdout);
    }

    [Theory]
    [InlineData("{\"a\": 1}\n{\"a\": 2,}\n", "line 2, column 9", "invalid JSON: The JSON object contains a trailing comma")]
    [InlineData("{\"a\": 1}\n[1, 2]\n", "line 2, column 1", "expected a JSON object")]
    [InlineData("{\"a\": 1}\n{\"a\": {\"b\": 2}}\n", "line 2, column 2", "key 'a' holds an object")]
    [InlineData("{\"a\": 1, \"a\": 2}\n", "line 1, column 10", "'a' appears twice")]
    [InlineData("{\"a\": 1} {\"a\": 2}\n", "line 1, column 10", "invalid JSON: '{' is invalid after a single JSON value")]
    [InlineData("{\"features\": {\"a\": 1}}\n{\"a\": 2}\n", "line 2", "no \"features\" object")]
    [InlineData("{\"a\": 1}\n{\"features\": {\"a\": 1}}\n", "line 2", "every line must be of one kind")]
    [InlineData("{\"features\": {\"a\": [1, 2]}}\n", "line 1", "feature 'a' holds an array")]
    public void Malformed_lines_name_the_file_line_and_column(string content, string where, string what)
    {
        string path = dir.Write("bad.jsonl", content);

        var ex = Assert.Throws<CliInputException>(() => Dataset.Load(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains(where, ex.Message);
        Assert.Contains(what, ex.Message);
    }

    [Fact]
    public void Invalid_utf8_in_a_line_names_the_line_and_column()
    {
        string path = dir.File_("latin1.jsonl");
        File.WriteAllBytes(path, [.. "{\"city\": \"Berlin\"}\n{\"city\": \"M"u8, 0xFC, .. "nchen\"}\n"u8]);

        var ex = Assert.Throws<CliInputException>(() => Dataset.Load(path));

        Assert.Contains("line 2, column 12", ex.Message);
        Assert.Contains("invalid UTF-8", ex.Message);
    }

    [Fact]
    public void An_empty_file_is_an_error()
    {
        string path = dir.Write("empty.jsonl", "\n\n");

        var ex = Assert.Throws<CliInputException>(() => Dataset.Load(path));

        Assert.Contains("no JSON lines", ex.Message);
    }

    [Fact]
    public void A_line_longer_than_the_read_buffer_is_read_whole()
    {
        string longLabel = new('x', 3 << 20);
        string path = dir.Write("long.jsonl", $"{{\"a\": 1, \"b\": \"{longLabel}\"}}\n{{\"a\": 2, \"b\": \"y\"}}\n");

        Dataset data = Dataset.Load(path);

        Assert.Equal([1.0, 2.0], data["a"].ToSample().Numbers);
        Assert.Equal(longLabel.Length, data["b"].ToSample().Categories[0].Length);
    }
}
