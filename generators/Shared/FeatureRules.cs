using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ModelMonitoring.SourceModel;

// Shared source: compiled into both ModelMonitoring.Generators and ModelMonitoring.Analyzers. What is captured from a
// [DriftTracked] method is decided here and only here: the generator emits code for exactly these features, and the
// analyzer's diagnostics (MMON003, MMON004, MMON006, MMON007, MMON011) talk about exactly these features.

/// <summary>How a feature is compared: the values of <c>ModelMonitoring.FeatureKind</c>.</summary>
internal enum ValueKind
{
    Numerical = 1,
    Categorical = 2,
}

/// <summary>How a captured value is stored in a recording row: the values of <c>ModelMonitoring.Runtime.FeatureStorage</c>.</summary>
internal enum ValueStorage
{
    Number = 0,
    Label = 1,
}

/// <summary>How a value of the member's type becomes a number or a label.</summary>
internal enum ValueConversion
{
    /// <summary>A numeric type, converted to <c>double</c>.</summary>
    Number,

    /// <summary><c>DateTime</c>, <c>DateTimeOffset</c> (seconds since the Unix epoch) or <c>TimeSpan</c> (seconds).</summary>
    Time,

    /// <summary><c>DateOnly</c>: seconds since the Unix epoch at midnight UTC.</summary>
    DateOnly,

    /// <summary><c>TimeOnly</c>: seconds since midnight.</summary>
    TimeOnly,

    /// <summary>An enum: the member's name, from a generated table.</summary>
    Enum,

    /// <summary>A string, as it is.</summary>
    String,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Bool,

    /// <summary>The character.</summary>
    Char,

    /// <summary>A <c>[Sensitive]</c> value: only whether it is present.</summary>
    Presence,
}

/// <summary>Where a feature's value is read.</summary>
internal enum ValueOrigin
{
    /// <summary>A parameter of a feature type.</summary>
    Parameter,

    /// <summary>A property of a request parameter.</summary>
    ParameterProperty,

    /// <summary>A property of each item of the batch parameter.</summary>
    BatchItemProperty,

    /// <summary>The returned value, of a feature type.</summary>
    Result,

    /// <summary>A property of the returned value.</summary>
    ResultProperty,

    /// <summary>Each item of a returned batch, of a feature type.</summary>
    ResultItem,

    /// <summary>A property of each item of a returned batch.</summary>
    ResultItemProperty,
}

/// <summary>Why a member that could have been a feature is not captured.</summary>
internal enum SkipReason
{
    /// <summary><c>[IgnoreFeature]</c>.</summary>
    Ignored,

    /// <summary>Its type is not a feature type (a <c>Guid</c>, a nested object, a collection...).</summary>
    UnsupportedType,

    /// <summary><c>[Obsolete(..., error: true)]</c>: reading it would not compile.</summary>
    ObsoleteError,

    /// <summary>Another feature of the method has the same name; the first one is kept.</summary>
    DuplicateName,

    /// <summary>A <c>[PredictionKey]</c> that is not read: a second key of the method, a batch item's, or one of a type a key cannot have.</summary>
    KeyNotRead,
}

/// <summary>How a <c>[PredictionKey]</c> value becomes a <c>ModelMonitoring.PredictionKey</c>.</summary>
internal enum KeyConversion
{
    /// <summary>A string.</summary>
    Text,

    /// <summary>A signed integer, or an unsigned one of at most 32 bits: a 64-bit integer key.</summary>
    Integer,

    /// <summary>A <c>ulong</c> or <c>nuint</c>: the 64-bit integer of the same bits.</summary>
    UnsignedInteger,

    /// <summary>A <c>Guid</c>.</summary>
    Guid,
}

/// <summary>The <c>[PredictionKey]</c> of a method: where it is read and how it is converted.</summary>
internal sealed class CapturedKey
{
    public CapturedKey(ISymbol member, IParameterSymbol parameter, ITypeSymbol declaredType, ValueOrigin origin, KeyConversion conversion, bool readThroughNullable)
    {
        Member = member;
        Parameter = parameter;
        DeclaredType = declaredType;
        Origin = origin;
        Conversion = conversion;
        ReadThroughNullable = readThroughNullable;
    }

