using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ModelMonitoring.SourceModel;

// Shared source: compiled into both ModelMonitoring.Generators and ModelMonitoring.Analyzers. The generator skips a
// [DriftTracked] method for exactly the reasons below, and MMON009 reports exactly those methods.

/// <summary>Why the generator cannot monitor a <c>[DriftTracked]</c> method of a <c>[MonitoredModel]</c> type.</summary>
internal enum MonitoringBlocker
{
    None,

    /// <summary>The model type, or a type containing it, is private or protected.</summary>
    InaccessibleModelType,

    /// <summary>A parameter or return type is private or protected (generated code cannot name it).</summary>
    InaccessibleSignatureType,

    /// <summary>An instance method of a struct model that is not partial: calls on a struct cannot be intercepted.</summary>
    StructModelInstanceMethod,

    /// <summary>A private or protected method and no <c>UnsafeAccessorAttribute</c> (it came with .NET 8).</summary>
    InaccessibleMethodWithoutUnsafeAccessor,

    /// <summary>A private or protected method that is generic, or of a generic or static type, or of a struct.</summary>
    InaccessibleMethodShape,

    /// <summary>A pointer or function pointer parameter or return type.</summary>
    PointerSignature,

    /// <summary>The method, its type or a type of its signature is <c>[Obsolete(error: true)]</c>.</summary>
    ObsoleteError,

    /// <summary>A partial method of a type nested in a type that is not partial: its body cannot be generated.</summary>
    ContainingTypeNotPartial,

    /// <summary>An explicit interface implementation (<c>double IModel.Predict(...)</c>).</summary>
    ExplicitInterfaceImplementation,
}

/// <summary>What the generator can monitor, and which language and compiler settings it needs.</summary>
internal static class ModelRules
{
    /// <summary>The namespace of every generated type, which <c>InterceptorsNamespaces</c> must list.</summary>
    public const string GeneratedNamespace = "ModelMonitoring.Generated";

    /// <summary>Interceptors are emitted in <c>file</c> classes, which need C# 11.</summary>
    public const LanguageVersion InterceptorsLanguageVersion = LanguageVersion.CSharp11;

    /// <summary>Partial mode and the generated helpers need C# 9 (partial methods with accessibility, module initializers).</summary>
    public const LanguageVersion GeneratedCodeLanguageVersion = LanguageVersion.CSharp9;

    /// <summary>The model's name: the attribute's argument, else the type name in kebab-case.</summary>
    public static string ModelName(INamedTypeSymbol type)
    {
        var attribute = Symbols.Find(type, Symbols.MonitoredModelAttribute);
        return attribute is { ConstructorArguments.Length: > 0 } && attribute.ConstructorArguments[0].Value is string name
            ? name
            : Naming.ToKebabCase(type.Name);
    }

    /// <summary>A partial <c>[DriftTracked]</c> method gets a generated body (partial mode) and needs no interception.</summary>
    public static bool IsPartialMode(IMethodSymbol method) => method.IsPartialDefinition || method.PartialDefinitionPart is not null;

    /// <summary>Whether <c>InterceptorsNamespaces</c> (the compiler's feature flag) lists <see cref="GeneratedNamespace"/>.</summary>
    public static bool InterceptorsEnabled(ParseOptions? options)
    {
        if (options is null)
        {
            return false;
        }

        foreach (var key in new[] { "InterceptorsNamespaces", "InterceptorsPreviewNamespaces" })
        {
            if (options.Features.TryGetValue(key, out var list) && ListsGeneratedNamespace(list))
            {
                return true;
            }
        }

        return false;
    }

    public static bool ListsGeneratedNamespace(string? list)
        => list is not null && list.Split(';', ',').Any(n => string.Equals(n.Trim(), GeneratedNamespace, StringComparison.Ordinal));

