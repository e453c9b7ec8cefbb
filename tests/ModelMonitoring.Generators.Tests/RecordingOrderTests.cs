using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;

namespace ModelMonitoring.Generators.Tests;

/// <summary>
/// What the generated wrappers promise about order: inputs are read before the model runs, a failed call is a row that
/// carries its inputs, and the caller's <see cref="Activity.Current"/> is what it was before the call, whatever happens.
/// </summary>
public sealed class RecordingOrderTests
{
    private const string Usings = "using System;\nusing System.Collections.Generic;\nusing System.Linq;\nusing System.Threading.Tasks;\nusing ModelMonitoring;\n";

    /// <summary>Keeps the first number of every row of one model, by feature name, with the row's outcome.</summary>
    private sealed class RowRecorder(string model) : IPredictionRowConsumer
    {
        public ConcurrentQueue<(PredictionOutcome Outcome, Dictionary<string, double> Numbers)> Rows { get; } = new();

        public void OnRow(in PredictionRow row)
        {
            if (row.Model.Name != model)
            {
                return;
            }

            var numbers = new Dictionary<string, double>(StringComparer.Ordinal);
            for (int i = 0; i < row.Features.Count; i++)
            {
                if (row.TryGetNumber(i, out double value))
                {
                    numbers[row.Features[i].Name] = value;
                }
            }

            Rows.Enqueue((row.Outcome, numbers));
        }
    }

    private static readonly Assembly Models = GeneratorHarness.CompileAndLoad(Usings + """
        namespace App;
        public sealed class Request { public double Area { get; set; } public int Rooms { get; set; } }
        public sealed class House { public double Area { get; set; } }
        [MonitoredModel("order-mutating")]
        public sealed class MutatingModel
        {
            // A model that fills in or normalises its input in place.
            [DriftTracked] public double Predict(Request request) { request.Area = 999; request.Rooms = -1; return 1; }
            [DriftTracked] public double Fail(Request request) { request.Area = 999; throw new InvalidOperationException("after mutating"); }
            [DriftTracked] public async Task<double> PredictAsync(Request request) { await Task.Yield(); request.Area = 999; return 2; }
            [DriftTracked] public double[] PredictBatch(IReadOnlyList<House> houses) { foreach (var h in houses) h.Area = -5; return houses.Select(h => 1.0).ToArray(); }
        }
        [MonitoredModel("order-traced")]
        public sealed class TracedModel
        {
            [DriftTracked] public double Predict(double x) => x > 0 ? x : throw new ArgumentException("negative");
            [DriftTracked] public async Task<double> PredictAsync(double x) { await Task.Yield(); return x > 0 ? x : throw new ArgumentException("negative"); }
            [DriftTracked] public async ValueTask<double> PredictValueAsync(double x) { await Task.Yield(); return x > 0 ? x : throw new ArgumentException("negative"); }
            [DriftTracked] public Task<double> FailSynchronouslyAsync(double x) => throw new ArgumentException("before any task");
        }
        public static class Caller
        {
            public static double Mutating() => new MutatingModel().Predict(new Request { Area = 42, Rooms = 3 });
            public static void MutatingFailure() { try { new MutatingModel().Fail(new Request { Area = 7 }); } catch (InvalidOperationException) { } }
            public static Task<double> MutatingAsync() => new MutatingModel().PredictAsync(new Request { Area = 5 });
            public static double[] MutatingBatch() => new MutatingModel().PredictBatch(new[] { new House { Area = 1 }, new House { Area = 3 } });
            public static double Traced(double x) => new TracedModel().Predict(x);
            public static Task<double> TracedAsync(double x) => new TracedModel().PredictAsync(x);
            public static ValueTask<double> TracedValueAsync(double x) => new TracedModel().PredictValueAsync(x);
            public static Task<double> TracedSynchronousFailure(double x) => new TracedModel().FailSynchronouslyAsync(x);
        }
        """, "RecordingOrder");

    [Fact]
    public async Task A_model_that_changes_its_input_in_place_has_the_original_values_recorded()
    {
        var rows = new RowRecorder("order-mutating");
        using var runtime = new ModelMonitoringRuntime(rowConsumers: [rows]);
        using (runtime.BeginScope())
        {
            GeneratorHarness.Invoke(Models, "App.Caller", "Mutating");
            await (Task<double>)GeneratorHarness.Invoke(Models, "App.Caller", "MutatingAsync")!;
            GeneratorHarness.Invoke(Models, "App.Caller", "MutatingBatch");
        }

        runtime.Flush();
        var recorded = rows.Rows.ToList();
        Assert.Equal(4, recorded.Count); // one call, one async call, a batch of two items
        Assert.All(recorded, r => Assert.Equal(PredictionOutcome.Success, r.Outcome));
        Assert.Equal([42, 5, 1, 3], recorded.Select(r => r.Numbers["area"]));
        Assert.Equal(3, recorded[0].Numbers["rooms"]);
    }

