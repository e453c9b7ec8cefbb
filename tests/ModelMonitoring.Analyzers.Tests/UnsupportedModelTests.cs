using Microsoft.CodeAnalysis.Testing;

namespace ModelMonitoring.Analyzers.Tests;

public class CannotBeMonitoredTests
{
    [Fact]
    public Task Generic_DriftTracked_methods_are_monitored_and_not_reported()
        => Verify.Analyzer<UnsupportedModelAnalyzer>(
            """
            using ModelMonitoring;

            [MonitoredModel("pricing")]
            public sealed class PricingModel
            {
                [DriftTracked]
                public double Predict<T>(double area, T context) => area * 2;

                [DriftTracked]
                public double Estimate(double area) => area * 3;
            }
            """);

    [Fact]
    public Task Methods_of_a_struct_model_that_are_not_partial_are_reported()
        => Verify.Analyzer<UnsupportedModelAnalyzer>(
            """
            using ModelMonitoring;

            [MonitoredModel("pricing")]
            public struct PricingModel
            {
                [DriftTracked]
                public double {|#0:Predict|}(double area) => area * 2;

                // Static methods of a struct model have no receiver: they are intercepted like any other.
                [DriftTracked]
                public static double Estimate(double area) => area * 3;
            }

            [MonitoredModel("churn")]
            public readonly record struct ChurnModel(double Threshold)
            {
                [DriftTracked]
                public bool {|#2:Predict|}(double tenure) => tenure > Threshold;
            }
            """,
            Verify.Diagnostic(Descriptors.CannotBeMonitored).WithLocation(0).WithArguments("Predict", Descriptors.StructModelReason),
            Verify.Diagnostic(Descriptors.CannotBeMonitored).WithLocation(2).WithArguments("Predict", Descriptors.StructModelReason));

    [Fact]
    public Task Private_nested_model_is_reported_once_at_the_type()
        => Verify.Analyzer<UnsupportedModelAnalyzer>(
            """
            using ModelMonitoring;

            public sealed class Outer
            {
                [MonitoredModel("pricing")]
                private sealed class {|#0:Inner|}
                {
                    [DriftTracked]
                    public double Predict(double area) => area * 2;

                    [DriftTracked]
                    public double Predict(float area) => area * 2;

                    [DriftTracked]
                    public double Score<T>(double area, T context) => area * 3;

                    public double Explain(double area) => area;
                }

                [MonitoredModel("quiet")]
                private sealed class NothingTracked
                {
                    public double Predict(double area) => area * 2;
                }
            }
            """,
            Verify.Diagnostic(Descriptors.CannotBeMonitored).WithLocation(0).WithArguments(
                "Predict', 'Score",
                "the model type 'Outer.Inner' is not accessible to generated code; make it internal or public"));

    [Fact]
    public Task Model_in_an_inaccessible_containing_type_names_the_types_to_change()
        => Verify.Analyzer<UnsupportedModelAnalyzer>(
            """
            using ModelMonitoring;

            public class Host
            {
                protected class Outer
                {
                    private protected struct Middle
                    {
                        [MonitoredModel("pricing")]
                        public sealed class {|#0:PricingModel|}
                        {
                            [DriftTracked]
                            public double Predict(double area) => area * 2;
                        }
                    }
                }
            }
            """,
            Verify.Diagnostic(Descriptors.CannotBeMonitored).WithLocation(0).WithArguments(
                "Predict",
                "the model type 'Host.Outer.Middle.PricingModel' is not accessible to generated code; make 'Host.Outer' and 'Host.Outer.Middle' internal or public"));

    [Fact]
    public Task Partial_method_of_a_struct_model_is_fine()
        => Verify.Analyzer<UnsupportedModelAnalyzer>(
            """
            using ModelMonitoring;

            [MonitoredModel("pricing")]
            public partial struct PricingModel
            {
                [DriftTracked]
                public partial double Predict(double area);

                [DriftTracked]
                public static partial double Estimate(double area);

                private double PredictCore(double area) => area * 2;
            }

            public partial struct PricingModel
            {
                public partial double Predict(double area) => PredictCore(area);

                public static partial double Estimate(double area) => area * 3;
            }
            """);

    [Fact]
    public Task Class_models_accessible_types_and_generic_containing_types_are_fine()
        => Verify.Analyzer<UnsupportedModelAnalyzer>(
            """
            using System.Collections.Generic;
            using ModelMonitoring;

            [MonitoredModel("pricing")]
            public sealed class PricingModel
            {
                [DriftTracked]
                public double Predict(double area) => area * 2;

                [DriftTracked]
                public static double Estimate(double area) => area * 3;
            }

            [MonitoredModel("ranking")]
            public sealed class RankingModel<TItem>
                where TItem : class
            {
                [DriftTracked]
                public double Score(double relevance, IReadOnlyList<TItem> items) => relevance;
            }

            public class Outer<T>
            {
                [MonitoredModel("nested")]
                internal sealed class Nested
                {
                    [DriftTracked]
                    public double Predict(double area) => area;
                }

                [MonitoredModel("shared")]
                protected internal sealed class Shared
                {
                    [DriftTracked]
                    public double Predict(double area) => area;
                }
            }

            [MonitoredModel("file-scoped")]
            internal sealed class InternalModel
            {
                [DriftTracked]
                internal double Predict(double area) => area;
            }
            """);

    [Fact]
    public Task Type_without_MonitoredModel_is_left_to_MMON002()
        => Verify.Analyzer<UnsupportedModelAnalyzer>(
            """
            using ModelMonitoring;

            public struct PricingModel
            {
                [DriftTracked]
                public double Predict<T>(double area, T context) => area * 2;

                [DriftTracked]
                public double Estimate(double area) => area * 3;
            }

            public sealed class Outer
            {
                private sealed class Inner
                {
                    [DriftTracked]
                    public double Predict(double area) => area * 2;
                }
            }
            """);

    [Fact]
    public async Task Generated_code_is_not_analyzed()
    {
        var test = new AnalyzerTest<UnsupportedModelAnalyzer>(
            """
            // <auto-generated/>
            using ModelMonitoring;

            [MonitoredModel("pricing")]
            public struct PricingModel
            {
                [DriftTracked]
                public double Predict(double area) => area * 2;
            }
            """);
        await test.RunAsync();
    }
}
