using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ModelMonitoring.Generators.Tests;

/// <summary>The pipeline caches: an unrelated edit reuses every step, and no step holds compiler objects.</summary>
public sealed class IncrementalityTests
{
    private static readonly string[] TrackedSteps =
    [
        ModelMonitoringGenerator.TrackingNames.TrackedMethods,
        ModelMonitoringGenerator.TrackingNames.Models,
        ModelMonitoringGenerator.TrackingNames.CallSites,
        ModelMonitoringGenerator.TrackingNames.AllCallSites,
    ];

    [Fact]
    public void An_unrelated_edit_leaves_every_tracked_step_cached_or_unchanged()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(ShapeSources.All["InstanceRecordInput"], "Incremental");
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        CSharpCompilation edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "namespace Shop; public static class Unrelated { public static int Answer() => 42; }",
            (CSharpParseOptions)compilation.SyntaxTrees.First().Options,
            "Unrelated.cs"));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (string step in TrackedSteps)
        {
            Assert.True(result.TrackedSteps.ContainsKey(step), $"Step {step} was not tracked.");
            foreach (IncrementalGeneratorRunStep run in result.TrackedSteps[step])
            {
                foreach ((object _, IncrementalStepRunReason reason) in run.Outputs)
                {
                    Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"Step {step} output was {reason} after an unrelated edit.");
                }
            }
        }
    }

    [Fact]
    public void An_edit_to_the_model_regenerates()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(ShapeSources.All["InstanceRecordInput"], "Incremental2");
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        SyntaxTree changed = tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(tree.ToString().Replace("\"1.3.0\"", "\"1.4.0\"")));

        GeneratorRunResult result = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, changed)).GetRunResult().Results.Single();

        Assert.Contains(result.TrackedSteps[ModelMonitoringGenerator.TrackingNames.Models].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("version: \"1.4.0\"", result.GeneratedSources.Single(s => s.HintName.Contains("Monitoring", StringComparison.Ordinal)).SourceText.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SnapshotTests.Shapes), MemberType = typeof(SnapshotTests))]
    public void No_step_output_holds_a_symbol_syntax_node_or_compilation(string shape)
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(ShapeSources.All[shape], "Leak" + shape);
        GeneratorRunResult result = GeneratorHarness.CreateDriver().RunGenerators(compilation).GetRunResult().Results.Single();

        foreach (string step in TrackedSteps)
        {
            foreach (IncrementalGeneratorRunStep run in result.TrackedSteps.TryGetValue(step, out var runs) ? runs : [])
            {
                foreach ((object output, _) in run.Outputs)
                {
                    AssertNoCompilerObjects(output, step, new HashSet<object>(ReferenceEqualityComparer.Instance));
                }
            }
        }
    }

    private static void AssertNoCompilerObjects(object? value, string step, HashSet<object> visited)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !visited.Add(value))
        {
            return;
        }

        Assert.False(value is ISymbol or SyntaxNode or Compilation or SemanticModel, $"Step {step} holds a {value.GetType().Name}.");
        if (value is IEnumerable items)
        {
            foreach (object? item in items)
            {
                AssertNoCompilerObjects(item, step, visited);
            }
        }

        foreach (FieldInfo field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertNoCompilerObjects(field.GetValue(value), step, visited);
        }
    }
}
