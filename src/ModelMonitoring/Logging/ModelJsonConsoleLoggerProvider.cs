using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace ModelMonitoring;

/// <summary>
/// Writes every <see cref="ModelLogger"/> entry as one JSON line to the console (or another writer), from a
/// background thread: the model's code never waits for the console. Other log entries are left to the other
/// providers. When the queue (10,000 lines) is full, lines are dropped and counted in <see cref="Status"/>.
/// </summary>
/// <remarks>
/// <c>AddModelMonitoring</c> adds it to a host's logging (configure it under <c>Logging:ModelMonitoringJson</c>, as
/// any provider); a program with no host gets it from <see cref="ModelLogger.For{TModel}"/>.
/// </remarks>
[ProviderAlias("ModelMonitoringJson")]
public sealed class ModelJsonConsoleLoggerProvider : ILoggerProvider, IMonitoringSink
{
    private readonly TextWriter? _output;
    private readonly BackgroundQueue<string> _queue;
    private long _written;
    private string? _lastError;

    /// <summary>Writes to <see cref="Console.Out"/> (as it is when each line is written).</summary>
    public ModelJsonConsoleLoggerProvider()
        : this(null)
    {
    }

    /// <summary>Writes to <paramref name="output"/>; null: <see cref="Console.Out"/>.</summary>
    /// <param name="output">Where the lines go.</param>
    /// <param name="capacity">Lines that can wait to be written before further ones are dropped.</param>
    public ModelJsonConsoleLoggerProvider(TextWriter? output, int capacity = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _output = output;
        _queue = new BackgroundQueue<string>(capacity, "ModelMonitoring JSON console", WriteLine, FlushOutput, e => _lastError = e.GetType().Name + ": " + e.Message);
    }

    /// <summary>The lowest level written. Default <see cref="LogLevel.Trace"/>: a host's logging filters decide.</summary>
    public LogLevel MinimumLevel { get; init; } = LogLevel.Trace;

    /// <inheritdoc />
    public string Name => "console_logs";

    /// <inheritdoc />
    public MonitoringSinkStatus Status => new(Interlocked.Read(ref _written), _queue.Dropped, _queue.Pending, _lastError);

    private TextWriter Output => _output ?? Console.Out;

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new JsonLogger(this, categoryName);

    /// <summary>Waits until every line logged before the call is written; false on timeout.</summary>
    public bool Flush(TimeSpan timeout) => _queue.Flush(timeout);

    /// <inheritdoc />
    public void Dispose() => _queue.Close(TimeSpan.FromSeconds(2));

    /// <summary>One entry as its JSON line (without the line break).</summary>
    internal static string Format(ModelLogEntry entry, LogLevel level, string category, Exception? exception)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, ModelLogJson.WriterOptions))
        {
            ModelLogJson.Write(writer, entry, level, category, exception);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void WriteLine(string line)
    {
        Output.WriteLine(line);
        Interlocked.Increment(ref _written);
    }

    private void FlushOutput() => Output.Flush();

    private sealed class JsonLogger(ModelJsonConsoleLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= provider.MinimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is ModelLogEntry entry && IsEnabled(logLevel))
            {
                provider._queue.TryEnqueue(Format(entry, logLevel, category, exception));
            }
        }
    }
}
