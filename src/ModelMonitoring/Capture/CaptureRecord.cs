using ModelMonitoring.Runtime;

namespace ModelMonitoring;

/// <summary>
/// One prediction copied off the folder thread for the capture writer: everything a line needs, with strings already
/// bounded. Pooled: the folder rents, the writer returns.
/// </summary>
internal sealed class CaptureRecord
{
    public const byte Absent = 0;   // not written (a dropped sensitive feature, or not captured by the model)
    public const byte Null = 1;     // written as null
    public const byte Number = 2;
    public const byte Label = 3;

    public string Model = string.Empty;
    public string? ModelVersion;
    public string Method = string.Empty;
    public DateTimeOffset Timestamp;
    public PredictionOutcome Outcome;
    public double DurationMilliseconds;  // NaN: a further item of a batch
    public string? Key;
    public string? Segment;
    public IReadOnlyList<FeatureDescriptor> Features = [];
    public byte[] States = [];
    public double[] Numbers = [];
    public string?[] Labels = [];

    public void Prepare(int features)
    {
        if (States.Length < features)
        {
            States = new byte[features];
            Numbers = new double[features];
            Labels = new string?[features];
        }
    }

    public void Clear()
    {
        Array.Clear(Labels); // no caller's string stays alive in the pool
        Key = null;
        Segment = null;
        Features = [];
    }
}
