using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using ModelMonitoring.SourceModel;

namespace ModelMonitoring.Analyzers;

/// <summary>
/// What the generator captures, as the analyzers see it: the shared <see cref="FeatureRules"/> (generators/Shared), which
/// the generator's parser uses too, so that MMON003, MMON004, MMON006, MMON007 and MMON011 talk about exactly the
/// features that are captured and the members that are skipped.
/// </summary>
internal static class FeatureCapture
{
    /// <summary>The capture plan of a <c>[DriftTracked]</c> method.</summary>
    public static CapturePlan Capture(IMethodSymbol method) => FeatureRules.Capture(method);

    /// <summary>
    /// The properties declared in this compilation that some <c>[DriftTracked]</c> method captures or skips, found once per
    /// compilation so that each property's diagnostics are reported from its own symbol action (local diagnostics, which
    /// the IDE shows and fixes in the open document). A property captured by several methods keeps its first feature.
    /// </summary>
    public static SourceProperties FindSourceProperties(Compilation compilation, KnownSymbols known, CancellationToken cancellationToken)
    {
        var captured = new Dictionary<IPropertySymbol, CapturedValue>(SymbolEqualityComparer.Default);
        var skipped = new Dictionary<IPropertySymbol, SkippedValue>(SymbolEqualityComparer.Default);
        foreach (var method in TrackedMethods(compilation, known, cancellationToken))
        {
            var plan = Capture(method);
            foreach (var feature in plan.Inputs)
            {
                if (feature.IsSourceProperty && !captured.ContainsKey((IPropertySymbol)feature.Member.OriginalDefinition))
                {
                    captured[(IPropertySymbol)feature.Member.OriginalDefinition] = feature;
                }
            }

            foreach (var skip in plan.Skipped)
            {
                if (skip.Reason == SkipReason.UnsupportedType && skip.Member is IPropertySymbol property && property.Locations.Any(l => l.IsInSource)
                    && !skipped.ContainsKey(property.OriginalDefinition))
                {
                    skipped[property.OriginalDefinition] = skip;
                }
            }
        }

        return new SourceProperties(captured.ToImmutableDictionary(SymbolEqualityComparer.Default), skipped.ToImmutableDictionary(SymbolEqualityComparer.Default));
    }

    /// <summary>Every <c>[DriftTracked]</c> method declared in the compilation (of a partial method, its definition).</summary>
    public static IEnumerable<IMethodSymbol> TrackedMethods(Compilation compilation, KnownSymbols known, CancellationToken cancellationToken)
    {
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
                if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.ExplicitInterfaceImplementation, PartialDefinitionPart: null } method
                    && known.IsDriftTracked(method))
                {
                    yield return method;
                }
            }
        }
    }

    /// <summary>Describes where a feature's value is read, for messages: <c>user.Id</c>, <c>amount</c>, <c>the prediction's Price</c>.</summary>
    public static string Describe(ISymbol member, IParameterSymbol? parameter)
    {
        if (member is IPropertySymbol property)
        {
            return parameter is null ? "the prediction's " + property.Name : parameter.Name + "." + property.Name;
        }

        return member is IMethodSymbol ? "the prediction" : member.Name;
    }
}

/// <summary>Properties of this compilation that tracked methods capture, or skip because of their type.</summary>
internal sealed class SourceProperties
{
    public SourceProperties(ImmutableDictionary<IPropertySymbol, CapturedValue> captured, ImmutableDictionary<IPropertySymbol, SkippedValue> skipped)
    {
        Captured = captured;
        Skipped = skipped;
    }

    public ImmutableDictionary<IPropertySymbol, CapturedValue> Captured { get; }

    public ImmutableDictionary<IPropertySymbol, SkippedValue> Skipped { get; }
}
