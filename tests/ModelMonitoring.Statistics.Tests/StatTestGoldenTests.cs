using System.Text.Json;

namespace ModelMonitoring.Statistics.Tests;

/// <summary>
/// Every Evidently method against scipy's function of the same name (as Evidently calls it), on the cases of
/// tests/data/golden/stattests/stattests.json, written by make_stattests.py beside it with Debian's python3-scipy 1.10.
/// Tolerances: scores within 1e-12 absolute plus 1e-9 relative (the same formulas, evaluated in another order); the
/// permutation p-values of TVD and empirical_mmd (random by nature; Evidently's own numpy streams cannot be replayed)
/// within four standard errors of both estimates plus one step of ours; their statistics within 1e-9 relative.
/// </summary>
public sealed class StatTestGoldenTests
{
    private const double AbsoluteTolerance = 1e-12;
    private const double RelativeTolerance = 1e-9;

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (JsonElement item in Load().GetProperty("cases").EnumerateArray())
        {
            data.Add(item.GetProperty("method").GetString()!, item.GetProperty("path").GetString()!);
        }

        return data;
    }

    [Fact]
    public void Every_method_scipy_computes_has_a_golden_case()
    {
        var methods = Load().GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("method").GetString()).ToHashSet();
        foreach (string name in new[] { "anderson", "cramer_von_mises", "ed", "es", "fisher_exact", "g_test", "mannw", "t_test", "TVD", "empirical_mmd" })
        {
            Assert.Contains(name, methods);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Score_matches_scipy(string method, string path)
    {
        JsonElement item = Load().GetProperty("cases").EnumerateArray()
            .Single(c => c.GetProperty("method").GetString() == method && c.GetProperty("path").GetString() == path);
        StatTest test = StatTests.Get(method);
        (ColumnSample reference, ColumnSample current) = Samples(item);
        ColumnDriftResult result = ExactDriftEngine.EvaluateColumn(reference, current, new ColumnDriftSettings(test));
        Assert.Equal(test, result.Method);
        double expected = item.GetProperty("score").GetDouble();
        if (method is "TVD" or "empirical_mmd")
        {
            int ours = method == "TVD" ? 1000 : 100;
            int theirs = method == "TVD" ? 20_000 : 5_000;
            double p = Math.Clamp(expected, 0.01, 0.99);
            double allowed = (4 * Math.Sqrt(p * (1 - p) / ours)) + (4 * Math.Sqrt(p * (1 - p) / theirs)) + (1.0 / ours);
            Assert.True(Math.Abs(result.Score - expected) <= allowed, $"{method} ({path}): p {result.Score} vs {expected} (allowed {allowed:G3})");
        }
        else
        {
            AssertClose(expected, result.Score, $"{method} ({path}) score");
        }

        if (item.TryGetProperty("effect", out JsonElement effect))
        {
            AssertClose(effect.GetDouble(), result.EffectSize, $"{method} ({path}) effect size");
        }

        Assert.Equal(test.IsDrift(result.Score, test.DefaultThreshold), result.Drift);
        Assert.Null(result.Warning);
    }

    [Fact]
    public void Defaults_and_rules_are_Evidentlys()
    {
        (string Name, double Threshold, DriftRule Rule, bool Numerical, bool Categorical)[] expected =
        [
            ("ks", 0.05, DriftRule.PValueAtOrBelow, true, false),
            ("chisquare", 0.05, DriftRule.PValueBelow, false, true),
            ("z", 0.05, DriftRule.PValueBelow, false, true),
            ("wasserstein", 0.1, DriftRule.DistanceAtOrAbove, true, false),
            ("jensenshannon", 0.1, DriftRule.DistanceAtOrAbove, true, true),
            ("psi", 0.1, DriftRule.DistanceAtOrAbove, true, true),
            ("kl_div", 0.1, DriftRule.DistanceAtOrAbove, true, true),
            ("hellinger", 0.1, DriftRule.DistanceAtOrAbove, true, true),
            ("anderson", 0.1, DriftRule.PValueBelow, true, false),
            ("cramer_von_mises", 0.1, DriftRule.PValueAtOrBelow, true, false),
            ("ed", 0.1, DriftRule.DistanceAbove, true, false),
            ("es", 0.05, DriftRule.PValueBelow, true, false),
            ("fisher_exact", 0.1, DriftRule.PValueBelow, false, true),
            ("g_test", 0.1, DriftRule.PValueBelow, false, true),
            ("mannw", 0.05, DriftRule.PValueBelow, true, false),
            ("t_test", 0.05, DriftRule.PValueBelow, true, false),
            ("TVD", 0.1, DriftRule.PValueBelow, false, true),
            ("empirical_mmd", 0.1, DriftRule.PValueBelow, true, false),
        ];
        Assert.Equal(expected.Select(e => e.Name), StatTests.Names);
        foreach ((string name, double threshold, DriftRule rule, bool numerical, bool categorical) in expected)
        {
            StatTest test = StatTests.Get(name);
            Assert.Equal(threshold, test.DefaultThreshold);
            Assert.Equal(rule, test.Rule);
            Assert.Equal(numerical, test.AppliesTo(ColumnType.Numerical));
            Assert.Equal(categorical, test.AppliesTo(ColumnType.Categorical));
            Assert.Same(test, StatTests.Get(name.ToUpperInvariant()));
        }

        Assert.True(StatTests.EnergyDistance.IsDrift(0.11, 0.1));
        Assert.False(StatTests.EnergyDistance.IsDrift(0.1, 0.1)); // strictly above, as Evidently's ed
        Assert.True(StatTests.CramerVonMises.IsDrift(0.1, 0.1)); // p <= threshold, as Evidently's cramer_von_mises
        Assert.False(StatTests.AndersonDarling.IsDrift(0.1, 0.1));
    }

    [Fact]
    public void Undefined_cases_carry_a_warning_and_never_drift()
    {
        // es needs spread in the middle half (Evidently raises); fisher_exact needs two categories.
        ColumnDriftResult es = ExactDriftEngine.EvaluateColumn(
            ColumnSample.Numerical("x", [1, 1, 1, 1, 1, 1, 2]), ColumnSample.Numerical("x", [1, 1, 1, 1, 1, 1, 5]), new ColumnDriftSettings(StatTests.EppsSingleton));
        Assert.True(double.IsNaN(es.Score));
        Assert.False(es.Drift);
        Assert.Contains("interquartile", es.Warning, StringComparison.Ordinal);

        ColumnDriftResult fisher = ExactDriftEngine.EvaluateColumn(
            ColumnSample.Categorical("c", ["a", "b", "c"]), ColumnSample.Categorical("c", ["a", "a", "b"]), new ColumnDriftSettings(StatTests.FisherExact));
        Assert.False(fisher.Drift);
        Assert.Contains("two categories", fisher.Warning, StringComparison.Ordinal);
    }

    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(
            Math.Abs(actual - expected) <= AbsoluteTolerance + (RelativeTolerance * Math.Abs(expected)),
            $"{what}: {actual:R} vs scipy {expected:R}");

    private static (ColumnSample Reference, ColumnSample Current) Samples(JsonElement item)
    {
        JsonElement reference = item.GetProperty("reference");
        JsonElement current = item.GetProperty("current");
        if (reference[0].ValueKind == JsonValueKind.String)
        {
            return (
                ColumnSample.Categorical("column", reference.EnumerateArray().Select(e => e.GetString()!).ToArray()),
                ColumnSample.Categorical("column", current.EnumerateArray().Select(e => e.GetString()!).ToArray()));
        }

        return (
            ColumnSample.Numerical("column", reference.EnumerateArray().Select(e => e.GetDouble()).ToArray()),
            ColumnSample.Numerical("column", current.EnumerateArray().Select(e => e.GetDouble()).ToArray()));
    }

    private static JsonElement Load()
    {
        string directory = Path.GetDirectoryName(GoldenCases.DriftDirectory)!;
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "stattests", "stattests.json")));
        return document.RootElement.Clone();
    }
}
