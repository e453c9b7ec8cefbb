using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ModelMonitoring.Analyzers;

/// <summary>
/// MMON009: <c>[DriftTracked]</c> methods for which the generator silently emits nothing or intercepts nothing,
/// by the same rules as the generator's parser (<c>ParseTrackedMethod</c>, <c>ParseCallSite</c>):
/// a generic method; a method of a struct model that is not partial (calls of struct models are never intercepted);
/// a model type, or a type containing it, that generated code cannot access. Methods of types without
/// <c>[MonitoredModel]</c> are left to MMON002.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnsupportedModelAnalyzer : ModelMonitoringAnalyzer
{
    private static readonly SymbolDisplayFormat TypeFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters);

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.CannotBeMonitored);

    /// <inheritdoc />
    private protected override void OnCompilationStart(CompilationStartAnalysisContext start, KnownSymbols known)
    {
        start.RegisterSymbolAction(c => AnalyzeType(c, known), SymbolKind.NamedType);
        start.RegisterSymbolAction(c => AnalyzeMethod(c, known), SymbolKind.Method);
    }

    /// <summary>A model that generated code cannot access: once per type, at its identifier, naming its tracked methods.</summary>
    private static void AnalyzeType(SymbolAnalysisContext context, KnownSymbols known)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!known.HasAttribute(type, known.MonitoredModel))
        {
            return;
        }

        var inaccessible = InaccessibleTypes(type);
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

        var changes = inaccessible.Count == 1 && SymbolEqualityComparer.Default.Equals(inaccessible[0], type)
            ? "it"
            : string.Join(" and ", inaccessible.Select(t => "'" + t.ToDisplayString(TypeFormat) + "'"));
        var reason = string.Format(CultureInfo.InvariantCulture, Descriptors.InaccessibleModelReason, type.ToDisplayString(TypeFormat), changes);
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.CannotBeMonitored, location, string.Join("', '", methods), reason));
    }

    /// <summary>A generic method, or a method of a struct model that is not partial: at the method's identifier.</summary>
    private static void AnalyzeMethod(SymbolAnalysisContext context, KnownSymbols known)
    {
        var method = (IMethodSymbol)context.Symbol;
        var type = method.ContainingType;
        if (!IsTrackedDefinition(method, known)
            || type is null
            || !known.HasAttribute(type, known.MonitoredModel) // MMON002
            || InaccessibleTypes(type).Count > 0) // reported once, at the type
        {
            return;
        }

        string reason;
        if (method.IsGenericMethod)
        {
            reason = Descriptors.GenericMethodReason;
        }
        else if (type.IsValueType && !KnownSymbols.IsPartialMode(method))
        {
            reason = Descriptors.StructModelReason;
        }
        else
        {
            return;
        }

        if (method.Locations.FirstOrDefault(l => l.IsInSource) is { } location)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.CannotBeMonitored, location, method.Name, reason));
        }
    }

    /// <summary>An ordinary <c>[DriftTracked]</c> method; of a partial method, its definition part only (attributes are merged).</summary>
    private static bool IsTrackedDefinition(IMethodSymbol method, KnownSymbols known)
        => method.MethodKind == MethodKind.Ordinary && method.PartialDefinitionPart is null && known.IsDriftTracked(method);

    /// <summary>The type and the types containing it, outermost first, that generated code cannot access.</summary>
    private static List<INamedTypeSymbol> InaccessibleTypes(INamedTypeSymbol type)
    {
        var result = new List<INamedTypeSymbol>();
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                result.Insert(0, current);
            }
        }

        return result;
    }
}
