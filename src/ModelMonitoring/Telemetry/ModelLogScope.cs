using ModelMonitoring.Runtime;

namespace ModelMonitoring;

/// <summary>The log scope of a model: model, version, owner and squad on every log line written inside it.</summary>
internal sealed class ModelLogScope(ModelDescriptor descriptor) : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?>[] _items =
    [
        new("Model", descriptor.Name),
        new("ModelVersion", descriptor.Version),
        new("Owner", descriptor.Owner),
        new("Squad", descriptor.Squad),
    ];

    private readonly string _text = $"Model {descriptor.Name} {descriptor.Version} (owner {descriptor.Owner}, squad {descriptor.Squad})";

    public int Count => _items.Length;

    public KeyValuePair<string, object?> this[int index] => _items[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_items).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => _text;
}
