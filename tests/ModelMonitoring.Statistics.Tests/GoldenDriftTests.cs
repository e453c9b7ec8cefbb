using ModelMonitoring.Statistics;
using Xunit.Abstractions;

namespace ModelMonitoring.Statistics.Tests;

/// <summary>Every golden case (computed with numpy 1.24 / scipy 1.10 as Evidently's legacy stattests do) must agree.</summary>
public sealed class GoldenDriftTests(ITestOutputHelper output)
{
    private const double RelativeTolerance = 1e-6;
    private const double AbsoluteToleranceNearZero = 1e-9;

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (string name in GoldenCases.Names())
        {
            data.Add(name);
        }

        return data;
    }

    [Fact]
    public void The_golden_cases_are_found()
    {
        Assert.True(GoldenCases.Names().Count() >= 10, $"Expected the golden cases in {GoldenCases.DriftDirectory}.");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Exact_engine_matches_the_golden_case(string caseName)
    {
        GoldenCase golden = GoldenCases.Load(caseName);
        StatTest? forced = null;
        Assert.True(golden.Method == "auto" || StatTests.TryGet(golden.Method, out forced), $"{caseName}: unknown method '{golden.Method}'.");
        ColumnDriftSettings? settings = forced is null ? null : new ColumnDriftSettings(forced);

        DatasetDriftResult result = ExactDriftEngine.Evaluate(golden.Reference, golden.Current, _ => settings);

        var failures = new List<string>();
        Assert.Equal(golden.Columns.Select(c => c.Name), result.Columns.Select(c => c.Name));
        foreach ((ExpectedColumn expected, ColumnDriftResult actual) in golden.Columns.Zip(result.Columns))
        {
            string where = $"{caseName}/{expected.Name}";
            if (expected.Type != (actual.Type == ColumnType.Numerical ? "numerical" : "categorical"))
            {
                failures.Add($"{where}: type {actual.Type}, expected {expected.Type}");
            }

            if (expected.Method != actual.MethodName)
            {
                failures.Add($"{where}: method {actual.MethodName}, expected {expected.Method}");
            }

            output.WriteLine($"{where}: {actual.MethodName} score {actual.Score:R} expected {expected.Score:R} relative error {RelativeError(expected.Score, actual.Score):E2}");
            if (!ScoresAgree(expected.Score, actual.Score))
            {
                failures.Add($"{where}: score {actual.Score:R}, expected {expected.Score:R} (relative error {RelativeError(expected.Score, actual.Score):E2})");
            }

            if (expected.Threshold != actual.Threshold)
            {
                failures.Add($"{where}: threshold {actual.Threshold}, expected {expected.Threshold}");
            }

            if (expected.Drift != actual.Drift)
            {
                failures.Add($"{where}: drift {actual.Drift}, expected {expected.Drift}");
            }
        }

        if (result.DriftedColumns != golden.DriftedColumns || result.ColumnCount != golden.ColumnCount
            || Math.Abs(result.Share - golden.Share) > 1e-12 || result.Drift != golden.Drift)
        {
            failures.Add($"{caseName}/dataset: {result.DriftedColumns}/{result.ColumnCount} share {result.Share} drift {result.Drift}, "
                + $"expected {golden.DriftedColumns}/{golden.ColumnCount} share {golden.Share} drift {golden.Drift}");
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Missing_counts_are_reported(string caseName)
    {
        GoldenCase golden = GoldenCases.Load(caseName);
        DatasetDriftResult result = ExactDriftEngine.Evaluate(golden.Reference, golden.Current);
        foreach ((ColumnSample reference, ColumnDriftResult column) in golden.Reference.Zip(result.Columns))
        {
            Assert.Equal(reference.MissingCount, column.ReferenceMissing);
            Assert.Equal(golden.Current.Single(c => c.Name == reference.Name).MissingCount, column.CurrentMissing);
        }
    }

    private static bool ScoresAgree(double expected, double actual) =>
        Math.Abs(expected - actual) <= AbsoluteToleranceNearZero || RelativeError(expected, actual) <= RelativeTolerance;

    private static double RelativeError(double expected, double actual) =>
        expected == 0 ? Math.Abs(actual) : Math.Abs(actual - expected) / Math.Abs(expected);
}
