using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ModelMonitoring;

/// <summary>
/// The keyed hash of <see cref="SensitiveCapture.Hash"/>: <c>hmac:</c> and the lower-case hex HMAC-SHA256 of the
/// value's UTF-8 text (invariant culture for numbers and dates). Equal values give equal hashes under one key, and the
/// value cannot be read back without it.
/// </summary>
internal sealed class SensitiveValueHasher
{
    public const string Prefix = "hmac:";
    private readonly ThreadLocal<IncrementalHash> _hash;

    /// <summary>One HMAC state per thread, keyed once: hashing then costs the hash, not the key set-up.</summary>
    public SensitiveValueHasher(byte[] key) => _hash = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key));

    /// <summary>The key's bytes: UTF-8 text, or the decoded base64 after a <c>base64:</c> prefix.</summary>
    public static bool TryDecodeKey(string text, out byte[]? key)
    {
        if (text.StartsWith("base64:", StringComparison.Ordinal))
        {
            try
            {
                key = Convert.FromBase64String(text["base64:".Length..]);
                return true;
            }
            catch (FormatException)
            {
                key = null;
                return false;
            }
        }

        key = Encoding.UTF8.GetBytes(text);
        return true;
    }

    public string Hash<T>(T value)
    {
        string text = value switch
        {
            string s => s,
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value?.ToString() ?? string.Empty,
        };
        int length = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        Span<byte> bytes = length <= 512 ? stackalloc byte[512] : (rented = new byte[length]);
        int written = Encoding.UTF8.GetBytes(text, bytes);
        Span<byte> hash = stackalloc byte[32];
        IncrementalHash hmac = _hash.Value!;
        hmac.AppendData(bytes[..written]);
        hmac.GetHashAndReset(hash);
        return Prefix + Convert.ToHexStringLower(hash);
    }
}
