using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ModelMonitoring.Analyzers;

/// <summary>How a captured feature is compared.</summary>
internal enum CapturedKind
{
    Numerical,
    Categorical,
}

/// <summary>One feature that the generator captures from a <c>[DriftTracked]</c> method's inputs.</summary>
internal sealed class CapturedFeature
{
    public CapturedFeature(
        string name,
        ISymbol member,
        IParameterSymbol? parameter,
        ITypeSymbol type,
        CapturedKind kind,
        AttributeData? featureAttribute,
        bool isSensitive)
    {
        Name = name;
        Member = member;
        Parameter = parameter;
        Type = type;
        Kind = kind;
        FeatureAttribute = featureAttribute;
        IsSensitive = isSensitive;
    }

    /// <summary>The final feature name: <c>[Feature(Name = ...)]</c> or the member name in snake_case.</summary>
    public string Name { get; }

    /// <summary>The parameter or property the value is read from.</summary>
    public ISymbol Member { get; }

    /// <summary>The <c>[DriftTracked]</c> method's parameter the feature comes from (null when checked at the property).</summary>
    public IParameterSymbol? Parameter { get; }

    /// <summary>The value's type, without <c>Nullable&lt;&gt;</c>.</summary>
    public ITypeSymbol Type { get; }

    public CapturedKind Kind { get; }

    public AttributeData? FeatureAttribute { get; }

    public bool IsSensitive { get; }

    public bool HasExplicitName => GetNamedArgument("Name") is { Value: string };

    public bool HasMaxCategories => GetNamedArgument("MaxCategories") is not null;

    public TypedConstant? GetNamedArgument(string name)
    {
        if (FeatureAttribute is null)
        {
            return null;
        }

        foreach (var argument in FeatureAttribute.NamedArguments)
        {
            if (argument.Key == name)
            {
                return argument.Value;
            }
        }

        return null;
    }

    /// <summary>Whether the value is read from a property declared in this compilation's source.</summary>
    public bool IsSourceProperty => Member is IPropertySymbol && Member.Locations.Any(l => l.IsInSource);

    /// <summary>Where a diagnostic about this feature goes: the member in source, else the method's parameter.</summary>
    public Location GetLocation()
    {
        foreach (var location in Member.Locations)
        {
            if (location.IsInSource)
            {
                return location;
            }
        }

        return Parameter is { Locations.Length: > 0 } ? Parameter.Locations[0] : Location.None;
    }
}

/// <summary>
/// The feature capture rules the generator follows, so that MMON003, MMON004, MMON006 and MMON007 see exactly the
/// features that are captured:
/// <list type="bullet">
/// <item>a parameter of a scalar type (integral and floating types, decimal, bool, enum, string, char, DateTime,
/// DateTimeOffset, and their <c>Nullable&lt;&gt;</c>) is one feature named after the parameter;</item>
/// <item>a class, record or struct parameter (not a framework type) contributes its public readable instance
/// properties of scalar types, one level deep;</item>
/// <item>a <c>T[]</c>, <c>IReadOnlyList&lt;T&gt;</c> or <c>IEnumerable&lt;T&gt;</c> parameter contributes the
/// item type's properties;</item>
/// <item><c>[IgnoreFeature]</c> excludes, <c>[Feature(Name = ...)]</c> renames, <c>out</c> parameters are not inputs.</item>
/// </list>
/// Numbers and dates are numerical; strings, bools, enums and chars categorical.
/// </summary>
internal static class FeatureCapture
{
    public static ImmutableArray<CapturedFeature> Capture(IMethodSymbol method, KnownSymbols known)
    {
        var features = ImmutableArray.CreateBuilder<CapturedFeature>();
        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind == RefKind.Out || known.HasAttribute(parameter, known.IgnoreFeature))
            {
                continue;
            }

            var type = UnwrapNullable(parameter.Type);
            if (GetScalarKind(type, known) is { } kind)
            {
                features.Add(Create(parameter, parameter, type, kind, known));
                continue;
            }

