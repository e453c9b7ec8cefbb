using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ModelMonitoring.SourceModel;

namespace ModelMonitoring.Analyzers;

/// <summary>
/// Checks that calls of <c>[DriftTracked]</c> methods can be intercepted:
/// MMON005 (a method group, delegate conversion or expression tree bypasses the interceptor), MMON008 (language version
/// below 11, or <c>ModelMonitoring.Generated</c> missing from <c>InterceptorsNamespaces</c>) and MMON010 (a library's
/// method that other assemblies call, where nothing intercepts it).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InterceptionAnalyzer : ModelMonitoringAnalyzer
{
    /// <summary>The namespace of the generated interceptors.</summary>
    public const string GeneratedNamespace = ModelRules.GeneratedNamespace;

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.MethodGroupBypassesInterception,
        Descriptors.ExpressionTreeBypassesInterception,
        Descriptors.InterceptionDisabled,
        Descriptors.CalledFromOtherAssemblies);

    /// <inheritdoc />
    private protected override void OnCompilationStart(CompilationStartAnalysisContext start, KnownSymbols known)
    {
        start.RegisterOperationAction(c => AnalyzeMethodReference(c, known), OperationKind.MethodReference);
        start.RegisterOperationAction(c => AnalyzeInvocation(c, known), OperationKind.Invocation);

        if (IsLibrary(start.Compilation))
        {
            start.RegisterSymbolAction(c => AnalyzeLibraryMethod(c, known), SymbolKind.Method);
        }

        var reason = GetDisabledReason(start.Compilation, start.Options, out var nothingGenerated);
        if (reason is not null)
        {
            var methods = new ConcurrentBag<Location>();
            start.RegisterSymbolAction(
                c =>
                {
                    var method = (IMethodSymbol)c.Symbol;
                    var concerned = nothingGenerated
                        ? method.MethodKind == MethodKind.Ordinary && method.PartialDefinitionPart is null && known.IsDriftTracked(method)
                        : known.IsInterceptedMethod(method);
                    if (concerned && method.Locations.FirstOrDefault(l => l.IsInSource) is { } location)
                    {
                        methods.Add(location);
                    }
                },
                SymbolKind.Method);
            start.RegisterCompilationEndAction(end =>
            {
                // Once per compilation, at the first [DriftTracked] method in file and position order.
                var first = methods
                    .OrderBy(l => l.SourceTree!.FilePath, StringComparer.Ordinal)
                    .ThenBy(l => l.SourceSpan.Start)
                    .FirstOrDefault();
                if (first is not null)
                {
                    end.ReportDiagnostic(Diagnostic.Create(Descriptors.InterceptionDisabled, first, reason));
                }
            });
        }
    }

    private static void AnalyzeMethodReference(OperationAnalysisContext context, KnownSymbols known)
    {
        var reference = (IMethodReferenceOperation)context.Operation;
        if (!known.IsInterceptedMethod(reference.Method))
        {
            return;
        }

        for (var parent = reference.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is INameOfOperation)
            {
                return;
            }
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.MethodGroupBypassesInterception, reference.Syntax.GetLocation(), reference.Method.Name));
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, KnownSymbols known)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if ((known.ExpressionOfT is null && known.LambdaExpression is null) || !known.IsInterceptedMethod(invocation.TargetMethod))
        {
            return;
        }

        var semanticModel = invocation.SemanticModel;
        if (semanticModel is null)
        {
            return;
        }

        for (var node = invocation.Syntax.Parent; node is not null; node = node.Parent)
        {
            if (node is MemberDeclarationSyntax)
            {
                return;
            }

            if (node is AnonymousFunctionExpressionSyntax lambda
                && IsExpressionTree(semanticModel.GetTypeInfo(lambda, context.CancellationToken).ConvertedType, known))
            {
                var location = invocation.Syntax is InvocationExpressionSyntax call ? call.Expression.GetLocation() : invocation.Syntax.GetLocation();
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.ExpressionTreeBypassesInterception, location, invocation.TargetMethod.Name));
                return;
            }
        }
    }

    private static bool IsExpressionTree(ITypeSymbol? type, KnownSymbols known)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, known.ExpressionOfT)
                || SymbolEqualityComparer.Default.Equals(current, known.LambdaExpression))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// MMON010: a non-partial <c>[DriftTracked]</c> method of a library that other assemblies can call (it is visible outside
    /// the assembly, or implements a visible interface): their calls are compiled elsewhere, where nothing intercepts them.
    /// </summary>
    private static void AnalyzeLibraryMethod(SymbolAnalysisContext context, KnownSymbols known)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (!known.IsInterceptedMethod(method)
            || !known.HasAttribute(method.ContainingType, known.MonitoredModel)
            || method.Locations.FirstOrDefault(l => l.IsInSource) is not { } location)
        {
            return;
        }

        var hasUnsafeAccessor = context.Compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.UnsafeAccessorAttribute") is not null;
        if (ModelRules.GetBlocker(method, hasUnsafeAccessor, out _) != MonitoringBlocker.None)
        {
            return; // MMON009 says why it is not monitored at all
        }

        if (IsVisibleOutside(method) || ImplementsVisibleInterface(method))
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.CalledFromOtherAssemblies, location, method.Name));
        }
    }

    /// <summary>A library that other assemblies reference: not an executable, and not a test project (which nothing references).</summary>
    private static bool IsLibrary(Compilation compilation)
        => compilation.Options.OutputKind is OutputKind.DynamicallyLinkedLibrary or OutputKind.NetModule or OutputKind.WindowsRuntimeMetadata
            && !compilation.ReferencedAssemblyNames.Any(a => TestFrameworks.Contains(a.Name));

    private static readonly ImmutableHashSet<string> TestFrameworks = ImmutableHashSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "xunit.core", "xunit.v3.core", "nunit.framework", "Microsoft.VisualStudio.TestPlatform.TestFramework", "MSTest.TestFramework", "TUnit.Core");

    private static bool IsVisibleOutside(ISymbol symbol)
    {
        for (var current = symbol; current is not null && current is not INamespaceSymbol; current = current.ContainingType)
        {
            if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ImplementsVisibleInterface(IMethodSymbol method)
    {
        foreach (var @interface in method.ContainingType.AllInterfaces)
        {
            if (!IsVisibleOutside(@interface))
            {
                continue;
            }

            foreach (var member in @interface.GetMembers(method.Name))
            {
                if (SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(member), method))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Why interception cannot work in this compilation, or null when it can.</summary>
    /// <param name="nothingGenerated">Below C# 9 the generator emits nothing at all, partial mode included.</param>
    private static string? GetDisabledReason(Compilation compilation, AnalyzerOptions options, out bool nothingGenerated)
    {
        nothingGenerated = false;
        var parseOptions = compilation.SyntaxTrees.FirstOrDefault()?.Options as CSharpParseOptions;
        if (parseOptions is null)
        {
            return null;
        }

        if (parseOptions.LanguageVersion < ModelRules.InterceptorsLanguageVersion)
        {
            nothingGenerated = parseOptions.LanguageVersion < ModelRules.GeneratedCodeLanguageVersion;
            return string.Format(
                System.Globalization.CultureInfo.InvariantCulture,
                nothingGenerated ? Descriptors.LangVersionFarTooLowReason : Descriptors.LangVersionTooLowReason,
                parseOptions.LanguageVersion.ToDisplayString());
        }

        // The compiler receives InterceptorsNamespaces as a feature flag (/features:InterceptorsNamespaces=A;B), which is what
        // decides, and what the generator reads to decide whether to emit interceptors: the same rule, shared.
        var enabled = ModelRules.InterceptorsEnabled(parseOptions);
        return enabled ? null : Descriptors.NamespaceMissingReason;
    }
}
