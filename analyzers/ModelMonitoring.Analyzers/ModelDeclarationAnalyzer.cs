using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ModelMonitoring.Analyzers;

/// <summary>
/// Checks what the user declared with the attributes:
/// MMON002 (<c>[DriftTracked]</c> outside a model), MMON003 (nothing to capture), MMON004 (invalid model or
/// feature name, duplicate model name), MMON006 (personal feature without <c>[Sensitive]</c>) and MMON007 (string
/// feature without <c>MaxCategories</c>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ModelDeclarationAnalyzer : ModelMonitoringAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.DriftTrackedOutsideModel,
        Descriptors.NothingToCapture,
        Descriptors.InvalidName,
        Descriptors.DuplicateModelName,
        Descriptors.DuplicateFeatureName,
        Descriptors.PersonalFeatureNotSensitive,
        Descriptors.StringFeatureWithoutMaxCategories);

    /// <inheritdoc />
    private protected override void OnCompilationStart(CompilationStartAnalysisContext start, KnownSymbols known)
    {
        var state = new CompilationState(start.Compilation, known, new AnalyzerSettings(start.Options.AnalyzerConfigOptionsProvider));
        start.RegisterSymbolAction(state.AnalyzeType, SymbolKind.NamedType);
        start.RegisterSymbolAction(state.AnalyzeMethod, SymbolKind.Method);
        start.RegisterSymbolAction(state.AnalyzeProperty, SymbolKind.Property);
        start.RegisterCompilationEndAction(state.ReportDuplicateModelNames);
    }

    private sealed class CompilationState
    {
        private readonly KnownSymbols _known;
        private readonly AnalyzerSettings _settings;
        private readonly ConcurrentBag<(string Name, INamedTypeSymbol Type, Location Location)> _models = new();

        // The properties that [DriftTracked] methods capture: found once per compilation, on first use, so
        // that a property's diagnostics are reported from the property's own symbol action (local diagnostics,
        // which the IDE shows and fixes in the open document).
        private readonly Lazy<ImmutableHashSet<IPropertySymbol>> _capturedProperties;

        public CompilationState(Compilation compilation, KnownSymbols known, AnalyzerSettings settings)
        {
            _known = known;
            _settings = settings;
            _capturedProperties = new Lazy<ImmutableHashSet<IPropertySymbol>>(
                () => FeatureCapture.FindCapturedProperties(compilation, known, CancellationToken.None),
                LazyThreadSafetyMode.ExecutionAndPublication);
        }

        public void AnalyzeProperty(SymbolAnalysisContext context)
        {
            var property = (IPropertySymbol)context.Symbol;
            if (!_capturedProperties.Value.Contains(property.OriginalDefinition)
                || FeatureCapture.TryCreatePropertyFeature(property, _known) is not { } feature)
            {
                return;
            }

            var tree = property.Locations.FirstOrDefault(l => l.IsInSource)?.SourceTree;
            AnalyzeFeature(context, feature, _settings.PersonalDataNames(tree));
        }

        public void AnalyzeType(SymbolAnalysisContext context)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            var attribute = _known.GetAttribute(type, _known.MonitoredModel);
            if (attribute is null || attribute.ConstructorArguments.Length != 1)
            {
                return;
            }

            var location = GetArgumentLocation(attribute, 0, null, context.CancellationToken)
                ?? type.Locations.FirstOrDefault()
                ?? Location.None;
            var name = attribute.ConstructorArguments[0].Value as string;
            if (!Naming.IsValidLabel(name))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.InvalidName, location, "Model", name ?? "null", Naming.SuggestLabel(name ?? type.Name, '-')));
                return;
            }

            _models.Add((name!, type, location));
        }

        public void AnalyzeMethod(SymbolAnalysisContext context)
        {
            var method = (IMethodSymbol)context.Symbol;
            if (method.MethodKind != MethodKind.Ordinary || method.PartialDefinitionPart is not null || !_known.IsDriftTracked(method))
            {
                // A partial method's attributes are merged; analyze its definition part only.
                return;
            }

            var methodLocation = method.Locations.FirstOrDefault() ?? Location.None;
            var type = method.ContainingType;
            if (!_known.HasAttribute(type, _known.MonitoredModel))
            {
                var modelName = Naming.ToKebabCase(type.Name);
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.DriftTrackedOutsideModel,
                    methodLocation,
                    ImmutableDictionary<string, string?>.Empty.Add(Descriptors.ModelNameProperty, modelName),
                    method.Name,
                    type.Name,
                    modelName));
            }

            var features = FeatureCapture.Capture(method, _known, out var duplicates);
            foreach (var duplicate in duplicates)
            {
                var first = features.First(f => f.Name == duplicate.Name);
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.DuplicateFeatureName, methodLocation, duplicate.Name, first.Member.Name, duplicate.Member.Name, method.Name));
            }

            if (features.IsEmpty)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.NothingToCapture, methodLocation, method.Name));
                return;
            }

            // Properties declared in this compilation are checked by AnalyzeProperty; parameters and properties of
            // referenced assemblies here, at the parameter.
            var personalNames = _settings.PersonalDataNames(methodLocation.SourceTree);
            foreach (var feature in features)
            {
                if (!feature.IsSourceProperty)
                {
                    AnalyzeFeature(context, feature, personalNames);
                }
            }
        }

        public void ReportDuplicateModelNames(CompilationAnalysisContext context)
        {
            foreach (var group in _models.GroupBy(m => m.Name, System.StringComparer.Ordinal))
            {
                var models = group
                    .OrderBy(m => m.Location.SourceTree?.FilePath, System.StringComparer.Ordinal)
                    .ThenBy(m => m.Location.SourceSpan.Start)
                    .ToList();
                if (models.Count < 2)
                {
                    continue;
                }

                var types = string.Join(", ", models.Select(m => m.Type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)));
                foreach (var model in models)
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.DuplicateModelName, model.Location, group.Key, types));
                }
            }
        }

        private void AnalyzeFeature(SymbolAnalysisContext context, CapturedFeature feature, ImmutableArray<ImmutableArray<string>> personalNames)
        {
            var location = feature.GetLocation();
            if (!Naming.IsValidLabel(feature.Name))
            {
                var nameLocation = feature.HasExplicitName
                    ? GetArgumentLocation(feature.FeatureAttribute!, -1, "Name", context.CancellationToken) ?? location
                    : location;
                Report(context, Descriptors.InvalidName, nameLocation, "Feature", feature.Name, Naming.SuggestLabel(feature.Name, '_'));
            }

            if (!feature.IsSensitive)
            {
                var personal = AnalyzerSettings.MatchPersonalName(feature.Member.Name, personalNames)
                    ?? AnalyzerSettings.MatchPersonalName(feature.Name, personalNames);
                if (personal is not null)
                {
                    Report(context, Descriptors.PersonalFeatureNotSensitive, location, feature.Name, personal, feature.Member.Name);
                }
            }

            if (feature.Type.SpecialType == SpecialType.System_String
                && !feature.IsSensitive
                && !feature.HasMaxCategories
                && !(feature.GetNamedArgument("Kind") is { Value: 1 }))
            {
                Report(context, Descriptors.StringFeatureWithoutMaxCategories, location, feature.Name);
            }
        }

        private static void Report(SymbolAnalysisContext context, DiagnosticDescriptor descriptor, Location location, params object[] arguments)
            => context.ReportDiagnostic(Diagnostic.Create(descriptor, location, arguments));

        /// <summary>The location of a constructor (index) or named argument of an attribute written in source.</summary>
        private static Location? GetArgumentLocation(AttributeData attribute, int index, string? name, CancellationToken cancellationToken)
        {
            if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax { ArgumentList: { } arguments })
            {
                return null;
            }

            var position = 0;
            foreach (var argument in arguments.Arguments)
            {
                if (name is not null)
                {
                    if (argument.NameEquals?.Name.Identifier.ValueText == name)
                    {
                        return argument.GetLocation();
                    }
                }
                else if (argument.NameEquals is null && argument.NameColon is null)
                {
                    if (position++ == index)
                    {
                        return argument.GetLocation();
                    }
                }
            }

            return null;
        }
    }
}