    /// <summary>The parameter or property the key is read from.</summary>
    public ISymbol Member { get; }

    /// <summary>The method's parameter the key comes from.</summary>
    public IParameterSymbol Parameter { get; }

    public ITypeSymbol DeclaredType { get; }

    /// <summary><see cref="ValueOrigin.Parameter"/> or <see cref="ValueOrigin.ParameterProperty"/>.</summary>
    public ValueOrigin Origin { get; }

    public KeyConversion Conversion { get; }

    /// <summary>Whether the property is read with <c>?.</c> (the parameter can be null).</summary>
    public bool ReadThroughNullable { get; }

    /// <summary>Whether the key can be missing (a string, a nullable type, or read through a null).</summary>
    public bool MayBeNull => Conversion == KeyConversion.Text || ReadThroughNullable || Symbols.IsNullableValueType(DeclaredType);
}

/// <summary>What a <c>[DriftTracked]</c> method returns.</summary>
internal enum ReturnKind
{
    Void,
    Value,
    Task,
    TaskOfResult,
    ValueTask,
    ValueTaskOfResult,
    AsyncEnumerable,
}

/// <summary>One captured feature of a method's input or prediction.</summary>
internal sealed class CapturedValue
{
    public CapturedValue(
        string name,
        string defaultName,
        ISymbol member,
        IParameterSymbol? parameter,
        ITypeSymbol declaredType,
        ValueOrigin origin,
        ValueKind kind,
        ValueStorage storage,
        ValueConversion conversion,
        AttributeData? featureAttribute,
        bool isSensitive,
        bool isSegment = false,
        AttributeData? scoreAttribute = null)
    {
        Name = name;
        DefaultName = defaultName;
        Member = member;
        Parameter = parameter;
        DeclaredType = declaredType;
        ValueType = Symbols.UnwrapNullable(declaredType);
        Origin = origin;
        Kind = kind;
        Storage = storage;
        Conversion = conversion;
        FeatureAttribute = featureAttribute;
        IsSensitive = isSensitive;
        IsSegment = isSegment;
        ScoreAttribute = scoreAttribute;
    }

    /// <summary>The feature's name: <c>[Feature(Name = ...)]</c>, else the member in snake_case, prefixed when needed.</summary>
    public string Name { get; private set; }

    /// <summary>The name before it was prefixed to tell two features apart.</summary>
    public string DefaultName { get; }

    /// <summary>The parameter, property or method (for a returned value) the value is read from.</summary>
    public ISymbol Member { get; }

    /// <summary>The method's parameter the value comes from; null for the prediction.</summary>
    public IParameterSymbol? Parameter { get; }

    /// <summary>The member's type as declared.</summary>
    public ITypeSymbol DeclaredType { get; }

    /// <summary>The member's type without <c>Nullable&lt;&gt;</c>.</summary>
    public ITypeSymbol ValueType { get; }

    public ValueOrigin Origin { get; }

    public ValueKind Kind { get; }

    public ValueStorage Storage { get; }

    public ValueConversion Conversion { get; }

    public AttributeData? FeatureAttribute { get; }

    public bool IsSensitive { get; }

    public bool IsPrediction => Origin >= ValueOrigin.Result;

    /// <summary><c>[Segment]</c>: the value is also the row's segment (inputs of a single call only).</summary>
    public bool IsSegment { get; private set; }

    /// <summary><c>[PredictionScore]</c> on a numerical property of the prediction: the probability of the positive label.</summary>
    public AttributeData? ScoreAttribute { get; }

    public bool IsPredictionScore => ScoreAttribute is not null;

    /// <summary><c>[PredictionScore(PositiveLabel = ...)]</c>, or null.</summary>
    public string? PositiveLabel => Symbols.NamedString(ScoreAttribute, "PositiveLabel");

    internal void NotSegment() => IsSegment = false;

    public bool HasExplicitName => Symbols.NamedString(FeatureAttribute, "Name") is not null;

    public bool HasMaxCategories => Symbols.NamedArgument(FeatureAttribute, "MaxCategories") is not null;

    public int MaxCategories => Symbols.NamedInt(FeatureAttribute, "MaxCategories") ?? 0;

