using Microsoft.CodeAnalysis;
using ModelMonitoring.Runtime;
using ModelMonitoring.SourceModel;

namespace ModelMonitoring.Generators.Tests;

/// <summary>Symbols to specs: what the parser decides, checked field by field, beside the snapshots of what is emitted.</summary>
public sealed class ParserTests
{
    private const string Usings = "using System;\nusing System.Collections.Generic;\nusing System.Threading.Tasks;\nusing ModelMonitoring;\n";

    private static IMethodSymbol Method(string source, string type, string method)
    {
        Compilation compilation = GeneratorHarness.CreateCompilation(Usings + source, "Parser" + Guid.NewGuid().ToString("N"));
        // Without the generator, partial methods have no body yet (CS8795): the parser does not need one.
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS8795"));
        return compilation.GetTypeByMetadataName(type)!.GetMembers(method).OfType<IMethodSymbol>().First();
    }

    private static MethodSpec Parse(string source, string type, string method)
    {
        IMethodSymbol symbol = Method(source, type, method);
        return Parser.ParseMethod(symbol, FeatureRules.Capture(symbol), nullableEnabled: true);
    }

    [Fact]
    public void A_record_parameter_gives_one_feature_per_property_and_the_prediction_its_properties()
    {
        MethodSpec spec = Parse("""
            public enum Region { North, South }
            public sealed record Request(double Area, int? Rooms, Region Region, bool IsNew, [property: Sensitive] string Email);
            public sealed record Quote(decimal Price, string Band);
            [MonitoredModel("m")] public sealed class M { [DriftTracked] public Quote Predict(Request request) => new(1, "a"); }
            """, "M", "Predict");

        Assert.Equal(
            [
                "area Numerical Number 0 ParameterProperty Number request.Area",
                "rooms Numerical Number 1 ParameterProperty Number request.Rooms",
                "region Categorical Label 0 ParameterProperty Enum request.Region",
                "is_new Categorical Label 1 ParameterProperty Bool request.IsNew",
                "email Categorical Label 2 ParameterProperty Presence request.Email",
                "prediction.price Numerical Number 2 ResultProperty Number .Price",
                "prediction.band Categorical Label 3 ResultProperty String .Band",
            ],
            spec.Features.Select(f => $"{f.Name} {f.Kind} {f.Storage} {f.Slot} {f.Origin} {f.Conversion} {f.ParameterName}.{f.PropertyName}"));
        Assert.True(spec.Features.Single(f => f.Name == "email").IsSensitive);
        Assert.Equal("global::Region", spec.Features.Single(f => f.Name == "region").EnumType);
        Assert.Equal(["North", "South"], spec.Features.Single(f => f.Name == "region").EnumMembers);
        Assert.True(spec.Features.All(f => f.MayBeNull && f.ReadThroughNullable)); // records are references
        Assert.Equal((ReturnKind.Value, "global::Quote", true), (spec.ReturnKind, spec.ResultType, spec.ResultCaptured));
        Assert.True(spec.Parameters.Single().Captured);
    }

    [Fact]
    public void Feature_attributes_become_typed_settings()
    {
        MethodSpec spec = Parse("""
            [MonitoredModel("m")]
            public sealed class M
            {
                [DriftTracked]
                public bool Predict(
                    [Feature(Name = "score_band", Kind = FeatureKind.Categorical, MaxCategories = 10, DriftMethod = DriftMethod.KolmogorovSmirnov, DriftThreshold = 0.2)] int score,
                    [IgnoreFeature] string notes) => true;
            }
            """, "M", "Predict");

        FeatureSpec score = spec.Features[0];
        Assert.Equal(("score_band", ValueKind.Categorical, ValueStorage.Number, 10), (score.Name, score.Kind, score.Storage, score.MaxCategories));
        Assert.Equal((DriftMethodSpec.KolmogorovSmirnov, 0.2), (score.DriftMethod, score.DriftThreshold));
        Assert.Equal([new SkippedSpec("notes", SkipReason.Ignored, "string")], spec.Skipped);
        Assert.False(spec.Parameters[1].Captured);
    }

