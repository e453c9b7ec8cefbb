using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ModelMonitoring;

/// <summary>The capture's counts by model, and the instruments that export them (meter <c>ModelMonitoring.Capture</c>).</summary>
internal sealed class CaptureCounters : IDisposable
{
    public const string MeterName = "ModelMonitoring.Capture";
    private readonly ConcurrentDictionary<string, ModelCounts> _models = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<CaptureErrorKind, long[]> _errors = new();
    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    public CaptureCounters(IMeterFactory? meterFactory)
    {
        if (meterFactory is not null)
        {
            _meter = meterFactory.Create(new MeterOptions(MeterName) { Version = ModelMonitoringInstruments.Version });
        }
        else
        {
            _meter = new Meter(MeterName, ModelMonitoringInstruments.Version);
            _ownsMeter = true;
        }

        _meter.CreateObservableCounter(ModelMonitoringInstruments.CaptureRecords, ObserveDelivered, unit: "{record}", description: "Prediction records written to the inference capture files.");
        _meter.CreateObservableCounter(ModelMonitoringInstruments.CaptureDropped, ObserveDropped, unit: "{record}", description: "Prediction records the inference capture dropped: its buffer was full, or the file could not be written.");
        _meter.CreateObservableCounter(ModelMonitoringInstruments.CaptureWriteErrors, ObserveErrors, unit: "{error}", description: "Errors writing the inference capture files (disk full, permission...).");
    }

    public long TotalDelivered => _models.Values.Sum(m => Interlocked.Read(ref m.Delivered));

    public long TotalDropped => _models.Values.Sum(m => Interlocked.Read(ref m.BufferFull) + Interlocked.Read(ref m.WriteError));

    public long TotalErrors => _errors.Values.Sum(e => Interlocked.Read(ref e[0]));

    public void Delivered(string model, long count)
    {
        if (count > 0)
        {
            Interlocked.Add(ref For(model).Delivered, count);
        }
    }

    public void Dropped(string model, CaptureDropReason reason, long count = 1)
    {
        if (count <= 0)
        {
            return;
        }

        ModelCounts counts = For(model);
        Interlocked.Add(ref reason == CaptureDropReason.BufferFull ? ref counts.BufferFull : ref counts.WriteError, count);
    }

    public void Error(CaptureErrorKind kind) => Interlocked.Increment(ref _errors.GetOrAdd(kind, static _ => new long[1])[0]);

    public (long Delivered, long Dropped) Of(string model) =>
        _models.TryGetValue(model, out ModelCounts? counts)
            ? (Interlocked.Read(ref counts.Delivered), Interlocked.Read(ref counts.BufferFull) + Interlocked.Read(ref counts.WriteError))
            : (0, 0);

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    internal static string ErrorTag(CaptureErrorKind kind) => kind switch
    {
        CaptureErrorKind.DiskFull => "disk_full",
        CaptureErrorKind.Permission => "permission",
        CaptureErrorKind.Retention => "retention",
        _ => "io",
    };

    private ModelCounts For(string model) => _models.GetOrAdd(model, static _ => new ModelCounts());

    private IEnumerable<Measurement<long>> ObserveDelivered() =>
        _models.Select(m => new Measurement<long>(Interlocked.Read(ref m.Value.Delivered), new KeyValuePair<string, object?>("model", m.Key))).ToArray();

    private IEnumerable<Measurement<long>> ObserveDropped() =>
        _models.SelectMany(m => new[]
        {
            new Measurement<long>(Interlocked.Read(ref m.Value.BufferFull), new("model", m.Key), new("reason", "buffer_full")),
            new Measurement<long>(Interlocked.Read(ref m.Value.WriteError), new("model", m.Key), new("reason", "write_error")),
        }).ToArray();

    private IEnumerable<Measurement<long>> ObserveErrors() =>
        _errors.Select(e => new Measurement<long>(Interlocked.Read(ref e.Value[0]), new KeyValuePair<string, object?>("error", ErrorTag(e.Key)))).ToArray();

    private sealed class ModelCounts
    {
        public long Delivered;
        public long BufferFull;
        public long WriteError;
    }
}
