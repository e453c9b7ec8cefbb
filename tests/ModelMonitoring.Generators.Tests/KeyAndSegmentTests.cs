using System.Collections.Concurrent;
using System.Reflection;
using ModelMonitoring.Runtime;

namespace ModelMonitoring.Generators.Tests;

/// <summary>
/// <c>[PredictionKey]</c> and <c>[Segment]</c>, compiled with the real generator and run: every recorded row carries
/// the key and the segment read before the model ran, and the key is not a feature.
/// </summary>
public sealed class KeyAndSegmentTests
{
    private const string Usings = ShapeSources.Usings + "using System.Linq;\n";

    private sealed class RowsSeen : IPredictionRowConsumer
    {
        public ConcurrentQueue<(string Key, string? Segment, bool Success)> Rows { get; } = new();

        public void OnRow(in PredictionRow row) => Rows.Enqueue((row.Key.ToString(), row.Segment, row.Outcome == PredictionOutcome.Success));
    }

    [Fact]
    public void Rows_carry_the_key_and_segment_read_before_the_model_runs_and_the_key_is_not_a_feature()
    {
        Assembly assembly = GeneratorHarness.CompileAndLoad(Usings + """
            namespace App;
            public enum Tier { Free, Pro }
            public sealed class Request
            {
                [PredictionKey] public string? OrderId { get; set; }
                [Segment] public Tier Tier { get; set; }
                public double Amount { get; set; }
            }
            [MonitoredModel("exec-key-segment")]
            public sealed class Model
            {
                [DriftTracked]
                public double Predict(Request request)
                {
                    if (request.Amount < 0) throw new ArgumentOutOfRangeException(nameof(request));
                    request.OrderId = "changed-by-the-model"; // the row keeps what the caller passed
                    request.Tier = Tier.Free;
                    return request.Amount * 2;
                }

                [DriftTracked]
                public double Score([PredictionKey] long customerId, [Segment] int region, double amount) => amount;

                [DriftTracked]
                public double ScoreById([PredictionKey] Guid? id, double amount) => amount;
            }
            public static class Caller
            {
                public static void Run()
                {
                    var model = new Model();
                    model.Predict(new Request { OrderId = "o-1", Tier = Tier.Pro, Amount = 10 });
                    model.Predict(new Request { OrderId = null, Tier = Tier.Free, Amount = 3 });
                    try { model.Predict(new Request { OrderId = "o-3", Tier = Tier.Pro, Amount = -1 }); } catch (ArgumentOutOfRangeException) { }
                    model.Score(42, 7, 1.5);
                    model.ScoreById(new Guid("6f9619ff-8b86-d011-b42d-00c04fc964ff"), 2);
                    model.ScoreById(null, 2);
                }
            }
            """);
        var rows = new RowsSeen();
        using var runtime = new ModelMonitoringRuntime(rowConsumers: [rows]);
        using (runtime.BeginScope())
        {
            GeneratorHarness.Invoke(assembly, "App.Caller", "Run");
        }

        runtime.Flush();
        Assert.Equal(
            [
                ("o-1", "Pro", true),
                ("", "Free", true),
                ("o-3", "Pro", false),
                ("42", "7", true),
                ("6f9619ff-8b86-d011-b42d-00c04fc964ff", null, true),
                ("", null, true),
            ],
            rows.Rows.ToArray());

        ModelMonitor monitor = runtime.For("exec-key-segment");
        string[] features = monitor.Features.Select(f => f.Name).ToArray();
        Assert.DoesNotContain("order_id", features);
        Assert.DoesNotContain("customer_id", features);
        Assert.DoesNotContain("id", features);
        Assert.Contains("tier", features);
        Assert.Contains("region", features);
        Assert.Equal(["tier", "region"], monitor.Features.Where(f => f.IsSegment).Select(f => f.Name).ToArray());
        Assert.Equal(["order_id", "customer_id", "id"], monitor.Descriptor.Methods.Select(m => m.PredictionKeyMember!).ToArray());
    }

    [Fact]
    public void A_scored_classifier_gets_roc_auc_from_outcomes_joined_by_its_key()
    {
        Assembly assembly = GeneratorHarness.CompileAndLoad(Usings + """
            namespace App;
            public sealed record Transaction([property: PredictionKey] string Id, double Amount);
            public sealed record Verdict(bool IsFraud, [property: PredictionScore(PositiveLabel = "true")] double Probability);
            [MonitoredModel("exec-scored")]
            public sealed class FraudModel
            {
                [DriftTracked]
                public Verdict Predict(Transaction transaction)
                {
                    double p = Math.Min(1, transaction.Amount / 100);
                    return new Verdict(p >= 0.5, p);
                }
            }
            public static class Caller
            {
                public static void Run(int from, int count)
                {
                    var model = new FraudModel();
                    for (int i = from; i < from + count; i++) model.Predict(new Transaction("t" + i, i % 100));
                }
            }
            """);
        using var runtime = new ModelMonitoringRuntime(new ModelMonitoringOptions { WindowSize = 100 });
        using (runtime.BeginScope())
        {
            GeneratorHarness.Invoke(assembly, "App.Caller", "Run", 0, 100);
        }

        runtime.Flush();
        ModelMonitor monitor = runtime.For("exec-scored");
        FeatureDescriptor score = Assert.Single(monitor.Features, f => f.IsPredictionScore);
        Assert.Equal(("prediction.probability", "true"), (score.Name, score.PositiveLabel));

        // The truth: fraud exactly when the amount is 70 or more; the score ranks every fraud above every other.
        for (int i = 0; i < 100; i++)
        {
            Assert.True(monitor.RecordOutcome("t" + i, i % 100 >= 70));
        }

        using (runtime.BeginScope())
        {
            GeneratorHarness.Invoke(assembly, "App.Caller", "Run", 100, 100); // closes the window the outcomes joined in
        }

        runtime.Flush();
        ModelPerformanceReport report = monitor.LatestPerformance ?? throw new Xunit.Sdk.XunitException("no performance report");
        Assert.Equal(100, report.Outcomes);
        Assert.Equal(1.0, report["roc_auc"], 12);
        Assert.Equal(0.8, report["accuracy"], 12); // predicted fraud at 50 or more: 20 of 100 wrong
        Assert.Equal(100, monitor.GetOutcomeCounts().Joined);
    }

    [Fact]
    public void A_key_that_cannot_be_read_is_named_in_the_generated_code_and_nothing_breaks()
    {
        var (output, diagnostics, files) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(assemblyName: "KeyNotRead", source: Usings + """
            namespace App;
            public sealed record Item([property: PredictionKey] string Id, double Amount);
            [MonitoredModel("exec-key-batch")]
            public sealed class Model
            {
                [DriftTracked]
                public double[] PredictBatch(IReadOnlyList<Item> items) => items.Select(i => i.Amount).ToArray();

                [DriftTracked]
                public double Predict([PredictionKey] Uri source, [PredictionKey] string second, double amount) => amount;
            }
            """));

        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning));
        Assert.Empty(diagnostics);
        string generated = string.Join("\n", files.Values);
        Assert.Contains("// Not captured: id (a [PredictionKey] that is not read", generated);
        Assert.Contains("// Not captured: source (a [PredictionKey] that is not read", generated);
        Assert.Contains("row.SetKey(call.Key); // [PredictionKey] second", generated);
    }
}