    [Fact]
    public void Batches_name_their_parameter_count_member_and_result_items()
    {
        MethodSpec spec = Parse("""
            public sealed record House(double Area);
            [MonitoredModel("m")] public sealed class M { [DriftTracked] public double[] Predict(IReadOnlyList<House> houses, double threshold) => new double[0]; }
            """, "M", "Predict");

        Assert.Equal((0, "Count", "global::House"), (spec.BatchParameterIndex, spec.BatchCountMember, spec.BatchItemType));
        Assert.Equal((true, "Length", "double"), (spec.ResultIsBatch, spec.ResultCountMember, spec.ResultItemType));
        Assert.Equal(["area BatchItemProperty", "threshold Parameter", "prediction ResultItem"], spec.Features.Select(f => f.Name + " " + f.Origin));
    }

    [Theory]
    [InlineData("Task<double>", "TaskOfResult", "double", true)]
    [InlineData("ValueTask<bool>", "ValueTaskOfResult", "bool", true)]
    [InlineData("Task", "Task", null, false)]
    [InlineData("ValueTask", "ValueTask", null, false)]
    [InlineData("IAsyncEnumerable<double>", "AsyncEnumerable", "double", false)]
    [InlineData("Task<object>", "TaskOfResult", "object", false)]
    [InlineData("void", "Void", null, false)]
    public void Return_shapes_are_recognised(string returnType, string kindName, string? result, bool captured)
    {
        ReturnKind kind = Enum.Parse<ReturnKind>(kindName);
        MethodSpec spec = Parse($$"""
            [MonitoredModel("m")] public sealed class M { [DriftTracked] public {{returnType}} Predict(double x) => throw null!; }
            """, "M", "Predict");

        Assert.Equal((kind, result, captured), (spec.ReturnKind, spec.ResultType, spec.ResultCaptured));
    }

    [Fact]
    public void The_prefix_avoids_every_user_name_in_scope()
    {
        Assert.Equal("monitoring", Parse("""
            [MonitoredModel("m")] public sealed class M { [DriftTracked] public double Predict(double model, double monitor) => 0; }
            """, "M", "Predict").Prefix);
        Assert.Equal("monitoring__", Parse("""
            [MonitoredModel("m")] public sealed class M<monitoring_T> { [DriftTracked] public double Predict(double monitoringCall) => 0; }
            """, "M`1", "Predict").Prefix);
    }

    [Fact]
    public void Private_methods_are_invoked_through_an_accessor_and_partial_ones_directly()
    {
        const string source = """
            [MonitoredModel("m")]
            public sealed partial class M
            {
                [DriftTracked] private double Predict(double x) => x;
                [DriftTracked] private partial double Score(double x);
                private double ScoreCore(double x) => x;
            }
            """;
        Assert.Equal(InvocationKind.UnsafeAccessor, Parse(source, "M", "Predict").Invocation);
        MethodSpec partial = Parse(source, "M", "Score");
        Assert.Equal((InvocationKind.Direct, true), (partial.Invocation, partial.IsPartial));
        Assert.Equal(["private"], partial.PartialModifiers);
    }

    [Fact]
    public void Dispatch_keys_name_the_interface_and_base_methods_a_tracked_method_implements()
    {
        MethodSpec spec = Parse("""
            public interface IScorer<T> { double Score(T input); }
            public abstract class ScorerBase { public abstract double Score(int input); }
            [MonitoredModel("m")]
            public sealed class M : ScorerBase, IScorer<int> { [DriftTracked] public override double Score(int input) => input; }
            """, "M", "Score");

        Assert.Equal(["global::IScorer<int>.Score(int)", "global::ScorerBase.Score(int)"], spec.DispatchKeys);
    }

