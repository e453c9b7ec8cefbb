using Microsoft.CodeAnalysis;

namespace ModelMonitoring.Analyzers;

/// <summary>The descriptors of every ModelMonitoring diagnostic, in one place.</summary>
internal static class Descriptors
{
    private const string HelpLinkBase = "https://github.com/modelmonitoring/modelmonitoring/blob/main/docs/diagnostics/";

    private const string Usage = "Usage";
    private const string Naming = "Naming";
    private const string Privacy = "Privacy";
    private const string Performance = "Performance";

    /// <summary>Diagnostic property that carries the suggested model name to the code fix.</summary>
    public const string ModelNameProperty = "ModelName";

    public static readonly DiagnosticDescriptor UnmonitoredModel = Create(
        DiagnosticIds.UnmonitoredModel,
        "Model is not monitored",
        "'{0}' looks like a machine-learning model ({1}) but has no [MonitoredModel]: add [MonitoredModel(\"{2}\")] to the type and [DriftTracked] to its prediction method",
        Usage,
        DiagnosticSeverity.Warning,
        "A public type with a prediction method, or one that calls ML.NET or ONNX Runtime, is a model that runs in production without latency, error or drift monitoring.");

    public static readonly DiagnosticDescriptor DriftTrackedOutsideModel = Create(
        DiagnosticIds.DriftTrackedOutsideModel,
        "[DriftTracked] method in a type without [MonitoredModel]",
        "'{0}' is marked [DriftTracked] but its type '{1}' has no [MonitoredModel]: add [MonitoredModel(\"{2}\")] to '{1}'",
        Usage,
        DiagnosticSeverity.Error,
        "The generator only emits monitoring code for [DriftTracked] methods of [MonitoredModel] types, so this method is not monitored.");

    public static readonly DiagnosticDescriptor NothingToCapture = Create(
        DiagnosticIds.NothingToCapture,
        "[DriftTracked] method has no feature to capture",
        "'{0}' has no input that can be captured as a feature, so its drift cannot be tracked: take numbers, bools, enums, strings, chars or dates, or a request type with such public properties",
        Usage,
        DiagnosticSeverity.Warning,
        "Features are read from parameters of scalar types, from the public properties of class, record or struct parameters, and from the items of array or list parameters. Parameters such as object, Stream, byte[] or ReadOnlyMemory<byte> carry nothing that can be compared between windows.");

    public static readonly DiagnosticDescriptor InvalidName = Create(
        DiagnosticIds.InvalidName,
        "Invalid or duplicate model or feature name",
        "{0} name '{1}' is not a valid metric label value: use lower case letters, digits, '_', '.' or '-', starting with a letter, for example '{2}'",
        Naming,
        DiagnosticSeverity.Error,
        "Model and feature names become the 'model' and 'feature' tags of every metric and must match [a-z][a-z0-9_.-]*.");

