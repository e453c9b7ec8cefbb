using ModelMonitoring.Performance;

namespace ModelMonitoring.Tests;

/// <summary>
/// CBPE per segment against the segment's own reference: once a segment has as many scored outcomes as the model's
/// reference, its windows are estimated with a calibration fitted on them, not on the model's mixed outcomes.
/// </summary>
public sealed class SegmentCalibrationTests
{
    [Fact]
    public void Each_segment_is_estimated_with_its_own_calibration_once_it_has_its_first_outcomes()
    {
        const int window = 2_000;
        using var test = new TestRuntime(new ModelMonitoringOptions { WindowSize = window });
        var model = new ChurnModel("perf-segment-calibration");
        var random = new Random(23);

        // The score means what it says for "basic" (P(churn) = score) and nothing for "pro" (P(churn) = 0.2 whatever
        // the score): the model's calibration, fitted on both, is wrong for each.
        bool Draw(string plan, double score) => random.NextDouble() < (plan == "basic" ? score : 0.2);
        var reference = new List<(double Score, bool Actual)>();
        var outcomes = new List<bool>();
        for (int i = 0; i < 2 * window; i++)
        {
            string plan = i % 2 == 0 ? "basic" : "pro";
            double score = random.NextDouble();
            model.Record(i, plan, score >= 0.5, score);
            outcomes.Add(Draw(plan, score));
            reference.Add((score, outcomes[i]));
        }

        test.Runtime.Flush();
        ModelMonitor monitor = test.Runtime.For(model.Name);
        for (int i = 0; i < 2 * window; i++)
        {
            Assert.True(monitor.RecordOutcome(i, outcomes[i])); // the model's reference: the first 2,000; each segment's: its first 2,000
        }

        var realized = new Dictionary<string, List<bool>> { ["basic"] = [], ["pro"] = [] };
        var proScores = new List<double>();
        for (int i = 2 * window; i < 4 * window; i++)
        {
            string plan = i % 2 == 0 ? "basic" : "pro";
            double score = random.NextDouble();
            model.Record(i, plan, score >= 0.5, score);
            realized[plan].Add(Draw(plan, score) == (score >= 0.5));
            if (plan == "pro")
            {
                proScores.Add(score);
            }
        }

        test.Runtime.Flush();
        foreach (string plan in new[] { "basic", "pro" })
        {
            ModelPerformanceEstimate estimate = Assert.IsType<ModelPerformanceEstimate>(monitor.LatestSegmentEstimatedPerformance(plan));
            double accuracy = realized[plan].Count(c => c) / (double)realized[plan].Count;
            Assert.Equal(("segment", (long)window), (estimate.Reference, estimate.Rows));
            Assert.True(Math.Abs(estimate["accuracy"].Estimate - accuracy) < 0.03, $"{plan}: estimated {estimate["accuracy"].Estimate:F4}, realized {accuracy:F4}");
        }

        Assert.Equal("model", monitor.LatestEstimatedPerformance!.Reference);

        // What the model's calibration (its first 2,000 outcomes, both plans) says of the same "pro" window: far off.
        CbpeEstimator modelWide = CbpeEstimator.Fit([.. reference.Take(window).Select(r => r.Score)], [.. reference.Take(window).Select(r => r.Actual)], chunkSize: window / 5);
        double proRealized = realized["pro"].Count(c => c) / (double)realized["pro"].Count;
        double mixed = modelWide.Estimate(proScores, [.. proScores.Select(s => s >= 0.5)]).Metrics.First(m => m.Metric == "accuracy").Estimate;
        Assert.True(Math.Abs(mixed - proRealized) > 0.08, $"model-wide calibration estimated {mixed:F4} for pro, realized {proRealized:F4}");
    }
}
