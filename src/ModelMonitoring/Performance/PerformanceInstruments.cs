using System.Diagnostics.Metrics;

namespace ModelMonitoring;

/// <summary>The performance monitor's instruments, created on the runtime's meter when the first model with a prediction records.</summary>
internal static class PerformanceInstruments
{
    private static readonly string[] Results = ["joined", "expired", "evicted", "unknown_key"];
    private static readonly string[] Bounds = ["estimate", "lower", "upper"];

    public static void Create(Meter meter, PerformanceMonitor monitor)
    {
        meter.CreateObservableGauge(ModelMonitoringInstruments.ModelPerformance, () => ObservePerformance(monitor),
            description: "Realized performance of the last window from joined outcomes, by metric (accuracy, f1_macro, roc_auc, mae, rmse...).");
        meter.CreateObservableGauge(ModelMonitoringInstruments.ModelPerformanceEstimated, () => ObserveEstimates(monitor),
            description: "Performance of the last window estimated without outcomes (CBPE), by metric; bound is estimate, lower or upper (±3 σ of the reference's chunks).");
        meter.CreateObservableCounter(ModelMonitoringInstruments.ModelOutcomes, () => ObserveOutcomes(monitor), unit: "{outcome}",
            description: "Outcomes and keyed predictions by result: joined, expired (no outcome in time), evicted (too many waiting), unknown_key (no prediction in time).");
        meter.CreateObservableCounter(ModelMonitoringInstruments.ConceptDriftDetections, () => ObserveDetections(monitor), unit: "{detection}",
            description: "Changes detected on the error stream of joined outcomes, by detector (adwin, page-hinkley, ddm).");
    }

    private static List<Measurement<double>> ObservePerformance(PerformanceMonitor monitor)
    {
        var measurements = new List<Measurement<double>>();
        foreach (ModelPerformance model in monitor.Models)
        {
            foreach (ModelPerformanceReport report in model.LatestReports)
            {
                foreach ((string metric, double value) in report.Metrics)
                {
                    measurements.Add(new Measurement<double>(value, Tags(report.Model, report.Segment, new KeyValuePair<string, object?>("metric", metric))));
                }
            }
        }

        return measurements;
    }

    private static List<Measurement<double>> ObserveEstimates(PerformanceMonitor monitor)
    {
        var measurements = new List<Measurement<double>>();
        foreach (ModelPerformance model in monitor.Models)
        {
            foreach (ModelPerformanceEstimate estimate in model.LatestEstimates)
            {
                foreach (Performance.EstimatedMetric metric in estimate.Metrics)
                {
                    double[] values = [metric.Estimate, metric.Lower, metric.Upper];
                    for (int b = 0; b < values.Length; b++)
                    {
                        if (!double.IsNaN(values[b]))
                        {
                            measurements.Add(new Measurement<double>(values[b], Tags(estimate.Model, estimate.Segment, new KeyValuePair<string, object?>("metric", metric.Metric), new KeyValuePair<string, object?>("bound", Bounds[b]))));
                        }
                    }
                }
            }
        }

        return measurements;
    }

    private static List<Measurement<long>> ObserveOutcomes(PerformanceMonitor monitor)
    {
        var measurements = new List<Measurement<long>>();
        foreach (ModelPerformance model in monitor.Models)
        {
            OutcomeCounts counts = model.Counts;
            if (counts.Joined + counts.Expired + counts.Evicted + counts.UnknownKey + counts.Pending == 0)
            {
                continue;
            }

            long[] values = [counts.Joined, counts.Expired, counts.Evicted, counts.UnknownKey];
            for (int r = 0; r < values.Length; r++)
            {
                measurements.Add(new Measurement<long>(values[r], new KeyValuePair<string, object?>("model", model.Model.Name), new("result", Results[r])));
            }
        }

        return measurements;
    }

    private static List<Measurement<long>> ObserveDetections(PerformanceMonitor monitor)
    {
        var measurements = new List<Measurement<long>>();
        foreach (ModelPerformance model in monitor.Models)
        {
            if (model.Counts.Joined == 0)
            {
                continue;
            }

            foreach ((string detector, long detections) in model.Detections)
            {
                measurements.Add(new Measurement<long>(detections, new KeyValuePair<string, object?>("model", model.Model.Name), new("detector", detector)));
            }
        }

        return measurements;
    }

    private static KeyValuePair<string, object?>[] Tags(string model, string segment, params KeyValuePair<string, object?>[] more) =>
        segment.Length == 0 ? [new("model", model), .. more] : [new("model", model), .. more, new("segment", segment)];
}
