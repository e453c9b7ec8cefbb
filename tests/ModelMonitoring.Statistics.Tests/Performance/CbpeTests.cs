using System.Text.Json;
using ModelMonitoring.Performance;

namespace ModelMonitoring.Statistics.Tests.Performance;

/// <summary>CBPE on a logistic model under covariate shift (tests/data/performance/cbpe_*.csv): labels exist but are hidden from the estimator.</summary>
public sealed class CbpeTests
{
    [Fact]
    public void The_estimated_accuracy_is_within_0_03_of_the_realized_one_on_every_chunk_under_covariate_shift()
    {
        Dictionary<string, string[]> reference = PerformanceFixtures.Read("cbpe_reference.csv");
        Dictionary<string, string[]> current = PerformanceFixtures.Read("cbpe_current.csv");
        JsonElement expected = PerformanceFixtures.Expected("cbpe");
        int chunkSize = expected.GetProperty("chunk_size").GetInt32();
        double[] realizedBySklearn = [.. expected.GetProperty("realized_accuracy").EnumerateArray().Select(a => a.GetDouble())];

        CbpeEstimator estimator = CbpeEstimator.Fit(PerformanceFixtures.Numbers(reference["score"]), [.. reference["target"].Select(t => t == "1")],
            [.. reference["prediction"].Select(p => p == "1")], chunkSize);

        double[] scores = PerformanceFixtures.Numbers(current["score"]);
        bool[] predicted = [.. current["prediction"].Select(p => p == "1")];
        bool[] actual = [.. current["target"].Select(t => t == "1")];
        Assert.Equal(realizedBySklearn.Length, scores.Length / chunkSize);
        for (int chunk = 0; chunk < realizedBySklearn.Length; chunk++)
        {
            Range rows = (chunk * chunkSize)..((chunk + 1) * chunkSize);
            CbpeEstimate estimate = estimator.Estimate(scores[rows], predicted[rows]);
            double realized = ClassificationMetrics.Compute([.. actual[rows].Select(a => a ? "1" : "0")], [.. predicted[rows].Select(p => p ? "1" : "0")]).Accuracy;
            Assert.Equal(realizedBySklearn[chunk], realized, 12);
            EstimatedMetric accuracy = estimate["accuracy"];
            Assert.True(Math.Abs(accuracy.Estimate - realized) <= 0.03, $"chunk {chunk}: estimated {accuracy.Estimate:F4}, realized {realized:F4}");
            Assert.True(accuracy.Lower < accuracy.Estimate && accuracy.Estimate < accuracy.Upper, $"chunk {chunk}: band {accuracy.Lower:F4}..{accuracy.Upper:F4}");
            Assert.InRange(estimate["roc_auc"].Estimate, 0.5, 1);
        }
    }

    [Fact]
    public void The_band_comes_from_the_reference_chunks_and_needs_two_of_them()
    {
        var random = new Random(5);
        double[] scores = [.. Enumerable.Range(0, 4000).Select(_ => random.NextDouble())];
        bool[] actual = [.. scores.Select(s => random.NextDouble() < s)];

        CbpeEstimator one = CbpeEstimator.Fit(scores, actual, chunkSize: 4000);
        CbpeEstimator four = CbpeEstimator.Fit(scores, actual, chunkSize: 1000);

        Assert.True(double.IsNaN(one.Estimate(scores)["accuracy"].Lower));
        Assert.Equal(4, four.ReferenceChunks);
        EstimatedMetric small = four.Estimate(scores[..250])["accuracy"];
        EstimatedMetric large = four.Estimate(scores)["accuracy"];
        Assert.True(small.Upper - small.Lower > large.Upper - large.Lower, "a smaller chunk has a wider band");
        // Calibrated scores of a calibrated model: the estimate of the whole reference is close to its realized accuracy.
        double realized = scores.Zip(actual).Count(p => (p.First >= 0.5) == p.Second) / 4000.0;
        Assert.True(Math.Abs(large.Estimate - realized) < 0.02, $"estimated {large.Estimate}, realized {realized}");
    }
}
