using System.CommandLine;
using System.Globalization;
using ModelMonitoring.Cli.Data;
using ModelMonitoring.Cli.Reports;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Cli.Commands;

/// <summary>What the user asked <c>mlmon drift</c> for, before validation.</summary>
internal sealed record DriftOptions(
    string Reference,
    string Current,
    IReadOnlyList<string> Categorical,
    string Method,
    double? Threshold,
    string? Engine,
    string? Format,
    string? Output,
    string? InputFormat = null,
    string? Delimiter = null,
    bool Timings = false)
{
    /// <summary><c>--min-effect-size</c> entries: a number for every method, or <c>name=number</c> for one.</summary>
    public IReadOnlyList<string> MinimumEffectSizes { get; init; } = [];

    /// <summary><c>--chunk-thresholds</c>: NannyML-style thresholds from the reference's chunks.</summary>
    public bool ChunkThresholds { get; init; }

    /// <summary><c>--chunks</c>: how many chunks a CSV reference is cut into for the chunk thresholds.</summary>
    public int Chunks { get; init; } = ColumnDriftSettings.DefaultChunkCount;

    /// <summary><c>--range-tolerance</c>: the share of the reference's range that widens it for the out-of-range count.</summary>
    public double RangeTolerance { get; init; }

    /// <summary>Whether to score the current rows with an isolation forest (<c>--outliers</c>).</summary>
    public bool Outliers { get; init; }

    /// <summary>A column whose values split both files: one report per segment (<c>--segment</c>).</summary>
    public string? Segment { get; init; }
}

/// <summary>
/// <c>mlmon drift</c>: compares a current CSV file with a reference (a CSV file, or a baseline profile written by
/// <c>mlmon baseline</c>) column by column and writes a table, JSON or HTML report. Exit code 1 when the dataset drifted.
/// </summary>
internal static class DriftCommand
{
    /// <summary>The formats <c>--format</c> accepts.</summary>
    public static readonly string[] Formats = ["table", "json", "html"];

