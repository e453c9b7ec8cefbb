using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelMonitoring.Runtime;

namespace ModelMonitoring;

/// <summary>
/// Writes sampled prediction records (timestamp, model, version, method, key, outcome, latency, features and
/// prediction) as rolling JSON-lines files, one folder per model, for retraining, audits and
/// <c>mlmon drift --current</c>. A row consumer: it copies each sampled row on the runtime's folder thread into a
/// bounded buffer, and a thread of its own writes the files. When the buffer is full, records are dropped and
/// counted; a disk-full or permission error is counted, logged at most once a minute, and never thrown.
/// </summary>
/// <remarks>
/// In a host, <c>AddModelMonitoring</c> registers one, configured by <c>ModelMonitoring:Capture</c>. Elsewhere, pass
/// one to the runtime: <c>new ModelMonitoringRuntime(options, rowConsumers: [capture])</c>, and dispose it after the
/// runtime. Its counts are exported on the meter <c>ModelMonitoring.Capture</c>: <c>ml.capture.records</c>,
/// <c>ml.capture.dropped</c>, <c>ml.capture.write.errors</c>.
/// </remarks>
public sealed class InferenceCapture : IPredictionRowConsumer, IMonitoringSink, IDisposable
{
    /// <summary>The logging category of the capture's own messages.</summary>
    public const string LogCategory = "ModelMonitoring.Capture";

    private static readonly TimeSpan s_logEvery = TimeSpan.FromMinutes(1);
    private readonly ConcurrentQueue<CaptureRecord> _pool = new();
    private readonly ConcurrentDictionary<ModelMonitor, StrongBox<double>> _credit = new(ReferenceEqualityComparer.Instance);
    private readonly ConditionalWeakTable<MethodDescriptor, MethodMap> _maps = new();
    private readonly ConcurrentDictionary<CaptureErrorKind, long> _lastLogged = new();
    private readonly CaptureCounters _counters;
    private readonly CaptureFiles? _files;
    private readonly BackgroundQueue<CaptureRecord>? _queue;
    private readonly ILogger _logger;
    private volatile Settings _settings;
    private string? _lastError;
    private int _disposed;

    /// <summary>Creates the capture; it writes nothing until <see cref="InferenceCaptureOptions.Enabled"/>.</summary>
    /// <param name="options">The settings, validated and copied.</param>
    /// <param name="timeProvider">The clock that rolls files; null: the system clock.</param>
    /// <param name="loggerFactory">Where write errors are logged (category <c>ModelMonitoring.Capture</c>); null: nowhere.</param>
    /// <param name="meterFactory">Creates the <c>ModelMonitoring.Capture</c> meter; null: a meter of its own.</param>
    /// <exception cref="ArgumentException">A setting is invalid; the message names each one.</exception>
    public InferenceCapture(InferenceCaptureOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<string> errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid inference capture options: " + string.Join(" ", errors), nameof(options));
        }

        InferenceCaptureOptions snapshot = options.Clone();
        _settings = new Settings(snapshot);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(LogCategory);
        _counters = new CaptureCounters(meterFactory);
        Directory = Path.GetFullPath(snapshot.Directory);
        if (snapshot.Enabled && snapshot.Sensitive == SensitiveCapture.Hash && SensitiveValueHasher.TryDecodeKey(snapshot.HashKey!, out byte[]? key))
        {
            Hasher = new SensitiveValueHasher(key!);
        }

