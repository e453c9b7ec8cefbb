using System.Text;
using System.Text.Json;
using ModelMonitoring.Outliers;
using ModelMonitoring.Sketches;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Statistics.Tests.Sketches;

/// <summary>
/// The hand-written baseline reader gives the serializer's documents, accepts what the serializer accepts and rejects
/// what it rejects. Each case reads the same text both ways and compares the documents written back as JSON.
/// </summary>
public sealed class BaselineJsonReaderTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void Reads_every_part_of_a_real_baseline_as_the_serializer_does(int chunks)
    {
        string json = FullBaseline(chunks).ToJson();
        Assert.Contains("\"isolation_forest\"", json);
        Assert.Contains("\"overflow_sample\"", json);
        Assert.Contains("\"levels\"", json);
        if (chunks > 0)
        {
            Assert.Contains("\"chunks\"", json);
        }

        AssertSameDocument(json);
        Assert.Equal(json, BaselineProfile.FromJson(json).ToJson());
    }

    [Theory]
    [InlineData("\"row_count\": 302,", "/* a comment */ \"row_count\": 302, // and another\n")]
    [InlineData("\"row_count\": 302,", "\"row_count\": 302, \"unknown\": {\"a\": [1, {\"b\": null}], \"c\": \"d\"}, \"other\": [[1], 2],")]
    [InlineData("\"row_count\": 302,", "\"row_count\": 1, \"row_count\": 302,")]
    [InlineData("\"model\": \"pricing\",", "\"model\": null,")]
    [InlineData("\"model\": \"pricing\",", "\"m\\u006fdel\": \"pri\\u0063ing \\\"quoted\\\" \\u00e9\",")]
    [InlineData("\"mean\": ", "\"mean\": \"NaN\", \"std\": \"Infinity\", \"shift\": \"-Infinity\", \"ignored_mean\": ")]
    [InlineData("\"format_version\": 1,", "\"format_version\": 1.0e0,")]
    [InlineData("\"format_version\": 1,", "\"FORMAT_VERSION\": 7, \"format_version\": 1,")]
    [InlineData("\"levels\": [\n          [", "\"levels\": [\n          [1e400, ")] // read as infinity by both, then rejected as a tampered sketch
    public void Accepts_what_the_serializer_accepts_with_the_same_result(string original, string replacement)
    {
        string json = Replace(FullBaseline(0).ToJson(), original, replacement);
        if (original == "\"format_version\": 1," && replacement.Contains("1.0e0", StringComparison.Ordinal))
        {
            // Both reject an integer field written with a fraction or exponent.
            AssertBothReject(json);
            return;
        }

        AssertSameDocument(json);
    }

    [Fact]
    public void Accepts_trailing_commas_and_json_null_as_the_serializer_does()
    {
        string json = FullBaseline(0).ToJson();
        string trailing = Replace(json, "\"row_count\": 302", "\"features\": [],\n  \"row_count\": 302") + " ";
        AssertSameDocument(Replace(trailing, "\"format\": \"mlmon-baseline\",", "\"format\": \"mlmon-baseline\", \"extra\": [1, 2, ],"));
        Assert.Null(BaselineJsonReader.Read("null"u8, "x"));
        Assert.Null(JsonSerializer.Deserialize("null"u8, BaselineJsonContext.Default.BaselineDocument));
    }

    [Theory]
    [InlineData("\"k\": 64", "\"k\": \"2048\"", "$.features[0].sketch.k")]
    [InlineData("\"k\": 64", "\"k\": 64.5", "$.features[0].sketch.k")]
    [InlineData("\"k\": 64", "\"k\": 99999999999", "$.features[0].sketch.k")]
    [InlineData("\"row_count\": 302", "\"row_count\": true", "$.row_count")]
    [InlineData("\"row_count\": 302", "\"row_count\": -", null)]
    [InlineData("\"model\": \"pricing\"", "\"model\": 12", "$.model")]
    [InlineData("\"created_at\": \"", "\"created_at\": \"yesterday\", \"x\": \"", "$.created_at")]
    [InlineData("\"levels\": [\n          [", "\"levels\": [\n          [null, ", "$.features[0].sketch.levels[0][0]")]
    [InlineData("\"levels\": [\n          [", "\"levels\": [\n          [\"nan\", ", "$.features[0].sketch.levels[0][0]")]
    [InlineData("\"features\": [", "\"features\": 3, \"x\": [", "$.features")]
    [InlineData("\"overflow\": false", "\"overflow\": 0", "$.features[1].distinct.overflow")]
    public void Rejects_what_the_serializer_rejects_naming_line_and_field(string original, string replacement, string? path)
    {
        string json = Replace(FullBaseline(0).ToJson(), original, replacement);
        AssertBothReject(json);

        JsonException error = Assert.ThrowsAny<JsonException>(() => BaselineJsonReader.Read(Encoding.UTF8.GetBytes(json), "x.baseline.json"));
        Assert.Equal(path, error.Path);
        int end = json.IndexOf(replacement, StringComparison.Ordinal) + replacement.Length - 1; // on the line of the wrong value
        long line = json[..end].Count(c => c == '\n');
        Assert.Equal(line, error.LineNumber);

        BaselineFormatException reported = Assert.Throws<BaselineFormatException>(() => BaselineProfile.FromJson(json, "x.baseline.json"));
        Assert.Contains($"at line {line + 1}", reported.Message);
        Assert.Equal(path, reported.Field);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"features\": [")]
    [InlineData("[]")]
    [InlineData("3")]
    [InlineData("{} {}")]
    [InlineData("{\"features\": [3]}")]
    [InlineData("{\"features\": [{\"name\": \"a\", \"categories\": {\"counts\": {\"x\": null}}}]}")]
    [InlineData("{\"features\": [{\"name\": \"a\", \"categories\": {\"counts\": [1]}}]}")]
    [InlineData("{\"outliers\": {\"isolation_forest\": {\"trees\": [{\"feature\": [1.5]}]}}}")]
    [InlineData("{\"outliers\": {\"features\": [1]}}")]
    [InlineData("{\"outliers\": {\"isolation_forest\": {\"trees\": [{\"value\": [\"NaN\"]}]}}}")]
    [InlineData("{\"outliers\": 7}")]
    public void Rejects_broken_documents_as_the_serializer_does(string json) => AssertBothReject(json);

    [Theory]
    [InlineData("{\"outliers\": {\"features\": [\"a\", null], \"robust\": [null, {\"median\": 1}], \"isolation_forest\": {\"trees\": [null, {\"feature\": [-1], \"value\": [0.5], \"right\": []}]}}}")]
    [InlineData("{\"features\": [null, {\"name\": \"a\", \"distinct\": null, \"sketch\": {\"levels\": [null, []]}, \"chunks\": [null]}]}")]
    [InlineData("{\"features\": [{\"categories\": {\"counts\": {\"a\": 1, \"a\": 2, \"\\u0062\": 3}, \"overflow_sample\": {\"hashes\": [18446744073709551615], \"counts\": [1]}}}]}")]
    [InlineData("{\"features\": null, \"outliers\": null}")]
    public void Reads_nulls_and_odd_shapes_as_the_serializer_does(string json) => AssertSameDocument(json);

    private static void AssertSameDocument(string json)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(json);
        BaselineDocument? expected = JsonSerializer.Deserialize(utf8, BaselineJsonContext.Default.BaselineDocument);
        BaselineDocument? actual = BaselineJsonReader.Read(utf8, "x.baseline.json");
        Assert.NotNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(
            JsonSerializer.Serialize(expected, BaselineJsonContext.Default.BaselineDocument),
            JsonSerializer.Serialize(actual, BaselineJsonContext.Default.BaselineDocument));
    }

    private static void AssertBothReject(string json)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(json);
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(utf8, BaselineJsonContext.Default.BaselineDocument));
        Assert.ThrowsAny<JsonException>(() => BaselineJsonReader.Read(utf8, "x.baseline.json"));
    }

    // Numbers with many and few distinct values, labels past the category limit, and outlier models.
    private static BaselineProfile FullBaseline(int chunks)
    {
        var random = new Random(17);
        double[] price = [.. Enumerable.Range(0, 300).Select(_ => Math.Round(random.NextDouble() * 100, 3))];
        double[] rooms = [.. Enumerable.Range(0, 300).Select(i => (double)(i % 4))];
        string[] city = [.. Enumerable.Range(0, 300).Select(i => "city " + (i % 40))];
        ColumnSample[] columns =
        [
            ColumnSample.Numerical("price", price, missingCount: 2),
            ColumnSample.Numerical("rooms", rooms),
            ColumnSample.Categorical("city", city),
        ];
        BaselineProfile built = BaselineProfile.Build(columns, "pricing", TimeProvider.System, maxCategories: 10, sketchK: 64, chunks: chunks);
        OutlierProfile outliers = OutlierProfile.Fit(["price", "rooms"], [price, rooms], new IsolationForestOptions { Trees = 3, SamplesPerTree = 32 });
        return new BaselineProfile([.. built.Features], "pricing", built.RowCount, built.CreatedAt) { Outliers = outliers };
    }

    private static string Replace(string text, string original, string replacement)
    {
        int index = text.IndexOf(original, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{original}' is not in the baseline.");
        return text[..index] + replacement + text[(index + original.Length)..];
    }
}