    [Fact]
    public void Uncaptured_obsolete_and_clashing_members_are_skipped_with_their_reason()
    {
        MethodSpec spec = Parse("""
            public sealed class Request
            {
                public Guid Id { get; init; }
                [Obsolete("gone", true)] public double Old { get; init; }
                public double Area { get; init; }
                [Feature(Name = "area")] public double Surface { get; init; }
            }
            [MonitoredModel("m")] public sealed class M { [DriftTracked] public double Predict(Request request) => 0; }
            """, "M", "Predict");

        Assert.Equal(
            ["id UnsupportedType Guid", "old ObsoleteError double", "area DuplicateName double"],
            spec.Skipped.Select(s => $"{s.Name} {s.Reason} {s.Type}"));
        Assert.Equal(["area", "prediction"], spec.Features.Select(f => f.Name));
    }

    [Fact]
    public void Models_number_their_methods_and_name_predictions_per_method_when_kinds_differ()
    {
        IMethodSymbol score = Method("""
            [MonitoredModel("fraud")]
            public sealed class Fraud
            {
                [DriftTracked] public double Score(double amount) => amount;
                [DriftTracked] public bool IsFraud(double amount) => amount > 1;
                [DriftTracked] public double Risk(double amount) => amount;
            }
            """, "Fraud", "Score");
        var methods = score.ContainingType.GetMembers().OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary).ToList();
        TypeSpec type = new("global::Fraud", "Fraud", null, EquatableArray<ContainingTypeSpec>.Empty, EquatableArray<string>.Empty, EquatableArray<string>.Empty, false, false, 1);
        var model = new ModelSpec("fraud", null, null, null, null, type, EquatableArray<MethodSpec>.Empty);
        var tracked = methods.Select(m => new Parser.TrackedMethod("Fraud", model, Parser.ParseMethod(m, FeatureRules.Capture(m), true)));

        ModelSpec grouped = Assert.Single(Parser.GroupByModel(tracked));

        Assert.Equal(["IsFraud 0", "Risk 1", "Score 2"], grouped.Methods.Select(m => m.Name + " " + m.Index));
        Assert.Equal(
            ["is_fraud.prediction Categorical", "risk.prediction Numerical", "score.prediction Numerical"],
            grouped.Methods.Select(m => m.Features.Single(f => f.IsPrediction)).Select(f => f.Name + " " + f.Kind));
    }

    [Fact]
    public void Helper_names_of_types_that_read_alike_are_told_apart_by_a_hash_and_ignore_case()
    {
        static ModelSpec Model(string metadataName) => new(
            "m", null, null, null, null,
            new TypeSpec("global::" + metadataName, metadataName, null, EquatableArray<ContainingTypeSpec>.Empty, EquatableArray<string>.Empty, EquatableArray<string>.Empty, false, false, 1),
            EquatableArray<MethodSpec>.Empty);

        var names = Emitter.HelperNames([Model("Acme.Fraud_Model"), Model("Acme.Fraud.Model"), Model("Acme.MODEL"), Model("Acme.model"), Model("Acme.Churn")]);

        Assert.Equal("Acme_Churn_Monitoring", names["Acme.Churn"]);
        Assert.Equal(5, names.Values.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Matches("^Acme_Fraud_Model_[0-9a-f]{8}_Monitoring$", names["Acme.Fraud_Model"]);
        Assert.Matches("^Acme_Fraud_Model_[0-9a-f]{8}_Monitoring$", names["Acme.Fraud.Model"]);
        Assert.Equal(names, Emitter.HelperNames([Model("Acme.Churn"), Model("Acme.model"), Model("Acme.MODEL"), Model("Acme.Fraud.Model"), Model("Acme.Fraud_Model")]));
    }

    [Fact]
    public void Spec_enums_mirror_the_runtime_enums_they_are_emitted_as()
    {
        Assert.Equal(
            Enum.GetValues<DriftMethod>().Select(v => (v.ToString(), (int)v)),
            Enum.GetValues<DriftMethodSpec>().Select(v => (v.ToString(), (int)v)));
        Assert.Equal((int)FeatureKind.Numerical, (int)ValueKind.Numerical);
        Assert.Equal((int)FeatureKind.Categorical, (int)ValueKind.Categorical);
        Assert.Equal((int)FeatureStorage.Number, (int)ValueStorage.Number);
        Assert.Equal((int)FeatureStorage.Label, (int)ValueStorage.Label);
    }
}
