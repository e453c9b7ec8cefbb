using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using ModelMonitoring.Analyzers.CodeFixes;

namespace ModelMonitoring.Analyzers.Tests;

public class InterceptionBypassTests
{
    private const string Model = """

        [ModelMonitoring.MonitoredModel("pricing")]
        public sealed class PricingModel
        {
            [ModelMonitoring.DriftTracked]
            public double Predict(double area) => area * 2;

            [ModelMonitoring.DriftTracked]
            public static double Estimate(double area, int rooms) => area * rooms;

            public double Explain(double area) => area;
        }
        """;

    [Fact]
    public Task Method_groups_and_delegate_creation_are_reported()
        => Verify.Analyzer<InterceptionAnalyzer>(
            """
            using System;
            using System.Linq;

            public static class Caller
            {
                public static void Run(PricingModel model, double[] areas)
                {
                    Func<double, double> predict = {|#0:model.Predict|};
                    var all = areas.Select({|#1:model.Predict|}).ToArray();
                    var estimate = new Func<double, int, double>({|#2:PricingModel.Estimate|});
                    var direct = model.Predict(1);
                    Func<double, double> wrapped = a => model.Predict(a);
                    Func<double, double> unmonitored = model.Explain;
                    var name = nameof(model.Predict);
                }
            }
            """ + Model,
            Verify.Diagnostic(Descriptors.MethodGroupBypassesInterception).WithLocation(0).WithArguments("Predict"),
            Verify.Diagnostic(Descriptors.MethodGroupBypassesInterception).WithLocation(1).WithArguments("Predict"),
            Verify.Diagnostic(Descriptors.MethodGroupBypassesInterception).WithLocation(2).WithArguments("Estimate"));

    [Fact]
    public Task Calls_inside_expression_trees_are_reported()
        => Verify.Analyzer<InterceptionAnalyzer>(
            """
            using System;
            using System.Linq.Expressions;

            public static class Caller
            {
                public static void Run(PricingModel model)
                {
                    Expression<Func<double, double>> tree = a => {|#0:model.Predict|}(a) + 1;
                    Expression<Func<double>> nested = () => new[] { 1.0 }.Length + {|#1:PricingModel.Estimate|}(1, 2);
                    Func<double, double> compiled = a => model.Predict(a);
                }
            }
            """ + Model,
            Verify.Diagnostic(Descriptors.ExpressionTreeBypassesInterception).WithLocation(0).WithArguments("Predict"),
            Verify.Diagnostic(Descriptors.ExpressionTreeBypassesInterception).WithLocation(1).WithArguments("Estimate"));

    [Fact]
    public Task Partial_mode_methods_can_be_used_as_delegates()
        => Verify.Analyzer<InterceptionAnalyzer>(
            """
            using System;
            using System.Linq.Expressions;
            using ModelMonitoring;

            [MonitoredModel("pricing")]
            public sealed partial class PricingModel
            {
                [DriftTracked]
                public partial double Predict(double area);

                private double PredictCore(double area) => area * 2;
            }

            public sealed partial class PricingModel
            {
                public partial double Predict(double area) => PredictCore(area);
            }

            public static class Caller
            {
                public static void Run(PricingModel model)
                {
                    Func<double, double> predict = model.Predict;
                    Expression<Func<double, double>> tree = a => model.Predict(a);
                }
            }
            """);

    [Fact]
    public Task Fix_wraps_a_method_group_in_a_lambda()
        => Verify.CodeFix<InterceptionAnalyzer, WrapInLambdaCodeFixProvider>(
            """
            using System;
            using System.Linq;

            public static class Caller
            {
                public static double[] Run(PricingModel model, double[] areas)
                {
                    Func<double, int, double> estimate = {|#0:PricingModel.Estimate|};
                    return areas.Select({|#1:model.Predict|}).ToArray();
                }
            }
            """ + Model,
            """
            using System;
            using System.Linq;

            public static class Caller
            {
                public static double[] Run(PricingModel model, double[] areas)
                {
                    Func<double, int, double> estimate = (area, rooms) => PricingModel.Estimate(area, rooms);
                    return areas.Select(area => model.Predict(area)).ToArray();
                }
            }
            """ + Model,
            Verify.Diagnostic(Descriptors.MethodGroupBypassesInterception).WithLocation(0).WithArguments("Estimate"),
            Verify.Diagnostic(Descriptors.MethodGroupBypassesInterception).WithLocation(1).WithArguments("Predict"));
}

