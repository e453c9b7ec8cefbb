using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ModelMonitoring.Analyzers;

/// <summary>
/// MMON001: a public type without <c>[MonitoredModel]</c> that has a public method named like a prediction
/// (configurable with <c>model_monitoring.prediction_method_names</c>), or that calls ML.NET's prediction engine,
/// <c>ITransformer.Transform</c> or ONNX Runtime's <c>InferenceSession.Run</c>.
/// </summary>
/// <remarks>
/// The diagnostic is reported on the type's name; its additional locations are the methods the code fix marks
/// <c>[DriftTracked]</c>, and its <see cref="Descriptors.ModelNameProperty"/> property the suggested model name.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnmonitoredModelAnalyzer : ModelMonitoringAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.UnmonitoredModel);

    /// <inheritdoc />
    private protected override void OnCompilationStart(CompilationStartAnalysisContext start, KnownSymbols known)
    {
        var settings = new AnalyzerSettings(start.Options.AnalyzerConfigOptionsProvider);
        start.RegisterSymbolStartAction(symbolStart => OnTypeStart(symbolStart, known, settings), SymbolKind.NamedType);
    }

    private static void OnTypeStart(SymbolStartAnalysisContext context, KnownSymbols known, AnalyzerSettings settings)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!IsCandidate(type, known))
        {
            return;
        }

        var tree = type.Locations.FirstOrDefault(l => l.IsInSource)?.SourceTree;
        if (tree is null)
        {
            return;
        }

        var predictionNames = settings.PredictionMethodNames(tree);
        var predictionMethods = type.GetMembers()
            .OfType<IMethodSymbol>()
            .Where(m => m.MethodKind == MethodKind.Ordinary
                && m.DeclaredAccessibility == Accessibility.Public
                && predictionNames.Contains(m.Name))
            .ToImmutableArray();

        if (!predictionMethods.IsEmpty)
        {
            var names = string.Join(", ", predictionMethods.Select(m => m.Name).Distinct().OrderBy(n => n, System.StringComparer.Ordinal));
            context.RegisterSymbolEndAction(end => Report(end, type, "it has a public " + names + " method", predictionMethods));
            return;
        }

        if (!known.HasMachineLearningLibraries)
        {
            return;
        }

        // Methods of this type (not of nested types) that call into ML.NET or ONNX Runtime.
        var callers = new ConcurrentDictionary<IMethodSymbol, byte>(SymbolEqualityComparer.Default);
        var calledLibrary = new ConcurrentDictionary<string, byte>();
        context.RegisterOperationAction(
            operationContext =>
            {
                var invocation = (IInvocationOperation)operationContext.Operation;
                if (!known.IsMachineLearningCall(invocation.TargetMethod))
                {
                    return;
                }

                var member = operationContext.ContainingSymbol;
                while (member is IMethodSymbol { MethodKind: MethodKind.LocalFunction or MethodKind.AnonymousFunction })
                {
                    member = member.ContainingSymbol;
                }

                if (!SymbolEqualityComparer.Default.Equals(member.ContainingType, type))
                {
                    return;
                }

                calledLibrary.TryAdd(invocation.TargetMethod.ContainingType.Name + "." + invocation.TargetMethod.Name, 0);
                if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary } method)
                {
                    callers.TryAdd(method, 0);
                }
            },
            OperationKind.Invocation);

        context.RegisterSymbolEndAction(end =>
        {
            if (calledLibrary.IsEmpty)
            {
                return;
            }

            var calls = string.Join(", ", calledLibrary.Keys.OrderBy(k => k, System.StringComparer.Ordinal));
            Report(end, type, "it calls " + calls, callers.Keys.ToImmutableArray());
        });
    }

    private static bool IsCandidate(INamedTypeSymbol type, KnownSymbols known)
    {
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct)
            || type.IsAbstract
            || type.IsStatic
            || type.IsImplicitlyDeclared
            || known.HasAttribute(type, known.MonitoredModel))
        {
            return false;
        }

        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.DeclaredAccessibility != Accessibility.Public)
            {
                return false;
            }
        }

        // A type with [DriftTracked] methods is reported by MMON002 instead.
        return !type.GetMembers().OfType<IMethodSymbol>().Any(known.IsDriftTracked);
    }

    private static void Report(SymbolAnalysisContext context, INamedTypeSymbol type, string reason, ImmutableArray<IMethodSymbol> methods)
    {
        var location = type.Locations.FirstOrDefault(l => l.IsInSource);
        if (location is null)
        {
            return;
        }

        var additional = methods
            .Select(m => m.Locations.FirstOrDefault(l => l.IsInSource))
            .Where(l => l is not null)
            .Select(l => l!)
            .OrderBy(l => l.SourceTree!.FilePath, System.StringComparer.Ordinal)
            .ThenBy(l => l.SourceSpan.Start)
            .ToImmutableArray();
        var modelName = Naming.ToKebabCase(type.Name);
        var properties = ImmutableDictionary<string, string?>.Empty.Add(Descriptors.ModelNameProperty, modelName);
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.UnmonitoredModel,
            location,
            additional,
            properties,
            type.Name,
            reason,
            modelName));
    }
}
