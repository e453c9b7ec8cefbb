using System.ComponentModel;

namespace ModelMonitoring.Runtime;

/// <summary>
/// The models compiled into this process. Generated code registers each model type once, when its assembly loads;
/// every <see cref="ModelMonitoringRuntime"/> then monitors every registered model. Models that share a name (two
/// types, or two assemblies) are one model: their features are merged by name.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ModelRegistry
{
    private static readonly object s_lock = new();
    private static readonly Dictionary<ModelDescriptor, RegisteredModel> s_byDescriptor = new(ReferenceEqualityComparer.Instance);
    private static RegisteredModel[] s_models = [];
    private static PredictionMonitor[] s_methods = [];
    private static readonly List<ModelMonitoringRuntime> s_runtimes = [];

    /// <summary>Every registered model type, in registration order.</summary>
    internal static RegisteredModel[] Models => Volatile.Read(ref s_models);

    /// <summary>Every tracked method of every registered model, indexed by <see cref="PredictionMonitor.Id"/>.</summary>
    internal static PredictionMonitor[] Methods => Volatile.Read(ref s_methods);

    /// <summary>
    /// Registers a model type and returns its process-wide handle, or the existing one. Called by generated code when
    /// its assembly loads. Never throws: a type initializer that threw would break every prediction.
    /// </summary>
    public static RegisteredModel Register(ModelDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ModelMonitoringRuntime[] runtimes;
        RegisteredModel model;
        lock (s_lock)
        {
            if (s_byDescriptor.TryGetValue(descriptor, out RegisteredModel? existing))
            {
                return existing;
            }

            int firstId = s_methods.Length;
            model = new RegisteredModel(descriptor, firstId);
            s_byDescriptor[descriptor] = model;
            s_models = [.. s_models, model];
            s_methods = [.. s_methods, .. model.MethodMonitors];
            runtimes = [.. s_runtimes];
        }

        foreach (ModelMonitoringRuntime runtime in runtimes)
        {
            runtime.OnModelRegistered(model);
        }

        return model;
    }

    /// <summary>Adds a runtime that monitors every model registered now and later.</summary>
    internal static RegisteredModel[] Attach(ModelMonitoringRuntime runtime)
    {
        lock (s_lock)
        {
            s_runtimes.Add(runtime);
            return s_models;
        }
    }

    /// <summary>Stops telling a disposed runtime about new models.</summary>
    internal static void Detach(ModelMonitoringRuntime runtime)
    {
        lock (s_lock)
        {
            s_runtimes.Remove(runtime);
        }
    }
}
