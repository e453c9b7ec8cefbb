using System.Globalization;

namespace ModelMonitoring;

/// <summary>
/// What identifies one prediction (the value of the <c>[PredictionKey]</c> member), so that its ground truth can be
/// joined to it later. A text, a 64-bit integer or a <see cref="Guid"/>; integers and GUIDs are kept without
/// allocating. Two keys are equal when they are of the same kind and value.
/// </summary>
public readonly struct PredictionKey : IEquatable<PredictionKey>
{
    private readonly string? _text;
    private readonly long _high;
    private readonly long _low;
    private readonly byte _kind; // 0 none, 1 text, 2 integer, 3 guid

    private PredictionKey(string? text, long high, long low, byte kind)
    {
        _text = text;
        _high = high;
        _low = low;
        _kind = kind;
    }

    /// <summary>Whether the key is absent (the default value).</summary>
    public bool IsEmpty => _kind == 0;

    /// <summary>A text key; <see langword="null"/> gives the empty key.</summary>
    public static PredictionKey FromString(string? key) => key is null ? default : new PredictionKey(key, 0, 0, 1);

    /// <summary>An integer key.</summary>
    public static PredictionKey FromInt64(long key) => new(null, 0, key, 2);

    /// <summary>A GUID key.</summary>
    public static PredictionKey FromGuid(Guid key)
    {
        Span<byte> bytes = stackalloc byte[16];
        key.TryWriteBytes(bytes);
        return new PredictionKey(null, BitConverter.ToInt64(bytes[..8]), BitConverter.ToInt64(bytes[8..]), 3);
    }

    /// <summary>A text key.</summary>
    public static implicit operator PredictionKey(string? key) => FromString(key);

    /// <summary>An integer key.</summary>
    public static implicit operator PredictionKey(long key) => FromInt64(key);

    /// <summary>A GUID key.</summary>
    public static implicit operator PredictionKey(Guid key) => FromGuid(key);

    /// <summary>Whether two keys are equal.</summary>
    public static bool operator ==(PredictionKey left, PredictionKey right) => left.Equals(right);

    /// <summary>Whether two keys differ.</summary>
    public static bool operator !=(PredictionKey left, PredictionKey right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(PredictionKey other) =>
        _kind == other._kind && _high == other._high && _low == other._low && string.Equals(_text, other._text, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PredictionKey other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _kind == 1 ? StringComparer.Ordinal.GetHashCode(_text!) : HashCode.Combine(_kind, _high, _low);

    /// <summary>The key as text: the text itself, the integer in invariant culture, or the GUID in its "D" format.</summary>
    public override string ToString() => _kind switch
    {
        1 => _text!,
        2 => _low.ToString(CultureInfo.InvariantCulture),
        3 => ToGuid().ToString("D"),
        _ => string.Empty,
    };

    private Guid ToGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes[..8], _high);
        BitConverter.TryWriteBytes(bytes[8..], _low);
        return new Guid(bytes);
    }
}
