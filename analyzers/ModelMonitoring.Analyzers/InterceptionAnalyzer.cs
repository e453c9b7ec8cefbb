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

namespace ModelMonitoring.Analyzers;

/// <summary>
/// Checks that calls of <c>[DriftTracked]</c> methods can be intercepted:
/// MMON005 (a method group, delegate conversion or expression tree bypasses the interceptor) and MMON008
/// (language version below 12, or <c>ModelMonitoring.Generated</c> missing from <c>InterceptorsNamespaces</c>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InterceptionAnalyzer : ModelMonitoringAnalyzer
{
    /// <summary>The namespace of the generated interceptors.</summary>
    public const string GeneratedNamespace = "ModelMonitoring.Generated";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.MethodGroupBypassesInterception,
        Descriptors.ExpressionTreeBypassesInterception,
        Descriptors.InterceptionDisabled);

    /// <inheritdoc />
    private protected override void OnCompilationStart(CompilationStartAnalysisContext start, KnownSymbols known)
    {
        start.RegisterOperationAction(c => AnalyzeMethodReference(c, known), OperationKind.MethodReference);
        start.RegisterOperationAction(c => AnalyzeInvocation(c, known), OperationKind.Invocation);

        var reason = GetDisabledReason(start.Compilation, start.Options);
        if (reason is not null)
        {
            var methods = new ConcurrentBag<Location>();
            start.RegisterSymbolAction(
                c =>
                {
                    var method = (IMethodSymbol)c.Symbol;
                    if (known.IsInterceptedMethod(method) && method.Locations.FirstOrDefault(l => l.IsInSource) is { } location)
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

    /// <summary>Why interception cannot work in this compilation, or null when it can.</summary>
    private static string? GetDisabledReason(Compilation compilation, AnalyzerOptions options)
    {
        var parseOptions = compilation.SyntaxTrees.FirstOrDefault()?.Options as CSharpParseOptions;
        if (parseOptions is null)
        {
            return null;
        }

        if (parseOptions.LanguageVersion < LanguageVersion.CSharp12)
        {
            return string.Format(
                System.Globalization.CultureInfo.InvariantCulture,
                Descriptors.LangVersionTooLowReason,
                parseOptions.LanguageVersion.ToDisplayString());
        }

        // The compiler receives InterceptorsNamespaces as a feature flag (/features:InterceptorsNamespaces=A;B), which
        // is what decides. The MSBuild property made visible by the package's props is a fallback only: the
        // generated .editorconfig cuts a value at its first ';' (an inline comment there), so it is complete only
        // when the list has one namespace.
        var lists = new List<string?>();
        foreach (var key in new[] { "InterceptorsNamespaces", "InterceptorsPreviewNamespaces" })
        {
            parseOptions.Features.TryGetValue(key, out var fromFeatures);
            options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue("build_property." + key, out var fromProperty);
            lists.Add(fromFeatures);
            lists.Add(fromProperty);
        }

        var enabled = lists
            .Where(l => l is not null)
            .SelectMany(l => l!.Split(';', ','))
            .Any(n => string.Equals(n.Trim(), GeneratedNamespace, StringComparison.Ordinal));
        return enabled ? null : Descriptors.NamespaceMissingReason;
    }
}
