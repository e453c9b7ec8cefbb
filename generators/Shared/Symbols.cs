using System.Linq;
using Microsoft.CodeAnalysis;

namespace ModelMonitoring.SourceModel;

// Shared source: compiled into both ModelMonitoring.Generators and ModelMonitoring.Analyzers.

/// <summary>The ModelMonitoring attributes and the symbol tests that the capture and monitoring rules share.</summary>
internal static class Symbols
{
    public const string MonitoredModelAttribute = "MonitoredModelAttribute";
    public const string DriftTrackedAttribute = "DriftTrackedAttribute";
    public const string FeatureAttribute = "FeatureAttribute";
    public const string IgnoreFeatureAttribute = "IgnoreFeatureAttribute";
    public const string SensitiveAttribute = "SensitiveAttribute";
    public const string PredictionKeyAttribute = "PredictionKeyAttribute";
    public const string SegmentAttribute = "SegmentAttribute";
    public const string PredictionScoreAttribute = "PredictionScoreAttribute";

    /// <summary>Metadata names, for <c>ForAttributeWithMetadataName</c> and <c>GetTypeByMetadataName</c>.</summary>
    public const string MonitoredModelMetadataName = "ModelMonitoring." + MonitoredModelAttribute;

    public const string DriftTrackedMetadataName = "ModelMonitoring." + DriftTrackedAttribute;

    /// <summary>Whether <paramref name="attribute"/> is the ModelMonitoring attribute named <paramref name="name"/>.</summary>
    public static bool Is(AttributeData attribute, string name)
        => attribute.AttributeClass is { } type
            && type.Name == name
            && type.ContainingNamespace is { Name: "ModelMonitoring", ContainingNamespace.IsGlobalNamespace: true };

    public static AttributeData? Find(ISymbol symbol, string name)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (Is(attribute, name))
            {
                return attribute;
            }
        }

        return null;
    }

    public static bool Has(ISymbol symbol, string name) => Find(symbol, name) is not null;

    /// <summary>
    /// An attribute of a feature member: on the member itself, or, for a positional record's property, on the primary
    /// constructor's parameter of the same name (<c>record R([Sensitive] string Email)</c>).
    /// </summary>
    public static AttributeData? FindOnMember(ISymbol member, string name)
    {
        if (Find(member, name) is { } direct)
        {
            return direct;
        }

        return member is IPropertySymbol property && RecordParameter(property) is { } parameter ? Find(parameter, name) : null;
    }

    public static bool HasOnMember(ISymbol member, string name) => FindOnMember(member, name) is not null;

    public static bool IsDriftTracked(IMethodSymbol method) => Has(method, DriftTrackedAttribute);

    public static bool IsMonitoredModel(INamedTypeSymbol type) => Has(type, MonitoredModelAttribute);

    /// <summary>The positional record parameter a property was declared by, if any.</summary>
    public static IParameterSymbol? RecordParameter(IPropertySymbol property)
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

    /// <summary><c>[Obsolete(message, error: true)]</c>: any use of the symbol outside obsolete code is an error (CS0619).</summary>
    public static bool IsObsoleteError(ISymbol symbol)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "ObsoleteAttribute", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } }
                && attribute.ConstructorArguments.Length == 2
                && attribute.ConstructorArguments[1].Value is true)
            {
                return true;
            }
        }

        return false;
    }

    public static string? NamedString(AttributeData? attribute, string name)
        => NamedArgument(attribute, name)?.Value as string;

    public static int? NamedInt(AttributeData? attribute, string name)
        => NamedArgument(attribute, name)?.Value is int value ? value : null;

    public static double? NamedDouble(AttributeData? attribute, string name)
        => NamedArgument(attribute, name)?.Value is double value ? value : null;

    public static TypedConstant? NamedArgument(AttributeData? attribute, string name)
    {
        if (attribute is null)
        {
            return null;
        }

        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == name)
            {
                return argument.Value;
            }
        }

        return null;
    }

    public static bool IsNullableValueType(ITypeSymbol type)
        => type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T };

    public static ITypeSymbol UnwrapNullable(ITypeSymbol type)
        => IsNullableValueType(type) ? ((INamedTypeSymbol)type).TypeArguments[0] : type;

    public static bool ContainsTypeParameter(ITypeSymbol type) => type switch
    {
        ITypeParameterSymbol => true,
        IArrayTypeSymbol array => ContainsTypeParameter(array.ElementType),
        IPointerTypeSymbol pointer => ContainsTypeParameter(pointer.PointedAtType),
        INamedTypeSymbol named => named.TypeArguments.Any(ContainsTypeParameter)
            || (named.ContainingType is { } containing && ContainsTypeParameter(containing)),
        _ => false,
    };

    /// <summary>The root namespace of a type (<c>System</c> for <c>System.IO.Stream</c>), or null in the global namespace.</summary>
    public static string? RootNamespace(ITypeSymbol type)
    {
        var ns = type.ContainingNamespace;
        while (ns is { IsGlobalNamespace: false, ContainingNamespace.IsGlobalNamespace: false })
        {
            ns = ns.ContainingNamespace;
        }

        return ns is { IsGlobalNamespace: false } ? ns.Name : null;
    }

    /// <summary>Whether the type's full name (namespace and name, no type arguments) is <paramref name="fullName"/>.</summary>
    public static bool HasFullName(ITypeSymbol type, string fullName)
    {
        var ns = type.ContainingNamespace?.ToDisplayString();
        var name = string.IsNullOrEmpty(ns) || type.ContainingNamespace!.IsGlobalNamespace ? type.MetadataName : ns + "." + type.MetadataName;
        return type.ContainingType is null && name == fullName;
    }
}
