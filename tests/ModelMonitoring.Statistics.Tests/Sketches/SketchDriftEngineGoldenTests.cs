using System.Globalization;
using System.Text;
using System.Text.Json;
using ModelMonitoring.Sketches;
using ModelMonitoring.Statistics;
using Xunit.Abstractions;

namespace ModelMonitoring.Statistics.Tests.Sketches;

/// <summary>
/// The streaming engine's acceptance: on every golden case, profiles built from the CSV columns must agree with the
/// exact engine (and with expected.json) on at least 95% of the drift flags, keep the KS statistic within 0.01 and
/// Wasserstein, PSI and Jensen-Shannon (and, for binned windows, KL) within 5% relative.
/// </summary>
/// <remarks>
/// Measured worst columns (the test prints them), with reference.csv sketched (K = 2048) in both cases:
/// <list type="bullet">
/// <item>current.csv sketched: flags 70/70; KS statistic 0.00033 (explicit_ks/stable); Wasserstein 1.22%
/// (large_no_drift/stable); PSI 2.64% (explicit_psi/stable); Jensen-Shannon 0.44% (explicit_jensenshannon/stable);
/// KL 0.76% (explicit_kl_div/area).</item>
/// <item>current.csv binned on the reference's grid (<see cref="FeatureProfile.CreateWindowProfile"/>): flags 70/70;
/// KS statistic 0.00033 (explicit_ks/stable); Wasserstein 1.16% (large_no_drift/stable); PSI 2.43%
/// (explicit_psi/area); Jensen-Shannon 3.41% (explicit_jensenshannon/stable); KL 4.41% (explicit_kl_div/stable).
/// The histogram methods lose most: a current.csv of 2,000 rows has about 2 values per grid bin, and the bins a
/// Sturges edge cuts through are split by assuming their values evenly spread around their mean. All the worst
/// cases are no-drift columns, whose small scores make a relative error large (JS 0.0282 read as 0.0292).</item>
/// </list>
/// Chi-square and Z p-values are exact on both (exact counts). The profiles are deterministic, so the figures are too.
/// </remarks>
public sealed class SketchDriftEngineGoldenTests(ITestOutputHelper output)
{
    private const double KsStatisticTolerance = 0.01;
    private const double RelativeTolerance = 0.05;

    [Fact]
    public void Sketch_engine_agrees_with_the_exact_engine_and_the_golden_results()
    {
        Compare(binnedWindows: false, requireKl: false);
    }

    [Fact]
    public void Binned_windows_agree_with_the_exact_engine_and_the_golden_results()
    {
        Compare(binnedWindows: true, requireKl: true);
    }

