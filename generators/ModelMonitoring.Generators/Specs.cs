using ModelMonitoring.SourceModel;

namespace ModelMonitoring.Generators
{
    // The seam between parsing and emitting: plain, value-equatable data. No ISymbol, SyntaxNode or Compilation.

    /// <summary>A monitored model type and its tracked methods.</summary>
    internal sealed record ModelSpec(
        string ModelName,
        string? Owner,
        string? Squad,
        string? Version,
        string? TrainedAt,
        TypeSpec Type,
        EquatableArray<MethodSpec> Methods);

    /// <summary>The model's CLR type, with what is needed to reopen it as a partial type.</summary>
    internal sealed record TypeSpec(
        string FullyQualifiedName,                     // global::Ns.Outer.Model<T>
        string MetadataName,                           // Ns.Outer.Model`1
        string? Namespace,                             // Ns, or null for the global namespace
        EquatableArray<ContainingTypeSpec> Containers, // outermost first, the model type last
        EquatableArray<string> TypeParameters,         // T, U ... of the model type and its containers, in order
        EquatableArray<string> TypeParameterConstraints, // "where T : class" ... (one clause per constrained parameter)
        bool IsValueType,
        bool IsGeneric,
        int Depth);                                    // how many base types it has: derived types are tested first

    /// <summary>One level of type nesting, as declared (for partial declarations).</summary>
    internal sealed record ContainingTypeSpec(string Keyword, string Name, string TypeParameterList);

    /// <summary>How a parameter is passed.</summary>
    internal enum ParameterRefKind
    {
        None,
        Ref,
        Out,
        In,
        RefReadOnly,
    }

    /// <summary>How a value is returned.</summary>
    internal enum ReturnRefKind
    {
        None,
        Ref,
        RefReadOnly,
    }

    /// <summary>How the monitored wrapper reaches the model's method.</summary>
    internal enum InvocationKind
    {
        /// <summary>A normal call: the method is public or internal.</summary>
        Direct,

        /// <summary>Through an <c>[UnsafeAccessor]</c>: the method is private or protected.</summary>
        UnsafeAccessor,
    }

    /// <summary>A [DriftTracked] method.</summary>
    internal sealed record MethodSpec(
        string Key,                                  // documentation comment id of the original definition
        string Name,
        int Index,                                   // position among the model's tracked methods
        bool IsStatic,
        bool IsExtension,
        bool IsPartial,                              // partial mode: a partial declaration whose body is generated
        EquatableArray<string> PartialModifiers,     // the definition's modifiers, except 'partial' (partial mode)
        bool PartialNullableEnabled,                 // the definition's nullable context (partial mode)
        string ReturnType,                           // as declared, fully qualified, without ref
        ReturnRefKind ReturnRefKind,
        ReturnKind ReturnKind,
        string? ResultType,                          // T of Task<T>/ValueTask<T>, the item of IAsyncEnumerable<T>, or the return type
        bool ResultCaptured,
        EquatableArray<string> TypeParameters,       // the method's own type parameters
        EquatableArray<string> TypeParameterConstraints,
        EquatableArray<ParameterSpec> Parameters,
        EquatableArray<FeatureSpec> Features,
        int BatchParameterIndex,                     // -1 when the method takes a single input
        string? BatchCountMember,                    // Count or Length
        string? BatchItemType,
        bool ResultIsBatch,
        string? ResultCountMember,
        string? ResultItemType,
        InvocationKind Invocation,
        EquatableArray<string> DispatchKeys,         // interface and base methods whose calls can reach this one
        EquatableArray<SkippedSpec> Skipped,
        string Prefix,                               // starts every generated local: no user name in scope starts with it
        KeySpec? PredictionKey = null);              // the [PredictionKey] read before the call, or null

    /// <summary>The <c>[PredictionKey]</c> of a method: a parameter, or a property of one.</summary>
    internal sealed record KeySpec(
        string Name,                                 // the member in snake_case, for comments
        ValueOrigin Origin,                          // Parameter or ParameterProperty
        string ParameterName,                        // escaped
        string? PropertyName,                        // escaped; null when the parameter is the key
        KeyConversion Conversion,
        bool ReadThroughNullable);

