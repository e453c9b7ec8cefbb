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
            try
            {
                ColumnDriftSettings settings = SettingsFor(descriptor, options);
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

    /// <summary>
    /// A feature's settings: its own method and threshold (<c>[Feature]</c>), else the options'; the options' minimum
    /// effect sizes (for every method, and per method) and chunk thresholds.
    /// </summary>
    internal static ColumnDriftSettings SettingsFor(FeatureDescriptor descriptor, ModelMonitoringOptions options)
    {
        StatTest? method = ToStatTest(descriptor.DriftMethod != DriftMethod.Auto ? descriptor.DriftMethod : options.DriftMethod);
        double? threshold = !double.IsNaN(descriptor.DriftThreshold) ? descriptor.DriftThreshold : options.DriftThreshold;
        return new ColumnDriftSettings(method, threshold)
        {
            MinimumEffectSize = options.MinimumEffectSize,
            MinimumEffectSizes = options.MinimumEffectSizes.Count == 0 ? null : options.MinimumEffectSizes,
            ChunkThresholds = options.ChunkThresholds,
        };
    }

    /// <summary>The library's method for an attribute value; null for <see cref="DriftMethod.Auto"/>.</summary>
    internal static StatTest? ToStatTest(DriftMethod method) => method switch
    {
        DriftMethod.Auto => null,
        DriftMethod.KolmogorovSmirnov => StatTests.KolmogorovSmirnov,
        DriftMethod.ChiSquare => StatTests.ChiSquare,
        DriftMethod.ZTest => StatTests.Z,
        DriftMethod.Wasserstein => StatTests.Wasserstein,
        DriftMethod.JensenShannon => StatTests.JensenShannon,
        DriftMethod.PopulationStabilityIndex => StatTests.PopulationStabilityIndex,
        DriftMethod.KullbackLeibler => StatTests.KullbackLeibler,
        DriftMethod.Hellinger => StatTests.Hellinger,
        DriftMethod.AndersonDarling => StatTests.AndersonDarling,
        DriftMethod.CramerVonMises => StatTests.CramerVonMises,
        DriftMethod.EnergyDistance => StatTests.EnergyDistance,
        DriftMethod.EppsSingleton => StatTests.EppsSingleton,
        DriftMethod.FisherExact => StatTests.FisherExact,
        DriftMethod.GTest => StatTests.GTest,
        DriftMethod.MannWhitneyU => StatTests.MannWhitneyU,
        DriftMethod.TTest => StatTests.TTest,
        DriftMethod.TotalVariationDistance => StatTests.TotalVariationDistance,
        DriftMethod.EmpiricalMmd => StatTests.EmpiricalMmd,
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown drift method."),
    };
}
