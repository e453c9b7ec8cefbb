using System.Text;
using System.Text.Json;
using ModelMonitoring.Cli.Data;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Cli.Tests;

/// <summary>
/// CSV as pandas writes and reads it. The fixtures in data/pandas and what pandas.read_csv makes of them
/// (expected.json) come from data/pandas/make_fixtures.py (Debian's python3-pandas); sums agree to 1e-12 relative.
/// </summary>
public sealed class CsvPandasTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "data", "pandas", name);

    public static TheoryData<string> Files() => new() { "written_by_pandas.csv", "spellings.csv", "semicolon.csv" };

    [Theory]
    [MemberData(nameof(Files))]
    public void Columns_types_counts_missing_and_values_match_pandas_read_csv(string file)
    {
        using JsonDocument expected = JsonDocument.Parse(File.ReadAllText(Fixture("expected.json")));
        Dataset data = Dataset.Load(Fixture(file));

        foreach (JsonProperty column in expected.RootElement.GetProperty(file).EnumerateObject())
        {
            JsonElement e = column.Value;
            ColumnSample sample = data[column.Name].ToSample();
            string what = $"{file}/{column.Name}";
            Assert.True(e.GetProperty("numeric").GetBoolean() == (sample.Type == ColumnType.Numerical), $"{what}: type {sample.Type}");
            Assert.True(e.GetProperty("count").GetInt32() == sample.Count, $"{what}: {sample.Count} values");
            Assert.True(e.GetProperty("missing").GetInt32() == sample.MissingCount, $"{what}: {sample.MissingCount} missing");
            if (sample.Type == ColumnType.Numerical)
            {
                double sum = e.GetProperty("sum").GetDouble();
                double actual = sample.Numbers.Sum();
                Assert.True(Math.Abs(sum - actual) <= 1e-12 * Math.Max(1, Math.Abs(sum)) || sum == actual, $"{what}: sum {actual:R} instead of {sum:R}");
            }
            else
            {
                Assert.Equal(e.GetProperty("labels").EnumerateArray().Select(l => l.GetString()), sample.Categories.Distinct().Order(StringComparer.Ordinal));
            }
        }
    }

    [Fact]
    public void Infinity_spellings_keep_a_column_numerical_and_are_left_out_like_nan()
    {
        string path = dir.Write("inf.csv", "x\n1.5\ninf\n-inf\nInf\nINF\n+inf\n-Infinity\n2.5\n");

        ColumnSample x = Dataset.Load(path)["x"].ToSample();

        Assert.Equal(ColumnType.Numerical, x.Type);
        Assert.Equal([1.5, 2.5], x.Numbers);
        Assert.Equal(6, x.MissingCount);
    }

    [Fact]
    public async Task An_inf_in_a_numerical_column_does_not_turn_it_categorical_or_report_false_drift()
    {
        string body = string.Concat(Enumerable.Range(0, 200).Select(i => $"{i % 50}.5\n"));
        string reference = dir.Write("r.csv", "x\n" + body);
        string current = dir.Write("c.csv", "x\n" + body + "inf\n-inf\n");

        (int code, string stdout, string stderr) = await CliRunner.RunAsync("drift", "-r", reference, "-c", current, "-f", "json");

        Assert.True(code == 0, stderr);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        JsonElement x = doc.RootElement.GetProperty("columns")[0];
        Assert.Equal("numerical", x.GetProperty("type").GetString());
        Assert.False(x.GetProperty("drift").GetBoolean());
        Assert.Equal(2, x.GetProperty("current_missing").GetInt32());
    }

    [Fact]
    public void Pandas_missing_spellings_are_missing_in_label_columns_too()
    {
        string path = dir.Write("na.csv", "label\nnorth\nNA\nN/A\n<NA>\nNULL\nnull\nNone\n#N/A\nnan\nNaN\n\nsouth\n");

        ColumnSample label = Dataset.Load(path)["label"].ToSample();

        Assert.Equal(["north", "south"], label.Categories);
        Assert.Equal(9, label.MissingCount); // the blank line is skipped, as pandas' skip_blank_lines does
    }

    [Theory]
    [InlineData("1.5abc")]
    [InlineData("1,5")]
    [InlineData("0x10")]
    [InlineData("1d5")]
    public void A_number_followed_by_text_is_a_label_not_a_truncated_number(string cell)
    {
        string path = dir.Write("p.csv", $"x;y\n1;a\n{cell};b\n");

        ColumnSample x = Dataset.Load(path)["x"].ToSample();

        Assert.Equal(ColumnType.Categorical, x.Type);
        Assert.Equal(["1", cell], x.Categories);
    }

    [Fact]
    public void Numbers_near_the_double_range_are_numbers_read_exactly()
    {
        string path = dir.Write("big.csv", "x\n1e308\n-1e308\n1.7976931348623157e308\n4.9e-324\n");

        ColumnSample x = Dataset.Load(path)["x"].ToSample();

        Assert.Equal(ColumnType.Numerical, x.Type);
        Assert.Equal([1e308, -1e308, double.MaxValue, double.Epsilon], x.Numbers);
        Assert.Equal(0, x.MissingCount);
    }

    [Fact]
    public async Task Numbers_near_1e308_get_a_score_or_a_warning_naming_the_column_never_a_silent_null()
    {
        var rng = new Random(5);
        string Rows(double shift) => string.Concat(Enumerable.Range(0, 2000).Select(_ => FormattableString.Invariant($"{(rng.NextDouble() + shift) * 1e308:R}\n")));
        string reference = dir.Write("r.csv", "x\n" + Rows(0));
        string current = dir.Write("c.csv", "x\n" + Rows(0.5));

        (int _, string stdout, string stderr) = await CliRunner.RunAsync("drift", "-r", reference, "-c", current, "-f", "json");

        using JsonDocument doc = JsonDocument.Parse(stdout);
        JsonElement x = doc.RootElement.GetProperty("columns")[0];
        Assert.Equal("numerical", x.GetProperty("type").GetString());
        if (x.GetProperty("score").ValueKind == JsonValueKind.Null)
        {
            // The engine's score overflowed (reported to the statistics owners); mlmon must say so.
            Assert.Contains("warning: column 'x'", stderr);
            Assert.Contains("not a finite number", stderr);
        }
        else
        {
            Assert.True(double.IsFinite(x.GetProperty("score").GetDouble()));
            Assert.Empty(stderr);
        }
    }

    [Fact]
    public void Invalid_utf8_is_an_error_naming_the_line_and_column()
    {
        string path = dir.File_("latin1.csv");
        byte[] bytes = [.. "city,v\nBerlin,1\nM"u8, 0xFC, .. "nchen,2\n"u8]; // "München" in Latin-1
        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<CliInputException>(() => Dataset.Load(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("line 3, column 2", ex.Message);
        Assert.Contains("invalid UTF-8", ex.Message);
        Assert.Contains("0xFC", ex.Message);
    }

    [Fact]
    public void Invalid_utf8_deep_in_a_large_file_names_its_line()
    {
        var text = new StringBuilder("a,b\n");
        for (int i = 0; i < 200_000; i++)
        {
            text.Append(i).Append(",é\n");
        }

        string path = dir.File_("late.csv");
        byte[] good = new UTF8Encoding(false).GetBytes(text.ToString());
        File.WriteAllBytes(path, [.. good, .. "7,"u8, 0xC3, 0x28, .. "\n"u8]); // a lead byte without its continuation

        var ex = Assert.Throws<CliInputException>(() => Dataset.Load(path));

        Assert.Contains("line 200002, column 3", ex.Message);
    }

    [Theory]
    [InlineData(';')]
    [InlineData('\t')]
    [InlineData('|')]
    public void The_delimiter_is_detected_from_the_header(char delimiter)
    {
        string d = delimiter.ToString();
        string path = dir.Write("d.csv", $"price{d}region{d}note\n1.5{d}north{d}\"a{d} b\"\n2.5{d}south{d}x\n");

        Dataset data = Dataset.Load(path);

        Assert.Equal(["price", "region", "note"], data.ColumnNames);
        Assert.Equal([1.5, 2.5], data["price"].ToSample().Numbers);
        Assert.Equal([$"a{d} b", "x"], data["note"].ToSample().Categories);
    }

    [Fact]
    public async Task The_delimiter_option_overrides_detection()
    {
        // The header has more commas than semicolons, but the file is semicolon-separated with decimal commas.
        string path = dir.Write("eu.csv", "price (eur, net);region\n1,5;north\n2,5;south\n");

        Dataset data = Dataset.Load(path, options: new ReadOptions(Delimiter: ';'));
        (int code, string stdout, string stderr) = await CliRunner.RunAsync("drift", "-r", path, "-c", path, "--delimiter", ";", "-f", "json");

        Assert.Equal(["price (eur, net)", "region"], data.ColumnNames);
        Assert.Equal(["1,5", "2,5"], data["price (eur, net)"].ToSample().Categories); // a decimal comma is not a number
        Assert.True(code == 0, stderr);
        Assert.Contains("price (eur, net)", stdout);
    }

    [Theory]
    [InlineData("tab", '\t')]
    [InlineData("\\t", '\t')]
    [InlineData("semicolon", ';')]
    [InlineData(";", ';')]
    [InlineData("pipe", '|')]
    public void Delimiter_names_are_understood(string text, char expected)
    {
        Assert.True(ReadOptions.TryParseDelimiter(text, out char delimiter));
        Assert.Equal(expected, delimiter);
    }

    [Fact]
    public async Task A_bad_delimiter_value_names_the_option()
    {
        string path = dir.Write("a.csv", "a\n1\n");

        (int code, _, string stderr) = await CliRunner.RunAsync("drift", "-r", path, "-c", path, "--delimiter", ";;");

        Assert.Equal(2, code);
        Assert.Contains("--delimiter", stderr);
    }

    [Fact]
    public void A_semicolon_file_read_with_a_comma_says_which_delimiter_it_looks_like()
    {
        string path = dir.Write("semi.csv", "price;region\n1.5;north\n");

        var ex = Assert.Throws<CliInputException>(() => Dataset.Load(path, options: new ReadOptions(Delimiter: ',')));

        Assert.Contains("--delimiter ';'", ex.Message);
    }

    [Fact]
    public void A_quoted_number_is_a_number()
    {
        string path = dir.Write("q.csv", "x,y\n\"1.5\",a\n2.5,\"b\"\n");

        Dataset data = Dataset.Load(path);

        Assert.Equal([1.5, 2.5], data["x"].ToSample().Numbers);
        Assert.Equal(["a", "b"], data["y"].ToSample().Categories);
    }

    [Fact]
    public void A_stray_quote_names_the_line_and_column()
    {
        string path = dir.Write("stray.csv", "a,b\n1,ok\n2,bro\"ken\n");

        var ex = Assert.Throws<CliInputException>(() => Dataset.Load(path));

        Assert.Contains("line 3, column 2 ('b')", ex.Message);
        Assert.Contains("a quote inside an unquoted field", ex.Message);
    }

    [Fact]
    public void Text_after_a_closing_quote_names_the_line_and_column()
    {
        string path = dir.Write("after.csv", "a,b\n\"x\"y,1\n");

        var ex = Assert.Throws<CliInputException>(() => Dataset.Load(path));

        Assert.Contains("line 2, column 1 ('a')", ex.Message);
        Assert.Contains("after the closing quote", ex.Message);
    }

    [Fact]
    public void A_column_with_numbers_before_its_first_label_is_read_again_and_keeps_labels_as_written()
    {
        string path = dir.Write("late.csv", "code\n4.0\n7\nA1\n\n");

        ColumnSample code = Dataset.Load(path)["code"].ToSample();

        Assert.Equal(["4.0", "7", "A1"], code.Categories);
    }

    [Fact]
    public void A_crlf_file_with_a_bom_reads_like_a_plain_one()
    {
        string path = dir.File_("bom.csv");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "x,y\r\n1,a\r\n2,b\r\n"u8]);

        Dataset data = Dataset.Load(path);

        Assert.Equal(["x", "y"], data.ColumnNames);
        Assert.Equal([1.0, 2.0], data["x"].ToSample().Numbers);
        Assert.Equal(["a", "b"], data["y"].ToSample().Categories);
    }
}
