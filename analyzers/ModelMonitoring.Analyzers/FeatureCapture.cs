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
/// The feature capture rules of the generator (generators/ModelMonitoring.Generators/Parser.cs), so that MMON003,
/// MMON004, MMON006 and MMON007 see exactly the features that are captured:
/// <list type="bullet">
/// <item>only by-value and <c>in</c> parameters whose type has no type parameter; <c>[IgnoreFeature]</c> excludes;</item>
/// <item>a parameter of a feature type (integral and floating types, decimal, bool, enum, string, char, DateTime,
/// DateTimeOffset, TimeSpan, and their <c>Nullable&lt;&gt;</c>) is one feature named after the parameter;</item>
/// <item>the first <c>T[]</c>, <c>IReadOnlyList&lt;T&gt;</c>, <c>IList&lt;T&gt;</c> or <c>List&lt;T&gt;</c> parameter of
/// a request type is the batch: the item type's properties are the features;</item>
/// <item>a class, record or struct parameter (a request type: not a collection, not a framework type such as
/// Stream, CancellationToken or ReadOnlyMemory) contributes its public readable instance properties of feature
/// types, one level deep;</item>
/// <item><c>[Feature(Name = ...)]</c> renames, else the name is the member name in snake_case; on a positional
/// record the attributes may sit on the property or on the primary constructor's parameter;</item>
/// <item>when two features get the same name, the first one wins (MMON004 reports the second).</item>
/// </list>
/// Numbers and times are numerical; strings, bools, enums and chars categorical.
/// </summary>
internal static class FeatureCapture
{
    public static ImmutableArray<CapturedFeature> Capture(IMethodSymbol method, KnownSymbols known)
        => Capture(method, known, out _);

    /// <summary>The captured features, and the features dropped because an earlier one has the same name.</summary>
    public static ImmutableArray<CapturedFeature> Capture(IMethodSymbol method, KnownSymbols known, out ImmutableArray<CapturedFeature> duplicates)
    {
        var features = ImmutableArray.CreateBuilder<CapturedFeature>();
        var batchIndex = -1;
        for (var i = 0; i < method.Parameters.Length && batchIndex < 0; i++)
        {
            var parameter = method.Parameters[i];
            if (IsInput(parameter, known) && GetBatchItemType(parameter.Type, known) is { } item && IsRequestType(item, known))
            {
                batchIndex = i;
            }
        }

        for (var i = 0; i < method.Parameters.Length; i++)
        {
            var parameter = method.Parameters[i];
            if (!IsInput(parameter, known))
            {
                continue;
            }

            var type = UnwrapNullable(parameter.Type);
            if (i == batchIndex)
            {
                AddProperties(features, (INamedTypeSymbol)UnwrapNullable(GetBatchItemType(type, known)!), parameter, known);
            }
            else if (GetScalarKind(type, known) is { } kind)
            {
                features.Add(Create(parameter, parameter, type, kind, known));
            }
            else if (IsRequestType(type, known))
            {
                AddProperties(features, (INamedTypeSymbol)type, parameter, known);
            }
        }

        var names = new HashSet<string>(System.StringComparer.Ordinal);
        var kept = ImmutableArray.CreateBuilder<CapturedFeature>();
        var dropped = ImmutableArray.CreateBuilder<CapturedFeature>();
        foreach (var feature in features)
        {
            (names.Add(feature.Name) ? kept : dropped).Add(feature);
        }

        duplicates = dropped.ToImmutable();
        return kept.ToImmutable();
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

        if (Is(type, known.DateTimeOffset) || Is(type, known.TimeSpan))
        {
            return CapturedKind.Numerical;
        }

        return null;
    }

