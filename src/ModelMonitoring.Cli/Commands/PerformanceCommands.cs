using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ModelMonitoring.Cli.Data;
using ModelMonitoring.Detectors;
using ModelMonitoring.Performance;

namespace ModelMonitoring.Cli.Commands;

/// <summary>
/// <c>mlmon performance</c>: realized metrics of a scored file (target and prediction columns, optionally a score), as
/// scikit-learn computes them.
/// </summary>
internal static class PerformanceCommand
{
    public static Command Create(CliContext context)
    {
        var data = Required("--data", "The scored data: a CSV, Parquet or JSON lines file with the target and the prediction of each row.", "file");
        var target = Required("--target", "The column of actual values (the ground truth).", "column");
        var prediction = Required("--prediction", "The column of predicted values.", "column");
        var score = new Option<string?>("--score") { Description = "The column of the predicted probability of the positive label (binary classification): adds roc_auc and log_loss.", HelpName = "column" };
        var task = new Option<string?>("--task") { Description = "classification or regression. Default: classification when a --score is given or a column is not numeric, or when the target has at most 20 distinct integer values; regression otherwise.", HelpName = "task" };
        var positive = new Option<string?>("--positive") { Description = "The positive label of a binary task (precision, recall, f1, roc_auc, log_loss). Default: the greater label in ordinal order.", HelpName = "label" };
        var format = FormatOption();
        var input = new InputOptions();
        var command = new Command("performance", "Realized performance of a scored file: accuracy, precision, recall, F1, ROC AUC, log loss; or MAE, RMSE, MAPE, R².")
        {
            data, target, prediction, score, task, positive, format, input.Format, input.Delimiter,
        };
        command.SetAction((parse, _) => Cli.GuardAsync(context, () => RunAsync(context, parse.GetRequiredValue(data), parse.GetRequiredValue(target),
            parse.GetRequiredValue(prediction), parse.GetValue(score), parse.GetValue(task), parse.GetValue(positive), parse.GetValue(format),
            InputOptions.Parse(parse.GetValue(input.Format), parse.GetValue(input.Delimiter)))));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string path, string target, string prediction, string? score, string? task, string? positive, string? format, ReadOptions read)
    {
        bool json = PerformanceOutput.IsJson(format);
        RowTable table = RowTable.Load(path, "--data", read);
        int targetColumn = table.Column(target, "--target");
        int predictionColumn = table.Column(prediction, "--prediction");
        int scoreColumn = score is null ? -1 : table.Column(score, "--score");
        bool classification = task switch
        {
            null => scoreColumn >= 0 || !table.IsNumeric(targetColumn) || !table.IsNumeric(predictionColumn) || LooksLikeClasses(table, targetColumn),
            "classification" => true,
            "regression" => false,
            _ => throw new CliInputException($"--task: '{task}' is not a task; use classification or regression."),
        };
        if (!classification && scoreColumn >= 0)
        {
            throw new CliInputException("--score: a score is the probability of a label; it needs --task classification.");
        }

        IReadOnlyList<KeyValuePair<string, double>> metrics;
        long rows;
        if (classification)
        {
            var actual = new List<string?>();
            var predicted = new List<string?>();
            var scores = new List<double>();
            for (int row = 0; row < table.RowCount; row++)
            {
                double value = scoreColumn >= 0 ? table.Number(row, scoreColumn) : double.NaN;
                if (scoreColumn >= 0 && !double.IsNaN(value) && (value < 0 || value > 1))
                {
                    throw new CliInputException($"{table.Where(row)}: column '{score}' holds {value.ToString(CultureInfo.InvariantCulture)}, which is not a probability in [0, 1].");
                }

                actual.Add(table.Text(row, targetColumn));
                predicted.Add(table.Text(row, predictionColumn));
                scores.Add(value);
            }

            ClassificationMetrics result;
            try
            {
                result = ClassificationMetrics.Compute(actual, predicted, scoreColumn >= 0 ? scores : null, positive);
            }
            catch (ArgumentException ex)
            {
                throw new CliInputException($"--score: {ex.Message}");
            }

            metrics = result.ToNamedValues();
            rows = result.Rows;
        }
        else
        {
            var accumulator = new RegressionAccumulator();
            for (int row = 0; row < table.RowCount; row++)
            {
                accumulator.Add(table.Number(row, targetColumn), table.Number(row, predictionColumn));
            }

            RegressionMetrics result = accumulator.ToMetrics();
            metrics = result.ToNamedValues();
            rows = result.Rows;
        }

        if (rows == 0)
        {
            throw new CliInputException($"{path}: no row has both a '{target}' and a '{prediction}' value.");
        }

        string taskName = classification ? "classification" : "regression";
        if (json)
        {
            await context.Output.WriteLineAsync(PerformanceOutput.Json(w =>
            {
                w.WriteString("task", taskName);
                w.WriteNumber("rows", rows);
                PerformanceOutput.WriteMetrics(w, "metrics", metrics);
            })).ConfigureAwait(false);
        }
        else
        {
            var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"Performance ({taskName}) over {rows:N0} rows of {path}:\n"));
            foreach ((string name, double value) in metrics)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {name,-20} {value:0.######}\n");
            }

