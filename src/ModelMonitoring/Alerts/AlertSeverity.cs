namespace ModelMonitoring.Alerts;

/// <summary>How urgent an alert is. Critical alerts are sent at once; the others can wait for a digest.</summary>
public enum AlertSeverity
{
    /// <summary>Worth knowing; nobody needs to act now.</summary>
    Info,

    /// <summary>Someone should look today.</summary>
    Warning,

    /// <summary>Someone should look now.</summary>
    Critical,
}

/// <summary>Where an alert is in its life: pending until its condition has held for the rule's <c>for</c> duration, then firing, then resolved.</summary>
public enum AlertState
{
    /// <summary>The condition holds, not yet for the rule's <c>for</c> duration. Nobody is notified.</summary>
    Pending,

    /// <summary>The condition has held for the rule's <c>for</c> duration: notifications go out.</summary>
    Firing,

    /// <summary>The condition stopped holding after the alert fired.</summary>
    Resolved,
}

/// <summary>How a rule compares a signal with its threshold.</summary>
public enum AlertComparison
{
    /// <summary><c>&gt;</c>: the signal is above the threshold.</summary>
    Above,

    /// <summary><c>&gt;=</c>: the signal is at or above the threshold.</summary>
    AtOrAbove,

    /// <summary><c>&lt;</c>: the signal is below the threshold.</summary>
    Below,

    /// <summary><c>&lt;=</c>: the signal is at or below the threshold.</summary>
    AtOrBelow,
}

/// <summary>The comparison operators as PromQL and the configuration write them.</summary>
internal static class AlertComparisons
{
    public static string Symbol(this AlertComparison comparison) => comparison switch
    {
        AlertComparison.Above => ">",
        AlertComparison.AtOrAbove => ">=",
        AlertComparison.Below => "<",
        _ => "<=",
    };

    /// <summary>Whether <paramref name="value"/> meets the condition; NaN never does.</summary>
    public static bool Holds(this AlertComparison comparison, double value, double threshold) => comparison switch
    {
        AlertComparison.Above => value > threshold,
        AlertComparison.AtOrAbove => value >= threshold,
        AlertComparison.Below => value < threshold,
        _ => value <= threshold,
    };

    /// <summary>Reads <c>&gt;</c>, <c>&gt;=</c>, <c>&lt;</c>, <c>&lt;=</c> or an enum name (<c>Above</c>, <c>at_or_below</c>...).</summary>
    public static bool TryParse(string? text, out AlertComparison comparison)
    {
        switch (text?.Trim())
        {
            case ">":
                comparison = AlertComparison.Above;
                return true;
            case ">=":
                comparison = AlertComparison.AtOrAbove;
                return true;
            case "<":
                comparison = AlertComparison.Below;
                return true;
            case "<=":
                comparison = AlertComparison.AtOrBelow;
                return true;
        }

        return Enum.TryParse(text?.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true, out comparison)
            && Enum.IsDefined(comparison)
            && !int.TryParse(text, out _);
    }

    public const string Accepted = "'>', '>=', '<', '<=' (or Above, AtOrAbove, Below, AtOrBelow)";
}
