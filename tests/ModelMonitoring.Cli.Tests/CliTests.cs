using System.Text.Json;

namespace ModelMonitoring.Cli.Tests;

/// <summary>The command line as a user meets it: exit codes, error messages, output files.</summary>
public sealed class CliTests : IDisposable
{
    private const string Header = "price,region\n";
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private static string Golden(string name, string file) => Path.Combine(RepoPaths.GoldenDrift, name, file);

    private (string Reference, string Current) SmallPair()
    {
        // 12 distinct prices, two regions: KS and the Z test on small samples.
        var reference = string.Concat(Enumerable.Range(0, 40).Select(i => $"{i % 12}.5,{(i % 2 == 0 ? "north" : "south")}\n"));
        var current = string.Concat(Enumerable.Range(0, 40).Select(i => $"{(i % 12) + 0.25},{(i % 3 == 0 ? "north" : "south")}\n"));
        return (dir.Write("ref.csv", Header + reference), dir.Write("cur.csv", Header + current));
    }

    [Fact]
    public async Task No_dataset_drift_exits_0_and_drift_exits_1()
    {
        (int noDrift, _, string err0) = await CliRunner.RunAsync("drift", "-r", Golden("small_no_drift", "reference.csv"), "-c", Golden("small_no_drift", "current.csv"));
        (int drift, string table, string err1) = await CliRunner.RunAsync("drift", "-r", Golden("small_drift", "reference.csv"), "-c", Golden("small_drift", "current.csv"));

        Assert.Equal(0, noDrift);
        Assert.Equal(1, drift);
        Assert.Empty(err0 + err1);
        Assert.Contains("Dataset drift detected: 6 of 7 columns drifted", table);
        Assert.Contains("price", table);
        Assert.DoesNotContain("\u001b[", table); // no colour codes when redirected
    }

