using ModelMonitoring.Detectors;
using Xunit.Abstractions;

namespace ModelMonitoring.Statistics.Tests.Detectors;

/// <summary>
/// The detectors on planted change points (at index 1,000 of 3,000-value streams, 50 seeds each) and on stationary
/// streams: the figures of docs/performance.md, printed, with the bounds they must keep.
/// </summary>
public sealed class DetectorFiguresTests(ITestOutputHelper output)
{
    private const int Change = 1000;

    public static TheoryData<string, string, int> Bounds => new()
    {
        // detector, stream, worst delay allowed (values after the change)
        { "adwin", "abrupt", 64 },
        { "adwin", "gradual", 300 },
        { "adwin", "bernoulli", 320 },
        { "page-hinkley", "abrupt", 80 },
        { "page-hinkley", "gradual", 300 },
        { "page-hinkley", "bernoulli", 400 },
        { "ddm", "bernoulli", 900 },
    };

    [Theory]
    [MemberData(nameof(Bounds))]
    public void Every_seeded_change_is_detected_within_its_stated_delay(string detector, string stream, int worstDelay)
    {
        var delays = new List<int>();
        int early = 0;
        for (int seed = 1; seed <= 50; seed++)
        {
            List<int> detections = Streams.Detections(() => ChangeDetectors.Create(detector), Make(stream, seed));
            early += detections.Count(i => i < Change);
            int first = detections.FirstOrDefault(i => i >= Change, -1);
            Assert.True(first >= 0, $"{detector} missed the change of {stream} seed {seed}");
            delays.Add(first - Change);
        }

        delays.Sort();
        output.WriteLine($"{detector} {stream}: median delay {delays[delays.Count / 2]}, worst {delays[^1]}, detections before the change {early} (50 × 1,000 values)");
        Assert.True(delays[^1] <= worstDelay, $"{detector} {stream}: worst delay {delays[^1]} > {worstDelay}");
        if (detector != "ddm")
        {
            Assert.Equal(0, early);
        }
    }

    [Theory]
    [InlineData("adwin", "gaussian", 0)]
    [InlineData("adwin", "bernoulli", 0)]
    [InlineData("page-hinkley", "bernoulli", 5)]
    [InlineData("page-hinkley", "gaussian", 60)]
    [InlineData("ddm", "bernoulli", 5)]
    public void False_alarms_per_100_000_stationary_values_stay_bounded(string detector, string stream, int mostPerSeed)
    {
        var counts = new List<int>();
        for (int seed = 1; seed <= 5; seed++)
        {
            double[] values = stream == "gaussian" ? Streams.AbruptMeanShift(seed, 100_000, 100_000) : Streams.ErrorRateJump(seed, 100_000, 100_000, 0.1, 0.1);
            counts.Add(Streams.Detections(() => ChangeDetectors.Create(detector), values).Count);
        }

        output.WriteLine($"{detector} stationary {stream}: false alarms per 100,000 values by seed: {string.Join(", ", counts)} (mean {counts.Average():F1})");
        Assert.All(counts, count => Assert.True(count <= mostPerSeed, $"{count} false alarms > {mostPerSeed}"));
    }

    [Fact]
    public void The_detections_of_one_seeded_stream_are_fixed()
    {
        double[] abrupt = Streams.AbruptMeanShift(1, 3000, Change);
        double[] errors = Streams.ErrorRateJump(1, 3000, Change, 0.1, 0.3);

        // ADWIN drops the old part of its window over a few clock ticks after the change: one change, three cuts.
        Assert.Equal([1023, 1055, 1151], Streams.Detections(() => new Adwin(), abrupt));
        Assert.Equal([1044], Streams.Detections(() => new PageHinkley(), abrupt));
        Assert.Equal([1055, 1119, 1151, 1183, 1279, 1535], Streams.Detections(() => new Adwin(), errors));
        Assert.Equal([1245], Streams.Detections(() => new PageHinkley(), errors));
        Assert.Equal([1046], Streams.Detections(() => new Ddm(), errors));
    }

    private static double[] Make(string stream, int seed) => stream switch
    {
        "abrupt" => Streams.AbruptMeanShift(seed, 3000, Change),
        "gradual" => Streams.GradualMeanShift(seed, 3000, Change, 500),
        _ => Streams.ErrorRateJump(seed, 3000, Change, 0.1, 0.3),
    };
}

/// <summary>The detectors' parameters, states and resets.</summary>
public sealed class DetectorBehaviourTests
{
    [Fact]
    public void After_a_detection_the_next_value_starts_a_fresh_stream()
    {
        var detector = new PageHinkley(minInstances: 5, threshold: 5);
        int first = Enumerable.Range(0, 200).First(i => detector.Update(i < 50 ? 0 : 10));
        Assert.True(first >= 50);
        detector.Update(10);
        Assert.False(detector.DriftDetected);
        Assert.Equal(10, detector.Mean); // only the value after the detection
    }

    [Fact]
    public void Ddm_warns_before_it_detects_and_ignores_nan()
    {
        var detector = new Ddm();
        bool warned = false;
        double[] errors = Streams.ErrorRateJump(3, 3000, 1000, 0.1, 0.5);
        foreach (double error in errors)
        {
            detector.Update(double.NaN);
            if (detector.Update(error))
            {
                break;
            }

            warned |= detector.WarningDetected;
        }

        Assert.True(detector.DriftDetected);
        Assert.True(warned);
    }

    [Fact]
    public void Bad_parameters_and_names_are_refused_with_the_choices()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adwin(delta: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Ddm(warningThreshold: 3, driftThreshold: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PageHinkley(alpha: 1.5));
        ArgumentException unknown = Assert.Throws<ArgumentException>(() => ChangeDetectors.Create("cusum"));
        Assert.Contains("adwin, page-hinkley, ddm", unknown.Message);
        Assert.IsType<PageHinkley>(ChangeDetectors.Create("Page_Hinkley"));
    }

    [Fact]
    public void Adwin_keeps_a_window_of_logarithmic_size_and_its_mean()
    {
        var adwin = new Adwin();
        for (int i = 0; i < 100_000; i++)
        {
            adwin.Update(i % 2);
        }

        Assert.Equal(100_000, adwin.Width); // stationary: nothing was dropped
        Assert.Equal(0.5, adwin.Estimation, 9);
        Assert.Equal(25_000, adwin.Variance, 6); // n · 1/4
    }
}
