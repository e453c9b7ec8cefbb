using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ModelMonitoring.Cli.Data;
using ModelMonitoring.Outliers;
using ModelMonitoring.Quality;
using ModelMonitoring.Sketches;
using ModelMonitoring.Statistics;
using Spectre.Console;

namespace ModelMonitoring.Cli.Reports;

/// <summary>
/// The data-quality section of <c>mlmon drift</c>: per column, the current file's missing, out-of-range (outside the
/// reference's [min, max]) and unseen values and a type mismatch against the reference; and the rows an isolation forest
/// (fitted on the reference file, or the baseline's) flags as outliers.
/// </summary>
/// <param name="Columns">Per-column quality, in the reference's column order.</param>
/// <param name="ScoredRows">Current rows scored by the isolation forest (0 when there is none).</param>
/// <param name="Outliers">Of those, the rows above the threshold.</param>
/// <param name="Threshold">The forest's threshold; NaN without a forest.</param>
/// <param name="ForestSource">Where the forest comes from: <c>reference</c> (fitted on the reference file), <c>baseline</c>, or <c>none</c>.</param>
internal sealed record QualitySection(IReadOnlyList<FeatureQuality> Columns, long ScoredRows, long Outliers, double Threshold, string ForestSource)
{
    /// <summary>Outliers over scored rows; NaN when none was scored.</summary>
    public double OutlierRatio => ScoredRows > 0 ? (double)Outliers / ScoredRows : double.NaN;

    /// <summary>Each column's type as its own file reads it (before the pairing makes both sides text): true for categorical.</summary>
    public static Dictionary<string, bool> OwnTypes(Dataset data) => data.Columns.ToDictionary(c => c.Name, c => c.IsCategorical, StringComparer.Ordinal);

    /// <summary>
    /// The section for two files (the exact engine). With <paramref name="scoreOutliers"/> (<c>--outliers</c>), a forest is
    /// fitted on the reference's numerical columns and scores every current row.
    /// </summary>
    public static QualitySection FromFiles(IReadOnlyList<ColumnPair> columns, Dataset reference, Dataset current, IReadOnlyDictionary<string, bool> referenceTypes, IReadOnlyDictionary<string, bool> currentTypes, IReadOnlyCollection<string> forcedCategorical, DataQualitySettings? settings = null, bool scoreOutliers = false)
    {
        // Columns are independent (each fits its reference's range, robust z-score or categories): one task per column.
        var qualities = new FeatureQuality[columns.Count];
        Parallel.For(0, columns.Count, c =>
        {
            ColumnPair pair = columns[c];
            bool mismatch = !forcedCategorical.Contains(pair.Name) && referenceTypes.GetValueOrDefault(pair.Name) != currentTypes.GetValueOrDefault(pair.Name);
            ColumnType? observed = mismatch ? (currentTypes.GetValueOrDefault(pair.Name) ? ColumnType.Categorical : ColumnType.Numerical) : null;
            FeatureQuality quality = DataQuality.Measure(pair.Reference, pair.Current, settings, observedType: observed);
            qualities[c] = mismatch ? quality with { Type = referenceTypes.GetValueOrDefault(pair.Name) ? ColumnType.Categorical : ColumnType.Numerical } : quality;
        });

        LoadedColumn[] numerical = columns.Where(c => c.Type == ColumnType.Numerical).Select(c => reference[c.Name]).Where(c => !c.IsCategorical).ToArray();
        if (!scoreOutliers || numerical.Length == 0 || reference.RowCount < 2)
        {
            return new QualitySection(qualities, 0, 0, double.NaN, "none");
        }

        IsolationForest forest = IsolationForest.Fit(numerical.Select(c => c.Name).ToArray(), numerical.Select(c => c.NumbersByRow()!).ToArray());
        (long scored, long outliers) = Score(forest, current);
        return new QualitySection(qualities, scored, outliers, forest.Threshold, "reference");
    }

    /// <summary>The section against a baseline (the sketch engine); outliers only with <paramref name="scoreOutliers"/> and when the baseline holds a forest.</summary>
    public static QualitySection FromBaseline(BaselineProfile baseline, Dataset current, DataQualitySettings? settings = null, bool scoreOutliers = false)
    {
        OutlierProfile? outliers = baseline.Outliers;
        // One task per column, as for two files.
        var qualities = new FeatureQuality[baseline.Features.Count];
        Parallel.For(0, qualities.Length, f =>
        {
            FeatureProfile feature = baseline.Features[f];
            int index = outliers?.IndexOf(feature.Name) ?? -1;
            RobustZScore? robust = index >= 0 ? outliers!.RobustScores[index] : null;
            qualities[f] = DataQuality.Measure(feature, current[feature.Name].ToSample(), settings, robust: robust);
        });

        if (outliers is null || !scoreOutliers)
        {
            return new QualitySection(qualities, 0, 0, double.NaN, "none");
        }

        (long scored, long flagged) = Score(outliers.Forest, current);
        return new QualitySection(qualities, scored, flagged, outliers.Forest.Threshold, "baseline");
    }

