using System.ComponentModel;

namespace ModelMonitoring.Runtime;

/// <summary>How a captured value is stored while it waits to be folded into the window.</summary>
public enum FeatureStorage
{
    /// <summary>As a <see cref="double"/>; NaN means missing.</summary>
    Number,

    /// <summary>As a string label; <see langword="null"/> means missing.</summary>
    Label,
}

/// <summary>Where a feature's value comes from.</summary>
public enum FeatureSource
{
    /// <summary>An input parameter or one of its properties.</summary>
    Input,

    /// <summary>The prediction: the return value or one of its properties.</summary>
    Prediction,
}

/// <summary>A monitored model as the generator saw it: names, owners and tracked methods.</summary>
public sealed class ModelDescriptor
{
    /// <summary>Creates a descriptor. Called by generated code.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public ModelDescriptor(string name, string? version, string? owner, string? squad, string typeName, MethodDescriptor[] methods, string? trainedAt = null)
    {
        Name = name;
        TrainedAt = trainedAt;
        Version = version;
        Owner = owner;
        Squad = squad;
        TypeName = typeName;
        Methods = methods;
    }

    /// <summary>The model's name: the <c>model</c> tag of its metrics.</summary>
    public string Name { get; }

    /// <summary>The model's version: the <c>model_version</c> tag of its metrics, when set.</summary>
    public string? Version { get; }

    /// <summary>The person responsible for the model.</summary>
    public string? Owner { get; }

    /// <summary>The team responsible for the model.</summary>
    public string? Squad { get; }

    /// <summary>
    /// When the model was trained, as written in <c>[MonitoredModel(TrainedAt = "...")]</c> (an ISO 8601 date or time,
    /// for example <c>2026-11-20</c>); <see langword="null"/> when not set. Shown by <c>/health</c>.
    /// </summary>
    public string? TrainedAt { get; }

    /// <summary>The model's CLR type, as a metadata name.</summary>
    public string TypeName { get; }

    /// <summary>The model's tracked methods.</summary>
    public IReadOnlyList<MethodDescriptor> Methods { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} {Version} ({TypeName})";
}

/// <summary>A [DriftTracked] method and the features it captures.</summary>
public sealed class MethodDescriptor
{
    /// <summary>Creates a descriptor. Called by generated code.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public MethodDescriptor(string name, string signature, bool isBatch, bool isAsync, FeatureDescriptor[] features, string? predictionKeyMember = null)
    {
        PredictionKeyMember = predictionKeyMember;
        Name = name;
        Signature = signature;
        IsBatch = isBatch;
        IsAsync = isAsync;
        Features = features;
        NumberSlots = features.Count(f => f.Storage == FeatureStorage.Number);
        LabelSlots = features.Count(f => f.Storage == FeatureStorage.Label);
    }

    /// <summary>The method's name: the <c>method</c> tag of its metrics.</summary>
    public string Name { get; }

    /// <summary>The method's documentation id, which tells overloads apart.</summary>
    public string Signature { get; }

    /// <summary>Whether the method takes a batch of inputs (each item is captured; latency is for the batch).</summary>
    public bool IsBatch { get; }

    /// <summary>Whether the method returns a task (latency is measured to completion).</summary>
    public bool IsAsync { get; }

    /// <summary>The captured features, inputs first, then the prediction.</summary>
    public IReadOnlyList<FeatureDescriptor> Features { get; }

    /// <summary>The name of the <c>[PredictionKey]</c> member whose value the generated code passes to <c>FeatureRow.SetKey</c>; null when the method has none.</summary>
    public string? PredictionKeyMember { get; }

    internal int NumberSlots { get; }

    internal int LabelSlots { get; }
}

/// <summary>One captured feature.</summary>
public sealed class FeatureDescriptor
{
    /// <summary>Creates a descriptor. Called by generated code.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public FeatureDescriptor(string name, FeatureKind kind, FeatureStorage storage, int slot, FeatureSource source, string clrType,
        bool isSensitive, int maxCategories, DriftMethod driftMethod, double driftThreshold,
        bool isSegment = false, bool isPredictionScore = false, string? positiveLabel = null)
    {
        IsSegment = isSegment;
        IsPredictionScore = isPredictionScore;
        PositiveLabel = positiveLabel;
        Name = name;
        Kind = kind;
        Storage = storage;
        Slot = slot;
        Source = source;
        ClrType = clrType;
        IsSensitive = isSensitive;
        MaxCategories = maxCategories;
        DriftMethod = driftMethod;
        DriftThreshold = driftThreshold;
    }

    /// <summary>The feature's name: the <c>feature</c> tag of its metrics.</summary>
    public string Name { get; }

    /// <summary>Numerical or categorical.</summary>
    public FeatureKind Kind { get; }

    /// <summary>How the value is stored before folding.</summary>
    public FeatureStorage Storage { get; }

    /// <summary>The value's index among the method's features of the same storage.</summary>
    public int Slot { get; }

    /// <summary>Input or prediction.</summary>
    public FeatureSource Source { get; }

    /// <summary>The CLR type the value was read from.</summary>
    public string ClrType { get; }

    /// <summary>Whether the value is personal or secret: only its presence is recorded.</summary>
    public bool IsSensitive { get; }

    /// <summary>The most distinct categories counted before the overflow bucket; 0 means the default.</summary>
    public int MaxCategories { get; }

    /// <summary>The drift method chosen for the feature, or <see cref="DriftMethod.Auto"/>.</summary>
    public DriftMethod DriftMethod { get; }

    /// <summary>The drift threshold chosen for the feature, or NaN for the method's default.</summary>
    public double DriftThreshold { get; }

    /// <summary>Whether the feature is the model's <c>[Segment]</c>: its value is also passed to <c>FeatureRow.SetSegment</c>.</summary>
    public bool IsSegment { get; }

    /// <summary>Whether the feature is the prediction's <c>[PredictionScore]</c>, the probability of <see cref="PositiveLabel"/>.</summary>
    public bool IsPredictionScore { get; }

    /// <summary>The label a <c>[PredictionScore]</c> is the probability of; null: the greater of two labels.</summary>
    public string? PositiveLabel { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Kind}, {ClrType})";
}
