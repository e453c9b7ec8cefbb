using ModelMonitoring.Runtime;

namespace ModelMonitoring;

/// <summary>
/// Every monitored model of the process, as the generator described it: name, version, owner, squad, methods and
/// features with their kinds. Generated code registers each assembly's models when the assembly loads.
/// </summary>
public static class ModelCatalog
{
    /// <summary>The registered models, ordered by name, then by type.</summary>
    public static IReadOnlyList<ModelDescriptor> Models =>
        ModelRegistry.Models.Select(m => m.Descriptor).OrderBy(m => m.Name, StringComparer.Ordinal).ThenBy(m => m.TypeName, StringComparer.Ordinal).ToArray();

    /// <summary>The first registered model with this name, if any.</summary>
    public static ModelDescriptor? Find(string name) => ModelRegistry.Models.Select(m => m.Descriptor).FirstOrDefault(m => m.Name == name);
}