    [Fact]
    public async Task An_unknown_method_is_a_usage_error_naming_the_option()
    {
        var (reference, current) = SmallPair();

        (int code, string stdout, string stderr) = await CliRunner.RunAsync("drift", "-r", reference, "-c", current, "--method", "kolmogorov");

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains("--method", stderr);
        Assert.Contains("'kolmogorov'", stderr);
        Assert.Contains("ks", stderr);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-0.5")]
    [InlineData("0")]
    [InlineData("NaN")]
    public async Task A_bad_threshold_is_a_usage_error_naming_the_option(string threshold)
    {
        var (reference, current) = SmallPair();

        (int code, _, string stderr) = await CliRunner.RunAsync("drift", "-r", reference, "-c", current, "--threshold", threshold);

        Assert.Equal(2, code);
        Assert.Contains("--threshold", stderr);
    }

    [Fact]
    public async Task A_p_value_threshold_of_1_or_more_is_rejected()
    {
        var (reference, current) = SmallPair();

        (int code, _, string stderr) = await CliRunner.RunAsync("drift", "-r", reference, "-c", current, "--method", "ks", "--threshold", "5");

        Assert.Equal(2, code);
        Assert.Contains("--threshold", stderr);
        Assert.Contains("p-value", stderr);
    }

    [Theory]
    [InlineData("--format", "xml")]
    [InlineData("--engine", "fast")]
    public async Task Bad_format_and_engine_are_usage_errors(string option, string value)
    {
        var (reference, current) = SmallPair();

        (int code, _, string stderr) = await CliRunner.RunAsync("drift", "-r", reference, "-c", current, option, value);

        Assert.Equal(2, code);
        Assert.Contains(option, stderr);
    }

    [Fact]
    public async Task A_missing_required_option_is_a_usage_error()
    {
        (int code, string stdout, string stderr) = await CliRunner.RunAsync("drift", "--reference", "a.csv");

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains("--current", stderr);
        Assert.Contains("mlmon drift --help", stderr);
    }

    [Fact]
    public async Task No_command_is_a_usage_error_and_help_exits_0()
    {
        (int none, _, _) = await CliRunner.RunAsync();
        (int help, string helpText, _) = await CliRunner.RunAsync("drift", "--help");

        Assert.Equal(2, none);
        Assert.Equal(0, help);
        Assert.Contains("--categorical", helpText);
        Assert.Contains("--threshold", helpText);
    }

    [Fact]
    public async Task A_malformed_row_names_the_file_and_line()
    {
        var (reference, _) = SmallPair();
        string current = dir.Write("broken.csv", Header + "1.5,north\n2.5,south\n3.5,south,extra\n");

        (int code, string stdout, string stderr) = await CliRunner.RunAsync("drift", "-r", reference, "-c", current, "--format", "json");

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains(current, stderr);
        Assert.Contains("line 4", stderr);
    }

    [Fact]
    public async Task A_column_in_one_file_only_is_named()
    {
        var (reference, _) = SmallPair();
        string current = dir.Write("other.csv", "price,zone\n1.5,north\n");

        (int code, _, string stderr) = await CliRunner.RunAsync("drift", "-r", reference, "-c", current);

        Assert.Equal(2, code);
        Assert.Contains("'region'", stderr);
    }

    [Fact]
    public async Task Header_only_and_missing_files_are_input_errors()
    {
        var (reference, _) = SmallPair();
        string headerOnly = dir.Write("header.csv", Header);

        (int code1, _, string err1) = await CliRunner.RunAsync("drift", "-r", reference, "-c", headerOnly);
        (int code2, _, string err2) = await CliRunner.RunAsync("drift", "-r", dir.File_("missing.csv"), "-c", headerOnly);

        Assert.Equal(2, code1);
        Assert.Contains("no data rows", err1);
        Assert.Equal(2, code2);
        Assert.Contains("missing.csv", err2);
        Assert.Contains("not found", err2);
    }

    [Fact]
    public async Task Unknown_categorical_column_names_the_option()
    {
        var (reference, current) = SmallPair();

        (int code, _, string stderr) = await CliRunner.RunAsync("drift", "-r", reference, "-c", current, "--categorical", "regoin");

        Assert.Equal(2, code);
        Assert.Contains("--categorical", stderr);
        Assert.Contains("'regoin'", stderr);
    }

    [Fact]
    public async Task Missing_values_are_left_out_and_reported()
    {
        string reference = dir.Write("r.csv", Header + string.Concat(Enumerable.Range(0, 30).Select(i => i % 10 == 0 ? ",north\n" : $"{i}.5,{(i % 4 == 0 ? "" : "south")}\n")));
        string current = dir.Write("c.csv", Header + string.Concat(Enumerable.Range(0, 30).Select(i => $"{i}.5,{(i % 2 == 0 ? "north" : "south")}\n")));

        (int code, string stdout, string stderr) = await CliRunner.RunAsync("drift", "-r", reference, "-c", current, "--format", "json");

        Assert.True(code is 0 or 1, stderr);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        JsonElement price = doc.RootElement.GetProperty("columns")[0];
        JsonElement region = doc.RootElement.GetProperty("columns")[1];
        Assert.Equal(3, price.GetProperty("reference_missing").GetInt32());
        Assert.Equal(0, price.GetProperty("current_missing").GetInt32());
        Assert.Equal(6, region.GetProperty("reference_missing").GetInt32()); // i = 4, 8, 12, 16, 24, 28
        Assert.Equal("numerical", price.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_forced_method_applies_to_the_columns_that_allow_it_with_the_given_threshold()
    {
        (int _, string stdout, string stderr) = await CliRunner.RunAsync(
            "drift", "-r", Golden("explicit_ks", "reference.csv"), "-c", Golden("explicit_ks", "current.csv"), "--format", "json", "--method", "ks", "--threshold", "0.2");

        Assert.Empty(stderr);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        var columns = doc.RootElement.GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal("ks", columns["price"].GetProperty("method").GetString());
        Assert.Equal(0.2, columns["price"].GetProperty("threshold").GetDouble());
        Assert.Equal("jensenshannon", columns["region"].GetProperty("method").GetString()); // ks does not apply to labels
        Assert.Equal(0.1, columns["region"].GetProperty("threshold").GetDouble());
    }

    [Fact]
    public async Task Output_file_gets_the_report_and_stdout_a_summary()
    {
        var (reference, current) = SmallPair();
        string output = dir.File_("report.json");

        (int code, string stdout, string stderr) = await CliRunner.RunAsync("drift", "-r", reference, "-c", current, "-o", output);

        Assert.True(code is 0 or 1, stderr);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(output)); // format from the extension
        Assert.Equal(2, doc.RootElement.GetProperty("dataset").GetProperty("columns").GetInt32());
        Assert.Contains("json report written to", stdout);
    }

    [Fact]
    public async Task Html_report_through_the_cli_escapes_a_hostile_category()
    {
        string reference = dir.Write("r.csv", Header + string.Concat(Enumerable.Range(0, 30).Select(i => $"{i}.5,\"<script>alert(1)</script>\"\n")));
        string current = dir.Write("c.csv", Header + string.Concat(Enumerable.Range(0, 30).Select(i => $"{i}.5,{(i % 2 == 0 ? "north" : "<script>alert(1)</script>")}\n")));

        (int code, string html, string stderr) = await CliRunner.RunAsync("drift", "-r", reference, "-c", current, "--format", "html");

        Assert.True(code is 0 or 1, stderr);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.DoesNotMatch(new System.Text.RegularExpressions.Regex("https?:", System.Text.RegularExpressions.RegexOptions.IgnoreCase), html);
    }

    [Fact]
    public async Task Numbers_on_the_command_line_and_in_the_output_ignore_the_machine_culture()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            (int _, string stdout, string stderr) = await CliRunner.RunAsync(
                "drift", "-r", Golden("small_drift", "reference.csv"), "-c", Golden("small_drift", "current.csv"), "--format", "json", "--threshold", "0.2");

            Assert.Empty(stderr);
            using JsonDocument doc = JsonDocument.Parse(stdout);
            Assert.Equal(0.2, doc.RootElement.GetProperty("columns")[0].GetProperty("threshold").GetDouble());
            Assert.Equal(0.3405950587590514, doc.RootElement.GetProperty("columns")[4].GetProperty("score").GetDouble(), 1e-9);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }
}
