using System.Globalization;
using System.Text;
using ModelMonitoring.Cli.Data;
using ModelMonitoring.Quality;
using ModelMonitoring.Sketches;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Cli.Tests;

/// <summary>
/// A current file profiled as it is read against a baseline (<see cref="BaselineColumnProfiler"/>, the path of
/// <c>mlmon drift --reference x.baseline.json</c> without <c>--outliers</c>) gives what keeping the columns and then
/// profiling them gives: the same bins, counts and categories, the same data-quality counts and unseen examples in
/// file order, whether the file is read on one thread or in chunks.
/// </summary>
public sealed class BaselineProfilingTests
{
    private static readonly DataQualitySettings Settings = new() { MaxUnseenExamples = 5 };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void Profiling_while_reading_matches_profiling_the_kept_columns(int chunks)
    {
        using var dir = new TempDir();
        BaselineProfile baseline = Baseline(dir);
        string current = dir.Write("current.csv", Current(seed: 11));
        var labels = new HashSet<string>(["color"], StringComparer.Ordinal);

        TableData kept = new CsvTableReader(null).Read(current, new ColumnSelection(labels), null, CancellationToken.None);
        TableData profiled = new CsvTableReader(null, chunks, minimumBytesPerChunk: 1)
            .Read(current, new ColumnSelection(labels, Profilers: ProfilersFor(baseline)), null, CancellationToken.None);

        Assert.Equal(kept.RowCount, profiled.RowCount);
        foreach (FeatureProfile feature in baseline.Features)
        {
            LoadedColumn keptColumn = kept.Columns.Single(c => c.Name == feature.Name);
            LoadedColumn profiledColumn = profiled.Columns.Single(c => c.Name == feature.Name);
            ColumnSample sample = keptColumn.ToSample();
            FeatureProfile expected = BaselineProfile.WindowProfileOf(sample, feature);
            FeatureProfile actual = profiledColumn.Profiler!.Profile;

            Assert.Equal(keptColumn.Count, profiledColumn.Count);
            Assert.Equal(keptColumn.Missing, profiledColumn.Missing);
            Assert.Equal(expected.Count, actual.Count);
            Assert.Equal(expected.MissingCount, actual.MissingCount);
            Assert.Equal(expected.DistinctCount, actual.DistinctCount);
            if (feature.Type == ColumnType.Numerical)
            {
                SortedWeightedValues e = expected.GetDistribution();
                SortedWeightedValues a = actual.GetDistribution();
                Assert.Equal(e.Weights.ToArray(), a.Weights.ToArray());
                // Sums over the parts are added in another order: equal to the last few bits.
                Assert.Equal(expected.Min, actual.Min);
                Assert.Equal(expected.Max, actual.Max);
                Assert.Equal(expected.Mean, actual.Mean, 1e-12);
                Assert.Equal(expected.StandardDeviation, actual.StandardDeviation, 1e-12);
                for (int i = 0; i < e.Length; i++)
                {
                    Assert.Equal(e.Values[i], a.Values[i], Math.Abs(e.Values[i]) * 1e-12);
                }
            }
            else
            {
                Assert.Equal(expected.Categories!.GetCounts(), actual.Categories!.GetCounts());
                Assert.Equal(expected.Categories.OverflowCount, actual.Categories.OverflowCount);
            }

            FeatureQuality expectedQuality = DataQuality.Measure(feature, sample, Settings);
            FeatureQuality actualQuality = profiledColumn.Profiler.Quality.ToResult();
            Assert.Equal(expectedQuality with { UnseenExamples = [] }, actualQuality with { UnseenExamples = [] });
            Assert.Equal(expectedQuality.UnseenExamples, actualQuality.UnseenExamples);
        }

        LoadedColumn color = profiled.Columns.Single(c => c.Name == "color");
        Assert.Equal(["violet", "teal", "amber", "ochre", "umber"], color.Profiler!.Quality.ToResult().UnseenExamples);
        Assert.Throws<InvalidOperationException>(() => color.ToSample()); // the values were not kept
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Labels_tallied_as_they_are_read_give_the_profile_of_counting_each_one(int chunks)
    {
        // 8 categories kept exactly: the current file's labels come in an order where some first appear after the
        // counter is full (the overflow bucket and its sample), most recur many times, and a few are not in the reference.
        using var dir = new TempDir();
        var random = new Random(5);
        var reference = new StringBuilder("code\n");
        for (int i = 0; i < 600; i++)
        {
            reference.Append(CultureInfo.InvariantCulture, $"c{random.Next(12)}\n");
        }

        var current = new StringBuilder("code\n");
        for (int i = 0; i < 4000; i++)
        {
            current.Append(i % 37 == 0 ? "\n" : string.Create(CultureInfo.InvariantCulture, $"c{(i < 400 ? random.Next(6) : random.Next(30))}\n"));
        }

        var labels = new HashSet<string>(["code"], StringComparer.Ordinal);
        TableData referenceData = new CsvTableReader(null).Read(dir.Write("reference.csv", reference.ToString()), new ColumnSelection(labels), null, CancellationToken.None);
        FeatureProfile feature = BaselineProfile.ProfileOf(referenceData.Columns[0].ToSample(), maxCategories: 8);
        var baseline = new BaselineProfile([feature], "test", referenceData.RowCount, DateTimeOffset.UnixEpoch);
        string path = dir.Write("current.csv", current.ToString());

        TableData kept = new CsvTableReader(null).Read(path, new ColumnSelection(labels), null, CancellationToken.None);
        TableData profiled = new CsvTableReader(null, chunks, minimumBytesPerChunk: 1)
            .Read(path, new ColumnSelection(labels, Profilers: ProfilersFor(baseline)), null, CancellationToken.None);
        ColumnSample sample = kept.Columns[0].ToSample();
        FeatureProfile expected = BaselineProfile.WindowProfileOf(sample, feature);
        BaselineColumnProfiler actual = profiled.Columns[0].Profiler!;

        Assert.True(expected.Categories!.OverflowCount > 0);
        Assert.Equal(expected.Categories.GetCounts(), actual.Profile.Categories!.GetCounts());
        Assert.Equal(expected.Categories.OverflowCount, actual.Profile.Categories.OverflowCount);
        Assert.Equal((expected.Count, expected.MissingCount), (actual.Profile.Count, actual.Profile.MissingCount));
        // Everything the profile keeps, the overflow's sample of hashes included, as a baseline would store it.
        Assert.Equal(
            new BaselineProfile([expected], "test", 0, DateTimeOffset.UnixEpoch).ToJson(),
            new BaselineProfile([actual.Profile], "test", 0, DateTimeOffset.UnixEpoch).ToJson());
        FeatureQuality expectedQuality = DataQuality.Measure(feature, sample, Settings);
        Assert.True(expectedQuality.UnseenCategories > 0);
        Assert.Equal(expectedQuality with { UnseenExamples = [] }, actual.Quality.ToResult() with { UnseenExamples = [] });
        Assert.Equal(expectedQuality.UnseenExamples, actual.Quality.ToResult().UnseenExamples);
    }

    [Fact]
    public void Text_in_a_numerical_column_stops_the_column_at_its_line_in_a_later_chunk()
    {
        using var dir = new TempDir();
        BaselineProfile baseline = Baseline(dir);
        string text = Current(seed: 5);
        string[] lines = text.Split('\n');
        lines[2900] = "oops" + lines[2900][lines[2900].IndexOf(',', StringComparison.Ordinal)..]; // the first column of data row 2899
        string current = dir.Write("current.csv", string.Join('\n', lines));
        var labels = new HashSet<string>(["color"], StringComparer.Ordinal);

        TableData profiled = new CsvTableReader(null, 3, minimumBytesPerChunk: 1)
            .Read(current, new ColumnSelection(labels, Profilers: ProfilersFor(baseline)), null, CancellationToken.None);

        LoadedColumn price = profiled.Columns.Single(c => c.Name == "price");
        Assert.True(price.NotNumeric);
        Assert.False(price.NeedsReread);
        Assert.Equal(("oops", 2901L), price.FirstNonNumber);
    }

    [Fact]
    public async Task Drift_against_a_baseline_reports_the_same_columns_with_and_without_keeping_the_rows()
    {
        using var dir = new TempDir();
        string reference = dir.Write("reference.csv", Reference());
        string current = dir.Write("current.csv", Current(seed: 3));
        string baseline = Path.Combine(dir.Path, "ref.baseline.json");
        (int built, _, string builtErr) = await CliRunner.RunAsync("baseline", reference, "--out", baseline, "--categorical", "color");
        Assert.True(built == 0, builtErr);

        // --outliers keeps the rows (the forest scores them); without it the file is profiled as it is read.
        (_, string profiledOut, string profiledErr) = await CliRunner.RunAsync("drift", "-r", baseline, "-c", current, "-f", "json");
        (_, string keptOut, string keptErr) = await CliRunner.RunAsync("drift", "-r", baseline, "-c", current, "-f", "json", "--outliers");
        Assert.True(profiledErr.Length == 0, profiledErr);
        Assert.True(keptErr.Length == 0, keptErr);

        using var profiledJson = System.Text.Json.JsonDocument.Parse(profiledOut);
        using var keptJson = System.Text.Json.JsonDocument.Parse(keptOut);
        var p = profiledJson.RootElement.GetProperty("columns").EnumerateArray().ToArray();
        var k = keptJson.RootElement.GetProperty("columns").EnumerateArray().ToArray();
        Assert.Equal(k.Select(c => c.GetProperty("name").GetString()), p.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(k.Select(c => c.GetProperty("drift").GetBoolean()), p.Select(c => c.GetProperty("drift").GetBoolean()));
        for (int i = 0; i < k.Length; i++)
        {
            Assert.Equal(k[i].GetProperty("score").GetDouble(), p[i].GetProperty("score").GetDouble(), 1e-12);
        }

        string Quality(System.Text.Json.JsonDocument d) => d.RootElement.GetProperty("quality").GetProperty("columns").GetRawText();
        Assert.Equal(Quality(keptJson), Quality(profiledJson));
    }

    [Fact]
    public void Json_lines_are_profiled_as_their_kept_columns_are()
    {
        using var dir = new TempDir();
        BaselineProfile baseline = Baseline(dir);
        var lines = new StringBuilder();
        foreach (string row in Current(seed: 8).Split('\n').Skip(1).Where(r => r.Length > 0))
        {
            string[] cells = row.Split(',');
            string price = cells[0] is "" or "NA" or "inf" ? "null" : cells[0];
            string count = cells[1] == "NaN" ? "null" : cells[1];
            string color = cells[2] == "" ? "null" : $"\"{cells[2]}\"";
            lines.Append(CultureInfo.InvariantCulture, $"{{\"price\":{price},\"count\":{count},\"color\":{color}}}\n");
        }

        string current = dir.Write("current.jsonl", lines.ToString());
        var labels = new HashSet<string>(["color"], StringComparer.Ordinal);
        TableData kept = new JsonLinesTableReader().Read(current, new ColumnSelection(labels), null, CancellationToken.None);
        TableData profiled = new JsonLinesTableReader().Read(current, new ColumnSelection(labels, Profilers: ProfilersFor(baseline)), null, CancellationToken.None);

        foreach (FeatureProfile feature in baseline.Features)
        {
            ColumnSample sample = kept.Columns.Single(c => c.Name == feature.Name).ToSample();
            BaselineColumnProfiler profiler = profiled.Columns.Single(c => c.Name == feature.Name).Profiler!;
            FeatureProfile expected = BaselineProfile.WindowProfileOf(sample, feature);
            Assert.Equal(expected.Count, profiler.Profile.Count);
            Assert.Equal(expected.MissingCount, profiler.Profile.MissingCount);
            Assert.Equal(expected.Mean, profiler.Profile.Mean); // one part: the same order of additions, the same bits
            FeatureQuality expectedQuality = DataQuality.Measure(feature, sample, Settings);
            Assert.Equal(expectedQuality with { UnseenExamples = [] }, profiler.Quality.ToResult() with { UnseenExamples = [] });
            Assert.Equal(expectedQuality.UnseenExamples, profiler.Quality.ToResult().UnseenExamples);
        }
    }

    private static Func<string, BaselineColumnProfiler?> ProfilersFor(BaselineProfile baseline) => name =>
        baseline.Find(name) is { } feature
            ? new BaselineColumnProfiler(feature, FeatureQualityReference.FromProfile(feature, Settings.RangeTolerance), Settings)
            : null;

    private static BaselineProfile Baseline(TempDir dir)
    {
        string path = dir.Write("reference.csv", Reference());
        var labels = new HashSet<string>(["color"], StringComparer.Ordinal);
        TableData reference = new CsvTableReader(null).Read(path, new ColumnSelection(labels), null, CancellationToken.None);
        return new BaselineProfile(reference.Columns.Select(c => BaselineProfile.ProfileOf(c.ToSample())), "test", reference.RowCount, DateTimeOffset.UnixEpoch);
    }

    private static string Reference()
    {
        var random = new Random(1);
        var text = new StringBuilder("price,count,color\n");
        string[] colors = ["red", "green", "blue"];
        for (int i = 0; i < 2000; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{random.NextDouble() * 100:R},{random.Next(0, 8)},{colors[random.Next(colors.Length)]}\n");
        }

        return text.ToString();
    }

    // Shifted numbers beyond the reference's range, missing values (blank, NA, NaN, inf), and unseen colors spread
    // over the file (two before the first third, the others after), so that the examples cross chunk boundaries.
    private static string Current(int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder("price,count,color\n");
        string[] colors = ["red", "green", "blue"];
        var unseen = new Dictionary<int, string> { [300] = "violet", [700] = "teal", [1500] = "amber", [1600] = "violet", [2200] = "ochre", [2300] = "umber", [2600] = "sepia" };
        for (int i = 0; i < 3000; i++)
        {
            string price = i % 97 == 0 ? "" : i % 101 == 0 ? "NA" : i % 211 == 0 ? "inf" : (random.NextDouble() * 120 - 10).ToString("R", CultureInfo.InvariantCulture);
            string count = i % 89 == 0 ? "NaN" : random.Next(0, 10).ToString(CultureInfo.InvariantCulture);
            string color = unseen.TryGetValue(i, out string? name) ? name : i % 53 == 0 ? "" : colors[random.Next(colors.Length)];
            text.Append(CultureInfo.InvariantCulture, $"{price},{count},{color}\n");
        }

        return text.ToString();
    }
}
