using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelMonitoring.Generators;

namespace ModelMonitoring.Generators.Tests;

/// <summary>Compiles user code with the generator in memory, the way the build does, and loads the result.</summary>
internal static class GeneratorHarness
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Assembly> Loaded = new(StringComparer.Ordinal);

    static GeneratorHarness() =>
        AppDomain.CurrentDomain.AssemblyResolve += (_, args) => Loaded.TryGetValue(new AssemblyName(args.Name).Name ?? string.Empty, out Assembly? found) ? found : null;

    /// <summary>Loads an in-memory assembly so that other in-memory assemblies can reference it by name.</summary>
    public static Assembly Load(byte[] image)
    {
        Assembly assembly = Assembly.Load(image);
        Loaded[assembly.GetName().Name!] = assembly;
        return assembly;
    }

    /// <summary>C# latest, with ModelMonitoring.Generated in InterceptorsNamespaces, as the package's build props set it.</summary>
    public static readonly CSharpParseOptions ParseOptions = Options(LanguageVersion.Latest, interceptors: true);

    public static CSharpParseOptions Options(LanguageVersion version, bool interceptors)
    {
        var options = new CSharpParseOptions(version);
        return interceptors ? options.WithFeatures([new KeyValuePair<string, string>("InterceptorsNamespaces", "ModelMonitoring.Generated")]) : options;
    }

    /// <summary>The framework, ModelMonitoring and the other assemblies of the test host, without the test frameworks.</summary>
    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => !string.IsNullOrEmpty(path))
            .Where(path => !Path.GetFileName(path).StartsWith("xunit", StringComparison.OrdinalIgnoreCase)
                && !Path.GetFileName(path).StartsWith("Microsoft.TestPlatform", StringComparison.OrdinalIgnoreCase)
                && !Path.GetFileName(path).StartsWith("Microsoft.VisualStudio.TestPlatform", StringComparison.OrdinalIgnoreCase)
                && !Path.GetFileName(path).StartsWith("testhost", StringComparison.OrdinalIgnoreCase))
            .Select(path => MetadataReference.CreateFromFile(path)),
    ];

    public static CSharpCompilation CreateCompilation(
        string source,
        string assemblyName,
        string path = "Program.cs",
        IEnumerable<MetadataReference>? extraReferences = null,
        CSharpParseOptions? parseOptions = null,
        OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary)
    {
        parseOptions ??= ParseOptions;
        var trees = new List<SyntaxTree> { CSharpSyntaxTree.ParseText(source, parseOptions, path) };
        if (outputKind == OutputKind.ConsoleApplication)
        {
            trees.Add(CSharpSyntaxTree.ParseText("internal static class EntryPoint { private static void Main() { } }", parseOptions, "EntryPoint.cs"));
        }

        return CSharpCompilation.Create(
            assemblyName,
            trees,
            extraReferences is null ? References : References.AddRange(extraReferences),
            new CSharpCompilationOptions(outputKind, nullableContextOptions: NullableContextOptions.Enable));
    }

    public static GeneratorDriver CreateDriver(CSharpParseOptions? parseOptions = null) =>
        CSharpGeneratorDriver.Create(
            [new ModelMonitoringGenerator().AsSourceGenerator()],
            parseOptions: parseOptions ?? ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator and returns the generated files by hint name.</summary>
    public static (Compilation Output, ImmutableArray<Diagnostic> Diagnostics, IReadOnlyDictionary<string, string> Files) Run(CSharpCompilation compilation)
    {
        var parseOptions = (CSharpParseOptions)compilation.SyntaxTrees.First().Options;
        GeneratorDriver driver = CreateDriver(parseOptions).RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        var files = driver.GetRunResult().Results.Single().GeneratedSources
            .ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);
        return (output, diagnostics, files);
    }

    /// <summary>Compiles source with the generator, fails on any error or warning, and loads the assembly.</summary>
    public static Assembly CompileAndLoad(string source, [CallerMemberName] string assemblyName = "", IEnumerable<MetadataReference>? extraReferences = null)
    {
        byte[] image = CompileToImage(CreateCompilation(source, assemblyName + "_" + Guid.NewGuid().ToString("N"), extraReferences: extraReferences), runGenerator: true);
        return Load(image);
    }

    public static byte[] CompileToImage(CSharpCompilation compilation, bool runGenerator)
    {
        Compilation output = compilation;
        if (runGenerator)
        {
            (output, ImmutableArray<Diagnostic> generatorDiagnostics, _) = Run(compilation);
            Assert.Empty(generatorDiagnostics);
        }

        return Emit(output);
    }

    public static byte[] Emit(Compilation output)
    {
        using var stream = new MemoryStream();
        var result = output.Emit(stream);
        Diagnostic[] problems = result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS1591").ToArray();
        Assert.True(result.Success && problems.Length == 0, "Compilation failed:\n" + string.Join("\n", problems.Select(d => d.ToString())));
        return stream.ToArray();
    }

    /// <summary>Invokes a public static method of a type in the loaded assembly.</summary>
    public static object? Invoke(Assembly assembly, string typeName, string method, params object?[] arguments)
    {
        Type type = assembly.GetType(typeName, throwOnError: true)!;
        MethodInfo info = type.GetMethod(method, BindingFlags.Public | BindingFlags.Static)
            ?? throw new MissingMethodException(typeName, method);
        try
        {
            return info.Invoke(null, arguments);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(exception.InnerException).Throw();
            throw;
        }
    }
}
