using ModelMonitoring.Cli.Data;
using ModelMonitoring.Cli.Reports;
using ModelMonitoring.Outliers;
using ModelMonitoring.Quality;
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
        return plan.Outliers
            ? await KeepingRowsAsync(plan, steps, timings, cancellationToken).ConfigureAwait(false)
            : await ProfilingWhileReadingAsync(plan, steps, timings, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The comparison without outlier scores: the current file profiled as it is read, each column binned on the
    /// baseline's grid and counted for quality on the fly (<see cref="BaselineColumnProfiler"/>). No value is kept, so
    /// memory does not grow with the file, and there is no profiling pass after the read. The baseline loads while the
    /// reader scans the file and reads its header; the reader waits for it only when it needs the first profiler.
    /// </summary>
    private static async Task<DriftReport> ProfilingWhileReadingAsync(DriftPlan plan, ProgressSteps steps, Timings timings, CancellationToken cancellationToken)
    {
        DataQualitySettings settings = plan.Quality;
        Task<BaselineProfile> baselineTask = Task.Run(
            () =>
            {
                using (timings.Measure($"loading {Path.GetFileName(plan.Reference)}", parallel: true))
                {
                    BaselineProfile loaded = BaselineProfile.Load(plan.Reference);

                    // Each numerical feature's grid, built once here on every core: the reader's parts wait for the
                    // baseline anyway, and each would otherwise build every grid itself when it makes its profilers.
                    Parallel.ForEach(loaded.Features, feature => FeatureProfile.CreateWindowProfile(feature));
                    return loaded;
                }
            },
            CancellationToken.None);
        var references = new Lazy<Dictionary<string, (FeatureProfile Feature, FeatureQualityReference Quality)>>(
            () => QualityReferences(baselineTask.GetAwaiter().GetResult(), settings),
            LazyThreadSafetyMode.ExecutionAndPublication);

        // The baseline fixes the types: a column it holds as labels is read as labels from the start, exactly as
        // written (the profiler says so, see ColumnSelection.NewColumn).
        IProgress<double>? reading = steps.Step($"Reading and profiling {Path.GetFileName(plan.Current)}");
        var forced = plan.Categorical.ToHashSet(StringComparer.Ordinal);
        Task<Dataset> currentTask = Task.Run(
            () =>
            {
                using (timings.Measure($"reading and profiling {Path.GetFileName(plan.Current)}", parallel: true))
                {
                    return Dataset.Load(
                        plan.Current,
                        forced,
                        reading,
                        cancellationToken,
                        plan.Read with { Parallelism = Environment.ProcessorCount },
                        name => references.Value.TryGetValue(name, out var reference) ? new BaselineColumnProfiler(reference.Feature, reference.Quality, settings) : null);
                }
            },
            CancellationToken.None);
        try
        {
            await Task.WhenAll(baselineTask, currentTask).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A baseline that cannot be loaded is the error to report (the reader fails on it too, waiting for it).
            Task failed = baselineTask.IsFaulted ? baselineTask : currentTask;
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failed.Exception?.InnerException ?? new OperationCanceledException(cancellationToken));
        }

        BaselineProfile baseline = baselineTask.Result;
        Dataset current = currentTask.Result;
        CheckCategoricalOption(plan, baseline);
        CheckColumns(baseline, plan.Reference, current);
        var pairs = baseline.Features.Select(f => (Reference: f, Current: current[f.Name].Profiler!.Profile)).ToArray();
        return await CompareAsync(plan, steps, timings, baseline, current, pairs, () =>
            new QualitySection([.. baseline.Features.Select(f => current[f.Name].Profiler!.Quality.ToResult())], 0, 0, double.NaN, "none"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What each baseline feature's quality is checked against: its range, categories and robust z-score.</summary>
    private static Dictionary<string, (FeatureProfile Feature, FeatureQualityReference Quality)> QualityReferences(BaselineProfile baseline, DataQualitySettings settings)
    {
        OutlierProfile? outliers = baseline.Outliers;
        var references = new Dictionary<string, (FeatureProfile Feature, FeatureQualityReference Quality)>(StringComparer.Ordinal);
        foreach (FeatureProfile feature in baseline.Features)
        {
            int index = outliers?.IndexOf(feature.Name) ?? -1;
            RobustZScore? robust = index >= 0 ? outliers!.RobustScores[index] : null;
            references[feature.Name] = (feature, FeatureQualityReference.FromProfile(feature, settings.RangeTolerance, robust));
        }

        return references;
    }

    /// <summary>
    /// The comparison with outlier scores, which need the current rows: the baseline and the current file are read at
    /// the same time, the columns kept, then profiled.
    /// </summary>
    private static async Task<DriftReport> KeepingRowsAsync(DriftPlan plan, ProgressSteps steps, Timings timings, CancellationToken cancellationToken)
    {

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
        CheckCategoricalOption(plan, baseline);

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
        return await CompareAsync(plan, steps, timings, baseline, current, pairs, () => QualitySection.FromBaseline(baseline, current, plan.Quality, plan.Outliers), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Compares the current profiles with the baseline's and builds the report, its quality section from <paramref name="quality"/>.</summary>
    private static async Task<DriftReport> CompareAsync(
        DriftPlan plan,
        ProgressSteps steps,
        Timings timings,
        BaselineProfile baseline,
        Dataset current,
        (FeatureProfile Reference, FeatureProfile Current)[] pairs,
        Func<QualitySection> quality,
        CancellationToken cancellationToken)
    {
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
            report = report with { Quality = quality() };
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

    /// <summary>Checks that every <c>--categorical</c> column is a categorical column of the baseline.</summary>
    private static void CheckCategoricalOption(DriftPlan plan, BaselineProfile baseline)
    {
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
                // Load() reloads such columns as text, or a profiled column stops at it; FirstNonNumber survives for this message.
                string where = column.FirstNonNumber?.Line is long line and > 0 ? $"{current.Path} line {line}" : current.Path;
                throw new CliInputException(
                    $"column {Dataset.Quote(feature.Name)} is numerical in the baseline {baselinePath}, but {where} holds {Dataset.Quote(column.FirstNonNumber?.Value ?? "")}, which is not a number.");
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
