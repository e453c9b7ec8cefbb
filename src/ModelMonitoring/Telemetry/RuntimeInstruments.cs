using System.Diagnostics;
using System.Diagnostics.Metrics;
using ModelMonitoring.Runtime;
using ModelMonitoring.Statistics;

namespace ModelMonitoring;

/// <summary>
/// The bridge to OpenTelemetry: the runtime's <see cref="Meter"/> (from the host's <see cref="IMeterFactory"/> when there
/// is one) and its instruments. The folder records the latency histogram and the error counter; every other instrument
/// is observed from the runtime's state at collection time. Collection first asks the folder for a pass, so counts
/// are exact; it never closes a window, evaluates or calls a user's handler.
/// </summary>
internal sealed class RuntimeInstruments : IDisposable
{
    private readonly ModelMonitoringRuntime _runtime;
    private readonly bool _ownsMeter;
    private Histogram<double> _duration = null!;
    private Counter<long> _errors = null!;

    public RuntimeInstruments(ModelMonitoringRuntime runtime, IMeterFactory? meterFactory)
    {
        _runtime = runtime;
        if (meterFactory is not null)
        {
            Meter = meterFactory.Create(new MeterOptions(ModelMonitoringInstruments.SourceName) { Version = ModelMonitoringInstruments.Version });
        }
        else
        {
            Meter = new Meter(ModelMonitoringInstruments.SourceName, ModelMonitoringInstruments.Version);
            _ownsMeter = true;
        }
    }

