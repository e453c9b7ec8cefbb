namespace ModelMonitoring;

/// <summary>What the inference capture does with <see cref="SensitiveAttribute"/> features.</summary>
public enum SensitiveCapture
{
    /// <summary>They are left out of the record.</summary>
    Drop,

    /// <summary>
    /// They are written as <c>hmac:</c> and the hex HMAC-SHA256 of the value under <see cref="InferenceCaptureOptions.HashKey"/>,
    /// so that equal values can be joined without being readable. The hash is taken when the value is read (by
    /// <c>FeatureValues.Protect</c> in generated code); a value recorded as mere presence is written <c>[redacted]</c>.
    /// </summary>
    Hash,
}

/// <summary>
/// Settings of the inference capture (<see cref="InferenceCapture"/>): the sampled prediction records written as
/// rolling JSON-lines files, bound from <c>ModelMonitoring:Capture</c> in a host.
/// </summary>
public sealed class InferenceCaptureOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "ModelMonitoring:Capture";

    /// <summary>Whether records are written. Default <see langword="false"/>: capture is opted into.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The folder of the files (relative paths are relative to the current directory); each model writes into a
    /// sub-folder named after it. Default <c>inference-capture</c>.
    /// </summary>
    public string Directory { get; set; } = "inference-capture";

    /// <summary>The share of predictions written, 0 to 1 (exactly: one in <c>1 / SampleRate</c>). Default 1: all.</summary>
    public double SampleRate { get; set; } = 1.0;

    /// <summary>The models captured, by name; empty (the default) captures every model.</summary>
    public List<string> Models { get; set; } = [];

    /// <summary>Whether failed and canceled calls are written too (their prediction is null). Default <see langword="true"/>.</summary>
    public bool IncludeFailures { get; set; } = true;

    /// <summary>What happens to <c>[Sensitive]</c> features. Default <see cref="SensitiveCapture.Drop"/>.</summary>
    public SensitiveCapture Sensitive { get; set; } = SensitiveCapture.Drop;

    /// <summary>
    /// The secret key of <see cref="SensitiveCapture.Hash"/>: at least 16 bytes, as text, or as <c>base64:</c> and its
    /// base64 encoding. Keep it out of source control (an environment variable <c>ModelMonitoring__Capture__HashKey</c>).
    /// </summary>
    public string? HashKey { get; set; }

    /// <summary>A file is closed and the next one opened once it reaches this size. Default 100 MB.</summary>
    public long MaxFileBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>A new file is started at each multiple of this period (UTC), whatever its size. Default 1 hour.</summary>
    public TimeSpan RollInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Files kept per model; the oldest are deleted when a new one starts. Default 168 (a week of hours).</summary>
    public int RetainedFiles { get; set; } = 168;

    /// <summary>Records that can wait to be written; when the buffer is full, records are dropped and counted. Default 10,000.</summary>
    public int BufferCapacity { get; set; } = 10_000;

    /// <summary>Returns one message per invalid setting, naming it (never the hash key itself); empty when all are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Directory))
        {
            errors.Add($"{SectionName}:{nameof(Directory)} must name a folder.");
        }

        if (double.IsNaN(SampleRate) || SampleRate < 0 || SampleRate > 1)
        {
            errors.Add($"{SectionName}:{nameof(SampleRate)} must be between 0 and 1 (was {SampleRate}).");
        }

        if (Sensitive == SensitiveCapture.Hash)
        {
            if (string.IsNullOrEmpty(HashKey))
            {
                errors.Add($"{SectionName}:{nameof(HashKey)} must be set when {nameof(Sensitive)} is Hash.");
            }
            else if (!SensitiveValueHasher.TryDecodeKey(HashKey, out byte[]? key) || key!.Length < 16)
            {
                errors.Add($"{SectionName}:{nameof(HashKey)} must be at least 16 bytes (text, or 'base64:' and valid base64).");
            }
        }

        if (MaxFileBytes < 1024)
        {
            errors.Add($"{SectionName}:{nameof(MaxFileBytes)} must be at least 1024 (was {MaxFileBytes}).");
        }

        if (RollInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{SectionName}:{nameof(RollInterval)} must be at least one second (was {RollInterval}).");
        }

        if (RetainedFiles < 1)
        {
            errors.Add($"{SectionName}:{nameof(RetainedFiles)} must be at least 1 (was {RetainedFiles}).");
        }

        if (BufferCapacity < 1 || BufferCapacity > 10_000_000)
        {
            errors.Add($"{SectionName}:{nameof(BufferCapacity)} must be between 1 and 10000000 (was {BufferCapacity}).");
        }

        return errors;
    }

    internal InferenceCaptureOptions Clone()
    {
        var clone = (InferenceCaptureOptions)MemberwiseClone();
        clone.Models = [.. Models];
        return clone;
    }
}
