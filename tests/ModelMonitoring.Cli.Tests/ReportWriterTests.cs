using System.Text.Json;
using System.Text.RegularExpressions;
using ModelMonitoring.Cli.Reports;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Cli.Tests;

public sealed class ReportWriterTests
{
    internal const string Script = "<script>alert(1)</script>";

    /// <summary>A report whose data holds markup: a category label and a column name.</summary>
    internal static DriftReport HostileReport()
    {
        var reference = ColumnSample.Categorical("region", ["north", Script, "north", "a&b"], 1);
        var current = ColumnSample.Categorical("region", [Script, Script, "south"], 0);
        var priceRef = ColumnSample.Numerical("<b>price</b>", [1, 2, 3, 4, 5, 6, 7, 8]);
        var priceCur = ColumnSample.Numerical("<b>price</b>", [5, 6, 7, 8, 9, 10, 11, 12]);
        var columns = new[]
        {
            new ColumnDriftResult("<b>price</b>", ColumnType.Numerical, StatTests.KolmogorovSmirnov, 0.0123456789012345678, 0.05, true),
            new ColumnDriftResult("region", ColumnType.Categorical, StatTests.ChiSquare, 0.5, 0.05, false) { ReferenceMissing = 1 },
        };
        return new DriftReport(
            "ref\"<x>.csv", "cur.csv", "exact", "auto", ["region"], DatasetDriftResult.FromColumns(columns), 9, 3, 0.5)
        {
            Histograms = new Dictionary<string, ColumnHistogram>
            {
                ["<b>price</b>"] = ColumnHistogram.FromSamples(priceRef, priceCur),
                ["region"] = ColumnHistogram.FromSamples(reference, current),
            },
        };
    }