    public static readonly DiagnosticDescriptor DuplicateModelName = Create(
        DiagnosticIds.InvalidName,
        "Invalid or duplicate model or feature name",
        "Model name '{0}' is used by more than one type ({1}): give each [MonitoredModel] its own name",
        Naming,
        DiagnosticSeverity.Error,
        "Two models with the same name would share their metrics, windows and drift results.",
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor DuplicateFeatureName = Create(
        DiagnosticIds.InvalidName,
        "Invalid or duplicate model or feature name",
        "Feature name '{0}' is used by both '{1}' and '{2}' in '{3}', so only '{1}' is captured: rename one with [Feature(Name = ...)]",
        Naming,
        DiagnosticSeverity.Error,
        "Feature names must be unique within a [DriftTracked] method. Properties of two parameters that share a name are told apart by their parameter (user.id, item.id); a name that is still shared after that, for example two [Feature(Name = ...)] alike, is a clash and the generator keeps the first feature.");

    public static readonly DiagnosticDescriptor MethodGroupBypassesInterception = Create(
        DiagnosticIds.InterceptionBypassed,
        "Use of a monitored method bypasses interception",
        "'{0}' is used as a method group or delegate, so its calls are not intercepted and not monitored: wrap the call in a lambda, or make '{0}' a partial method",
        Usage,
        DiagnosticSeverity.Warning,
        "Only direct calls are replaced by the generated interceptors. Calls through a delegate or an expression tree reach the method unmonitored, unless the method is partial and its body is generated.");

    public static readonly DiagnosticDescriptor ExpressionTreeBypassesInterception = Create(
        DiagnosticIds.InterceptionBypassed,
        "Use of a monitored method bypasses interception",
        "'{0}' is called inside an expression tree, which is not intercepted, so the call is not monitored: make '{0}' a partial method, or call it outside the expression",
        Usage,
        DiagnosticSeverity.Warning,
        "Only direct calls are replaced by the generated interceptors. Calls through a delegate or an expression tree reach the method unmonitored, unless the method is partial and its body is generated.");

    public static readonly DiagnosticDescriptor PersonalFeatureNotSensitive = Create(
        DiagnosticIds.PersonalFeatureNotSensitive,
        "Personal data captured as a feature without [Sensitive]",
        "Feature '{0}' looks like personal data ('{1}'): mark '{2}' [Sensitive] so its values are never logged or exported, or [IgnoreFeature] to not capture it",
        Privacy,
        DiagnosticSeverity.Warning,
        "Feature values appear in logs, reports and category counts. A [Sensitive] feature only records whether a value was present. The list of personal names is configurable with 'model_monitoring.personal_data_names' in .editorconfig.");

    public static readonly DiagnosticDescriptor StringFeatureWithoutMaxCategories = Create(
        DiagnosticIds.StringFeatureWithoutMaxCategories,
        "String feature has no category limit",
        "String feature '{0}' has no MaxCategories: set [Feature(MaxCategories = ...)] to the number of categories you expect (the default keeps 100 and counts the rest as overflow)",
        Performance,
        DiagnosticSeverity.Info,
        "A string feature is categorical. Without an explicit limit the default of 100 categories applies, which hides drift in a feature with more values and wastes memory in one with few.");

    public static readonly DiagnosticDescriptor InterceptionDisabled = Create(
        DiagnosticIds.InterceptionDisabled,
        "Interception of [DriftTracked] calls is not enabled",
        "Calls to [DriftTracked] methods are not intercepted, so they are not monitored: {0}",
        Usage,
        DiagnosticSeverity.Warning,
        "Monitoring replaces each call of a [DriftTracked] method with a generated interceptor. That needs C# 11 or later and 'ModelMonitoring.Generated' in the InterceptorsNamespaces property, which the ModelMonitoring package's build props add. Partial [DriftTracked] methods need C# 9 and no interception. Below C# 9 nothing is generated.",
        WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>Message argument of MMON008 when the language version is below C# 11 (interceptors live in file-local classes).</summary>
    public const string LangVersionTooLowReason = "the language version is {0}; set <LangVersion>11</LangVersion> or later, or make the methods partial";

    /// <summary>Message argument of MMON008 when the language version is below C# 9: nothing is generated.</summary>
    public const string LangVersionFarTooLowReason = "the language version is {0}, and the generated monitoring needs C# 9 (C# 11 for interception): set <LangVersion>11</LangVersion> or later";

    /// <summary>Message argument of MMON008 when the namespace is missing.</summary>
    public const string NamespaceMissingReason = "'ModelMonitoring.Generated' is missing from <InterceptorsNamespaces>; reference the ModelMonitoring package, whose build props add it, or add it to the project";

    public static readonly DiagnosticDescriptor CannotBeMonitored = Create(
        DiagnosticIds.CannotBeMonitored,
        "Monitored method cannot be monitored",
        "'{0}' will not be monitored: {1}",
        Usage,
        DiagnosticSeverity.Warning,
        "The generator emits nothing for a [DriftTracked] method it cannot monitor, so such a method looks monitored but is not. The message says why and what to change.");

    /// <summary>Diagnostic property of MMON009 naming the fix: <see cref="MakeContainersPartialFix"/>.</summary>
    public const string FixProperty = "Fix";

    /// <summary>MMON009's fix for a partial method in a type that is not partial: declare the types partial.</summary>
    public const string MakeContainersPartialFix = "MakeContainersPartial";

    /// <summary>Message argument of MMON009 for a non-partial instance method of a struct model.</summary>
    public const string StructModelReason = "calls to a struct model's instance methods cannot be intercepted; declare the method partial (partial mode) or make the model a class";

    /// <summary>Message argument of MMON009 for a model type that generated code cannot access ({0} the model, {1} the types to change).</summary>
    public const string InaccessibleModelReason = "the model type '{0}' is not accessible to generated code; make {1} internal or public";

    /// <summary>Message argument of MMON009 for a parameter or return type generated code cannot name.</summary>
    public const string InaccessibleSignatureReason = "a parameter or return type is private or protected, so generated code cannot name it; make it internal or public";

    /// <summary>Message argument of MMON009 for a private or protected method before .NET 8.</summary>
    public const string NoUnsafeAccessorReason = "it is not public or internal, and generated code reaches such a method through [UnsafeAccessor], which needs .NET 8 or later; make it internal, or partial";

    /// <summary>Message argument of MMON009 for a private or protected method that [UnsafeAccessor] cannot reach.</summary>
    public const string InaccessibleMethodShapeReason = "it is not public or internal, and it is generic, or of a generic, static or struct type, which [UnsafeAccessor] cannot reach; make it internal, or partial";

    /// <summary>Message argument of MMON009 for pointers in the signature.</summary>
    public const string PointerReason = "pointer parameters and return types are not supported";

    /// <summary>Message argument of MMON009 for [Obsolete(error: true)].</summary>
    public const string ObsoleteReason = "the method, its type or a type of its signature is [Obsolete] with error: true, so generated code that calls it would not compile";

    /// <summary>Message argument of MMON009 for a partial method nested in types that are not partial ({0} the types).</summary>
    public const string ContainersNotPartialReason = "its body cannot be generated because {0} not partial; declare {1} partial";

    /// <summary>Message argument of MMON009 for an explicit interface implementation.</summary>
    public const string ExplicitImplementationReason = "explicit interface implementations are not monitored; implement the interface method as a public method and track that";

    public static readonly DiagnosticDescriptor CalledFromOtherAssemblies = Create(
        DiagnosticIds.CalledFromOtherAssemblies,
        "Calls from other assemblies are not monitored",
        "'{0}' can be called from other assemblies, and their calls are not intercepted, so they are not monitored: make '{0}' partial (its body moves to '{0}Core') so that every call is",
        Usage,
        DiagnosticSeverity.Warning,
        "Interceptors replace the calls that the compilation itself makes. A [DriftTracked] method that a library exposes (public, or implementing a public interface) is also called from assemblies compiled elsewhere, where nothing intercepts it. In partial mode the method's own body records every call.");

    public static readonly DiagnosticDescriptor PropertyNotCaptured = Create(
        DiagnosticIds.PropertyNotCaptured,
        "Property is not captured",
        "'{0}' of '{1}' is not captured as a feature: its type, {2}, is not a feature type; expose the values you need as properties of feature types, or mark it [IgnoreFeature]",
        Usage,
        DiagnosticSeverity.Info,
        "Features are numbers, bools, enums, strings, chars and dates (DateTime, DateTimeOffset, TimeSpan, DateOnly, TimeOnly). A property of another type (a Guid, a nested object, a collection) is skipped; this says so, so that nothing is skipped silently.");

    public static readonly DiagnosticDescriptor PredictionMethodNotTracked = Create(
        DiagnosticIds.PredictionMethodNotTracked,
        "Prediction method of a monitored model is not tracked",
        "'{0}' of the monitored model '{1}' looks like a prediction method but has no [DriftTracked], so its calls are not monitored: add [DriftTracked]",
        Usage,
        DiagnosticSeverity.Warning,
        "A [MonitoredModel] type is monitored through its [DriftTracked] methods only. A public method named like a prediction that does not call a tracked method of the model runs unmonitored.");

    private static DiagnosticDescriptor Create(
        string id,
        string title,
        string message,
        string category,
        DiagnosticSeverity severity,
        string description,
        params string[] customTags)
        => new(
            id,
            title,
            message,
            category,
            severity,
            isEnabledByDefault: true,
            description: description,
            helpLinkUri: HelpLinkBase + id + ".md",
            customTags: customTags);
}