    public int DriftMethod => Symbols.NamedInt(FeatureAttribute, "DriftMethod") ?? 0;

    public double DriftThreshold => Symbols.NamedDouble(FeatureAttribute, "DriftThreshold") ?? double.NaN;

    /// <summary>The enum type of the <c>DriftMethod</c> argument, to name its members.</summary>
    public ITypeSymbol? DriftMethodType => Symbols.NamedArgument(FeatureAttribute, "DriftMethod")?.Type;

    /// <summary>Whether the value can be missing: a nullable type, or a property read through a reference that can be null.</summary>
    public bool MayBeNull
        => Symbols.IsNullableValueType(DeclaredType) || DeclaredType.IsReferenceType || ReadThroughNullable;

    /// <summary>Whether the value is read through a reference that can be null (<c>request?.Area</c>).</summary>
    public bool ReadThroughNullable { get; internal set; }

    /// <summary>Whether the member is a property declared in source (its diagnostics go on the property).</summary>
    public bool IsSourceProperty => Member is IPropertySymbol && Member.Locations.Any(l => l.IsInSource);

    internal void Rename(string name) => Name = name;

    public override string ToString() => Name + " (" + Kind + ", " + Conversion + ")";
}

/// <summary>A member that could have been a feature and is not captured.</summary>
internal sealed class SkippedValue
{
    public SkippedValue(string name, ISymbol member, IParameterSymbol? parameter, ITypeSymbol type, SkipReason reason, bool isPrediction, CapturedValue? keptInstead = null)
    {
        Name = name;
        Member = member;
        Parameter = parameter;
        Type = type;
        Reason = reason;
        IsPrediction = isPrediction;
        KeptInstead = keptInstead;
    }

    /// <summary>The name it would have had.</summary>
    public string Name { get; }

    public ISymbol Member { get; }

    public IParameterSymbol? Parameter { get; }

    public ITypeSymbol Type { get; }

    public SkipReason Reason { get; }

    public bool IsPrediction { get; }

    /// <summary>For <see cref="SkipReason.DuplicateName"/>, the feature that has the name.</summary>
    public CapturedValue? KeptInstead { get; }

    public override string ToString() => Name + " (" + Reason + ")";
}

/// <summary>Everything the monitoring of one <c>[DriftTracked]</c> method captures, and what it leaves out.</summary>
internal sealed class CapturePlan
{
    public CapturePlan(
        IMethodSymbol method,
        ReturnKind returnKind,
        ITypeSymbol? resultType,
        int batchParameterIndex,
        ITypeSymbol? batchItemType,
        ITypeSymbol? resultItemType,
        ImmutableArray<CapturedValue> inputs,
        ImmutableArray<CapturedValue> predictions,
        ImmutableArray<SkippedValue> skipped,
        CapturedKey? key = null)
    {
        Method = method;
        Key = key;
        ReturnKind = returnKind;
        ResultType = resultType;
        BatchParameterIndex = batchParameterIndex;
        BatchItemType = batchItemType;
        ResultItemType = resultItemType;
        Inputs = inputs;
        Predictions = predictions;
        Skipped = skipped;
    }

    public IMethodSymbol Method { get; }

    public ReturnKind ReturnKind { get; }

    /// <summary>The value a call produces: the return type, or T of <c>Task&lt;T&gt;</c>; null for void, Task and streams.</summary>
    public ITypeSymbol? ResultType { get; }

    /// <summary>The parameter whose items are a batch of requests, or -1.</summary>
    public int BatchParameterIndex { get; }

    public ITypeSymbol? BatchItemType { get; }

    /// <summary>The item type of a returned batch (a batch method returning a list), or null.</summary>
    public ITypeSymbol? ResultItemType { get; }

    /// <summary>The input features, in parameter and property order.</summary>
    public ImmutableArray<CapturedValue> Inputs { get; }

    /// <summary>The prediction's features.</summary>
    public ImmutableArray<CapturedValue> Predictions { get; }

    /// <summary>Members that are not captured, with the reason.</summary>
    public ImmutableArray<SkippedValue> Skipped { get; }

    /// <summary>The method's <c>[PredictionKey]</c>, or null.</summary>
    public CapturedKey? Key { get; }

