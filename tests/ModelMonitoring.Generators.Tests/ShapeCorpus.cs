using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ModelMonitoring.Generators.Tests;

/// <summary>
/// One user-code shape: its source, and what must happen when it is compiled with the real generator and analyzers. A shape
/// that runs names its exact counts (<c>model/method/outcome=n</c>: every call of the models it names, nothing else); a
/// shape that cannot be monitored names the diagnostic that says so.
/// </summary>
internal sealed record Shape(string Name, string Source)
{
    /// <summary>The exact counts after <c>App.Caller.Run()</c>, for every model they name.</summary>
    public string[] Counts { get; init; } = [];

    /// <summary>Analyzer diagnostics that must be reported; no other warning may be.</summary>
    public string[] Diagnostics { get; init; } = [];

    /// <summary>Compiler errors expected in the user's code (never in generated code).</summary>
    public string[] UserErrors { get; init; } = [];

    public LanguageVersion Language { get; init; } = LanguageVersion.Latest;

    public bool Interceptors { get; init; } = true;

    public OutputKind OutputKind { get; init; } = OutputKind.ConsoleApplication;

    public bool Runs => Counts.Length > 0;

    public override string ToString() => Name;
}

/// <summary>The shapes the issue lists (and the ones the generator supported before), each compiled, and run or reported.</summary>
internal static class ShapeCorpus
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using ModelMonitoring;

        """;

    public static readonly IReadOnlyDictionary<string, Shape> All = Build().ToDictionary(s => s.Name, StringComparer.Ordinal);

    private static IEnumerable<Shape> Build()
    {
        // ---- Supported before: each is still monitored.
        yield return new Shape("InstanceRecordInput", Usings + """
            namespace App;
            public enum Region { North, South }
            public sealed record PricingRequest(double Area, int Rooms, Region Region, bool IsNew, [property: Sensitive] string CustomerEmail);
            public sealed record PriceQuote(double Price, double Confidence);
            [MonitoredModel("c-record", Version = "1.3.0")]
            public sealed class PricingModel
            {
                [DriftTracked]
                public PriceQuote Predict(PricingRequest request) => new(request.Area * 10, 0.9);
            }
            public static class Caller
            {
                public static void Run() { var m = new PricingModel(); for (int i = 0; i < 3; i++) m.Predict(new PricingRequest(10, 2, Region.North, true, "a@b.c")); }
            }
            """) { Counts = ["c-record/Predict/success=3"] };

        yield return new Shape("StaticPrimitivesAndKeywordNames", Usings + """
            namespace App;
            [MonitoredModel("c-static")]
            public static class RiskScorer
            {
                [DriftTracked]
                public static double Score(double income, int age, string segment, char grade, decimal debt, int @class, string @event) => income / (age + 1);
            }
            public static class Caller
            {
                public static void Run() { RiskScorer.Score(1000, 30, "retail", 'A', 10m, 1, "x"); RiskScorer.Score(1, 1, "b", 'B', 0m, 2, "y"); }
            }
            """) { Counts = ["c-static/Score/success=2"] };

        yield return new Shape("RefInOutParamsAndNamedArguments", Usings + """
            namespace App;
            [MonitoredModel("c-refkinds")]
            public sealed class Model
            {
                [DriftTracked]
                public double Predict(in double x, ref int calls, out string note, double scale = 2, params int[] extra)
                {
                    calls++;
                    note = "ok";
                    return x * scale + extra.Length;
                }
            }
            public static class Caller
            {
                public static int Run()
                {
                    var model = new Model();
                    int calls = 0;
                    double x = 3;
                    model.Predict(in x, ref calls, out _);
                    model.Predict(x, ref calls, out string note, scale: 4, 1, 2);
                    return calls;
                }
            }
            """) { Counts = ["c-refkinds/Predict/success=2"] };

        yield return new Shape("GenericModelType", Usings + """
            namespace App;
            public sealed record Input(double X);
            [MonitoredModel("c-generic-type")]
            public sealed class Wrapper<TState> where TState : class
            {
                [DriftTracked]
                public double Predict(Input input) => input.X + 1;
            }
            public static class Caller
            {
                public static void Run() { new Wrapper<string>().Predict(new Input(1)); new Wrapper<object>().Predict(new Input(2)); }
            }
            """) { Counts = ["c-generic-type/Predict/success=2"] };

        yield return new Shape("GenericMethodIntercepted", Usings + """
            namespace App;
            [MonitoredModel("c-generic-method")]
            public sealed class Model
            {
                [DriftTracked]
                public T Echo<T>(T value, double weight) where T : notnull => value;
            }
            public static class Caller
            {
                public static void Run() { var m = new Model(); m.Echo(1, 0.5); m.Echo("a", 1.5); m.Echo<object>(new object(), 2); }
            }
            """) { Counts = ["c-generic-method/Echo/success=3"] };

        yield return new Shape("OverloadsShareOneTotal", Usings + """
            namespace App;
            [MonitoredModel("c-overloads")]
            public sealed class Model
            {
                [DriftTracked] public double Predict(double x) => x;
                [DriftTracked] public double Predict(double x, double y) => x + y;
            }
            public static class Caller
            {
                public static void Run() { var m = new Model(); m.Predict(1); m.Predict(1, 2); m.Predict(3, 4); }
            }
            """) { Counts = ["c-overloads/Predict/success=3"] };

        yield return new Shape("NullRequestIsCountedWithMissingFeatures", Usings + """
            namespace App;
            public sealed class Request { public double Area { get; init; } }
            public record struct Point(float X, float? Y);
            [MonitoredModel("c-null-request")]
            public sealed class Model
            {
                [DriftTracked] public double Predict(Request? request, Point point, Point? maybe) => request?.Area ?? 0;
            }
            public static class Caller
            {
                public static void Run() { var m = new Model(); m.Predict(null, default, null); m.Predict(new Request { Area = 2 }, new Point(1, null), new Point(2, 3)); }
            }
            """) { Counts = ["c-null-request/Predict/success=2"] };

        yield return new Shape("PartialModeInAFileWithoutNullableAnnotations", "#nullable disable\n" + Usings + """
            namespace App;
            public sealed class Request { public string Channel { get; set; } public double Area { get; set; } }
            [MonitoredModel("c-oblivious")]
            public sealed partial class Model
            {
                [DriftTracked] public partial string Predict(Request request, string note);
                private string PredictCore(Request request, string note) => request.Channel + note;
            }
            public static class Caller { public static string Run() => new Model().Predict(new Request { Channel = "web" }, null); }
            """) { Counts = ["c-oblivious/Predict/success=1"] };

        yield return new Shape("ModelInTheGlobalNamespaceWithRequiredMembers", """
            using ModelMonitoring;

            public sealed class Request { public required double Area { get; init; } public int? Floors { get; init; } }
            [MonitoredModel("c-global")]
            public sealed partial class GlobalModel
            {
                [DriftTracked] public double Predict(Request request) => request.Area;
                [DriftTracked] public partial double Score(Request request);
                private double ScoreCore(Request request) => request.Area;
            }
            namespace App
            {
                public static class Caller { public static double Run() => new GlobalModel().Predict(new Request { Area = 1 }) + new GlobalModel().Score(new Request { Area = 2 }); }
            }
            """) { Counts = ["c-global/Predict/success=1", "c-global/Score/success=1"] };

        // ---- Build breaks: none of these may fail inside generated files.
        yield return new Shape("ParametersNamedLikeGeneratedLocals", Usings + """
            namespace App;
            public sealed record House(double Area);
            [MonitoredModel("c-names")]
            public sealed class Model
            {
                [DriftTracked]
                public double Predict(double model, double activity, long started, int row, int index, string exception,
                    int inputCount, int predictionCount, int rowCount, double monitoringCall, double monitoringResult, double monitoring) => model;

                [DriftTracked]
                public IReadOnlyList<double> PredictBatch(IReadOnlyList<House> item, int items, int call, int result, double monitoringItem, int monitoringIndex)
                    => item.Select(h => h.Area).ToArray();

                [DriftTracked]
                public async Task<double> PredictAsync(double task, double pending, double completed, double monitoringTask) { await Task.Yield(); return task; }
            }
            public static class Caller
            {
                public static async Task Run()
                {
                    var m = new Model();
                    m.Predict(1, 2, 3, 4, 5, "e", 6, 7, 8, 9, 10, 11);
                    m.PredictBatch(new[] { new House(1), new House(2) }, 1, 2, 3, 4, 5);
                    await m.PredictAsync(1, 2, 3, 4);
                }
            }
            """) { Counts = ["c-names/Predict/success=1", "c-names/PredictBatch/success=1", "c-names/PredictAsync/success=1"] };

        yield return new Shape("PrivateAndProtectedMethodsCalledInside", Usings + """
            namespace App;
            [MonitoredModel("c-private")]
            public class Model
            {
                public double Quote(double x) => Predict(x) + Adjust(x) + Helper(x);
                [DriftTracked] private double Predict(double x) => x * 2;
                [DriftTracked] protected virtual double Adjust(double x) => 1;
                [DriftTracked] private static double Helper(double x) => 0;
            }
            public sealed class Tuned : Model
            {
                public double QuoteTuned(double x) => Adjust(x);
                protected override double Adjust(double x) => 10;
            }
            public static class Caller
            {
                public static double Run()
                {
                    // [UnsafeAccessor] calls the protected virtual method virtually: Tuned's override answers.
                    if (new Tuned().QuoteTuned(1) != 10 || new Tuned().Quote(2) != 4 + 10 + 0) throw new Exception("the override was not called");
                    return new Model().Quote(1);
                }
            }
            """)
        {
            // Helper is static in a class: [UnsafeAccessor] reaches it too. Tuned's calls dispatch to its override.
            Counts = ["c-private/Predict/success=2", "c-private/Adjust/success=3", "c-private/Helper/success=2"],
        };

        yield return new Shape("ExtensionMethodModel", Usings + """
            namespace App;
            public sealed record Request(double Area);
            [MonitoredModel("c-extension")]
            public static class PricingExtensions
            {
                [DriftTracked]
                public static double Predict(this Request request, double factor) => request.Area * factor;
            }
            public static class Caller
            {
                public static double Run() => new Request(2).Predict(3) + PricingExtensions.Predict(new Request(1), 1);
            }
            """) { Counts = ["c-extension/Predict/success=2"] };

        yield return new Shape("VirtualPartialMethod", Usings + """
            namespace App;
            [MonitoredModel("c-virtual-partial")]
            public partial class Model
            {
                [DriftTracked]
                public virtual partial double Predict(double x);
                private double PredictCore(double x) => x;
            }
            public sealed class Derived : Model
            {
                public override double Predict(double x) => base.Predict(x) * 2;
            }
            public static class Caller
            {
                public static double Run() => new Model().Predict(1) + new Derived().Predict(2);
            }
            """) { Counts = ["c-virtual-partial/Predict/success=2"] };

        yield return new Shape("RefReturns", Usings + """
            namespace App;
            [MonitoredModel("c-ref-return")]
            public sealed partial class Model
            {
                private double _last;
                private readonly double[] _table = { 1, 2, 3 };
                [DriftTracked] public ref double Predict(double x) { _last = x * 2; return ref _last; }
                [DriftTracked] public ref readonly double Lookup(int index) => ref _table[index];
                [DriftTracked] public partial ref double Cell(int index);
                private ref double CellCore(int index) => ref _table[index];
            }
            public static class Caller
            {
                public static double Run()
                {
                    var m = new Model();
                    ref double last = ref m.Predict(3);
                    last += 1;
                    m.Cell(0) = 9;
                    return last + m.Lookup(1) + m.Cell(0);
                }
            }
            """) { Counts = ["c-ref-return/Predict/success=1", "c-ref-return/Lookup/success=1", "c-ref-return/Cell/success=2"] };

        yield return new Shape("ObsoleteErrorDtoMembersAreSkipped", Usings + """
            namespace App;
            public enum Band { Low, [Obsolete("gone", true)] Legacy = 5, High }
            public sealed class Request
            {
                public double Area { get; init; }
                [Obsolete("use Area", true)] public double Size { get; init; }
                [Obsolete("soon")] public double Width { get; init; }
                public Band Band { get; init; }
            }
            [MonitoredModel("c-obsolete")]
            public sealed class Model
            {
                [DriftTracked] public double Predict(Request request) => request.Area;
            }
            public static class Caller
            {
                public static double Run() => new Model().Predict(new Request { Area = 3, Band = Band.High });
            }
            """) { Counts = ["c-obsolete/Predict/success=1"] };

        yield return new Shape("PartialModelNestedInNonPartialType", Usings + """
            namespace App;
            public sealed class Outer
            {
                [MonitoredModel("c-nested-not-partial")]
                public sealed partial class Model
                {
                    [DriftTracked]
                    public partial double Predict(double x);
                    private double PredictCore(double x) => x;
                }
            }
            """)
        {
            // The generator cannot reopen Outer: it emits nothing for the method, and MMON009 says to declare Outer partial.
            // The missing body is the user's CS8795, not an error in generated code.
            Diagnostics = ["MMON009"],
            UserErrors = ["CS8795"],
        };

        yield return new Shape("PartialModelNestedInPartialTypes", Usings + """
            namespace App;
            public static partial class Outer
            {
                internal partial class Middle<TKey> where TKey : notnull
                {
                    [MonitoredModel("c-nested-partial")]
                    public sealed partial record Model(double Bias)
                    {
                        [DriftTracked]
                        public partial double Predict(double x);
                        private double PredictCore(double x) => x + Bias;
                    }
                }
            }
            public static class Caller
            {
                public static double Run() => new Outer.Middle<string>.Model(1).Predict(2);
            }
            """) { Counts = ["c-nested-partial/Predict/success=1"] };

        yield return new Shape("GenericPartialMethod", Usings + """
            namespace App;
            [MonitoredModel("c-generic-partial")]
            public sealed partial class Model
            {
                [DriftTracked]
                public partial TResult Convert<TResult>(double x, Func<double, TResult> map) where TResult : notnull;
                private TResult ConvertCore<TResult>(double x, Func<double, TResult> map) where TResult : notnull => map(x);

                [DriftTracked]
                public partial Task<T> EchoAsync<T>(T value, double x);
                private async Task<T> EchoAsyncCore<T>(T value, double x) { await Task.Yield(); return value; }
            }
            public static class Caller
            {
                public static async Task Run()
                {
                    var m = new Model();
                    m.Convert(2, v => v.ToString());
                    m.Convert(3, v => (int)v);
                    await m.EchoAsync("x", 1);
                }
            }
            """) { Counts = ["c-generic-partial/Convert/success=2", "c-generic-partial/EchoAsync/success=1"] };

        yield return new Shape("LangVersion11Intercepts", Usings + """
            namespace App;
            [MonitoredModel("c-csharp11")]
            public sealed class Model { [DriftTracked] public double Predict(double x) => x; }
            public static class Caller { public static double Run() => new Model().Predict(1); }
            """) { Language = LanguageVersion.CSharp11, Counts = ["c-csharp11/Predict/success=1"] };

        yield return new Shape("LangVersion10InterceptsNothingButPartialModeWorks", Usings + """
            namespace App;
            [MonitoredModel("c-csharp10")]
            public sealed partial class Model
            {
                [DriftTracked] public double Predict(double x) => x;
                [DriftTracked] public partial double Score(double x);
                private double ScoreCore(double x) => x;
            }
            public static class Caller { public static double Run() => new Model().Predict(1) + new Model().Score(2); }
            """)
        {
            // No interceptor (file types need C# 11): Predict is not counted and MMON008 says so; partial mode still works.
            Language = LanguageVersion.CSharp10,
            Diagnostics = ["MMON008"],
            Counts = ["c-csharp10/Score/success=1"],
        };

        yield return new Shape("LangVersion8GeneratesNothing", """
            using ModelMonitoring;
            namespace App
            {
                [MonitoredModel("c-csharp8")]
                public sealed class Model { [DriftTracked] public double Predict(double x) { return x; } }
                public static class Caller { public static double Run() { return new Model().Predict(1); } }
            }
            """) { Language = LanguageVersion.CSharp8, Diagnostics = ["MMON008"] };

        yield return new Shape("BuildAssetsExcluded", Usings + """
            namespace App;
            [MonitoredModel("c-no-build-assets")]
            public sealed class Model { [DriftTracked] public double Predict(double x) => x; }
            public static class Caller { public static double Run() => new Model().Predict(1); }
            """)
        {
            // Without the package's build props, InterceptorsNamespaces lacks ModelMonitoring.Generated: emitting interceptors
            // would fail with CS9137. None is emitted; MMON008 explains.
            Interceptors = false,
            Diagnostics = ["MMON008"],
        };

        yield return new Shape("HintNamesThatReadAlike", Usings + """
            namespace Acme
            {
                [MonitoredModel("c-fraud-underscore")]
                public sealed class Fraud_Model { [DriftTracked] public double Predict(double x) => x; }

                public sealed class Scoring
                {
                    [MonitoredModel("c-scoring-upper")]
                    public sealed class MODEL { [DriftTracked] public double Predict(double x) => x; }
                }

                public sealed class scoring
                {
                    [MonitoredModel("c-scoring-lower")]
                    public sealed class model { [DriftTracked] public double Predict(double x) => x; }
                }
            }
            namespace Acme.Fraud
            {
                [MonitoredModel("c-fraud-dot")]
                public sealed class Model { [DriftTracked] public double Predict(double x) => x; }
            }
            namespace App
            {
                public static class Caller
                {
                    public static void Run()
                    {
                        new Acme.Fraud_Model().Predict(1);
                        new Acme.Fraud.Model().Predict(1);
                        new Acme.Fraud.Model().Predict(2);
                        new Acme.Scoring.MODEL().Predict(1);
                        new Acme.scoring.model().Predict(1);
                    }
                }
            }
            """)
        {
            Counts = ["c-fraud-underscore/Predict/success=1", "c-fraud-dot/Predict/success=2", "c-scoring-upper/Predict/success=1", "c-scoring-lower/Predict/success=1"],
        };

        // ---- Silent gaps: each is monitored, or reported.
        yield return new Shape("InterfaceCallOnMonitoredImplementation", Usings + """
            namespace App;
            public sealed record PricingRequest(double Area);
            public interface IPricingModel { double Predict(PricingRequest request); }
            public interface IScorer<TInput> { double Score(TInput input); }
            [MonitoredModel("c-di")]
            public sealed class PricingModel : IPricingModel, IScorer<PricingRequest>
            {
                [DriftTracked] public double Predict(PricingRequest request) => request.Area * 2;
                [DriftTracked] public double Score(PricingRequest input) => input.Area;
            }
            public sealed class FakePricingModel : IPricingModel { public double Predict(PricingRequest request) => 0; }
            public sealed class Handler(IPricingModel model) { public double Handle(double area) => model.Predict(new PricingRequest(area)); }
            public static class Caller
            {
                public static void Run()
                {
                    IPricingModel real = new PricingModel();
                    real.Predict(new PricingRequest(1));
                    new Handler(real).Handle(2);
                    new Handler(new FakePricingModel()).Handle(3);
                    IScorer<PricingRequest> scorer = new PricingModel();
                    scorer.Score(new PricingRequest(4));
                }
            }
            """) { Counts = ["c-di/Predict/success=2", "c-di/Score/success=1"] };

        yield return new Shape("SubclassOverridesAndCallsBase", Usings + """
            namespace App;
            [MonitoredModel("c-subclass")]
            public class PricingModel
            {
                [DriftTracked] public virtual double Predict(double area) => area * 2;
            }
            public sealed class TunedPricingModel : PricingModel
            {
                public override double Predict(double area) => base.Predict(area) * 1.1;
            }
            public static class Caller
            {
                public static void Run() { new TunedPricingModel().Predict(1); PricingModel model = new TunedPricingModel(); model.Predict(2); }
            }
            """) { Counts = ["c-subclass/Predict/success=2"] };

        yield return new Shape("AbstractAndVirtualCalledThroughConcreteType", Usings + """
            namespace App;
            [MonitoredModel("c-abstract")]
            public abstract class ModelBase
            {
                [DriftTracked] public abstract double Predict(double x);
                [DriftTracked] public virtual double Explain(double x) => x;
            }
            public sealed class LinearModel : ModelBase
            {
                public override double Predict(double x) => x * 3;
                public override double Explain(double x) => 0;
            }
            public static class Caller
            {
                public static void Run() { var m = new LinearModel(); m.Predict(1); m.Predict(2); m.Explain(3); }
            }
            """) { Counts = ["c-abstract/Predict/success=2", "c-abstract/Explain/success=1"] };

        yield return new Shape("TrackedOverrideCalledThroughUnmonitoredBase", Usings + """
            namespace App;
            public abstract class Estimator { public abstract double Estimate(double x); }
            [MonitoredModel("c-override-through-base")]
            public sealed class HousingEstimator : Estimator
            {
                [DriftTracked] public override double Estimate(double x) => x;
            }
            public sealed class OtherEstimator : Estimator { public override double Estimate(double x) => -x; }
            public static class Caller
            {
                public static void Run() { Estimator a = new HousingEstimator(); a.Estimate(1); Estimator b = new OtherEstimator(); b.Estimate(1); }
            }
            """) { Counts = ["c-override-through-base/Estimate/success=1"] };

        yield return new Shape("ConditionalAccessCall", Usings + """
            namespace App;
            [MonitoredModel("c-conditional")]
            public sealed class Model { [DriftTracked] public double Predict(double x) => x; }
            public static class Caller
            {
                public static double? Run() { Model? present = new Model(); Model? absent = null; return present?.Predict(1) + absent?.Predict(2); }
            }
            """) { Counts = ["c-conditional/Predict/success=1"] };

        yield return new Shape("LibraryMethodCalledFromOtherAssemblies", Usings + """
            namespace Library;
            public interface IChurnModel { bool Predict(double tenure); }
            [MonitoredModel("c-library")]
            public sealed class ChurnModel : IChurnModel
            {
                [DriftTracked] public bool Predict(double tenure) => tenure > 3;
            }
            """)
        {
            // A library's callers are compiled elsewhere: MMON010 at the declaration, with the partial-mode code fix.
            OutputKind = OutputKind.DynamicallyLinkedLibrary,
            Diagnostics = ["MMON010"],
        };

        yield return new Shape("MonitoredModelWithUntrackedPredictMethod", Usings + """
            namespace App;
            [MonitoredModel("c-untracked")]
            public sealed class Model
            {
                [DriftTracked] public double Predict(double x) => x;
                public double PredictBatch(double[] xs) => xs.Sum(x => Predict(x));
                public double Score(double x) => x * 2;
            }
            public static class Caller { public static double Run() => new Model().PredictBatch(new[] { 1.0, 2.0 }) + new Model().Score(1); }
            """)
        {
            // PredictBatch calls the tracked Predict (counted per item); Score runs unmonitored and MMON012 says so.
            Diagnostics = ["MMON012"],
            Counts = ["c-untracked/Predict/success=2"],
        };

        yield return new Shape("MethodGroupIsReportedAndLambdaIsCounted", Usings + """
            namespace App;
            [MonitoredModel("c-method-group")]
            public sealed class Model { [DriftTracked] public double Predict(double x) => x; }
            public static class Caller
            {
                public static double Run()
                {
                    var m = new Model();
                    Func<double, double> group = m.Predict;
                    Func<double, double> lambda = x => m.Predict(x);
                    System.Linq.Expressions.Expression<Func<double, double>> tree = x => m.Predict(x);
                    return group(1) + lambda(2) + tree.Compile()(3);
                }
            }
            """) { Diagnostics = ["MMON005"], Counts = ["c-method-group/Predict/success=1"] };

        yield return new Shape("StructModels", Usings + """
            namespace App;
            [MonitoredModel("c-struct")]
            public partial struct Model
            {
                [DriftTracked] public double Predict(double x) => x;
                [DriftTracked] public static double Estimate(double x) => x;
                [DriftTracked] public readonly partial double Score(double x);
                private readonly double ScoreCore(double x) => x;
            }
            public static class Caller { public static double Run() { var m = new Model(); return m.Predict(1) + Model.Estimate(2) + m.Score(3); } }
            """)
        {
            // A struct's instance method cannot be intercepted (MMON009); its static and partial methods are monitored.
            Diagnostics = ["MMON009"],
            Counts = ["c-struct/Estimate/success=1", "c-struct/Score/success=1"],
        };

        yield return new Shape("ExplicitInterfaceImplementation", Usings + """
            namespace App;
            public interface IModel { double Predict(double x); }
            [MonitoredModel("c-explicit")]
            public sealed class Model : IModel
            {
                [DriftTracked] double IModel.Predict(double x) => x;
            }
            public static class Caller { public static double Run() => ((IModel)new Model()).Predict(1); }
            """) { Diagnostics = ["MMON009"] };

        yield return new Shape("PrivateNestedModel", Usings + """
            namespace App;
            public sealed class Service
            {
                public double Quote(double x) => new Model().Predict(x);
                [MonitoredModel("c-private-nested")]
                private sealed class Model { [DriftTracked] public double Predict(double x) => x; }
            }
            public static class Caller { public static double Run() => new Service().Quote(1); }
            """) { Diagnostics = ["MMON009"] };

        // ---- Async and batch shapes.
        yield return new Shape("TaskExceptionsAndResults", Usings + """
            namespace App;
            [MonitoredModel("c-task")]
            public sealed class Model
            {
                [DriftTracked]
                public Task<double> PredictAsync(double x)
                {
                    if (x < 0) throw new ArgumentOutOfRangeException(nameof(x));
                    if (x == 0)
                    {
                        var failed = new TaskCompletionSource<double>();
                        failed.SetException(new Exception[] { new InvalidOperationException("one"), new TimeoutException("two") });
                        return failed.Task;
                    }
                    return x > 10 ? Task.FromResult(x) : Slow(x);
                }
                private static async Task<double> Slow(double x) { await Task.Yield(); return x; }

                [DriftTracked]
                public async Task TrainAsync(double x, CancellationToken cancellationToken) { await Task.Delay(1, cancellationToken); }

                [DriftTracked]
                public ValueTask<bool> ClassifyAsync(double x) => x > 0 ? new ValueTask<bool>(true) : new ValueTask<bool>(Later(x));
                private static async Task<bool> Later(double x) { await Task.Yield(); if (x < -1) throw new FormatException(); return false; }
            }
            public static class Caller
            {
                public static async Task<int> Run()
                {
                    var m = new Model();
                    await m.PredictAsync(11);
                    await m.PredictAsync(5);
                    Task<double> twoFaults = m.PredictAsync(0);
                    try { await twoFaults; } catch (InvalidOperationException) { }
                    if (twoFaults.Exception!.InnerExceptions.Count != 2) throw new Exception("the caller must see both exceptions");
                    try { await m.PredictAsync(-1); } catch (ArgumentOutOfRangeException) { }
                    try { await m.TrainAsync(1, new CancellationToken(canceled: true)); } catch (OperationCanceledException) { }
                    await m.ClassifyAsync(1);
                    await m.ClassifyAsync(0);
                    try { await m.ClassifyAsync(-5); } catch (FormatException) { }
                    return twoFaults.Exception.InnerExceptions.Count;
                }
            }
            """)
        {
            Counts =
            [
                "c-task/PredictAsync/success=2", "c-task/PredictAsync/error=2",
                "c-task/TrainAsync/canceled=1",
                "c-task/ClassifyAsync/success=2", "c-task/ClassifyAsync/error=1",
            ],
        };

        yield return new Shape("AsyncEnumerableCoversTheEnumeration", Usings + """
            namespace App;
            [MonitoredModel("c-stream")]
            public sealed class Model
            {
                [DriftTracked]
                public async IAsyncEnumerable<double> Forecast(int horizon)
                {
                    for (int i = 0; i < horizon; i++)
                    {
                        await Task.Yield();
                        if (i == 3 && horizon == 99) throw new InvalidOperationException("broken at 3");
                        yield return i;
                    }
                }
            }
            public static class Caller
            {
                public static async Task Run()
                {
                    var m = new Model();
                    await foreach (double _ in m.Forecast(5)) { }
                    try { await foreach (double _ in m.Forecast(99)) { } } catch (InvalidOperationException) { }
                    await foreach (double value in m.Forecast(10)) { if (value >= 1) break; }
                    IAsyncEnumerable<double> twice = m.Forecast(2);
                    await foreach (double _ in twice) { }
                    await foreach (double _ in twice) { }
                }
            }
            """)
        {
            // The stream that throws during enumeration is an error (not a 0 s success); an early break is a success; a stream
            // enumerated twice is one call.
            Counts = ["c-stream/Forecast/success=3", "c-stream/Forecast/error=1"],
        };

        yield return new Shape("BatchInputsAndOutputs", Usings + """
            namespace App;
            public sealed record House(double Area, string City);
            [MonitoredModel("c-batch")]
            public sealed class Model
            {
                [DriftTracked] public IReadOnlyList<double> PredictBatch(IReadOnlyList<House> houses) => houses.Select(h => h.Area * 2).ToArray();
                [DriftTracked] public double[] PredictArray(House[] houses, double threshold) => houses.Select(h => h.Area * threshold).ToArray();
                [DriftTracked] public double Total(List<House> houses) => houses.Sum(h => h.Area);
                [DriftTracked] public double[] Failing(IList<House> houses) => throw new InvalidOperationException("no weights");
            }
            public static class Caller
            {
                public static void Run()
                {
                    var m = new Model();
                    m.PredictBatch(new[] { new House(1, "a"), new House(2, "b") });
                    m.PredictBatch(Array.Empty<House>());
                    m.PredictArray(new[] { new House(2, "b") }, 0.5);
                    m.Total(new List<House> { new(1, "a"), new(3, "c") });
                    try { m.Failing(new List<House> { new(1, "a") }); } catch (InvalidOperationException) { }
                }
            }
            """)
        {
            Counts = ["c-batch/PredictBatch/success=2", "c-batch/PredictArray/success=1", "c-batch/Total/success=1", "c-batch/Failing/error=1"],
        };

        yield return new Shape("PredictionsOfDifferentKindsAreNamedPerMethod", Usings + """
            namespace App;
            public sealed record Transaction(double Amount);
            [MonitoredModel("c-kinds")]
            public sealed class FraudModel
            {
                [DriftTracked] public double Score(Transaction transaction) => transaction.Amount / 100;
                [DriftTracked] public bool IsFraud(Transaction transaction) => transaction.Amount > 50;
            }
            public static class Caller
            {
                public static void Run() { var m = new FraudModel(); for (int i = 0; i < 101; i++) { m.Score(new Transaction(i)); m.IsFraud(new Transaction(i)); } }
            }
            """) { Counts = ["c-kinds/Score/success=101", "c-kinds/IsFraud/success=101"] };

        // ---- Captured types.
        yield return new Shape("DateOnlyTimeOnlyHalfAndNativeIntegers", Usings + """
            namespace App;
            public sealed record Reading(DateOnly Day, TimeOnly? At, Half Level, nint Offset, nuint Size, DateTimeOffset Sent, TimeSpan Age);
            [MonitoredModel("c-types")]
            public sealed class Model
            {
                [DriftTracked] public Half Predict(Reading reading, DateOnly? due) => reading.Level;
            }
            public static class Caller
            {
                public static void Run() =>
                    new Model().Predict(new Reading(new DateOnly(1970, 1, 2), new TimeOnly(0, 1), (Half)1.5, -3, 4, DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(2)), null);
            }
            """) { Counts = ["c-types/Predict/success=1"] };

        yield return new Shape("GuidAndNestedObjectsAreNotCapturedAndSaySo", Usings + """
            namespace App;
            public sealed record Address(string City);
            public sealed record Request(double Amount, Guid CustomerId, Address Shipping, double[] History);
            [MonitoredModel("c-uncaptured")]
            public sealed class Model
            {
                [DriftTracked] public double Predict(Request request) => request.Amount;
            }
            public static class Caller { public static double Run() => new Model().Predict(new Request(1, Guid.NewGuid(), new Address("x"), new[] { 1.0 })); }
            """) { Diagnostics = ["MMON011"], Counts = ["c-uncaptured/Predict/success=1"] };

        yield return new Shape("ParametersWithSharedPropertyNamesArePrefixed", Usings + """
            namespace App;
            public sealed record User(long Id, int Age);
            public sealed record Item(long Id, double Price);
            [MonitoredModel("c-prefixed")]
            public sealed class Recommender
            {
                [DriftTracked] public double Score(User user, Item item) => item.Price / user.Age;
            }
            public static class Caller { public static double Run() => new Recommender().Score(new User(1, 30), new Item(2, 9.5)); }
            """) { Counts = ["c-prefixed/Score/success=1"] };

        yield return new Shape("ExceptionsPassThroughAndAreCounted", Usings + """
            namespace App;
            [MonitoredModel("c-exceptions")]
            public sealed class Model
            {
                [DriftTracked] public double Predict(double x) => x > 0 ? x : throw new ArgumentException("negative");
                [DriftTracked] public void Warm(double x) { if (x < 0) throw new OperationCanceledException(); }
            }
            public static class Caller
            {
                public static void Run()
                {
                    var m = new Model();
                    m.Predict(1);
                    try { m.Predict(-1); } catch (ArgumentException) { }
                    m.Warm(1);
                    try { m.Warm(-1); } catch (OperationCanceledException) { }
                }
            }
            """) { Counts = ["c-exceptions/Predict/success=1", "c-exceptions/Predict/error=1", "c-exceptions/Warm/success=1", "c-exceptions/Warm/canceled=1"] };
    }
}
