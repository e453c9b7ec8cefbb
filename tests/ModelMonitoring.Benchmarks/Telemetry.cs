using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace ModelMonitoring.Benchmarks;

/// <summary>Who listens to the meters while the benchmarks run. Without a listener, instruments are no-ops.</summary>
public enum Listener
{
    /// <summary>
    /// The OpenTelemetry SDK: a MeterProvider with <c>AddModelMonitoring()</c> and the hand-written meter, and a
    /// reader that exports only when asked (a <see cref="BaseExportingMetricReader"/> without a timer), so nothing
    /// is exported while a benchmark is measured. This is what production pays per measurement.
    /// </summary>
    OpenTelemetrySdk,

    /// <summary>A plain <see cref="MeterListener"/> that adds every measurement into longs (a lower bound: no SDK aggregation).</summary>
    MeterListener,
}

/// <summary>Attaches one of the <see cref="Listener"/>s to the ModelMonitoring meter and the hand-written one.</summary>
public sealed class TelemetrySession : IDisposable
{
    private readonly MeterProvider? _provider;
    private readonly MeterListener? _listener;
    private readonly ConcurrentDictionary<string, long> _exported = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Totals> _listened = new(StringComparer.Ordinal);

    private TelemetrySession(Listener listener, string[] extraMeters)
    {
        HandWrittenMonitoring.EnsureCreated();
        if (listener == Listener.OpenTelemetrySdk)
        {
            _provider = Sdk.CreateMeterProviderBuilder()
                .AddModelMonitoring()
                .AddMeter(HandWrittenMonitoring.MeterName)
                .AddMeter(extraMeters)
                .AddReader(new BaseExportingMetricReader(new TotalsExporter(_exported)))
                .Build();
        }
        else
        {
            _listener = new MeterListener
            {
                InstrumentPublished = (instrument, meterListener) =>
                {
                    if (instrument.Meter.Name is ModelMonitoringInstruments.SourceName or HandWrittenMonitoring.MeterName || extraMeters.Contains(instrument.Meter.Name))
                    {
                        meterListener.EnableMeasurementEvents(instrument, _listened.GetOrAdd(instrument.Name, _ => new Totals()));
                    }
                },
            };
            _listener.SetMeasurementEventCallback<long>(static (_, value, _, state) => Interlocked.Add(ref ((Totals)state!).Count, value));
            _listener.SetMeasurementEventCallback<double>(static (_, _, _, state) => Interlocked.Increment(ref ((Totals)state!).Count));
            _listener.Start();
        }
    }

    /// <summary>Starts listening to the ModelMonitoring meter, the hand-written one and <paramref name="extraMeters"/>.</summary>
    public static TelemetrySession Start(Listener listener, params string[] extraMeters) => new(listener, extraMeters);

    /// <summary>
    /// Checks that measurements of both meters reach the listener (call after at least one call of each variant), so
    /// that a benchmark never compares no-op instruments. Throws when they do not.
    /// </summary>
    public void Verify(ModelMonitoringRuntime runtime)
    {
        runtime.Flush();
        IReadOnlyDictionary<string, long> totals = Collect();
        foreach (string name in new[] { ModelMonitoringInstruments.PredictionDuration, HandWrittenMonitoring.DurationName, HandWrittenMonitoring.PredictionsName })
        {
            if (!totals.TryGetValue(name, out long count) || count <= 0)
            {
                throw new InvalidOperationException($"The listener saw no '{name}' measurements: the comparison would be meaningless. Seen: {string.Join(", ", totals.Select(t => t.Key + "=" + t.Value))}.");
            }
        }
    }

    /// <summary>Measurement totals per instrument: histogram counts and counter sums.</summary>
    public IReadOnlyDictionary<string, long> Collect()
    {
        if (_provider is not null)
        {
            _exported.Clear();
            _provider.ForceFlush();
            return new Dictionary<string, long>(_exported, StringComparer.Ordinal);
        }

        _listener!.RecordObservableInstruments();
        return _listened.ToDictionary(pair => pair.Key, pair => Interlocked.Read(ref pair.Value.Count), StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _provider?.Dispose();
        _listener?.Dispose();
    }

    private sealed class Totals
    {
        public long Count;
    }

    /// <summary>Adds up histogram counts and counter sums per instrument when the reader is asked to collect.</summary>
    private sealed class TotalsExporter(ConcurrentDictionary<string, long> totals) : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch)
        {
            foreach (Metric metric in batch)
            {
                long total = 0;
                foreach (ref readonly MetricPoint point in metric.GetMetricPoints())
                {
                    total += metric.MetricType switch
                    {
                        MetricType.Histogram => point.GetHistogramCount(),
                        MetricType.LongSum or MetricType.LongSumNonMonotonic => point.GetSumLong(),
                        _ => 0,
                    };
                }

                totals[metric.Name] = total;
            }

            return ExportResult.Success;
        }
    }
}
