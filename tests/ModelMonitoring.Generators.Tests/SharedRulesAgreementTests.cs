extern alias analyzers;

using Microsoft.CodeAnalysis;
using ModelMonitoring.SourceModel;
using AnalyzerCapture = analyzers::ModelMonitoring.Analyzers.FeatureCapture;
using AnalyzerRules = analyzers::ModelMonitoring.SourceModel.FeatureRules;

namespace ModelMonitoring.Generators.Tests;

/// <summary>
/// The generator and the analyzer decide what is captured with one implementation (generators/Shared, linked into both
/// assemblies). This runs both, as compiled into each assembly, over every shape of the corpus and the snapshots, and
/// checks that they agree on every feature's name, kind and storage, and on every member skipped and why.
/// </summary>
public sealed class SharedRulesAgreementTests
{
    public static TheoryData<string> Sources => new(ShapeCorpus.All.Keys.Select(k => "corpus:" + k).Concat(ShapeSources.All.Keys.Select(k => "snapshot:" + k)));

    [Theory]
    [MemberData(nameof(Sources))]
    public void Generator_and_analyzer_capture_the_same_features_and_skip_the_same_members(string source)
    {
        string text = source.StartsWith("corpus:", StringComparison.Ordinal)
            ? ShapeCorpus.All[source["corpus:".Length..]].Source
            : ShapeSources.All[source["snapshot:".Length..]];
        Compilation compilation = GeneratorHarness.CreateCompilation(text, "Agreement" + Guid.NewGuid().ToString("N"));
        var methods = compilation.SyntaxTrees
            .SelectMany(tree => tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>()
                .Select(node => compilation.GetSemanticModel(tree).GetDeclaredSymbol(node)))
            .OfType<IMethodSymbol>()
            .Select(m => m.PartialDefinitionPart ?? m)
            .Where(Symbols.IsDriftTracked)
            .Distinct<IMethodSymbol>(SymbolEqualityComparer.Default)
            .ToList();
        Assert.NotEmpty(methods);

        foreach (var model in methods.GroupBy(m => m.ContainingType, SymbolEqualityComparer.Default))
        {
            // The generator: specs, grouped by model (which names predictions per method when their kinds differ).
            var tracked = model.Select(m => new Parser.TrackedMethod("model", ModelOf(), Parser.ParseMethod(m, FeatureRules.Capture(m), true)));
            var specs = Parser.GroupByModel(tracked).Single().Methods.ToDictionary(m => m.Key, StringComparer.Ordinal);

            // The analyzer: its own copy of the rules, through FeatureCapture.
            var plans = model.Select(AnalyzerCapture.Capture).ToList();
            AnalyzerRules.SplitPredictionNames(plans);
            foreach (var plan in plans)
            {
                MethodSpec spec = specs[Parser.MethodKey(plan.Method)];
                Assert.Equal(
                    plan.Inputs.Concat(plan.Predictions).Select(f => $"{f.Name} {(int)f.Kind} {(int)f.Storage} {f.IsPrediction}"),
                    spec.Features.Select(f => $"{f.Name} {(int)f.Kind} {(int)f.Storage} {f.IsPrediction}"));
                Assert.Equal(
                    plan.Skipped.Select(s => $"{s.Name} {(int)s.Reason}"),
                    spec.Skipped.Select(s => $"{s.Name} {(int)s.Reason}"));
            }
        }
    }

    private static ModelSpec ModelOf() => new(
        "model", null, null, null, null,
        new TypeSpec("global::M", "M", null, EquatableArray<ContainingTypeSpec>.Empty, EquatableArray<string>.Empty, EquatableArray<string>.Empty, false, false, 1),
        EquatableArray<MethodSpec>.Empty);
}
