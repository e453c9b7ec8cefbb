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

    /// <summary>A <c>[DriftTracked]</c> method of a model that the generator cannot monitor (generic, struct model, inaccessible type).</summary>
    public const string CannotBeMonitored = "MMON009";
}
