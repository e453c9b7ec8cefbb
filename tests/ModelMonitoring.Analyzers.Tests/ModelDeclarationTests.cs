using Microsoft.CodeAnalysis.Testing;
using ModelMonitoring.Analyzers.CodeFixes;

namespace ModelMonitoring.Analyzers.Tests;

public class DriftTrackedOutsideModelTests
{
    [Fact]
    public Task DriftTracked_method_in_a_type_without_MonitoredModel_is_an_error()
        => Verify.Analyzer<ModelDeclarationAnalyzer>(
            """
            using ModelMonitoring;

            public sealed class ChurnModel
            {
                [DriftTracked]
                public bool {|#0:Predict|}(double tenure) => tenure > 3;
            }
            """,
            Verify.Diagnostic(Descriptors.DriftTrackedOutsideModel).WithLocation(0).WithArguments("Predict", "ChurnModel", "churn-model"));

    [Fact]
    public Task DriftTracked_method_of_a_model_is_fine()
        => Verify.Analyzer<ModelDeclarationAnalyzer>(
            """
            using ModelMonitoring;

            [MonitoredModel("churn")]
            public sealed class ChurnModel
            {
                [DriftTracked]
                public bool Predict(double tenure) => tenure > 3;

                public bool Explain(double tenure) => tenure > 3;
            }
            """);

    [Fact]
    public Task Fix_adds_MonitoredModel_to_the_type()
        => Verify.CodeFix<ModelDeclarationAnalyzer, AddMonitoredModelCodeFixProvider>(
            """
            using ModelMonitoring;

            namespace Demo;

            public sealed class ChurnModel
            {
                [DriftTracked]
                public bool {|#0:Predict|}(double tenure) => tenure > 3;
            }
            """,
            """
            using ModelMonitoring;

            namespace Demo;

            [MonitoredModel("churn-model")]
            public sealed class ChurnModel
            {
                [DriftTracked]
                public bool Predict(double tenure) => tenure > 3;
            }
            """,
            Verify.Diagnostic(Descriptors.DriftTrackedOutsideModel).WithLocation(0).WithArguments("Predict", "ChurnModel", "churn-model"));
}

public class NothingToCaptureTests
{
    [Fact]
    public Task Object_stream_bytes_and_memory_parameters_capture_nothing()
        => Verify.Analyzer<ModelDeclarationAnalyzer>(
            """
            using System;
            using System.IO;
            using System.Threading;
            using ModelMonitoring;

            [MonitoredModel("opaque")]
            public sealed class OpaqueModel
            {
                [DriftTracked]
                public object {|#0:Predict|}(object input, Stream image, byte[] bytes, ReadOnlyMemory<byte> memory, CancellationToken token) => input;

                [DriftTracked]
                public int {|#1:Score|}() => 1;

                [DriftTracked]
                public int {|#2:Detect|}([IgnoreFeature] double ignored, out int result) { result = 0; return 0; }
            }
            """,
            Verify.Diagnostic(Descriptors.NothingToCapture).WithLocation(0).WithArguments("Predict"),
            Verify.Diagnostic(Descriptors.NothingToCapture).WithLocation(1).WithArguments("Score"),
            Verify.Diagnostic(Descriptors.NothingToCapture).WithLocation(2).WithArguments("Detect"));

