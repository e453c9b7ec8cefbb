using System.Text.Json;

namespace ModelMonitoring.Cli.Tests;

/// <summary>
/// Every golden case of <c>tests/data/golden/drift</c>, run through the CLI's own code path (arguments in, JSON out)
/// and compared with <c>expected.json</c>: method names, scores within 1e-6 relative (1e-9 absolute near 0), flags,
/// the dataset verdict and the exit code.
/// </summary>
public sealed class GoldenDriftTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (string dir in Directory.GetDirectories(RepoPaths.GoldenDrift).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(dir));
        }

        return data;
    }

    [Fact]
    public void The_golden_cases_are_there()
    {
        Assert.True(Cases().Count >= 10, $"expected the golden drift cases under {RepoPaths.GoldenDrift}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Json_output_matches_expected(string name)
    {
        string dir = Path.Combine(RepoPaths.GoldenDrift, name);
        using JsonDocument expectedDoc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "expected.json")));
        JsonElement expected = expectedDoc.RootElement;
        string method = expected.GetProperty("method").GetString()!;
        var args = new List<string>
        {
            "drift", "--reference", Path.Combine(dir, "reference.csv"), "--current", Path.Combine(dir, "current.csv"), "--format", "json",
        };
        if (method != "auto")
        {
            // Forced-method cases: the method and the categorical columns as the case states them. The auto cases
            // leave the types to the CLI's inference, which must find the same categorical columns.
            args.AddRange(["--method", method, "--categorical", string.Join(',', expected.GetProperty("categorical").EnumerateArray().Select(e => e.GetString()))]);
        }

        (int code, string stdout, string stderr) = await CliRunner.RunAsync([.. args]);

        Assert.True(stderr.Length == 0, stderr);
        using JsonDocument actualDoc = JsonDocument.Parse(stdout);
        JsonElement actual = actualDoc.RootElement;
        Assert.Equal(method, actual.GetProperty("method").GetString());
        Assert.Equal(
            expected.GetProperty("categorical").EnumerateArray().Select(e => e.GetString()),
            actual.GetProperty("categorical").EnumerateArray().Select(e => e.GetString()));

        JsonElement[] expectedColumns = [.. expected.GetProperty("columns").EnumerateArray()];
        JsonElement[] actualColumns = [.. actual.GetProperty("columns").EnumerateArray()];
        Assert.Equal(expectedColumns.Length, actualColumns.Length);
        for (int i = 0; i < expectedColumns.Length; i++)
        {
            JsonElement e = expectedColumns[i], a = actualColumns[i];
            string column = e.GetProperty("name").GetString()!;
            Assert.Equal(column, a.GetProperty("name").GetString());
            Assert.Equal(e.GetProperty("type").GetString(), a.GetProperty("type").GetString());
            Assert.True(
                e.GetProperty("method").GetString() == a.GetProperty("method").GetString(),
                $"{name}/{column}: method {a.GetProperty("method")} instead of {e.GetProperty("method")}");
            AssertClose(e.GetProperty("score").GetDouble(), a.GetProperty("score").GetDouble(), $"{name}/{column} score");
            Assert.Equal(e.GetProperty("threshold").GetDouble(), a.GetProperty("threshold").GetDouble());
            Assert.True(
                e.GetProperty("drift").GetBoolean() == a.GetProperty("drift").GetBoolean(),
                $"{name}/{column}: drift {a.GetProperty("drift")} instead of {e.GetProperty("drift")}");
            Assert.Equal(0, a.GetProperty("reference_missing").GetInt32());
            Assert.Equal(0, a.GetProperty("current_missing").GetInt32());
        }

        JsonElement ed = expected.GetProperty("dataset"), ad = actual.GetProperty("dataset");
        Assert.Equal(ed.GetProperty("drifted_columns").GetInt32(), ad.GetProperty("drifted_columns").GetInt32());
        Assert.Equal(ed.GetProperty("columns").GetInt32(), ad.GetProperty("columns").GetInt32());
        AssertClose(ed.GetProperty("share").GetDouble(), ad.GetProperty("share").GetDouble(), $"{name} share");
        bool drift = ed.GetProperty("drift").GetBoolean();
        Assert.Equal(drift, ad.GetProperty("drift").GetBoolean());
        Assert.Equal(drift ? 1 : 0, code);
    }

    internal static void AssertClose(double expected, double actual, string what)
    {
        double diff = Math.Abs(expected - actual);
        bool ok = diff <= 1e-9 || diff <= 1e-6 * Math.Abs(expected);
        Assert.True(ok, $"{what}: {actual:R} instead of {expected:R} (difference {diff:R})");
    }
}
