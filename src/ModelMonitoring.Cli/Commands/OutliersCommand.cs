using System.CommandLine;
using System.Globalization;
using System.Text;
using ModelMonitoring.Cli.Data;
using ModelMonitoring.Outliers;

namespace ModelMonitoring.Cli.Commands;

/// <summary>
/// <c>mlmon outliers --train train.csv --score score.csv [--output scores.csv] [--seed N] [--contamination X]</c>: fits an
/// isolation forest (scikit-learn's defaults: 100 trees, 256 samples per tree) on the numerical columns of the training
/// file and writes one line per row of the scored file: <c>index</c> (0-based), <c>score</c> (Liu et al.'s anomaly score,
/// higher is more anomalous: scikit-learn's <c>-score_samples</c>) and <c>is_outlier</c> (0 or 1).
/// </summary>
internal static class OutliersCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var train = new Option<string>("--train")
        {
            Description = "The data to fit the isolation forest on (CSV, Parquet or JSON lines): its numerical columns are the features.",
            HelpName = "file",
            Required = true,
        };
        var score = new Option<string>("--score")
        {
            Description = "The data to score, with the training file's numerical columns (others are ignored). A missing value takes the training median.",
            HelpName = "file",
            Required = true,
        };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "The CSV file to write (index,score,is_outlier). Default: stdout.",
            HelpName = "file",
        };
        var seed = new Option<int>("--seed")
        {
            Description = "The seed of the forest's random draws. Default 0.",
            HelpName = "N",
        };
        var contamination = new Option<string>("--contamination")
        {
            Description = "The threshold: auto (score above 0.5, as scikit-learn) or the expected share of outliers in the training data, in (0, 0.5]. Default auto.",
            HelpName = "auto|X",
            DefaultValueFactory = _ => "auto",
        };
        var trees = new Option<int>("--trees")
        {
            Description = "The number of trees (1 to 1000). Default 100.",
            HelpName = "N",
            DefaultValueFactory = _ => 100,
        };
        var inputOptions = new InputOptions();
        var command = new Command("outliers", "Score rows with an isolation forest fitted on training data: one line per row, higher is more anomalous.")
        {
            train, score, output, seed, contamination, trees, inputOptions.Format, inputOptions.Delimiter,
        };
        command.SetAction((parse, cancellationToken) => Cli.GuardAsync(context, () => RunAsync(
            context,
            parse.GetRequiredValue(train),
            parse.GetRequiredValue(score),
            parse.GetValue(output),
            parse.GetValue(seed),
            parse.GetValue(contamination) ?? "auto",
            parse.GetValue(trees),
            InputOptions.Parse(parse.GetValue(inputOptions.Format), parse.GetValue(inputOptions.Delimiter)),
            cancellationToken)));
        return command;
    }

    /// <summary>Fits, scores and writes; returns the exit code (0).</summary>
    public static async Task<int> RunAsync(CliContext context, string trainPath, string scorePath, string? output, int seed, string contaminationText, int trees, ReadOptions read, CancellationToken cancellationToken)
    {
        if (!OutlierContamination.TryParse(contaminationText, out OutlierContamination contamination))
        {
            throw new CliInputException($"--contamination: '{contaminationText}' is not auto or a number greater than 0 and at most 0.5 (such as 0.05).");
        }

        if (trees < 1 || trees > IsolationForestOptions.MaxTrees)
        {
            throw new CliInputException($"--trees: {trees} is not a tree count; use 1 to {IsolationForestOptions.MaxTrees}.");
        }

        if (output is not null)
        {
            OutputFile.CheckWritable(output, "--output");
        }

        var none = new HashSet<string>(StringComparer.Ordinal);
        Dataset train = await Task.Run(() => Dataset.Load(trainPath, none, null, cancellationToken, read), cancellationToken).ConfigureAwait(false);
        Dataset scored = await Task.Run(() => Dataset.Load(scorePath, none, null, cancellationToken, read), cancellationToken).ConfigureAwait(false);

        LoadedColumn[] features = train.Columns.Where(c => !c.IsCategorical && !c.NotNumeric).ToArray();
        if (features.Length == 0)
        {
            throw new CliInputException($"{trainPath}: no numerical column to fit an isolation forest on (columns: {string.Join(", ", train.ColumnNames)}).");
        }

        if (train.RowCount < 2)
        {
            throw new CliInputException($"{trainPath}: an isolation forest needs at least 2 rows (the file has {train.RowCount}).");
        }

        string[] names = features.Select(c => c.Name).ToArray();
        double[][] trainColumns = features.Select(c => c.NumbersByRow()!).ToArray();
        var scoreColumns = new double[names.Length][];
        for (int f = 0; f < names.Length; f++)
        {
            if (!scored.HasColumn(names[f]))
            {
                throw new CliInputException($"{scorePath}: column '{names[f]}' is missing; the forest was fitted on {string.Join(", ", names)} of {trainPath}.");
            }

            LoadedColumn column = scored[names[f]];
            if (column.IsCategorical || column.NotNumeric)
            {
                string where = column.FirstNonNumber is { } first ? $": '{first.Value}' at line {first.Line}" : string.Empty;
                throw new CliInputException($"{scorePath}: column '{names[f]}' is not numerical{where}; it is numerical in {trainPath}.");
            }

            scoreColumns[f] = column.NumbersByRow()!;
            if (scoreColumns[f].Length != scored.RowCount)
            {
                throw new InvalidOperationException($"Column '{names[f]}' of {scorePath} has {scoreColumns[f].Length} values for {scored.RowCount} rows.");
            }
        }

        var options = new IsolationForestOptions { Seed = seed, Contamination = contamination, Trees = trees };
        IsolationForest forest = await Task.Run(() => IsolationForest.Fit(names, trainColumns, options), cancellationToken).ConfigureAwait(false);

        int rows = scored.RowCount;
        var text = new StringBuilder(rows * 32).Append("index,score,is_outlier\n");
        var row = new double[names.Length];
        long outliers = 0;
        for (int i = 0; i < rows; i++)
        {
            for (int f = 0; f < row.Length; f++)
            {
                row[f] = scoreColumns[f][i];
            }

            double value = forest.Score(row);
            bool outlier = forest.IsOutlier(value);
            outliers += outlier ? 1 : 0;
            text.Append(CultureInfo.InvariantCulture, $"{i},{value.ToString("R", CultureInfo.InvariantCulture)},{(outlier ? 1 : 0)}\n");
        }

        if (output is null)
        {
            await context.Output.WriteAsync(text.ToString()).ConfigureAwait(false);
            await context.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.NoDrift;
        }

        OutputFile.Write(output, "--output", text.ToString());
        await context.Output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"{outliers:N0} of {rows:N0} rows of {scorePath} are outliers (score above {forest.Threshold:0.####}, contamination {contamination}); isolation forest of {forest.TreeCount} trees fitted on {train.RowCount:N0} rows of {trainPath} over {names.Length} columns ({string.Join(", ", names)}). Scores written to {output}.")).ConfigureAwait(false);
        return ExitCodes.NoDrift;
    }
}

/// <summary>The outlier profile <c>mlmon baseline</c> stores: an isolation forest (seed 0; its threshold flags 1 % of the reference, as the runtime's own fit) and robust z-scores over the numerical columns.</summary>
internal static class OutlierReference
{
    /// <summary>Fits the profile on a file's numerical columns; null when it has none or fewer than 2 rows.</summary>
    public static OutlierProfile? Fit(Dataset data)
    {
        LoadedColumn[] numerical = data.Columns.Where(c => !c.IsCategorical && !c.NotNumeric).ToArray();
        if (numerical.Length == 0 || data.RowCount < 2)
        {
            return null;
        }

        return OutlierProfile.Fit(numerical.Select(c => c.Name).ToArray(), numerical.Select(c => c.NumbersByRow()!).ToArray(), new IsolationForestOptions { Contamination = OutlierContamination.Of(0.01) });
    }
}
