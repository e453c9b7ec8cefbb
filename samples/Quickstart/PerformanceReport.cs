using ModelMonitoring;
using Spectre.Console;

namespace Quickstart;

/// <summary>The input of the churn model: the customer id is the [PredictionKey] its outcome is joined by.</summary>
public sealed record ChurnRequest([property: PredictionKey] long CustomerId, double TenureMonths, double MonthlySpend, [property: Segment] string Plan);

/// <summary>The churn model's answer, with the probability CBPE and ROC AUC use.</summary>
public sealed record ChurnPrediction(bool Churn, [property: PredictionScore(PositiveLabel = "true")] double Probability);

/// <summary>A small logistic churn model, monitored by the generated interceptor like the pricing model.</summary>
[MonitoredModel("churn", Owner = "Juan Manoel", Squad = "mlops", Version = "0.4.0")]
public sealed class ChurnModel
{
    /// <summary>The log-odds of churn the model learned.</summary>
    public static double LogOdds(ChurnRequest request) => 1.0 - (0.08 * request.TenureMonths) + (0.012 * request.MonthlySpend);

    /// <summary>Predicts whether the customer churns.</summary>
    [DriftTracked]
    public ChurnPrediction Predict(ChurnRequest request)
    {
        double probability = 1 / (1 + Math.Exp(-LogOdds(request)));
        return new ChurnPrediction(probability >= 0.5, Math.Round(probability, 4));
    }
}

/// <summary>
/// Ground truth in the quickstart: churn predictions whose outcomes arrive (RecordOutcome), over three phases of
/// 5,000 customers: the reference, newer customers (the inputs move, the model still holds), and a market where
/// everyone churns more (the concept moved). It prints the realized accuracy next to CBPE's estimate, and the
/// concept-drift detections.
/// </summary>
internal static class PerformanceReport
{
    private const int CustomersPerPhase = 5_000;

    public static void Run()
    {
        using var runtime = new ModelMonitoringRuntime(new ModelMonitoringOptions
        {
            WindowSize = CustomersPerPhase,
            WindowDuration = TimeSpan.FromHours(1),
            RecordingCapacity = 65_536,
        });
        using IDisposable scope = runtime.BeginScope();
        var model = new ChurnModel();
        var random = new Random(7);
        ModelMonitor? monitor = null;
        var rows = new List<string[]>();
        long customer = 0;
        foreach ((string name, double tenureMean, double conceptShift) in new[]
        {
            ("Phase 1: reference", 24.0, 0.0),
            ("Phase 2: newer customers", 14.0, 0.0),
            ("Phase 3: churn goes up", 24.0, 1.5),
        })
        {
            int correct = 0;
            for (int i = 0; i < CustomersPerPhase; i++)
            {
                var request = new ChurnRequest(++customer, Math.Max(0, tenureMean + (10 * Gaussian(random))), 60 + (25 * Gaussian(random)), i % 3 == 0 ? "pro" : "basic");
                ChurnPrediction prediction = model.Predict(request);
                double truth = 1 / (1 + Math.Exp(-(ChurnModel.LogOdds(request) + conceptShift)));
                bool churned = random.NextDouble() < truth;
                correct += churned == prediction.Churn ? 1 : 0;
                monitor ??= runtime.For("churn");
                monitor.RecordOutcome(request.CustomerId, churned); // the outcome may come before the row is folded: it waits
            }

            runtime.Flush();
            ModelPerformanceEstimate? estimate = monitor!.LatestEstimatedPerformance;
            double realized = (double)correct / CustomersPerPhase;
            rows.Add([
                name,
                $"{realized:P1}",
                monitor.LatestPerformance is { } report ? $"{report["accuracy"]:P1} [grey](f1 {report["f1"]:N3}{(report.Metrics.TryGetValue("roc_auc", out double auc) ? $", auc {auc:N3}" : "")})[/]" : "-",
                estimate is null ? "[grey]none yet (the first outcomes calibrate it)[/]" : $"{estimate["accuracy"].Estimate:P1} [grey]({estimate["accuracy"].Lower:P1} to {estimate["accuracy"].Upper:P1})[/]",
                string.Join(", ", monitor.GetConceptDriftDetections().Select(d => $"{d.Key} {d.Value}")),
            ]);
        }

        var table = new Table().Title("Churn model: performance from outcomes, and estimated without them (CBPE)")
            .AddColumns("phase", "accuracy (all outcomes)", "ml.model.performance (window)", "CBPE estimate (no outcomes)", "concept drift detections");
        foreach (string[] row in rows)
        {
            table.AddRow(row);
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("[grey]CBPE follows the newer customers (covariate shift) but not a changed concept: only outcomes and the detectors see phase 3.[/]");
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