    /// <summary>The input feature that is the row's segment (<c>[Segment]</c>), or null.</summary>
    public CapturedValue? Segment => Inputs.FirstOrDefault(f => f.IsSegment);

    public IEnumerable<CapturedValue> Features => Inputs.Concat(Predictions);

    /// <summary>Whether the parameter at <paramref name="index"/> is read to capture features.</summary>
    public bool ReadsParameter(int index)
        => Inputs.Any(f => f.Parameter is { } p && p.Ordinal == index) || Key?.Parameter.Ordinal == index;
}

/// <summary>The capture rules: which parameters, properties and results of a <c>[DriftTracked]</c> method are features.</summary>
/// <remarks>
/// <list type="bullet">
/// <item>by-value and <c>in</c> parameters whose type has no type parameter; <c>[IgnoreFeature]</c> excludes a parameter or property;</item>
/// <item>a parameter of a feature type (numbers including <c>Half</c>, <c>nint</c> and <c>decimal</c>, <c>bool</c>, enums,
/// <c>string</c>, <c>char</c>, <c>DateTime</c>, <c>DateTimeOffset</c>, <c>TimeSpan</c>, <c>DateOnly</c>, <c>TimeOnly</c>, and
/// their <c>Nullable&lt;&gt;</c>) is one feature named after the parameter;</item>
/// <item>the first <c>T[]</c>, <c>IReadOnlyList&lt;T&gt;</c>, <c>IList&lt;T&gt;</c> or <c>List&lt;T&gt;</c> parameter of a request
/// type is the batch: its items' properties are the features;</item>
/// <item>a request type (a class, record or struct that is not a collection and not a framework type) contributes its public
/// readable instance properties of feature types, one level deep; its other properties are skipped, and so are properties
/// marked <c>[Obsolete(error: true)]</c>;</item>
/// <item>a feature is named <c>[Feature(Name = ...)]</c>, else after its member in snake_case; when properties of two
/// parameters share a name, each is prefixed with its parameter (<c>user.id</c>, <c>item.id</c>); a name still shared after that
/// is a clash: the first feature keeps it;</item>
/// <item>the prediction is the returned value (after <c>Task</c>): <c>prediction</c> for a feature type, <c>prediction.&lt;property&gt;</c>
/// for a request type; the items of a returned list when the method takes a batch.</item>
/// </list>
/// Numbers and times are numerical; strings, bools, enums and chars categorical; <c>[Feature(Kind = ...)]</c> can make a
/// number categorical. A <c>[Sensitive]</c> value is recorded as present or missing only.
/// </remarks>
internal static class FeatureRules
{
    /// <summary>The name of the prediction feature of a method returning a feature type.</summary>
    public const string PredictionName = "prediction";

    private static readonly string[] BatchTypes =
    {
        "System.Collections.Generic.IReadOnlyList`1",
        "System.Collections.Generic.IList`1",
        "System.Collections.Generic.List`1",
    };

    public static CapturePlan Capture(IMethodSymbol method)
    {
        var (returnKind, resultType) = GetReturnKind(method.ReturnType);
        var inputs = new List<CapturedValue>();
        var predictions = new List<CapturedValue>();
        var skipped = new List<SkippedValue>();

        // Which parameter, if any, is a batch of requests.
        var batchIndex = -1;
        ITypeSymbol? batchItem = null;
        for (var i = 0; i < method.Parameters.Length && batchIndex < 0; i++)
        {
            var parameter = method.Parameters[i];
            if (IsInput(parameter) && GetBatchItemType(parameter.Type) is { } item && IsRequestType(item))
            {
                batchIndex = i;
                batchItem = item;
            }
        }

        var keys = new List<CapturedKey>();
        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind is not (RefKind.None or RefKind.In) || Symbols.ContainsTypeParameter(parameter.Type))
            {
                continue;
            }

            if (Symbols.Has(parameter, Symbols.PredictionKeyAttribute))
            {
                AddKey(keys, skipped, parameter, parameter, parameter.Type, ValueOrigin.Parameter, readThroughNullable: false);
                continue;
            }

