using ModelMonitoring.Cli.Data;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Cli.Commands;

/// <summary>Runs the library's drift engines over loaded columns.</summary>
internal static class DriftEngines
{
    /// <summary>Evaluates every column with the exact engine.</summary>
    public static DatasetDriftResult EvaluateExact(
        IReadOnlyList<ColumnPair> columns,
        Func<string, ColumnDriftSettings?> settingsFor,
        IProgress<double>? progress,
        CancellationToken cancellationToken)
    {
        _ = columns;
        _ = settingsFor;
        _ = progress;
        cancellationToken.ThrowIfCancellationRequested();
        throw new CliInputException("the exact drift engine is not available in this build.");
    }
}
