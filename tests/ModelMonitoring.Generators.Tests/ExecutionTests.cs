using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using ModelMonitoring.Runtime;

namespace ModelMonitoring.Generators.Tests;

/// <summary>Compiles user code with the generator, runs it, and reads what monitoring recorded.</summary>
public sealed class ExecutionTests
{
    private const string Usings = ShapeSources.Usings + "using System.Linq;\nusing System.Threading;\n";

    [Fact]
    public void Counts_are_exact_under_eight_parallel_callers()
    {
        Assembly assembly = GeneratorHarness.CompileAndLoad(Usings + """
            namespace App;
            public enum Region { North, South }
            public sealed record Request(double Area, int Rooms, Region Region);
            [MonitoredModel("exec-parallel", Version = "1.0")]
            public sealed class Model
            {
                [DriftTracked]
                public double Predict(Request request) => request.Area * 2;
            }
            public static class Caller
            {
                public static void Run(int threads, int callsPerThread)
                {
                    var model = new Model();
                    var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
                    {
                        for (int i = 0; i < callsPerThread; i++) model.Predict(new Request(i % 100, i % 5, (Region)(i % 2)));
                    })).ToList();
                    workers.ForEach(w => w.Start());
                    workers.ForEach(w => w.Join());
                }
            }
            """);
        using var reader = new MetricReader("exec-parallel");

        GeneratorHarness.Invoke(assembly, "App.Caller", "Run", 8, 25_000);

        Assert.Equal(200_000, reader.Predictions("Predict"));
        Assert.Equal(200_000, reader.DurationCount("Predict"));
        Assert.Equal(200_000, ModelMonitor.For("exec-parallel").GetPredictionCounts().Successes);
        FeatureWindowSnapshot window = ModelMonitor.For("exec-parallel").GetCurrentWindow();
        long rows = window.Rows + (ModelMonitor.For("exec-parallel").LastClosedWindow is null ? 0 : 0);
        Assert.True(rows > 0);
        // Every row is folded, or dropped and counted when the folder fell behind (the calls above are counted either way).
        var observed = reader.Observe();
        long dropped = (long)observed["ml.monitoring.rows.dropped{}"];
        Assert.Equal(200_000 - dropped, observed["ml.feature.values{feature=area}"]);
        Assert.Equal(0, observed["ml.feature.missing{feature=area}"]);
        Assert.Equal(200_000 - dropped, observed["ml.feature.values{feature=prediction}"]);
    }

    [Fact]
    public void The_models_exception_reaches_the_caller_unchanged_and_is_counted()
    {
        Assembly assembly = GeneratorHarness.CompileAndLoad(Usings + """
            namespace App;
            public sealed class ModelFailedException(string message) : Exception(message);
            [MonitoredModel("exec-exception")]
            public sealed class Model
            {
                public static Exception? Thrown;
                [DriftTracked]
                public double Predict(double x)
                {
                    Thrown = new ModelFailedException("weights missing");
                    throw Thrown;
                }
            }
            public static class Caller
            {
                public static Exception? Run()
                {
                    try { new Model().Predict(1); return null; }
                    catch (Exception exception) { return exception; }
                }
            }
            """);
        using var reader = new MetricReader("exec-exception");

        var caught = (Exception?)GeneratorHarness.Invoke(assembly, "App.Caller", "Run");
        var thrown = (Exception?)assembly.GetType("App.Model")!.GetField("Thrown")!.GetValue(null);

        Assert.NotNull(caught);
        Assert.Same(thrown, caught);
        Assert.Contains("App.Model.Predict", caught!.StackTrace, StringComparison.Ordinal);
        Assert.Equal(1, reader.Predictions("Predict", "error"));
        Assert.Equal(0, reader.Predictions("Predict", "success"));
        Assert.Equal(1, reader.Sums["ml.model.errors{exception_type=App.ModelFailedException,method=Predict,model_version=unknown}"]);
        Assert.Equal(1, reader.DurationCount("Predict"));
    }

