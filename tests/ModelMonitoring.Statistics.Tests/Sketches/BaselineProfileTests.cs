using ModelMonitoring.Sketches;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Statistics.Tests.Sketches;

public sealed class BaselineProfileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("baseline-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Save_and_load_round_trip_gives_the_same_drift_results()
    {
        BaselineProfile baseline = BuildBaseline(50_000);
        string path = Path.Combine(_directory, "pricing.baseline.json");
        baseline.Save(path);
        BaselineProfile loaded = BaselineProfile.Load(path);

        Assert.Equal("pricing", loaded.ModelName);
        Assert.Equal(50_001, loaded.RowCount);
        Assert.Equal(baseline.CreatedAt, loaded.CreatedAt);
        Assert.Equal(BaselineProfile.CurrentFormatVersion, loaded.FormatVersion);
        Assert.Equal(baseline.Features.Select(f => (f.Name, f.Type, f.Count, f.MissingCount)), loaded.Features.Select(f => (f.Name, f.Type, f.Count, f.MissingCount)));
        Assert.Equal(baseline.ToJson(), loaded.ToJson());
        Assert.True(new FileInfo(path).Length < 400_000, "A baseline holds sketches, not rows.");

        BaselineProfile current = BuildBaseline(20_000, shift: 3);
        DatasetDriftResult original = SketchDriftEngine.Evaluate(baseline, current.Features);
        DatasetDriftResult reloaded = SketchDriftEngine.Evaluate(loaded, current.Features);
        Assert.Equal(original.Columns.Select(c => c.Score), reloaded.Columns.Select(c => c.Score));
        Assert.True(original.Columns.Single(c => c.Name == "price").Drift);
    }

    [Fact]
    public void Truncated_file_gives_a_clear_error_naming_the_file()
    {
        string path = Path.Combine(_directory, "truncated.json");
        string json = BuildBaseline(1_000).ToJson();
        File.WriteAllText(path, json[..(json.Length / 2)]);

        BaselineFormatException error = Assert.Throws<BaselineFormatException>(() => BaselineProfile.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("truncated or corrupt", error.Message);
        Assert.Equal(path, error.SourceName);
    }

    [Fact]
    public void Missing_file_and_empty_file_give_clear_errors()
    {
        string missing = Path.Combine(_directory, "missing.json");
        Assert.Contains(missing, Assert.Throws<BaselineFormatException>(() => BaselineProfile.Load(missing)).Message);
        string empty = Path.Combine(_directory, "empty.json");
        File.WriteAllText(empty, "  ");
        Assert.Contains("is empty", Assert.Throws<BaselineFormatException>(() => BaselineProfile.Load(empty)).Message);
    }

    [Theory]
    [InlineData("\"format_version\": 1", "\"format_version\": 7", null, "format_version")]
    [InlineData("\"count\": 1000,\n      \"missing\"", "\"count\": 999,\n      \"missing\"", "price", "sketch.count")]
    [InlineData("\"type\": \"categorical\"", "\"type\": \"text\"", "region", "type")]
    [InlineData("\"k\": 2048", "\"k\": 3", "price", "sketch.k")]
    public void Corrupt_fields_are_named_with_their_feature(string original, string replacement, string? feature, string field)
    {
        string json = BuildBaseline(1_000).ToJson();
        Assert.Contains(original, json);
        string corrupt = ReplaceFirst(json, original, replacement);

        BaselineFormatException error = Assert.Throws<BaselineFormatException>(() => BaselineProfile.FromJson(corrupt, "pricing.baseline.json"));
        Assert.Equal(feature, error.Feature);
        Assert.Equal(field, error.Field);
        Assert.Contains("pricing.baseline.json", error.Message);
        if (feature is not null)
        {
            Assert.Contains($"feature '{feature}'", error.Message);
        }
    }

    [Fact]
    public void Tampered_sketch_values_are_detected()
    {
        string json = BuildBaseline(10_000).ToJson();
        int levels = json.IndexOf("\"levels\": [", StringComparison.Ordinal);
        int firstLevel = json.IndexOf('[', levels + "\"levels\": [".Length);
        string corrupt = json[..(firstLevel + 1)] + "1e300, " + json[(firstLevel + 1)..];
        BaselineFormatException error = Assert.Throws<BaselineFormatException>(() => BaselineProfile.FromJson(corrupt));
        Assert.Equal("price", error.Feature);
        Assert.Equal("sketch", error.Field);
    }

    [Fact]
    public void Mismatched_features_are_all_listed()
    {
        BaselineProfile baseline = BuildBaseline(100);
        baseline.EnsureMatches([("price", ColumnType.Numerical), ("region", ColumnType.Categorical)]);

        BaselineFormatException error = Assert.Throws<BaselineFormatException>(() => baseline.EnsureMatches(
            [("price", ColumnType.Categorical), ("rooms", ColumnType.Numerical)], source: "pricing.baseline.json"));
        Assert.Equal(3, error.Problems.Count);
        Assert.Contains("feature 'price' is categorical but the baseline profiles it as numerical", error.Message);
        Assert.Contains("feature 'rooms' (numerical) is expected but the baseline has no profile for it", error.Message);
        Assert.Contains("feature 'region' (categorical) is in the baseline but not expected", error.Message);
        Assert.Empty(baseline.FindMismatches([("price", ColumnType.Numerical)], allowExtraFeatures: true));
    }

    private static BaselineProfile BuildBaseline(int rows, double shift = 0)
    {
        var random = new Random(rows);
        double[] prices = Enumerable.Range(0, rows).Select(_ => (random.NextDouble() * 10) + shift).ToArray();
        string[] regions = Enumerable.Range(0, rows).Select(i => (i % 3) switch { 0 => "north", 1 => "south", _ => "east" }).ToArray();
        ColumnSample[] columns =
        [
            ColumnSample.Numerical("price", prices, missingCount: 1),
            ColumnSample.Categorical("region", regions),
        ];
        return BaselineProfile.Build(columns, "pricing", new FixedTime(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero)));
    }

    private static string ReplaceFirst(string text, string original, string replacement)
    {
        int index = text.IndexOf(original, StringComparison.Ordinal);
        return text[..index] + replacement + text[(index + original.Length)..];
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
