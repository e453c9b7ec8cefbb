using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ModelMonitoring.SourceModel;

namespace ModelMonitoring.Analyzers;

/// <summary>
/// MMON001: a public type without <c>[MonitoredModel]</c> that is a model by more than its method names:
/// <list type="bullet">
/// <item>it calls ML.NET's prediction engine, <c>ITransformer.Transform</c> or ONNX Runtime's <c>InferenceSession.Run</c>; or</item>
/// <item>it has a public method named like a prediction (<c>model_monitoring.prediction_method_names</c>) that returns a number,
/// a date or duration, a bool, an enum, a string, an array, list or tuple of those, or a type with a probability-like property (<c>Score</c>,
/// <c>Probability</c>, <c>Confidence</c>...), and its own name ends like a model's (<c>...Model</c>, <c>...Classifier</c>,
/// <c>...Detector</c>...); or</item>
/// <item>it has a public method of a name the user listed in <c>model_monitoring.prediction_method_names</c> (the list is the evidence).</item>
/// </list>
/// Subclasses of a monitored model are covered by their base. MMON012: a public prediction-like method of a monitored model
/// that is not <c>[DriftTracked]</c> and does not call a tracked method of its model.
/// </summary>
/// <remarks>
/// MMON001 is reported on the type's name; its additional locations are the methods the code fix marks
/// <c>[DriftTracked]</c>, and its <see cref="Descriptors.ModelNameProperty"/> property the suggested model name.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnmonitoredModelAnalyzer : ModelMonitoringAnalyzer
{
    /// <summary>The last word of a model's type name (<c>PricingModel</c>, <c>FraudDetector</c>, <c>ChurnClassifier</c>).</summary>
    public static readonly ImmutableHashSet<string> ModelTypeWords = ImmutableHashSet.Create(
        System.StringComparer.Ordinal,
        "model", "predictor", "classifier", "regressor", "recommender", "forecaster", "scorer", "ranker", "estimator", "detector", "learner");

    /// <summary>The last word of a property that makes a returned type look like a prediction.</summary>
    public static readonly ImmutableHashSet<string> PredictionPropertyWords = ImmutableHashSet.Create(
        System.StringComparer.Ordinal,
        "score", "scores", "probability", "probabilities", "confidence", "prediction", "predictions", "label", "likelihood", "estimate");

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.UnmonitoredModel, Descriptors.PredictionMethodNotTracked);

    /// <inheritdoc />
    private protected override void OnCompilationStart(CompilationStartAnalysisContext start, KnownSymbols known)
    {
        var settings = new AnalyzerSettings(start.Options.AnalyzerConfigOptionsProvider);
        start.RegisterSymbolStartAction(symbolStart => OnTypeStart(symbolStart, known, settings), SymbolKind.NamedType);
    }

    private static void OnTypeStart(SymbolStartAnalysisContext context, KnownSymbols known, AnalyzerSettings settings)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var tree = type.Locations.FirstOrDefault(l => l.IsInSource)?.SourceTree;
        if (tree is null || type.IsImplicitlyDeclared)
        {
            return;
        }

        var names = settings.PredictionMethodNames(tree);
        if (known.HasAttribute(type, known.MonitoredModel))
        {
            OnMonitoredModelStart(context, known, type, names);
            return;
        }

        if (!IsCandidate(type, known))
        {
            return;
        }

        var predictionMethods = type.GetMembers()
            .OfType<IMethodSymbol>()
            .Where(m => m.MethodKind == MethodKind.Ordinary
                && m.DeclaredAccessibility == Accessibility.Public
                && names.Contains(m.Name)
                && (names.IsConfigured || (ReturnsPrediction(m.ReturnType) && HasModelName(type))))
            .ToImmutableArray();

        if (!predictionMethods.IsEmpty)
        {
            var methodNames = string.Join(", ", predictionMethods.Select(m => m.Name).Distinct().OrderBy(n => n, System.StringComparer.Ordinal));
            var reason = names.IsConfigured
                ? "it has a public " + methodNames + " method"
                : "it has a public " + methodNames + " method that returns a prediction";
            context.RegisterSymbolEndAction(end => Report(end, type, reason, predictionMethods));
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
                if (!known.IsMachineLearningCall(invocation.TargetMethod) || OwningMethod(operationContext.ContainingSymbol, type) is not { } member)
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

    /// <summary>MMON012: public prediction-like methods of a monitored model that are not tracked and call no tracked method.</summary>
    private static void OnMonitoredModelStart(SymbolStartAnalysisContext context, KnownSymbols known, INamedTypeSymbol type, PredictionNames names)
    {
        var candidates = type.GetMembers()
            .OfType<IMethodSymbol>()
            .Where(m => m.MethodKind == MethodKind.Ordinary
                && m.DeclaredAccessibility == Accessibility.Public
                && names.Contains(m.Name)
                && !known.IsDriftTracked(m)
                && !(m.PartialImplementationPart is null && m.PartialDefinitionPart is { } definition && known.IsDriftTracked(definition)))
            .ToImmutableArray();
        if (candidates.IsEmpty)
        {
            return;
        }

        // A method that calls a tracked method (PredictBatch looping over Predict) is monitored through it.
        var delegating = new ConcurrentDictionary<IMethodSymbol, byte>(SymbolEqualityComparer.Default);
        context.RegisterOperationAction(
            operationContext =>
            {
                var target = ((IInvocationOperation)operationContext.Operation).TargetMethod;
                target = (target.ReducedFrom ?? target).OriginalDefinition;
                if ((known.IsDriftTracked(target) || (target.PartialDefinitionPart is { } definition && known.IsDriftTracked(definition)))
                    && OwningMethod(operationContext.ContainingSymbol, type) is IMethodSymbol caller)
                {
                    delegating.TryAdd(caller, 0);
                }
            },
            OperationKind.Invocation);
        context.RegisterSymbolEndAction(end =>
        {
            foreach (var method in candidates)
            {
                if (!delegating.ContainsKey(method) && method.Locations.FirstOrDefault(l => l.IsInSource) is { } location)
                {
                    end.ReportDiagnostic(Diagnostic.Create(Descriptors.PredictionMethodNotTracked, location, method.Name, type.Name));
                }
            }
        });
    }

    /// <summary>The member of <paramref name="type"/> (not of a nested type) that contains an operation, through lambdas and local functions.</summary>
    private static ISymbol? OwningMethod(ISymbol member, INamedTypeSymbol type)
    {
        while (member is IMethodSymbol { MethodKind: MethodKind.LocalFunction or MethodKind.AnonymousFunction })
        {
            member = member.ContainingSymbol;
        }

        return SymbolEqualityComparer.Default.Equals(member.ContainingType, type) ? member : null;
    }

    private static bool IsCandidate(INamedTypeSymbol type, KnownSymbols known)
    {
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct)
            || type.IsAbstract
            || type.IsStatic
            || type.IsImplicitlyDeclared)
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

        // A subclass of a monitored model is covered by its base; a type with [DriftTracked] methods is reported by MMON002.
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (known.HasAttribute(current, known.MonitoredModel) || current.GetMembers().OfType<IMethodSymbol>().Any(known.IsDriftTracked))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The first word of a test double's type name: <c>FakePricingModel</c> stands in for a model, it is not one.</summary>
    public static readonly ImmutableHashSet<string> TestDoubleWords = ImmutableHashSet.Create(
        System.StringComparer.Ordinal, "fake", "stub", "mock", "dummy", "null", "noop", "test");

    /// <summary>Whether the type's name ends like a model's (<see cref="ModelTypeWords"/>) and is not a test double's.</summary>
    public static bool HasModelName(INamedTypeSymbol type)
    {
        var words = Naming.SplitWords(type.Name);
        return words.Count > 0 && ModelTypeWords.Contains(words[words.Count - 1]) && !TestDoubleWords.Contains(words[0]);
    }

    /// <summary>
    /// Whether a return type looks like a prediction: a number, date, duration, bool, enum or string; an array, list or tuple of such; a type
    /// with a probability-like property (<see cref="PredictionPropertyWords"/>); any of these in a <c>Task</c>.
    /// </summary>
    public static bool ReturnsPrediction(ITypeSymbol type) => ReturnsPrediction(type, depth: 0);

    private static bool ReturnsPrediction(ITypeSymbol type, int depth)
    {
        if (depth > 3)
        {
            return false;
        }

        type = Symbols.UnwrapNullable(type);
        var (kind, result) = FeatureRules.GetReturnKind(type);
        if (kind is ReturnKind.TaskOfResult or ReturnKind.ValueTaskOfResult && result is not null)
        {
            return ReturnsPrediction(result, depth + 1);
        }

        if (kind is not ReturnKind.Value)
        {
            return false;
        }

        if (FeatureRules.GetConversion(type) is { } conversion)
        {
            return conversion is not ValueConversion.Char; // numbers, dates and durations, bools, enums, strings
        }

        if (FeatureRules.GetBatchItemType(type) is { } item)
        {
            return ReturnsPrediction(item, depth + 1);
        }

        if (type is INamedTypeSymbol { IsTupleType: true } tuple)
        {
            return tuple.TupleElements.Any(e => ReturnsPrediction(e.Type, depth + 1));
        }

        if (type is INamedTypeSymbol { OriginalDefinition.Name: "IEnumerable" or "ICollection" or "IReadOnlyCollection" } enumerable
            && enumerable.TypeArguments.Length == 1)
        {
            return ReturnsPrediction(enumerable.TypeArguments[0], depth + 1);
        }

        return type.TypeKind is TypeKind.Class or TypeKind.Struct
            && FeatureRules.ReadableProperties(type).Any(p =>
            {
                var words = Naming.SplitWords(p.Name);
                return words.Count > 0 && PredictionPropertyWords.Contains(words[words.Count - 1]);
            });
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