            if (GetRequestType(type, known) is { } requestType)
            {
                AddProperties(features, requestType, parameter, known);
            }
        }

        return features.ToImmutable();
    }

    public static CapturedKind? GetScalarKind(ITypeSymbol type, KnownSymbols known)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_IntPtr:
            case SpecialType.System_UIntPtr:
            case SpecialType.System_Single:
            case SpecialType.System_Double:
            case SpecialType.System_Decimal:
            case SpecialType.System_DateTime:
                return CapturedKind.Numerical;
            case SpecialType.System_Boolean:
            case SpecialType.System_String:
            case SpecialType.System_Char:
                return CapturedKind.Categorical;
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return CapturedKind.Categorical;
        }

        if (Is(type, known.DateTimeOffset) || Is(type, known.Half) || Is(type, known.Int128) || Is(type, known.UInt128))
        {
            return CapturedKind.Numerical;
        }

        return null;
    }

    /// <summary>
    /// The type whose properties a parameter of type <paramref name="parameterType"/> contributes (the type itself,
    /// or a batch's item type), or null when the parameter is a scalar or contributes nothing.
    /// </summary>
    public static INamedTypeSymbol? GetRequestType(ITypeSymbol parameterType, KnownSymbols known)
    {
        var type = UnwrapNullable(parameterType);
        if (GetScalarKind(type, known) is not null)
        {
            return null;
        }

        var itemType = UnwrapNullable(GetBatchItemType(type, known) ?? type);
        return IsExpandable(itemType) ? (INamedTypeSymbol)itemType : null;
    }

    /// <summary>
    /// The types whose properties some <c>[DriftTracked]</c> method of the compilation captures, with their base
    /// types: computed once per compilation, so that a property is checked where it is declared.
    /// </summary>
    public static ImmutableHashSet<INamedTypeSymbol> FindRequestTypes(Compilation compilation, KnownSymbols known, System.Threading.CancellationToken cancellationToken)
    {
        var result = ImmutableHashSet.CreateBuilder<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        var namespaces = new Stack<INamespaceSymbol>();
        var types = new Stack<INamedTypeSymbol>();
        namespaces.Push(compilation.Assembly.GlobalNamespace);
        while (namespaces.Count > 0)
        {
            var ns = namespaces.Pop();
            foreach (var child in ns.GetNamespaceMembers())
            {
                namespaces.Push(child);
            }

            foreach (var type in ns.GetTypeMembers())
            {
                types.Push(type);
            }
        }

        while (types.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var type = types.Pop();
            foreach (var nested in type.GetTypeMembers())
            {
                types.Push(nested);
            }

            foreach (var member in type.GetMembers())
            {
                if (member is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method || !known.IsDriftTracked(method))
                {
                    continue;
                }

                foreach (var parameter in method.Parameters)
                {
                    if (parameter.RefKind == RefKind.Out || known.HasAttribute(parameter, known.IgnoreFeature))
                    {
                        continue;
                    }

                    for (var request = GetRequestType(parameter.Type, known); request is not null && !IsFrameworkType(request); request = request.BaseType)
                    {
                        result.Add(request.OriginalDefinition);
                    }
                }
            }
        }

        return result.ToImmutable();
    }

    /// <summary>The feature a property contributes when its type is a request type, or null.</summary>
    public static CapturedFeature? TryCreatePropertyFeature(IPropertySymbol property, KnownSymbols known)
    {
        if (!IsCapturableProperty(property) || known.HasAttribute(property, known.IgnoreFeature))
        {
            return null;
        }

        var propertyType = UnwrapNullable(property.Type);
        return GetScalarKind(propertyType, known) is { } kind ? Create(property, null, propertyType, kind, known) : null;
    }

    private static bool IsCapturableProperty(IPropertySymbol property)
        => !property.IsStatic
            && !property.IsIndexer
            && property.DeclaredAccessibility == Accessibility.Public
            && property.GetMethod is { DeclaredAccessibility: Accessibility.Public };

    private static void AddProperties(
        ImmutableArray<CapturedFeature>.Builder features,
        INamedTypeSymbol type,
        IParameterSymbol parameter,
        KnownSymbols known)
    {
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        for (var current = type; current is not null && !IsFrameworkType(current); current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member is not IPropertySymbol property || !IsCapturableProperty(property) || !seen.Add(property.Name))
                {
                    continue;
                }

                if (known.HasAttribute(property, known.IgnoreFeature))
                {
                    continue;
                }

                var propertyType = UnwrapNullable(property.Type);
                if (GetScalarKind(propertyType, known) is { } kind)
                {
                    features.Add(Create(property, parameter, propertyType, kind, known));
                }
            }
        }
    }

    private static CapturedFeature Create(ISymbol member, IParameterSymbol? parameter, ITypeSymbol type, CapturedKind kind, KnownSymbols known)
    {
        var featureAttribute = known.GetAttribute(member, known.Feature);
        string? explicitName = null;
        if (featureAttribute is not null)
        {
            foreach (var argument in featureAttribute.NamedArguments)
            {
                if (argument.Key == "Name" && argument.Value.Value is string name)
                {
                    explicitName = name;
                }
            }
        }

        return new CapturedFeature(
            explicitName ?? Naming.ToSnakeCase(member.Name),
            member,
            parameter,
            type,
            kind,
            featureAttribute,
            known.HasAttribute(member, known.Sensitive));
    }

    private static ITypeSymbol? GetBatchItemType(ITypeSymbol type, KnownSymbols known)
    {
        if (type is IArrayTypeSymbol { Rank: 1 } array)
        {
            return array.ElementType;
        }

        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
            && (named.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T
                || Is(named.OriginalDefinition, known.IReadOnlyListOfT)))
        {
            return named.TypeArguments[0];
        }

        return null;
    }

    private static bool IsExpandable(ITypeSymbol type)
        => type is INamedTypeSymbol named
            && (named.TypeKind == TypeKind.Class || named.TypeKind == TypeKind.Struct)
            && named.SpecialType == SpecialType.None
            && !IsFrameworkType(named);

    /// <summary>
    /// Framework types (System.*, Microsoft.*) are not request types: their properties (Stream.Length,
    /// ReadOnlyMemory.IsEmpty, CancellationToken.IsCancellationRequested...) are not features.
    /// </summary>
    private static bool IsFrameworkType(INamedTypeSymbol type)
    {
        if (type.SpecialType == SpecialType.System_Object || type.SpecialType == SpecialType.System_ValueType)
        {
            return true;
        }

        var ns = type.ContainingNamespace;
        while (ns is { ContainingNamespace.IsGlobalNamespace: false })
        {
            ns = ns.ContainingNamespace;
        }

        return ns is { IsGlobalNamespace: false, Name: "System" or "Microsoft" };
    }

    private static ITypeSymbol UnwrapNullable(ITypeSymbol type)
        => type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
            ? nullable.TypeArguments[0]
            : type;

    private static bool Is(ITypeSymbol type, INamedTypeSymbol? known)
        => known is not null && SymbolEqualityComparer.Default.Equals(type, known);
}
