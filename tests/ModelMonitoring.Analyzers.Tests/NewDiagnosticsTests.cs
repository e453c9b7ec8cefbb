using Microsoft.CodeAnalysis.Testing;
using ModelMonitoring.Analyzers.CodeFixes;

namespace ModelMonitoring.Analyzers.Tests;

/// <summary>MMON010: a library's tracked method that other assemblies call; its fix switches it to partial mode.</summary>
public class CalledFromOtherAssembliesTests
{
    [Fact]
    public Task Public_methods_and_implementations_of_public_interfaces_are_reported_internal_ones_and_partial_ones_are_not()
        => Verify.Analyzer<InterceptionAnalyzer>(
            """
            using ModelMonitoring;

            public interface IChurnModel { bool Predict(double tenure); }

            [MonitoredModel("pricing")]
            public sealed class PricingModel
            {
                [DriftTracked] public double {|#0:Predict|}(double area) => area * 2;
                [DriftTracked] internal double Estimate(double area) => area;
            }

            [MonitoredModel("churn")]
            internal sealed class ChurnModel : IChurnModel
            {
                [DriftTracked] public bool {|#1:Predict|}(double tenure) => tenure > 3;
            }

            [MonitoredModel("internal-only")]
            internal sealed class InternalModel
            {
                [DriftTracked] public double Predict(double x) => x;
            }

            [MonitoredModel("partial")]
            public sealed partial class PartialModel
            {
                [DriftTracked] public partial double Predict(double x);
                private double PredictCore(double x) => x;
            }

            public sealed partial class PartialModel
            {
                public partial double Predict(double x) => PredictCore(x);
            }
            """,
            Verify.Diagnostic(Descriptors.CalledFromOtherAssemblies).WithLocation(0).WithArguments("Predict"),
            Verify.Diagnostic(Descriptors.CalledFromOtherAssemblies).WithLocation(1).WithArguments("Predict"));

    [Fact]
    public async Task Fix_makes_the_method_partial_with_its_body_in_Core()
    {
        var test = new CodeFixTest<InterceptionAnalyzer, MakePartialCodeFixProvider>(
            """
            using ModelMonitoring;

            [MonitoredModel("pricing")]
            public sealed class PricingModel
            {
                [DriftTracked]
                public double {|#0:Predict|}(double area) => area * 2;
            }
            """,
            """
            using ModelMonitoring;

            [MonitoredModel("pricing")]
            public sealed partial class PricingModel
            {
                [DriftTracked]
                public partial double {|#1:Predict|}(double area);

                private double PredictCore(double area) => area * 2;
            }
            """,
            Verify.Diagnostic(Descriptors.CalledFromOtherAssemblies).WithLocation(0).WithArguments("Predict"));

        // The generator writes the body; without it (as here), the compiler asks for it.
        test.FixedState.ExpectedDiagnostics.Add(DiagnosticResult.CompilerError("CS8795").WithLocation(1).WithArguments("PricingModel.Predict(double)"));
        await test.RunAsync();
    }
}

/// <summary>MMON011: a property of a captured type that is not captured; its fix marks it [IgnoreFeature].</summary>
public class PropertyNotCapturedTests
{
    [Fact]
    public Task Guid_nested_object_and_list_properties_are_reported_once_ignored_and_obsolete_ones_are_not()
        => Verify.Analyzer<ModelDeclarationAnalyzer>(
            """
            using System;
            using System.Collections.Generic;
            using ModelMonitoring;

            public sealed record Address(string Country);
            public sealed class Request
            {
                public double Amount { get; init; }
                public Guid {|#0:CustomerId|} { get; init; }
                public Address? {|#1:Shipping|} { get; init; }
                public List<double> {|#2:History|} { get; init; } = new();
                [IgnoreFeature] public Guid TraceId { get; init; }
                [Obsolete("gone", true)] public object? Legacy { get; init; }
            }

            [MonitoredModel("orders")]
            public sealed class OrderModel
            {
                [DriftTracked] public double Predict(Request request) => request.Amount;
                [DriftTracked] public double Score(Request request) => request.Amount;
            }
            """,
            Verify.Diagnostic(Descriptors.PropertyNotCaptured).WithLocation(0).WithArguments("CustomerId", "Request", "Guid"),
            Verify.Diagnostic(Descriptors.PropertyNotCaptured).WithLocation(1).WithArguments("Shipping", "Request", "Address?"),
            Verify.Diagnostic(Descriptors.PropertyNotCaptured).WithLocation(2).WithArguments("History", "Request", "List<double>"));

    [Fact]
    public Task Fix_marks_a_positional_record_parameter_property_IgnoreFeature()
        => Verify.CodeFix<ModelDeclarationAnalyzer, AddIgnoreFeatureCodeFixProvider>(
            """
            using System;
            using ModelMonitoring;

            public sealed record Request(double Amount, Guid {|#0:CustomerId|});

            [MonitoredModel("orders")]
            public sealed class OrderModel
            {
                [DriftTracked] public double Predict(Request request) => request.Amount;
            }
            """,
            """
            using System;
            using ModelMonitoring;

            public sealed record Request(double Amount, [property: IgnoreFeature] Guid CustomerId);

            [MonitoredModel("orders")]
            public sealed class OrderModel
            {
                [DriftTracked] public double Predict(Request request) => request.Amount;
            }
            """,
            Verify.Diagnostic(Descriptors.PropertyNotCaptured).WithLocation(0).WithArguments("CustomerId", "Request", "Guid"));
}

