using ModelMonitoring.Statistics;

namespace ModelMonitoring.Cli.Reports;

/// <summary>Everything a report writer shows about one drift run.</summary>
/// <param name="Reference">The reference file as the user named it (CSV or baseline profile).</param>
/// <param name="Current">The current file as the user named it.</param>
/// <param name="Engine">The engine that computed the scores: <c>exact</c> or <c>sketch</c>.</param>
/// <param name="Method">The method the user forced, or <c>auto</c>.</param>
/// <param name="Categorical">The names of the categorical columns.</param>
/// <param name="Result">The per-column and dataset verdicts, with missing counts filled in.</param>
/// <param name="ReferenceRows">How many rows the reference holds.</param>
/// <param name="CurrentRows">How many rows the current file holds.</param>
/// <param name="DriftShare">The share of drifted columns at which the dataset drifts.</param>
internal sealed record DriftReport(
    string Reference,
    string Current,
    string Engine,
    string Method,
    IReadOnlyList<string> Categorical,
    DatasetDriftResult Result,
    long ReferenceRows,
    long CurrentRows,
    double DriftShare)
{
    /// <summary>Reference-versus-current histograms per column, for the HTML page; empty when not computed.</summary>
    public IReadOnlyDictionary<string, ColumnHistogram> Histograms { get; init; } = new Dictionary<string, ColumnHistogram>();

    /// <summary>The current file's data quality and outliers against the reference; null when not computed.</summary>
    public QualitySection? Quality { get; init; }
}

/// <summary>Writes a <see cref="DriftReport"/> in one format.</summary>
internal interface IReportWriter
{
    /// <summary>Writes the report.</summary>
    void Write(DriftReport report, TextWriter output);
}
