using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ModelMonitoring.Quality;

namespace ModelMonitoring;

/// <summary>
/// The quality monitor's instruments, on the runtime's meter, observed at collection time from the results published on
/// each model: the <c>ml.model.outliers</c> counter (live) and the gauges of the last closed window.
/// </summary>
internal static class QualityInstruments
{
    public static void Create(ModelMonitoringRuntime runtime, ConcurrentDictionary<(string Model, string Segment), QualityMonitor.OutlierTotal> totals)
    {
        Meter meter = runtime.Meter;
        meter.CreateObservableCounter(ModelMonitoringInstruments.ModelOutliers, () => ObserveTotals(totals), unit: "{row}", description: "Rows the isolation forest flagged as outliers; tags model and, per segment, segment.");
        meter.CreateObservableGauge(ModelMonitoringInstruments.ModelOutlierRatio, () => ObserveModels(runtime, q => q.OutlierRatio), description: "Share of the last closed window's scored rows that were outliers.");
        meter.CreateObservableGauge(ModelMonitoringInstruments.FeatureMissingRatio, () => ObserveFeatures(runtime, f => f.MissingRatio), description: "Share of the feature's values missing (null, NaN, ±Infinity, empty) in the last closed window.");
        meter.CreateObservableGauge(ModelMonitoringInstruments.FeatureOutOfRangeRatio, () => ObserveFeatures(runtime, f => f.OutOfRangeRatio), description: "Share of the feature's present values outside the reference's [min, max] in the last closed window.");
        meter.CreateObservableGauge(ModelMonitoringInstruments.FeatureUnseenCategoryRatio, () => ObserveFeatures(runtime, f => f.UnseenCategoryRatio), description: "Share of the feature's present values that are categories the reference lacks, in the last closed window.");
    }

    private static IEnumerable<Measurement<long>> ObserveTotals(ConcurrentDictionary<(string Model, string Segment), QualityMonitor.OutlierTotal> totals)
    {
        foreach (KeyValuePair<(string Model, string Segment), QualityMonitor.OutlierTotal> total in totals)
        {
            yield return total.Key.Segment.Length == 0
                ? new Measurement<long>(total.Value.Value, new KeyValuePair<string, object?>("model", total.Key.Model))
                : new Measurement<long>(total.Value.Value, new KeyValuePair<string, object?>("model", total.Key.Model), new KeyValuePair<string, object?>("segment", total.Key.Segment));
        }
    }

    private static IEnumerable<Measurement<double>> ObserveModels(ModelMonitoringRuntime runtime, Func<WindowQuality, double> value)
    {
        foreach ((WindowQuality quality, KeyValuePair<string, object?>[] tags) in Windows(runtime))
        {
            double measured = value(quality);
            if (!double.IsNaN(measured))
            {
                yield return new Measurement<double>(measured, tags);
            }
        }
    }

    private static IEnumerable<Measurement<double>> ObserveFeatures(ModelMonitoringRuntime runtime, Func<FeatureQuality, double> value)
    {
        foreach ((WindowQuality quality, KeyValuePair<string, object?>[] tags) in Windows(runtime))
        {
            foreach (FeatureQuality feature in quality.Features)
            {
                double measured = value(feature);
                if (!double.IsNaN(measured))
                {
                    yield return new Measurement<double>(measured, [tags[0], new("feature", feature.Name), .. tags[1..]]);
                }
            }
        }
    }

    private static IEnumerable<(WindowQuality Quality, KeyValuePair<string, object?>[] Tags)> Windows(ModelMonitoringRuntime runtime)
    {
        foreach (ModelMonitor model in runtime.ModelList)
        {
            if (model.LatestQuality is { } quality)
            {
                yield return (quality, [new("model", model.Name)]);
            }

            foreach (KeyValuePair<string, WindowQuality> segment in model.LatestSegmentQuality)
            {
                yield return (segment.Value, [new("model", model.Name), new("segment", segment.Key)]);
            }
        }
    }
}
