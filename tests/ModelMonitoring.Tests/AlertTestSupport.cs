using System.Collections.Concurrent;
using ModelMonitoring.Alerts;

namespace ModelMonitoring.Tests;

/// <summary>
/// A signal source of the tests' own, computed from the rows as the built-in monitors will be: the share of the last
/// window's rows whose <c>area</c> is above a limit (<c>outlier_ratio</c>), the share of missing <c>area</c> values
/// (<c>missing_ratio</c>, per feature), the accuracy of the last window's predictions against ground truth the test
/// reports (<c>performance</c>, metric <c>accuracy</c>) and a count of concept-drift detections.
/// </summary>
internal sealed class WindowQualitySignals(double outlierAbove) : IPredictionRowConsumer, IModelSignalSource
{
    private readonly Dictionary<string, Counts> _open = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Counts> _closed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> _accuracy = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _detections = new(StringComparer.Ordinal);

    public void OnRow(in PredictionRow row)
    {
        if (!row.HasFeatures || row.Outcome != PredictionOutcome.Success)
        {
            return;
        }

        int area = IndexOf(row.Features, "area");
        if (!row.TryGetNumber(area, out double value))
        {
            return;
        }

        string model = row.Model.Name;
        Counts counts = _open.GetValueOrDefault(model);
        counts.Rows++;
        if (double.IsNaN(value))
        {
            counts.Missing++;
        }
        else if (value > outlierAbove)
        {
            counts.Outliers++;
        }

        _open[model] = counts;
    }

    public void OnWindowClosed(ModelMonitor model, FeatureWindowSnapshot window)
    {
        if (window.Segment.Length == 0 && _open.Remove(model.Name, out Counts counts))
        {
            _closed[model.Name] = counts;
        }
    }

    /// <summary>Ground truth arrived: the share of the last window's predictions that were right.</summary>
    public void ReportAccuracy(string model, double accuracy) => _accuracy[model] = accuracy;

    /// <summary>A concept-drift detector fired once more on the model's error stream.</summary>
    public void ReportConceptDrift(string model) => _detections.AddOrUpdate(model, 1, (_, n) => n + 1);

    public void AddSignals(ModelMonitor model, ICollection<ModelSignal> signals)
    {
        if (_closed.TryGetValue(model.Name, out Counts counts) && counts.Rows > 0)
        {
            signals.Add(new ModelSignal(ModelSignalNames.OutlierRatio, (double)counts.Outliers / counts.Rows));
            signals.Add(new ModelSignal(ModelSignalNames.MissingRatio, (double)counts.Missing / counts.Rows) { Feature = "area" });
        }

        if (_accuracy.TryGetValue(model.Name, out double accuracy))
        {
            signals.Add(new ModelSignal(ModelSignalNames.Performance, accuracy) { Metric = "accuracy" });
        }

        if (_detections.TryGetValue(model.Name, out long detections))
        {
            signals.Add(new ModelSignal(ModelSignalNames.ConceptDriftDetections, detections) { Metric = "ddm" });
        }
    }

    private static int IndexOf(IReadOnlyList<Runtime.FeatureDescriptor> features, string name)
    {
        for (int i = 0; i < features.Count; i++)
        {
            if (features[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    private struct Counts
    {
        public long Rows;
        public long Outliers;
        public long Missing;
    }
}

/// <summary>A notifier that keeps what it is sent, for the tests to read; optionally blocks until released.</summary>
internal sealed class CollectingNotifier(string name = "collect", bool takesEveryAlert = false) : IAlertNotifier
{
    private readonly ConcurrentQueue<AlertNotification> _received = new();
    private readonly SemaphoreSlim? _gate;

    public CollectingNotifier(string name, SemaphoreSlim gate)
        : this(name) => _gate = gate;

    public string Name { get; } = name;

    public bool TakesEveryAlert { get; } = takesEveryAlert;

    public IReadOnlyList<AlertNotification> Received => [.. _received];

    public async Task SendAsync(AlertNotification notification, CancellationToken cancellationToken)
    {
        if (_gate is not null)
        {
            await _gate.WaitAsync(cancellationToken);
        }

        _received.Enqueue(notification);
    }
}