    [Fact]
    public void A_failure_inside_monitoring_does_not_reach_the_caller()
    {
        Assembly assembly = GeneratorHarness.CompileAndLoad(Usings + """
            namespace App;
            public sealed class Request
            {
                public double Area { get; init; }
                public double Broken => throw new InvalidOperationException("getter fault injected by the test");
            }
            [MonitoredModel("exec-fault")]
            public sealed class Model
            {
                [DriftTracked]
                public double Predict(Request request) => request.Area + 1;
            }
            public static class Caller
            {
                public static double Run() => new Model().Predict(new Request { Area = 41 });
            }
            """);
        using var reader = new MetricReader("exec-fault");

        object? result = GeneratorHarness.Invoke(assembly, "App.Caller", "Run");

        Assert.Equal(42.0, result);
        Assert.Equal(1, reader.Predictions("Predict"));
        Assert.Equal(1, ModelMonitor.For("exec-fault").MonitoringFailures);
        Assert.Equal(1, reader.Observe()["ml.monitoring.failures{stage=capture}"]);
    }

    [Fact]
    public async Task Task_latency_is_measured_to_completion()
    {
        Assembly assembly = GeneratorHarness.CompileAndLoad(Usings + """
            namespace App;
            [MonitoredModel("exec-task")]
            public sealed class Model
            {
                public static readonly TaskCompletionSource<double> Gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
                [DriftTracked]
                public async Task<double> PredictAsync(double x) => x + await Gate.Task;
            }
            public static class Caller
            {
                public static Task<double> Run() => new Model().PredictAsync(1);
            }
            """);
        using var reader = new MetricReader("exec-task");

        var pending = (Task<double>)GeneratorHarness.Invoke(assembly, "App.Caller", "Run")!;
        Assert.False(pending.IsCompleted);
        Assert.Equal(0, reader.Predictions("PredictAsync"));

        ((TaskCompletionSource<double>)assembly.GetType("App.Model")!.GetField("Gate")!.GetValue(null)!).SetResult(41);
        Assert.Equal(42, await pending);

        Assert.Equal(1, reader.Predictions("PredictAsync"));
        Assert.Equal(1, reader.DurationCount("PredictAsync"));
    }

    [Fact]
    public async Task ValueTask_results_and_faults_are_recorded()
    {
        Assembly assembly = GeneratorHarness.CompileAndLoad(Usings + """
            namespace App;
            [MonitoredModel("exec-valuetask")]
            public sealed class Model
            {
                [DriftTracked]
                public async ValueTask<string> ClassifyAsync(double x)
                {
                    await Task.Yield();
                    if (x < 0) throw new ArgumentOutOfRangeException(nameof(x));
                    return x > 10 ? "high" : "low";
                }
            }
            public static class Caller
            {
                public static async Task<string> Run(double x) => await new Model().ClassifyAsync(x);
            }
            """);
        using var reader = new MetricReader("exec-valuetask");

        Assert.Equal("high", await (Task<string>)GeneratorHarness.Invoke(assembly, "App.Caller", "Run", 11.0)!);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => (Task<string>)GeneratorHarness.Invoke(assembly, "App.Caller", "Run", -1.0)!);