    [Fact]
    public Task Scalars_request_types_and_batches_capture_features()
        => Verify.Analyzer<ModelDeclarationAnalyzer>(
            """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using ModelMonitoring;

            public enum Tier { Free, Paid }
            public sealed record Request(double Area, int Rooms, bool IsNew);
            public struct Point { public float X { get; set; } public float Y { get; init; } }
            public sealed class Only { public object {|#0:Payload|} { get; set; } = new(); public DateTimeOffset? When { get; set; } }

            [MonitoredModel("capture")]
            public sealed class CaptureModel
            {
                [DriftTracked] public int A(decimal amount) => 0;
                [DriftTracked] public int B(Tier tier) => 0;
                [DriftTracked] public int C(DateTime? at) => 0;
                [DriftTracked] public int D(Request request) => 0;
                [DriftTracked] public int E(Point point) => 0;
                [DriftTracked] public int F(IReadOnlyList<Request> batch) => 0;
                [DriftTracked] public int G(Request[] batch) => 0;
                [DriftTracked] public int H(List<Point> batch, IList<Request> second) => 0;
                [DriftTracked] public Task<int> I(Only only) => Task.FromResult(0);
                [DriftTracked] public int J(char c, bool b, TimeSpan t, in double d) => 0;
            }
            """,
            Verify.Diagnostic(Descriptors.PropertyNotCaptured).WithLocation(0).WithArguments("Payload", "Only", "object"));

    [Fact]
    public Task Enumerables_generic_parameters_and_ref_parameters_capture_nothing_like_the_generator()
        => Verify.Analyzer<ModelDeclarationAnalyzer>(
            """
            using System.Collections.Generic;
            using ModelMonitoring;

            public sealed record Request(double Area);

            [MonitoredModel("capture")]
            public sealed class CaptureModel
            {
                [DriftTracked] public int {|#0:A|}(IEnumerable<Request> batch) => 0;
                [DriftTracked] public int {|#1:B|}<T>(T input) => 0;
                [DriftTracked] public int {|#2:C|}(ref double x) => 0;
                [DriftTracked] public int {|#3:D|}(double[] values) => 0;
            }
            """,
            Verify.Diagnostic(Descriptors.NothingToCapture).WithLocation(0).WithArguments("A"),
            Verify.Diagnostic(Descriptors.NothingToCapture).WithLocation(1).WithArguments("B"),
            Verify.Diagnostic(Descriptors.NothingToCapture).WithLocation(2).WithArguments("C"),
            Verify.Diagnostic(Descriptors.NothingToCapture).WithLocation(3).WithArguments("D"));

    [Fact]
    public Task Partial_mode_methods_are_checked_once()
        => Verify.Analyzer<ModelDeclarationAnalyzer>(
            """
            using ModelMonitoring;

            [MonitoredModel("opaque")]
            public sealed partial class OpaqueModel
            {
                [DriftTracked]
                public partial object {|#0:Predict|}(object input);

                private object PredictCore(object input) => input;
            }

            public sealed partial class OpaqueModel
            {
                public partial object Predict(object input) => PredictCore(input);
            }
            """,
            Verify.Diagnostic(Descriptors.NothingToCapture).WithLocation(0).WithArguments("Predict"));
}

public class InvalidNameTests
{
    [Fact]
    public Task Model_names_must_be_valid_labels()
        => Verify.Analyzer<ModelDeclarationAnalyzer>(
            """
            using ModelMonitoring;

            [MonitoredModel({|#0:"Pricing Model"|})]
            public sealed class PricingModel { }

            [MonitoredModel({|#1:"2fast"|}, Owner = "x")]
            public sealed class FastModel { }

            [MonitoredModel("churn.v2-eu_west")]
            public sealed class ChurnModel { }
            """,
            Verify.Diagnostic(Descriptors.InvalidName).WithLocation(0).WithArguments("Model", "Pricing Model", "pricing-model"),
            Verify.Diagnostic(Descriptors.InvalidName).WithLocation(1).WithArguments("Model", "2fast", "fast"));

    [Fact]
    public Task Feature_names_must_be_valid_labels()
        => Verify.Analyzer<ModelDeclarationAnalyzer>(
            """
            using ModelMonitoring;

            public sealed class Request
            {
                [Feature({|#0:Name = "Floor Area"|})] public double Area { get; set; }
                public double Ok { get; set; }
                public double {|#1:Área|} { get; set; }
            }

            [MonitoredModel("pricing")]
            public sealed class PricingModel
            {
                [DriftTracked]
                public double Predict(Request request, [Feature(Name = "rooms.count")] int rooms) => 0;
            }
            """,
            Verify.Diagnostic(Descriptors.InvalidName).WithLocation(0).WithArguments("Feature", "Floor Area", "floor_area"),
            Verify.Diagnostic(Descriptors.InvalidName).WithLocation(1).WithArguments("Feature", "área", "rea"));