    [Fact]
    public void Html_escapes_every_value_from_the_data()
    {
        string html = HtmlReportWriter.ToHtml(HostileReport());

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>price", html);
        Assert.DoesNotContain("<x>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("&lt;b&gt;price&lt;/b&gt;", html);
        Assert.Contains("a&amp;b", html);
    }

    [Fact]
    public void Html_has_no_external_reference()
    {
        string html = HtmlReportWriter.ToHtml(HostileReport());

        Assert.DoesNotMatch(new Regex("https?:", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"\b(src|href)\s*=\s*""(?!#)", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("@import", html);
        Assert.DoesNotContain("url(", html);
        Assert.Contains("default-src 'none'", html);
    }

    [Fact]
    public void Html_has_a_summary_a_score_table_and_an_inline_svg_histogram_per_column()
    {
        string html = HtmlReportWriter.ToHtml(HostileReport());

        Assert.Contains("id=\"summary\"", html);
        Assert.Contains("1 of <strong>2</strong>", html.Replace("<strong>1</strong>", "1"));
        Assert.Equal(2, Regex.Matches(html, "<svg ").Count);
        Assert.Contains("0.012345678901234568", html); // full score in the column section
        Assert.Contains("class=\"bar reference\"", html);
        Assert.Contains("class=\"bar current\"", html);
    }

    [Fact]
    public void Json_has_the_golden_shape_with_round_trip_scores_and_missing_counts()
    {
        string json = JsonReportWriter.ToJson(HostileReport());
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement root = doc.RootElement;

        Assert.Equal("auto", root.GetProperty("method").GetString());
        Assert.Equal(["region"], root.GetProperty("categorical").EnumerateArray().Select(e => e.GetString()));
        JsonElement price = root.GetProperty("columns")[0];
        Assert.Equal("<b>price</b>", price.GetProperty("name").GetString());
        Assert.Equal("numerical", price.GetProperty("type").GetString());
        Assert.Equal("ks", price.GetProperty("method").GetString());
        Assert.Equal(0.0123456789012345678, price.GetProperty("score").GetDouble()); // exact, not rounded
        Assert.Equal(0.05, price.GetProperty("threshold").GetDouble());
        Assert.True(price.GetProperty("drift").GetBoolean());
        JsonElement region = root.GetProperty("columns")[1];
        Assert.Equal("chisquare", region.GetProperty("method").GetString());
        Assert.Equal(1, region.GetProperty("reference_missing").GetInt32());
        Assert.Equal(0, region.GetProperty("current_missing").GetInt32());
        JsonElement dataset = root.GetProperty("dataset");
        Assert.Equal(1, dataset.GetProperty("drifted_columns").GetInt32());
        Assert.Equal(2, dataset.GetProperty("columns").GetInt32());
        Assert.Equal(0.5, dataset.GetProperty("share").GetDouble());
        Assert.True(dataset.GetProperty("drift").GetBoolean());
    }

    [Fact]
    public void Table_lists_every_column_with_its_verdict_and_no_escape_codes_when_redirected()
    {
        var output = new StringWriter();
        new TableReportWriter(colors: false, width: 140).Write(HostileReport(), output);
        string text = output.ToString();

        Assert.Contains("<b>price</b>", text);
        Assert.Contains("0.01235", text);
        Assert.Contains("DRIFT", text);
        Assert.Contains("Dataset drift detected: 1 of 2 columns drifted", text);
        Assert.DoesNotContain("\u001b[", text);
    }

    [Fact]
    public void Numerical_histogram_shares_sum_to_one_on_each_side()
    {
        var rng = new Random(1);
        double[] a = Enumerable.Range(0, 1000).Select(_ => rng.NextDouble()).ToArray();
        double[] b = Enumerable.Range(0, 500).Select(_ => rng.NextDouble() + 0.5).ToArray();

        ColumnHistogram h = ColumnHistogram.FromSamples(ColumnSample.Numerical("x", a), ColumnSample.Numerical("x", b));

        Assert.InRange(h.Labels.Count, 2, ColumnHistogram.MaxBins);
        Assert.Equal(1.0, h.ReferenceShares.Sum(), 9);
        Assert.Equal(1.0, h.CurrentShares.Sum(), 9);
    }

    [Fact]
    public void Many_categories_fold_into_an_other_bar()
    {
        string[] labels = Enumerable.Range(0, 50).Select(i => "c" + i).ToArray();

        ColumnHistogram h = ColumnHistogram.FromSamples(ColumnSample.Categorical("x", labels), ColumnSample.Categorical("x", labels));

        Assert.Equal(ColumnHistogram.MaxCategories + 1, h.Labels.Count);
        Assert.Equal("(30 other categories)", h.Labels[^1]);
    }
}

public sealed class HistogramLabelTests
{
    [Theory]
    [InlineData(50_000.0, 7_481.0, "50,000")]
    [InlineData(57_481.0, 249.4, "57,481")]
    [InlineData(0.25, 0.05, "0.25")]
    [InlineData(0.000072, 0.0000715, "0.000072")]
    [InlineData(-1234.5678, 0.5, "-1,234.57")]
    [InlineData(3e20, 1e19, "3e+20")]
    public void Bin_bounds_are_plain_digits_with_the_decimals_the_step_needs(double value, double step, string expected)
    {
        Assert.Equal(expected, ColumnHistogram.FormatNumber(value, step));
    }

    [Fact]
    public void Labels_of_large_numbers_are_not_in_e_notation()
    {
        var rng = new Random(3);
        double[] a = Enumerable.Range(0, 2000).Select(_ => 50_000 + (rng.NextDouble() * 7481)).ToArray();

        ColumnHistogram h = ColumnHistogram.FromSamples(ColumnSample.Numerical("income", a), ColumnSample.Numerical("income", a));

        Assert.All(h.Labels, l => Assert.DoesNotMatch(@"\d[eE][+-]?\d", l));
        Assert.StartsWith("50,0", h.Labels[0]);
    }

    [Fact]
    public void Cards_print_scores_as_the_table_does()
    {
        string html = HtmlReportWriter.ToHtml(ReportWriterTests.HostileReport());

        Assert.Contains("score <strong title=\"0.012345678901234568\">0.01235</strong>", html);
        Assert.DoesNotContain(">0.012345678901234568<", html);
    }
}
