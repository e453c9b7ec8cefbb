using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using ModelMonitoring.SourceModel;

namespace ModelMonitoring.Analyzers;

/// <summary>
/// Checks what the user declared with the attributes:
/// MMON002 (<c>[DriftTracked]</c> outside a model), MMON003 (nothing to capture), MMON004 (invalid model or
/// feature name, duplicate model or feature name), MMON006 (personal feature without <c>[Sensitive]</c>), MMON007 (string
/// feature without <c>MaxCategories</c>) and MMON011 (a property that looks like a feature but is not captured). What is
/// captured comes from the rules the generator uses (<see cref="FeatureRules"/>).
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
        Descriptors.StringFeatureWithoutMaxCategories,
        Descriptors.PropertyNotCaptured);

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

        // The properties that [DriftTracked] methods capture or skip: found once per compilation, on first use, so that a
        // property's diagnostics are reported from the property's own symbol action (local diagnostics, which the IDE shows
        // and fixes in the open document).
        private readonly Lazy<SourceProperties> _sourceProperties;

        public CompilationState(Compilation compilation, KnownSymbols known, AnalyzerSettings settings)
        {
            _known = known;
            _settings = settings;
            _sourceProperties = new Lazy<SourceProperties>(
                () => FeatureCapture.FindSourceProperties(compilation, known, CancellationToken.None),
                LazyThreadSafetyMode.ExecutionAndPublication);
        }

        public void AnalyzeProperty(SymbolAnalysisContext context)
        {
            var property = ((IPropertySymbol)context.Symbol).OriginalDefinition;
            var tree = property.Locations.FirstOrDefault(l => l.IsInSource)?.SourceTree;
            if (_sourceProperties.Value.Captured.TryGetValue(property, out var feature))
            {
                AnalyzeFeature(context, feature, _settings.PersonalDataNames(tree));
            }
            else if (_sourceProperties.Value.Skipped.TryGetValue(property, out var skipped))
            {
                ReportNotCaptured(context, skipped, property.Locations.First(l => l.IsInSource));
            }
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
            if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.ExplicitInterfaceImplementation)
                || method.PartialDefinitionPart is not null
                || !_known.IsDriftTracked(method))
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

            var plan = FeatureCapture.Capture(method);
            foreach (var duplicate in plan.Skipped.Where(s => s.Reason == SkipReason.DuplicateName))
            {
                var first = duplicate.KeptInstead!;
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.DuplicateFeatureName,
                    methodLocation,
                    duplicate.Name,
                    FeatureCapture.Describe(first.Member, first.Parameter),
                    FeatureCapture.Describe(duplicate.Member, duplicate.Parameter),
                    method.Name));
            }

            if (plan.Inputs.IsEmpty)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.NothingToCapture, methodLocation, method.Name));
            }

            // Properties declared in this compilation are checked by AnalyzeProperty; parameters, and properties of
            // referenced assemblies, here, at the parameter (or the method, for the prediction).
            var personalNames = _settings.PersonalDataNames(methodLocation.SourceTree);
            foreach (var feature in plan.Inputs)
            {
                if (!feature.IsSourceProperty)
                {
                    AnalyzeFeature(context, feature, personalNames);
                }
            }

            foreach (var skipped in plan.Skipped.Where(s => s.Reason == SkipReason.UnsupportedType && !s.Member.Locations.Any(l => l.IsInSource)))
            {
                ReportNotCaptured(context, skipped, skipped.Parameter?.Locations.FirstOrDefault() ?? methodLocation);
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

        private static void ReportNotCaptured(SymbolAnalysisContext context, SkippedValue skipped, Location location)
        {
            var owner = skipped.Member.ContainingType?.Name ?? string.Empty;
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.PropertyNotCaptured,
                location,
                skipped.Member.Name,
                owner,
                skipped.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
        }

        private void AnalyzeFeature(SymbolAnalysisContext context, CapturedValue feature, ImmutableArray<ImmutableArray<string>> personalNames)
        {
            var location = GetLocation(feature);
            if (!Naming.IsValidLabel(feature.Name))
            {
                var nameLocation = feature.HasExplicitName
                    ? GetArgumentLocation(feature.FeatureAttribute!, -1, "Name", context.CancellationToken) ?? location
                    : location;
                Report(context, Descriptors.InvalidName, nameLocation, "Feature", feature.Name, Naming.SuggestLabel(feature.Name, '_'));
            }

            if (!feature.IsSensitive)
            {
                var personal = AnalyzerSettings.MatchPersonalName(feature.Member, feature.DefaultName, feature.ValueType, personalNames);
                if (personal is not null)
                {
                    Report(context, Descriptors.PersonalFeatureNotSensitive, location, feature.Name, personal, feature.Member.Name);
                }
            }

            if (feature.ValueType.SpecialType == SpecialType.System_String
                && !feature.IsSensitive
                && !feature.HasMaxCategories)
            {
                Report(context, Descriptors.StringFeatureWithoutMaxCategories, location, feature.Name);
            }
        }

        /// <summary>Where a diagnostic about a feature goes: the member in source, else the method's parameter.</summary>
        private static Location GetLocation(CapturedValue feature)
        {
            foreach (var location in feature.Member.Locations)
            {
                if (location.IsInSource)
                {
                    return location;
                }
            }

            return feature.Parameter is { Locations.Length: > 0 } ? feature.Parameter.Locations[0] : Location.None;
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
