using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelMonitoring.SourceModel;

namespace ModelMonitoring.Generators
{
    /// <summary>
    /// Turns symbols into specs. What is captured comes from the shared <see cref="FeatureRules"/>, what can be monitored from
    /// <see cref="ModelRules"/> (the analyzer uses the same two). Nothing it returns holds a symbol or a syntax node.
    /// </summary>
    internal static class Parser
    {
        private const string UnsafeAccessorAttribute = "System.Runtime.CompilerServices.UnsafeAccessorAttribute";

        private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        private static readonly SymbolDisplayFormat NonNullableTypeFormat = SymbolDisplayFormat.FullyQualifiedFormat;

        /// <summary>Identifies an interface or base method, closed over its type arguments, in both a call and an implementation.</summary>
        private static readonly SymbolDisplayFormat DispatchKeyFormat = new(
            globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Included,
            typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
            genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
            memberOptions: SymbolDisplayMemberOptions.IncludeContainingType | SymbolDisplayMemberOptions.IncludeParameters,
            parameterOptions: SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeParamsRefOut,
            miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

        /// <summary>A tracked method together with its model, before grouping by model.</summary>
        internal sealed record TrackedMethod(string ModelKey, ModelSpec Model, MethodSpec Method);

        public static TrackedMethod? ParseTrackedMethod(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not IMethodSymbol target)
            {
                return null;
            }

            IMethodSymbol method = target.PartialDefinitionPart ?? target;
            if (method.ContainingType is not INamedTypeSymbol type || !Symbols.IsMonitoredModel(type)
                || method.MethodKind is not (MethodKind.Ordinary or MethodKind.ExplicitInterfaceImplementation))
            {
                return null; // MMON002 reports a [DriftTracked] method outside a model
            }

            bool hasUnsafeAccessor = context.SemanticModel.Compilation.GetTypeByMetadataName(UnsafeAccessorAttribute) is not null;
            if (ModelRules.GetBlocker(method, hasUnsafeAccessor, out _) != MonitoringBlocker.None)
            {
                return null; // MMON009 says why
            }

            cancellationToken.ThrowIfCancellationRequested();
            AttributeData attribute = Symbols.Find(type, Symbols.MonitoredModelAttribute)!;
            TypeSpec typeSpec = ParseType(type);
            bool nullableEnabled = context.SemanticModel.GetNullableContext(context.TargetNode.SpanStart).AnnotationsEnabled();
            MethodSpec methodSpec = ParseMethod(method, FeatureRules.Capture(method), nullableEnabled);
            var model = new ModelSpec(
                ModelRules.ModelName(type),
                Symbols.NamedString(attribute, "Owner"),
                Symbols.NamedString(attribute, "Squad"),
                Symbols.NamedString(attribute, "Version"),
                Symbols.NamedString(attribute, "TrainedAt"),
                typeSpec,
                EquatableArray<MethodSpec>.Empty);
            return new TrackedMethod(typeSpec.MetadataName, model, methodSpec);
        }

        /// <summary>
        /// Groups tracked methods by model and numbers each model's methods in a stable order. Predictions that two methods
        /// name alike with different kinds are named per method (<see cref="FeatureRules.PredictionNamesToSplit"/>).
        /// </summary>
        public static EquatableArray<ModelSpec> GroupByModel(IEnumerable<TrackedMethod> methods)
        {
            var models = new List<ModelSpec>();
            foreach (IGrouping<string, TrackedMethod> group in methods.GroupBy(m => m.ModelKey).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                ModelSpec first = group.First().Model;
                MethodSpec[] ordered = group.Select(m => m.Method)
                    .GroupBy(m => m.Key, StringComparer.Ordinal).Select(g => g.First()) // a partial method seen at both parts
                    .OrderBy(m => m.Key, StringComparer.Ordinal)
                    .ToArray();
                HashSet<string> split = FeatureRules.PredictionNamesToSplit(
                    ordered.SelectMany(m => m.Features).Where(f => f.IsPrediction).Select(f => (f.Name, f.Kind, f.Storage)));
                var numbered = ordered.Select((m, i) => m with
                {
                    Index = i,
                    Features = split.Count == 0
                        ? m.Features
                        : m.Features.Select(f => f.IsPrediction && split.Contains(f.Name) ? f with { Name = FeatureRules.PerMethodName(m.Name, f.Name) } : f)
                            .ToEquatableArray(),
                }).ToEquatableArray();
                models.Add(first with { Methods = numbered });
            }

            return models.ToEquatableArray();
        }

