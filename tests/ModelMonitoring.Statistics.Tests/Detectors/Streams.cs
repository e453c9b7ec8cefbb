namespace ModelMonitoring.Statistics.Tests.Detectors;

/// <summary>Seeded synthetic streams with planted change points, for the detectors' tests and the figures in docs/performance.md.</summary>
internal static class Streams
{
    /// <summary>Gaussian values (σ = 0.5) whose mean jumps from 1 to 2 at <paramref name="change"/>.</summary>
    public static double[] AbruptMeanShift(int seed, int length, int change)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(i => (i < change ? 1.0 : 2.0) + (0.5 * Gaussian(random)))];
    }

    /// <summary>Gaussian values (σ = 0.5) whose mean ramps from 1 to 2 over <paramref name="ramp"/> values from <paramref name="change"/>.</summary>
    public static double[] GradualMeanShift(int seed, int length, int change, int ramp)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(i => 1.0 + Math.Clamp((i - change) / (double)ramp, 0, 1) + (0.5 * Gaussian(random)))];
    }

    /// <summary>0/1 errors whose rate jumps from <paramref name="before"/> to <paramref name="after"/> at <paramref name="change"/>.</summary>
    public static double[] ErrorRateJump(int seed, int length, int change, double before, double after)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(i => random.NextDouble() < (i < change ? before : after) ? 1.0 : 0.0)];
    }

    /// <summary>The 0-based indexes where the detector reported a change.</summary>
    public static List<int> Detections(IChangeDetectorFactory factory, double[] stream)
    {
        IChangeDetectorHolder holder = new(factory());
        var detections = new List<int>();
        for (int i = 0; i < stream.Length; i++)
        {
            if (holder.Detector.Update(stream[i]))
            {
                detections.Add(i);
            }
        }

        return detections;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

/// <summary>Creates a fresh detector.</summary>
internal delegate ModelMonitoring.Detectors.IChangeDetector IChangeDetectorFactory();

/// <summary>Holds one detector.</summary>
internal readonly record struct IChangeDetectorHolder(ModelMonitoring.Detectors.IChangeDetector Detector);
