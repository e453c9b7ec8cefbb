using ModelMonitoring.Runtime;
using ModelMonitoring.Sketches;
using ModelMonitoring.Statistics;

namespace ModelMonitoring;

/// <summary>Compares a closed window's profiles with a reference, feature by feature, with each feature's method and threshold.</summary>
internal static class DriftEvaluation
{
    /// <summary>The drift report of a window, or null when nothing could be compared.</summary>
    public static ModelDriftReport? Evaluate(ModelMonitor model, FeatureWindowSnapshot window, BaselineProfile reference, ModelMonitoringOptions options)
    {
        if (window.Profiles is not { } profiles || window.Rows == 0)
        {
            return null;
        }

        Dictionary<string, ModelFeature> features = model.FeatureStates.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var inputs = new List<ColumnDriftResult>();
        var predictions = new List<ColumnDriftResult>();
        foreach (FeatureProfile current in profiles)
        {
            FeatureProfile? baseline = reference.Find(current.Name);
            if (!features.TryGetValue(current.Name, out ModelFeature? feature) || baseline is null || baseline.Count == 0 || current.Count == 0)
            {
                continue; // nothing to compare: an all-missing window or a feature the baseline lacks
            }

            FeatureDescriptor descriptor = feature.Descriptor;
            var settings = new ColumnDriftSettings(
                descriptor.DriftMethod != DriftMethod.Auto ? descriptor.DriftMethod : options.DriftMethod,
                !double.IsNaN(descriptor.DriftThreshold) ? descriptor.DriftThreshold : options.DriftThreshold);
            try
            {
                ColumnDriftResult result = SketchDriftEngine.EvaluateColumn(baseline, current, settings);
                (feature.IsPrediction ? predictions : inputs).Add(result);
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
            {
                model.RecordMonitoringFailure(MonitoringStage.Evaluate, exception, current.Name);
            }
        }

        return new ModelDriftReport(
            model.Name,
            window.Start,
            window.End,
            window.Rows,
            reference.RowCount,
            DatasetDriftResult.FromColumns(inputs, options.DatasetDriftShare),
            DatasetDriftResult.FromColumns(predictions, options.DatasetDriftShare))
        {
            Segment = window.Segment,
        };
    }
}
