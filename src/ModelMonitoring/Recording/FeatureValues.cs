using System.ComponentModel;

namespace ModelMonitoring.Runtime;

/// <summary>Conversions the generated code uses to turn feature values into numbers and labels without allocating.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class FeatureValues
{
    /// <summary>The label recorded for a present [Sensitive] value: the value itself is never kept.</summary>
    public const string Redacted = "[redacted]";

    /// <summary>The label of an enum value that has no name (for example a combination of flags).</summary>
    public const string OtherEnumValue = "[other]";

    private static readonly string[] AsciiLabels = Enumerable.Range(0, 128).Select(c => ((char)c).ToString()).ToArray();

    private static readonly string[] SmallIntegerLabels =
        Enumerable.Range(0, 1025).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>A date as seconds since the Unix epoch (UTC); NaN when missing.</summary>
    public static double ToNumber(DateTime? value) =>
        value is { } date ? (date.ToUniversalTime() - DateTime.UnixEpoch).TotalSeconds : double.NaN;

    /// <summary>A date as seconds since the Unix epoch; NaN when missing.</summary>
    public static double ToNumber(DateTimeOffset? value) =>
        value is { } date ? (date - DateTimeOffset.UnixEpoch).TotalSeconds : double.NaN;

    /// <summary>A duration in seconds; NaN when missing.</summary>
    public static double ToNumber(TimeSpan? value) => value is { } span ? span.TotalSeconds : double.NaN;

    /// <summary><c>true</c> or <c>false</c>; <see langword="null"/> when missing.</summary>
    public static string? ToLabel(bool? value) => value is { } flag ? (flag ? "true" : "false") : null;

    /// <summary>The character as a label (ASCII characters do not allocate); <see langword="null"/> when missing.</summary>
    public static string? ToLabel(char? value) => value is { } c ? (c < 128 ? AsciiLabels[c] : c.ToString()) : null;

    /// <summary><see cref="Redacted"/> when the value is present, <see langword="null"/> when missing.</summary>
    public static string? Presence<T>(T value) => value is null ? null : Redacted;

    /// <summary>
    /// A present [Sensitive] value as the current runtime keeps it: <see cref="Redacted"/>, or, when the runtime's
    /// inference capture hashes sensitive features (<see cref="SensitiveCapture.Hash"/>), <c>hmac:</c> and the keyed
    /// hash of the value; <see langword="null"/> when missing. The value itself is never kept.
    /// </summary>
    public static string? Protect<T>(T value)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            return ModelMonitoringRuntime.Current.SensitiveHasher is { } hasher ? hasher.Hash(value) : Redacted;
        }
        catch (Exception)
        {
            return Redacted; // never the value, never a throw
        }
    }

    /// <summary>A text key (<c>[PredictionKey]</c>); <see langword="null"/> gives no key.</summary>
    public static PredictionKey ToKey(string? key) => PredictionKey.FromString(key);

    /// <summary>An integer key (<c>[PredictionKey]</c>); <see langword="null"/> gives no key.</summary>
    public static PredictionKey ToKey(long? key) => key is { } value ? PredictionKey.FromInt64(value) : default;

    /// <summary>An unsigned integer key, kept as the 64-bit integer of the same bits.</summary>
    public static PredictionKey ToKey(ulong? key) => key is { } value ? PredictionKey.FromInt64(unchecked((long)value)) : default;

    /// <summary>A GUID key (<c>[PredictionKey]</c>); <see langword="null"/> gives no key.</summary>
    public static PredictionKey ToKey(Guid? key) => key is { } value ? PredictionKey.FromGuid(value) : default;

    /// <summary>
    /// The segment of a numerical <c>[Segment]</c> feature: its invariant text (integers from 0 to 1024 without
    /// allocating); <see langword="null"/> when missing or not finite.
    /// </summary>
    public static string? ToSegment(double value)
    {
        if (!double.IsFinite(value))
        {
            return null;
        }

        return value >= 0 && value <= 1024 && value == Math.Floor(value)
            ? SmallIntegerLabels[(int)value]
            : value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
    }
}