    [Fact]
    public void A_failed_call_is_a_row_that_carries_the_inputs_it_was_given()
    {
        var rows = new RowRecorder("order-mutating");
        using var runtime = new ModelMonitoringRuntime(rowConsumers: [rows]);
        using (runtime.BeginScope())
        {
            GeneratorHarness.Invoke(Models, "App.Caller", "MutatingFailure");
        }

        runtime.Flush();
        (PredictionOutcome outcome, Dictionary<string, double> numbers) = Assert.Single(rows.Rows);
        Assert.Equal(PredictionOutcome.Error, outcome);
        Assert.Equal(7, numbers["area"]);
        Assert.DoesNotContain("fail.prediction", numbers.Keys); // a failed call has no prediction
        Assert.Equal(1, runtime.For("order-mutating").GetPredictionCounts().Errors);
    }

    [Fact]
    public void A_sensitive_value_is_read_through_Protect_so_a_hashing_runtime_keeps_only_its_keyed_hash()
    {
        Assembly assembly = GeneratorHarness.CompileAndLoad(Usings + """
            namespace App;
            public sealed record Request(double Area, [property: Sensitive] string Email);
            [MonitoredModel("order-sensitive")]
            public sealed class Model { [DriftTracked] public double Predict(Request request) => request.Area; }
            public static class Caller { public static double Run() => new Model().Predict(new Request(1, "jane.doe@example.com")); }
            """);
        var labels = new ConcurrentQueue<string?>();
        string directory = Path.Combine(Path.GetTempPath(), "mmon-order-" + Guid.NewGuid().ToString("N"));
        using var cleanup = new DeleteOnDispose(directory);
        using var capture = new InferenceCapture(new InferenceCaptureOptions
        {
            Enabled = true,
            Directory = directory,
            Sensitive = SensitiveCapture.Hash,
            HashKey = "a-secret-key-of-32-characters-ok",
            Models = ["order-sensitive"],
        });
        using var runtime = new ModelMonitoringRuntime(rowConsumers: [capture, new LabelRecorder("order-sensitive", "email", labels)]);
        using (runtime.BeginScope())
        {
            GeneratorHarness.Invoke(assembly, "App.Caller", "Run");
        }

        runtime.Flush();
        string? label = Assert.Single(labels);
        Assert.StartsWith("hmac:", label, StringComparison.Ordinal);
        Assert.DoesNotContain("jane", label, StringComparison.Ordinal);
    }

    private sealed class DeleteOnDispose(string directory) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }

    private sealed class LabelRecorder(string model, string feature, ConcurrentQueue<string?> labels) : IPredictionRowConsumer
    {
        public void OnRow(in PredictionRow row)
        {
            for (int i = 0; i < row.Features.Count; i++)
            {
                if (row.Model.Name == model && row.Features[i].Name == feature && row.TryGetLabel(i, out string? value))
                {
                    labels.Enqueue(value);
                }
            }
        }
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-1.0)]
    public async Task Activity_Current_is_what_it_was_before_a_traced_call_sync_or_async_success_or_failure(double x)
    {
        var stopped = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "ModelMonitoring" or "RecordingOrderTests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == "ModelMonitoring" && activity.DisplayName.StartsWith("order-traced.", StringComparison.Ordinal))
                {
                    stopped.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        using var source = new ActivitySource("RecordingOrderTests");
        using var runtime = new ModelMonitoringRuntime();
        using var scope = runtime.BeginScope();
        using Activity outer = source.StartActivity("request")!;
        Assert.Same(outer, Activity.Current);

        async Task Call(Func<Task> call)
        {
            try
            {
                await call();
            }
            catch (ArgumentException) when (x < 0)
            {
            }

            Assert.Same(outer, Activity.Current);
        }

        await Call(() => Task.FromResult(GeneratorHarness.Invoke(Models, "App.Caller", "Traced", x)));
        Assert.Same(outer, Activity.Current);

        Task<double> pending = (Task<double>)GeneratorHarness.Invoke(Models, "App.Caller", "TracedAsync", x)!;
        Assert.Same(outer, Activity.Current); // the model has returned its task: the caller's activity is back at once
        await Call(() => pending);

        ValueTask<double> valuePending = (ValueTask<double>)GeneratorHarness.Invoke(Models, "App.Caller", "TracedValueAsync", x)!;
        Assert.Same(outer, Activity.Current);
        await Call(() => valuePending.AsTask());

        await Assert.ThrowsAsync<ArgumentException>(() => (Task<double>)GeneratorHarness.Invoke(Models, "App.Caller", "TracedSynchronousFailure", x)!);
        Assert.Same(outer, Activity.Current);

        // Every call had its own activity, a child of the caller's, stopped, with an error status when it failed.
        runtime.Flush();
        Assert.Equal(4, stopped.Count);
        Assert.All(stopped, a => Assert.Equal(outer.SpanId, a.ParentSpanId));
        Assert.Equal(x < 0 ? 4 : 1, stopped.Count(a => a.Status == ActivityStatusCode.Error));
    }
}
