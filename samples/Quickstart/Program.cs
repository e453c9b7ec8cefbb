// Quickstart: a monitored pricing model under a normal market, then a shifted one.
// The model (PricingModel.cs) carries [MonitoredModel] and [DriftTracked]; nothing below calls monitoring code
// to record a prediction: the generated interceptor does it for every model.Predict(...) call.
using System.Diagnostics.Metrics;
using ModelMonitoring;
using Quickstart;
using Spectre.Console;

const int PredictionsPerPhase = 30_000;
// A runtime of our own, made the process default: one window per phase, and rings deep enough for a tight loop that
// outpaces the folder (a real service gets the same from AddModelMonitoring and its configuration).
using var runtime = new ModelMonitoringRuntime(new ModelMonitoringOptions
{
    WindowSize = 1_000_000,
    WindowDuration = TimeSpan.FromHours(1),
    RecordingCapacity = 65_536,
    OutlierDetection = true, // off by default: the forest costs microseconds per row (docs/quality.md)
});
using IDisposable activation = runtime.Activate();

// Read latency the way any OpenTelemetry consumer would: from the ModelMonitoring meter.
var latencies = new List<double>(2 * PredictionsPerPhase);
using var listener = new MeterListener();
listener.InstrumentPublished = (instrument, l) =>
{
    if (ReferenceEquals(instrument.Meter, runtime.Meter) && instrument.Name == ModelMonitoringInstruments.PredictionDuration)
    {
        l.EnableMeasurementEvents(instrument);
    }
};
listener.SetMeasurementEventCallback<double>((_, seconds, _, _) => { lock (latencies) { latencies.Add(seconds); } });
listener.Start();

var model = new PricingModel();
var traffic = new TrafficGenerator(seed: 42);
ModelMonitor monitor = ModelMonitor.For("pricing");
var phases = new List<(string Name, FeatureWindowSnapshot Window)>();

AnsiConsole.MarkupLine("[bold]ModelMonitoring quickstart[/]: model [green]pricing[/] 1.3.0, monitored by the generated interceptor.");
AnsiConsole.Progress()
    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
    .Start(context =>
    {
        foreach ((string name, bool shifted) in new[] { ("Phase 1: normal market", false), ("Phase 2: shifted market", true) })
        {
            ProgressTask task = context.AddTask(name, maxValue: PredictionsPerPhase);
            for (int i = 0; i < PredictionsPerPhase; i++)
            {
                try
                {
                    model.Predict(traffic.Next(shifted));
                }
                catch (ArgumentOutOfRangeException)
                {
                    // The model rejected a broken record; monitoring counted it as an error.
                }

                if (i % 500 == 499)
                {
                    task.Increment(500);
                }
            }

            task.Value = PredictionsPerPhase;
            phases.Add((name, monitor.CloseWindow()));
        }
    });

listener.Dispose();
PredictionCounts counts = monitor.GetPredictionCounts();
latencies.Sort();

AnsiConsole.WriteLine();
var totals = new Table().Title("Predictions").AddColumns("successes", "errors", "p50", "p95", "p99");
totals.AddRow(counts.Successes.ToString("N0"), counts.Errors.ToString("N0"), Format(Percentile(0.50)), Format(Percentile(0.95)), Format(Percentile(0.99)));
AnsiConsole.Write(totals);

var features = new Table().Title("Features by phase (mean, or top category share)").AddColumn("feature");
foreach ((string name, _) in phases)
{
    features.AddColumn(name);
}

foreach (FeatureStatistics feature in phases[0].Window.Features)
{
    features.AddRow([feature.Name, .. phases.Select(p => Describe(p.Window[feature.Name]))]);
}

AnsiConsole.Write(features);

// Phase 1 was the model's first window, so it became the drift reference; phase 2 was compared with it.
if (monitor.LatestDrift is { } drift)
{
    var driftTable = new Table()
        .Title($"Drift of phase 2 against phase 1: inputs {(drift.Drift ? "[red]DRIFTED[/]" : "[green]stable[/]")} ({drift.Features.DriftedColumns} of {drift.Features.ColumnCount}), prediction {(drift.PredictionDrift ? "[red]DRIFTED[/]" : "[green]stable[/]")}")
        .AddColumns("feature", "method", "score", "threshold", "drift");
    foreach (ModelMonitoring.Statistics.ColumnDriftResult column in drift.Features.Columns.Concat(drift.Prediction.Columns))
    {
        driftTable.AddRow(column.Name, column.MethodName, column.Score.ToString("G4"), column.Threshold.ToString("G3"), column.Drift ? "[red]yes[/]" : "no");
    }

    AnsiConsole.Write(driftTable);
}

QualityReport.Print(monitor);
PerformanceReport.Run(); // ground truth: a churn model's outcomes, realized and estimated performance (PerformanceReport.cs)
AnsiConsole.MarkupLine("""

    [bold]Where to look next[/]
      • [green]dotnet run --project src/ModelMonitoring.Cli -- drift --reference ref.csv --current cur.csv[/]: the same drift engine over CSV files
      • [green]dotnet run --project samples/PricingService[/]: the same model behind POST /predict, with Prometheus /metrics and /health
      • [green]docs/benchmarks.md[/]: what monitoring costs per call
      • [green]README.md[/]: attributes, metric names and the analyzer's diagnostics
    """);

double Percentile(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))];

static string Format(double seconds) => seconds < 0.001 ? $"{seconds * 1e6:N1} µs" : $"{seconds * 1e3:N2} ms";

static string Describe(FeatureStatistics feature)
{
    if (feature.IsSensitive)
    {
        return $"[grey]{feature.Count:N0} present, value never recorded[/]";
    }

    if (feature.Kind == FeatureKind.Numerical)
    {
        return $"{feature.Mean:N2} [grey](min {feature.Min:N1}, max {feature.Max:N1})[/]";
    }

    KeyValuePair<string, long> top = feature.Categories.MaxBy(c => c.Value);
    return $"{Markup.Escape(top.Key)} {100.0 * top.Value / Math.Max(1, feature.Count):N0}% [grey]({feature.Categories.Count} categories)[/]";
}
