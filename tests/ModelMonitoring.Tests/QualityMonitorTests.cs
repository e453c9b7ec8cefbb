using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using ModelMonitoring.Outliers;
using ModelMonitoring.Quality;
using ModelMonitoring.Runtime;
using ModelMonitoring.Sketches;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Tests;

/// <summary>
/// The built-in quality monitor: outliers scored by the isolation forest and per-window data quality, through the real
/// runtime (folder, windows, instruments, signals). Each test has its own runtime and model name.
/// </summary>
public sealed class QualityMonitorTests
{
    [Fact]
    public void The_second_window_is_checked_against_the_first_and_its_outliers_scored()
    {
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 200, OutlierDetection = true });
        var model = new QualityModel("quality-first-window");
        ModelMonitor monitor = test.Runtime.For(model.Name);

        RecordGrid(model, 200); // window 1: the reference
        test.Runtime.Flush();
        WindowQuality first = Assert.IsType<WindowQuality>(monitor.LatestQuality);
        Assert.Equal(200, first.Rows);
        Assert.Equal("none", first.ReferenceSource);
        Assert.Equal(0, first.ScoredRows);
        Assert.True(double.IsNaN(first.OutlierRatio));
        Assert.True(double.IsNaN(first["x"].OutOfRangeRatio));

        // Window 2: 150 ordinary rows, 20 missing x, 10 far rows (out of range), 20 unseen regions.
        RecordGrid(model, 150, spread: 0.3);
        for (int i = 0; i < 20; i++)
        {
            model.Record(i % 2 == 0 ? double.NaN : double.PositiveInfinity, 5, "north", 1);
        }

        for (int i = 0; i < 10; i++)
        {
            model.Record(60 + i, -40, "south", 1);
        }

        for (int i = 0; i < 20; i++)
        {
            model.Record(4.5, 5.5, "mars", 1);
        }

        test.Runtime.Flush();
        WindowQuality second = Assert.IsType<WindowQuality>(monitor.LatestQuality);
        Assert.Equal(200, second.Rows);
        Assert.Equal("first_window", second.ReferenceSource);
        Assert.Equal(200, second.ScoredRows);
        Assert.Equal(20, second["x"].Missing);
        Assert.Equal(0.1, second["x"].MissingRatio, 12);
        Assert.Equal(10, second["x"].OutOfRange);
        Assert.Equal(10.0 / 180, second["x"].OutOfRangeRatio, 12);
        Assert.Equal(10, second["y"].OutOfRange);
        Assert.Equal(20, second["region"].UnseenCategories);
        Assert.Equal(["mars"], second["region"].UnseenExamples);
        Assert.True(second.OutlierThreshold > 0.4 && second.OutlierThreshold < 1, $"threshold {second.OutlierThreshold}: 1 % of the first window above it");
        Assert.True(second.Outliers >= 10, $"{second.Outliers} outliers; the 10 far rows at least");

        // Window 3: only central rows: none is an outlier.
        for (int i = 0; i < 200; i++)
        {
            model.Record(4.5, 5.5, "north", 1);
        }

        test.Runtime.Flush();
        WindowQuality third = monitor.LatestQuality!;
        Assert.Equal(0, third.Outliers);
        Assert.Equal(0, third["x"].MissingRatio);
        Assert.Equal(0, third["region"].UnseenCategoryRatio);
    }

    [Fact]
    public void A_baseline_with_an_outlier_profile_scores_from_the_first_row()
    {
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 100, OutlierDetection = true });
        var model = new QualityModel("quality-baseline");
        ModelMonitor monitor = test.Runtime.For(model.Name);
        monitor.SetReference(Baseline(withOutliers: true));

        RecordGrid(model, 95, spread: 0.3);
        for (int i = 0; i < 5; i++)
        {
            model.Record(100, 100, "north", 1);
        }

        test.Runtime.Flush();
        WindowQuality quality = monitor.LatestQuality!;
        Assert.Equal("baseline", quality.ReferenceSource);
        Assert.Equal(100, quality.ScoredRows);
        Assert.True(quality.Outliers >= 5, $"{quality.Outliers} outliers");
        Assert.Equal(5, quality["x"].OutOfRange);
        Assert.True(quality["x"].RobustOutliers >= 5);
    }

    [Fact]
    public void Instruments_and_signals_carry_the_fixed_names_per_model_feature_and_segment()
    {
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 100, OutlierDetection = true });
        using var metrics = new RuntimeMetrics(test.Runtime);
        var model = new QualityModel("quality-metrics");
        ModelMonitor monitor = test.Runtime.For(model.Name);
        monitor.SetReference(Baseline(withOutliers: true));

        for (int i = 0; i < 200; i++)
        {
            bool far = i % 10 == 0;
            model.Record(i % 4 == 0 ? double.NaN : far ? 80 : i % 10, far ? -30 : 5, i % 5 == 0 ? "mars" : "north", 1, segment: i % 2 == 0 ? "eu" : "us");
        }

        test.Runtime.Flush();
        WindowQuality quality = monitor.LatestQuality!;
        IReadOnlyDictionary<string, double> observed = metrics.Observe();
        string tags = $"model={model.Name}";
        Assert.Equal(quality["x"].MissingRatio, observed[$"ml.feature.missing.ratio{{feature=x,{tags}}}"]);
        Assert.Equal(0.25, quality["x"].MissingRatio);
        Assert.Equal(quality["x"].OutOfRangeRatio, observed[$"ml.feature.out_of_range.ratio{{feature=x,{tags}}}"]);
        Assert.Equal(0.2, observed[$"ml.feature.unseen_category.ratio{{feature=region,{tags}}}"]);
        Assert.Equal(quality.OutlierRatio, observed[$"ml.model.outlier.ratio{{{tags}}}"]);
        double outliers = observed[$"ml.model.outliers{{{tags}}}"]; // both windows: 200 rows
        Assert.True(outliers >= quality.Outliers + 10, $"{outliers} outliers in all");
        string[] email = [$"ml.feature.missing.ratio{{feature=email,{tags}}}", $"ml.feature.missing.ratio{{feature=email,{tags},segment=eu}}", $"ml.feature.missing.ratio{{feature=email,{tags},segment=us}}"];
        Assert.Equal(email.Order(StringComparer.Ordinal), observed.Keys.Where(k => k.Contains("feature=email", StringComparison.Ordinal) && k.Contains(".ratio{", StringComparison.Ordinal)).Order(StringComparer.Ordinal));

        // Segments: each window its own series (100 rows each: one window), and their outliers add up to the model's.
        WindowQuality eu = monitor.LatestSegmentQuality["eu"];
        WindowQuality us = monitor.LatestSegmentQuality["us"];
        Assert.Equal(100, eu.Rows);
        Assert.Equal(outliers, eu.Outliers + us.Outliers);
        Assert.Equal(eu["x"].MissingRatio, observed[$"ml.feature.missing.ratio{{feature=x,{tags},segment=eu}}"]);
        Assert.Equal(eu.Outliers, observed[$"ml.model.outliers{{{tags},segment=eu}}"]);

        IReadOnlyList<ModelSignal> signals = monitor.GetSignals();
        Assert.Contains(signals, s => s is { Name: ModelSignalNames.OutlierRatio, Segment: null } && s.Value == quality.OutlierRatio);
        Assert.Contains(signals, s => s is { Name: ModelSignalNames.MissingRatio, Feature: "x", Segment: null } && s.Value == 0.25);
        Assert.Contains(signals, s => s is { Name: ModelSignalNames.UnseenCategoryRatio, Feature: "region", Segment: null } && s.Value == 0.2);
        Assert.Contains(signals, s => s is { Name: ModelSignalNames.MissingRatio, Feature: "x", Segment: "us" } && s.Value == us["x"].MissingRatio);

        // A segment's first window is its own reference (the baseline is the model's): nothing to check range against yet.
        Assert.Equal("none", us.ReferenceSource);
        Assert.DoesNotContain(signals, s => s is { Name: ModelSignalNames.OutOfRangeRatio, Segment: "us" });
    }

    [Fact]
    public void Segments_beyond_the_limit_share_the_overflow_window()
    {
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 10, MaxSegments = 3, OutlierDetection = true });
        var model = new QualityModel("quality-segments");
        ModelMonitor monitor = test.Runtime.For(model.Name);
        for (int i = 0; i < 100; i++)
        {
            model.Record(i % 10, 5, "north", 1, segment: "s" + (i % 10));
        }

        test.Runtime.Flush();
        Assert.Equal(["__other__", "s0", "s1"], monitor.LatestSegmentQuality.Keys.Order(StringComparer.Ordinal));
        Assert.All(monitor.LatestSegmentQuality.Values, q => Assert.Equal(10, q.Rows));
        Assert.Equal(10, monitor.LatestQuality!.Rows);
    }

    [Fact]
    public void A_segment_is_checked_against_its_own_first_window()
    {
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 50, OutlierDetection = true });
        var model = new QualityModel("quality-segment-reference");
        ModelMonitor monitor = test.Runtime.For(model.Name);
        for (int i = 0; i < 50; i++)
        {
            model.Record(i % 10, 5, "north", 1, segment: "eu");
        }

        for (int i = 0; i < 50; i++)
        {
            model.Record(i % 5 == 0 ? 100 : 3, 5, i % 10 == 0 ? "west" : "north", 1, segment: "eu");
        }

        test.Runtime.Flush();
        WindowQuality eu = monitor.LatestSegmentQuality["eu"];
        Assert.Equal("first_window", eu.ReferenceSource);
        Assert.Equal(10, eu["x"].OutOfRange);
        Assert.Equal(5, eu["region"].UnseenCategories);
        Assert.Equal(50, eu.ScoredRows); // with the model's forest, fitted on the model's first window
    }

    [Fact]
    public void Outliers_are_logged_at_a_sampled_rate_without_values()
    {
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)));
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 1000, OutlierDetection = true }, loggerFactory: loggerFactory);
        var model = new QualityModel("quality-logs");
        ModelMonitor monitor = test.Runtime.For(model.Name);
        monitor.SetReference(Baseline(withOutliers: true));
        for (int i = 0; i < 500; i++)
        {
            model.Record(1234.5 + i, -987.25, "north", 1);
        }

        monitor.CloseWindow();
        Assert.Equal(500, monitor.LatestQuality!.Outliers);
        FakeLogRecord[] outliers = [.. logs.GetSnapshot().Where(r => r.Message.StartsWith($"Outlier in model {model.Name}", StringComparison.Ordinal))];
        Assert.Equal(QualityMonitor.OutlierLogFirst + (500 / QualityMonitor.OutlierLogEvery), outliers.Length);
        Assert.All(outliers, r => Assert.DoesNotContain("1234", r.Message, StringComparison.Ordinal));
        Assert.All(outliers, r => Assert.DoesNotContain("someone@example.com", r.Message, StringComparison.Ordinal));
        Assert.Contains("furthest feature", outliers[0].Message, StringComparison.Ordinal);

        // And one summary per window, as the window's own log has.
        FakeLogRecord summary = Assert.Single(logs.GetSnapshot(), r => r.Message.StartsWith($"Quality of model {model.Name}'s window", StringComparison.Ordinal));
        Assert.Contains("500 outliers in 500 rows", summary.Message, StringComparison.Ordinal);
        Assert.Contains("x 100.0% out of range", summary.Message.Replace("\u00a0", string.Empty, StringComparison.Ordinal).Replace(" %", "%", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_drift_detection_only_missing_values_are_counted_and_nothing_throws()
    {
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 50, DriftDetection = false, OutlierDetection = true });
        var model = new QualityModel("quality-no-drift");
        ModelMonitor monitor = test.Runtime.For(model.Name);
        for (int i = 0; i < 100; i++)
        {
            model.Record(i % 3 == 0 ? double.NaN : i, 5, null, 1);
        }

        test.Runtime.Flush();
        WindowQuality quality = monitor.LatestQuality!;
        Assert.Equal(50, quality.Rows);
        Assert.Equal(1.0, quality["region"].MissingRatio);
        Assert.Equal(0, monitor.MonitoringFailures);
    }

    // Reference-like rows: x about 4.5 ± 1.5, y about 5.5 ± 0.5 (seeded); later windows draw from half that spread, so
    // that they stay inside the reference's range.
    [Fact]
    public void A_window_closed_while_a_pass_is_under_way_still_holds_every_row_recorded_before()
    {
        // A consumer that stalls the folder on the first row of phase 2: the pass under way took its snapshot of the
        // ring then, and the other rows arrive after it. CloseWindow must fold them before it closes.
        var stall = new StallingConsumer("quality-mid-pass");
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 1_000_000, WindowDuration = TimeSpan.FromHours(1), OutlierDetection = true }, consumers: stall);
        var model = new QualityModel("quality-mid-pass");
        ModelMonitor monitor = test.Runtime.For(model.Name);
        var random = new Random(1);
        for (int i = 0; i < 5_000; i++)
        {
            model.Record(90 + (25 * Normal(random)), 5 + Normal(random), "north", 1);
        }

        FeatureWindowSnapshot first = monitor.CloseWindow();
        stall.Arm();
        for (int i = 0; i < 5_000; i++)
        {
            model.Record(125 + (35 * Normal(random)), 5 + Normal(random), "south", 1);
            if (i == 99)
            {
                test.Runtime.Folder.Signal();
                Assert.True(stall.Stalled.Wait(TimeSpan.FromSeconds(10)), "the folder never took the rows");
            }
        }

        FeatureWindowSnapshot second = monitor.CloseWindow();
        Assert.Equal(5_000, first.Rows);
        Assert.Equal(5_000, second.Rows);
        Assert.Equal(5_000, monitor.LatestQuality!.Rows);
        Assert.Equal(5_000, monitor.LatestQuality.ScoredRows);
        Assert.True(monitor.LatestDrift!.Features.DriftedColumns > 0, "the shifted phase drifts");
    }

    [Fact]
    public void Without_outlier_detection_rows_are_not_scored_but_quality_is_still_counted()
    {
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = 100, OutlierDetection = false });
        var model = new QualityModel("quality-no-outliers");
        ModelMonitor monitor = test.Runtime.For(model.Name);
        RecordGrid(model, 100);
        for (int i = 0; i < 100; i++)
        {
            model.Record(i < 10 ? 1_000 : 4.5, 5.5, "north", 1);
        }

        test.Runtime.Flush();
        WindowQuality quality = monitor.LatestQuality!;
        Assert.Equal(0, quality.ScoredRows);
        Assert.True(double.IsNaN(quality.OutlierRatio));
        Assert.Equal(10, quality["x"].OutOfRange);
        Assert.Equal("first_window", quality.ReferenceSource);
    }

    private static void RecordGrid(QualityModel model, int rows, double spread = 1)
    {
        var random = new Random(rows);
        for (int i = 0; i < rows; i++)
        {
            model.Record(4.5 + (1.5 * spread * Normal(random)), 5.5 + (0.5 * spread * Normal(random)), i % 3 == 0 ? "south" : "north", 1);
        }
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static BaselineProfile Baseline(bool withOutliers)
    {
        double[] x = Enumerable.Range(0, 400).Select(i => (double)(i % 10)).ToArray();
        double[] y = Enumerable.Range(0, 400).Select(i => 5.0 + ((i / 10) % 2)).ToArray();
        BaselineProfile built = BaselineProfile.Build([
            ColumnSample.Numerical("x", x),
            ColumnSample.Numerical("y", y),
            ColumnSample.Categorical("region", Enumerable.Range(0, 400).Select(i => i % 3 == 0 ? "south" : "north").ToArray()),
            ColumnSample.Numerical("prediction", Enumerable.Repeat(1.0, 400).ToArray()),
        ]);
        return withOutliers
            ? new BaselineProfile(built.Features, built.ModelName, built.RowCount, built.CreatedAt) { Outliers = OutlierProfile.Fit(["x", "y"], [x, y]) }
            : built;
    }

    /// <summary>Blocks the folder for half a second on the first row of its model after <see cref="Arm"/>.</summary>
    private sealed class StallingConsumer(string model) : IPredictionRowConsumer
    {
        private int _armed;

        public ManualResetEventSlim Stalled { get; } = new();

        public void Arm() => Volatile.Write(ref _armed, 1);

        public void OnRow(in PredictionRow row)
        {
            if (row.Model.Name == model && Interlocked.Exchange(ref _armed, 0) == 1)
            {
                Stalled.Set();
                Thread.Sleep(500);
            }
        }
    }

    /// <summary>A model with two numerical inputs, a category, a sensitive label and a prediction.</summary>
    private sealed class QualityModel
    {
        public QualityModel(string name)
        {
            Descriptor = new ModelDescriptor(name, "1.0", "owner", "squad", "Tests." + name, [
                new MethodDescriptor("Predict", "M:Tests.Predict", isBatch: false, isAsync: false, [
                    new FeatureDescriptor("x", FeatureKind.Numerical, FeatureStorage.Number, 0, FeatureSource.Input, "double", false, 0, DriftMethod.Auto, double.NaN),
                    new FeatureDescriptor("y", FeatureKind.Numerical, FeatureStorage.Number, 1, FeatureSource.Input, "double", false, 0, DriftMethod.Auto, double.NaN),
                    new FeatureDescriptor("region", FeatureKind.Categorical, FeatureStorage.Label, 0, FeatureSource.Input, "string", false, 0, DriftMethod.Auto, double.NaN),
                    new FeatureDescriptor("email", FeatureKind.Categorical, FeatureStorage.Label, 1, FeatureSource.Input, "string", true, 0, DriftMethod.Auto, double.NaN),
                    new FeatureDescriptor("prediction", FeatureKind.Numerical, FeatureStorage.Number, 2, FeatureSource.Prediction, "double", false, 0, DriftMethod.Auto, double.NaN),
                ]),
            ]);
            Registration = ModelRegistry.Register(Descriptor);
        }

        public ModelDescriptor Descriptor { get; }

        public RegisteredModel Registration { get; }

        public string Name => Descriptor.Name;

        public void Record(double x, double y, string? region, double prediction, string? segment = null)
        {
            FeatureRow row = Registration.Methods[0].BeginRow(Stopwatch.GetTimestamp(), default(ActivityScope));
            row.SetNumber(0, x);
            row.SetNumber(1, y);
            row.SetLabel(0, region);
            row.SetLabel(1, FeatureValues.Presence("someone@example.com"));
            row.SetNumber(2, prediction);
            row.SetSegment(segment);
            row.Commit();
        }
    }
}
