using System.Reflection;
using System.Text.Json;

namespace ModelMonitoring.Generators.Tests;

/// <summary>
/// Realized multiclass performance in the runtime, from a model compiled with the real generator: predictions joined
/// by their <c>[PredictionKey]</c> to outcomes, scored against scikit-learn's figures on
/// <c>tests/data/performance/multiclass.csv</c> (expected.json, written by generate.py beside it), to 1e-9.
/// </summary>
public sealed class MulticlassPerformanceTests
{
    private const double Tolerance = 1e-9;

    private static readonly string[] LabelMetrics =
        ["accuracy", "precision_macro", "recall_macro", "f1_macro", "precision_weighted", "recall_weighted", "f1_weighted"];

    private static string Fixture(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "data", "performance", file);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"tests/data/performance/{file} not found above {AppContext.BaseDirectory}.");
    }

    private static (string[] Actual, string[] Predicted) ReadMulticlass()
    {
        string[] lines = File.ReadAllLines(Fixture("multiclass.csv"));
        Assert.Equal("actual,predicted", lines[0]);
        return ([.. lines.Skip(1).Select(l => l.Split(',')[0])], [.. lines.Skip(1).Select(l => l.Split(',')[1])]);
    }

    private static JsonElement Expected(string fixture)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Fixture("expected.json")));
        return document.RootElement.GetProperty(fixture).Clone();
    }

    [Fact]
    public void A_multiclass_model_with_labels_or_class_ids_gets_scikit_learns_macro_and_weighted_metrics_per_window()
    {
        Assembly assembly = GeneratorHarness.CompileAndLoad(ShapeSources.Usings + """
            namespace App;
            public sealed record Ticket([property: PredictionKey] int Id, double Length);
            public sealed record Routing(string Queue);
            public sealed record RoutingId([property: Feature(Kind = FeatureKind.Categorical)] int QueueId);
            [MonitoredModel("exec-multiclass")]
            public sealed class Router
            {
                public static string[] Answers = [];
                [DriftTracked]
                public Routing Route(Ticket ticket) => new(Answers[ticket.Id % Answers.Length]);
            }
            [MonitoredModel("exec-multiclass-ids")]
            public sealed class RouterById
            {
                public static string[] Answers = [];
                [DriftTracked]
                public RoutingId Route(Ticket ticket) => new(Answers[ticket.Id % Answers.Length][0] - 'a');
            }
            public static class Caller
            {
                public static void Run(string[] answers, int from, int count)
                {
                    Router.Answers = answers;
                    RouterById.Answers = answers;
                    var router = new Router();
                    var byId = new RouterById();
                    for (int i = from; i < from + count; i++)
                    {
                        router.Route(new Ticket(i, i % 7));
                        byId.Route(new Ticket(i, i % 7));
                    }
                }
            }
            """);
        (string[] actual, string[] predicted) = ReadMulticlass();
        int n = actual.Length;
        using var runtime = new ModelMonitoringRuntime(new ModelMonitoringOptions { WindowSize = n });
        using (runtime.BeginScope())
        {
            GeneratorHarness.Invoke(assembly, "App.Caller", "Run", predicted, 0, n);
        }

        runtime.Flush();
        ModelMonitor labels = runtime.For("exec-multiclass");
        ModelMonitor ids = runtime.For("exec-multiclass-ids");
        for (int i = 0; i < n; i++)
        {
            Assert.True(labels.RecordOutcome(i, actual[i]));
            Assert.True(ids.RecordOutcome(i, (actual[i][0] - 'a').ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        using (runtime.BeginScope())
        {
            GeneratorHarness.Invoke(assembly, "App.Caller", "Run", predicted, n, n); // closes the windows the outcomes joined in
        }

        runtime.Flush();
        JsonElement expected = Expected("multiclass");
        foreach (ModelMonitor monitor in new[] { labels, ids })
        {
            ModelPerformanceReport report = monitor.LatestPerformance ?? throw new Xunit.Sdk.XunitException($"no performance report for {monitor.Name}");
            Assert.Equal(("classification", (long)n), (report.Task, report.Outcomes));
            foreach (string metric in LabelMetrics)
            {
                Assert.Equal(expected.GetProperty(metric).GetDouble(), report[metric], Tolerance);
            }

            Assert.False(report.Metrics.ContainsKey("precision"), "a multiclass window has no positive label"); // binary-only metrics are absent
            Assert.False(report.Metrics.ContainsKey("roc_auc"));
        }

        using var labelGauges = new MetricReader("exec-multiclass");
        using var idGauges = new MetricReader("exec-multiclass-ids");
        using (runtime.BeginScope())
        {
            string gauge = ModelMonitoringInstruments.ModelPerformance;
            Assert.Equal(expected.GetProperty("f1_weighted").GetDouble(), labelGauges.Observe()[gauge + "{metric=f1_weighted}"], Tolerance);
            Assert.Equal(expected.GetProperty("precision_macro").GetDouble(), idGauges.Observe()[gauge + "{metric=precision_macro}"], Tolerance);
        }
    }
}
