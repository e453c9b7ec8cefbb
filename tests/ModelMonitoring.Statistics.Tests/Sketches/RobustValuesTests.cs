using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using ModelMonitoring.Sketches;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Statistics.Tests.Sketches;

/// <summary>
/// Values that must not poison a profile or keep memory: infinities, huge and long strings, and baseline files that
/// declare sizes they should not.
/// </summary>
public sealed class RobustValuesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("robust-values-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string> NumericalKinds => new() { "sketched", "binned" };

    [Theory]
    [MemberData(nameof(NumericalKinds))]
    public void Infinities_are_missing_values_with_their_own_count(string kind)
    {
        FeatureProfile reference = BinnedWindowTests.Fill(FeatureProfile.Numerical("x"), BinnedWindowTests.Normal(new Random(1), 5_000, 10, 2));
        FeatureProfile profile = kind == "binned" ? FeatureProfile.CreateWindowProfile(reference) : FeatureProfile.Numerical("x");
        double parsed = double.Parse("1e400", CultureInfo.InvariantCulture);
        Assert.True(double.IsPositiveInfinity(parsed));

        profile.Add(1);
        profile.Add(parsed);
        profile.Add(double.NegativeInfinity);
        profile.Add(double.NaN);
        profile.Add(3);

        Assert.Equal(2, profile.Count);
        Assert.Equal(3, profile.MissingCount);
        Assert.Equal(2, profile.NonFiniteCount);
        Assert.Equal(5, profile.TotalCount);
        Assert.Equal(2, profile.Mean);
        Assert.Equal(1, profile.Variance);
        Assert.Equal(1, profile.Min);
        Assert.Equal(3, profile.Max);
        Assert.Equal(2, profile.GetDistribution().TotalWeight);

        FeatureProfile other = profile.Clone();
        other.Merge(profile);
        Assert.Equal(4, other.NonFiniteCount);
        Assert.Equal(6, other.MissingCount);
        other.Reset();
        Assert.Equal(0, other.NonFiniteCount);
    }

    [Fact]
    public void A_window_holding_1e400_still_makes_a_reference_that_later_windows_are_compared_with()
    {
        // Today's defect: one 1e400 in the first window (which becomes the reference) disabled drift for good.
        var random = new Random(2);
        FeatureProfile first = FeatureProfile.Numerical("price");
        foreach (double value in BinnedWindowTests.Normal(random, 2_000, 100, 10))
        {
            first.Add(value);
        }

        first.Add(double.Parse("1e400", CultureInfo.InvariantCulture));
        Assert.True(double.IsFinite(first.Max));
        Assert.Equal(1, first.NonFiniteCount);

        for (int window = 0; window < 3; window++)
        {
            FeatureProfile current = FeatureProfile.CreateWindowProfile(first);
            BinnedWindowTests.Fill(current, BinnedWindowTests.Normal(random, 2_000, 100 + (window * 5), 10));
            current.Add(double.PositiveInfinity);
            ColumnDriftResult result = SketchDriftEngine.EvaluateColumn(first, current);
            Assert.Equal(window > 0, result.Drift);
            Assert.Equal(1, current.NonFiniteCount);
        }
    }

    [Fact]
    public void A_categorical_profile_counts_a_non_finite_number_as_missing()
    {
        var profile = FeatureProfile.Categorical("region");
        profile.Add(double.PositiveInfinity);
        profile.Add(double.NaN);
        Assert.Equal(2, profile.MissingCount);
        Assert.Equal(1, profile.NonFiniteCount);
        Assert.Throws<InvalidOperationException>(() => profile.Add(1.0));
    }

    [Fact]
    public void Long_categories_are_truncated_and_kept_as_copies()
    {
        var profile = FeatureProfile.Categorical("comment");
        string first = new string('a', 300) + "-first";
        string second = new string('a', 300) + "-second";
        string shortValue = string.Concat("sh", "ort"); // not interned
        profile.Add(first);
        profile.Add(second);
        profile.Add(shortValue);

        IReadOnlyList<KeyValuePair<string, long>> counts = profile.Categories!.GetCounts();
        Assert.Equal(2, counts.Count);
        KeyValuePair<string, long> truncated = counts.Single(pair => pair.Key.StartsWith('a'));
        Assert.Equal(CategoryCounter.DefaultMaxCategoryLength, truncated.Key.Length);
        Assert.Equal(2, truncated.Value);
        Assert.Equal(2, profile.Categories.CountOf(first));
        string kept = counts.Single(pair => pair.Key == "short").Key;
        Assert.False(ReferenceEquals(shortValue, kept), "The counter keeps its own copy of a category.");
        Assert.Equal(CategoryCounter.DefaultMaxCategoryLength, profile.MaxCategoryLength);

        // A custom limit, carried over to the windows of a reference; a surrogate pair is never split.
        var custom = FeatureProfile.Categorical("emoji", maxCategoryLength: 5);
        custom.Add("abcd\U0001F600xyz");
        Assert.Equal("abcd", custom.Categories!.GetCounts().Single().Key);
        Assert.Equal(5, FeatureProfile.CreateWindowProfile(custom).MaxCategoryLength);
        Assert.Equal(5, custom.Clone().MaxCategoryLength);
    }

    [Fact]
    public void Distinct_large_strings_are_not_kept_alive_by_a_profile()
    {
        // The retention case: 20 requests carrying distinct 1 MB strings. The profile must keep neither the strings
        // nor more than MaxCategoryLength characters of each.
        var profile = FeatureProfile.Categorical("payload");
        WeakReference[] strings = AddLargeStrings(profile, count: 20, length: 1 << 20);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.All(strings, reference => Assert.False(reference.IsAlive, "A caller's string is still reachable."));
        Assert.Equal(20, profile.Categories!.CategoryCount);
        Assert.All(profile.Categories.GetCounts(), pair => Assert.Equal(CategoryCounter.DefaultMaxCategoryLength, pair.Key.Length));
    }

    [Fact]
    public void A_known_long_category_is_counted_without_allocating()
    {
        var counter = new CategoryCounter();
        string value = new('x', 10_000);
        counter.Add(value);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100_000; i++)
        {
            counter.Add(value);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(100_001, counter.CountOf(value));
    }

    [Fact]
    public void Category_counter_rejects_limits_out_of_range()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CategoryCounter(CategoryCounter.MaxCategoriesLimit + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CategoryCounter(10, CategoryCounter.MaxCategoryLengthLimit + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CategoryCounter(10, -1));
    }

    [Fact]
    public void Non_finite_counts_and_category_lengths_survive_a_baseline_round_trip()
    {
        FeatureProfile numbers = FeatureProfile.Numerical("price");
        numbers.Add(1);
        numbers.Add(double.PositiveInfinity);
        FeatureProfile labels = FeatureProfile.Categorical("region", maxCategoryLength: 12);
        labels.Add("north-east-by-north");
        var baseline = new BaselineProfile([numbers, labels], "m", 2, DateTimeOffset.UnixEpoch);
        string json = baseline.ToJson();
        Assert.Contains("\"non_finite\": 1", json);
        Assert.Contains("\"max_category_length\": 12", json);

        BaselineProfile loaded = BaselineProfile.FromJson(json, "m.json");
        Assert.Equal(1, loaded.Find("price")!.NonFiniteCount);
        Assert.Equal(12, loaded.Find("region")!.MaxCategoryLength);
        Assert.Equal("north-east-b", loaded.Find("region")!.Categories!.GetCounts().Single().Key);

        // Defaults are not written, so a profile without infinities or custom lengths is today's JSON.
        FeatureProfile plain = FeatureProfile.Categorical("region");
        plain.Add("north");
        string plainJson = new BaselineProfile([plain], "m", 1, DateTimeOffset.UnixEpoch).ToJson();
        Assert.DoesNotContain("non_finite", plainJson);
        Assert.DoesNotContain("max_category_length", plainJson);
    }

    [Fact]
    public void A_baseline_written_before_the_limits_loads_and_compares_as_it_did()
    {
        // Written by `mlmon baseline` at commit 9611c4d from tests/data/golden/drift/small_drift/reference.csv
        // (see tests/data/baselines/README.md).
        string path = Path.Combine(RepositoryData(), "baselines", "small_drift.9611c4d.baseline.json");
        BaselineProfile loaded = BaselineProfile.Load(path);
        Assert.Equal(800, loaded.RowCount);
        Assert.All(loaded.Features, feature => Assert.Equal(0, feature.NonFiniteCount));

        IReadOnlyList<ColumnSample> reference = GoldenDriftCases.ReadColumns(Path.Combine(GoldenDriftCases.GoldenDirectory(), "drift", "small_drift", "reference.csv"));
        BaselineProfile rebuilt = BaselineProfile.Build(reference);
        IReadOnlyList<ColumnSample> current = GoldenDriftCases.ReadColumns(Path.Combine(GoldenDriftCases.GoldenDirectory(), "drift", "small_drift", "current.csv"));
        BaselineProfile window = BaselineProfile.Build(current);
        Assert.Equal(
            SketchDriftEngine.Evaluate(rebuilt, window.Features).Columns.Select(c => (c.Name, c.Score, c.Drift)),
            SketchDriftEngine.Evaluate(loaded, window.Features).Columns.Select(c => (c.Name, c.Score, c.Drift)));
    }

    [Theory]
    [InlineData("\"max_categories\": 100", "\"max_categories\": 1000000000", "region", "categories.max_categories")]
    [InlineData("\"max_categories\": 100", "\"max_categories\": 100, \"max_category_length\": 99999999", "region", "categories.max_category_length")]
    [InlineData("\"missing\": 1,", "\"missing\": 1, \"non_finite\": 2,", "price", "non_finite")]
    public void Declared_sizes_out_of_bounds_are_rejected_naming_the_file(string original, string replacement, string feature, string field)
    {
        string json = Baseline().ToJson();
        Assert.Contains(original, json);
        int index = json.IndexOf(original, StringComparison.Ordinal);
        string corrupt = json[..index] + replacement + json[(index + original.Length)..];
        string path = Path.Combine(_directory, "bounds.baseline.json");
        File.WriteAllText(path, corrupt);

        BaselineFormatException error = Assert.Throws<BaselineFormatException>(() => BaselineProfile.Load(path));
        Assert.Equal(path, error.SourceName);
        Assert.Contains(path, error.Message);
        Assert.Equal(feature, error.Feature);
        Assert.Equal(field, error.Field);
    }

    [Theory]
    [InlineData("distinct", "features[0].distinct.values")]
    [InlineData("levels", "features[0].sketch.levels")]
    [InlineData("level", "features[0].sketch.levels[0]")]
    [InlineData("counts", "features[1].categories.counts")]
    public void Huge_arrays_are_rejected_before_they_are_read(string which, string field)
    {
        string json = Baseline().ToJson();
        string huge = which switch
        {
            "distinct" => Replace(json, "\"overflow\": false,\n        \"values\": [", "\"overflow\": false,\n        \"values\": [" + Repeat("0.5, ", 5_000)),
            "levels" => Replace(json, "\"levels\": [", "\"levels\": [" + Repeat("[], ", 100)),
            "level" => Replace(json, "\"levels\": [\n          [", "\"levels\": [\n          [" + Repeat("1.0, ", KllSketch.MaxRetainedItems(KllSketch.MaxK) + 1)),
            _ => Replace(json, "\"counts\": {", "\"counts\": {" + string.Concat(Enumerable.Range(0, CategoryCounter.MaxCategoriesLimit + 1).Select(i => $"\"c{i}\": 1, "))),
        };

        BaselineFormatException error = Assert.Throws<BaselineFormatException>(() => BaselineProfile.FromJson(huge, "huge.baseline.json"));
        Assert.Equal(field, error.Field);
        Assert.Contains("huge.baseline.json", error.Message);
        Assert.Contains("the most a baseline may declare", error.Message);
    }

    [Fact]
    public void Sketches_whose_declared_k_would_take_too_much_memory_are_rejected()
    {
        // 700 tiny features each declaring the largest K: a few hundred KB of text that would allocate over 1 GiB.
        var text = new StringBuilder("{\"format\": \"mlmon-baseline\", \"format_version\": 1, \"created_at\": \"2025-01-01T00:00:00Z\", \"row_count\": 1, \"features\": [");
        for (int i = 0; i < 700; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{{\"name\": \"f{i}\", \"type\": \"numerical\", \"count\": 0, \"missing\": 0, \"shift\": 0, \"shifted_sum\": 0, \"shifted_sum_of_squares\": 0, \"distinct\": {{\"overflow\": false}}, \"sketch\": {{\"k\": {KllSketch.MaxK}, \"count\": 0, \"levels\": [[]]}}}},");
        }

        text.Length--;
        text.Append("]}");
        BaselineFormatException error = Assert.Throws<BaselineFormatException>(() => BaselineProfile.FromJson(text.ToString(), "wide.baseline.json"));
        Assert.Equal("sketch.k", error.Field);
        Assert.Contains("wide.baseline.json", error.Message);
    }

    [Fact]
    public void A_file_larger_than_the_limit_is_rejected_without_reading_it()
    {
        string path = Path.Combine(_directory, "big.baseline.json");
        using (var stream = File.Create(path))
        {
            stream.SetLength((512L * 1024 * 1024) + 1); // sparse: nothing is written
        }

        BaselineFormatException error = Assert.Throws<BaselineFormatException>(() => BaselineProfile.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("more than the", error.Message);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference[] AddLargeStrings(FeatureProfile profile, int count, int length)
    {
        var references = new WeakReference[count];
        for (int i = 0; i < count; i++)
        {
            var value = new string((char)('a' + i), length);
            profile.Add(value);
            references[i] = new WeakReference(value);
        }

        return references;
    }

    private static BaselineProfile Baseline()
    {
        var random = new Random(3);
        ColumnSample[] columns =
        [
            ColumnSample.Numerical("price", [.. Enumerable.Range(0, 200).Select(_ => Math.Round(random.NextDouble() * 4))], missingCount: 1),
            ColumnSample.Categorical("region", [.. Enumerable.Range(0, 200).Select(i => i % 2 == 0 ? "north" : "south")]),
        ];
        return BaselineProfile.Build(columns, "pricing", TimeProvider.System);
    }

    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();

    private static string Replace(string json, string original, string replacement)
    {
        int index = json.IndexOf(original, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{original}' is not in the baseline JSON.");
        return json[..index] + replacement + json[(index + original.Length)..];
    }

    private static string RepositoryData() => Path.GetDirectoryName(GoldenDriftCases.GoldenDirectory())!;
}
