using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ModelMonitoring.Runtime;

namespace ModelMonitoring.AspNetCore.Tests;

public sealed class HealthCheckTests
{
    [Fact]
    public async Task The_check_is_degraded_after_a_failure_inside_monitoring_and_names_it()
    {
        var check = new ModelMonitoringHealthCheck();
        var context = new HealthCheckContext();
        _ = await check.CheckHealthAsync(context);

        // A real monitoring failure: two methods give the feature "size" different kinds, so the labels recorded by
        // the second one cannot be folded into the first one's numerical sketch. The predictions are still counted.
        ModelMonitor monitor = ModelMonitor.Register(new ModelDescriptor("health-degraded", null, null, null, "Tests.Health", [
            new MethodDescriptor("PredictByArea", "M:Tests.A", false, false, [
                new FeatureDescriptor("size", FeatureKind.Numerical, FeatureStorage.Number, 0, FeatureSource.Input, "double", false, 0, DriftMethod.Auto, double.NaN),
            ]),
            new MethodDescriptor("PredictByLabel", "M:Tests.B", false, false, [
                new FeatureDescriptor("size", FeatureKind.Categorical, FeatureStorage.Label, 0, FeatureSource.Input, "string", false, 0, DriftMethod.Auto, double.NaN),
            ]),
        ]));
        FeatureRow row = monitor.Methods[1].BeginRow(Stopwatch.GetTimestamp(), null);
        row.SetLabel(0, "large");
        row.Commit();

        HealthCheckResult result = await check.CheckHealthAsync(context);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("metrics may be incomplete", result.Description, StringComparison.Ordinal);
        Assert.True((long)result.Data["failures"] >= 1);
        Assert.Contains("health-degraded", (string[])result.Data["models"]);
        Assert.Equal(1, monitor.GetPredictionCounts().Successes);
    }
}