    /// <summary>Why the method cannot be monitored, or <see cref="MonitoringBlocker.None"/>.</summary>
    /// <param name="method">A <c>[DriftTracked]</c> method of a <c>[MonitoredModel]</c> type (for partial methods, the definition).</param>
    /// <param name="hasUnsafeAccessor">Whether the compilation has <c>System.Runtime.CompilerServices.UnsafeAccessorAttribute</c>.</param>
    /// <param name="typesToChange">The types the user must change (inaccessible or not partial), outermost first.</param>
    public static MonitoringBlocker GetBlocker(IMethodSymbol method, bool hasUnsafeAccessor, out IReadOnlyList<INamedTypeSymbol> typesToChange)
    {
        typesToChange = Array.Empty<INamedTypeSymbol>();
        var type = method.ContainingType;
        var inaccessible = InaccessibleContainers(type);
        if (inaccessible.Count > 0)
        {
            typesToChange = inaccessible;
            return MonitoringBlocker.InaccessibleModelType;
        }

        if (method.MethodKind == MethodKind.ExplicitInterfaceImplementation)
        {
            return MonitoringBlocker.ExplicitInterfaceImplementation;
        }

        var signature = method.Parameters.Select(p => p.Type).Append(method.ReturnType).ToList();
        if (signature.Any(ContainsPointer))
        {
            return MonitoringBlocker.PointerSignature;
        }

        if (signature.Any(t => !IsNameable(t)))
        {
            return MonitoringBlocker.InaccessibleSignatureType;
        }

        if (Symbols.IsObsoleteError(method) || ContainersAndSelf(type).Any(Symbols.IsObsoleteError) || signature.Any(IsObsoleteErrorType))
        {
            return MonitoringBlocker.ObsoleteError;
        }

        var partial = IsPartialMode(method);
        if (partial)
        {
            var notPartial = ContainersAndSelf(type).Where(t => !IsDeclaredPartial(t)).ToList();
            if (notPartial.Count > 0)
            {
                typesToChange = notPartial;
                return MonitoringBlocker.ContainingTypeNotPartial;
            }

            return MonitoringBlocker.None;
        }

        if (type.IsValueType && !method.IsStatic)
        {
            return MonitoringBlocker.StructModelInstanceMethod;
        }

        if (NeedsUnsafeAccessor(method))
        {
            if (!hasUnsafeAccessor)
            {
                return MonitoringBlocker.InaccessibleMethodWithoutUnsafeAccessor;
            }

            if (method.IsGenericMethod || ContainersAndSelf(type).Any(t => t.IsGenericType) || type.IsStatic || type.IsValueType)
            {
                return MonitoringBlocker.InaccessibleMethodShape;
            }
        }

        return MonitoringBlocker.None;
    }

    /// <summary>A method that generated code outside its type cannot call: it is called through an <c>UnsafeAccessor</c>.</summary>
    public static bool NeedsUnsafeAccessor(IMethodSymbol method)
        => method.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal);

    /// <summary>Whether generated code in another namespace of the same assembly can name the type.</summary>
    public static bool IsNameable(ITypeSymbol type) => type switch
    {
        ITypeParameterSymbol => true,
        IArrayTypeSymbol array => IsNameable(array.ElementType),
        IPointerTypeSymbol or IFunctionPointerTypeSymbol => false,
        INamedTypeSymbol named => InaccessibleContainers(named).Count == 0 && named.TypeArguments.All(IsNameable),
        _ => true,
    };

    /// <summary>The type and the types containing it that generated code cannot access, outermost first.</summary>
    public static List<INamedTypeSymbol> InaccessibleContainers(INamedTypeSymbol type)
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

    /// <summary>The type and the types containing it, outermost first.</summary>
    public static List<INamedTypeSymbol> ContainersAndSelf(INamedTypeSymbol type)
    {
        var chain = new List<INamedTypeSymbol>();
        for (var current = type; current is not null; current = current.ContainingType)
        {
            chain.Insert(0, current);
        }

        return chain;
    }

    /// <summary>Whether every declaration of the type in source carries <c>partial</c>.</summary>
    public static bool IsDeclaredPartial(INamedTypeSymbol type)
    {
        var declarations = type.DeclaringSyntaxReferences;
        return declarations.Length > 0
            && declarations.All(r => r.GetSyntax() is TypeDeclarationSyntax declaration && declaration.Modifiers.Any(SyntaxKind.PartialKeyword));
    }

    private static bool ContainsPointer(ITypeSymbol type) => type switch
    {
        IPointerTypeSymbol or IFunctionPointerTypeSymbol => true,
        IArrayTypeSymbol array => ContainsPointer(array.ElementType),
        INamedTypeSymbol named => named.TypeArguments.Any(ContainsPointer),
        _ => false,
    };

    private static bool IsObsoleteErrorType(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => IsObsoleteErrorType(array.ElementType),
        INamedTypeSymbol named => ContainersAndSelf(named).Any(Symbols.IsObsoleteError) || named.TypeArguments.Any(IsObsoleteErrorType),
        _ => false,
    };
}
