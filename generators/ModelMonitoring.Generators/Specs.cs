namespace ModelMonitoring.Generators
{
    // The seam between parsing and emitting: plain, value-equatable data. No ISymbol, SyntaxNode or Compilation.

    /// <summary>A monitored model type and its tracked methods.</summary>
    internal sealed record ModelSpec(
        string ModelName,
        string? Owner,
        string? Squad,
        string? Version,
        TypeSpec Type,
        EquatableArray<MethodSpec> Methods);

    /// <summary>The model's CLR type, with what is needed to reopen it as a partial type.</summary>
    internal sealed record TypeSpec(
        string FullyQualifiedName,       // global::Ns.Outer.Model<T>
        string MetadataName,             // Ns.Outer.Model`1
        string? Namespace,               // Ns, or null for the global namespace
        EquatableArray<ContainingTypeSpec> Containers, // outermost first, the model type last
        EquatableArray<string> TypeParameters,         // T, U ... of the model type and its containers, in order
        string TypeParameterConstraints,               // " where T : class" ...
        bool IsValueType);

    /// <summary>One level of type nesting, as declared (for partial declarations).</summary>
    internal sealed record ContainingTypeSpec(string Keyword, string Name, string TypeParameterList);

    /// <summary>How the method returns its prediction.</summary>
    internal enum ReturnShape
    {
        Void,
        Value,
        Task,
        TaskOfResult,
        ValueTask,
        ValueTaskOfResult,
    }

    /// <summary>A [DriftTracked] method.</summary>
    internal sealed record MethodSpec(
        string Key,                      // documentation comment id of the original definition
        string Name,
        int Index,                       // position among the model's tracked methods
        bool IsStatic,
        bool IsPartial,                  // partial mode: a partial declaration whose body is generated
        string Accessibility,            // public, internal ... (partial mode)
        string ReturnType,               // as declared, fully qualified
        ReturnShape ReturnShape,
        string? ResultType,              // T of Task<T>/ValueTask<T>, or the return type; null for void/Task/ValueTask
        EquatableArray<ParameterSpec> Parameters,
        EquatableArray<FeatureSpec> Features,
        int BatchParameterIndex,         // -1 when the method takes a single input
        string? BatchCountMember,        // Count or Length
        bool ResultIsBatch,
        string? ResultBatchCountMember,
        bool ResultCaptured);

    /// <summary>A parameter of a tracked method.</summary>
    internal sealed record ParameterSpec(
        string Name,
        string Type,                     // fully qualified with nullable annotation
        string RefKind,                  // "", "ref ", "in ", "out ", "ref readonly "
        bool IsParams,
        bool Captured,                   // passed to the capture method
        bool IsReferenceType,
        string? ItemType);               // for a batch parameter: the item type

    /// <summary>How a captured value is stored in a recording row.</summary>
    internal enum FeatureStorage
    {
        Number,
        Label,
    }

    /// <summary>Where a feature's value comes from.</summary>
    internal enum FeatureSource
    {
        Input,
        Prediction,
    }

    /// <summary>One captured feature of a method's input or prediction.</summary>
    internal sealed record FeatureSpec(
        string Name,
        int Kind,                        // ModelMonitoring.FeatureKind: 1 numerical, 2 categorical
        FeatureStorage Storage,
        int Slot,                        // index among the method's features of the same storage
        FeatureSource Source,
        string ValueExpression,          // C# expression reading the value inside the capture method
        string Conversion,               // how to turn the value into a number or label
        string ClrType,
        bool IsSensitive,
        int MaxCategories,
        int DriftMethod,
        double DriftThreshold,
        string? EnumType,                // fully qualified enum type, for generated label tables
        EquatableArray<string> EnumMembers);

    /// <summary>A call to a tracked method that an interceptor replaces.</summary>
    internal sealed record CallSiteSpec(string MethodKey, int Version, string Data, string DisplayLocation);
}