            await context.Output.WriteAsync(text.ToString()).ConfigureAwait(false);
        }

        return ExitCodes.NoDrift;
    }

    private static bool LooksLikeClasses(RowTable table, int column)
    {
        var distinct = new HashSet<double>();
        for (int row = 0; row < table.RowCount; row++)
        {
            double value = table.Number(row, column);
            if (!double.IsNaN(value))
            {
                distinct.Add(value);
                if (value != Math.Floor(value) || distinct.Count > 20)
                {
                    return false;
                }
            }
        }

        return true;
    }

    internal static Option<string> Required(string name, string description, string helpName) =>
        new(name) { Description = description, HelpName = helpName, Required = true };

    internal static Option<string?> FormatOption() =>
        new("--format", "-f") { Description = "table (default) or json.", HelpName = "format" };
}

/// <summary><c>mlmon estimate</c>: CBPE on a current file without its labels, calibrated on a reference with them.</summary>
internal static class EstimateCommand
{
    public static Command Create(CliContext context)
    {
        var reference = PerformanceCommand.Required("--reference", "The reference: a CSV, Parquet or JSON lines file with the target and the score (and prediction) of each row.", "file");
        var current = PerformanceCommand.Required("--current", "The current data: a CSV, Parquet or JSON lines file with the score (and prediction); a target column there is used only to print the realized values.", "file");
        var target = PerformanceCommand.Required("--target", "The column of actual labels in the reference.", "column");
        var score = PerformanceCommand.Required("--score", "The column of the predicted probability of the positive label.", "column");
        var prediction = new Option<string?>("--prediction") { Description = "The column of predicted labels. Default: score ≥ --threshold.", HelpName = "column" };
        var positive = new Option<string?>("--positive") { Description = "The positive label. Default: the greater of the target's two labels in ordinal order.", HelpName = "label" };
        var chunkSize = new Option<int>("--chunk-size") { Description = "Rows per chunk, in the reference (for the band) and the current file. Default 1000.", HelpName = "rows", DefaultValueFactory = _ => 1000 };
        var threshold = new Option<double>("--threshold") { Description = "The score from which a prediction is positive, without --prediction. Default 0.5.", HelpName = "score", DefaultValueFactory = _ => 0.5 };
        var format = PerformanceCommand.FormatOption();
        var input = new InputOptions();
        var command = new Command("estimate", "Estimate a classifier's performance without labels (CBPE): accuracy, precision, recall, F1, ROC AUC per chunk, with a band.")
        {
            reference, current, target, score, prediction, positive, chunkSize, threshold, format, input.Format, input.Delimiter,
        };
        command.SetAction((parse, _) => Cli.GuardAsync(context, () => RunAsync(context, parse.GetRequiredValue(reference), parse.GetRequiredValue(current),
            parse.GetRequiredValue(target), parse.GetRequiredValue(score), parse.GetValue(prediction), parse.GetValue(positive), parse.GetValue(chunkSize),
            parse.GetValue(threshold), parse.GetValue(format), InputOptions.Parse(parse.GetValue(input.Format), parse.GetValue(input.Delimiter)))));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string referencePath, string currentPath, string target, string score, string? prediction,
        string? positive, int chunkSize, double threshold, string? format, ReadOptions read)
    {
        bool json = PerformanceOutput.IsJson(format);
        if (chunkSize < 2)
        {
            throw new CliInputException($"--chunk-size: {chunkSize} is too small; use at least 2 rows.");
        }

        RowTable reference = RowTable.Load(referencePath, "--reference", read);
        RowTable current = RowTable.Load(currentPath, "--current", read);
        int referenceTarget = reference.Column(target, "--target");
        string[] labels = [.. Enumerable.Range(0, reference.RowCount).Select(r => reference.Text(r, referenceTarget)).OfType<string>().Distinct().Order(StringComparer.Ordinal)];
        if (labels.Length > 2 || (labels.Length < 2 && positive is null))
        {
            throw new CliInputException($"--target: CBPE needs a binary target; column '{target}' of {referencePath} has {labels.Length} labels ({string.Join(", ", labels.Take(5))}).");
        }

        string positiveLabel = positive ?? labels[^1];
        (double[] refScores, bool[]? refPredicted, bool[] refActual) = Read(reference, score, prediction, referenceTarget, positiveLabel, required: true);
        CbpeEstimator estimator = CbpeEstimator.Fit(refScores, refActual, refPredicted, chunkSize, threshold);
        int currentTarget = current.Header.Contains(target) ? current.Column(target, "--target") : -1;
        (double[] scores, bool[]? predicted, bool[] actual) = Read(current, score, prediction, currentTarget, positiveLabel, required: false);

        var chunks = new List<(int Start, int End, CbpeEstimate Estimate, IReadOnlyList<KeyValuePair<string, double>>? Realized)>();
        for (int start = 0; start < scores.Length; start += chunkSize)
        {
            int end = Math.Min(scores.Length, start + chunkSize);
            CbpeEstimate estimate = estimator.Estimate(scores[start..end], predicted?[start..end]);
            IReadOnlyList<KeyValuePair<string, double>>? realized = null;
            if (currentTarget >= 0)
            {
                double[] values = CbpeEstimator.RealizedMetrics(scores, actual, predicted, threshold, start, end, i => current.Text(i, currentTarget) is not null);
                realized = [.. CbpeEstimator.MetricNames.Select((name, m) => new KeyValuePair<string, double>(name, values[m]))];
            }

            chunks.Add((start, end - 1, estimate, realized));
        }

        if (json)
        {
            await context.Output.WriteLineAsync(PerformanceOutput.Json(w =>
            {
                w.WriteString("positive", positiveLabel);
                w.WriteNumber("chunk_size", chunkSize);
                w.WriteNumber("reference_chunks", estimator.ReferenceChunks);
                w.WriteStartArray("chunks");
                foreach (var chunk in chunks)
                {
                    w.WriteStartObject();
                    w.WriteNumber("start", chunk.Start);
                    w.WriteNumber("end", chunk.End);
                    w.WriteNumber("rows", chunk.Estimate.Rows);
                    PerformanceOutput.WriteMetrics(w, "estimated", chunk.Estimate.Metrics.Select(m => new KeyValuePair<string, double>(m.Metric, m.Estimate)));
                    PerformanceOutput.WriteMetrics(w, "lower", chunk.Estimate.Metrics.Select(m => new KeyValuePair<string, double>(m.Metric, m.Lower)));
                    PerformanceOutput.WriteMetrics(w, "upper", chunk.Estimate.Metrics.Select(m => new KeyValuePair<string, double>(m.Metric, m.Upper)));
                    if (chunk.Realized is not null)
                    {
                        PerformanceOutput.WriteMetrics(w, "realized", chunk.Realized);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
            })).ConfigureAwait(false);
        }
        else
        {
            var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"CBPE estimate of {currentPath} (positive '{positiveLabel}'), calibrated on {referencePath} ({estimator.ReferenceChunks} chunks of {chunkSize}):\n"));
            foreach (var chunk in chunks)
            {
                EstimatedMetric accuracy = chunk.Estimate["accuracy"];
                text.Append(CultureInfo.InvariantCulture, $"  rows {chunk.Start}-{chunk.End}: accuracy {accuracy.Estimate:0.0000} [{accuracy.Lower:0.0000}, {accuracy.Upper:0.0000}], f1 {chunk.Estimate["f1"].Estimate:0.0000}, roc_auc {chunk.Estimate["roc_auc"].Estimate:0.0000}");
                if (chunk.Realized is not null)
                {
                    text.Append(CultureInfo.InvariantCulture, $"; realized accuracy {chunk.Realized[0].Value:0.0000}");
                }

                text.Append('\n');
            }

            await context.Output.WriteAsync(text.ToString()).ConfigureAwait(false);
        }

        return ExitCodes.NoDrift;
    }

