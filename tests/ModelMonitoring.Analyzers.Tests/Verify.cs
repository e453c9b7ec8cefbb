using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace ModelMonitoring.Analyzers.Tests;

/// <summary>Options that both analyzer and code fix tests share.</summary>
internal static class TestSetup
{
    public static void Configure(SolutionState state)
    {
        state.AdditionalReferences.AddRange(TestEnvironment.Framework);
        state.AdditionalReferences.Add(TestEnvironment.Attributes);
    }

    public static CSharpParseOptions Apply(CSharpParseOptions options, LanguageVersion languageVersion, bool interceptorsEnabled)
    {
        options = options.WithLanguageVersion(languageVersion);
        return interceptorsEnabled
            ? options.WithFeatures([new KeyValuePair<string, string>("InterceptorsNamespaces", "ModelMonitoring.Generated")])
            : options;
    }
}

/// <summary>An analyzer test against .NET 10 and the ModelMonitoring attributes, with interception enabled.</summary>
internal sealed class AnalyzerTest<TAnalyzer> : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public AnalyzerTest(string source, params DiagnosticResult[] expected)
    {
        ReferenceAssemblies = TestEnvironment.NoPackages;
        TestSetup.Configure(TestState);
        TestCode = source;
        ExpectedDiagnostics.AddRange(expected);

        // Test sources compile as libraries, where MMON010 applies to every public model: only its own tests enable it.
        if (!expected.Any(d => d.Id == DiagnosticIds.CalledFromOtherAssemblies))
        {
            DisabledDiagnostics.Add(DiagnosticIds.CalledFromOtherAssemblies);
        }
    }

    public LanguageVersion LanguageVersion { get; set; } = LanguageVersion.CSharp13;

    public bool InterceptorsEnabled { get; set; } = true;

    protected override ParseOptions CreateParseOptions()
        => TestSetup.Apply((CSharpParseOptions)base.CreateParseOptions(), LanguageVersion, InterceptorsEnabled);
}

/// <summary>A code fix test: the diagnostics before, and the exact text after the fix.</summary>
internal sealed class CodeFixTest<TAnalyzer, TCodeFix> : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public CodeFixTest(string source, string fixedSource, params DiagnosticResult[] expected)
    {
        ReferenceAssemblies = TestEnvironment.NoPackages;
        TestSetup.Configure(TestState);
        TestCode = source;
        FixedCode = fixedSource;
        ExpectedDiagnostics.AddRange(expected);
        if (!expected.Any(d => d.Id == DiagnosticIds.CalledFromOtherAssemblies))
        {
            DisabledDiagnostics.Add(DiagnosticIds.CalledFromOtherAssemblies);
        }
    }

    protected override ParseOptions CreateParseOptions()
        => TestSetup.Apply((CSharpParseOptions)base.CreateParseOptions(), LanguageVersion.CSharp13, interceptorsEnabled: true);
}

internal static class Verify
{
    /// <summary>An expected diagnostic; several descriptors share an id (MMON004, MMON005), so tests name the descriptor.</summary>
    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

    public static Task Analyzer<TAnalyzer>(string source, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
        => new AnalyzerTest<TAnalyzer>(source, expected).RunAsync();

    public static Task CodeFix<TAnalyzer, TCodeFix>(string source, string fixedSource, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TCodeFix : CodeFixProvider, new()
        => new CodeFixTest<TAnalyzer, TCodeFix>(source, fixedSource, expected).RunAsync();
}
