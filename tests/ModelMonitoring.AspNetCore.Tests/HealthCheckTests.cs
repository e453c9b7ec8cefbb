using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ModelMonitoring.Runtime;

namespace ModelMonitoring.AspNetCore.Tests;

public sealed class HealthCheckTests
{
    [Fact]
    public async Task The_check_is_degraded_after_a_failure_inside_monitoring_and_names_it()
    {
        // A real monitoring failure: a row consumer that throws. The prediction is still counted.
        using var runtime = new ModelMonitoringRuntime(rowConsumers: [new ThrowingConsumer()]);
        var check = new ModelMonitoringHealthCheck(runtime);
        var context = new HealthCheckContext();
        _ = await check.CheckHealthAsync(context);

        PredictionMonitor method = ModelRegistry.Register(new ModelDescriptor("health-degraded", null, null, null, "Tests.Health", [
            new MethodDescriptor("Predict", "M:Tests.A", false, false, [
                new FeatureDescriptor("size", FeatureKind.Numerical, FeatureStorage.Number, 0, FeatureSource.Input, "double", false, 0, DriftMethod.Auto, double.NaN),
            ]),
        ])).Methods[0];
        using (runtime.BeginScope())
        {
            FeatureRow row = method.BeginRow(Stopwatch.GetTimestamp(), default(ActivityScope));
            row.SetNumber(0, 42);
            row.Commit();
        }

        HealthCheckResult result = await check.CheckHealthAsync(context);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("metrics may be incomplete", result.Description, StringComparison.Ordinal);
        Assert.True((long)result.Data["failures"] >= 1);
        Assert.Contains("health-degraded", ((IReadOnlyDictionary<string, object?>)result.Data["models"]).Keys);
        Assert.Equal(1, runtime.For("health-degraded").GetPredictionCounts().Successes);
    }

    private sealed class ThrowingConsumer : IPredictionRowConsumer
    {
        public void OnRow(in PredictionRow row) => throw new InvalidOperationException("a consumer bug");
    }
}
