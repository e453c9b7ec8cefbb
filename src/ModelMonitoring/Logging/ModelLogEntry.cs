using System.Collections;
using ModelMonitoring.Runtime;

namespace ModelMonitoring;

/// <summary>
/// The state of one <see cref="ModelLogger"/> entry, as every <c>ILogger</c> provider receives it: a list of
/// name/value pairs (<c>model</c>, <c>model_owner</c>, <c>squad</c>, <c>model_version</c>, <c>env</c>,
/// <c>service</c>, then the logged object's properties as <c>data.&lt;name&gt;</c>, then <c>{OriginalFormat}</c>,
/// the message), so that OpenTelemetry logs get them as attributes. Its <see cref="ToString"/> is the message.
/// </summary>
public sealed class ModelLogEntry : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?>[] _pairs;

    internal ModelLogEntry(DateTimeOffset timestamp, string message, ModelDescriptor model, ServiceIdentity identity, KeyValuePair<string, object?>[] data)
    {
        Timestamp = timestamp;
        Message = message;
        Model = model.Name;
        ModelOwner = model.Owner;
        Squad = model.Squad;
        ModelVersion = model.Version;
        Environment = identity.Environment;
        Service = identity.ServiceName;
        Data = data;
        var pairs = new List<KeyValuePair<string, object?>>(8 + data.Length)
        {
            new("model", Model),
            new("model_owner", ModelOwner),
            new("squad", Squad),
            new("model_version", ModelVersion),
            new("env", Environment),
            new("service", Service),
        };
        Flatten("data.", data, pairs);
        pairs.Add(new("{OriginalFormat}", message));
        _pairs = [.. pairs];
    }

    /// <summary>When the entry was written, on the runtime's clock.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The message; empty when only an object was logged.</summary>
    public string Message { get; }

    /// <summary>The model's name.</summary>
    public string Model { get; }

    /// <summary>The model's owner, from <c>[MonitoredModel(Owner = ...)]</c>.</summary>
    public string? ModelOwner { get; }

    /// <summary>The model's squad, from <c>[MonitoredModel(Squad = ...)]</c>.</summary>
    public string? Squad { get; }

    /// <summary>The model's version, from <c>[MonitoredModel(Version = ...)]</c>.</summary>
    public string? ModelVersion { get; }

    /// <summary>The deployment environment (see <see cref="ServiceIdentity"/>).</summary>
    public string? Environment { get; }

    /// <summary>The service's name (see <see cref="ServiceIdentity"/>).</summary>
    public string? Service { get; }

    /// <summary>
    /// The logged object, read into pairs (sensitive values already <c>[redacted]</c>). Values are null, string, long,
    /// double, bool, <c>object?[]</c> (a list) or <c>KeyValuePair&lt;string, object?&gt;[]</c> (a nested object).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Data { get; }

    /// <inheritdoc />
    public int Count => _pairs.Length;

    /// <inheritdoc />
    public KeyValuePair<string, object?> this[int index] => _pairs[index];

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_pairs).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The message.</summary>
    public override string ToString() => Message;

    private static void Flatten(string prefix, KeyValuePair<string, object?>[] data, List<KeyValuePair<string, object?>> into)
    {
        foreach ((string name, object? value) in data)
        {
            if (value is KeyValuePair<string, object?>[] nested)
            {
                Flatten(prefix + name + ".", nested, into);
            }
            else if (value is object?[] list)
            {
                // OpenTelemetry attributes hold lists of scalars only.
                into.Add(new(prefix + name, list.All(i => i is null or string or long or double or bool) ? list : string.Join(", ", list.Select(i => i?.ToString()))));
            }
            else
            {
                into.Add(new(prefix + name, value));
            }
        }
    }
}
