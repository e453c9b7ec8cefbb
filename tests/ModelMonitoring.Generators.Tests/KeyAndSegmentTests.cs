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