    private static (long Scored, long Outliers) Score(IsolationForest forest, Dataset current)
    {
        var columns = new double[forest.Features.Count][];
        for (int f = 0; f < columns.Length; f++)
        {
            if (!current.HasColumn(forest.Features[f]) || current[forest.Features[f]].NumbersByRow() is not { } numbers || numbers.Length != current.RowCount)
            {
                return (0, 0); // a column that is not numerical in the current file: no outlier scores
            }

            columns[f] = numbers;
        }

        // Rows are independent: score them in parallel, each range with its own row buffer (scoring allocates nothing).
        long outliers = 0;
        Parallel.ForEach(
            System.Collections.Concurrent.Partitioner.Create(0, current.RowCount, 16_384),
            () => (Row: new double[columns.Length], Count: 0L),
            (range, _, local) =>
            {
                double[] row = local.Row;
                for (int i = range.Item1; i < range.Item2; i++)
                {
                    for (int f = 0; f < row.Length; f++)
                    {
                        row[f] = columns[f][i];
                    }

                    local.Count += forest.IsOutlier(forest.Score(row)) ? 1 : 0;
                }

                return local;
            },
            local => Interlocked.Add(ref outliers, local.Count));

        return (current.RowCount, outliers);
    }

    /// <summary>Writes the <c>quality</c> object of the JSON report.</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject("quality");
        json.WriteStartObject("outliers");
        json.WriteString("forest", ForestSource);
        json.WriteNumber("scored_rows", ScoredRows);
        json.WriteNumber("outliers", Outliers);
        Number(json, "outlier_ratio", OutlierRatio);
        Number(json, "threshold", Threshold);
        json.WriteEndObject();
        json.WriteStartArray("columns");
        foreach (FeatureQuality column in Columns)
        {
            json.WriteStartObject();
            json.WriteString("name", column.Name);
            json.WriteString("type", column.Type == ColumnType.Numerical ? "numerical" : "categorical");
            json.WriteNumber("values", column.Values);
            json.WriteNumber("missing", column.Missing);
            Number(json, "missing_ratio", column.MissingRatio);
            json.WriteNumber("out_of_range", column.OutOfRange);
            Number(json, "out_of_range_ratio", column.OutOfRangeRatio);
            json.WriteNumber("unseen_categories", column.UnseenCategories);
            Number(json, "unseen_category_ratio", column.UnseenCategoryRatio);
            json.WriteNumber("robust_outliers", column.RobustOutliers);
            Number(json, "robust_outlier_ratio", column.RobustOutlierRatio);
            json.WriteBoolean("type_mismatch", column.TypeMismatch);
            json.WriteStartArray("unseen_examples");
            foreach (string example in column.UnseenExamples)
            {
                json.WriteStringValue(example);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Writes the terminal table of the section.</summary>
    public void WriteTable(IAnsiConsole console)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title("Data quality of the current file")
            .AddColumn("Column")
            .AddColumn(new TableColumn("Missing").RightAligned())
            .AddColumn(new TableColumn("Out of range").RightAligned())
            .AddColumn(new TableColumn("Unseen").RightAligned())
            .AddColumn(new TableColumn("Robust z > 3.5").RightAligned())
            .AddColumn("Type");
        foreach (FeatureQuality column in Columns)
        {
            table.AddRow(
                new Text(column.Name),
                new Text(Cell(column.Missing, column.MissingRatio)),
                new Text(Cell(column.OutOfRange, column.OutOfRangeRatio)),
                new Text(Cell(column.UnseenCategories, column.UnseenCategoryRatio) + (column.UnseenExamples.Count > 0 ? " (" + string.Join(", ", column.UnseenExamples) + ")" : string.Empty)),
                new Text(Cell(column.RobustOutliers, column.RobustOutlierRatio)),
                column.TypeMismatch ? new Markup($"[bold red]mismatch[/] ({(column.ObservedType == ColumnType.Numerical ? "numbers" : "text")})") : new Text("ok"));
        }

        console.Write(table);
        console.WriteLine(OutlierLine());
    }

    /// <summary>Writes the HTML section.</summary>
    public void WriteHtml(StringBuilder html)
    {
        html.Append("<section class=\"quality\"><h2>Data quality of the current file</h2><table><thead><tr><th>Column</th><th>Missing</th><th>Out of range</th><th>Unseen categories</th><th>Robust z &gt; 3.5</th><th>Type</th></tr></thead><tbody>");
        foreach (FeatureQuality column in Columns)
        {
            html.Append("<tr><td>").Append(WebUtility.HtmlEncode(column.Name)).Append("</td><td>")
                .Append(Cell(column.Missing, column.MissingRatio)).Append("</td><td>")
                .Append(Cell(column.OutOfRange, column.OutOfRangeRatio)).Append("</td><td>")
                .Append(WebUtility.HtmlEncode(Cell(column.UnseenCategories, column.UnseenCategoryRatio) + (column.UnseenExamples.Count > 0 ? " (" + string.Join(", ", column.UnseenExamples) + ")" : string.Empty))).Append("</td><td>")
                .Append(Cell(column.RobustOutliers, column.RobustOutlierRatio)).Append("</td><td>")
                .Append(column.TypeMismatch ? "<strong>mismatch</strong>" : "ok").Append("</td></tr>");
        }

        html.Append("</tbody></table><p>").Append(WebUtility.HtmlEncode(OutlierLine())).Append("</p></section>");
    }

    private string OutlierLine() => ForestSource == "none"
        ? "Outliers: no isolation forest (no numerical column, or a baseline written without one)."
        : string.Create(CultureInfo.InvariantCulture, $"Outliers: {Outliers:N0} of {ScoredRows:N0} current rows ({TableReportWriter.Percent(double.IsNaN(OutlierRatio) ? 0 : OutlierRatio)}) score above {Threshold:0.###} with the isolation forest of the {ForestSource}.");

    private static string Cell(long count, double ratio) =>
        double.IsNaN(ratio) ? (count == 0 ? "-" : count.ToString(CultureInfo.InvariantCulture)) : string.Create(CultureInfo.InvariantCulture, $"{count:N0} ({TableReportWriter.Percent(ratio)})");

    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