    private static (double[] Scores, bool[]? Predicted, bool[] Actual) Read(RowTable table, string score, string? prediction, int targetColumn, string positive, bool required)
    {
        int scoreColumn = table.Column(score, "--score");
        int predictionColumn = prediction is null ? -1 : table.Column(prediction, "--prediction");
        var scores = new double[table.RowCount];
        bool[]? predicted = predictionColumn < 0 ? null : new bool[table.RowCount];
        var actual = new bool[table.RowCount];
        for (int row = 0; row < table.RowCount; row++)
        {
            scores[row] = table.Number(row, scoreColumn);
            if (!double.IsNaN(scores[row]) && (scores[row] < 0 || scores[row] > 1))
            {
                throw new CliInputException($"{table.Where(row)}: column '{score}' holds {scores[row].ToString(CultureInfo.InvariantCulture)}, which is not a probability in [0, 1].");
            }

            if (predicted is not null)
            {
                predicted[row] = string.Equals(table.Text(row, predictionColumn), positive, StringComparison.Ordinal);
            }

            if (targetColumn >= 0)
            {
                string? label = table.Text(row, targetColumn);
                if (label is null && required)
                {
                    scores[row] = double.NaN; // no label: the row cannot calibrate
                }

                actual[row] = string.Equals(label, positive, StringComparison.Ordinal);
            }
        }

        return (scores, predicted, actual);
    }
}

