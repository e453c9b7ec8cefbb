using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ModelMonitoring.Generators
{
    /// <summary>Turns symbols into specs. Nothing it returns holds a symbol or a syntax node.</summary>
    internal static class Parser
    {
        internal const string MonitoredModelAttribute = "ModelMonitoring.MonitoredModelAttribute";
        internal const string DriftTrackedAttribute = "ModelMonitoring.DriftTrackedAttribute";
        private const string FeatureAttribute = "ModelMonitoring.FeatureAttribute";
        private const string IgnoreFeatureAttribute = "ModelMonitoring.IgnoreFeatureAttribute";
        private const string SensitiveAttribute = "ModelMonitoring.SensitiveAttribute";

        private const int KindAuto = 0;
        private const int KindNumerical = 1;
        private const int KindCategorical = 2;

        private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        private static readonly SymbolDisplayFormat NonNullableTypeFormat = SymbolDisplayFormat.FullyQualifiedFormat;

        /// <summary>A tracked method together with its model, before grouping by model.</summary>
        internal sealed record TrackedMethod(string ModelKey, ModelSpec Model, MethodSpec Method);

        public static TrackedMethod? ParseTrackedMethod(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not IMethodSymbol method || method.ContainingType is not INamedTypeSymbol type)
            {
                return null;
            }

            AttributeData? modelAttribute = type.GetAttributes()
                .FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == MonitoredModelAttribute);
            if (modelAttribute is null || !IsReachableFromGeneratedCode(type) || method.MethodKind != MethodKind.Ordinary || method.IsGenericMethod)
            {
                // Reported by the analyzer (MMON002 and friends); nothing to generate.
                return null;
            }

            cancellationToken.ThrowIfCancellationRequested();

            string modelName = modelAttribute.ConstructorArguments.Length > 0 && modelAttribute.ConstructorArguments[0].Value is string n ? n : KebabCase(type.Name);
            string? owner = NamedString(modelAttribute, "Owner");
            string? squad = NamedString(modelAttribute, "Squad");
            string? version = NamedString(modelAttribute, "Version");

            TypeSpec typeSpec = ParseType(type);
            MethodSpec methodSpec = ParseMethod(method, index: 0);
            var model = new ModelSpec(modelName, owner, squad, version, typeSpec, EquatableArray<MethodSpec>.Empty);
            return new TrackedMethod(typeSpec.MetadataName, model, methodSpec);
        }

        /// <summary>Groups tracked methods by model, numbering each model's methods in a stable order.</summary>
        public static EquatableArray<ModelSpec> GroupByModel(IEnumerable<TrackedMethod> methods)
        {
            var models = new List<ModelSpec>();
            foreach (IGrouping<string, TrackedMethod> group in methods.GroupBy(m => m.ModelKey).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                ModelSpec first = group.First().Model;
                MethodSpec[] ordered = group.Select(m => m.Method).OrderBy(m => m.Key, StringComparer.Ordinal).ToArray();
                var numbered = ordered.Select((m, i) => m with { Index = i }).ToEquatableArray();
                models.Add(first with { Methods = numbered });
            }

            return models.ToEquatableArray();
        }

        public static CallSiteSpec? ParseCallSite(GeneratorSyntaxContext context, CancellationToken cancellationToken)
        {
            var invocation = (InvocationExpressionSyntax)context.Node;
            if (context.SemanticModel.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol target)
            {
                return null;
            }

            IMethodSymbol definition = target.ReducedFrom ?? target.OriginalDefinition;
            if (definition.IsPartialDefinition || definition.PartialDefinitionPart is not null || definition.MethodKind != MethodKind.Ordinary || definition.IsGenericMethod)
            {
                return null; // partial mode wraps itself; generic methods are not supported
            }

            if (!definition.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == DriftTrackedAttribute))
            {
                return null;
            }

            INamedTypeSymbol type = definition.ContainingType;
            if (!type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == MonitoredModelAttribute) || !IsReachableFromGeneratedCode(type) || type.IsValueType)
            {
                return null;
            }

            if (invocation.Expression is MemberAccessExpressionSyntax { Expression: BaseExpressionSyntax })
            {
                return null; // base.Predict() cannot be replaced by a static call
            }

            InterceptableLocation? location = context.SemanticModel.GetInterceptableLocation(invocation, cancellationToken);
            if (location is null)
            {
                return null;
            }

            return new CallSiteSpec(MethodKey(definition), location.Version, location.Data, location.GetDisplayLocation());
        }

        public static bool IsCandidateInvocation(SyntaxNode node, CancellationToken cancellationToken) =>
            node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax or IdentifierNameSyntax or GenericNameSyntax };

        internal static string MethodKey(IMethodSymbol method) =>
            method.OriginalDefinition.GetDocumentationCommentId() ?? method.OriginalDefinition.ToDisplayString();

        private static TypeSpec ParseType(INamedTypeSymbol type)
        {
            var chain = new List<INamedTypeSymbol>();
            for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
            {
                chain.Insert(0, current);
            }

            var containers = chain.Select(t => new ContainingTypeSpec(
                TypeKeyword(t),
                t.Name,
                t.TypeParameters.Length == 0 ? string.Empty : "<" + string.Join(", ", t.TypeParameters.Select(p => p.Name)) + ">")).ToEquatableArray();

            ITypeParameterSymbol[] typeParameters = chain.SelectMany(t => t.TypeParameters).ToArray();
            string ns = type.ContainingNamespace is { IsGlobalNamespace: false } containingNamespace ? containingNamespace.ToDisplayString() : string.Empty;
            string metadataName = string.Join(".", chain.Select(t => t.MetadataName));
            if (ns.Length > 0)
            {
                metadataName = ns + "." + metadataName;
            }

            return new TypeSpec(
                type.ToDisplayString(NonNullableTypeFormat),
                metadataName,
                ns.Length == 0 ? null : ns,
                containers,
                typeParameters.Select(p => p.Name).ToEquatableArray(),
                string.Concat(typeParameters.Select(Constraints)),
                type.IsValueType);
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
                parts.Add("class");
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

            return parts.Count == 0 ? string.Empty : " where " + parameter.Name + " : " + string.Join(", ", parts);
        }

        private static MethodSpec ParseMethod(IMethodSymbol method, int index)
        {
            (ReturnShape shape, ITypeSymbol? resultType) = ReturnShapeOf(method.ReturnType);
            var features = new FeatureCollector();

            // Which parameter, if any, is a batch of complex inputs.
            int batchIndex = -1;
            string? batchCountMember = null;
            ITypeSymbol? batchItemType = null;
            for (int i = 0; i < method.Parameters.Length && batchIndex < 0; i++)
            {
                IParameterSymbol parameter = method.Parameters[i];
                if (parameter.RefKind is RefKind.None or RefKind.In
                    && !HasAttribute(parameter, IgnoreFeatureAttribute)
                    && TryGetBatchItem(parameter.Type, out ITypeSymbol? item, out string? countMember)
                    && IsComplex(item!))
                {
                    batchIndex = i;
                    batchCountMember = countMember;
                    batchItemType = item;
                }
            }

            var parameters = new List<ParameterSpec>();
            for (int i = 0; i < method.Parameters.Length; i++)
            {
                IParameterSymbol parameter = method.Parameters[i];
                bool captured = false;
                if (parameter.RefKind is RefKind.None or RefKind.In && !HasAttribute(parameter, IgnoreFeatureAttribute) && !ContainsTypeParameter(parameter.Type))
                {
                    if (i == batchIndex)
                    {
                        captured = features.AddComplex("monitoringItem", batchItemType!, prefix: string.Empty, FeatureSource.Input, allowConditional: true) > 0;
                    }
                    else if (IsFeatureType(parameter.Type))
                    {
                        captured = features.AddScalar(parameter.Name, parameter.Type, EscapeIdentifier(parameter.Name), parameter, FeatureSource.Input, conditionalAccess: false);
                    }
                    else if (IsComplex(parameter.Type))
                    {
                        captured = features.AddComplex(EscapeIdentifier(parameter.Name), parameter.Type, prefix: string.Empty, FeatureSource.Input, allowConditional: true) > 0;
                    }
                }

                parameters.Add(new ParameterSpec(
                    EscapeIdentifier(parameter.Name),
                    parameter.Type.ToDisplayString(TypeFormat),
                    RefKindText(parameter.RefKind),
                    parameter.IsParams,
                    captured,
                    parameter.Type.IsReferenceType || IsNullableValueType(parameter.Type),
                    i == batchIndex ? batchItemType!.ToDisplayString(TypeFormat) : null));
            }

            // The prediction.
            bool resultIsBatch = false;
            string? resultCountMember = null;
            bool resultCaptured = false;
            if (resultType is not null && !ContainsTypeParameter(resultType))
            {
                if (batchIndex >= 0 && TryGetBatchItem(resultType, out ITypeSymbol? resultItem, out resultCountMember))
                {
                    resultIsBatch = true;
                    resultCaptured = AddPrediction(features, resultItem!, "monitoringPrediction");
                }
                else
                {
                    resultCaptured = AddPrediction(features, resultType, "monitoringResult");
                }
            }

            return new MethodSpec(
                MethodKey(method),
                method.Name,
                index,
                method.IsStatic,
                method.IsPartialDefinition,
                AccessibilityText(method.DeclaredAccessibility),
                method.ReturnType.ToDisplayString(TypeFormat),
                shape,
                resultType?.ToDisplayString(TypeFormat),
                parameters.ToEquatableArray(),
                features.Features.ToEquatableArray(),
                batchIndex,
                batchCountMember,
                resultIsBatch,
                resultCountMember,
                resultCaptured);
        }

        private static bool AddPrediction(FeatureCollector features, ITypeSymbol type, string variable)
        {
            if (IsFeatureType(type))
            {
                return features.AddScalar("prediction", type, variable, attributeSource: null, FeatureSource.Prediction, conditionalAccess: false, nameIsFinal: true);
            }

            return IsComplex(type) && features.AddComplex(variable, type, prefix: "prediction.", FeatureSource.Prediction, allowConditional: true) > 0;
        }

        private sealed class FeatureCollector
        {
            private int _numberSlots;
            private int _labelSlots;
            private readonly HashSet<string> _names = new(StringComparer.Ordinal);

            public List<FeatureSpec> Features { get; } = new();

            public int AddComplex(string variable, ITypeSymbol type, string prefix, FeatureSource source, bool allowConditional)
            {
                bool conditional = allowConditional && (type.IsReferenceType || IsNullableValueType(type));
                ITypeSymbol declaring = UnwrapNullable(type);
                int added = 0;
                foreach (IPropertySymbol property in ReadableProperties(declaring))
                {
                    if (HasAttribute(property, IgnoreFeatureAttribute) || RecordParameterHasAttribute(property, IgnoreFeatureAttribute) || !IsFeatureType(property.Type))
                    {
                        continue;
                    }

                    string access = variable + (conditional ? "?." : ".") + EscapeIdentifier(property.Name);
                    if (AddScalar(prefix + FeatureName(property.Name, property), property.Type, access, property, source, conditional, nameIsFinal: true))
                    {
                        added++;
                    }
                }

                return added;
            }

            public bool AddScalar(string name, ITypeSymbol type, string access, ISymbol? attributeSource, FeatureSource source, bool conditionalAccess, bool nameIsFinal = false)
            {
                AttributeData? feature = attributeSource is null ? null : FindAttribute(attributeSource, FeatureAttribute);
                string finalName = nameIsFinal ? name : FeatureName(name, attributeSource);
                if (!_names.Add(finalName))
                {
                    return false; // duplicate names are reported by the analyzer; the first one wins
                }

                bool sensitive = attributeSource is not null && (HasAttribute(attributeSource, SensitiveAttribute) || RecordParameterHasAttribute(attributeSource, SensitiveAttribute));
                ITypeSymbol valueType = UnwrapNullable(type);
                bool nullable = conditionalAccess || IsNullableValueType(type) || type.IsReferenceType;
                int declaredKind = NamedInt(feature, "Kind") ?? KindAuto;
                int naturalKind = IsNumericType(valueType) || IsTimeType(valueType) ? KindNumerical : KindCategorical;
                int kind = declaredKind == KindAuto || (declaredKind == KindNumerical && naturalKind == KindCategorical) ? naturalKind : declaredKind;

                FeatureStorage storage;
                string conversion;
                string? enumType = null;
                if (sensitive)
                {
                    storage = FeatureStorage.Label;
                    kind = KindCategorical;
                    conversion = "presence";
                }
                else if (IsNumericType(valueType))
                {
                    storage = FeatureStorage.Number;
                    conversion = nullable ? "nullable-number" : "number";
                }
                else if (IsTimeType(valueType))
                {
                    storage = FeatureStorage.Number;
                    conversion = "time";
                }
                else if (valueType.TypeKind == TypeKind.Enum)
                {
                    storage = FeatureStorage.Label;
                    conversion = "enum";
                    enumType = valueType.ToDisplayString(NonNullableTypeFormat);
                }
                else if (valueType.SpecialType == SpecialType.System_String)
                {
                    storage = FeatureStorage.Label;
                    conversion = "string";
                }
                else
                {
                    storage = FeatureStorage.Label;
                    conversion = "label"; // bool, char
                }

                int slot = storage == FeatureStorage.Number ? _numberSlots++ : _labelSlots++;
                Features.Add(new FeatureSpec(
                    finalName,
                    kind,
                    storage,
                    slot,
                    source,
                    access,
                    conversion,
                    valueType.ToDisplayString(NonNullableTypeFormat),
                    sensitive,
                    NamedInt(feature, "MaxCategories") ?? 0,
                    NamedInt(feature, "DriftMethod") ?? 0,
                    NamedDouble(feature, "DriftThreshold") ?? double.NaN,
                    enumType,
                    enumType is null ? EquatableArray<string>.Empty : EnumMembers(valueType)));
                return true;
            }
        }

        // One name per distinct value, so that the generated switch has no duplicate cases.
        private static EquatableArray<string> EnumMembers(ITypeSymbol enumType)
        {
            var seen = new HashSet<object>();
            return enumType.GetMembers().OfType<IFieldSymbol>()
                .Where(f => f.HasConstantValue && f.ConstantValue is not null && seen.Add(f.ConstantValue))
                .Select(f => f.Name)
                .ToEquatableArray();
        }

        private static IEnumerable<IPropertySymbol> ReadableProperties(ITypeSymbol type)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (ITypeSymbol? current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            {
                foreach (ISymbol member in current.GetMembers())
                {
                    if (member is IPropertySymbol { IsStatic: false, IsIndexer: false, DeclaredAccessibility: Accessibility.Public, GetMethod: { DeclaredAccessibility: Accessibility.Public } } property
                        && property.Name != "EqualityContract"
                        && seen.Add(property.Name))
                    {
                        yield return property;
                    }
                }
            }
        }

        private static string FeatureName(string memberName, ISymbol? source)
        {
            AttributeData? feature = source is null ? null : FindAttribute(source, FeatureAttribute);
            return NamedString(feature, "Name") ?? SnakeCase(memberName);
        }

        private static AttributeData? FindAttribute(ISymbol symbol, string metadataName)
        {
            AttributeData? direct = symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == metadataName);
            if (direct is not null || symbol is not IPropertySymbol property)
            {
                return direct;
            }

            return RecordParameter(property)?.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == metadataName);
        }

        private static bool HasAttribute(ISymbol symbol, string metadataName) =>
            symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == metadataName);

        private static bool RecordParameterHasAttribute(ISymbol symbol, string metadataName) =>
            symbol is IPropertySymbol property && RecordParameter(property) is { } parameter && HasAttribute(parameter, metadataName);

        // A positional record's property can carry its attributes on the primary constructor parameter.
        private static IParameterSymbol? RecordParameter(IPropertySymbol property)
        {
            if (property.ContainingType is not { IsRecord: true } record)
            {
                return null;
            }

            return record.InstanceConstructors
                .SelectMany(c => c.Parameters)
                .FirstOrDefault(p => p.Name == property.Name && SymbolEqualityComparer.Default.Equals(p.Type, property.Type));
        }

        private static (ReturnShape Shape, ITypeSymbol? Result) ReturnShapeOf(ITypeSymbol returnType)
        {
            if (returnType.SpecialType == SpecialType.System_Void)
            {
                return (ReturnShape.Void, null);
            }

            if (returnType is INamedTypeSymbol named && named.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks")
            {
                switch (named.MetadataName)
                {
                    case "Task":
                        return (ReturnShape.Task, null);
                    case "ValueTask":
                        return (ReturnShape.ValueTask, null);
                    case "Task`1":
                        return (ReturnShape.TaskOfResult, named.TypeArguments[0]);
                    case "ValueTask`1":
                        return (ReturnShape.ValueTaskOfResult, named.TypeArguments[0]);
                }
            }

            return (ReturnShape.Value, returnType);
        }

        private static bool TryGetBatchItem(ITypeSymbol type, out ITypeSymbol? item, out string? countMember)
        {
            if (type is IArrayTypeSymbol { Rank: 1 } array)
            {
                item = array.ElementType;
                countMember = "Length";
                return true;
            }

            if (type is INamedTypeSymbol { IsGenericType: true } named)
            {
                string definition = named.ConstructedFrom.ToDisplayString();
                if (definition is "System.Collections.Generic.IReadOnlyList<T>" or "System.Collections.Generic.IList<T>" or "System.Collections.Generic.List<T>")
                {
                    item = named.TypeArguments[0];
                    countMember = "Count";
                    return true;
                }
            }

            item = null;
            countMember = null;
            return false;
        }

        /// <summary>A class, record or struct whose properties become features (not a feature type, not a collection).</summary>
        private static bool IsComplex(ITypeSymbol type)
        {
            ITypeSymbol unwrapped = UnwrapNullable(type);
            if (IsFeatureType(unwrapped) || unwrapped.SpecialType != SpecialType.None || ContainsTypeParameter(unwrapped))
            {
                return false;
            }

            if (unwrapped.TypeKind is not (TypeKind.Class or TypeKind.Struct) || unwrapped is IArrayTypeSymbol)
            {
                return false;
            }

            // Framework types (Stream, CancellationToken, HttpContext...) are plumbing, not inputs: reading their
            // properties captures nothing useful and can throw (Stream.Length on a stream that cannot seek).
            string? rootNamespace = RootNamespace(unwrapped);
            if (rootNamespace is "System" or "Microsoft")
            {
                return false;
            }

            if (unwrapped.AllInterfaces.Any(i => i.ToDisplayString() == "System.Collections.IEnumerable"))
            {
                return false;
            }

            return ReadableProperties(unwrapped).Any(p => IsFeatureType(p.Type));
        }

        private static string? RootNamespace(ITypeSymbol type)
        {
            INamespaceSymbol? ns = type.ContainingNamespace;
            while (ns is { IsGlobalNamespace: false, ContainingNamespace.IsGlobalNamespace: false })
            {
                ns = ns.ContainingNamespace;
            }

            return ns is { IsGlobalNamespace: false } ? ns.Name : null;
        }

        private static bool IsFeatureType(ITypeSymbol type)
        {
            ITypeSymbol unwrapped = UnwrapNullable(type);
            return IsNumericType(unwrapped) || IsTimeType(unwrapped) || unwrapped.TypeKind == TypeKind.Enum
                || unwrapped.SpecialType is SpecialType.System_String or SpecialType.System_Boolean or SpecialType.System_Char;
        }

        private static bool IsNumericType(ITypeSymbol type) => type.SpecialType is
            SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16 or
            SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64 or
            SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Decimal;

        private static bool IsTimeType(ITypeSymbol type) =>
            type.SpecialType == SpecialType.System_DateTime || type.ToDisplayString() is "System.DateTimeOffset" or "System.TimeSpan";

        private static bool IsNullableValueType(ITypeSymbol type) =>
            type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T };

        private static ITypeSymbol UnwrapNullable(ITypeSymbol type) =>
            IsNullableValueType(type) ? ((INamedTypeSymbol)type).TypeArguments[0] : type;

        private static bool ContainsTypeParameter(ITypeSymbol type) => type switch
        {
            ITypeParameterSymbol => true,
            IArrayTypeSymbol array => ContainsTypeParameter(array.ElementType),
            INamedTypeSymbol named => named.TypeArguments.Any(ContainsTypeParameter) || (named.ContainingType is { } containing && ContainsTypeParameter(containing)),
            _ => false,
        };

        private static bool IsReachableFromGeneratedCode(INamedTypeSymbol type)
        {
            for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
            {
                if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
                {
                    return false;
                }
            }

            return true;
        }

        private static string RefKindText(RefKind refKind) => refKind switch
        {
            RefKind.Ref => "ref ",
            RefKind.Out => "out ",
            RefKind.In => "in ",
            (RefKind)4 => "ref readonly ", // RefKind.RefReadOnlyParameter
            _ => string.Empty,
        };

        private static string AccessibilityText(Accessibility accessibility) => accessibility switch
        {
            Accessibility.Public => "public",
            Accessibility.Internal => "internal",
            Accessibility.Private => "private",
            Accessibility.Protected => "protected",
            Accessibility.ProtectedOrInternal => "protected internal",
            Accessibility.ProtectedAndInternal => "private protected",
            _ => string.Empty,
        };

        private static string? NamedString(AttributeData? attribute, string name) =>
            attribute?.NamedArguments.FirstOrDefault(a => a.Key == name).Value.Value as string;

        private static int? NamedInt(AttributeData? attribute, string name) =>
            attribute?.NamedArguments.FirstOrDefault(a => a.Key == name).Value.Value is int value ? value : null;

        private static double? NamedDouble(AttributeData? attribute, string name) =>
            attribute?.NamedArguments.FirstOrDefault(a => a.Key == name).Value.Value is double value ? value : null;

        internal static string EscapeIdentifier(string name) =>
            SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

        /// <summary><c>CustomerEmail</c> becomes <c>customer_email</c>; <c>HTTPCode</c> becomes <c>http_code</c>.</summary>
        internal static string SnakeCase(string name) => SeparateWords(name, '_');

        /// <summary><c>PricingModel</c> becomes <c>pricing-model</c>.</summary>
        internal static string KebabCase(string name) => SeparateWords(name, '-');

        private static string SeparateWords(string name, char separator)
        {
            var builder = new StringBuilder(name.Length + 8);
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (char.IsUpper(c))
                {
                    bool previousIsLowerOrDigit = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                    bool endOfAcronym = i > 0 && char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1]);
                    if ((previousIsLowerOrDigit || endOfAcronym) && builder.Length > 0 && builder[builder.Length - 1] != separator)
                    {
                        builder.Append(separator);
                    }

                    builder.Append(char.ToLower(c, CultureInfo.InvariantCulture));
                }
                else if (c == '_' || c == '-')
                {
                    if (builder.Length > 0 && builder[builder.Length - 1] != separator)
                    {
                        builder.Append(separator);
                    }
                }
                else
                {
                    builder.Append(c);
                }
            }

            return builder.ToString();
        }
    }
}