    private void Compare(bool binnedWindows, bool requireKl)
    {
        int columns = 0;
        int flagsAgreeWithExact = 0;
        int flagsAgreeWithExpected = 0;
        var worst = new Dictionary<string, (double Error, string Where)>();
        var failures = new List<string>();
        var report = new StringBuilder();

        foreach (string caseDirectory in GoldenDriftCases.CaseDirectories())
        {
            string caseName = Path.GetFileName(caseDirectory);
            (StatTest? forced, JsonElement expected) = GoldenDriftCases.ReadExpected(caseDirectory);
            IReadOnlyList<ColumnSample> reference = GoldenDriftCases.ReadColumns(Path.Combine(caseDirectory, "reference.csv"));
            IReadOnlyList<ColumnSample> current = GoldenDriftCases.ReadColumns(Path.Combine(caseDirectory, "current.csv"));
            ColumnDriftSettings? settings = forced is null ? null : new ColumnDriftSettings(forced);

            BaselineProfile baseline = BaselineProfile.Build(reference, caseName);
            BaselineProfile window = binnedWindows ? BinnedWindow(baseline, current) : BaselineProfile.Build(current, caseName);
            DatasetDriftResult sketch = SketchDriftEngine.Evaluate(baseline.Features, window.Features, _ => settings);
            DatasetDriftResult exact = ExactDriftEngine.Evaluate(reference, current, _ => settings);

            JsonElement[] expectedColumns = expected.GetProperty("columns").EnumerateArray().ToArray();
            for (int i = 0; i < sketch.Columns.Count; i++)
            {
                ColumnDriftResult s = sketch.Columns[i];
                ColumnDriftResult e = exact.Columns.Single(c => c.Name == s.Name);
                JsonElement golden = expectedColumns.Single(c => c.GetProperty("name").GetString() == s.Name);
                string where = $"{caseName}/{s.Name}";
                columns++;
                Assert.Equal(e.Method, s.Method);
                Assert.Equal(golden.GetProperty("method").GetString(), s.MethodName);
                flagsAgreeWithExact += s.Drift == e.Drift ? 1 : 0;
                flagsAgreeWithExpected += s.Drift == golden.GetProperty("drift").GetBoolean() ? 1 : 0;

                double error;
                string metric;
                if (s.Method == StatTests.KolmogorovSmirnov)
                {
                    metric = "ks statistic (absolute)";
                    double[] r = reference.Single(c => c.Name == s.Name).Numbers.Order().ToArray();
                    double[] c = current.Single(c => c.Name == s.Name).Numbers.Order().ToArray();
                    double exactD = KolmogorovSmirnovTest.Statistic(r, c);
                    double sketchD = SketchDriftEngine.KolmogorovSmirnovStatistic(
                        baseline.Find(s.Name)!.GetDistribution(), window.Find(s.Name)!.GetDistribution());
                    error = Math.Abs(sketchD - exactD);
                    if (error > KsStatisticTolerance)
                    {
                        failures.Add($"{where}: KS statistic {sketchD} vs exact {exactD}");
                    }
                }
                else if (s.Method.IsPValue)
                {
                    metric = $"{s.MethodName} p-value (absolute)";
                    error = Math.Abs(s.Score - e.Score);
                }
                else
                {
                    metric = $"{s.MethodName} (relative)";
                    error = Math.Abs(s.Score - e.Score) / Math.Max(Math.Abs(e.Score), 1e-12);
                    if (error > RelativeTolerance
                        && (s.Method == StatTests.Wasserstein || s.Method == StatTests.PopulationStabilityIndex || s.Method == StatTests.JensenShannon
                            || (requireKl && s.Method == StatTests.KullbackLeibler)))
                    {
                        failures.Add($"{where}: {s.MethodName} {s.Score} vs exact {e.Score} ({error:P2})");
                    }
                }

                if (!worst.TryGetValue(metric, out var previous) || error > previous.Error)
                {
                    worst[metric] = (error, where);
                }

                report.AppendLine(CultureInfo.InvariantCulture, $"{where,-36} {s.MethodName,-14} sketch {s.Score,-24:R} exact {e.Score,-24:R} drift {s.Drift}/{e.Drift}");
            }
        }

        double agreement = (double)flagsAgreeWithExact / columns;
        report.AppendLine(CultureInfo.InvariantCulture, $"columns {columns}, flags agreeing with exact {flagsAgreeWithExact} ({agreement:P1}), with expected.json {flagsAgreeWithExpected}");
        foreach ((string metric, (double error, string where)) in worst.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"worst {metric}: {error:G4} at {where}");
        }

        output.WriteLine(report.ToString());
        Assert.True(columns >= 70, $"Only {columns} golden columns were found.");
        Assert.True(agreement >= 0.95, $"Only {agreement:P1} of the drift flags agree with the exact engine.");
        Assert.True((double)flagsAgreeWithExpected / columns >= 0.95, "Too few drift flags agree with expected.json.");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    // The runtime's path once a reference exists: each current column counted in a window profile made for its reference.
    private static BaselineProfile BinnedWindow(BaselineProfile reference, IReadOnlyList<ColumnSample> current)
    {
        var profiles = new List<FeatureProfile>();
        foreach (ColumnSample column in current)
        {
            FeatureProfile window = BaselineProfile.WindowProfileOf(column, reference.Find(column.Name)!);
            Assert.Equal(column.Type == ColumnType.Numerical, window.IsBinned);
            Assert.Equal(column.Count, window.Count);
            Assert.Equal(column.MissingCount, window.MissingCount);
            profiles.Add(window);
        }

        return new BaselineProfile(profiles, null, current.Max(c => (long)c.Count + c.MissingCount), DateTimeOffset.UnixEpoch);
    }
}