        public static bool IsCandidateInvocation(SyntaxNode node, CancellationToken cancellationToken) =>
            node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax or MemberBindingExpressionSyntax or IdentifierNameSyntax or GenericNameSyntax };

        public static CallSiteSpec? ParseCallSite(GeneratorSyntaxContext context, CancellationToken cancellationToken)
        {
            var invocation = (InvocationExpressionSyntax)context.Node;
            SemanticModel semanticModel = context.SemanticModel;
            if (semanticModel.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol symbol
                || invocation.Expression is MemberAccessExpressionSyntax { Expression: BaseExpressionSyntax })
            {
                return null; // base.Predict() must reach the base method itself, not the receiver's override
            }

            IMethodSymbol bound = symbol.ReducedFrom ?? symbol;
            IMethodSymbol definition = bound.OriginalDefinition;
            IMethodSymbol trackedDefinition = definition.PartialDefinitionPart ?? definition;
            if (definition.MethodKind != MethodKind.Ordinary)
            {
                return null;
            }

            if (Symbols.IsDriftTracked(trackedDefinition))
            {
                return ParseDirectCall(semanticModel, invocation, trackedDefinition, receiver: null, cancellationToken);
            }

            // A call on a subclass binds to its override (LinearModel.Predict overriding the tracked ModelBase.Predict): the
            // interceptor takes the subclass, and the model's wrapper dispatches to the override.
            for (IMethodSymbol? overridden = definition.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
            {
                if (Symbols.IsDriftTracked(overridden.OriginalDefinition))
                {
                    INamedTypeSymbol subclass = definition.ContainingType;
                    return ModelRules.ContainersAndSelf(subclass).Any(t => t.IsGenericType) || !ModelRules.IsNameable(subclass)
                        ? null
                        : ParseDirectCall(semanticModel, invocation, overridden.OriginalDefinition, subclass.ToDisplayString(NonNullableTypeFormat), cancellationToken);
                }
            }

            return ParseDispatchCall(semanticModel, invocation, bound, cancellationToken);
        }

        private static CallSiteSpec? ParseDirectCall(
            SemanticModel semanticModel, InvocationExpressionSyntax invocation, IMethodSymbol method, string? receiver, CancellationToken cancellationToken)
        {
            INamedTypeSymbol type = method.ContainingType;
            if (ModelRules.IsPartialMode(method) || !Symbols.IsMonitoredModel(type) || !type.Locations.Any(l => l.IsInSource) || IsInExpressionTree(semanticModel, invocation, cancellationToken))
            {
                return null; // partial mode wraps itself; a model of another assembly is monitored there
            }

            bool hasUnsafeAccessor = semanticModel.Compilation.GetTypeByMetadataName(UnsafeAccessorAttribute) is not null;
            if (ModelRules.GetBlocker(method, hasUnsafeAccessor, out _) != MonitoringBlocker.None)
            {
                return null;
            }

            InterceptableLocation? location = semanticModel.GetInterceptableLocation(invocation, cancellationToken);
            return location is null
                ? null
                : new CallSiteSpec(CallKind.Direct, MethodKey(method), receiver, Dispatch: null, location.Version, location.Data, location.GetDisplayLocation());
        }

        /// <summary>
        /// A call through an interface or a base class declared in this compilation (<c>IPricingModel.Predict</c>, the ASP.NET
        /// dependency injection pattern): intercepted when a monitored model implements the method; the interceptor tests the
        /// receiver's type. Calls whose receiver is a type parameter, and generic methods, are left alone.
        /// </summary>
        private static CallSiteSpec? ParseDispatchCall(SemanticModel semanticModel, InvocationExpressionSyntax invocation, IMethodSymbol bound, CancellationToken cancellationToken)
        {
            INamedTypeSymbol receiver = bound.ContainingType;
            bool dispatches = receiver.TypeKind == TypeKind.Interface
                ? bound.IsAbstract || bound.IsVirtual
                : bound.IsVirtual || bound.IsAbstract || bound.IsOverride;
            if (!dispatches
                || bound.IsStatic
                || bound.IsGenericMethod
                || bound.ReducedFrom is not null
                || bound.ReturnsByRef || bound.ReturnsByRefReadonly
                || Symbols.ContainsTypeParameter(receiver)
                || !receiver.OriginalDefinition.Locations.Any(l => l.IsInSource)
                || !ModelRules.IsNameable(receiver)
                || !bound.Parameters.All(p => ModelRules.IsNameable(p.Type) && !Symbols.ContainsTypeParameter(p.Type))
                || !ModelRules.IsNameable(bound.ReturnType)
                || Symbols.ContainsTypeParameter(bound.ReturnType))
            {
                return null;
            }

            ExpressionSyntax? receiverExpression = invocation.Expression switch
            {
                MemberAccessExpressionSyntax access => access.Expression,
                _ => null,
            };
            if (receiverExpression is not null && semanticModel.GetTypeInfo(receiverExpression, cancellationToken).Type is ITypeParameterSymbol)
            {
                return null;
            }

            if (IsInExpressionTree(semanticModel, invocation, cancellationToken))
            {
                return null;
            }

            InterceptableLocation? location = semanticModel.GetInterceptableLocation(invocation, cancellationToken);
            if (location is null)
            {
                return null;
            }

            var parameters = bound.Parameters.Select(p => ParseParameter(p, captured: false)).ToEquatableArray();
            var target = new DispatchTargetSpec(
                receiver.ToDisplayString(NonNullableTypeFormat),
                receiver.Name,
                bound.Name,
                bound.ReturnType.ToDisplayString(TypeFormat),
                ReturnRefKind.None,
                parameters,
                Prefix(bound.Parameters.Select(p => p.Name)));
            return new CallSiteSpec(CallKind.Dispatch, DispatchKey(bound), ReceiverType: null, target, location.Version, location.Data, location.GetDisplayLocation());
        }

        /// <summary>An interceptor cannot replace a call inside an expression tree (MMON005 reports it).</summary>
        private static bool IsInExpressionTree(SemanticModel semanticModel, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
        {
            for (SyntaxNode? node = invocation.Parent; node is not null && node is not MemberDeclarationSyntax; node = node.Parent)
            {
                if (node is AnonymousFunctionExpressionSyntax lambda
                    && semanticModel.GetTypeInfo(lambda, cancellationToken).ConvertedType is INamedTypeSymbol converted
                    && IsExpressionType(converted))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsExpressionType(INamedTypeSymbol type)
        {
            for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
            {
                if (current.ContainingNamespace?.ToDisplayString() == "System.Linq.Expressions"
                    && current.MetadataName is "Expression`1" or "LambdaExpression")
                {
                    return true;
                }
            }

            return false;
        }

        internal static string MethodKey(IMethodSymbol method) =>
            method.OriginalDefinition.GetDocumentationCommentId() ?? method.OriginalDefinition.ToDisplayString();

        internal static string DispatchKey(IMethodSymbol method) => method.ToDisplayString(DispatchKeyFormat);

        /// <summary>
        /// The interface and base methods whose calls reach <paramref name="method"/> by dispatch: the methods it overrides,
        /// and the interface methods it implements. A dispatch interceptor tests the receiver for the model type.
        /// </summary>
        private static IEnumerable<string> DispatchKeys(IMethodSymbol method)
        {
            INamedTypeSymbol type = method.ContainingType;
            if (method.IsStatic || method.IsGenericMethod || type.IsValueType || type.IsGenericType || ModelRules.IsPartialMode(method)
                || ModelRules.NeedsUnsafeAccessor(method) || method.MethodKind != MethodKind.Ordinary)
            {
                return Array.Empty<string>();
            }

            var keys = new SortedSet<string>(StringComparer.Ordinal);
            for (IMethodSymbol? overridden = method.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
            {
                keys.Add(DispatchKey(overridden));
            }

            foreach (INamedTypeSymbol @interface in type.AllInterfaces)
            {
                foreach (IMethodSymbol member in @interface.GetMembers(method.Name).OfType<IMethodSymbol>())
                {
                    if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), method))
                    {
                        keys.Add(DispatchKey(member));
                    }
                }
            }

            return keys;
        }

        private static TypeSpec ParseType(INamedTypeSymbol type)
        {
            List<INamedTypeSymbol> chain = ModelRules.ContainersAndSelf(type);
            var containers = chain.Select(t => new ContainingTypeSpec(
                TypeKeyword(t),
                Escape(t.Name),
                t.TypeParameters.Length == 0 ? string.Empty : "<" + string.Join(", ", t.TypeParameters.Select(p => Escape(p.Name))) + ">")).ToEquatableArray();

            ITypeParameterSymbol[] typeParameters = chain.SelectMany(t => t.TypeParameters).ToArray();
            string ns = type.ContainingNamespace is { IsGlobalNamespace: false } containingNamespace ? containingNamespace.ToDisplayString() : string.Empty;
            string metadataName = string.Join("+", chain.Select(t => t.MetadataName));
            if (ns.Length > 0)
            {
                metadataName = ns + "." + metadataName;
            }

            int depth = 0;
            for (INamedTypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
            {
                depth++;
            }

            return new TypeSpec(
                type.ToDisplayString(NonNullableTypeFormat),
                metadataName,
                ns.Length == 0 ? null : ns,
                containers,
                typeParameters.Select(p => Escape(p.Name)).ToEquatableArray(),
                typeParameters.Select(Constraints).Where(c => c.Length > 0).ToEquatableArray(),
                type.IsValueType,
                typeParameters.Length > 0,
                depth);
        }

        private static string TypeKeyword(INamedTypeSymbol type) => (type.IsRecord, type.TypeKind) switch
        {
            (true, TypeKind.Struct) => "record struct",
            (true, _) => "record",
            (false, TypeKind.Struct) => "struct",
            (false, TypeKind.Interface) => "interface",
            _ => "class",
        };

        private static string Constraints(ITypeParameterSymbol parameter)
        {
            var parts = new List<string>();
            if (parameter.HasReferenceTypeConstraint)
            {
                parts.Add(parameter.ReferenceTypeConstraintNullableAnnotation == NullableAnnotation.Annotated ? "class?" : "class");
            }
            else if (parameter.HasUnmanagedTypeConstraint)
            {
                parts.Add("unmanaged");
            }
            else if (parameter.HasValueTypeConstraint)
            {
                parts.Add("struct");
            }
            else if (parameter.HasNotNullConstraint)
            {
                parts.Add("notnull");
            }

            parts.AddRange(parameter.ConstraintTypes.Select(t => t.ToDisplayString(TypeFormat)));
            if (parameter.HasConstructorConstraint && !parameter.HasValueTypeConstraint)
            {
                parts.Add("new()");
            }

            if (parameter.AllowsRefLikeType)
            {
                parts.Add("allows ref struct");
            }

            return parts.Count == 0 ? string.Empty : "where " + Escape(parameter.Name) + " : " + string.Join(", ", parts);
        }

        internal static MethodSpec ParseMethod(IMethodSymbol method, CapturePlan plan, bool nullableEnabled)
        {
            var parameters = method.Parameters.Select(p => ParseParameter(p, plan.ReadsParameter(p.Ordinal))).ToEquatableArray();
            var features = new List<FeatureSpec>();
            int numbers = 0;
            int labels = 0;
            foreach (CapturedValue feature in plan.Features)
            {
                int slot = feature.Storage == ValueStorage.Number ? numbers++ : labels++;
                features.Add(ParseFeature(feature, slot));
            }

            string? batchCount = plan.BatchParameterIndex < 0 ? null : CountMember(method.Parameters[plan.BatchParameterIndex].Type);
            string? resultType = plan.ReturnKind == ReturnKind.AsyncEnumerable
                ? ((INamedTypeSymbol)method.ReturnType).TypeArguments[0].ToDisplayString(TypeFormat)
                : plan.ResultType?.ToDisplayString(TypeFormat);
            var names = method.Parameters.Select(p => p.Name)
                .Concat(method.TypeParameters.Select(p => p.Name))
                .Concat(ModelRules.ContainersAndSelf(method.ContainingType).SelectMany(t => t.TypeParameters).Select(p => p.Name));

            return new MethodSpec(
                MethodKey(method),
                method.Name,
                Index: 0,
                method.IsStatic,
                method.IsExtensionMethod,
                ModelRules.IsPartialMode(method),
                PartialModifiers(method),
                nullableEnabled,
                method.ReturnType.ToDisplayString(TypeFormat),
                method.ReturnsByRefReadonly ? ReturnRefKind.RefReadOnly : method.ReturnsByRef ? ReturnRefKind.Ref : ReturnRefKind.None,
                plan.ReturnKind,
                resultType,
                plan.Predictions.Length > 0,
                method.TypeParameters.Select(p => Escape(p.Name)).ToEquatableArray(),
                method.TypeParameters.Select(Constraints).Where(c => c.Length > 0).ToEquatableArray(),
                parameters,
                features.ToEquatableArray(),
                plan.BatchParameterIndex,
                batchCount,
                plan.BatchItemType?.ToDisplayString(TypeFormat),
                plan.ResultItemType is not null,
                plan.ResultItemType is not null && plan.ResultType is not null ? CountMember(plan.ResultType) : null,
                plan.ResultItemType?.ToDisplayString(TypeFormat),
                ModelRules.NeedsUnsafeAccessor(method) && !ModelRules.IsPartialMode(method) ? InvocationKind.UnsafeAccessor : InvocationKind.Direct,
                DispatchKeys(method).ToEquatableArray(),
                plan.Skipped.Select(s => new SkippedSpec(s.Name, s.Reason, s.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat))).ToEquatableArray(),
                Prefix(names),
                plan.Key is { } key ? ParseKey(key) : null);
        }

        private static KeySpec ParseKey(CapturedKey key) => new(
            Naming.ToSnakeCase(key.Member.Name),
            key.Origin,
            Escape(key.Parameter.Name),
            key.Member is IPropertySymbol property ? Escape(property.Name) : null,
            key.Conversion,
            key.ReadThroughNullable);

        private static FeatureSpec ParseFeature(CapturedValue feature, int slot)
        {
            ITypeSymbol valueType = feature.ValueType;
            bool isEnum = feature.Conversion == ValueConversion.Enum;
            int drift = feature.DriftMethod;
            return new FeatureSpec(
                feature.Name,
                feature.Kind,
                feature.Storage,
                slot,
                feature.Origin,
                feature.Parameter is null ? null : Escape(feature.Parameter.Name),
                feature.Member is IPropertySymbol property ? Escape(property.Name) : null,
                feature.Conversion,
                feature.MayBeNull,
                feature.ReadThroughNullable,
                valueType.ToDisplayString(NonNullableTypeFormat).Replace("global::", string.Empty),
                feature.IsSensitive,
                feature.MaxCategories,
                (DriftMethodSpec)drift,
                feature.DriftThreshold,
                isEnum ? valueType.ToDisplayString(NonNullableTypeFormat) : null,
                isEnum ? EnumMembers(valueType) : EquatableArray<string>.Empty,
                feature.IsSegment,
                feature.IsPredictionScore,
                feature.PositiveLabel);
        }

        private static ParameterSpec ParseParameter(IParameterSymbol parameter, bool captured) => new(
            Escape(parameter.Name),
            parameter.Type.ToDisplayString(TypeFormat),
            parameter.RefKind switch
            {
                RefKind.Ref => ParameterRefKind.Ref,
                RefKind.Out => ParameterRefKind.Out,
                RefKind.In => ParameterRefKind.In,
                RefKind.RefReadOnlyParameter => ParameterRefKind.RefReadOnly,
                _ => ParameterRefKind.None,
            },
            parameter.IsParams,
            parameter.ScopedKind != ScopedKind.None && !parameter.IsThis && parameter.RefKind != RefKind.Out,
            captured);

        /// <summary>The definition's modifiers except <c>partial</c>, which the implementation repeats (CS8800).</summary>
        private static EquatableArray<string> PartialModifiers(IMethodSymbol method)
        {
            if (!ModelRules.IsPartialMode(method))
            {
                return EquatableArray<string>.Empty;
            }

            return method.DeclaringSyntaxReferences
                .Select(r => r.GetSyntax())
                .OfType<MethodDeclarationSyntax>()
                .Where(d => d.Body is null && d.ExpressionBody is null)
                .Select(d => d.Modifiers.Where(m => !m.IsKind(SyntaxKind.PartialKeyword)).Select(m => m.Text).ToEquatableArray())
                .FirstOrDefault();
        }

        private static string CountMember(ITypeSymbol type) => type is IArrayTypeSymbol ? "Length" : "Count";

        // One name per distinct value, so that the generated switch has no duplicate cases.
        private static EquatableArray<string> EnumMembers(ITypeSymbol enumType)
        {
            var seen = new HashSet<object>();
            return enumType.GetMembers().OfType<IFieldSymbol>()
                .Where(f => f.HasConstantValue && f.ConstantValue is not null && !Symbols.IsObsoleteError(f) && seen.Add(f.ConstantValue))
                .Select(f => f.Name)
                .ToEquatableArray();
        }

        /// <summary>
        /// The start of every generated local and parameter name in a method's wrapper: <c>monitoring</c>, followed by as many
        /// underscores as it takes for no user name in scope to start with it. A generated name can then never be a user's.
        /// </summary>
        internal static string Prefix(IEnumerable<string> userNames)
        {
            string[] names = userNames.ToArray();
            string prefix = "monitoring";
            while (names.Any(n => n.StartsWith(prefix, StringComparison.Ordinal)))
            {
                prefix += "_";
            }

            return prefix;
        }

        internal static string Escape(string name) =>
            SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) is SyntaxKind.VarKeyword
                ? "@" + name
                : name;
    }
}