    [Fact]
    public Task Two_features_that_still_share_a_name_after_prefixing_are_a_clash_at_the_method()
        => Verify.Analyzer<ModelDeclarationAnalyzer>(
            """
            using ModelMonitoring;

            public sealed record Request(double Area, [property: Feature(Name = "rooms")] int RoomCount);

            [MonitoredModel("pricing")]
            public sealed class PricingModel
            {
                [DriftTracked]
                public double {|#0:Predict|}(Request request, double area, int rooms) => 0;
            }
            """,
            Verify.Diagnostic(Descriptors.DuplicateFeatureName).WithLocation(0).WithArguments("rooms", "request.RoomCount", "rooms", "Predict"));

    [Fact]
    public Task Properties_of_two_parameters_that_share_a_name_are_prefixed_with_their_parameter_not_reported()
        => Verify.Analyzer<ModelDeclarationAnalyzer>(
            """
            using ModelMonitoring;

            public sealed record User(long Id, int Age);
            public sealed record Item(long Id, double Price);

            [MonitoredModel("recommender")]
            public sealed class Recommender
            {
                [DriftTracked]
                public double Score(User user, Item item) => 0;
            }
            """);

    [Fact]
    public Task Two_models_with_the_same_name_are_both_reported()
        => Verify.Analyzer<ModelDeclarationAnalyzer>(
            """
            using ModelMonitoring;

            namespace A { [MonitoredModel({|#0:"pricing"|})] public sealed class PricingModel { } }
            namespace B { [MonitoredModel({|#1:"pricing"|})] public sealed class PricingModel { } }
            namespace C { [MonitoredModel("pricing-v2")] public sealed class PricingModel { } }
            """,
            Verify.Diagnostic(Descriptors.DuplicateModelName).WithLocation(0).WithArguments("pricing", "A.PricingModel, B.PricingModel"),
            Verify.Diagnostic(Descriptors.DuplicateModelName).WithLocation(1).WithArguments("pricing", "A.PricingModel, B.PricingModel"));
}

public class PersonalFeatureTests
{
    private static DiagnosticResult Personal(int location, string feature, string match, string member)
        => Verify.Diagnostic(Descriptors.PersonalFeatureNotSensitive).WithLocation(location).WithArguments(feature, match, member);

    [Fact]
    public Task Personal_looking_features_without_Sensitive_are_reported_once_at_the_member()
        => Verify.Analyzer<ModelDeclarationAnalyzer>(
            """
            using System;
            using ModelMonitoring;

            public sealed record Request(
                double Area,
                [property: Feature(MaxCategories = 1000)] string {|#0:CustomerEmail|},
                [property: Sensitive] string PhoneNumber,
                [property: IgnoreFeature] string Cpf,
                [Sensitive] string Cnpj,
                DateTime {|#1:BirthDate|},
                int {|#2:CardNumberLast4|});

            [MonitoredModel("pricing")]
            public sealed class PricingModel
            {
                [DriftTracked]
                public double Predict(Request request) => 0;

                [DriftTracked]
                public double PredictBatch(Request[] requests) => 0;

                [DriftTracked]
                public double Score([Feature(MaxCategories = 10)] string {|#3:passport|}, [Sensitive] string ssn, double filename) => 0;
            }
            """,
            Personal(0, "customer_email", "email", "CustomerEmail"),
            Personal(1, "birth_date", "birth_date", "BirthDate"),
            Personal(2, "card_number_last4", "card_number", "CardNumberLast4"),
            Personal(3, "passport", "passport", "passport"));