            if (Symbols.Has(parameter, Symbols.IgnoreFeatureAttribute))
            {
                skipped.Add(new SkippedValue(DefaultName(parameter), parameter, parameter, parameter.Type, SkipReason.Ignored, isPrediction: false));
                continue;
            }

            if (parameter.Ordinal == batchIndex)
            {
                AddProperties(inputs, skipped, batchItem!, parameter, prefix: string.Empty, ValueOrigin.BatchItemProperty, keys);
            }
            else if (GetConversion(parameter.Type) is { } conversion)
            {
                inputs.Add(Create(parameter, parameter, parameter.Type, DefaultName(parameter), ValueOrigin.Parameter, conversion));
            }
            else if (IsRequestType(parameter.Type))
            {
                AddProperties(inputs, skipped, parameter.Type, parameter, prefix: string.Empty, ValueOrigin.ParameterProperty, keys);
            }
        }

        // The prediction.
        ITypeSymbol? resultItem = null;
        if (resultType is not null && !Symbols.ContainsTypeParameter(resultType))
        {
            if (batchIndex >= 0 && GetBatchItemType(resultType) is { } item)
            {
                resultItem = item;
                AddPrediction(predictions, skipped, method, item, ValueOrigin.ResultItem, ValueOrigin.ResultItemProperty);
            }
            else
            {
                AddPrediction(predictions, skipped, method, resultType, ValueOrigin.Result, ValueOrigin.ResultProperty);
            }
        }

        if (batchIndex >= 0 && keys.Count > 0)
        {
            var key = keys[0];
            skipped.Add(new SkippedValue(Naming.ToSnakeCase(key.Member.Name), key.Member, key.Parameter, key.DeclaredType, SkipReason.KeyNotRead, isPrediction: false));
        }

        TellApart(inputs);
        var keptInputs = RemoveDuplicates(inputs, skipped, taken: null);
        foreach (var later in keptInputs.Where(f => f.IsSegment).Skip(1))
        {
            later.NotSegment(); // one segment per row: the first [Segment] input
        }

        var keptPredictions = RemoveDuplicates(predictions, skipped, taken: keptInputs);
        return new CapturePlan(
            method,
            returnKind,
            resultType,
            batchIndex,
            batchItem,
            resultItem,
            keptInputs.ToImmutableArray(),
            keptPredictions.ToImmutableArray(),
            skipped.ToImmutableArray(),
            keys.Count > 0 && batchIndex < 0 ? keys[0] : null);
    }

    /// <summary>How a <c>[PredictionKey]</c> of <paramref name="type"/> is kept, or null when a key cannot have that type.</summary>
    public static KeyConversion? GetKeyConversion(ITypeSymbol type)
    {
        type = Symbols.UnwrapNullable(type);
        switch (type.SpecialType)
        {
            case SpecialType.System_String:
                return KeyConversion.Text;
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_IntPtr:
                return KeyConversion.Integer;
            case SpecialType.System_UInt64:
            case SpecialType.System_UIntPtr:
                return KeyConversion.UnsignedInteger;
        }

        return Symbols.HasFullName(type, "System.Guid") ? KeyConversion.Guid : null;
    }

    /// <summary>The first readable key of a method is its key; any other is skipped, and so is a key of another type.</summary>
    private static void AddKey(List<CapturedKey> keys, List<SkippedValue> skipped, ISymbol member, IParameterSymbol parameter, ITypeSymbol type, ValueOrigin origin, bool readThroughNullable)
    {
        if (keys.Count == 0 && GetKeyConversion(type) is { } conversion)
        {
            keys.Add(new CapturedKey(member, parameter, type, origin, conversion, readThroughNullable));
        }
        else
        {
            skipped.Add(new SkippedValue(Naming.ToSnakeCase(member.Name), member, parameter, type, SkipReason.KeyNotRead, isPrediction: false));
        }
    }

    /// <summary>
    /// The prediction names that several methods of one model use with different kinds or storage (a <c>double Score</c>
    /// and a <c>bool IsFraud</c> both predicting <c>prediction</c>): each method's feature of such a name is renamed
    /// <see cref="PerMethodName"/>, so that one model feature never mixes two kinds.
    /// </summary>
    public static HashSet<string> PredictionNamesToSplit(IEnumerable<(string Name, ValueKind Kind, ValueStorage Storage)> predictionsOfAllMethods)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in predictionsOfAllMethods.GroupBy(p => p.Name, StringComparer.Ordinal))
        {
            if (group.Select(p => (p.Kind, p.Storage)).Distinct().Skip(1).Any())
            {
                result.Add(group.Key);
            }
        }

        return result;
    }

    /// <summary><c>IsFraud</c> and <c>prediction</c> become <c>is_fraud.prediction</c>.</summary>
    public static string PerMethodName(string methodName, string featureName) => Naming.ToSnakeCase(methodName) + "." + featureName;

    /// <summary>Renames, in place, the predictions of every plan of one model whose names <see cref="PredictionNamesToSplit"/> returns.</summary>
    public static void SplitPredictionNames(IReadOnlyList<CapturePlan> plansOfOneModel)
    {
        var split = PredictionNamesToSplit(plansOfOneModel.SelectMany(p => p.Predictions).Select(f => (f.Name, f.Kind, f.Storage)));
        foreach (var plan in plansOfOneModel)
        {
            foreach (var prediction in plan.Predictions)
            {
                if (split.Contains(prediction.Name))
                {
                    prediction.Rename(PerMethodName(plan.Method.Name, prediction.Name));
                }
            }
        }
    }

    public static (ReturnKind Kind, ITypeSymbol? Result) GetReturnKind(ITypeSymbol returnType)
    {
        if (returnType.SpecialType == SpecialType.System_Void)
        {
            return (ReturnKind.Void, null);
        }

        if (returnType is INamedTypeSymbol named && named.ContainingType is null)
        {
            var ns = named.ContainingNamespace?.ToDisplayString();
            if (ns == "System.Threading.Tasks")
            {
                switch (named.MetadataName)
                {
                    case "Task":
                        return (ReturnKind.Task, null);
                    case "ValueTask":
                        return (ReturnKind.ValueTask, null);
                    case "Task`1":
                        return (ReturnKind.TaskOfResult, named.TypeArguments[0]);
                    case "ValueTask`1":
                        return (ReturnKind.ValueTaskOfResult, named.TypeArguments[0]);
                }
            }
            else if (ns == "System.Collections.Generic" && named.MetadataName == "IAsyncEnumerable`1")
            {
                return (ReturnKind.AsyncEnumerable, null);
            }
        }

        return (ReturnKind.Value, returnType);
    }

    /// <summary>The item type of an array or list parameter (<c>T[]</c>, <c>IReadOnlyList&lt;T&gt;</c>, <c>IList&lt;T&gt;</c>, <c>List&lt;T&gt;</c>).</summary>
    public static ITypeSymbol? GetBatchItemType(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol { Rank: 1 } array)
        {
            return array.ElementType;
        }

        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named)
        {
            var definition = named.OriginalDefinition;
            var name = definition.ContainingNamespace?.ToDisplayString() + "." + definition.MetadataName;
            if (BatchTypes.Contains(name))
            {
                return named.TypeArguments[0];
            }
        }

        return null;
    }

    /// <summary>How a value of <paramref name="type"/> is captured, or null when the type is not a feature type.</summary>
    public static ValueConversion? GetConversion(ITypeSymbol type)
    {
        type = Symbols.UnwrapNullable(type);
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
                return ValueConversion.Number;
            case SpecialType.System_DateTime:
                return ValueConversion.Time;
            case SpecialType.System_Boolean:
                return ValueConversion.Bool;
            case SpecialType.System_Char:
                return ValueConversion.Char;
            case SpecialType.System_String:
                return ValueConversion.String;
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return ValueConversion.Enum;
        }

        if (Symbols.HasFullName(type, "System.Half"))
        {
            return ValueConversion.Number;
        }

        if (Symbols.HasFullName(type, "System.DateTimeOffset") || Symbols.HasFullName(type, "System.TimeSpan"))
        {
            return ValueConversion.Time;
        }

        if (Symbols.HasFullName(type, "System.DateOnly"))
        {
            return ValueConversion.DateOnly;
        }

        if (Symbols.HasFullName(type, "System.TimeOnly"))
        {
            return ValueConversion.TimeOnly;
        }

        return null;
    }

    public static bool IsFeatureType(ITypeSymbol type) => GetConversion(type) is not null;

    /// <summary>
    /// A class, record or struct whose properties become features: not a feature type, not a collection, not a
    /// framework type (Stream, CancellationToken, HttpContext... are plumbing: reading their properties captures
    /// nothing useful and can throw), with at least one readable property of a feature type.
    /// </summary>
    public static bool IsRequestType(ITypeSymbol type)
    {
        type = Symbols.UnwrapNullable(type);
        if (type is not INamedTypeSymbol named
            || named.TypeKind is not (TypeKind.Class or TypeKind.Struct)
            || named.SpecialType != SpecialType.None
            || IsFeatureType(named)
            || named.IsRefLikeType
            || Symbols.ContainsTypeParameter(named)
            || Symbols.RootNamespace(named) is "System" or "Microsoft"
            || named.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable))
        {
            return false;
        }

        return ReadableProperties(named).Any(p => IsFeatureType(p.Type));
    }

    /// <summary>The public readable instance properties of a type and its bases, the most derived first.</summary>
    public static IEnumerable<IPropertySymbol> ReadableProperties(ITypeSymbol type)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member is IPropertySymbol
                    {
                        IsStatic: false,
                        IsIndexer: false,
                        DeclaredAccessibility: Accessibility.Public,
                        GetMethod.DeclaredAccessibility: Accessibility.Public,
                    } property
                    && property.Name != "EqualityContract"
                    && property.ExplicitInterfaceImplementations.IsEmpty
                    && !property.ReturnsByRef
                    && !property.ReturnsByRefReadonly
                    && seen.Add(property.Name))
                {
                    yield return property;
                }
            }
        }
    }

    private static bool IsInput(IParameterSymbol parameter)
        => parameter.RefKind is RefKind.None or RefKind.In
            && !Symbols.Has(parameter, Symbols.IgnoreFeatureAttribute)
            && !Symbols.ContainsTypeParameter(parameter.Type);

    private static string DefaultName(ISymbol member)
        => Symbols.NamedString(Symbols.FindOnMember(member, Symbols.FeatureAttribute), "Name") ?? Naming.ToSnakeCase(member.Name);

    private static void AddPrediction(List<CapturedValue> predictions, List<SkippedValue> skipped, IMethodSymbol method, ITypeSymbol type, ValueOrigin scalar, ValueOrigin property)
    {
        if (GetConversion(type) is { } conversion)
        {
            predictions.Add(Create(method, null, type, PredictionName, scalar, conversion, attributesFrom: null));
        }
        else if (IsRequestType(type))
        {
            AddProperties(predictions, skipped, type, parameter: null, PredictionName + ".", property);
        }
    }

    private static void AddProperties(List<CapturedValue> features, List<SkippedValue> skipped, ITypeSymbol type, IParameterSymbol? parameter, string prefix, ValueOrigin origin, List<CapturedKey>? keys = null)
    {
        var throughNullable = type.IsReferenceType || Symbols.IsNullableValueType(type);
        var isPrediction = origin >= ValueOrigin.Result;
        foreach (var property in ReadableProperties(Symbols.UnwrapNullable(type)))
        {
            var name = prefix + DefaultName(property);
            if (Symbols.HasOnMember(property, Symbols.PredictionKeyAttribute))
            {
                if (keys is not null && origin == ValueOrigin.ParameterProperty && !Symbols.IsObsoleteError(property))
                {
                    AddKey(keys, skipped, property, parameter!, property.Type, origin, throughNullable);
                }
                else
                {
                    skipped.Add(new SkippedValue(name, property, parameter, property.Type, SkipReason.KeyNotRead, isPrediction));
                }
            }
            else if (Symbols.HasOnMember(property, Symbols.IgnoreFeatureAttribute))
            {
                skipped.Add(new SkippedValue(name, property, parameter, property.Type, SkipReason.Ignored, isPrediction));
            }
            else if (Symbols.IsObsoleteError(property) || (property.GetMethod is { } getter && Symbols.IsObsoleteError(getter))
                || Symbols.IsObsoleteError(Symbols.UnwrapNullable(property.Type)))
            {
                skipped.Add(new SkippedValue(name, property, parameter, property.Type, SkipReason.ObsoleteError, isPrediction));
            }
            else if (GetConversion(property.Type) is { } conversion)
            {
                var feature = Create(property, parameter, property.Type, name, origin, conversion);
                feature.ReadThroughNullable = throughNullable;
                features.Add(feature);
            }
            else
            {
                skipped.Add(new SkippedValue(name, property, parameter, property.Type, SkipReason.UnsupportedType, isPrediction));
            }
        }
    }

    private static CapturedValue Create(ISymbol member, IParameterSymbol? parameter, ITypeSymbol type, string name, ValueOrigin origin, ValueConversion conversion)
        => Create(member, parameter, type, name, origin, conversion, attributesFrom: member);

    private static CapturedValue Create(ISymbol member, IParameterSymbol? parameter, ITypeSymbol type, string name, ValueOrigin origin, ValueConversion conversion, ISymbol? attributesFrom)
    {
        var feature = attributesFrom is null ? null : Symbols.FindOnMember(attributesFrom, Symbols.FeatureAttribute);
        var sensitive = attributesFrom is not null && Symbols.HasOnMember(attributesFrom, Symbols.SensitiveAttribute);
        var natural = conversion is ValueConversion.Number or ValueConversion.Time or ValueConversion.DateOnly or ValueConversion.TimeOnly
            ? ValueKind.Numerical
            : ValueKind.Categorical;
        var declared = Symbols.NamedInt(feature, "Kind") ?? 0;

        // A number can be declared categorical; a label cannot become numerical.
        var kind = declared == (int)ValueKind.Categorical ? ValueKind.Categorical : natural;
        var storage = natural == ValueKind.Numerical ? ValueStorage.Number : ValueStorage.Label;
        if (sensitive)
        {
            kind = ValueKind.Categorical;
            storage = ValueStorage.Label;
            conversion = ValueConversion.Presence;
        }

        // The segment of a single call's row; a [Sensitive] value never becomes a segment (segments are exported).
        var segment = !sensitive && origin is ValueOrigin.Parameter or ValueOrigin.ParameterProperty
            && attributesFrom is not null && Symbols.HasOnMember(attributesFrom, Symbols.SegmentAttribute);
        var score = origin is ValueOrigin.ResultProperty or ValueOrigin.ResultItemProperty && kind == ValueKind.Numerical && attributesFrom is not null
            ? Symbols.FindOnMember(attributesFrom, Symbols.PredictionScoreAttribute)
            : null;
        return new CapturedValue(name, name, member, parameter, type, origin, kind, storage, conversion, feature, sensitive, segment, score);
    }

    /// <summary>Properties of two parameters that share a default name are prefixed with their parameter (<c>user.id</c>).</summary>
    private static void TellApart(List<CapturedValue> inputs)
    {
        foreach (var group in inputs.GroupBy(f => f.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).ToList())
        {
            var fromParameters = group.Select(f => f.Parameter).Distinct(SymbolEqualityComparer.Default).Count();
            if (fromParameters < 2)
            {
                continue;
            }

            foreach (var feature in group)
            {
                if (feature.Origin is ValueOrigin.ParameterProperty or ValueOrigin.BatchItemProperty && !feature.HasExplicitName)
                {
                    feature.Rename(Naming.ToSnakeCase(feature.Parameter!.Name) + "." + feature.Name);
                }
            }
        }
    }

    private static List<CapturedValue> RemoveDuplicates(List<CapturedValue> features, List<SkippedValue> skipped, List<CapturedValue>? taken)
    {
        var kept = new List<CapturedValue>();
        var byName = new Dictionary<string, CapturedValue>(StringComparer.Ordinal);
        foreach (var feature in taken ?? Enumerable.Empty<CapturedValue>())
        {
            byName[feature.Name] = feature;
        }

        foreach (var feature in features)
        {
            if (byName.TryGetValue(feature.Name, out var first))
            {
                skipped.Add(new SkippedValue(feature.Name, feature.Member, feature.Parameter, feature.DeclaredType, SkipReason.DuplicateName, feature.IsPrediction, first));
                continue;
            }

            byName[feature.Name] = feature;
            kept.Add(feature);
        }

        return kept;
    }
}