        Assert.Equal(1, reader.Predictions("ClassifyAsync"));
        Assert.Equal(1, reader.Predictions("ClassifyAsync", "error"));
        FeatureWindowSnapshot window = ModelMonitor.For("exec-valuetask").GetCurrentWindow();
        Assert.Equal(1, window["prediction"].Categories["high"]);
    }

    [Fact]
    public void Batch_inputs_capture_every_item_and_count_one_prediction()
    {
        Assembly assembly = GeneratorHarness.CompileAndLoad(Usings + """
            namespace App;
            public sealed record House(double Area, string City);
            [MonitoredModel("exec-batch")]
            public sealed class Model
            {
                [DriftTracked]
                public IReadOnlyList<double> PredictBatch(IReadOnlyList<House> houses) => houses.Select(h => h.Area * 2).ToArray();
            }
            public static class Caller
            {
                public static int Run() => new Model().PredictBatch(new[] { new House(10, "Recife"), new House(20, "Natal"), new House(30, "Recife") }).Count;
            }
            """);
        using var reader = new MetricReader("exec-batch");

        Assert.Equal(3, GeneratorHarness.Invoke(assembly, "App.Caller", "Run"));

        Assert.Equal(1, reader.Predictions("PredictBatch"));
        Assert.Equal(1, reader.DurationCount("PredictBatch"));
        FeatureWindowSnapshot window = ModelMonitor.For("exec-batch").GetCurrentWindow();
        Assert.Equal(3, window.Rows);
        Assert.Equal(20, window["area"].Mean, 9);
        Assert.Equal(40, window["prediction"].Mean, 9);
        Assert.Equal(2, window["city"].Categories["Recife"]);
    }

    [Fact]
    public void Static_methods_of_several_primitive_parameters_and_generic_models_are_monitored()
    {
        Assembly assembly = GeneratorHarness.CompileAndLoad(Usings + """
            namespace App;
            [MonitoredModel("exec-static")]
            public static class Scorer
            {
                [DriftTracked]
                public static double Score(double income, int age, string segment, bool? vip) => income / age;
            }
            public sealed record Input(double X);
            [MonitoredModel("exec-generic")]
            public sealed class Wrapper<TState> where TState : class
            {
                [DriftTracked]
                public double Predict(Input input) => input.X + 1;
            }
            public static class Caller
            {
                public static double Run() => Scorer.Score(1000, 20, "retail", null) + new Wrapper<string>().Predict(new Input(1)) + new Wrapper<object>().Predict(new Input(2));
            }
            """);
        using var staticReader = new MetricReader("exec-static");
        using var genericReader = new MetricReader("exec-generic");

        Assert.Equal(50.0 + 2 + 3, GeneratorHarness.Invoke(assembly, "App.Caller", "Run"));

        Assert.Equal(1, staticReader.Predictions("Score"));
        Assert.Equal(2, genericReader.Predictions("Predict"));
        FeatureWindowSnapshot window = ModelMonitor.For("exec-static").GetCurrentWindow();
        Assert.Equal(1000, window["income"].Mean);
        Assert.Equal(1, window["vip"].Missing);
        Assert.Equal(1, window["segment"].Categories["retail"]);
    }

    [Fact]
    public void Partial_mode_monitors_calls_from_an_assembly_that_does_not_run_the_generator()
    {
        // The model's assembly runs the generator; the caller's assembly is compiled without it.
        var library = GeneratorHarness.CreateCompilation(Usings + """
            namespace Library;
            public sealed record Applicant(double Income);
            [MonitoredModel("exec-partial")]
            public sealed partial class CreditModel
            {
                [DriftTracked]
                public partial bool Approve(Applicant applicant);
                private bool ApproveCore(Applicant applicant) => applicant.Income > 1000;
            }
            """, "PartialLibrary_" + Guid.NewGuid().ToString("N"));
        byte[] libraryImage = GeneratorHarness.CompileToImage(library, runGenerator: true);
        Assembly libraryAssembly = GeneratorHarness.Load(libraryImage);

        var consumer = GeneratorHarness.CreateCompilation(Usings + """
            namespace Consumer;
            public static class Caller
            {
                public static bool Run() => new Library.CreditModel().Approve(new Library.Applicant(5000));
            }
            """, "PartialConsumer_" + Guid.NewGuid().ToString("N"), extraReferences: [MetadataReference.CreateFromImage(libraryImage)]);
        Assembly consumerAssembly = GeneratorHarness.Load(GeneratorHarness.CompileToImage(consumer, runGenerator: false));
        using var reader = new MetricReader("exec-partial");

        Assert.Equal(true, GeneratorHarness.Invoke(consumerAssembly, "Consumer.Caller", "Run"));

        Assert.NotNull(libraryAssembly);
        Assert.Equal(1, reader.Predictions("Approve"));
        Assert.Equal(5000, ModelMonitor.For("exec-partial").GetCurrentWindow()["income"].Mean);
    }

    [Fact]
    public void Sensitive_values_never_reach_logs_or_statistics()
    {
        Assembly assembly = GeneratorHarness.CompileAndLoad(Usings + """
            namespace App;
            public sealed record Request(double Area, [property: Sensitive] string CustomerEmail);
            [MonitoredModel("exec-sensitive")]
            public sealed class Model
            {
                [DriftTracked]
                public double Predict(Request request) => request.Area;
            }
            public static class Caller
            {
                public static void Run() { var model = new Model(); for (int i = 0; i < 10; i++) model.Predict(new Request(i, "person" + i + "@example.com")); }
            }
            """);
        var collector = new FakeLogCollector();
        using var factory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Debug).AddProvider(new FakeLoggerProvider(collector)));
        using var runtime = new ModelMonitoringRuntime(new ModelMonitoringOptions { PredictionLogSampleRate = 1 }, loggerFactory: factory);
        using (runtime.BeginScope())
        {
            GeneratorHarness.Invoke(assembly, "App.Caller", "Run");
            runtime.Flush();
        }

        var logs = collector.GetSnapshot().Where(r => r.Message.Contains("exec-sensitive", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(logs);
        Assert.Contains(logs, r => r.Message.Contains("customer_email=[redacted]", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, r => r.Message.Contains("@example.com", StringComparison.Ordinal));
        FeatureStatistics email = runtime.For("exec-sensitive").GetCurrentWindow()["customer_email"];
        Assert.True(email.IsSensitive);
        Assert.Equal([FeatureValues.Redacted], email.Categories.Keys);
    }

    [Fact]
    public void The_catalog_lists_every_model_with_its_features()
    {
        Assembly assembly = GeneratorHarness.CompileAndLoad(Usings + """
            namespace App;
            public sealed record Request(double Area, [property: Feature(Name = "zone", MaxCategories = 7)] string Region);
            [MonitoredModel("exec-catalog", Owner = "Ana", Squad = "pricing", Version = "4.2", TrainedAt = "2026-11-20")]
            public sealed class Model
            {
                [DriftTracked]
                public double Predict(Request request) => request.Area;
            }
            """);
        System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);

        ModelMonitoring.Runtime.ModelDescriptor model = Assert.Single(ModelCatalog.Models, m => m.Name == "exec-catalog");
        Assert.Equal(("Ana", "pricing", "4.2", "2026-11-20"), (model.Owner, model.Squad, model.Version, model.TrainedAt));
        ModelMonitoring.Runtime.MethodDescriptor method = Assert.Single(model.Methods);
        Assert.Equal(["area", "zone", "prediction"], method.Features.Select(f => f.Name));
        Assert.Equal(7, method.Features[1].MaxCategories);
        Assert.Equal(FeatureKind.Categorical, method.Features[1].Kind);
    }

    [Fact]
    public void Framework_parameters_such_as_streams_and_cancellation_tokens_are_not_read()
    {
        Assembly assembly = GeneratorHarness.CompileAndLoad(Usings + """
            namespace App;
            public sealed class UnseekableStream : System.IO.MemoryStream
            {
                public override bool CanSeek => false;
                public override long Length => throw new NotSupportedException("cannot seek");
            }
            [MonitoredModel("exec-framework")]
            public sealed class Model
            {
                [DriftTracked]
                public double Predict(double threshold, System.IO.Stream image, CancellationToken cancellationToken) => threshold;
            }
            public static class Caller
            {
                public static double Run() => new Model().Predict(0.5, new UnseekableStream(), CancellationToken.None);
            }
            """);
        using var reader = new MetricReader("exec-framework");

        Assert.Equal(0.5, GeneratorHarness.Invoke(assembly, "App.Caller", "Run"));

        Assert.Equal(1, reader.Predictions("Predict"));
        Assert.Equal(0, ModelMonitor.For("exec-framework").MonitoringFailures);
        Assert.Equal(["threshold", "prediction"], ModelCatalog.Find("exec-framework")!.Methods[0].Features.Select(f => f.Name));
    }
}