    /// <summary>A parameter of a tracked method.</summary>
    internal sealed record ParameterSpec(
        string Name,                                 // escaped (@class)
        string Type,                                 // fully qualified with nullable annotation
        ParameterRefKind RefKind,
        bool IsParams,
        bool IsScoped,
        bool Captured);                              // read to capture features, so passed to the Begin method

    /// <summary>One captured feature of a method's input or prediction.</summary>
    internal sealed record FeatureSpec(
        string Name,
        ValueKind Kind,
        ValueStorage Storage,
        int Slot,                                    // index among the method's features of the same storage
        ValueOrigin Origin,
        string? ParameterName,                       // the parameter read (inputs), escaped
        string? PropertyName,                        // the property read, escaped; null for a scalar
        ValueConversion Conversion,
        bool MayBeNull,                              // the value can be missing (nullable type, or read through a null)
        bool ReadThroughNullable,                    // read with ?. (the parameter or item can be null)
        string ClrType,                              // the value's type, for the descriptor (no global::, no ?)
        bool IsSensitive,
        int MaxCategories,
        DriftMethodSpec DriftMethod,
        double DriftThreshold,
        string? EnumType,                            // fully qualified enum type, for the generated label table
        EquatableArray<string> EnumMembers,
        bool IsSegment = false,                      // [Segment]: also the row's segment
        bool IsPredictionScore = false,              // [PredictionScore]: the probability of the positive label
        string? PositiveLabel = null)
    {
        public bool IsPrediction => Origin >= ValueOrigin.Result;
    }

    /// <summary>A member that is not captured, named in a comment of the generated code.</summary>
    internal sealed record SkippedSpec(string Name, SkipReason Reason, string Type);

    /// <summary>The values of <c>ModelMonitoring.DriftMethod</c> (a test checks they agree).</summary>
    internal enum DriftMethodSpec
    {
        Auto = 0,
        KolmogorovSmirnov,
        ChiSquare,
        ZTest,
        Wasserstein,
        JensenShannon,
        PopulationStabilityIndex,
        KullbackLeibler,
        Hellinger,
        AndersonDarling,
        CramerVonMises,
        EnergyDistance,
        EppsSingleton,
        FisherExact,
        GTest,
        MannWhitneyU,
        TTest,
        TotalVariationDistance,
        EmpiricalMmd,
    }

    /// <summary>How a call site reaches a tracked method.</summary>
    internal enum CallKind
    {
        /// <summary>The call binds to the tracked method itself.</summary>
        Direct,

        /// <summary>The call binds to an interface or base method that tracked methods implement: the receiver's type decides.</summary>
        Dispatch,
    }

    /// <summary>A call that an interceptor replaces.</summary>
    internal sealed record CallSiteSpec(
        CallKind Kind,
        string TargetKey,                            // Direct: the tracked method's Key; Dispatch: the bound method's dispatch key
        string? ReceiverType,                        // Direct: the override the call binds to, when it is not the model's method
        DispatchTargetSpec? Dispatch,                // the bound method, for a dispatch interceptor
        int Version,
        string Data,
        string DisplayLocation);

    /// <summary>The interface or base method a dispatch call binds to: what its interceptor must look like.</summary>
    internal sealed record DispatchTargetSpec(
        string ReceiverType,                         // fully qualified interface or base class, closed
        string ReceiverName,                         // its simple name, for the interceptor's name
        string Name,
        string ReturnType,
        ReturnRefKind ReturnRefKind,
        EquatableArray<ParameterSpec> Parameters,
        string Prefix);

    /// <summary>What the compilation allows the generator to emit.</summary>
    internal sealed record GeneratorSettings(
        bool CanEmit,                                // C# 9 or later: helpers and partial mode
        bool CanIntercept,                           // C# 11 or later, and InterceptorsNamespaces lists ModelMonitoring.Generated
        bool HasModuleInitializer);
}
