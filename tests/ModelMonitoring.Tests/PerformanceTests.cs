using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using ModelMonitoring.Performance;

namespace ModelMonitoring.Tests;

/// <summary>Ground truth in the runtime: the join, realized performance per window and segment, CBPE, concept drift, instruments.</summary>
public sealed class PerformanceTests
{
    [Fact]
    public void Outcomes_joined_while_a_window_is_open_give_its_realized_classification_metrics_per_segment_too()
    {
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 200 });
        using var metrics = new RuntimeMetrics(test.Runtime);
        var model = new ChurnModel("perf-classification");
        var random = new Random(11);
        var pairs = new List<(string Plan, bool Actual, bool Predicted, double Score)>();
        for (int i = 0; i < 200; i++)
        {
            double score = random.NextDouble();
            string plan = i % 4 == 0 ? "pro" : "basic";
            model.Record(i, plan, score >= 0.5, score);
            pairs.Add((plan, random.NextDouble() < score, score >= 0.5, score));
        }

        test.Runtime.Flush(); // the first window closed before any outcome: no report yet
        ModelMonitor monitor = test.Runtime.For(model.Name);
        Assert.Null(monitor.LatestPerformance);
        for (int i = 0; i < 200; i++)
        {
            Assert.True(monitor.RecordOutcome(i, pairs[i].Actual));
        }

        for (int i = 200; i < 400; i++)
        {
            model.Record(i, i < 350 ? "pro" : "basic", false, 0.1); // closes the second windows (model, pro, basic), during which the outcomes arrived
        }

        test.Runtime.Flush();

        ModelPerformanceReport report = Assert.IsType<ModelPerformanceReport>(monitor.LatestPerformance);
        Assert.Equal("classification", report.Task);
        Assert.Equal(200, report.Outcomes);
        ClassificationMetrics expected = ClassificationMetrics.Compute(
            [.. pairs.Select(p => p.Actual ? "true" : "false")], [.. pairs.Select(p => p.Predicted ? "true" : "false")], [.. pairs.Select(p => p.Score)], "true");
        foreach ((string name, double value) in expected.ToNamedValues())
        {
            Assert.Equal(value, report[name], 12);
        }

        ModelPerformanceReport pro = Assert.IsType<ModelPerformanceReport>(monitor.LatestSegmentPerformance("pro"));
        var proPairs = pairs.Where(p => p.Plan == "pro").ToArray();
        Assert.Equal(50, pro.Outcomes);
        Assert.Equal(proPairs.Count(p => p.Actual == p.Predicted) / 50.0, pro["accuracy"], 12);
        Assert.Equal(150, monitor.LatestSegmentPerformance("basic")!.Outcomes);
        Assert.Null(monitor.LatestSegmentPerformance("enterprise"));

        Assert.Equal(new OutcomeCounts(200, 0, 0, 0, 200), monitor.GetOutcomeCounts()); // the second window's 200 wait
        IReadOnlyDictionary<string, double> observed = metrics.Observe();
        Assert.Equal(200, observed[$"ml.model.outcomes{{model={model.Name},result=joined}}"]);
        Assert.Equal(0, observed[$"ml.model.outcomes{{model={model.Name},result=unknown_key}}"]);
        Assert.Equal(expected.Accuracy, observed[$"ml.model.performance{{metric=accuracy,model={model.Name}}}"], 12);
        Assert.Equal(expected.RocAuc, observed[$"ml.model.performance{{metric=roc_auc,model={model.Name}}}"], 12);
        Assert.Equal(pro["f1"], observed[$"ml.model.performance{{metric=f1,model={model.Name},segment=pro}}"], 12);
        Assert.Contains(monitor.GetSignals(), s => s.Name == ModelSignalNames.Performance && s.Metric == "accuracy" && s.Segment is null && Math.Abs(s.Value - expected.Accuracy) < 1e-12);
    }

    [Fact]
    public void A_regression_gets_mae_rmse_mape_and_r2_from_string_keys()
    {
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 100 });
        var model = new PriceModel("perf-regression");
        var random = new Random(3);
        var actual = new List<double>();
        var predicted = new List<double>();
        for (int i = 0; i < 100; i++)
        {
            double price = 100 + (random.NextDouble() * 50);
            model.Record($"quote-{i}", i, price);
            predicted.Add(price);
            actual.Add(price + ((random.NextDouble() - 0.5) * 20));
        }

        test.Runtime.Flush();
        ModelMonitor monitor = test.Runtime.For(model.Name);
        for (int i = 0; i < 100; i++)
        {
            monitor.RecordOutcome($"quote-{i}", actual[i]);
        }

        Assert.Throws<ArgumentException>(() => monitor.RecordOutcome("quote-0", "cheap"));
        monitor.CloseWindow();

        ModelPerformanceReport report = Assert.IsType<ModelPerformanceReport>(monitor.LatestPerformance);
        RegressionMetrics expected = RegressionMetrics.Compute(actual, predicted);
        Assert.Equal("regression", report.Task);
        Assert.Equal(expected.Mae, report["mae"], 12);
        Assert.Equal(expected.Rmse, report["rmse"], 12);
        Assert.Equal(expected.Mape, report["mape"], 12);
        Assert.Equal(expected.R2, report["r2"], 12);
        Assert.Equal(["adwin", "page-hinkley"], monitor.GetConceptDriftDetections().Keys.Order()); // no DDM on a regression's errors
    }

    [Fact]
    public void An_outcome_may_come_first_and_the_ones_that_never_match_expire_and_are_counted()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 1_000, OutcomeTimeToLive = TimeSpan.FromMinutes(10) }, clock);
        var model = new PriceModel("perf-expiry");
        model.Record("warm-up", 1, 1); // registers the model with the runtime
        test.Runtime.Flush();
        ModelMonitor monitor = test.Runtime.For(model.Name);

        Assert.False(monitor.RecordOutcome("early", 10)); // its prediction was not folded yet: it waits
        Assert.False(monitor.RecordOutcome("never", 10));
        model.Record("early", 1, 12);
        model.Record("late", 1, 12);
        test.Runtime.Flush();
        Assert.Equal(new OutcomeCounts(1, 0, 0, 0, 2), monitor.GetOutcomeCounts());

        clock.Advance(TimeSpan.FromMinutes(11));
        Assert.False(monitor.RecordOutcome("late", 5)); // too late: the prediction expired, and this outcome waits in vain
        Assert.Equal(new OutcomeCounts(1, 2, 0, 1, 0), monitor.GetOutcomeCounts()); // warm-up and late expired; never is unknown
        clock.Advance(TimeSpan.FromMinutes(11));
        monitor.CloseWindow();
        Assert.Equal(2, monitor.GetOutcomeCounts().UnknownKey);
        Assert.Equal(2, monitor.LatestPerformance!["mae"]);
        Assert.Throws<ArgumentException>(() => monitor.RecordOutcome(default(PredictionKey), 1));
    }

    [Fact]
    public void Cbpe_estimates_each_window_from_scores_once_the_first_outcomes_calibrated_it()
    {
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 2_000 });
        using var metrics = new RuntimeMetrics(test.Runtime);
        var model = new ChurnModel("perf-cbpe");
        var random = new Random(17);
        ModelMonitor? monitor = null;
        var realized = new List<bool>();
        for (int i = 0; i < 8_000; i++)
        {
            // Scores well calibrated by construction (P(true) = score^1.5 after the first half: a covariate shift of scores).
            double score = i < 4_000 ? random.NextDouble() : Math.Pow(random.NextDouble(), 0.5);
            bool actual = random.NextDouble() < score;
            model.Record(i, i % 2 == 0 ? "basic" : "pro", score >= 0.5, score);
            if (i == 0)
            {
                test.Runtime.Flush();
                monitor = test.Runtime.For(model.Name);
            }

            if (i < 2_000)
            {
                test.Runtime.Flush();
                monitor!.RecordOutcome(i, actual); // the reference: the first 2,000 outcomes
            }
            else if (i >= 6_000)
            {
                realized.Add(actual == (score >= 0.5));
            }
        }

        test.Runtime.Flush();
        ModelPerformanceEstimate estimate = Assert.IsType<ModelPerformanceEstimate>(monitor!.LatestEstimatedPerformance);
        double realizedAccuracy = realized.Count(c => c) / (double)realized.Count;
        EstimatedMetric accuracy = estimate["accuracy"];
        Assert.Equal(2_000, estimate.Rows);
        Assert.True(Math.Abs(accuracy.Estimate - realizedAccuracy) < 0.03, $"estimated {accuracy.Estimate:F4}, realized {realizedAccuracy:F4}");
        Assert.True(accuracy.Lower <= accuracy.Estimate && accuracy.Estimate <= accuracy.Upper);
        IReadOnlyDictionary<string, double> observed = metrics.Observe();
        Assert.Equal(accuracy.Estimate, observed[$"ml.model.performance.estimated{{bound=estimate,metric=accuracy,model={model.Name}}}"], 12);
        Assert.Equal(accuracy.Upper, observed[$"ml.model.performance.estimated{{bound=upper,metric=accuracy,model={model.Name}}}"], 12);
        Assert.Contains(observed.Keys, k => k.StartsWith("ml.model.performance.estimated{bound=estimate,metric=roc_auc", StringComparison.Ordinal) && k.Contains("segment=pro", StringComparison.Ordinal));
        Assert.Contains(monitor.GetSignals(), s => s.Name == ModelSignalNames.EstimatedPerformance && s.Metric == "f1");
    }

    [Fact]
    public void A_jump_in_the_error_rate_is_a_concept_drift_detection_counted_and_logged()
    {
        var logs = new FakeLogCollector();
        using var factory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)));
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 10_000 }, loggerFactory: factory);
        using var metrics = new RuntimeMetrics(test.Runtime);
        var model = new ChurnModel("perf-concept");
        var random = new Random(5);
        model.Record(-1, "basic", true, 0.9);
        test.Runtime.Flush();
        ModelMonitor monitor = test.Runtime.For(model.Name);
        for (int i = 0; i < 3_000; i++)
        {
            model.Record(i, "basic", true, 0.9);
            test.Runtime.Flush();
            double errorRate = i < 1_500 ? 0.05 : 0.4;
            monitor.RecordOutcome(i, random.NextDouble() >= errorRate);
        }

        IReadOnlyDictionary<string, long> detections = monitor.GetConceptDriftDetections();
        Assert.All(detections, d => Assert.True(d.Value >= 1, $"{d.Key} saw no change"));
        Assert.Equal(["adwin", "ddm", "page-hinkley"], detections.Keys.Order());
        IReadOnlyDictionary<string, double> observed = metrics.Observe();
        Assert.Equal(detections["ddm"], observed[$"ml.model.concept_drift.detections{{detector=ddm,model={model.Name}}}"]);
        Assert.Contains(logs.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("Concept drift in model perf-concept", StringComparison.Ordinal));
    }
}