public class MakePartialFixTests
{
    [Fact]
    public async Task Fix_moves_the_body_to_Core_and_makes_the_method_and_types_partial()
    {
        var test = new CodeFixTest<InterceptionAnalyzer, MakePartialCodeFixProvider>(
            """
            using System;
            using System.Linq.Expressions;
            using System.Threading.Tasks;
            using ModelMonitoring;

            public static class Outer
            {
                [MonitoredModel("pricing")]
                public sealed class PricingModel
                {
                    /// <summary>Prices a house.</summary>
                    [DriftTracked]
                    public async Task<double> PredictAsync([Sensitive] string owner, double area)
                    {
                        await Task.Yield();
                        return area * 2;
                    }

                    [DriftTracked]
                    public static double Estimate(double area) => area * 3;
                }

                public static void Use(PricingModel model)
                {
                    Func<string, double, Task<double>> predict = {|#0:model.PredictAsync|};
                    Expression<Func<double>> tree = () => {|#1:PricingModel.Estimate|}(1);
                }
            }
            """,
            """
            using System;
            using System.Linq.Expressions;
            using System.Threading.Tasks;
            using ModelMonitoring;

            public static partial class Outer
            {
                [MonitoredModel("pricing")]
                public sealed partial class PricingModel
                {
                    /// <summary>Prices a house.</summary>
                    [DriftTracked]
                    public partial Task<double> {|#2:PredictAsync|}([Sensitive] string owner, double area);

                    private async Task<double> PredictAsyncCore(string owner, double area)
                    {
                        await Task.Yield();
                        return area * 2;
                    }

                    [DriftTracked]
                    public static partial double {|#3:Estimate|}(double area);

                    private static double EstimateCore(double area) => area * 3;
                }

                public static void Use(PricingModel model)
                {
                    Func<string, double, Task<double>> predict = {|#4:model.PredictAsync|};
                    Expression<Func<double>> tree = () => {|#5:PricingModel.Estimate(1)|};
                }
            }
            """,
            Verify.Diagnostic(Descriptors.MethodGroupBypassesInterception).WithLocation(0).WithArguments("PredictAsync"),
            Verify.Diagnostic(Descriptors.ExpressionTreeBypassesInterception).WithLocation(1).WithArguments("Estimate"));

        // The generator writes the partial methods' bodies; without it (as here), the compiler asks for them.
        test.FixedState.ExpectedDiagnostics.Add(DiagnosticResult.CompilerError("CS8795").WithLocation(2).WithArguments("Outer.PricingModel.PredictAsync(string, double)"));
        test.FixedState.ExpectedDiagnostics.Add(DiagnosticResult.CompilerError("CS8795").WithLocation(3).WithArguments("Outer.PricingModel.Estimate(double)"));
        test.FixedState.ExpectedDiagnostics.Add(DiagnosticResult.CompilerError("CS0762").WithLocation(4).WithArguments("Outer.PricingModel.PredictAsync(string, double)"));
        test.FixedState.ExpectedDiagnostics.Add(DiagnosticResult.CompilerError("CS0765").WithLocation(5));
        test.NumberOfFixAllIterations = 0;
        test.CodeFixTestBehaviors = CodeFixTestBehaviors.SkipFixAllCheck;
        await test.RunAsync();
    }
}

public class InterceptionDisabledTests
{
    private const string Source = """
        using ModelMonitoring;

        [MonitoredModel("pricing")]
        public sealed class PricingModel
        {
            [DriftTracked]
            public double {|#0:Predict|}(double area) => area * 2;

            [DriftTracked]
            public double Score(double area) => area;
        }
        """;

    [Fact]
    public Task Missing_interceptors_namespace_is_reported_once_at_the_first_method()
        => new AnalyzerTest<InterceptionAnalyzer>(
            Source,
            Verify.Diagnostic(Descriptors.InterceptionDisabled).WithLocation(0).WithArguments(Descriptors.NamespaceMissingReason))
        {
            InterceptorsEnabled = false,
        }.RunAsync();

    [Fact]
    public Task Language_version_below_11_is_reported()
        => new AnalyzerTest<InterceptionAnalyzer>(
            Source,
            Verify.Diagnostic(Descriptors.InterceptionDisabled).WithLocation(0)
                .WithArguments("the language version is 10.0; set <LangVersion>11</LangVersion> or later, or make the methods partial"))
        {
            LanguageVersion = LanguageVersion.CSharp10,
        }.RunAsync();

    [Fact]
    public Task Language_version_11_intercepts_and_reports_nothing()
        => new AnalyzerTest<InterceptionAnalyzer>(Source.Replace("{|#0:Predict|}", "Predict", StringComparison.Ordinal))
        {
            LanguageVersion = LanguageVersion.CSharp11,
        }.RunAsync();

    [Fact]
    public Task Language_version_below_9_says_nothing_is_generated_even_for_partial_methods()
        => new AnalyzerTest<InterceptionAnalyzer>(
            """
            using ModelMonitoring;

            [MonitoredModel("pricing")]
            public sealed class PricingModel
            {
                [DriftTracked]
                public double {|#0:Predict|}(double area) { return area * 2; }
            }
            """,
            Verify.Diagnostic(Descriptors.InterceptionDisabled).WithLocation(0)
                .WithArguments("the language version is 8.0, and the generated monitoring needs C# 9 (C# 11 for interception): set <LangVersion>11</LangVersion> or later"))
        {
            LanguageVersion = LanguageVersion.CSharp8,
        }.RunAsync();

    [Fact]
    public Task The_build_property_alone_does_not_enable_interception_as_the_compiler_reads_the_feature_flag()
    {
        var test = new AnalyzerTest<InterceptionAnalyzer>(
            Source,
            Verify.Diagnostic(Descriptors.InterceptionDisabled).WithLocation(0).WithArguments(Descriptors.NamespaceMissingReason))
        {
            InterceptorsEnabled = false,
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", """
            is_global = true
            build_property.InterceptorsNamespaces = ModelMonitoring.Generated
            """));
        return test.RunAsync();
    }

    [Fact]
    public Task Enabled_interception_reports_nothing()
        => Verify.Analyzer<InterceptionAnalyzer>(Source.Replace("{|#0:Predict|}", "Predict", StringComparison.Ordinal));

    [Fact]
    public Task Partial_mode_methods_do_not_need_interception()
        => new AnalyzerTest<InterceptionAnalyzer>(
            """
            using ModelMonitoring;

            [MonitoredModel("pricing")]
            public sealed partial class PricingModel
            {
                [DriftTracked]
                public partial double Predict(double area);

                private double PredictCore(double area) => area * 2;
            }

            public sealed partial class PricingModel
            {
                public partial double Predict(double area) => PredictCore(area);
            }
            """)
        {
            InterceptorsEnabled = false,
        }.RunAsync();
}