    /// <summary>The engines <c>--engine</c> accepts.</summary>
    public static readonly string[] Engines = ["exact", "sketch"];

    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var reference = new Option<string>("--reference", "-r")
        {
            Description = "The reference data: a CSV, Parquet or JSON lines file, or a baseline profile (.json) written by 'mlmon baseline'.",
            HelpName = "file",
            Required = true,
        };
        var current = new Option<string>("--current", "-c")
        {
            Description = "The current data: a CSV, Parquet or JSON lines file with the same columns.",
            HelpName = "file",
            Required = true,
        };
        var categorical = new Option<string[]>("--categorical")
        {
            Description = "Columns to treat as categorical whatever they hold, comma separated (a,b). Others are numerical when every non-empty cell is a number.",
            HelpName = "columns",
            AllowMultipleArgumentsPerToken = false,
        };
        var method = new Option<string>("--method", "-m")
        {
            Description = "The drift method, by Evidently's stattest name, for every column it applies to; other columns keep their default. Default: auto, Evidently's choice per column. " + MethodList(),
            HelpName = "name",
            DefaultValueFactory = _ => "auto",
        };
        var threshold = new Option<double?>("--threshold", "-t")
        {
            Description = "The drift threshold for the columns the method applies to (all columns with auto): a p-value for ks, chisquare and z (drift below it), a distance otherwise (drift at or above it).",
            HelpName = "value",

            // Invariant culture, whatever the machine's locale (the default parser uses the current culture).
            CustomParser = result =>
            {
                string token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
                if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                {
                    return value;
                }

                result.AddError($"--threshold: '{token}' is not a number; write it with a decimal point, such as 0.05 or 0.2.");
                return null;
            },
        };
        var engine = new Option<string?>("--engine")
        {
            Description = "exact: every row (the default with a CSV reference); sketch: quantile sketches and bounded counts (the default, and the only choice, with a baseline reference).",
            HelpName = "exact|sketch",
        };
        var format = new Option<string?>("--format", "-f")
        {
            Description = "Report format: table, json or html. Default: from the --output extension (.json, .html), else table.",
            HelpName = "table|json|html",
        };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Write the report to this file instead of stdout.",
            HelpName = "file",
        };

        var input = new InputOptions();
        var timings = new Option<bool>("--timings")
        {
            Description = "Write how long each step took (reading, typing, computing, writing) to stderr.",
        };
        var minimumEffect = new Option<string[]>("--min-effect-size")
        {
            Description = "Opt-in: a column whose effect size (KS D, total variation distance, the distance itself... see docs/statistics.md) is below this never drifts, so that large files do not flag differences too small to matter. A number for every method, or name=number for one (repeatable): --min-effect-size 0.05 --min-effect-size wasserstein=0.1.",
            HelpName = "[name=]value",
            AllowMultipleArgumentsPerToken = false,
        };
        var chunkThresholds = new Option<bool>("--chunk-thresholds")
        {
            Description = "Opt-in: NannyML-style thresholds. The reference is cut into --chunks chunks (a baseline uses those it stores), each compared with the whole reference; a column drifts when its effect size is above the mean + 3 standard deviations of theirs.",
        };
        var chunks = new Option<int>("--chunks")
        {
            Description = "How many chunks a CSV reference is cut into for --chunk-thresholds (2 to 1000). Default 10.",
            HelpName = "count",
            DefaultValueFactory = _ => ColumnDriftSettings.DefaultChunkCount,
        };
        var rangeTolerance = new Option<double>("--range-tolerance")
        {
            Description = "Data quality: widen the reference's [min, max] by this share of its range on each side before counting a value as out of range (0.1: 10 %). Default 0.",
            HelpName = "share",
        };

        var outliers = new Option<bool>("--outliers")
        {
            Description = "Data quality: also score every current row with an isolation forest (the baseline's, or one fitted on the reference file) and report the outlier ratio. Off by default: it costs about 6 µs per row, more than the rest of the comparison; 'mlmon outliers' scores rows one by one.",
        };

        var segment = new Option<string?>("--segment")
        {
            Description = "A column whose values split both CSV files: one drift report per segment, each against the same segment of the reference (at most 50 segments, the rest as __other__). Exit code 1 when any segment drifted.",
            HelpName = "column",
        };

        var command = new Command("drift", "Compare current data with a reference and report drift per column. Exit code: 0 no dataset drift, 1 dataset drift, 2 usage or input error.")
        {
            reference, current, categorical, method, threshold, engine, format, output, input.Format, input.Delimiter, timings,
            minimumEffect, chunkThresholds, chunks, rangeTolerance, outliers, segment,
        };

        command.SetAction((parse, cancellationToken) => Cli.GuardAsync(context, () =>
        {
            var options = new DriftOptions(
                parse.GetRequiredValue(reference),
                parse.GetRequiredValue(current),
                SplitList(parse.GetValue(categorical)),
                parse.GetValue(method) ?? "auto",
                parse.GetValue(threshold),
                parse.GetValue(engine),
                parse.GetValue(format),
                parse.GetValue(output),
                parse.GetValue(input.Format),
                parse.GetValue(input.Delimiter),
                parse.GetValue(timings))
            {
                MinimumEffectSizes = parse.GetValue(minimumEffect) ?? [],
                ChunkThresholds = parse.GetValue(chunkThresholds),
                Chunks = parse.GetValue(chunks),
                RangeTolerance = parse.GetValue(rangeTolerance),
                Outliers = parse.GetValue(outliers),
                Segment = parse.GetValue(segment),
            };
            return RunAsync(context, options, cancellationToken);
        }));
        return command;
    }

    /// <summary>Every method name, grouped by the column types it applies to, for the help text.</summary>
    internal static string MethodList()
    {
        string Names(Func<StatTest, bool> which) => string.Join(", ", StatTests.All.Where(which).Select(t => t.Name));
        return $"Numerical columns: {Names(t => t.AppliesTo(ColumnType.Numerical) && !t.AppliesTo(ColumnType.Categorical))}. "
            + $"Categorical columns: {Names(t => t.AppliesTo(ColumnType.Categorical) && !t.AppliesTo(ColumnType.Numerical))}. "
            + $"Both: {Names(t => t.AppliesTo(ColumnType.Numerical) && t.AppliesTo(ColumnType.Categorical))}.";
    }

    /// <summary>Splits <c>--categorical a,b --categorical c</c> into names.</summary>
    internal static IReadOnlyList<string> SplitList(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal)
            .ToArray();

    /// <summary>Runs a drift comparison; returns the exit code.</summary>
    public static async Task<int> RunAsync(CliContext context, DriftOptions options, CancellationToken cancellationToken)
    {
        if (options.Segment is not null)
        {
            return await SegmentedDrift.RunAsync(context, options, cancellationToken).ConfigureAwait(false);
        }

        DriftPlan plan = DriftPlan.From(options);
        if (plan.OutputPath is not null)
        {
            OutputFile.CheckWritable(plan.OutputPath, "--output");
        }

        var timings = new Timings();
        DriftReport report = await ProgressSteps.RunAsync(context, async steps =>
        {
            return plan.ReferenceIsBaseline
                ? await BaselineDrift.RunAsync(plan, steps, timings, cancellationToken).ConfigureAwait(false)
                : await RunExactAsync(plan, steps, timings, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);

        using (timings.Measure("writing the report"))
        {
            await ReportOutput.WriteAsync(context, plan.Format, plan.OutputPath, report).ConfigureAwait(false);
        }

        await WarnAboutScoresAsync(context, report).ConfigureAwait(false);
        if (plan.Timings)
        {
            await context.Error.WriteLineAsync(timings.Summary()).ConfigureAwait(false);
        }

        return report.Result.Drift ? ExitCodes.Drift : ExitCodes.NoDrift;
    }

    /// <summary>A score that is not a finite number never drifts; say so on stderr rather than leave a silent null.</summary>
    internal static async Task WarnAboutScoresAsync(CliContext context, DriftReport report)
    {
        foreach (ColumnDriftResult column in report.Result.Columns.Where(c => !double.IsFinite(c.Score)))
        {
            await context.Error.WriteLineAsync(
                $"mlmon: warning: column {Dataset.Quote(column.Name)}: the {column.MethodName} score is not a finite number ({column.Score.ToString(CultureInfo.InvariantCulture)}; null in JSON), so the column is reported as not drifted; " +
                "its values may be too large for the computation (near the double range, about 1.8e308).").ConfigureAwait(false);
        }
    }

    private static async Task<DriftReport> RunExactAsync(DriftPlan plan, ProgressSteps steps, Timings timings, CancellationToken cancellationToken)
    {
        var categorical = plan.Categorical.ToHashSet(StringComparer.Ordinal);
        IProgress<double>? referenceProgress = steps.Step($"Reading {Path.GetFileName(plan.Reference)}");
        IProgress<double>? currentProgress = steps.Step($"Reading {Path.GetFileName(plan.Current)}");

        // The two files are independent: read them on two threads; a failure in one stops the other.
        using var reads = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<Dataset> Read(string path, IProgress<double>? progress) => Task.Run(
            () =>
            {
                try
                {
                    using (timings.Measure($"reading {Path.GetFileName(path)}", parallel: true))
                    {
                        return Dataset.Load(path, categorical, progress, reads.Token, plan.Read);
                    }
                }
                catch
                {
                    reads.Cancel();
                    throw;
                }
            },
            CancellationToken.None);
        Task<Dataset> referenceTask = Read(plan.Reference, referenceProgress);
        Task<Dataset> currentTask = Read(plan.Current, currentProgress);
        try
        {
            await Task.WhenAll(referenceTask, currentTask).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The first real error (the reference's before the current's), not the cancellation it caused.
            Exception? error = new[] { referenceTask, currentTask }
                .Where(t => t.IsFaulted)
                .Select(t => t.Exception!.InnerException!)
                .FirstOrDefault(e => e is not OperationCanceledException);
            if (error is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
            }

            throw;
        }

        Dataset reference = referenceTask.Result;
        Dataset current = currentTask.Result;
        ColumnTyping.CheckCategoricalNames(plan.Categorical, reference.ColumnNames.ToArray(), plan.Reference);

        (Dictionary<string, bool> referenceTypes, Dictionary<string, bool> currentTypes) = (QualitySection.OwnTypes(reference), QualitySection.OwnTypes(current));
        IReadOnlyList<ColumnPair> columns;
        using (timings.Measure("matching and typing columns"))
        {
            columns = ColumnTyping.Pair(reference, current, cancellationToken);
        }

        ProgressStep? evaluateProgress = steps.Step("Computing drift");
        DatasetDriftResult result;
        using (timings.Measure("computing drift"))
        {
            result = await Task.Run(
                () => DriftEngines.EvaluateExact(columns, plan.SettingsFor(columns.ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal)), evaluateProgress, cancellationToken),
                cancellationToken).ConfigureAwait(false);
        }

        result = WithMissingCounts(result, columns);

        var report = new DriftReport(
            plan.Reference,
            plan.Current,
            "exact",
            plan.MethodName,
            columns.Where(c => c.Type == ColumnType.Categorical).Select(c => c.Name).ToArray(),
            result,
            reference.RowCount,
            current.RowCount,
            DatasetDriftResult.DefaultDriftShare);
        using (timings.Measure(plan.Outliers ? "data quality and outliers" : "data quality"))
        {
            report = report with { Quality = QualitySection.FromFiles(columns, reference, current, referenceTypes, currentTypes, plan.Categorical.ToHashSet(StringComparer.Ordinal), plan.Quality, plan.Outliers) };
        }

        if (plan.Format == "html")
        {
            using (timings.Measure("histograms"))
            {
                report = report with
                {
                    Histograms = columns.ToDictionary(c => c.Name, c => ColumnHistogram.FromSamples(c.Reference, c.Current), StringComparer.Ordinal),
                };
            }
        }

        return report;
    }

    /// <summary>Copies the missing-value counts of the samples into the results.</summary>
    internal static DatasetDriftResult WithMissingCounts(DatasetDriftResult result, IReadOnlyList<ColumnPair> columns)
    {
        var byName = columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var filled = result.Columns
            .Select(c => byName.TryGetValue(c.Name, out ColumnPair? pair)
                ? c with { ReferenceMissing = pair.Reference.MissingCount, CurrentMissing = pair.Current.MissingCount }
                : c)
            .ToArray();
        return result with { Columns = filled };
    }
}

