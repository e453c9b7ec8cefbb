using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ModelMonitoring.Tests;

/// <summary>Listens to one runtime's meter only (other tests' runtimes run in parallel) and sums what it records.</summary>
internal sealed class RuntimeMetrics : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, double> _sums = new();
    private readonly ConcurrentDictionary<string, long> _measurements = new();
    private readonly Dictionary<string, double> _observed = [];
    private bool _observing;

    public RuntimeMetrics(ModelMonitoringRuntime runtime)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, runtime.Meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => OnMeasurement(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => OnMeasurement(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Sums of the synchronous instruments (histograms: of the values), by "name{tag=value,...}".</summary>
    public IReadOnlyDictionary<string, double> Sums => new Dictionary<string, double>(_sums);

    /// <summary>How many measurements each synchronous series received (a histogram's count).</summary>
    public IReadOnlyDictionary<string, long> Measurements => new Dictionary<string, long>(_measurements);

    /// <summary>Reads every observable instrument now, as a scrape does.</summary>
    public IReadOnlyDictionary<string, double> Observe()
    {
        lock (_observed)
        {
            _observed.Clear();
            _observing = true;
            _listener.RecordObservableInstruments();
            _observing = false;
            return new Dictionary<string, double>(_observed);
        }
    }

    public long MeasurementsOf(string instrument, params string[] tags) =>
        Measurements.Where(kv => Matches(kv.Key, instrument, tags)).Sum(kv => kv.Value);

    public double SumOf(string instrument, params string[] tags) =>
        Sums.Where(kv => Matches(kv.Key, instrument, tags)).Sum(kv => kv.Value);

    public static bool Matches(string key, string instrument, string[] tags) =>
        key.StartsWith(instrument + "{", StringComparison.Ordinal) && tags.All(t => key.Contains(t, StringComparison.Ordinal));

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parts = new List<string>();
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            parts.Add(tag.Key + "=" + tag.Value);
        }

        parts.Sort(StringComparer.Ordinal);
        string key = instrument.Name + "{" + string.Join(",", parts) + "}";
        if (_observing && instrument.IsObservable)
        {
            _observed[key] = _observed.GetValueOrDefault(key) + value;
            return;
        }

        _sums.AddOrUpdate(key, value, (_, sum) => sum + value);
        _measurements.AddOrUpdate(key, 1, (_, count) => count + 1);
    }
}
