using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using ModelMonitoring.Runtime;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace ModelMonitoring.Tests;

/// <summary>What leaves the runtime: exact, side-effect-free reads, correct totals, isolated failure steps.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public void A_scrape_is_exact_and_never_closes_a_window_evaluates_or_calls_a_handler()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 1_000, WindowDuration = TimeSpan.FromSeconds(1), FlushInterval = TimeSpan.FromMinutes(1) }, clock);
        using var metrics = new RuntimeMetrics(test.Runtime);
        var model = new TestModel("telemetry-scrape");
        int handlerCalls = 0;
        test.Monitor(model).WindowClosed += (_, _) => Interlocked.Increment(ref handlerCalls);
        test.Monitor(model).DriftEvaluated += (_, _) => Interlocked.Increment(ref handlerCalls);

        for (int i = 0; i < 700; i++)
        {
            model.Record(i, "north", 1);
        }

        clock.Advance(TimeSpan.FromSeconds(5)); // the window's time is up, but the folder's timer (1 minute) has not fired
        IReadOnlyDictionary<string, double> observed = metrics.Observe();
        PredictionCounts counts = test.Monitor(model).GetPredictionCounts();

        Assert.Equal(700, observed["ml.model.predictions{method=Predict,model=telemetry-scrape,model_version=1.0,outcome=success}"]);
        Assert.Equal(700, counts.Successes);
        Assert.Equal(700, metrics.MeasurementsOf(ModelMonitoringInstruments.PredictionDuration, "model=telemetry-scrape"));
        Assert.Null(test.Monitor(model).LastClosedWindow);
        Assert.Equal(0, handlerCalls);
        Assert.Equal(700, test.Monitor(model).GetCurrentWindow().Rows);

        test.Runtime.Flush(); // an explicit flush does close what is due
        Assert.Equal(700, test.Monitor(model).LastClosedWindow!.Rows);
        Assert.Equal(1, handlerCalls);
    }

    [Fact]
    public void Two_models_with_one_name_are_merged()
    {
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 10 });
        var first = new TestModel("telemetry-twin");
        var second = new TestModel("telemetry-twin", version: "1.0");
        Assert.NotSame(first.Registration, second.Registration);

        for (int i = 0; i < 6; i++)
        {
            first.Record(i, "north", 1);
            second.Record(i, "south", 1);
        }

        test.Runtime.Flush();
        ModelMonitor monitor = test.Runtime.For("telemetry-twin");
        Assert.Equal(2, monitor.Descriptors.Count);
        Assert.Equal(12, monitor.GetPredictionCounts().Successes);
        Assert.Equal(10, monitor.LastClosedWindow!.Rows); // the twin's rows fill the same window; nothing is orphaned
        Assert.Equal(2, monitor.GetCurrentWindow().Rows);
    }

    [Fact]
    public void After_a_traced_call_fails_Activity_Current_is_what_it_was_before()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ModelMonitoringInstruments.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var test = new TestRuntime();
        var model = new TestModel("telemetry-activity");
        using var outer = new Activity("request").Start();

        ActivityScope scope = model.Method.StartActivity();
        Assert.NotNull(scope.Activity);
        Assert.Same(scope.Activity, Activity.Current);
        FeatureRow row = model.Method.BeginFailedRow(Stopwatch.GetTimestamp(), new InvalidOperationException("model bug"), scope);
        row.Commit();

        Assert.Same(outer, Activity.Current);
        Assert.Equal(ActivityStatusCode.Error, scope.Activity!.Status);
        Assert.True(scope.Activity.IsStopped);

        ActivityScope success = model.Method.StartActivity();
        success.RestorePrevious(); // what an asynchronous wrapper does once the model returned its task
        Assert.Same(outer, Activity.Current);
        model.Method.BeginRow(Stopwatch.GetTimestamp(), success).Commit();
        Assert.Same(outer, Activity.Current);
    }

    [Fact]
    public void A_listener_that_throws_does_not_silence_the_error_counter_the_activity_or_the_log()
    {
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(new FakeLoggerProvider(logs)));
        using var test = new TestRuntime(loggerFactory: loggerFactory);
        using var metrics = new RuntimeMetrics(test.Runtime);
        using var throwing = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, test.Runtime.Meter) && instrument.Name == ModelMonitoringInstruments.PredictionDuration)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        throwing.SetMeasurementEventCallback<double>((_, _, _, _) => throw new InvalidOperationException("a broken listener"));
        throwing.Start();
        using var activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ModelMonitoringInstruments.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(activities);
        var model = new TestModel("telemetry-broken-listener");

        ActivityScope scope = model.Method.StartActivity();
        model.Method.BeginFailedRow(Stopwatch.GetTimestamp(), new TimeoutException("slow"), scope).Commit();
        test.Runtime.Flush();

        Assert.Equal(1, metrics.SumOf(ModelMonitoringInstruments.Errors, "model=telemetry-broken-listener", "exception_type=System.TimeoutException"));
        Assert.Equal(ActivityStatusCode.Error, scope.Activity!.Status);
        Assert.Contains(logs.GetSnapshot(), r => r.Level == LogLevel.Error && r.Message.Contains("telemetry-broken-listener", StringComparison.Ordinal));
        Assert.Equal(1, test.Monitor(model).GetPredictionCounts().Errors);
        Assert.True(test.Monitor(model).MonitoringFailures >= 1); // the listener's exception is counted, never thrown
        Assert.Contains(logs.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("failed at stage Publish", StringComparison.Ordinal)); // and logged
    }

    [Fact]
    public void Failures_are_counted_by_a_fixed_stage_and_latency_carries_the_outcome()
    {
        using var test = new TestRuntime(consumers: new ThrowingConsumer());
        using var metrics = new RuntimeMetrics(test.Runtime);
        var model = new TestModel("telemetry-stages");
        model.Record(1, "north", 1);
        model.RecordFailure(new TimeoutException());
        FeatureRow row = model.Method.BeginRow(Stopwatch.GetTimestamp(), default(ActivityScope));
        row.Fail(new InvalidOperationException("a getter threw"));
        row.Commit();
        test.Runtime.Flush();

        IReadOnlyDictionary<string, double> observed = metrics.Observe();
        var stages = observed.Keys.Where(k => k.StartsWith(ModelMonitoringInstruments.MonitoringFailures + "{", StringComparison.Ordinal) && k.Contains("model=telemetry-stages", StringComparison.Ordinal)).ToList();
        Assert.Contains("ml.monitoring.failures{model=telemetry-stages,stage=consume}", stages);
        Assert.Contains("ml.monitoring.failures{model=telemetry-stages,stage=capture}", stages);
        Assert.Equal(3, observed["ml.monitoring.failures{model=telemetry-stages,stage=consume}"]); // one per row
        Assert.All(stages, s => Assert.Matches(@"stage=(record|capture|activity|log|fold|consume|evaluate|publish|baseline)[,}]", s));
        Assert.Equal(2, metrics.MeasurementsOf(ModelMonitoringInstruments.PredictionDuration, "model=telemetry-stages", "outcome=success"));
        Assert.Equal(1, metrics.MeasurementsOf(ModelMonitoringInstruments.PredictionDuration, "model=telemetry-stages", "outcome=error"));
    }

    [Fact]
    public void Latency_buckets_start_at_a_microsecond_and_can_be_set_in_options()
    {
        using var defaults = new ModelMonitoringRuntime();
        using var custom = new ModelMonitoringRuntime(new ModelMonitoringOptions { DurationBuckets = [0.5, 1, 2] });
        Assert.True(ModelMonitoringInstruments.DefaultDurationBuckets[0] <= 0.000001);
        Assert.Equal(10, ModelMonitoringInstruments.DefaultDurationBuckets[^1]);
        Assert.Equal(ModelMonitoringInstruments.DefaultDurationBuckets, Boundaries(defaults));
        Assert.Equal([0.5, 1, 2], Boundaries(custom));
        Assert.Contains("DurationBuckets:1", Assert.Throws<ArgumentException>(() => new ModelMonitoringRuntime(new ModelMonitoringOptions { DurationBuckets = [1, 1] })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_runtimes_in_one_process_do_not_see_each_others_state()
    {
        var model = new TestModel("telemetry-isolated");
        using var first = new ModelMonitoringRuntime(new ModelMonitoringOptions { WindowSize = 3 });
        using var second = new ModelMonitoringRuntime(new ModelMonitoringOptions { WindowSize = 100 });
        using var firstMetrics = new RuntimeMetrics(first);
        using var secondMetrics = new RuntimeMetrics(second);
        using (first.BeginScope())
        {
            for (int i = 0; i < 3; i++)
            {
                model.Record(i, "north", 1);
            }
        }

        using (second.BeginScope())
        {
            for (int i = 0; i < 5; i++)
            {
                model.Record(i, "south", 1);
            }
        }

        first.Flush();
        second.Flush();
        Assert.Equal(3, first.For("telemetry-isolated").GetPredictionCounts().Successes);
        Assert.Equal(5, second.For("telemetry-isolated").GetPredictionCounts().Successes);
        Assert.Equal(3, first.For("telemetry-isolated").LastClosedWindow!.Rows);
        Assert.Null(second.For("telemetry-isolated").LastClosedWindow);
        Assert.Equal(3, firstMetrics.Observe()["ml.model.predictions{method=Predict,model=telemetry-isolated,model_version=1.0,outcome=success}"]);
        Assert.Equal(5, secondMetrics.Observe()["ml.model.predictions{method=Predict,model=telemetry-isolated,model_version=1.0,outcome=success}"]);
    }

    [Fact]
    public void A_consumer_that_throws_is_isolated_and_the_next_one_gets_every_row_in_order()
    {
        var collector = new CollectingConsumer();
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 4 }, consumers: [new ThrowingConsumer(), collector]);
        var model = new TestModel("telemetry-consumers");
        for (int i = 0; i < 10; i++)
        {
            model.Record(i, "north", i * 10);
        }

        model.RecordFailure(new TimeoutException(), area: 99);
        test.Runtime.Flush();

        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 99], collector.Areas);
        Assert.Equal(10, collector.Predictions.Count(p => !double.IsNaN(p)));
        Assert.Equal(PredictionOutcome.Error, collector.Outcomes[^1]);
        Assert.Equal(2, collector.ClosedWindows);
        Assert.Equal(11, test.Monitor(model).MonitoringFailures);
    }

    private sealed class ThrowingConsumer : IPredictionRowConsumer
    {
        public void OnRow(in PredictionRow row) => throw new InvalidOperationException("a consumer bug");
    }

    private sealed class CollectingConsumer : IPredictionRowConsumer
    {
        public List<double> Areas { get; } = [];

        public List<double> Predictions { get; } = [];

        public List<PredictionOutcome> Outcomes { get; } = [];

        public int ClosedWindows { get; private set; }

        public void OnRow(in PredictionRow row)
        {
            int area = IndexOf(row, "area");
            int prediction = IndexOf(row, "prediction");
            Assert.True(row.TryGetNumber(area, out double value));
            Areas.Add(value);
            Predictions.Add(row.TryGetNumber(prediction, out double predicted) ? predicted : double.NaN);
            Outcomes.Add(row.Outcome);
        }

        public void OnWindowClosed(ModelMonitor model, FeatureWindowSnapshot window) => ClosedWindows++;

        private static int IndexOf(in PredictionRow row, string name)
        {
            for (int i = 0; i < row.Features.Count; i++)
            {
                if (row.Features[i].Name == name)
                {
                    return i;
                }
            }

            return -1;
        }
    }

    private static double[] Boundaries(ModelMonitoringRuntime runtime)
    {
        double[]? boundaries = null;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter, runtime.Meter) && instrument is Histogram<double> histogram)
                {
                    boundaries = [.. histogram.Advice!.HistogramBucketBoundaries!];
                }
            },
        };
        listener.Start();
        return boundaries ?? throw new InvalidOperationException("no duration histogram");
    }
}