    /// <summary>
    /// Creates the instruments. Separate from the constructor: a listener that sees an instrument published may read
    /// <see cref="ModelMonitoringRuntime.Meter"/> at once, which must then find this object.
    /// </summary>
    public void CreateInstruments(IReadOnlyList<double> durationBuckets)
    {
        _duration = Meter.CreateHistogram(
            ModelMonitoringInstruments.PredictionDuration,
            unit: "s",
            description: "Latency of model predictions, to completion for asynchronous ones.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [.. durationBuckets] });
        _errors = Meter.CreateCounter<long>(ModelMonitoringInstruments.Errors, unit: "{error}", description: "Predictions that threw, by exception type.");

        Meter.CreateObservableCounter(ModelMonitoringInstruments.Predictions, ObservePredictions, unit: "{prediction}", description: "Model predictions by outcome.");
        Meter.CreateObservableCounter(ModelMonitoringInstruments.MonitoringFailures, ObserveFailures, unit: "{failure}", description: "Failures inside monitoring; never thrown to the caller.");
        Meter.CreateObservableCounter(ModelMonitoringInstruments.RowsDropped, ObserveDroppedRows, unit: "{row}", description: "Rows that could not be recorded because the folder fell behind; their calls are still counted.");
        Meter.CreateObservableCounter(ModelMonitoringInstruments.FeatureValues, () => ObserveFeatureTotals(FeatureTotal.Values), unit: "{value}", description: "Captured feature values that were present.");
        Meter.CreateObservableCounter(ModelMonitoringInstruments.FeatureMissing, () => ObserveFeatureTotals(FeatureTotal.Missing), unit: "{value}", description: "Captured feature values that were missing (null, NaN or ±Infinity).");
        Meter.CreateObservableCounter(ModelMonitoringInstruments.FeatureInfinite, () => ObserveFeatureTotals(FeatureTotal.Infinite), unit: "{value}", description: "Numerical feature values that were ±Infinity (also counted as missing).");
        Meter.CreateObservableGauge(ModelMonitoringInstruments.FeatureWindowValues, () => ObserveWindow(WindowStatistic.Values), unit: "{value}", description: "Present values in the feature's current window.");
        Meter.CreateObservableGauge(ModelMonitoringInstruments.FeatureWindowMean, () => ObserveWindow(WindowStatistic.Mean), description: "Mean of the numerical feature in its current window.");
        Meter.CreateObservableGauge(ModelMonitoringInstruments.FeatureWindowMin, () => ObserveWindow(WindowStatistic.Min), description: "Minimum of the numerical feature in its current window.");
        Meter.CreateObservableGauge(ModelMonitoringInstruments.FeatureWindowMax, () => ObserveWindow(WindowStatistic.Max), description: "Maximum of the numerical feature in its current window.");
        Meter.CreateObservableGauge(ModelMonitoringInstruments.FeatureDriftScore, () => ObserveDrift(DriftStatistic.FeatureScore), description: "Drift score of the feature in the last window: a p-value for ks, chisquare and z, otherwise a distance.");
        Meter.CreateObservableGauge(ModelMonitoringInstruments.FeatureDriftDetected, () => ObserveDrift(DriftStatistic.FeatureDetected), description: "1 when the feature drifted in the last window.");
        Meter.CreateObservableGauge(ModelMonitoringInstruments.ModelDriftShare, () => ObserveDrift(DriftStatistic.ModelShare), description: "Share of the model's input features that drifted in the last window.");
        Meter.CreateObservableGauge(ModelMonitoringInstruments.ModelDriftDetected, () => ObserveDrift(DriftStatistic.ModelDetected), description: "1 when the model's inputs drifted in the last window.");
        Meter.CreateObservableGauge(ModelMonitoringInstruments.PredictionDriftShare, () => ObserveDrift(DriftStatistic.PredictionShare), description: "Share of the prediction's parts that drifted in the last window.");
        Meter.CreateObservableGauge(ModelMonitoringInstruments.PredictionDriftDetected, () => ObserveDrift(DriftStatistic.PredictionDetected), description: "1 when the prediction drifted in the last window.");
    }

    private enum FeatureTotal
    {
        Values,
        Missing,
        Infinite,
    }

    private enum WindowStatistic
    {
        Values,
        Mean,
        Min,
        Max,
    }

    private enum DriftStatistic
    {
        FeatureScore,
        FeatureDetected,
        ModelShare,
        ModelDetected,
        PredictionShare,
        PredictionDetected,
    }

    public Meter Meter { get; }

    /// <summary>Records one call's latency, and its exception type when it failed. Folder only; each instrument isolated.</summary>
    public void RecordCall(MethodRecorder recorder, PredictionOutcome outcome, double seconds, string? exceptionType)
    {
        KeyValuePair<string, object?>[] tags = recorder.Method.DurationTags[(int)outcome];
        try
        {
            _duration.Record(seconds, tags.AsSpan());
        }
        catch (Exception exception)
        {
            recorder.Model.RecordMonitoringFailure(MonitoringStage.Publish, exception);
        }

        if (exceptionType is not null)
        {
            CountErrors(recorder, exceptionType, 1);
        }
    }

    /// <summary>Adds failed calls of one exception type to <c>ml.model.errors</c>. Folder only.</summary>
    public void CountErrors(MethodRecorder recorder, string exceptionType, long count)
    {
        try
        {
            KeyValuePair<string, object?>[] method = recorder.Method.DurationTags[0];
            var tags = new TagList { method[0], method[1], method[2], { "exception_type", exceptionType } };
            _errors.Add(count, tags);
        }
        catch (Exception exception)
        {
            recorder.Model.RecordMonitoringFailure(MonitoringStage.Publish, exception);
        }
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }

    private IEnumerable<Measurement<long>> ObservePredictions()
    {
        _runtime.WaitForFolder();

        // Overloads (and types sharing the model's name) have one tag set: report one sum per set, or an exporter keeps
        // only the last measurement of each.
        var totals = new Dictionary<(string Model, string Version, string Method, PredictionOutcome Outcome), long>();
        foreach (ModelMonitor model in RecordedModels())
        {
            foreach (PredictionMonitor method in model.Methods)
            {
                string version = ModelMonitor.VersionTagOf(method.Model.Descriptor);
                foreach (PredictionOutcome outcome in s_outcomes)
                {
                    totals.TryAdd((model.Name, version, method.Descriptor.Name, outcome), 0);
                }
            }

            foreach (MethodRecorder recorder in model.Recorders)
            {
                string version = ModelMonitor.VersionTagOf(recorder.Method.Model.Descriptor);
                string name = recorder.Method.Descriptor.Name;
                totals[(model.Name, version, name, PredictionOutcome.Success)] += recorder.Successes;
                totals[(model.Name, version, name, PredictionOutcome.Error)] += recorder.Errors;
                totals[(model.Name, version, name, PredictionOutcome.Canceled)] += recorder.Canceled;
            }
        }

        return totals.Select(t => new Measurement<long>(
            t.Value,
            new("model", t.Key.Model),
            new("model_version", t.Key.Version),
            new("method", t.Key.Method),
            new("outcome", OutcomeTag(t.Key.Outcome)))).ToArray();
    }

    /// <summary>
    /// The models that recorded at least one call in this runtime. Every runtime monitors every model of the process, but
    /// exports only these, so that runtimes sharing a process (a host and the default, two test hosts) never export the
    /// same series twice. Each exported model shows every outcome, zeros included.
    /// </summary>
    private IEnumerable<ModelMonitor> RecordedModels() => _runtime.ModelList.Where(m => m.Recorders.Length > 0);

    private static readonly PredictionOutcome[] s_outcomes = [PredictionOutcome.Success, PredictionOutcome.Error, PredictionOutcome.Canceled];

    internal static string OutcomeTag(PredictionOutcome outcome) => outcome switch
    {
        PredictionOutcome.Success => "success",
        PredictionOutcome.Error => "error",
        _ => "canceled",
    };

    internal static string StageTag(MonitoringStage stage) => stage switch
    {
        MonitoringStage.Record => "record",
        MonitoringStage.Capture => "capture",
        MonitoringStage.Activity => "activity",
        MonitoringStage.Log => "log",
        MonitoringStage.Fold => "fold",
        MonitoringStage.Consume => "consume",
        MonitoringStage.Evaluate => "evaluate",
        MonitoringStage.Publish => "publish",
        _ => "baseline",
    };

    private IEnumerable<Measurement<long>> ObserveFailures()
    {
        var measurements = new List<Measurement<long>>();
        foreach (ModelMonitor model in _runtime.ModelList)
        {
            foreach ((MonitoringStage stage, string? feature, long count) in model.FailuresByStage)
            {
                measurements.Add(feature is null
                    ? new Measurement<long>(count, new("model", model.Name), new("stage", StageTag(stage)))
                    : new Measurement<long>(count, new("model", model.Name), new("stage", StageTag(stage)), new("feature", feature)));
            }
        }

        return measurements;
    }

    private IEnumerable<Measurement<long>> ObserveDroppedRows()
    {
        _runtime.WaitForFolder();
        return RecordedModels().Select(m => new Measurement<long>(m.Recorders.Sum(r => r.Dropped.Rows), new KeyValuePair<string, object?>("model", m.Name))).ToArray();
    }

    private IEnumerable<Measurement<long>> ObserveFeatureTotals(FeatureTotal total)
    {
        _runtime.WaitForFolder();
        var measurements = new List<Measurement<long>>();
        foreach (ModelMonitor model in RecordedModels())
        {
            foreach (ModelFeature feature in model.FeatureStates)
            {
                if (total == FeatureTotal.Infinite && feature.Kind != FeatureKind.Numerical)
                {
                    continue;
                }

                long value = total switch
                {
                    FeatureTotal.Values => feature.Values,
                    FeatureTotal.Missing => feature.Missing,
                    _ => feature.Infinite,
                };
                measurements.Add(new Measurement<long>(value, feature.Tags));
            }
        }

        return measurements;
    }

    private IEnumerable<Measurement<double>> ObserveWindow(WindowStatistic statistic)
    {
        _runtime.WaitForFolder();
        var measurements = new List<Measurement<double>>();
        foreach (ModelMonitor model in _runtime.ModelList)
        {
            if (model.PublishedWindow is not { } window)
            {
                continue;
            }

            ModelFeature[] features = model.FeatureStates;
            foreach (FeatureStatistics feature in window.Features)
            {
                KeyValuePair<string, object?>[] tags = features.FirstOrDefault(f => f.Name == feature.Name)?.Tags ?? [new("model", model.Name), new("feature", feature.Name)];
                if (statistic == WindowStatistic.Values)
                {
                    measurements.Add(new Measurement<double>(feature.Count, tags));
                    continue;
                }

                if (feature.Kind != FeatureKind.Numerical || feature.IsSensitive || feature.Count == 0)
                {
                    continue;
                }

                double value = statistic switch
                {
                    WindowStatistic.Mean => feature.Mean,
                    WindowStatistic.Min => feature.Min,
                    _ => feature.Max,
                };
                measurements.Add(new Measurement<double>(value, tags));
            }
        }

        return measurements;
    }

    private IEnumerable<Measurement<double>> ObserveDrift(DriftStatistic statistic)
    {
        var measurements = new List<Measurement<double>>();
        foreach (ModelMonitor model in _runtime.ModelList)
        {
            if (model.LatestDrift is not { } report)
            {
                continue;
            }

            var name = new KeyValuePair<string, object?>("model", model.Name);
            switch (statistic)
            {
                case DriftStatistic.FeatureScore or DriftStatistic.FeatureDetected:
                    foreach (ColumnDriftResult column in report.Features.Columns.Concat(report.Prediction.Columns))
                    {
                        double value = statistic == DriftStatistic.FeatureScore ? column.Score : column.Drift ? 1 : 0;
                        measurements.Add(new Measurement<double>(value, name, new("feature", column.Name), new("method", column.MethodName)));
                    }

                    break;
                case DriftStatistic.ModelShare:
                    measurements.Add(new Measurement<double>(report.Features.Share, name));
                    break;
                case DriftStatistic.ModelDetected:
                    measurements.Add(new Measurement<double>(report.Drift ? 1 : 0, name));
                    break;
                case DriftStatistic.PredictionShare:
                    measurements.Add(new Measurement<double>(report.Prediction.Share, name));
                    break;
                default:
                    measurements.Add(new Measurement<double>(report.PredictionDrift ? 1 : 0, name));
                    break;
            }
        }

        return measurements;
    }
}
