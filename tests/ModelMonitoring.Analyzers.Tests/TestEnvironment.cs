using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;

namespace ModelMonitoring.Analyzers.Tests;

/// <summary>
/// What every analyzer test compiles against, resolved once: the .NET reference assemblies of the installed SDK
/// (no NuGet download) and the real ModelMonitoring attributes, compiled from src/ModelMonitoring/Attributes.
/// </summary>
internal static class TestEnvironment
{
    private static readonly Lazy<string> LazyRepositoryRoot = new(FindRepositoryRoot);
    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyFramework = new(LoadFramework);
    private static readonly Lazy<MetadataReference> LazyAttributes = new(CompileAttributes);

    /// <summary>No reference package: the framework comes from <see cref="Framework"/> instead.</summary>
    public static ReferenceAssemblies NoPackages { get; } = new("net10.0");

    public static string RepositoryRoot => LazyRepositoryRoot.Value;

    public static ImmutableArray<MetadataReference> Framework => LazyFramework.Value;

    public static MetadataReference Attributes => LazyAttributes.Value;

    /// <summary>The ModelMonitoring attribute sources, as users compile against them.</summary>
    public static IEnumerable<string> AttributeSourceFiles
        => Directory.GetFiles(Path.Combine(RepositoryRoot, "src", "ModelMonitoring", "Attributes"), "*.cs").Order(StringComparer.Ordinal);

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Instrumentation.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Instrumentation.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The reference pack of the running runtime's SDK (packs/Microsoft.NETCore.App.Ref), else the runtime itself.</summary>
    private static ImmutableArray<MetadataReference> LoadFramework()
    {
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        var packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        var referenceDirectory = Directory.Exists(packs)
            ? Directory.GetDirectories(packs)
                .Select(d => Path.Combine(d, "ref", "net10.0"))
                .Where(Directory.Exists)
                .OrderByDescending(d => d, StringComparer.Ordinal)
                .FirstOrDefault()
            : null;
        var files = referenceDirectory is not null
            ? Directory.GetFiles(referenceDirectory, "*.dll")
            : Directory.GetFiles(runtimeDirectory, "*.dll").Where(f => Path.GetFileName(f).StartsWith("System", StringComparison.Ordinal)
                || Path.GetFileName(f) is "mscorlib.dll" or "netstandard.dll").ToArray();
        return files.Order(StringComparer.Ordinal).Select(f => (MetadataReference)MetadataReference.CreateFromFile(f)).ToImmutableArray();
    }

    private static MetadataReference CompileAttributes()
    {
        var trees = AttributeSourceFiles
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), path: f))
            .Append(CSharpSyntaxTree.ParseText("global using System;"))
            .ToArray();
        var compilation = CSharpCompilation.Create(
            "ModelMonitoring",
            trees,
            Framework,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
        {
            throw new InvalidOperationException(
                "The ModelMonitoring attributes do not compile on their own:" + Environment.NewLine
                + string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        return MetadataReference.CreateFromImage(image.ToArray());
    }
}

/// <summary>Compiles library source (stand-ins for ML.NET, ONNX Runtime...) into a metadata reference.</summary>
internal static class TestLibrary
{
    public static MetadataReference Compile(string assemblyName, string source)
    {
        var compilation = CSharpCompilation.Create(
            assemblyName,
            [CSharpSyntaxTree.ParseText(source)],
            TestEnvironment.Framework,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, result.Diagnostics));
        }

        return MetadataReference.CreateFromImage(image.ToArray());
    }
}
