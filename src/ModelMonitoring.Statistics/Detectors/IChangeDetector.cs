namespace ModelMonitoring.Detectors;

/// <summary>
/// A concept-drift detector: a small state machine fed one value of a stream at a time (an error, a loss) that tells
/// when the stream's distribution changed. After a detection the next <see cref="Update"/> starts afresh, as river does.
/// </summary>
public interface IChangeDetector
{
    /// <summary>The detector's name, as <c>mlmon changes --detector</c> and the <c>detector</c> tag spell it.</summary>
    string Name { get; }

    /// <summary>Whether the last value completed a change.</summary>
    bool DriftDetected { get; }

    /// <summary>Whether the last value put the stream in the warning zone (detectors without one never set it).</summary>
    bool WarningDetected { get; }

    /// <summary>Takes the next value of the stream; returns <see cref="DriftDetected"/>.</summary>
    /// <param name="value">The value; NaN and infinities are ignored.</param>
    bool Update(double value);

    /// <summary>Forgets the stream.</summary>
    void Reset();
}

/// <summary>Creates detectors by name.</summary>
public static class ChangeDetectors
{
    /// <summary>The detector names: <c>adwin</c>, <c>page-hinkley</c>, <c>ddm</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["adwin", "page-hinkley", "ddm"];

    /// <summary>A detector with its default parameters (river's), by name, case-insensitive; <c>page_hinkley</c> works too.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <exception cref="ArgumentException">Unknown name; the message lists the names.</exception>
    public static IChangeDetector Create(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Replace('_', '-').ToLowerInvariant() switch
        {
            "adwin" => new Adwin(),
            "page-hinkley" => new PageHinkley(),
            "ddm" => new Ddm(),
            _ => throw new ArgumentException($"Unknown change detector '{name}'. Choose one of: {string.Join(", ", Names)}.", nameof(name)),
        };
    }
}