    /// <summary>
    /// The properties (declared in this compilation) that some <c>[DriftTracked]</c> method captures: computed once
    /// per compilation, so that a property is checked where it is declared, by its own symbol action.
    /// </summary>
    public static ImmutableHashSet<IPropertySymbol> FindCapturedProperties(Compilation compilation, KnownSymbols known, System.Threading.CancellationToken cancellationToken)
    {
        var result = ImmutableHashSet.CreateBuilder<IPropertySymbol>(SymbolEqualityComparer.Default);
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
                if (member is not IMethodSymbol { MethodKind: MethodKind.Ordinary, PartialDefinitionPart: null } method || !known.IsDriftTracked(method))
                {
                    continue;
                }

                foreach (var feature in Capture(method, known))
                {
                    if (feature.IsSourceProperty)
                    {
                        result.Add((IPropertySymbol)feature.Member.OriginalDefinition);
                    }
                }
            }
        }

        return result.ToImmutable();
    }

    /// <summary>The feature a property contributes when its type is a request type, or null.</summary>
    public static CapturedFeature? TryCreatePropertyFeature(IPropertySymbol property, KnownSymbols known)
    {
        if (!IsCapturableProperty(property) || HasFeatureAttribute(property, known.IgnoreFeature, known))
        {
            return null;
        }

        var propertyType = UnwrapNullable(property.Type);
        return GetScalarKind(propertyType, known) is { } kind ? Create(property, null, propertyType, kind, known) : null;
    }

    /// <summary>
    /// An attribute of a feature member: on the member itself, or, for a positional record's property, on the
    /// primary constructor's parameter of the same name (as the generator reads it).
    /// </summary>
    public static AttributeData? GetFeatureAttribute(ISymbol member, INamedTypeSymbol? attributeType, KnownSymbols known)
    {
        if (known.GetAttribute(member, attributeType) is { } direct)
        {
            return direct;
        }

        return member is IPropertySymbol property && RecordParameter(property) is { } parameter
            ? known.GetAttribute(parameter, attributeType)
            : null;
    }

    private static bool HasFeatureAttribute(ISymbol member, INamedTypeSymbol? attributeType, KnownSymbols known)
        => GetFeatureAttribute(member, attributeType, known) is not null;

    private static IParameterSymbol? RecordParameter(IPropertySymbol property)
    {
        if (property.ContainingType is not { IsRecord: true } record)
        {
            return null;
        }

        foreach (var constructor in record.InstanceConstructors)
        {
            foreach (var parameter in constructor.Parameters)
            {
                if (parameter.Name == property.Name && SymbolEqualityComparer.Default.Equals(parameter.Type, property.Type))
                {
                    return parameter;
                }
            }
        }

        return null;
    }

    private static bool IsInput(IParameterSymbol parameter, KnownSymbols known)
        => parameter.RefKind is RefKind.None or RefKind.In
            && !known.HasAttribute(parameter, known.IgnoreFeature)
            && !ContainsTypeParameter(parameter.Type);

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
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member is not IPropertySymbol property || !IsCapturableProperty(property) || !seen.Add(property.Name))
                {
                    continue;
                }

                if (HasFeatureAttribute(property, known.IgnoreFeature, known))
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
        var featureAttribute = GetFeatureAttribute(member, known.Feature, known);
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
            HasFeatureAttribute(member, known.Sensitive, known));
    }

    private static ITypeSymbol? GetBatchItemType(ITypeSymbol type, KnownSymbols known)
    {
        if (type is IArrayTypeSymbol { Rank: 1 } array)
        {
            return array.ElementType;
        }

        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named)
        {
            var definition = named.OriginalDefinition;
            foreach (var batch in known.BatchTypes)
            {
                if (SymbolEqualityComparer.Default.Equals(definition, batch))
                {
                    return named.TypeArguments[0];
                }
            }
        }

        return null;
    }

    /// <summary>
    /// A class, record or struct whose properties become features: not a feature type, not a collection, not a
    /// framework type, with at least one readable property of a feature type.
    /// </summary>
    private static bool IsRequestType(ITypeSymbol type, KnownSymbols known)
    {
        type = UnwrapNullable(type);
        if (type is not INamedTypeSymbol named
            || named.TypeKind is not (TypeKind.Class or TypeKind.Struct)
            || named.SpecialType != SpecialType.None
            || GetScalarKind(named, known) is not null
            || ContainsTypeParameter(named)
            || IsFrameworkType(named)
            || named.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable))
        {
            return false;
        }

        return HasFeatureProperty(named, known);
    }

    private static bool HasFeatureProperty(INamedTypeSymbol type, KnownSymbols known)
    {
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member is IPropertySymbol property && IsCapturableProperty(property) && GetScalarKind(UnwrapNullable(property.Type), known) is not null)
                {
                    return true;
                }
            }
        }

        return false;
    }

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

    private static bool ContainsTypeParameter(ITypeSymbol type) => type switch
    {
        ITypeParameterSymbol => true,
        IArrayTypeSymbol array => ContainsTypeParameter(array.ElementType),
        INamedTypeSymbol named => named.TypeArguments.Any(ContainsTypeParameter)
            || (named.ContainingType is { } containing && ContainsTypeParameter(containing)),
        _ => false,
    };

    private static ITypeSymbol UnwrapNullable(ITypeSymbol type)
        => type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
            ? nullable.TypeArguments[0]
            : type;

    private static bool Is(ITypeSymbol type, INamedTypeSymbol? known)
        => known is not null && SymbolEqualityComparer.Default.Equals(type, known);
}
