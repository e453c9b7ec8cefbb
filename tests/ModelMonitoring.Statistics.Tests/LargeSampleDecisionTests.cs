using ModelMonitoring.Sketches;

namespace ModelMonitoring.Statistics.Tests;

/// <summary>
/// The opt-in decisions that stay sane at large N, the overflow bucket that no longer hides a complete change of
/// categories, and values near ±1e308.
/// </summary>
public sealed class LargeSampleDecisionTests
{
    // 200,000 reference rows whose mean wanders slowly (a real process is never perfectly stationary), and a current
    // window of 50,000 shifted by 0.02 standard deviations: a difference nobody acts on, that KS calls significant.
    private static double[] Wandering(int count, double shift, int seed)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            double wander = 0.03 * Math.Sin(i * 2 * Math.PI / 40_000);
            values[i] = Gaussian(random) + wander + shift;
        }

        return values;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Fact]
    public void A_minimum_effect_size_avoids_a_false_alarm_on_large_samples_and_keeps_a_real_drift()
    {
        ColumnSample reference = ColumnSample.Numerical("x", Wandering(200_000, 0, 1));
        ColumnSample tiny = ColumnSample.Numerical("x", Wandering(50_000, 0.02, 2));
        ColumnSample real = ColumnSample.Numerical("x", Wandering(50_000, 0.5, 3));
        var ks = new ColumnDriftSettings(StatTests.KolmogorovSmirnov);

        ColumnDriftResult evidently = ExactDriftEngine.EvaluateColumn(reference, tiny, ks);
        Assert.True(evidently.Drift, $"Evidently's KS flags it: p = {evidently.Score}");
        Assert.True(evidently.EffectSize < 0.02, $"D = {evidently.EffectSize}");

        ColumnDriftResult floored = ExactDriftEngine.EvaluateColumn(reference, tiny, ks with { MinimumEffectSize = 0.05 });
        Assert.False(floored.Drift);
        Assert.Equal(evidently.Score, floored.Score);
        Assert.Equal(0.05, floored.MinimumEffectSize);

        Assert.True(ExactDriftEngine.EvaluateColumn(reference, real, ks with { MinimumEffectSize = 0.05 }).Drift);

        // Per method: the entry of the method that runs (here Evidently's default, wasserstein) wins.
        var perMethod = new ColumnDriftSettings { MinimumEffectSize = 10, MinimumEffectSizes = new Dictionary<string, double> { ["wasserstein"] = 0.1 } };
        ColumnDriftResult auto = ExactDriftEngine.EvaluateColumn(reference, real, perMethod);
        Assert.Equal(StatTests.Wasserstein, auto.Method);
        Assert.True(auto.Drift);
        Assert.Equal(0.1, auto.MinimumEffectSize);
    }

    [Fact]
    public void Chunk_thresholds_avoid_the_false_alarm_and_keep_a_real_drift()
    {
        ColumnSample reference = ColumnSample.Numerical("x", Wandering(200_000, 0, 1));
        ColumnSample tiny = ColumnSample.Numerical("x", Wandering(50_000, 0.02, 2));
        ColumnSample real = ColumnSample.Numerical("x", Wandering(50_000, 0.5, 3));
        var settings = new ColumnDriftSettings(StatTests.KolmogorovSmirnov) { ChunkThresholds = true };

        ColumnDriftResult calm = ExactDriftEngine.EvaluateColumn(reference, tiny, settings);
        Assert.NotNull(calm.ChunkThreshold);
        Assert.Equal(10, calm.ChunkThreshold!.ChunkCount);
        Assert.False(calm.Drift, $"D {calm.EffectSize} against chunk bound {calm.ChunkThreshold.Upper}");
        Assert.True(calm.Score < 0.05, "the p-value alone would have flagged it");

        ColumnDriftResult drifted = ExactDriftEngine.EvaluateColumn(reference, real, settings);
        Assert.True(drifted.Drift);
        Assert.True(drifted.EffectSize > drifted.ChunkThreshold!.Upper);
    }

    [Fact]
    public void Chunk_thresholds_work_from_a_baseline_with_chunks_and_say_so_without()
    {
        ColumnSample reference = ColumnSample.Numerical("x", Wandering(200_000, 0, 1));
        FeatureProfile withChunks = BaselineProfile.ProfileOf(reference, chunks: 10);
        Assert.Equal(10, withChunks.ReferenceChunks.Count);
        BaselineProfile restored = BaselineProfile.FromJson(new BaselineProfile([withChunks], null, 200_000, DateTimeOffset.UnixEpoch).ToJson());
        Assert.Equal(10, restored.Features[0].ReferenceChunks.Count);

        FeatureProfile tiny = BaselineProfile.ProfileOf(ColumnSample.Numerical("x", Wandering(50_000, 0.02, 2)));
        FeatureProfile real = BaselineProfile.ProfileOf(ColumnSample.Numerical("x", Wandering(50_000, 0.5, 3)));
        var settings = new ColumnDriftSettings(StatTests.KolmogorovSmirnov) { ChunkThresholds = true };
        Assert.False(SketchDriftEngine.EvaluateColumn(restored.Features[0], tiny, settings).Drift);
        Assert.True(SketchDriftEngine.EvaluateColumn(restored.Features[0], real, settings).Drift);

        ColumnDriftResult without = SketchDriftEngine.EvaluateColumn(BaselineProfile.ProfileOf(reference), tiny, settings);
        Assert.Null(without.ChunkThreshold);
        Assert.Contains("no chunks", without.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_complete_change_of_categories_inside_the_overflow_bucket_is_drift()
    {
        string[] reference = Enumerable.Range(0, 200_000).Select(i => "ref-" + i).ToArray();
        string[] current = Enumerable.Range(0, 200_000).Select(i => "cur-" + i).ToArray();
        ColumnDriftResult exact = ExactDriftEngine.EvaluateColumn(ColumnSample.Categorical("label", reference), ColumnSample.Categorical("label", current));
        Assert.True(exact.Drift);

        FeatureProfile left = BaselineProfile.ProfileOf(ColumnSample.Categorical("label", reference));
        FeatureProfile right = BaselineProfile.ProfileOf(ColumnSample.Categorical("label", current));
        Assert.True(left.Categories!.OverflowCount > 199_000);
        ColumnDriftResult sketch = SketchDriftEngine.EvaluateColumn(left, right);
        Assert.Equal(StatTests.JensenShannon, sketch.Method);
        Assert.True(sketch.Drift, $"JS {sketch.Score}");
        Assert.Equal(exact.Score, sketch.Score, 3);

        // Through a baseline file too, and the same values on both sides stay one shared bucket: no drift.
        FeatureProfile restored = BaselineProfile.FromJson(new BaselineProfile([left], null, 200_000, DateTimeOffset.UnixEpoch).ToJson()).Features[0];
        Assert.True(SketchDriftEngine.EvaluateColumn(restored, right).Drift);
        string[] shuffled = reference.OrderBy(label => label.GetHashCode(StringComparison.Ordinal)).ToArray();
        ColumnDriftResult same = SketchDriftEngine.EvaluateColumn(restored, BaselineProfile.ProfileOf(ColumnSample.Categorical("label", shuffled)));
        Assert.False(same.Drift, $"JS {same.Score}");
        Assert.Null(same.Warning);
    }

    [Fact]
    public void An_overflow_without_a_sample_is_compared_as_one_bucket_with_a_warning()
    {
        FeatureProfile left = BaselineProfile.ProfileOf(ColumnSample.Categorical("label", Enumerable.Range(0, 5000).Select(i => "a" + i).ToArray()));
        FeatureProfile right = BaselineProfile.ProfileOf(ColumnSample.Categorical("label", Enumerable.Range(0, 5000).Select(i => "b" + i).ToArray()));
        string json = new BaselineProfile([left], null, 5000, DateTimeOffset.UnixEpoch).ToJson();
        int start = json.IndexOf("\"overflow_sample\"", StringComparison.Ordinal);
        Assert.True(start > 0);
        int end = json.IndexOf('}', start);
        string old = json[..json.LastIndexOf(',', start)] + json[(end + 1)..];
        FeatureProfile restored = BaselineProfile.FromJson(old).Features[0];
        ColumnDriftResult result = SketchDriftEngine.EvaluateColumn(restored, right);
        Assert.Contains("not sampled", result.Warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ks")]
    [InlineData("wasserstein")]
    [InlineData("psi")]
    [InlineData("jensenshannon")]
    [InlineData("kl_div")]
    [InlineData("hellinger")]
    [InlineData("anderson")]
    [InlineData("cramer_von_mises")]
    [InlineData("ed")]
    [InlineData("es")]
    [InlineData("mannw")]
    [InlineData("t_test")]
    [InlineData("empirical_mmd")]
    public void Values_near_the_double_range_still_get_a_score(string method)
    {
        var random = new Random(5);
        double[] reference = Enumerable.Range(0, 3000).Select(i => i % 500 == 0 ? (i % 1000 == 0 ? 1e308 : -1e308) : Gaussian(random) * 1e307).ToArray();
        double[] current = Enumerable.Range(0, 2000).Select(i => i % 400 == 0 ? 1e308 : (Gaussian(random) * 1e307) + 5e306).ToArray();
        var settings = new ColumnDriftSettings(StatTests.Get(method));
        ColumnDriftResult exact = ExactDriftEngine.EvaluateColumn(ColumnSample.Numerical("big", reference), ColumnSample.Numerical("big", current), settings);
        Assert.False(double.IsNaN(exact.Score), $"{method}: {exact.Score}");
        Assert.Null(exact.Warning);

        ColumnDriftResult sketch = SketchDriftEngine.EvaluateColumn(
            BaselineProfile.ProfileOf(ColumnSample.Numerical("big", reference)), BaselineProfile.ProfileOf(ColumnSample.Numerical("big", current)), settings);
        Assert.False(double.IsNaN(sketch.Score), $"{method} (sketch): {sketch.Score}");

        // The scale-free scores equal those of the same data divided by 1e300.
        if (method is not "ed")
        {
            ColumnDriftResult small = ExactDriftEngine.EvaluateColumn(
                ColumnSample.Numerical("big", reference.Select(v => v / 1e300).ToArray()), ColumnSample.Numerical("big", current.Select(v => v / 1e300).ToArray()), settings);
            Assert.Equal(small.Score, exact.Score, 6);
        }
    }
}
