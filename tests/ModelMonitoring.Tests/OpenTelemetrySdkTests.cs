using System.Diagnostics;
using ModelMonitoring.Runtime;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace ModelMonitoring.Tests;

/// <summary>
/// Tests that read through the OpenTelemetry SDK. The SDK picks meters by name, so it would see the meters of the
/// runtimes other tests create at the same time (and lose a metric stream when another test disposes its meter):
/// these tests run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(nameof(OpenTelemetrySdkTests), DisableParallelization = true)]
[Collection(nameof(OpenTelemetrySdkTests))]
public sealed class OpenTelemetrySdkTests
{
    [Fact]
    public void Overloads_that_share_a_tag_set_are_exported_as_one_correct_total()
    {
        using var test = new TestRuntime();
        RegisteredModel model = ModelRegistry.Register(new ModelDescriptor("telemetry-overloads", "2.0", null, null, "Tests.Overloads", [
            new MethodDescriptor("Predict", "M:Tests.Overloads.Predict(System.Double)", false, false, []),
            new MethodDescriptor("Predict", "M:Tests.Overloads.Predict(System.String)", false, false, []),
        ]));
        var exported = new List<Metric>();
        using MeterProvider provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(ModelMonitoringInstruments.SourceName)
            .AddInMemoryExporter(exported)
            .Build()!;
        for (int i = 0; i < 9; i++)
        {
            FeatureRow row = model.Methods[i % 3 == 0 ? 0 : 1].BeginRow(Stopwatch.GetTimestamp(), default(ActivityScope));
            row.Commit();
        }

        provider.ForceFlush();

        Metric predictions = exported.Last(m => m.Name == ModelMonitoringInstruments.Predictions);
        long total = 0;
        foreach (ref readonly MetricPoint point in predictions.GetMetricPoints())
        {
            var tags = new Dictionary<string, object?>();
            foreach (KeyValuePair<string, object?> tag in point.Tags)
            {
                tags[tag.Key] = tag.Value;
            }

            if (Equals(tags["model"], "telemetry-overloads") && Equals(tags["outcome"], "success"))
            {
                total += point.GetSumLong();
            }
        }

        Assert.Equal(9, total);
    }
}
