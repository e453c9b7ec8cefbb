namespace ModelMonitoring.Analyzers;

/// <summary>The stable ids of the ModelMonitoring diagnostics. Never renumber: users suppress them by id.</summary>
public static class DiagnosticIds
{
    /// <summary>A type looks like a model but has no <c>[MonitoredModel]</c>.</summary>
    public const string UnmonitoredModel = "MMON001";

    /// <summary>A <c>[DriftTracked]</c> method in a type without <c>[MonitoredModel]</c>.</summary>
    public const string DriftTrackedOutsideModel = "MMON002";

    /// <summary>A <c>[DriftTracked]</c> method with nothing to capture as a feature.</summary>
    public const string NothingToCapture = "MMON003";

    /// <summary>A model or feature name that is not a valid label value, or a model name used twice.</summary>
    public const string InvalidName = "MMON004";

    /// <summary>A monitored method used as a method group or inside an expression tree.</summary>
    public const string InterceptionBypassed = "MMON005";

    /// <summary>A captured feature whose name looks personal and that is not <c>[Sensitive]</c>.</summary>
    public const string PersonalFeatureNotSensitive = "MMON006";

    /// <summary>A string feature without <c>MaxCategories</c>.</summary>
    public const string StringFeatureWithoutMaxCategories = "MMON007";

    /// <summary>Interception is not enabled in the project.</summary>
    public const string InterceptionDisabled = "MMON008";

    /// <summary>A <c>[DriftTracked]</c> method of a model that the generator cannot monitor (the message says why).</summary>
    public const string CannotBeMonitored = "MMON009";

    /// <summary>A non-partial <c>[DriftTracked]</c> method of a library that other assemblies can call.</summary>
    public const string CalledFromOtherAssemblies = "MMON010";

    /// <summary>A property of a captured type that is not captured, because of its type.</summary>
    public const string PropertyNotCaptured = "MMON011";

    /// <summary>A public prediction-like method of a <c>[MonitoredModel]</c> type without <c>[DriftTracked]</c>.</summary>
    public const string PredictionMethodNotTracked = "MMON012";
}
