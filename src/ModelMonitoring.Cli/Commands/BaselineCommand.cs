using System.CommandLine;
using System.Globalization;
using ModelMonitoring.Cli.Data;
using ModelMonitoring.Sketches;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Cli.Commands;

/// <summary>
/// <c>mlmon baseline train.csv --out pricing.baseline.json</c>: writes a reference profile of a CSV file (a quantile
/// sketch and moments per numerical column, bounded counts per categorical column, never the rows) that
/// <c>mlmon drift --reference</c> and the streaming engine load.
/// </summary>
internal static class BaselineCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var input = new Argument<string>("data")
        {
            Description = "The reference data: a CSV, Parquet or JSON lines file.",
            HelpName = "file",
        };
        var output = new Option<string>("--out", "-o", "--output")
        {
            Description = "The baseline file to write (JSON), for example pricing.baseline.json.",
            HelpName = "file",
            Required = true,
        };
        var categorical = new Option<string[]>("--categorical")
        {
            Description = "Columns to treat as categorical whatever they hold, comma separated (a,b).",
            HelpName = "columns",
        };
        var model = new Option<string?>("--model")
        {
            Description = "The model's name, recorded in the baseline.",
            HelpName = "name",
        };

        var inputOptions = new InputOptions();
        var chunks = new Option<int>("--chunks")
        {
            Description = "Also profile this many consecutive chunks of each column, for 'mlmon drift --chunk-thresholds' and the runtime's ChunkThresholds (0 to 1000; 10 is NannyML's default). Default 0: none.",
            HelpName = "count",
        };

        var command = new Command("baseline", "Write a baseline profile (sketches and counts, not rows) of a reference data file.")
        {
            input, output, categorical, model, inputOptions.Format, inputOptions.Delimiter, chunks,
        };
        command.SetAction((parse, cancellationToken) => Cli.GuardAsync(context, () => RunAsync(
            context,
            parse.GetRequiredValue(input),
            parse.GetRequiredValue(output),
            DriftCommand.SplitList(parse.GetValue(categorical)),
            parse.GetValue(model),
            InputOptions.Parse(parse.GetValue(inputOptions.Format), parse.GetValue(inputOptions.Delimiter)),
            cancellationToken,
            parse.GetValue(chunks))));
        return command;
    }

    /// <summary>Builds and writes the baseline; returns the exit code.</summary>
    public static async Task<int> RunAsync(
        CliContext context,
        string input,
        string output,
        IReadOnlyList<string> categorical,
        string? model,
        ReadOptions read,
        CancellationToken cancellationToken,
        int chunks = 0)
    {
        if (chunks < 0 || chunks > 1000)
        {
            throw new CliInputException($"--chunks: {chunks} is not a chunk count; use 0 to 1000.");
        }

        OutputFile.CheckWritable(output, "--out");

        (BaselineProfile profile, Dataset data) = await ProgressSteps.RunAsync(context, async steps =>
        {
            IProgress<double>? reading = steps.Step($"Reading {Path.GetFileName(input)}");
            Dataset data = await Task.Run(
                () => Dataset.Load(input, categorical.ToHashSet(StringComparer.Ordinal), reading, cancellationToken, read with { Parallelism = Environment.ProcessorCount }),
                cancellationToken).ConfigureAwait(false);
            ColumnTyping.CheckCategoricalNames(categorical, data.ColumnNames.ToArray(), input);
            foreach (LoadedColumn column in data.Columns)
            {
                ColumnTyping.CheckHasValues(column, data);
            }

            ProgressStep? profiling = steps.Step("Building profiles");
            BaselineProfile profile = await Task.Run(
                () =>
                {
                    ColumnSample[] samples = data.Columns.Select(c => c.ToSample()).ToArray();
                    var features = new FeatureProfile[samples.Length];
                    int done = 0;
                    Parallel.For(0, samples.Length, new ParallelOptions { CancellationToken = cancellationToken }, i =>
                    {
                        features[i] = BaselineProfile.ProfileOf(samples[i], chunks: chunks);
                        profiling?.ReportItem(Interlocked.Increment(ref done), samples.Length, samples[i].Name);
                    });
                    return new BaselineProfile(features, model, data.RowCount, DateTimeOffset.UtcNow) { Outliers = OutlierReference.Fit(data) };
                },
                cancellationToken).ConfigureAwait(false);
            return (profile, data);
        }).ConfigureAwait(false);

        OutputFile.Write(output, "--out", profile.ToJson());
        long bytes = new FileInfo(output).Length;
        int numerical = profile.Features.Count(f => f.Type == ColumnType.Numerical);
        await context.Output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"Baseline of {profile.Features.Count} columns ({numerical} numerical, {profile.Features.Count - numerical} categorical) from {data.RowCount:N0} rows of {input} written to {output} ({bytes / 1024.0:0.#} KiB).")).ConfigureAwait(false);
        return ExitCodes.NoDrift;
    }
}

/// <summary>Recognises the library's baseline errors (corrupt, truncated, mismatched).</summary>
internal static class BaselineErrors
{
    /// <summary>Whether the exception reports a corrupt or mismatched baseline.</summary>
    public static bool IsBaselineError(Exception exception) => exception is BaselineFormatException;
}
