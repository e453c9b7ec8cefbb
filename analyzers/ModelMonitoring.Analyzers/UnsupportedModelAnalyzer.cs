using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ModelMonitoring.SourceModel;

namespace ModelMonitoring.Analyzers;

/// <summary>
/// MMON009: <c>[DriftTracked]</c> methods for which the generator silently emits nothing or intercepts nothing, by the rules
/// the generator's parser uses (<see cref="ModelRules.GetBlocker"/>, shared source): a model type that generated code cannot
/// access (reported once, at the type); a non-partial instance method of a struct model; a private or protected method that
/// <c>[UnsafeAccessor]</c> cannot reach; a partial method in a type that is not partial; pointers; <c>[Obsolete(error: true)]</c>;
/// an explicit interface implementation. Methods of types without <c>[MonitoredModel]</c> are left to MMON002.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnsupportedModelAnalyzer : ModelMonitoringAnalyzer
{
    private const string UnsafeAccessorAttribute = "System.Runtime.CompilerServices.UnsafeAccessorAttribute";

    private static readonly SymbolDisplayFormat TypeFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters);

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.CannotBeMonitored);

    /// <inheritdoc />
    private protected override void OnCompilationStart(CompilationStartAnalysisContext start, KnownSymbols known)
    {
        var hasUnsafeAccessor = start.Compilation.GetTypeByMetadataName(UnsafeAccessorAttribute) is not null;
        start.RegisterSymbolAction(c => AnalyzeType(c, known), SymbolKind.NamedType);
        start.RegisterSymbolAction(c => AnalyzeMethod(c, known, hasUnsafeAccessor), SymbolKind.Method);
    }

    /// <summary>A model that generated code cannot access: once per type, at its identifier, naming its tracked methods.</summary>
    private static void AnalyzeType(SymbolAnalysisContext context, KnownSymbols known)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!known.HasAttribute(type, known.MonitoredModel))
        {
            return;
        }

        var inaccessible = ModelRules.InaccessibleContainers(type);
        if (inaccessible.Count == 0)
        {
            return;
        }

        var methods = type.GetMembers()
            .OfType<IMethodSymbol>()
            .Where(m => IsTrackedDefinition(m, known))
            .Select(m => m.Name)
            .Distinct(System.StringComparer.Ordinal)
            .ToList();
        if (methods.Count == 0 || type.Locations.FirstOrDefault(l => l.IsInSource) is not { } location)
        {
            return; // the generator starts from [DriftTracked] methods: a model without any has nothing to lose
        }

        var reason = string.Format(CultureInfo.InvariantCulture, Descriptors.InaccessibleModelReason, type.ToDisplayString(TypeFormat),
            inaccessible.Count == 1 && SymbolEqualityComparer.Default.Equals(inaccessible[0], type) ? "it" : Names(inaccessible));
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.CannotBeMonitored, location, string.Join("', '", methods), reason));
    }

    /// <summary>Every other reason, at the method's identifier.</summary>
    private static void AnalyzeMethod(SymbolAnalysisContext context, KnownSymbols known, bool hasUnsafeAccessor)
    {
        var method = (IMethodSymbol)context.Symbol;
        var type = method.ContainingType;
        if (!IsTrackedDefinition(method, known) || type is null || !known.HasAttribute(type, known.MonitoredModel))
        {
            return; // MMON002
        }

        var blocker = ModelRules.GetBlocker(method, hasUnsafeAccessor, out var typesToChange);
        var properties = ImmutableDictionary<string, string?>.Empty;
        string reason;
        switch (blocker)
        {
            case MonitoringBlocker.None:
            case MonitoringBlocker.InaccessibleModelType: // reported once, at the type
                return;
            case MonitoringBlocker.StructModelInstanceMethod:
                reason = Descriptors.StructModelReason;
                break;
            case MonitoringBlocker.InaccessibleSignatureType:
                reason = Descriptors.InaccessibleSignatureReason;
                break;
            case MonitoringBlocker.InaccessibleMethodWithoutUnsafeAccessor:
                reason = Descriptors.NoUnsafeAccessorReason;
                break;
            case MonitoringBlocker.InaccessibleMethodShape:
                reason = Descriptors.InaccessibleMethodShapeReason;
                break;
            case MonitoringBlocker.PointerSignature:
                reason = Descriptors.PointerReason;
                break;
            case MonitoringBlocker.ObsoleteError:
                reason = Descriptors.ObsoleteReason;
                break;
            case MonitoringBlocker.ContainingTypeNotPartial:
                var names = Names(typesToChange);
                reason = string.Format(CultureInfo.InvariantCulture, Descriptors.ContainersNotPartialReason, names + (typesToChange.Count == 1 ? " is" : " are"), typesToChange.Count == 1 ? "it" : "them");
                properties = properties.Add(Descriptors.FixProperty, Descriptors.MakeContainersPartialFix);
                break;
            default:
                reason = Descriptors.ExplicitImplementationReason;
                break;
        }

        if (method.Locations.FirstOrDefault(l => l.IsInSource) is { } location)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.CannotBeMonitored, location, properties, method.Name, reason));
        }
    }

    private static string Names(IReadOnlyList<INamedTypeSymbol> types)
        => string.Join(" and ", types.Select(t => "'" + t.ToDisplayString(TypeFormat) + "'"));

    /// <summary>An ordinary <c>[DriftTracked]</c> method; of a partial method, its definition part only (attributes are merged).</summary>
    private static bool IsTrackedDefinition(IMethodSymbol method, KnownSymbols known)
        => method.MethodKind is MethodKind.Ordinary or MethodKind.ExplicitInterfaceImplementation
            && method.PartialDefinitionPart is null
            && known.IsDriftTracked(method);
}
