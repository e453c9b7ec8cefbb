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
        "Feature names must be unique within a [DriftTracked] method; the generator keeps the first feature of a name.");

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
        "Monitoring replaces each call of a [DriftTracked] method with a generated interceptor. That needs C# 12 or later and 'ModelMonitoring.Generated' in the InterceptorsNamespaces property, which the ModelMonitoring package's build props add. Partial [DriftTracked] methods do not need interception.",
        WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>Message argument of MMON008 when the language version is too low.</summary>
    public const string LangVersionTooLowReason = "the language version is {0}; set <LangVersion>12</LangVersion> or later (or make the methods partial)";

    /// <summary>Message argument of MMON008 when the namespace is missing.</summary>
    public const string NamespaceMissingReason = "'ModelMonitoring.Generated' is missing from <InterceptorsNamespaces>; reference the ModelMonitoring package, whose build props add it, or add it to the project";

    public static readonly DiagnosticDescriptor CannotBeMonitored = Create(
        DiagnosticIds.CannotBeMonitored,
        "Monitored method cannot be monitored",
        "'{0}' will not be monitored: {1}",
        Usage,
        DiagnosticSeverity.Warning,
        "The generator emits nothing for a generic [DriftTracked] method or for a model type that generated code cannot access, and it does not intercept calls to the methods of a struct model, so such a method looks monitored but is not. Partial [DriftTracked] methods of struct models are monitored (partial mode).");

    /// <summary>Message argument of MMON009 for a generic method.</summary>
    public const string GenericMethodReason = "generic methods are not supported; make it non-generic or wrap it in a non-generic [DriftTracked] method";

    /// <summary>Message argument of MMON009 for a method of a struct model that is not partial.</summary>
    public const string StructModelReason = "calls to a struct model's methods cannot be intercepted; declare the method partial (partial mode) or make the model a class";

    /// <summary>Message argument of MMON009 for a model type that generated code cannot access ({0} the model, {1} the types to change).</summary>
    public const string InaccessibleModelReason = "the model type '{0}' is not accessible to generated code; make {1} internal or public";

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
