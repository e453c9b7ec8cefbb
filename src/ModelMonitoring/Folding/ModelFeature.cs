using ModelMonitoring.Runtime;
using ModelMonitoring.Statistics;

namespace ModelMonitoring;

/// <summary>
/// One feature of a model, merged by name over every method (and every type that shares the model's name), with its
/// all-time counts. The folder writes the counts; anyone reads them.
/// </summary>
internal sealed class ModelFeature
{
    private long _values;
    private long _missing;
    private long _infinite;

    public ModelFeature(int index, FeatureDescriptor descriptor, string model)
    {
        Index = index;
        Descriptor = descriptor;
        Tags = [new("model", model), new("feature", descriptor.Name)];
    }

    public int Index { get; }

    public FeatureDescriptor Descriptor { get; }

    public string Name => Descriptor.Name;

    public FeatureKind Kind => Descriptor.Kind;

    public bool IsSensitive => Descriptor.IsSensitive;

    public bool IsPrediction => Descriptor.Source == FeatureSource.Prediction;

    public ColumnType ColumnType => Kind == FeatureKind.Numerical ? ColumnType.Numerical : ColumnType.Categorical;

    public KeyValuePair<string, object?>[] Tags { get; }

    public long Values => Volatile.Read(ref _values);

    public long Missing => Volatile.Read(ref _missing);

    public long Infinite => Volatile.Read(ref _infinite);

    public int MaxCategories(int defaultMaxCategories) => Descriptor.MaxCategories > 0 ? Descriptor.MaxCategories : defaultMaxCategories;

    // Folder only: once per row, whichever windows the row goes to.
    public void CountNumber(double value)
    {
        if (double.IsFinite(value))
        {
            Volatile.Write(ref _values, _values + 1);
            return;
        }

        Volatile.Write(ref _missing, _missing + 1);
        if (!double.IsNaN(value))
        {
            Volatile.Write(ref _infinite, _infinite + 1);
        }
    }

    public void CountLabel(string? value)
    {
        if (value is null)
        {
            Volatile.Write(ref _missing, _missing + 1);
        }
        else
        {
            Volatile.Write(ref _values, _values + 1);
        }
    }
}
