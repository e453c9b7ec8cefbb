using System.ComponentModel;

namespace ModelMonitoring.Runtime;

/// <summary>
/// A model type as it was registered in this process: its descriptor and one <see cref="PredictionMonitor"/> per
/// tracked method. Process-wide; the monitoring state lives in each runtime's <see cref="ModelMonitor"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RegisteredModel
{
    internal RegisteredModel(ModelDescriptor descriptor, int firstMethodId)
    {
        Descriptor = descriptor;
        MethodMonitors = descriptor.Methods.Select((method, index) => new PredictionMonitor(this, method, firstMethodId + index)).ToArray();
    }

    /// <summary>The model as the generator described it.</summary>
    public ModelDescriptor Descriptor { get; }

    /// <summary>The tracked methods, in the descriptor's order.</summary>
    public IReadOnlyList<PredictionMonitor> Methods => MethodMonitors;

    internal PredictionMonitor[] MethodMonitors { get; }
}