/// <summary>Validated <c>mlmon drift</c> options.</summary>
internal sealed record DriftPlan(
    string Reference,
    string Current,
    IReadOnlyList<string> Categorical,
    StatTest? Method,
    double? Threshold,
    bool ReferenceIsBaseline,
    string Format,
    string? OutputPath)
{
    /// <summary>How the data files are read (format, delimiter).</summary>
    public ReadOptions Read { get; init; } = ReadOptions.Default;

    /// <summary>Whether to write the steps' timings to stderr.</summary>
    public bool Timings { get; init; }

    /// <summary>The method's name (<c>auto</c> when not forced).</summary>
    public string MethodName => Method?.Name ?? "auto";

    /// <summary>The minimum effect size for every method (<c>--min-effect-size 0.05</c>), or null.</summary>
    public double? MinimumEffectSize { get; init; }

    /// <summary>The minimum effect size per method (<c>--min-effect-size ks=0.05</c>).</summary>
    public IReadOnlyDictionary<StatTest, double> MinimumEffectSizes { get; init; } = new Dictionary<StatTest, double>();

    /// <summary>Whether the chunk thresholds decide (<c>--chunk-thresholds</c>).</summary>
    public bool ChunkThresholds { get; init; }

    /// <summary>How many chunks a CSV reference is cut into (<c>--chunks</c>).</summary>
    public int Chunks { get; init; } = ColumnDriftSettings.DefaultChunkCount;

    /// <summary>The data-quality settings (<c>--range-tolerance</c>).</summary>
    public ModelMonitoring.Quality.DataQualitySettings Quality { get; init; } = new();

    /// <summary>Whether the current rows are scored for outliers (<c>--outliers</c>).</summary>
    public bool Outliers { get; init; }

    /// <summary>Validates the options.</summary>
    /// <exception cref="CliInputException">An option is invalid; the message names it.</exception>
    public static DriftPlan From(DriftOptions options)
    {
        StatTest? method = null;
        if (!string.Equals(options.Method?.Trim(), "auto", StringComparison.OrdinalIgnoreCase) && !StatTests.TryGet(options.Method, out method))
        {
            throw new CliInputException(
                $"--method: '{options.Method}' is not a drift method; use auto or one of: {string.Join(", ", StatTests.Names)}.");
        }

        (double? everyMethod, Dictionary<StatTest, double> perMethod) = ParseMinimumEffectSizes(options.MinimumEffectSizes);
        if (options.Chunks < 2 || options.Chunks > 1000)
        {
            throw new CliInputException($"--chunks: {options.Chunks} is not a chunk count; use 2 to 1000.");
        }

        if (options.Threshold is double t)
        {
            if (!double.IsFinite(t) || t <= 0)
            {
                throw new CliInputException($"--threshold: {t.ToString(CultureInfo.InvariantCulture)} is not a valid threshold; it must be a number greater than 0.");
            }

            if (method is { IsPValue: true } && t >= 1)
            {
                throw new CliInputException(
                    $"--threshold: {t.ToString(CultureInfo.InvariantCulture)} is not a valid threshold for {method.Name}, whose score is a p-value; use a value between 0 and 1 (such as 0.05).");
            }
        }

        bool baseline = string.Equals(Path.GetExtension(options.Reference), ".json", StringComparison.OrdinalIgnoreCase);
        string? engine = options.Engine?.Trim().ToLowerInvariant();
        if (engine is not null && !DriftCommand.Engines.Contains(engine))
        {
            throw new CliInputException($"--engine: '{options.Engine}' is not an engine; use exact or sketch.");
        }

        if (baseline && engine == "exact")
        {
            throw new CliInputException(
                $"--engine exact needs the reference rows, but {options.Reference} is a baseline profile (sketches and counts); use --engine sketch, or a CSV reference.");
        }

        if (!baseline && engine == "sketch")
        {
            throw new CliInputException(
                "--engine sketch compares against a baseline profile: write one with 'mlmon baseline ref.csv --out ref.baseline.json' and pass it as --reference.");
        }

        if (!(options.RangeTolerance >= 0) || double.IsInfinity(options.RangeTolerance))
        {
            throw new CliInputException($"--range-tolerance: {options.RangeTolerance.ToString(CultureInfo.InvariantCulture)} is not a share of the range; use a number of 0 or more, such as 0.1.");
        }

        string format = ResolveFormat(options.Format, options.Output);
        ReadOptions read = InputOptions.Parse(options.InputFormat, options.Delimiter);
        return new DriftPlan(options.Reference, options.Current, options.Categorical, method, options.Threshold, baseline, format, options.Output)
        {
            Read = read,
            Timings = options.Timings,
            MinimumEffectSize = everyMethod,
            MinimumEffectSizes = perMethod,
            ChunkThresholds = options.ChunkThresholds,
            Chunks = options.Chunks,
            Quality = new ModelMonitoring.Quality.DataQualitySettings { RangeTolerance = options.RangeTolerance },
            Outliers = options.Outliers,
        };
    }

    // "0.05" for every method, "ks=0.05" for one; a later entry wins.
    private static (double? EveryMethod, Dictionary<StatTest, double> PerMethod) ParseMinimumEffectSizes(IReadOnlyList<string> entries)
    {
        double? everyMethod = null;
        var perMethod = new Dictionary<StatTest, double>();
        foreach (string entry in entries.SelectMany(e => e.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            int equals = entry.IndexOf('=', StringComparison.Ordinal);
            string name = equals < 0 ? string.Empty : entry[..equals].Trim();
            string number = equals < 0 ? entry : entry[(equals + 1)..].Trim();
            if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !(value >= 0) || double.IsInfinity(value))
            {
                throw new CliInputException($"--min-effect-size: '{entry}' is not a non-negative number or name=number, such as 0.05 or ks=0.05.");
            }

            if (equals < 0)
            {
                everyMethod = value;
            }
            else if (StatTests.TryGet(name, out StatTest? test))
            {
                perMethod[test] = value;
            }
            else
            {
                throw new CliInputException($"--min-effect-size: '{name}' is not a drift method; use one of: {string.Join(", ", StatTests.Names)}.");
            }
        }

        return (everyMethod, perMethod);
    }

    private static string ResolveFormat(string? format, string? output)
    {
        if (format is not null)
        {
            string f = format.Trim().ToLowerInvariant();
            if (!DriftCommand.Formats.Contains(f))
            {
                throw new CliInputException($"--format: '{format}' is not a format; use table, json or html.");
            }

            return f;
        }

        return Path.GetExtension(output ?? string.Empty).ToLowerInvariant() switch
        {
            ".json" => "json",
            ".html" or ".htm" => "html",
            _ => "table",
        };
    }

    /// <summary>
    /// The settings per column: a forced method applies to the columns whose type allows it (the others keep their
    /// default method and threshold); the threshold goes with the forced method, or to every column with auto.
    /// </summary>
    public Func<string, ColumnDriftSettings?> SettingsFor(IReadOnlyDictionary<string, ColumnType> types)
    {
        bool decisions = MinimumEffectSize is not null || MinimumEffectSizes.Count > 0 || ChunkThresholds;
        ColumnDriftSettings? WithDecisions(ColumnDriftSettings? settings) => !decisions ? settings
            : (settings ?? new ColumnDriftSettings()) with
            {
                MinimumEffectSize = MinimumEffectSize,
                MinimumEffectSizes = MinimumEffectSizes.Count == 0 ? null : MinimumEffectSizes.ToDictionary(p => p.Key.Name, p => p.Value),
                ChunkThresholds = ChunkThresholds,
                ChunkCount = Chunks,
            };

        return name =>
        {
            if (Method is null)
            {
                return WithDecisions(Threshold is null ? null : new ColumnDriftSettings(null, Threshold));
            }

            return WithDecisions(types.TryGetValue(name, out ColumnType type) && Method.AppliesTo(type)
                ? new ColumnDriftSettings(Method, Threshold)
                : null);
        };
    }
}