/// <summary><c>mlmon changes</c>: runs a concept-drift detector over a column of a stream file.</summary>
internal static class ChangesCommand
{
    public static Command Create(CliContext context)
    {
        var data = PerformanceCommand.Required("--data", "The stream: a CSV, Parquet or JSON lines file, one value per row in arrival order (an error, a loss).", "file");
        var column = PerformanceCommand.Required("--column", "The column to watch.", "column");
        var detector = new Option<string>("--detector") { Description = "adwin (default), page-hinkley or ddm (0/1 errors).", HelpName = "detector", DefaultValueFactory = _ => "adwin" };
        var format = PerformanceCommand.FormatOption();
        var input = new InputOptions();
        var command = new Command("changes", "Detect changes in a stream (ADWIN, Page-Hinkley, DDM). Exits 1 when a change was detected, 0 when none.")
        {
            data, column, detector, format, input.Format, input.Delimiter,
        };
        command.SetAction((parse, _) => Cli.GuardAsync(context, () => RunAsync(context, parse.GetRequiredValue(data), parse.GetRequiredValue(column), parse.GetRequiredValue(detector), parse.GetValue(format),
            InputOptions.Parse(parse.GetValue(input.Format), parse.GetValue(input.Delimiter)))));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string path, string columnName, string detectorName, string? format, ReadOptions read)
    {
        bool json = PerformanceOutput.IsJson(format);
        IChangeDetector detector;
        try
        {
            detector = ChangeDetectors.Create(detectorName);
        }
        catch (ArgumentException ex)
        {
            throw new CliInputException($"--detector: {ex.Message.Split(" (Parameter")[0]}");
        }

        RowTable table = RowTable.Load(path, "--data", read);
        int column = table.Column(columnName, "--column");
        var detections = new List<int>();
        var warnings = new List<int>();
        bool inWarning = false;
        for (int row = 0; row < table.RowCount; row++)
        {
            if (detector.Update(table.Number(row, column)))
            {
                detections.Add(row);
            }

            if (detector.WarningDetected && !inWarning)
            {
                warnings.Add(row); // where a warning zone begins
            }

            inWarning = detector.WarningDetected;
        }

        if (json)
        {
            await context.Output.WriteLineAsync(PerformanceOutput.Json(w =>
            {
                w.WriteString("detector", detector.Name);
                w.WriteNumber("rows", table.RowCount);
                w.WriteStartArray("detections");
                detections.ForEach(w.WriteNumberValue);
                w.WriteEndArray();
                w.WriteStartArray("warnings");
                warnings.ForEach(w.WriteNumberValue);
                w.WriteEndArray();
            })).ConfigureAwait(false);
        }
        else
        {
            await context.Output.WriteLineAsync(detections.Count == 0
                ? $"{detector.Name}: no change in {table.RowCount:N0} values of '{columnName}'."
                : $"{detector.Name}: {detections.Count} change(s) in {table.RowCount:N0} values of '{columnName}', at rows (0-based) {string.Join(", ", detections)}.").ConfigureAwait(false);
        }

        return detections.Count > 0 ? ExitCodes.Drift : ExitCodes.NoDrift;
    }
}

/// <summary>JSON and format helpers of the performance commands.</summary>
internal static class PerformanceOutput
{
    public static bool IsJson(string? format) => format switch
    {
        null or "table" => false,
        "json" => true,
        _ => throw new CliInputException($"--format: '{format}' is not a format; use table or json."),
    };

    public static string Json(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>An object of metrics; NaN (undefined) is written as null.</summary>
    public static void WriteMetrics(Utf8JsonWriter writer, string name, IEnumerable<KeyValuePair<string, double>> metrics)
    {
        writer.WriteStartObject(name);
        foreach ((string metric, double value) in metrics)
        {
            if (double.IsFinite(value))
            {
                writer.WriteNumber(metric, value);
            }
            else
            {
                writer.WriteNull(metric);
            }
        }

        writer.WriteEndObject();
    }
}
