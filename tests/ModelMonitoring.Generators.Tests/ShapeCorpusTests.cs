extern alias analyzers;

using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ModelMonitoring.Runtime;
using Analyzers = analyzers::ModelMonitoring.Analyzers;

namespace ModelMonitoring.Generators.Tests;

/// <summary>
/// Every shape of the corpus, compiled with the real generator and the real analyzers: no error and no warning comes from
/// generated code, and the shape is either monitored (run, and counted exactly) or reported by the diagnostic that says why.
/// </summary>
public sealed class ShapeCorpusTests
{
    internal static readonly ImmutableArray<DiagnosticAnalyzer> AllAnalyzers =
    [
        new Analyzers.UnmonitoredModelAnalyzer(),
        new Analyzers.ModelDeclarationAnalyzer(),
        new Analyzers.InterceptionAnalyzer(),
        new Analyzers.UnsupportedModelAnalyzer(),
    ];

    public static TheoryData<string> Shapes => new(ShapeCorpus.All.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Every_shape_compiles_cleanly_and_is_monitored_exactly_or_reported(string name)
    {
        Shape shape = ShapeCorpus.All[name];
        CompiledShape compiled = await CompileAsync(shape);

        // Nothing that the generator emits fails or warns, whatever the user wrote.
        Assert.Empty(compiled.GeneratorDiagnostics);
        Assert.True(compiled.FromGeneratedCode.Count == 0, "Generated code has diagnostics:\n" + string.Join("\n", compiled.FromGeneratedCode));
        Assert.Equal(shape.UserErrors.Order(StringComparer.Ordinal), compiled.FromUserCode.Select(d => d.Id).Distinct().Order(StringComparer.Ordinal));

        // The shape is reported when, and only when, something about it is not monitored.
        var warnings = compiled.AnalyzerDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.Id).Distinct().ToList();
        Assert.True(warnings.All(shape.Diagnostics.Contains), $"Unexpected analyzer warnings: {string.Join(", ", compiled.AnalyzerDiagnostics)}");
        foreach (string id in shape.Diagnostics)
        {
            Assert.True(compiled.AnalyzerDiagnostics.Any(d => d.Id == id), $"{id} was not reported. Reported: {string.Join(", ", compiled.AnalyzerDiagnostics)}");
        }

        if (shape.Runs)
        {
            Assembly assembly = GeneratorHarness.Load(GeneratorHarness.Emit(compiled.Output));
            IReadOnlyDictionary<string, long> counts = await RunAsync(assembly, shape.Counts.Select(c => c.Split('/')[0]).Distinct());
            Assert.Equal(
                shape.Counts.Order(StringComparer.Ordinal),
                counts.Select(kv => kv.Key + "=" + kv.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task Generated_lines_stay_within_150_characters_over_the_whole_corpus()
    {
        var tooLong = new List<string>();
        foreach (Shape shape in ShapeCorpus.All.Values)
        {
            CompiledShape compiled = await CompileAsync(shape);
            foreach ((string file, string text) in compiled.Files)
            {
                tooLong.AddRange(text.Split('\n')
                    .Select((line, index) => (line, index))
                    .Where(l => l.line.Length > SourceWriter.MaxLineLength && !l.line.TrimStart().StartsWith("signature: ", StringComparison.Ordinal))
                    .Select(l => $"{shape.Name} {file}:{l.index + 1} ({l.line.Length}): {l.line.Trim()}"));
            }
        }

        Assert.True(tooLong.Count == 0, string.Join("\n", tooLong));
    }

    internal sealed record CompiledShape(
        Compilation Output,
        IReadOnlyDictionary<string, string> Files,
        ImmutableArray<Diagnostic> GeneratorDiagnostics,
        IReadOnlyList<Diagnostic> FromGeneratedCode,
        IReadOnlyList<Diagnostic> FromUserCode,
        ImmutableArray<Diagnostic> AnalyzerDiagnostics);

    internal static async Task<CompiledShape> CompileAsync(Shape shape)
    {
        var compilation = GeneratorHarness.CreateCompilation(
            shape.Source,
            "Corpus" + shape.Name + "_" + Guid.NewGuid().ToString("N"),
            parseOptions: GeneratorHarness.Options(shape.Language, shape.Interceptors),
            outputKind: shape.OutputKind);
        var (output, generatorDiagnostics, files) = GeneratorHarness.Run(compilation);
        if (Environment.GetEnvironmentVariable("MODELMONITORING_DUMP_SHAPES") is { Length: > 0 } dump)
        {
            // For a reviewer: the generated files of every shape, to read as code.
            string directory = Directory.CreateDirectory(Path.Combine(dump, shape.Name)).FullName;
            foreach ((string file, string text) in files)
            {
                File.WriteAllText(Path.Combine(directory, file), text);
            }
        }

        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS1591").ToList();
        var generatedTrees = output.SyntaxTrees.Except(compilation.SyntaxTrees).ToHashSet();
        var fromGenerated = problems.Where(d => d.Location.SourceTree is { } tree && generatedTrees.Contains(tree)).ToList();
        var fromUser = problems.Except(fromGenerated).ToList();
        ImmutableArray<Diagnostic> analyzerDiagnostics = await output.WithAnalyzers(AllAnalyzers).GetAnalyzerDiagnosticsAsync();
        return new CompiledShape(output, files, generatorDiagnostics, fromGenerated, fromUser, analyzerDiagnostics);
    }

    /// <summary>Runs <c>App.Caller.Run</c> in a runtime of its own, and returns every non-zero count of the named models.</summary>
    private static async Task<IReadOnlyDictionary<string, long>> RunAsync(Assembly assembly, IEnumerable<string> models)
    {
        using var runtime = new ModelMonitoringRuntime();
        using (runtime.BeginScope())
        {
            object? result = GeneratorHarness.Invoke(assembly, "App.Caller", "Run");
            if (result is Task task)
            {
                await task;
            }
        }

        return ReadCounts(runtime, models);
    }

    /// <summary>Calls per <c>model/method/outcome</c>, read from the runtime's recorders after every row is folded.</summary>
    internal static IReadOnlyDictionary<string, long> ReadCounts(ModelMonitoringRuntime runtime, IEnumerable<string> models)
    {
        runtime.Flush();
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (string model in models)
        {
            Assert.True(runtime.TryGet(model, out ModelMonitor? monitor), $"Model {model} is not registered.");
            _ = monitor!.GetPredictionCounts();
            foreach (MethodRecorder recorder in monitor.Recorders)
            {
                Add(counts, model + "/" + recorder.Method.Descriptor.Name + "/success", recorder.Successes);
                Add(counts, model + "/" + recorder.Method.Descriptor.Name + "/error", recorder.Errors);
                Add(counts, model + "/" + recorder.Method.Descriptor.Name + "/canceled", recorder.Canceled);
            }
        }

        return counts;
    }

    private static void Add(SortedDictionary<string, long> counts, string key, long value)
    {
        if (value != 0)
        {
            counts[key] = counts.TryGetValue(key, out long existing) ? existing + value : value;
        }
    }
}
