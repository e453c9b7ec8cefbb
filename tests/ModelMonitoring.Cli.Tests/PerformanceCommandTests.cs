using System.Diagnostics;
using System.Text.Json;

namespace ModelMonitoring.Cli.Tests;

/// <summary>
/// mlmon performance, estimate and changes, run as a user runs them, on the scikit-learn fixtures of
/// tests/data/performance (generate.py there; metrics to 1e-9).
/// </summary>
public sealed class PerformanceCommandTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private static string Fixture(string file) => PerformanceFixtures.Fixture(file);

    private static JsonElement Expected(string fixture) => PerformanceFixtures.Expected(fixture);

    [Theory]
    [InlineData("binary", "--score", "score", "--positive", "churn")]
    [InlineData("multiclass")]
    [InlineData("regression")]
    public async Task Performance_prints_scikit_learns_metrics_as_json(string fixture, params string[] more)
    {
        (int exit, string stdout, string stderr) = await CliRunner.RunAsync(
            ["performance", "--data", Fixture($"{fixture}.csv"), "--target", "actual", "--prediction", "predicted", "--format", "json", .. more]);

        Assert.True(exit == 0, stderr);
        using JsonDocument output = JsonDocument.Parse(stdout);
        Assert.Equal(fixture == "regression" ? "regression" : "classification", output.RootElement.GetProperty("task").GetString());
        Assert.Equal(File.ReadAllLines(Fixture($"{fixture}.csv")).Length - 1, output.RootElement.GetProperty("rows").GetInt32());
        JsonElement metrics = output.RootElement.GetProperty("metrics");
        foreach (JsonProperty expected in Expected(fixture).EnumerateObject())
        {
            double ours = metrics.GetProperty(expected.Name).GetDouble();
            Assert.True(Math.Abs(expected.Value.GetDouble() - ours) <= 1e-9 * Math.Max(1, Math.Abs(ours)), $"{expected.Name}: scikit-learn {expected.Value.GetDouble():R}, mlmon {ours:R}");
        }
    }

    [Fact]
    public async Task Estimate_prints_each_chunk_with_its_band_and_the_realized_values_when_the_target_is_there()
    {
        (int exit, string stdout, string stderr) = await CliRunner.RunAsync(
            "estimate", "--reference", Fixture("cbpe_reference.csv"), "--current", Fixture("cbpe_current.csv"), "--target", "target", "--score", "score",
            "--prediction", "prediction", "--chunk-size", "2000", "--format", "json");

        Assert.True(exit == 0, stderr);
        using JsonDocument output = JsonDocument.Parse(stdout);
        JsonElement[] chunks = [.. output.RootElement.GetProperty("chunks").EnumerateArray()];
        double[] realized = [.. Expected("cbpe").GetProperty("realized_accuracy").EnumerateArray().Select(a => a.GetDouble())];
        Assert.Equal(realized.Length, chunks.Length);
        Assert.Equal(5, output.RootElement.GetProperty("reference_chunks").GetInt32());
        for (int i = 0; i < chunks.Length; i++)
        {
            Assert.Equal(i * 2000, chunks[i].GetProperty("start").GetInt32());
            Assert.Equal((i * 2000) + 1999, chunks[i].GetProperty("end").GetInt32());
            double estimated = chunks[i].GetProperty("estimated").GetProperty("accuracy").GetDouble();
            Assert.Equal(realized[i], chunks[i].GetProperty("realized").GetProperty("accuracy").GetDouble(), 12);
            Assert.True(Math.Abs(estimated - realized[i]) <= 0.03, $"chunk {i}: estimated {estimated}, realized {realized[i]}");
            Assert.True(chunks[i].GetProperty("lower").GetProperty("accuracy").GetDouble() < estimated);
            Assert.True(chunks[i].GetProperty("upper").GetProperty("accuracy").GetDouble() > estimated);
        }
    }

    [Fact]
    public async Task Changes_prints_the_detections_and_exits_1_or_0()
    {
        var random = new Random(1);
        string stream = dir.Write("stream.csv", "error\n" + string.Concat(Enumerable.Range(0, 3000).Select(i => random.NextDouble() < (i < 1000 ? 0.1 : 0.3) ? "1\n" : "0\n")));
        string calm = dir.Write("calm.csv", "error\n" + string.Concat(Enumerable.Range(0, 3000).Select(i => random.NextDouble() < 0.1 ? "1\n" : "0\n")));

        (int exit, string stdout, string stderr) = await CliRunner.RunAsync("changes", "--data", stream, "--column", "error", "--detector", "ddm", "--format", "json");
        (int calmExit, string calmOut, _) = await CliRunner.RunAsync("changes", "--data", calm, "--column", "error", "--detector", "adwin");

        Assert.True(exit == 1, stderr);
        using JsonDocument output = JsonDocument.Parse(stdout);
        int[] detections = [.. output.RootElement.GetProperty("detections").EnumerateArray().Select(d => d.GetInt32())];
        int[] warnings = [.. output.RootElement.GetProperty("warnings").EnumerateArray().Select(d => d.GetInt32())];
        Assert.NotEmpty(detections);
        Assert.InRange(detections.First(d => d >= 1000), 1000, 1900);
        Assert.NotEmpty(warnings);
        Assert.Equal(0, calmExit);
        Assert.Contains("adwin: no change in 3,000 values of 'error'", calmOut);
    }

    [Fact]
    public async Task Bad_input_names_the_option_the_file_the_line_and_the_column()
    {
        string bad = dir.Write("bad.csv", "actual,predicted,score\n1,1,0.5\n0,1,high\n");
        string ragged = dir.Write("ragged.csv", "actual,predicted\n1,1\n0\n");

        (int e1, _, string unknownColumn) = await CliRunner.RunAsync("performance", "--data", bad, "--target", "truth", "--prediction", "predicted");
        (int e2, _, string badScore) = await CliRunner.RunAsync("performance", "--data", bad, "--target", "actual", "--prediction", "predicted", "--score", "score");
        (int e3, _, string raggedRow) = await CliRunner.RunAsync("performance", "--data", ragged, "--target", "actual", "--prediction", "predicted");
        (int e4, _, string detector) = await CliRunner.RunAsync("changes", "--data", bad, "--column", "actual", "--detector", "cusum");
        (int e5, _, string task) = await CliRunner.RunAsync("performance", "--data", bad, "--target", "actual", "--prediction", "predicted", "--task", "ranking");

        Assert.All(new[] { e1, e2, e3, e4, e5 }, e => Assert.Equal(2, e));
        Assert.Contains("--target: " + bad + " has no column 'truth'. Its columns are: actual, predicted, score.", unknownColumn);
        Assert.Contains(bad + ":3: column 'score' holds 'high', which is not a number.", badScore);
        Assert.Contains(ragged + ":3: the row has 1 cells but the header has 2 columns.", raggedRow);
        Assert.Contains("--detector: Unknown change detector 'cusum'. Choose one of: adwin, page-hinkley, ddm.", detector);
        Assert.Contains("--task: 'ranking' is not a task", task);
    }

    [Fact]
    public async Task The_real_mlmon_process_runs_performance()
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { RepoPaths.MlmonDll, "performance", "--data", Fixture("regression.csv"), "--target", "actual", "--prediction", "predicted" })
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        string stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.Contains("Performance (regression) over 1,000 rows", stdout);
        Assert.Contains("mae", stdout);
    }
}
