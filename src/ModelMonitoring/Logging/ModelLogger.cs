using Microsoft.Extensions.Logging;
using ModelMonitoring.Runtime;

namespace ModelMonitoring;

/// <summary>
/// A logger for a model's own code, on top of <see cref="ILogger"/>: every entry carries the model's name, owner,
/// squad and version (from <see cref="MonitoredModelAttribute"/>) and the environment (<c>ModelMonitoring:Environment</c>,
/// else <c>ENV</c>), and the logged object's <see cref="SensitiveAttribute"/> properties are <c>[redacted]</c>.
/// </summary>
/// <remarks>
/// <para>Get one with <see cref="For{TModel}"/> (anywhere, also in a static field) or inject
/// <see cref="ModelLogger{TModel}"/> in a host that called <c>AddModelMonitoring</c>.</para>
/// <para>Entries go to the logging of the runtime the call is made in (<see cref="ModelMonitoringRuntime.Current"/>):
/// in a host, its <see cref="ILoggerFactory"/> (every provider: the JSON console lines, OpenTelemetry logs,
/// Datadog...), under the category <c>ModelMonitoring.Model.&lt;model&gt;</c>; in a program with no host, JSON lines on
/// the console. Writing an entry never throws.</para>
/// </remarks>
public class ModelLogger
{
    /// <summary>The category prefix of model log entries: <c>ModelMonitoring.Model.&lt;model&gt;</c>.</summary>
    public const string CategoryPrefix = "ModelMonitoring.Model";

    private static readonly EventId s_eventId = new(1000, "ModelLog");
    private static readonly Lazy<ModelJsonConsoleLoggerProvider> s_console = new(CreateConsole);
    private readonly ModelMonitoringRuntime? _runtime;
    private Binding? _binding;

    /// <summary>A logger that follows the current runtime (<see cref="For{TModel}"/>).</summary>
    private protected ModelLogger(ModelDescriptor model, ModelMonitoringRuntime? runtime)
    {
        Model = model;
        Category = CategoryPrefix + "." + model.Name;
        _runtime = runtime;
    }

    /// <summary>The model whose entries this logger writes.</summary>
    public ModelDescriptor Model { get; }

    /// <summary>The logging category: <c>ModelMonitoring.Model.&lt;model&gt;</c>.</summary>
    public string Category { get; }

    /// <summary>The logger of a <c>[MonitoredModel]</c> type; it writes into the runtime current at each call.</summary>
    /// <exception cref="ArgumentException">The type has no <see cref="MonitoredModelAttribute"/>.</exception>
    public static ModelLogger For<TModel>() => new(Describe(typeof(TModel)), runtime: null);

    /// <summary>The logger of a <c>[MonitoredModel]</c> type; it writes into the runtime current at each call.</summary>
    /// <exception cref="ArgumentException">The type has no <see cref="MonitoredModelAttribute"/>.</exception>
    public static ModelLogger For(Type modelType)
    {
        ArgumentNullException.ThrowIfNull(modelType);
        return new(Describe(modelType), runtime: null);
    }

    /// <summary>Writes an entry at Information level.</summary>
    public void Info(string message) => Write(LogLevel.Information, message, null, null);

    /// <summary>Writes an object at Information level: its properties become the entry's <c>data</c>.</summary>
    public void Info(object data) => Write(LogLevel.Information, string.Empty, data, null);

    /// <summary>Writes a message and an object at Information level.</summary>
    public void Info(string message, object? data) => Write(LogLevel.Information, message, data, null);

    /// <summary>Writes an entry at Warning level.</summary>
    public void Warning(string message) => Write(LogLevel.Warning, message, null, null);

    /// <summary>Writes an object at Warning level.</summary>
    public void Warning(object data) => Write(LogLevel.Warning, string.Empty, data, null);

    /// <summary>Writes a message and an object at Warning level.</summary>
    public void Warning(string message, object? data) => Write(LogLevel.Warning, message, data, null);

    /// <summary>Writes an entry at Error level.</summary>
    public void Error(string message) => Write(LogLevel.Error, message, null, null);

