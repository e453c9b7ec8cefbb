using System.Diagnostics;
using ModelMonitoring.Runtime;

namespace ModelMonitoring.Tests;

/// <summary>
/// Hand-built models with a [PredictionKey], a [Segment] and a [PredictionScore], recording as generated code will:
/// <c>SetKey</c> with the key member's value, <c>SetLabel</c> and <c>SetSegment</c> with the segment feature's value.
/// </summary>
internal sealed class ChurnModel
{
    public ChurnModel(string name)
    {
        Descriptor = new ModelDescriptor(name, "1.0", "owner", "squad", "Tests." + name, [
            new MethodDescriptor("Predict", "M:Tests.Churn.Predict", isBatch: false, isAsync: false, [
                new FeatureDescriptor("tenure", FeatureKind.Numerical, FeatureStorage.Number, 0, FeatureSource.Input, "double", false, 0, DriftMethod.Auto, double.NaN),
                new FeatureDescriptor("plan", FeatureKind.Categorical, FeatureStorage.Label, 0, FeatureSource.Input, "string", false, 0, DriftMethod.Auto, double.NaN, isSegment: true),
                new FeatureDescriptor("churn", FeatureKind.Categorical, FeatureStorage.Label, 1, FeatureSource.Prediction, "bool", false, 0, DriftMethod.Auto, double.NaN),
                new FeatureDescriptor("probability", FeatureKind.Numerical, FeatureStorage.Number, 1, FeatureSource.Prediction, "double", false, 0, DriftMethod.Auto, double.NaN, isPredictionScore: true, positiveLabel: "true"),
            ], predictionKeyMember: "CustomerId"),
        ]);
        Method = ModelRegistry.Register(Descriptor).Methods[0];
    }

    public ModelDescriptor Descriptor { get; }

    public PredictionMonitor Method { get; }

    public string Name => Descriptor.Name;

    public void Record(long key, string plan, bool churn, double probability, double tenure = 12)
    {
        FeatureRow row = Method.BeginRow(Stopwatch.GetTimestamp(), default(ActivityScope));
        row.SetKey(key);
        row.SetNumber(0, tenure);
        row.SetLabel(0, plan);
        row.SetSegment(plan);
        row.SetLabel(1, FeatureValues.ToLabel(churn));
        row.SetNumber(1, probability);
        row.Commit();
    }
}

/// <summary>A regression with a string [PredictionKey] and no segment.</summary>
internal sealed class PriceModel
{
    public PriceModel(string name)
    {
        Descriptor = new ModelDescriptor(name, "1.0", "owner", "squad", "Tests." + name, [
            new MethodDescriptor("Predict", "M:Tests.Price.Predict", isBatch: false, isAsync: false, [
                new FeatureDescriptor("area", FeatureKind.Numerical, FeatureStorage.Number, 0, FeatureSource.Input, "double", false, 0, DriftMethod.Auto, double.NaN),
                new FeatureDescriptor("price", FeatureKind.Numerical, FeatureStorage.Number, 1, FeatureSource.Prediction, "double", false, 0, DriftMethod.Auto, double.NaN),
            ], predictionKeyMember: "QuoteId"),
        ]);
        Method = ModelRegistry.Register(Descriptor).Methods[0];
    }

    public ModelDescriptor Descriptor { get; }

    public PredictionMonitor Method { get; }

    public string Name => Descriptor.Name;

    public void Record(string? key, double area, double price)
    {
        FeatureRow row = Method.BeginRow(Stopwatch.GetTimestamp(), default(ActivityScope));
        row.SetKey(key);
        row.SetNumber(0, area);
        row.SetNumber(1, price);
        row.Commit();
    }
}