    [Fact]
    public async Task The_personal_names_come_from_editorconfig()
    {
        var test = new AnalyzerTest<ModelDeclarationAnalyzer>(
            """
            using ModelMonitoring;

            public sealed class Request
            {
                public double {|#0:PatientId|} { get; set; }
                public double Email { get; set; }
            }

            [MonitoredModel("triage")]
            public sealed class TriageModel
            {
                [DriftTracked]
                public double Predict(Request request) => 0;
            }
            """,
            Personal(0, "patient_id", "patient_id", "PatientId"));
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", """
            root = true

            [*.cs]
            model_monitoring.personal_data_names = patient_id, medical_record
            """));
        await test.RunAsync();
    }

    [Fact]
    public Task Fix_marks_a_property_Sensitive()
        => Verify.CodeFix<ModelDeclarationAnalyzer, AddSensitiveCodeFixProvider>(
            """
            namespace Demo;

            public sealed class Request
            {
                public double Area { get; set; }

                public double {|#0:HomeAddress|} { get; set; }
            }

            [ModelMonitoring.MonitoredModel("pricing")]
            public sealed class PricingModel
            {
                [ModelMonitoring.DriftTracked]
                public double Predict(Request request) => 0;
            }
            """,
            """
            using ModelMonitoring;

            namespace Demo;

            public sealed class Request
            {
                public double Area { get; set; }

                [Sensitive]
                public double HomeAddress { get; set; }
            }

            [ModelMonitoring.MonitoredModel("pricing")]
            public sealed class PricingModel
            {
                [ModelMonitoring.DriftTracked]
                public double Predict(Request request) => 0;
            }
            """,
            Personal(0, "home_address", "address", "HomeAddress"));

    [Fact]
    public Task Fix_marks_a_record_positional_parameter_property_Sensitive()
        => Verify.CodeFix<ModelDeclarationAnalyzer, AddSensitiveCodeFixProvider>(
            """
            using ModelMonitoring;

            public sealed record Request(double Area, [property: Feature(MaxCategories = 50)] string {|#0:CustomerEmail|});

            [MonitoredModel("pricing")]
            public sealed class PricingModel
            {
                [DriftTracked]
                public double Predict(Request request, double {|#1:password|}) => 0;
            }
            """,
            """
            using ModelMonitoring;

            public sealed record Request(double Area, [property: Sensitive][property: Feature(MaxCategories = 50)] string CustomerEmail);

            [MonitoredModel("pricing")]
            public sealed class PricingModel
            {
                [DriftTracked]
                public double Predict(Request request, [Sensitive] double password) => 0;
            }
            """,
            Personal(0, "customer_email", "email", "CustomerEmail"),
            Personal(1, "password", "password", "password"));
}

public class StringFeatureTests
{
    [Fact]
    public Task String_features_without_MaxCategories_are_reported_as_info()
        => Verify.Analyzer<ModelDeclarationAnalyzer>(
            """
            using ModelMonitoring;

            public sealed record Request(
                string {|#0:Region|},
                [property: Feature(MaxCategories = 30)] string City,
                [property: Sensitive] string Token,
                [property: Feature(Kind = FeatureKind.Numerical)] string {|#2:Encoded|},
                char Grade);

            [MonitoredModel("pricing")]
            public sealed class PricingModel
            {
                [DriftTracked]
                public double Predict(Request request, string {|#1:channel|}, [Feature(MaxCategories = 5)] string plan) => 0;
            }
            """,
            Verify.Diagnostic(Descriptors.StringFeatureWithoutMaxCategories).WithLocation(0).WithArguments("region")
                .WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Info),
            Verify.Diagnostic(Descriptors.StringFeatureWithoutMaxCategories).WithLocation(1).WithArguments("channel")
                .WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Info),

            // A string cannot be numerical: it stays categorical, with the default limit.
            Verify.Diagnostic(Descriptors.StringFeatureWithoutMaxCategories).WithLocation(2).WithArguments("encoded")
                .WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Info));
}
