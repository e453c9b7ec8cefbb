using ModelMonitoring.Cli.Data;
using ModelMonitoring.Cli.Reports;
using ModelMonitoring.Sketches;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Cli.Commands;

/// <summary>
/// <c>mlmon drift --reference x.baseline.json</c>: profiles the current CSV file the way the baseline was built
/// (same types, sketch size and category limit) and compares them with <see cref="SketchDriftEngine"/>.
/// </summary>
internal static class BaselineDrift
{
    /// <summary>Runs the comparison.</summary>
    /// <exception cref="BaselineFormatException">The baseline is missing, corrupt or of another version.</exception>
    /// <exception cref="CliInputException">The current file's columns or types do not match the baseline.</exception>
    public static async Task<DriftReport> RunAsync(DriftPlan plan, ProgressSteps steps, Timings timings, CancellationToken cancellationToken)
    {
        InputFile.EnsureReadable(plan.Reference);
        InputFile.EnsureReadable(plan.Current);

        // The baseline and the current file are read at the same time. The current file's columns are typed from
        // its own values; a column the baseline holds as labels that read as numbers here is read again as labels
        // afterwards (rare: codes such as zip codes), so labels stay exactly as written.
        IProgress<double>? reading = steps.Step($"Reading {Path.GetFileName(plan.Current)}");
        using var reads = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var forced = plan.Categorical.ToHashSet(StringComparer.Ordinal);
        Task<BaselineProfile> baselineTask = Task.Run(
            () =>
            {
                try
                {
                    using (timings.Measure($"loading {Path.GetFileName(plan.Reference)}", parallel: true))
                    {
                        return BaselineProfile.Load(plan.Reference);
                    }
                }
                catch
                {
                    reads.Cancel();
                    throw;
                }
            },
            CancellationToken.None);
        Task<Dataset> currentTask = Task.Run(
            () =>
            {
                try
                {
                    using (timings.Measure($"reading {Path.GetFileName(plan.Current)}", parallel: true))
                    {
                        return Dataset.Load(plan.Current, forced, reading, reads.Token, plan.Read with { Parallelism = Environment.ProcessorCount });
                    }
                }
                catch
                {
                    reads.Cancel();
                    throw;
                }
            },
            CancellationToken.None);
        try
        {
            await Task.WhenAll(baselineTask, currentTask).ConfigureAwait(false);
        }
        catch (Exception)
        {
            Exception? error = new Task[] { baselineTask, currentTask }
                .Where(t => t.IsFaulted)
                .Select(t => t.Exception!.InnerException!)
                .FirstOrDefault(e => e is not OperationCanceledException);
            if (error is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
            }

            throw;
        }

        BaselineProfile baseline = baselineTask.Result;
        Dataset current = currentTask.Result;
        foreach (string name in plan.Categorical)
        {
            FeatureProfile? feature = baseline.Find(name);
            if (feature is null)
            {
                throw new CliInputException($"--categorical: {Dataset.Quote(name)} is not a column of the baseline {plan.Reference}.");
            }

            if (feature.Type != ColumnType.Categorical)
            {
                throw new CliInputException(
                    $"--categorical: column {Dataset.Quote(name)} is numerical in the baseline {plan.Reference}; a baseline fixes the column types (rebuild it with --categorical {name}).");
            }
        }

        string[] relabel = baseline.Features
            .Where(f => f.Type == ColumnType.Categorical && current.HasColumn(f.Name) && !current[f.Name].IsCategorical)
            .Select(f => f.Name)
            .ToArray();
        using (timings.Measure("reading columns again as labels"))
        {
            current.ReloadAsCategorical(relabel, cancellationToken);
        }

        CheckColumns(baseline, plan.Reference, current);

        ProgressStep? profiling = steps.Step("Profiling");
        IDisposable profileTiming = timings.Measure("profiling");
        var pairs = await Task.Run(
            () =>
            {
                var result = new (FeatureProfile Reference, FeatureProfile Current)[baseline.Features.Count];
                int done = 0;
                Parallel.For(0, result.Length, new ParallelOptions { CancellationToken = cancellationToken }, i =>
                {
                    FeatureProfile reference = baseline.Features[i];
                    ColumnSample sample = current[reference.Name].ToSample();
                    result[i] = (reference, BaselineProfile.WindowProfileOf(sample, reference)); // binned on the baseline's grid, as the runtime's windows
                    profiling?.ReportItem(Interlocked.Increment(ref done), result.Length, reference.Name);
                });
                return result;
            },
            cancellationToken).ConfigureAwait(false);

        profileTiming.Dispose();

        Dictionary<string, ColumnType> types = baseline.Features.ToDictionary(f => f.Name, f => f.Type, StringComparer.Ordinal);
        ProgressStep? computing = steps.Step("Computing drift");
        DatasetDriftResult drift;
        using (timings.Measure("computing drift"))
        {
            drift = await Task.Run(
                () => DriftEngines.EvaluateSketch(pairs, plan.SettingsFor(types), computing, cancellationToken),
                cancellationToken).ConfigureAwait(false);
        }

        var report = new DriftReport(
            plan.Reference,
            plan.Current,
            "sketch",
            plan.MethodName,
            baseline.Features.Where(f => f.Type == ColumnType.Categorical).Select(f => f.Name).ToArray(),
            drift,
            baseline.RowCount,
            current.RowCount,
            DatasetDriftResult.DefaultDriftShare);
        using (timings.Measure(plan.Outliers ? "data quality and outliers" : "data quality"))
        {
            report = report with { Quality = QualitySection.FromBaseline(baseline, current, plan.Quality, plan.Outliers) };
        }

        if (plan.Format == "html")
        {
            report = report with
            {
                Histograms = pairs.ToDictionary(p => p.Reference.Name, p => ColumnHistogram.FromProfiles(p.Reference, p.Current), StringComparer.Ordinal),
            };
        }

        return report;
    }

    /// <summary>Checks that the current file has exactly the baseline's columns, with the same types.</summary>
    private static void CheckColumns(BaselineProfile baseline, string baselinePath, Dataset current)
    {
        foreach (FeatureProfile feature in baseline.Features)
        {
            if (!current.HasColumn(feature.Name))
            {
                throw new CliInputException(
                    $"column {Dataset.Quote(feature.Name)} is in the baseline {baselinePath} but not in the current file {current.Path}.");
            }

            LoadedColumn column = current[feature.Name];
            if (feature.Type == ColumnType.Numerical && column.NotNumeric)
            {
                // Load() reloads such columns as text; FirstNonNumber survives for this message.
                throw new CliInputException(
                    $"column {Dataset.Quote(feature.Name)} is numerical in the baseline {baselinePath}, but {current.Path} line {column.FirstNonNumber?.Line} holds {Dataset.Quote(column.FirstNonNumber?.Value ?? "")}, which is not a number.");
            }

            ColumnTyping.CheckHasValues(column, current);
        }

        foreach (string name in current.ColumnNames)
        {
            if (baseline.Find(name) is null)
            {
                throw new CliInputException(
                    $"column {Dataset.Quote(name)} is in the current file {current.Path} but not in the baseline {baselinePath}.");
            }
        }
    }
}
