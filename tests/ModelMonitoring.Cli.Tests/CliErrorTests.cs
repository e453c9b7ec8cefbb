using ModelMonitoring.Cli.Data;

namespace ModelMonitoring.Cli.Tests;

/// <summary>Failures a user meets: each is exit code 2 and one line on stderr that names the file or option.</summary>
public sealed class CliErrorTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private string Data(string name) => dir.Write(name, "price,region\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"{i % 9}.5,{(i % 2 == 0 ? "north" : "south")}\n")));

    [Fact]
    public async Task A_directory_given_as_a_data_file_says_it_is_a_directory()
    {
        string data = Data("a.csv");
        string folder = Directory.CreateDirectory(dir.File_("folder.csv")).FullName;

        (int code, string stdout, string stderr) = await CliRunner.RunAsync("drift", "-r", data, "-c", folder);
        (int baselineCode, _, string baselineErr) = await CliRunner.RunAsync("baseline", folder, "--out", dir.File_("b.json"));

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Equal($"mlmon: error: {folder}: is a directory, not a file.", stderr.TrimEnd());
        Assert.Equal(2, baselineCode);
        Assert.Contains("is a directory", baselineErr);
    }

    [Fact]
    public async Task A_directory_given_as_a_baseline_says_it_is_a_directory()
    {
        string data = Data("a.csv");
        string folder = Directory.CreateDirectory(dir.File_("ref.baseline.json")).FullName;

        (int code, _, string stderr) = await CliRunner.RunAsync("drift", "-r", folder, "-c", data);

        Assert.Equal(2, code);
        Assert.Contains("is a directory", stderr);
    }

    [Fact]
    public async Task An_output_that_is_a_directory_names_the_output_option_before_any_work()
    {
        string data = Data("a.csv");
        string folder = Directory.CreateDirectory(dir.File_("report.json")).FullName;

        (int code, string stdout, string stderr) = await CliRunner.RunAsync("drift", "-r", data, "-c", data, "-o", folder);
        (int baselineCode, _, string baselineErr) = await CliRunner.RunAsync("baseline", data, "--out", folder);

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.StartsWith("mlmon: error: --output: ", stderr);
        Assert.Contains("is a directory", stderr);
        Assert.Equal(2, baselineCode);
        Assert.StartsWith("mlmon: error: --out: ", baselineErr);
    }

    [Fact]
    public async Task An_output_in_a_missing_directory_names_the_output_option()
    {
        string data = Data("a.csv");

        (int code, _, string stderr) = await CliRunner.RunAsync("drift", "-r", data, "-c", data, "-o", dir.File_("no/such/dir/r.html"));

        Assert.Equal(2, code);
        Assert.Contains("--output: the directory of", stderr);
    }

    [Fact]
    public void A_write_that_fails_midway_names_the_option_keeps_the_old_file_and_leaves_no_temporary_file()
    {
        string target = dir.Write("report.json", "previous report");

        var ex = Assert.Throws<CliInputException>(() => OutputFile.Write(target, "--output", writer =>
        {
            writer.Write(new string('x', 100_000));
            writer.Flush();
            throw new IOException("No space left on device");
        }));

        Assert.Equal($"--output: cannot write {target}: No space left on device", ex.Message);
        Assert.Equal("previous report", File.ReadAllText(target));
        Assert.Equal(["report.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_successful_write_replaces_the_file_and_leaves_no_temporary_file()
    {
        string data = Data("a.csv");
        string target = dir.Write("report.html", "old");

        (int code, _, string stderr) = await CliRunner.RunAsync("drift", "-r", data, "-c", data, "-o", target);

        Assert.True(code == 0, stderr);
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(target));
        Assert.Equal(["a.csv", "report.html"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task An_unexpected_exception_is_exit_2_with_one_line_and_no_stack_trace()
    {
        var stderr = new StringWriter();
        var context = new CliContext(new StringWriter(), stderr, CliEnvironment.Redirected);

        int code = await Cli.GuardAsync(context, () => throw new InvalidOperationException("Sequence contains no elements\nsecond line"));
        int wrapped = await Cli.GuardAsync(context, () => Task.FromException<int>(new AggregateException(new NullReferenceException("boom"))));

        Assert.Equal(2, code);
        Assert.Equal(2, wrapped);
        string[] lines = stderr.ToString().TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("mlmon: internal error: InvalidOperationException: Sequence contains no elements (", lines[0]);
        Assert.StartsWith("mlmon: internal error: NullReferenceException: boom", lines[1]);
        Assert.DoesNotContain("   at ", stderr.ToString());
    }

    [Fact]
    public async Task An_input_error_inside_a_parallel_loop_keeps_its_own_message()
    {
        var stderr = new StringWriter();
        var context = new CliContext(new StringWriter(), stderr, CliEnvironment.Redirected);

        int code = await Cli.GuardAsync(context, () => Task.FromException<int>(new AggregateException(new CliInputException("x.csv: line 3: bad"))));

        Assert.Equal(2, code);
        Assert.Equal("mlmon: error: x.csv: line 3: bad", stderr.ToString().TrimEnd());
    }

    [Fact]
    public async Task A_bad_input_format_names_the_option()
    {
        string data = Data("a.csv");

        (int code, _, string stderr) = await CliRunner.RunAsync("drift", "-r", data, "-c", data, "--input-format", "xlsx");

        Assert.Equal(2, code);
        Assert.Contains("--input-format: 'xlsx'", stderr);
    }

    [Fact]
    public async Task Timings_go_to_stderr_and_leave_stdout_the_report()
    {
        string data = Data("a.csv");

        (int code, string stdout, string stderr) = await CliRunner.RunAsync("drift", "-r", data, "-c", data, "-f", "json", "--timings");

        Assert.Equal(0, code);
        using var _ = System.Text.Json.JsonDocument.Parse(stdout);
        Assert.StartsWith("mlmon: timings: reading a.csv ", stderr);
        Assert.Contains("computing drift", stderr);
    }

    [Fact]
    public async Task When_the_reference_fails_the_current_read_stops_and_the_reference_error_is_reported()
    {
        string current = dir.Write("big.csv", "price,region\n" + string.Concat(Enumerable.Range(0, 200_000).Select(i => $"{i}.5,r{i % 7}\n")));
        string reference = dir.Write("bad.csv", "price,region\n1,a,extra\n");

        (int code, _, string stderr) = await CliRunner.RunAsync("drift", "-r", reference, "-c", current);

        Assert.Equal(2, code);
        Assert.Equal($"mlmon: error: {reference}: line 2: 3 fields, but the header has 2 (delimiter comma). Every row needs one field per column (quote fields that contain the delimiter or line breaks).", stderr.TrimEnd());
    }
}