/// <summary>
/// A million keys through the join, alone: it measures the process's memory, so it must not run beside the other
/// memory tests (nor they beside it).
/// </summary>
[CollectionDefinition(nameof(PendingOutcomesMemoryTests), DisableParallelization = true)]
[Collection(nameof(PendingOutcomesMemoryTests))]
public sealed class PendingOutcomesMemoryTests
{
    [Fact]
    public void A_million_keys_that_never_get_an_outcome_leave_memory_bounded_and_are_evicted_oldest_first()
    {
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 100_000, MaxPendingOutcomes = 10_000, RecordingCapacity = 1 << 17 });
        var model = new ChurnModel("perf-million");
        model.Record(-1, "basic", true, 0.9);
        test.Runtime.Flush();
        long before = GC.GetTotalMemory(forceFullCollection: true);

        for (int batch = 0; batch < 100; batch++)
        {
            for (int i = 0; i < 10_000; i++)
            {
                model.Record((batch * 10_000L) + i, "basic", true, 0.9);
            }

            test.Runtime.Flush();
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        ModelMonitor monitor = test.Runtime.For(model.Name);
        long dropped = monitor.Recorders.Sum(r => r.Dropped.Rows);
        OutcomeCounts counts = monitor.GetOutcomeCounts();
        Assert.Equal(10_000, counts.Pending);
        Assert.Equal(1_000_001 - 10_000 - dropped, counts.Evicted);
        Assert.True(test.Runtime.Performance.Find(monitor)!.JoinSlots.Predictions <= 20_000, "the ring holds at most twice the capacity");
        // Unbounded, a million keys would hold about 100 MB; the whole process is measured (other tests run alongside).
        Assert.True(after - before < 40_000_000, $"memory grew by {(after - before) / 1e6:N1} MB for 10,000 pending keys");
        Assert.True(monitor.RecordOutcome(999_999, true) || dropped > 0, "the newest key is still pending");
        Assert.False(monitor.RecordOutcome(5, true)); // the oldest were evicted
    }
}
