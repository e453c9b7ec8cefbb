using System.Collections.Concurrent;
using ModelMonitoring.Runtime;

namespace ModelMonitoring;

/// <summary>
/// Every monitored model of the process, as the generator described it: name, version, owner, squad, methods and
/// features with their kinds. Generated code registers each assembly's models when the assembly loads.
/// </summary>
public static class ModelCatalog
{
    private static readonly ConcurrentDictionary<ModelDescriptor, byte> s_models = new(ReferenceEqualityComparer.Instance);

    /// <summary>The registered models, ordered by name.</summary>
    public static IReadOnlyList<ModelDescriptor> Models =>
        s_models.Keys.OrderBy(m => m.Name, StringComparer.Ordinal).ThenBy(m => m.TypeName, StringComparer.Ordinal).ToArray();

    /// <summary>The model with this name, if registered.</summary>
    public static ModelDescriptor? Find(string name) => s_models.Keys.FirstOrDefault(m => m.Name == name);

    internal static void Add(ModelDescriptor descriptor) => s_models.TryAdd(descriptor, 0);
}