/// <summary>MMON012: a prediction method of a monitored model without [DriftTracked]; its fix adds it.</summary>
public class PredictionMethodNotTrackedTests
{
    [Fact]
    public Task Untracked_prediction_methods_are_reported_unless_they_call_a_tracked_method()
        => Verify.Analyzer<UnmonitoredModelAnalyzer>(
            """
            using System.Linq;
            using ModelMonitoring;

            [MonitoredModel("fraud")]
            public sealed class FraudModel
            {
                [DriftTracked] public bool Predict(double amount) => amount > 10;
                public bool[] PredictBatch(double[] amounts) => amounts.Select(a => Predict(a)).ToArray();
                public double {|#0:Score|}(double amount) => amount / 10;
                public string Describe() => "fraud";
                private double Classify(double amount) => amount;
            }
            """,
            Verify.Diagnostic(Descriptors.PredictionMethodNotTracked).WithLocation(0).WithArguments("Score", "FraudModel"));

    [Fact]
    public Task Fix_adds_DriftTracked()
        => Verify.CodeFix<UnmonitoredModelAnalyzer, AddDriftTrackedCodeFixProvider>(
            """
            using ModelMonitoring;

            [MonitoredModel("fraud")]
            public sealed class FraudModel
            {
                [DriftTracked]
                public bool Predict(double amount) => amount > 10;

                public double {|#0:Score|}(double amount) => amount / 10;
            }
            """,
            """
            using ModelMonitoring;

            [MonitoredModel("fraud")]
            public sealed class FraudModel
            {
                [DriftTracked]
                public bool Predict(double amount) => amount > 10;

                [DriftTracked]
                public double Score(double amount) => amount / 10;
            }
            """,
            Verify.Diagnostic(Descriptors.PredictionMethodNotTracked).WithLocation(0).WithArguments("Score", "FraudModel"));
}

/// <summary>MMON009's new reasons, and the fix that declares the containing types partial.</summary>
public class CannotBeMonitoredReasonTests
{
    [Fact]
    public Task Each_reason_is_reported_at_the_method_and_monitorable_shapes_are_not()
        => Verify.Analyzer<UnsupportedModelAnalyzer>(
            """
            using System;
            using ModelMonitoring;

            public interface IModel { double Predict(double x); }

            [MonitoredModel("shapes")]
            public class ShapesModel : IModel
            {
                private sealed class Secret { public double X { get; set; } }

                [DriftTracked] double IModel.{|#0:Predict|}(double x) => x;
                [DriftTracked] private double {|#1:Hidden|}(Secret secret) => secret.X;
                [DriftTracked] private T {|#2:Generic|}<T>(T value) => value;
                [DriftTracked, Obsolete("use Score", true)] public double {|#3:Old|}(double x) => x;

                // Monitored: private (through [UnsafeAccessor]), protected virtual, generic public, ref return.
                [DriftTracked] private double Score(double x) => x;
                [DriftTracked] protected virtual double Adjust(double x) => x;
                [DriftTracked] public T Echo<T>(T value) => value;
                [DriftTracked] public ref double Last(double x) => ref _last;
                private double _last;
            }
            """,
            Verify.Diagnostic(Descriptors.CannotBeMonitored).WithLocation(0).WithArguments("IModel.Predict", Descriptors.ExplicitImplementationReason),
            Verify.Diagnostic(Descriptors.CannotBeMonitored).WithLocation(1).WithArguments("Hidden", Descriptors.InaccessibleSignatureReason),
            Verify.Diagnostic(Descriptors.CannotBeMonitored).WithLocation(2).WithArguments("Generic", Descriptors.InaccessibleMethodShapeReason),
            Verify.Diagnostic(Descriptors.CannotBeMonitored).WithLocation(3).WithArguments("Old", Descriptors.ObsoleteReason));

    [Fact]
    public async Task Fix_declares_the_containing_types_partial()
    {
        var test = new CodeFixTest<UnsupportedModelAnalyzer, MakeContainersPartialCodeFixProvider>(
            """
            using ModelMonitoring;

            public static class Outer
            {
                public sealed class Middle
                {
                    [MonitoredModel("risk")]
                    public sealed partial class RiskModel
                    {
                        [DriftTracked]
                        public partial double {|#0:Score|}(double exposure);

                        private double ScoreCore(double exposure) => exposure / 10;
                    }
                }
            }
            """,
            """
            using ModelMonitoring;

            public static partial class Outer
            {
                public sealed partial class Middle
                {
                    [MonitoredModel("risk")]
                    public sealed partial class RiskModel
                    {
                        [DriftTracked]
                        public partial double {|#1:Score|}(double exposure);

                        private double ScoreCore(double exposure) => exposure / 10;
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.CannotBeMonitored).WithLocation(0)
                .WithArguments("Score", "its body cannot be generated because 'Outer' and 'Outer.Middle' are not partial; declare them partial"));

        // Without the generator, the partial method has no body in either state.
        test.TestState.ExpectedDiagnostics.Add(DiagnosticResult.CompilerError("CS8795").WithLocation(0).WithArguments("Outer.Middle.RiskModel.Score(double)"));
        test.FixedState.ExpectedDiagnostics.Add(DiagnosticResult.CompilerError("CS8795").WithLocation(1).WithArguments("Outer.Middle.RiskModel.Score(double)"));
        await test.RunAsync();
    }
}