    /// <summary>Writes an object at Error level.</summary>
    public void Error(object data) => Write(LogLevel.Error, string.Empty, data, null);

    /// <summary>Writes a message and an object at Error level.</summary>
    public void Error(string message, object? data) => Write(LogLevel.Error, message, data, null);

    /// <summary>Writes an exception, a message and (optionally) an object at Error level.</summary>
    public void Error(Exception exception, string message, object? data = null) => Write(LogLevel.Error, message, data, exception);

    /// <summary>Whether entries of this level are written anywhere.</summary>
    public bool IsEnabled(LogLevel level)
    {
        try
        {
            return Bind().Logger.IsEnabled(level);
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>The descriptor of a [MonitoredModel] type: the registered one, else read from its attribute.</summary>
    internal static ModelDescriptor Describe(Type type)
    {
        string name = type.FullName ?? type.Name;
        foreach (RegisteredModel model in ModelRegistry.Models)
        {
            if (model.Descriptor.TypeName == name)
            {
                return model.Descriptor;
            }
        }

        var attribute = (MonitoredModelAttribute?)Attribute.GetCustomAttribute(type, typeof(MonitoredModelAttribute), inherit: false)
            ?? throw new ArgumentException($"Type '{name}' has no [MonitoredModel] attribute: a model logger needs the model's name, owner and squad from it.", nameof(type));
        return new ModelDescriptor(attribute.Name, attribute.Version, attribute.Owner, attribute.Squad, name, [], attribute.TrainedAt);
    }

    private static ModelJsonConsoleLoggerProvider CreateConsole()
    {
        var provider = new ModelJsonConsoleLoggerProvider { MinimumLevel = LogLevel.Information };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => provider.Flush(TimeSpan.FromSeconds(2));
        return provider;
    }

    private void Write(LogLevel level, string message, object? data, Exception? exception)
    {
        try
        {
            Binding binding = Bind();
            if (!binding.Logger.IsEnabled(level))
            {
                return;
            }

            var entry = new ModelLogEntry(binding.Runtime.TimeProvider.GetUtcNow(), message ?? string.Empty, Model, binding.Identity, LogObjectReader.Read(data));
            binding.Logger.Log(level, s_eventId, entry, exception, static (e, _) => e.Message);
        }
        catch (Exception)
        {
            // A log entry must never break the model's code.
        }
    }

    private Binding Bind()
    {
        ModelMonitoringRuntime runtime = _runtime ?? ModelMonitoringRuntime.Current;
        Binding? binding = Volatile.Read(ref _binding);
        if (binding is not null && ReferenceEquals(binding.Runtime, runtime) && ReferenceEquals(binding.Options, runtime.OptionsSnapshot))
        {
            return binding;
        }

        ILogger logger = runtime.HasLoggerFactory ? runtime.LoggerFactory.CreateLogger(Category) : s_console.Value.CreateLogger(Category);
        binding = new Binding(runtime, runtime.OptionsSnapshot, logger, ServiceIdentity.Of(runtime));
        Volatile.Write(ref _binding, binding);
        return binding;
    }

    private sealed record Binding(ModelMonitoringRuntime Runtime, ModelMonitoringOptions Options, ILogger Logger, ServiceIdentity Identity);
}

/// <summary>
/// The <see cref="ModelLogger"/> of a model type, for dependency injection: <c>AddModelMonitoring</c> registers it,
/// bound to the host's runtime and logging.
/// </summary>
/// <typeparam name="TModel">A <c>[MonitoredModel]</c> type.</typeparam>
public sealed class ModelLogger<TModel> : ModelLogger
{
    /// <summary>A logger bound to a runtime (the host's).</summary>
    /// <exception cref="ArgumentException"><typeparamref name="TModel"/> has no <see cref="MonitoredModelAttribute"/>.</exception>
    public ModelLogger(ModelMonitoringRuntime runtime)
        : base(Describe(typeof(TModel)), runtime ?? throw new ArgumentNullException(nameof(runtime)))
    {
    }
}
