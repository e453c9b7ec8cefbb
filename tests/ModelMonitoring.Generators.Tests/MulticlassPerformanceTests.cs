using System.Reflection;
using System.Text.Json;

namespace ModelMonitoring.Generators.Tests;

/// <summary>
/// Realized multiclass performance in the runtime, from a model compiled with the real generator: predictions joined
/// by their <c>[PredictionKey]</c> to outcomes, scored against scikit-learn's figures on
/// <c>tests/data/performance/multiclass.csv</c> and <c>multiclass_scores.csv</c> (expected.json, written by generate.py
/// beside them with Debian's python3-sklearn 1.2.1), to 1e-9.
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

    [Fact]
    public void One_prediction_score_per_class_gives_roc_auc_one_vs_rest_and_log_loss_as_scikit_learn()
    {
        Assembly assembly = GeneratorHarness.CompileAndLoad(ShapeSources.Usings + """
            namespace App;
            public sealed record Ticket([property: PredictionKey] int Id, double Length);
            public sealed record Routing(
                string Queue,
                [property: PredictionScore(PositiveLabel = "a")] double ProbabilityA,
                [property: PredictionScore(PositiveLabel = "b")] double ProbabilityB,
                [property: PredictionScore(PositiveLabel = "c")] double ProbabilityC);
            [MonitoredModel("exec-multiclass-scores")]
            public sealed class Router
            {
                public static string[] Queues = [];
                public static double[][] Probabilities = [];
                [DriftTracked]
                public Routing Route(Ticket ticket)
                {
                    int i = ticket.Id % Queues.Length;
                    return new(Queues[i], Probabilities[i][0], Probabilities[i][1], Probabilities[i][2]);
                }
            }
            public static class Caller
            {
                public static void Run(string[] queues, double[][] probabilities, int from, int count)
                {
                    Router.Queues = queues;
                    Router.Probabilities = probabilities;
                    var router = new Router();
                    for (int i = from; i < from + count; i++) router.Route(new Ticket(i, i % 7));
                }
            }
            """);
        string[] lines = File.ReadAllLines(Fixture("multiclass_scores.csv"));
        Assert.Equal("actual,predicted,p_a,p_b,p_c", lines[0]);
        string[][] cells = [.. lines.Skip(1).Select(l => l.Split(','))];
        string[] actual = [.. cells.Select(c => c[0])];
        string[] predicted = [.. cells.Select(c => c[1])];
        double[][] probabilities = [.. cells.Select(c => c.Skip(2).Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray())];
        int n = actual.Length;
        using var runtime = new ModelMonitoringRuntime(new ModelMonitoringOptions { WindowSize = n });
        using (runtime.BeginScope())
        {
            GeneratorHarness.Invoke(assembly, "App.Caller", "Run", predicted, probabilities, 0, n);
        }

        runtime.Flush();
        ModelMonitor monitor = runtime.For("exec-multiclass-scores");
        Assert.Equal(["a", "b", "c"], monitor.Features.Where(f => f.IsPredictionScore).Select(f => f.PositiveLabel ?? "").ToArray());
        for (int i = 0; i < n; i++)
        {
            Assert.True(monitor.RecordOutcome(i, actual[i]));
        }

        using (runtime.BeginScope())
        {
            GeneratorHarness.Invoke(assembly, "App.Caller", "Run", predicted, probabilities, n, n);
        }

        runtime.Flush();
        JsonElement expected = Expected("multiclass_scores");
        ModelPerformanceReport report = monitor.LatestPerformance ?? throw new Xunit.Sdk.XunitException("no performance report");
        Assert.Equal(expected.EnumerateObject().Select(p => p.Name).Order(), report.Metrics.Keys.Order());
        foreach (JsonProperty metric in expected.EnumerateObject())
        {
            Assert.Equal(metric.Value.GetDouble(), report[metric.Name], Tolerance);
        }

        Assert.Null(monitor.LatestEstimatedPerformance); // CBPE estimates a binary task only
        using var gauges = new MetricReader("exec-multiclass-scores");
        using (runtime.BeginScope())
        {
            IReadOnlyDictionary<string, double> observed = gauges.Observe();
            Assert.Equal(expected.GetProperty("roc_auc").GetDouble(), observed[ModelMonitoringInstruments.ModelPerformance + "{metric=roc_auc}"], Tolerance);
            Assert.Equal(expected.GetProperty("log_loss").GetDouble(), observed[ModelMonitoringInstruments.ModelPerformance + "{metric=log_loss}"], Tolerance);
        }
    }
}
