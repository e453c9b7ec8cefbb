using System.Globalization;
using System.Text.Json;

namespace ModelMonitoring.Cli.Tests;

/// <summary><c>mlmon outliers</c> and the data-quality section of <c>mlmon drift</c>, run through the real CLI.</summary>
public sealed class OutliersAndQualityTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private static string GoldenOutliers(string file) => Path.Combine(RepoPaths.RepositoryRoot, "tests", "data", "golden", "outliers", file);

    /// <summary>The issue's acceptance through the CLI: ROC AUC of the written scores ≥ scikit-learn's (expected.json) − 0.02.</summary>
    [Fact]
    public async Task Outliers_scores_the_golden_set_within_two_hundredths_of_scikit_learn_auc()
    {
        string output = dir.File_("scores.csv");
        (int code, string stdout, string stderr) = await CliRunner.RunAsync("outliers", "--train", GoldenOutliers("train.csv"), "--score", GoldenOutliers("score.csv"), "--output", output, "--seed", "3");
        Assert.True(code == 0, stderr);
        Assert.Contains("of 4,000 rows", stdout);
        Assert.Contains("100 trees fitted on 5,000 rows", stdout);

        string[] lines = File.ReadAllLines(output);
        Assert.Equal("index,score,is_outlier", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(4000, rows.Length);
        Assert.Equal(Enumerable.Range(0, 4000).Select(i => i.ToString(CultureInfo.InvariantCulture)), rows.Select(r => r[0]));
        double[] scores = rows.Select(r => double.Parse(r[1], CultureInfo.InvariantCulture)).ToArray();
        Assert.All(rows, r => Assert.Equal(double.Parse(r[1], CultureInfo.InvariantCulture) > 0.5 ? "1" : "0", r[2]));

        int[] labels = File.ReadAllLines(GoldenOutliers("labels.csv")).Skip(1).Where(l => l.Length > 0).Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        using JsonDocument expected = JsonDocument.Parse(File.ReadAllText(GoldenOutliers("expected.json")));
        double sklearn = expected.RootElement.GetProperty("sklearn_isolation_forest_auc").GetDouble();
        double auc = Auc(scores, labels);
        Assert.True(auc >= sklearn - 0.02, $"AUC {auc:F4}; scikit-learn {sklearn:F4}");
    }

    [Fact]
    public async Task Outliers_keeps_one_line_per_row_when_values_are_missing_and_writes_to_stdout()
    {
        string train = dir.Write("train.csv", "a,b,label\n" + string.Concat(Enumerable.Range(0, 300).Select(i => $"{i % 17},{(i * 7) % 23},x\n")));
        string score = dir.Write("score.csv", "a,b\n1,2\n,5\n500,-500\n8,NaN\n");
        (int code, string stdout, string stderr) = await CliRunner.RunAsync("outliers", "--train", train, "--score", score);
        Assert.True(code == 0, stderr);
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.Equal(["0", "1", "2", "3"], lines.Skip(1).Select(l => l.Split(',')[0]));
        Assert.Equal("1", lines[3].Split(',')[2]); // 500,-500 is far outside
        double far = double.Parse(lines[3].Split(',')[1], CultureInfo.InvariantCulture);
        Assert.All(new[] { lines[1], lines[2], lines[4] }, l => Assert.True(double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture) < far));
    }

    [Fact]
    public async Task Outliers_with_a_contamination_flags_that_share_of_the_training_rows()
    {
        string train = dir.Write("train.csv", "a,b\n" + string.Concat(Enumerable.Range(0, 1000).Select(i => $"{Math.Sin(i) * 10},{Math.Cos(i * 1.3) * 5}\n")));
        (int code, string stdout, string stderr) = await CliRunner.RunAsync("outliers", "--train", train, "--score", train, "--contamination", "0.1");
        Assert.True(code == 0, stderr);
        int flagged = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Count(l => l.EndsWith(",1", StringComparison.Ordinal));
        Assert.InRange(flagged, 99, 101); // numpy's linear quantile: 10 % of 1000, ± a tie
    }

    [Theory]
    [InlineData("--contamination", "0.9", "--contamination: '0.9' is not auto or a number")]
    [InlineData("--trees", "0", "--trees: 0 is not a tree count")]
    public async Task Outliers_rejects_bad_options_by_name(string option, string value, string message)
    {
        string train = dir.Write("train.csv", "a\n1\n2\n3\n");
        (int code, _, string stderr) = await CliRunner.RunAsync("outliers", "--train", train, "--score", train, option, value);
        Assert.Equal(2, code);
        Assert.Contains(message, stderr);
    }

    [Fact]
    public async Task Outliers_names_the_file_and_column_the_score_file_lacks_or_holds_text_in()
    {
        string train = dir.Write("train.csv", "a,b\n1,2\n3,4\n5,6\n");
        string missing = dir.Write("missing.csv", "a\n1\n");
        (int code, _, string stderr) = await CliRunner.RunAsync("outliers", "--train", train, "--score", missing);
        Assert.Equal(2, code);
        Assert.Contains($"{missing}: column 'b' is missing", stderr);

        string text = dir.Write("text.csv", "a,b\n1,2\n3,oops\n");
        (code, _, stderr) = await CliRunner.RunAsync("outliers", "--train", train, "--score", text);
        Assert.Equal(2, code);
        Assert.Contains($"{text}: column 'b' is not numerical: 'oops' at line 3", stderr);
    }

    [Fact]
    public async Task Drift_reports_missing_out_of_range_unseen_and_type_mismatch_per_column()
    {
        string reference = dir.Write("reference.csv", "price,region,code\n" + string.Concat(Enumerable.Range(0, 100).Select(i => $"{10 + (i % 11)},{(i % 2 == 0 ? "north" : "south")},{i % 5}\n")));
        string current = dir.Write("current.csv", "price,region,code\n" + string.Concat(Enumerable.Range(0, 50).Select(i =>
            $"{(i < 5 ? "" : i < 8 ? "100" : (10 + (i % 11)).ToString(CultureInfo.InvariantCulture))},{(i % 10 == 0 ? "mars" : "north")},{(i == 0 ? "x" : (i % 5).ToString(CultureInfo.InvariantCulture))}\n")));
        (int _, string stdout, string stderr) = await CliRunner.RunAsync("drift", "--reference", reference, "--current", current, "--format", "json", "--outliers");
        Assert.True(stderr.Length == 0, stderr);
        using JsonDocument report = JsonDocument.Parse(stdout);
        JsonElement quality = report.RootElement.GetProperty("quality");
        var columns = quality.GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);

        JsonElement price = columns["price"];
        Assert.Equal(5, price.GetProperty("missing").GetInt32());
        Assert.Equal(0.1, price.GetProperty("missing_ratio").GetDouble(), 12);
        Assert.Equal(3, price.GetProperty("out_of_range").GetInt32());
        Assert.Equal(3.0 / 45, price.GetProperty("out_of_range_ratio").GetDouble(), 12);
        Assert.False(price.GetProperty("type_mismatch").GetBoolean());

        JsonElement region = columns["region"];
        Assert.Equal(5, region.GetProperty("unseen_categories").GetInt32());
        Assert.Equal(0.1, region.GetProperty("unseen_category_ratio").GetDouble(), 12);
        Assert.Equal(["mars"], region.GetProperty("unseen_examples").EnumerateArray().Select(e => e.GetString()));

        // code: numbers in the reference, text in the current file: compared as labels, and flagged.
        JsonElement code = columns["code"];
        Assert.True(code.GetProperty("type_mismatch").GetBoolean());
        Assert.Equal("numerical", code.GetProperty("type").GetString());
        Assert.Equal(1, code.GetProperty("unseen_categories").GetInt32());

        // --range-tolerance 90 widens [10, 20] by 90 × 10 on each side: 100 is inside.
        (_, string widened, _) = await CliRunner.RunAsync("drift", "--reference", reference, "--current", current, "--format", "json", "--range-tolerance", "90");
        using (JsonDocument wide = JsonDocument.Parse(widened))
        {
            JsonElement widePrice = wide.RootElement.GetProperty("quality").GetProperty("columns").EnumerateArray().First(c => c.GetProperty("name").GetString() == "price");
            Assert.Equal(0, widePrice.GetProperty("out_of_range").GetInt32());
        }

        using (JsonDocument wide = JsonDocument.Parse(widened))
        {
            // Without --outliers no forest scores the rows (it is the costly part); the per-column quality is the same.
            JsonElement noForest = wide.RootElement.GetProperty("quality").GetProperty("outliers");
            Assert.Equal("none", noForest.GetProperty("forest").GetString());
            Assert.Equal(0, noForest.GetProperty("scored_rows").GetInt32());
        }

        (int bad, _, string badError) = await CliRunner.RunAsync("drift", "--reference", reference, "--current", current, "--range-tolerance", "-1");
        Assert.Equal(2, bad);
        Assert.Contains("--range-tolerance: -1 is not a share of the range", badError);

        JsonElement outliers = quality.GetProperty("outliers");
        Assert.Equal("reference", outliers.GetProperty("forest").GetString());
        Assert.Equal(50, outliers.GetProperty("scored_rows").GetInt32());
        Assert.True(outliers.GetProperty("outliers").GetInt32() >= 3, "the three rows at 100 at least");
    }

    [Fact]
    public async Task Baseline_stores_the_forest_and_drift_against_it_scores_with_it_in_every_format()
    {
        string reference = dir.Write("reference.csv", "x,y,kind\n" + string.Concat(Enumerable.Range(0, 500).Select(i => $"{Math.Sin(i) * 3},{Math.Cos(i * 0.7) * 2},{(i % 3 == 0 ? "a" : "b")}\n")));
        string current = dir.Write("current.csv", "x,y,kind\n" + string.Concat(Enumerable.Range(0, 100).Select(i => i < 10 ? "40,-40,a\n" : $"{Math.Sin(i) * 3},{Math.Cos(i * 0.7) * 2},c\n")));
        string baseline = dir.File_("ref.baseline.json");
        (int built, _, string builtErr) = await CliRunner.RunAsync("baseline", reference, "--out", baseline);
        Assert.True(built == 0, builtErr);
        using (JsonDocument file = JsonDocument.Parse(File.ReadAllText(baseline)))
        {
            JsonElement stored = file.RootElement.GetProperty("outliers");
            Assert.Equal(["x", "y"], stored.GetProperty("features").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(100, stored.GetProperty("isolation_forest").GetProperty("trees").GetArrayLength());
        }

        (_, string json, string stderr) = await CliRunner.RunAsync("drift", "--reference", baseline, "--current", current, "--format", "json", "--outliers");
        Assert.True(stderr.Length == 0, stderr);
        using JsonDocument report = JsonDocument.Parse(json);
        JsonElement quality = report.RootElement.GetProperty("quality");
        Assert.Equal("baseline", quality.GetProperty("outliers").GetProperty("forest").GetString());
        Assert.True(quality.GetProperty("outliers").GetProperty("outliers").GetInt32() >= 10);
        JsonElement x = quality.GetProperty("columns").EnumerateArray().First(c => c.GetProperty("name").GetString() == "x");
        Assert.Equal(10, x.GetProperty("out_of_range").GetInt32());
        Assert.Equal(10, x.GetProperty("robust_outliers").GetInt32());
        JsonElement kind = quality.GetProperty("columns").EnumerateArray().First(c => c.GetProperty("name").GetString() == "kind");
        Assert.Equal(90, kind.GetProperty("unseen_categories").GetInt32());

        (_, string table, _) = await CliRunner.RunAsync("drift", "--reference", baseline, "--current", current, "--outliers");
        Assert.Contains("Data quality of the current file", table);
        Assert.Contains("90 (90%) (c)", table);
        Assert.Contains("with the isolation forest of the baseline", table);

        string html = dir.File_("report.html");
        (_, _, stderr) = await CliRunner.RunAsync("drift", "--reference", baseline, "--current", current, "--output", html);
        Assert.True(stderr.Length == 0, stderr);
        string page = File.ReadAllText(html);
        Assert.Contains("<section class=\"quality\"><h2>Data quality of the current file</h2>", page);
        Assert.Contains("<td>kind</td>", page);
    }

    private static double Auc(double[] scores, int[] labels)
    {
        // Mann-Whitney with mid-ranks, as sklearn.metrics.roc_auc_score.
        int[] order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
        var ranks = new double[scores.Length];
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]])
            {
                j++;
            }

            for (int k = i; k <= j; k++)
            {
                ranks[order[k]] = ((i + j) / 2.0) + 1;
            }

            i = j + 1;
        }

        long positives = labels.Count(l => l == 1);
        double sum = Enumerable.Range(0, labels.Length).Where(i => labels[i] == 1).Sum(i => ranks[i]);
        return (sum - (positives * (positives + 1) / 2.0)) / (positives * (double)(labels.Length - positives));
    }
}
