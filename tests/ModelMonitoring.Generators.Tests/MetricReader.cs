using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ModelMonitoring.Generators.Tests;

/// <summary>Listens to the ModelMonitoring meter and sums what one model records, by instrument and tags.</summary>
internal sealed class MetricReader : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly string _model;
    private readonly ConcurrentDictionary<string, double> _sums = new();
    private readonly ConcurrentDictionary<string, long> _histogramCounts = new();
    private readonly ConcurrentDictionary<string, double> _observed = new();

    public MetricReader(string model)
    {
        _model = model;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ModelMonitoringInstruments.SourceName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => OnMeasurement(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => OnMeasurement(instrument, value, tags));
        _listener.Start();
    }

    private bool _observing;

    private void OnMeasurement(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? model = null;
        var parts = new List<string>();
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (tag.Key == "model")
            {
                model = tag.Value as string;
            }
            else
            {
                parts.Add(tag.Key + "=" + tag.Value);
            }
        }

        if (model != _model)
        {
            return;
        }

        parts.Sort(StringComparer.Ordinal);
        string key = instrument.Name + "{" + string.Join(",", parts) + "}";
        if (_observing)
        {
            _observed[key] = value;
        }
        else if (instrument is Histogram<double>)
        {
            _histogramCounts.AddOrUpdate(key, 1, (_, count) => count + 1);
            _sums.AddOrUpdate(key, value, (_, sum) => sum + value);
        }
        else
        {
            _sums.AddOrUpdate(key, value, (_, sum) => sum + value);
        }
    }

    /// <summary>Folds buffered predictions, then reads the observable instruments (counters are cumulative).</summary>
    public IReadOnlyDictionary<string, double> Observe()
    {
        ModelMonitoringRuntime.Current.Flush();
        lock (_observed)
        {
            _observed.Clear();
            _observing = true;
            _listener.RecordObservableInstruments();
            _observing = false;
            return new Dictionary<string, double>(_observed);
        }
    }

    public long Predictions(string method, string outcome = "success") =>
        (long)Observe().Where(kv => kv.Key.StartsWith(ModelMonitoringInstruments.Predictions + "{", StringComparison.Ordinal)
            && kv.Key.Contains("method=" + method + ",", StringComparison.Ordinal) && kv.Key.Contains("outcome=" + outcome, StringComparison.Ordinal)).Sum(kv => kv.Value);

    public long DurationCount(string method)
    {
        ModelMonitoringRuntime.Current.Flush();
        return _histogramCounts.Where(kv => kv.Key.StartsWith(ModelMonitoringInstruments.PredictionDuration, StringComparison.Ordinal) && kv.Key.Contains("method=" + method + ",", StringComparison.Ordinal)).Sum(kv => kv.Value);
    }

    public double DurationSum(string method)
    {
        ModelMonitoringRuntime.Current.Flush();
        return _sums.Where(kv => kv.Key.StartsWith(ModelMonitoringInstruments.PredictionDuration, StringComparison.Ordinal) && kv.Key.Contains("method=" + method + ",", StringComparison.Ordinal)).Sum(kv => kv.Value);
    }

    public IReadOnlyDictionary<string, double> Sums => new Dictionary<string, double>(_sums);

    public void Dispose() => _listener.Dispose();
}
