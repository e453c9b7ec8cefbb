using System.Diagnostics;
using ModelMonitoring.Runtime;

[assembly: CollectionBehavior(DisableTestParallelization = true)] // the runtime's clock and options are process-wide

namespace ModelMonitoring.Tests;

/// <summary>
/// A model registered by hand, recording rows through the same runtime calls the generated wrapper makes,
/// so that runtime behaviour is tested without compiling code.
/// </summary>
internal sealed class TestModel
{
    public TestModel(string name, string? version = "1.0")
    {
        Descriptor = new ModelDescriptor(name, version, "owner", "squad", "Tests." + name, [
            new MethodDescriptor("Predict", "M:Tests.Predict", isBatch: false, isAsync: false, [
                new FeatureDescriptor("area", FeatureKind.Numerical, FeatureStorage.Number, 0, FeatureSource.Input, "double", false, 0, DriftMethod.Auto, double.NaN),
                new FeatureDescriptor("region", FeatureKind.Categorical, FeatureStorage.Label, 0, FeatureSource.Input, "string", false, 0, DriftMethod.Auto, double.NaN),
                new FeatureDescriptor("email", FeatureKind.Categorical, FeatureStorage.Label, 1, FeatureSource.Input, "string", true, 0, DriftMethod.Auto, double.NaN),
                new FeatureDescriptor("prediction", FeatureKind.Numerical, FeatureStorage.Number, 1, FeatureSource.Prediction, "double", false, 0, DriftMethod.Auto, double.NaN),
            ]),
        ]);
        Monitor = ModelMonitor.Register(Descriptor);
    }

    public ModelDescriptor Descriptor { get; }

    public ModelMonitor Monitor { get; }

    public void Record(double area, string? region, double prediction)
    {
        PredictionMonitor method = Monitor.Methods[0];
        FeatureRow row = method.BeginRow(Stopwatch.GetTimestamp(), activity: null);
        row.SetNumber(0, area);
        row.SetLabel(0, region);
        row.SetLabel(1, FeatureValues.Presence("someone@example.com"));
        row.SetNumber(1, prediction);
        row.Commit();
    }
}