        if (snapshot.Enabled)
        {
            _files = new CaptureFiles(Directory, snapshot, timeProvider ?? TimeProvider.System, _counters, OnWriteError);
            _queue = new BackgroundQueue<CaptureRecord>(snapshot.BufferCapacity, "ModelMonitoring capture", WriteRecord, _files.Flush, e => OnWriteError(CaptureErrorKind.Io, Directory, e));
        }
    }

    /// <summary>The full path of the capture folder (each model writes into a sub-folder named after it).</summary>
    public string Directory { get; }

    /// <summary>Whether records are written (<see cref="InferenceCaptureOptions.Enabled"/> at creation).</summary>
    public bool IsEnabled => _queue is not null;

    /// <inheritdoc />
    public string Name => "capture";

    /// <inheritdoc />
    public MonitoringSinkStatus Status => new(_counters.TotalDelivered, _counters.TotalDropped, _queue?.Pending ?? 0, _lastError);

    /// <summary>Errors met writing files so far.</summary>
    public long WriteErrors => _counters.TotalErrors;

    internal SensitiveValueHasher? Hasher { get; }

    /// <summary>Records waiting in the buffer, not yet taken by the writer thread.</summary>
    internal int Queued => _queue?.Queued ?? 0;

    /// <summary>Records written and dropped for one model.</summary>
    public (long Written, long Dropped) CountsOf(string model) => _counters.Of(model);

    /// <summary>
    /// Applies reloaded settings: <see cref="InferenceCaptureOptions.SampleRate"/>, <see cref="InferenceCaptureOptions.Models"/>
    /// and <see cref="InferenceCaptureOptions.IncludeFailures"/> at once; the others are kept from the start.
    /// </summary>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public void UpdateOptions(InferenceCaptureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<string> errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid inference capture options: " + string.Join(" ", errors), nameof(options));
        }

        _settings = new Settings(options.Clone());
    }

    /// <summary>Waits until every record taken before the call is written and flushed to its file; false on timeout.</summary>
    public bool Flush(TimeSpan? timeout = null) => _queue?.Flush(timeout ?? TimeSpan.FromSeconds(30)) ?? true;

    /// <inheritdoc />
    public void OnRow(in PredictionRow row)
    {
        BackgroundQueue<CaptureRecord>? queue = _queue;
        if (queue is null)
        {
            return;
        }

        Settings settings = _settings;
        ModelMonitor model = row.Model;
        if ((settings.Models is { } models && !models.Contains(model.Name))
            || (!settings.IncludeFailures && row.Outcome != PredictionOutcome.Success)
            || !Sampled(model, settings.SampleRate))
        {
            return;
        }

        CaptureRecord record = Copy(in row, model);
        if (!queue.TryEnqueue(record))
        {
            _counters.Dropped(model.Name, CaptureDropReason.BufferFull);
            Return(record);
        }
    }

    /// <summary>Writes what is buffered (waiting at most 10 s) and closes the files.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return; // a host registers it under several services
        }

        _queue?.Close(TimeSpan.FromSeconds(10));
        _files?.Dispose();
        _counters.Dispose();
    }

    private bool Sampled(ModelMonitor model, double rate)
    {
        if (rate >= 1)
        {
            return true;
        }

        if (rate <= 0)
        {
            return false;
        }

        // Exact shares, deterministic: a credit per model, on the folder thread of the model's runtime.
        StrongBox<double> credit = _credit.GetOrAdd(model, static _ => new StrongBox<double>());
        credit.Value += rate;
        if (credit.Value < 1)
        {
            return false;
        }

        credit.Value -= 1;
        return true;
    }

    private CaptureRecord Copy(in PredictionRow row, ModelMonitor model)
    {
        CaptureRecord record = _pool.TryDequeue(out CaptureRecord? pooled) ? pooled : new CaptureRecord();
        MethodDescriptor method = row.Method;
        IReadOnlyList<FeatureDescriptor> features = method.Features;
        MethodMap map = MapOf(method, row.Features);
        record.Prepare(features.Count);
        record.Model = model.Name;
        record.ModelVersion = model.Descriptor.Version;
        record.Method = method.Name;
        record.Timestamp = row.Timestamp;
        record.Outcome = row.Outcome;
        record.DurationMilliseconds = row.IsCall ? row.DurationSeconds * 1000 : double.NaN;
        record.Key = row.Key.IsEmpty ? null : Bound(row.Key.ToString(), model);
        record.Segment = row.Segment is { } segment ? Bound(segment, model) : null;
        record.Features = features;
        bool hash = _settings.Sensitive == SensitiveCapture.Hash;
        for (int i = 0; i < features.Count; i++)
        {
            FeatureDescriptor feature = features[i];
            int index = map.ModelIndexes[i];
            if (index < 0 || (feature.IsSensitive && !hash))
            {
                record.States[i] = CaptureRecord.Absent;
                continue;
            }

            if (feature.Storage == FeatureStorage.Number)
            {
                bool present = row.TryGetNumber(index, out double number);
                record.Numbers[i] = number;
                record.States[i] = present ? CaptureRecord.Number : CaptureRecord.Null;
            }
            else
            {
                bool present = row.TryGetLabel(index, out string? label);
                if (feature.IsSensitive && label is not null && !label.StartsWith(SensitiveValueHasher.Prefix, StringComparison.Ordinal))
                {
                    label = FeatureValues.Redacted; // recorded as presence only: nothing to hash
                }

                record.Labels[i] = label is null ? null : Bound(label, model);
                record.States[i] = present ? CaptureRecord.Label : CaptureRecord.Null;
            }
        }

        return record;
    }

    /// <summary>A string as long as a window keeps it at most: a 25 MB category must not wait in the buffer.</summary>
    private static string Bound(string text, ModelMonitor model)
    {
        int max = model.Runtime.OptionsSnapshot.MaxCategoryLength;
        return text.Length <= max ? text : text[..max];
    }

    private MethodMap MapOf(MethodDescriptor method, IReadOnlyList<FeatureDescriptor> modelFeatures)
    {
        if (_maps.TryGetValue(method, out MethodMap? map) && ReferenceEquals(map.ModelFeatures, modelFeatures))
        {
            return map;
        }

        var indexes = new int[method.Features.Count];
        for (int i = 0; i < indexes.Length; i++)
        {
            indexes[i] = -1;
            for (int j = 0; j < modelFeatures.Count; j++)
            {
                if (modelFeatures[j].Name == method.Features[i].Name && modelFeatures[j].Storage == method.Features[i].Storage)
                {
                    indexes[i] = j;
                    break;
                }
            }
        }

        map = new MethodMap(modelFeatures, indexes);
        _maps.AddOrUpdate(method, map);
        return map;
    }

    private void WriteRecord(CaptureRecord record)
    {
        try
        {
            _files!.Write(record);
        }
        finally
        {
            Return(record);
        }
    }

    private void Return(CaptureRecord record)
    {
        record.Clear();
        if (_pool.Count < 1024)
        {
            _pool.Enqueue(record);
        }
    }

    private void OnWriteError(CaptureErrorKind kind, string path, Exception exception)
    {
        _counters.Error(kind);
        _lastError = $"{CaptureCounters.ErrorTag(kind)}: {exception.Message}";
        long now = Environment.TickCount64;
        long last = _lastLogged.GetValueOrDefault(kind, now - (2 * (long)s_logEvery.TotalMilliseconds)); // not long.MinValue: now - MinValue overflows
        if (now - last < (long)s_logEvery.TotalMilliseconds || !_lastLogged.TryUpdate(kind, now, last) && !_lastLogged.TryAdd(kind, now))
        {
            return; // once a minute per kind of error
        }

        try
        {
            CaptureLog.WriteFailed(_logger, exception, CaptureCounters.ErrorTag(kind), path, _counters.TotalDropped);
        }
        catch
        {
            // A broken log must not stop the writer.
        }
    }

    private sealed record MethodMap(IReadOnlyList<FeatureDescriptor> ModelFeatures, int[] ModelIndexes);

    private sealed class Settings(InferenceCaptureOptions options)
    {
        public double SampleRate { get; } = options.SampleRate;

        public HashSet<string>? Models { get; } = options.Models.Count == 0 ? null : new HashSet<string>(options.Models, StringComparer.Ordinal);

        public bool IncludeFailures { get; } = options.IncludeFailures;

        public SensitiveCapture Sensitive { get; } = options.Sensitive;
    }
}

/// <summary>The capture's log messages.</summary>
internal static partial class CaptureLog
{
    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "Inference capture could not write ({Error}) to {Path}; its records are dropped and counted ({Dropped} so far), predictions are not affected. Logged at most once a minute")]
    public static partial void WriteFailed(ILogger logger, Exception exception, string error, string path, long dropped);
}
