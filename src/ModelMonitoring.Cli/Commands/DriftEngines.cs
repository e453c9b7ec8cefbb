using ModelMonitoring.Cli.Data;
using ModelMonitoring.Sketches;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Cli.Commands;

/// <summary>Runs the library's drift engines over loaded columns, one column per core.</summary>
internal static class DriftEngines
{
    /// <summary>Evaluates every column with <see cref="ExactDriftEngine"/>; results follow the columns' order.</summary>
    public static DatasetDriftResult EvaluateExact(
        IReadOnlyList<ColumnPair> columns,
        Func<string, ColumnDriftSettings?> settingsFor,
        ProgressStep? progress,
        CancellationToken cancellationToken) =>
        EvaluateInParallel(
            columns.Count,
            i => columns[i].Name,
            i => ExactDriftEngine.EvaluateColumn(columns[i].Reference, columns[i].Current, settingsFor(columns[i].Name)),
            progress,
            cancellationToken);

    /// <summary>Evaluates every feature with <see cref="SketchDriftEngine"/>; results follow the baseline's order.</summary>
    public static DatasetDriftResult EvaluateSketch(
        IReadOnlyList<(FeatureProfile Reference, FeatureProfile Current)> features,
        Func<string, ColumnDriftSettings?> settingsFor,
        ProgressStep? progress,
        CancellationToken cancellationToken) =>
        EvaluateInParallel(
            features.Count,
            i => features[i].Reference.Name,
            i => SketchDriftEngine.EvaluateColumn(features[i].Reference, features[i].Current, settingsFor(features[i].Reference.Name)),
            progress,
            cancellationToken);

    /// <summary>Runs <paramref name="evaluate"/> for every column, one per core, reporting each column as it completes.</summary>
    internal static DatasetDriftResult EvaluateInParallel(
        int count,
        Func<int, string> nameOf,
        Func<int, ColumnDriftResult> evaluate,
        ProgressStep? progress,
        CancellationToken cancellationToken)
    {
        var results = new ColumnDriftResult[count];
        int done = 0;
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
        try
        {
            Parallel.For(0, count, options, i =>
            {
                results[i] = evaluate(i);
                progress?.ReportItem(Interlocked.Increment(ref done), count, nameOf(i));
            });
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is ArgumentException))
        {
            // The engines check their inputs; what reaches them was validated here, so this names a data problem
            // the loaders did not catch (the message names the column).
            throw new CliInputException(ex.InnerExceptions[0].Message, ex.InnerExceptions[0]);
        }

        return DatasetDriftResult.FromColumns(results, DatasetDriftResult.DefaultDriftShare);
    }
}
