using ModelMonitoring.Runtime;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Tests;

/// <summary>The runtime's drift settings: every <see cref="DriftMethod"/> runs its Evidently method, and the opt-in decisions reach the engine.</summary>
public sealed class DriftSettingsTests
{
    [Fact]
    public void Every_drift_method_maps_to_its_Evidently_stattest_and_old_values_keep_their_numbers()
    {
        Assert.Equal(0, (int)DriftMethod.Auto);
        Assert.Equal(8, (int)DriftMethod.Hellinger);
        Assert.Null(DriftEvaluation.ToStatTest(DriftMethod.Auto));
        StatTest[] mapped = Enum.GetValues<DriftMethod>().Where(m => m != DriftMethod.Auto).Select(m => DriftEvaluation.ToStatTest(m)!).ToArray();
        Assert.Equal(StatTests.All.OrderBy(t => t.Name, StringComparer.Ordinal), mapped.OrderBy(t => t.Name, StringComparer.Ordinal));
        Assert.Equal(StatTests.AndersonDarling, DriftEvaluation.ToStatTest(DriftMethod.AndersonDarling));
        Assert.Equal(StatTests.TotalVariationDistance, DriftEvaluation.ToStatTest(DriftMethod.TotalVariationDistance));
    }

    [Fact]
    public void The_feature_attribute_wins_and_the_options_bring_the_opt_in_decisions()
    {
        var options = new ModelMonitoringOptions
        {
            DriftMethod = DriftMethod.Wasserstein,
            MinimumEffectSize = 0.05,
            ChunkThresholds = true,
        };
        options.MinimumEffectSizes["ks"] = 0.02;
        var descriptor = new FeatureDescriptor("area", FeatureKind.Numerical, FeatureStorage.Number, 0, FeatureSource.Input, "double", false, 0, DriftMethod.CramerVonMises, 0.2);

        ColumnDriftSettings settings = DriftEvaluation.SettingsFor(descriptor, options);

        Assert.Equal(StatTests.CramerVonMises, settings.Method);
        Assert.Equal(0.2, settings.Threshold);
        Assert.Equal(0.05, settings.MinimumEffectSize);
        Assert.Equal(0.02, settings.MinimumEffectSizes!["KS"]);
        Assert.True(settings.ChunkThresholds);
    }

    [Fact]
    public void Invalid_decision_options_are_named()
    {
        var options = new ModelMonitoringOptions { MinimumEffectSize = -1 };
        options.MinimumEffectSizes["kolmogorov"] = 0.1;
        IReadOnlyList<string> errors = options.Validate();
        Assert.Contains(errors, e => e.Contains("MinimumEffectSize must", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("MinimumEffectSizes:kolmogorov is not a drift method", StringComparison.Ordinal));
    }
}
