using System.Diagnostics;
using ModelMonitoring.Runtime;

namespace ModelMonitoring.Tests;

/// <summary>
/// A model registered by hand, recording rows through the same runtime calls generated wrappers make, so that
/// runtime behaviour is tested without compiling code. Each test uses its own model name and its own runtime.
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
        Registration = ModelRegistry.Register(Descriptor);
    }

    public ModelDescriptor Descriptor { get; }

    public RegisteredModel Registration { get; }

    public PredictionMonitor Method => Registration.Methods[0];

    public string Name => Descriptor.Name;

    /// <summary>Records a successful call into the caller's current runtime.</summary>
    public void Record(double area, string? region, double prediction, string? segment = null)
    {
        FeatureRow row = Method.BeginRow(Stopwatch.GetTimestamp(), default(ActivityScope));
        row.SetNumber(0, area);
        row.SetLabel(0, region);
        row.SetLabel(1, FeatureValues.Presence("someone@example.com"));
        row.SetNumber(1, prediction);
        row.SetSegment(segment);
        row.Commit();
    }

    /// <summary>Records a failed call (with its inputs) into the caller's current runtime.</summary>
    public void RecordFailure(Exception exception, double area = 1)
    {
        FeatureRow row = Method.BeginFailedRow(Stopwatch.GetTimestamp(), exception, default);
        row.SetNumber(0, area);
        row.SetLabel(0, "north");
        row.Commit();
    }
}

/// <summary>A runtime of the test's own, current for the test's flow (and the threads it starts) until disposed.</summary>
internal sealed class TestRuntime : IDisposable
{
    private readonly IDisposable _scope;

    public TestRuntime(ModelMonitoringOptions? options = null, TimeProvider? clock = null, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null, params IPredictionRowConsumer[] consumers)
    {
        Runtime = new ModelMonitoringRuntime(options, clock, loggerFactory, consumers);
        _scope = Runtime.BeginScope();
    }

    public ModelMonitoringRuntime Runtime { get; }

    public ModelMonitor Monitor(TestModel model) => Runtime.For(model.Name);

    public void Dispose()
    {
        _scope.Dispose();
        Runtime.Dispose();
    }
}
