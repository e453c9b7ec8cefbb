namespace ModelMonitoring.Sketches;

/// <summary>
/// A baseline profile file (or JSON text) that cannot be used: unreadable, truncated, corrupt, of an unknown format
/// version, or not matching the features the model expects. The message names the file, and the feature and field
/// when one is at fault.
/// </summary>
public sealed class BaselineFormatException : Exception
{
    /// <summary>Creates the exception with a message only.</summary>
    public BaselineFormatException()
        : this("The baseline profile is not valid.")
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    /// <param name="message">What is wrong.</param>
    public BaselineFormatException(string message)
        : base(message)
    {
        Problems = [message];
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public BaselineFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Creates the exception for a source, a feature and a field.</summary>
    /// <param name="source">The file path, or another name for the JSON text; <see langword="null"/> when unknown.</param>
    /// <param name="feature">The feature at fault, if any.</param>
    /// <param name="field">The JSON field at fault, if any.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="innerException">The cause, if any.</param>
    public BaselineFormatException(string? source, string? feature, string? field, string problem, Exception? innerException = null)
        : base(Describe(source, feature, field, problem), innerException)
    {
        SourceName = source;
        Feature = feature;
        Field = field;
        Problems = [problem];
    }

    /// <summary>Creates the exception for several problems found at once (e.g. a feature mismatch).</summary>
    /// <param name="source">The file path, or another name for the JSON text; <see langword="null"/> when unknown.</param>
    /// <param name="problems">Every problem found.</param>
    public BaselineFormatException(string? source, IReadOnlyList<string> problems)
        : base(DescribeAll(source, problems))
    {
        SourceName = source;
        Problems = problems;
    }

    /// <summary>The file path (or other name) of the baseline, when known.</summary>
    public string? SourceName { get; }

    /// <summary>The feature at fault, when one is.</summary>
    public string? Feature { get; }

    /// <summary>The JSON field at fault, when one is.</summary>
    public string? Field { get; }

    /// <summary>Every problem found, one sentence each.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Describe(string? source, string? feature, string? field, string problem)
    {
        string where = source is null ? "Baseline profile" : $"Baseline profile '{source}'";
        if (feature is not null)
        {
            where += $", feature '{feature}'";
        }

        if (field is not null)
        {
            where += $", field '{field}'";
        }

        return $"{where}: {problem}";
    }

    private static string DescribeAll(string? source, IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        string where = source is null ? "Baseline profile" : $"Baseline profile '{source}'";
        return problems.Count == 1
            ? $"{where}: {problems[0]}"
            : $"{where}: {problems.Count} problems:{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", problems)}";
    }
}
