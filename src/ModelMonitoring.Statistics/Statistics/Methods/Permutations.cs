using MathNet.Numerics;

namespace ModelMonitoring.Statistics.Methods;

/// <summary>
/// The random draws of the permutation tests (<c>TVD</c>, <c>empirical_mmd</c>): a fixed seed, so that a comparison
/// gives the same p-value every time (Evidently seeds numpy with 0 for TVD; its streams cannot be reproduced outside
/// numpy, so p-values agree with Evidently's up to the permutation noise only).
/// </summary>
internal static class Permutations
{
    /// <summary>The seed of every permutation test.</summary>
    public const int Seed = 0;

    /// <summary>A new generator with <see cref="Seed"/>.</summary>
    public static Random NewRandom() => new(Seed);

    /// <summary>
    /// A draw of the hypergeometric distribution: how many of <paramref name="draws"/> items taken without replacement
    /// from <paramref name="population"/> items are among its <paramref name="successes"/>. Inversion from the mode,
    /// walking outward with the ratios of neighbouring probabilities: exact, and O(standard deviation) steps.
    /// </summary>
    public static long Hypergeometric(Random random, long population, long successes, long draws)
    {
        long low = Math.Max(0, draws - (population - successes));
        long high = Math.Min(successes, draws);
        if (low >= high)
        {
            return low;
        }

        long mode = Math.Clamp((long)((draws + 1) * (double)(successes + 1) / (population + 2)), low, high);
        double atMode = Math.Exp(LogBinomial(successes, mode) + LogBinomial(population - successes, draws - mode) - LogBinomial(population, draws));
        double target = random.NextDouble();
        double cumulative = atMode;
        if (target < cumulative)
        {
            return mode;
        }

        long down = mode;
        long up = mode;
        double pDown = atMode;
        double pUp = atMode;
        while (down > low || up < high)
        {
            if (up < high)
            {
                // P(x + 1) / P(x) = (K - x)(n - x) / ((x + 1)(N - K - n + x + 1))
                pUp *= (double)(successes - up) * (draws - up) / ((up + 1) * (double)(population - successes - draws + up + 1));
                up++;
                cumulative += pUp;
                if (target < cumulative)
                {
                    return up;
                }
            }

            if (down > low)
            {
                // P(x - 1) / P(x) = x (N - K - n + x) / ((K - x + 1)(n - x + 1))
                pDown *= down * (double)(population - successes - draws + down) / ((successes - down + 1) * (double)(draws - down + 1));
                down--;
                cumulative += pDown;
                if (target < cumulative)
                {
                    return down;
                }
            }
        }

        return mode;
    }

    private static double LogBinomial(long n, long k) =>
        SpecialFunctions.GammaLn(n + 1.0) - SpecialFunctions.GammaLn(k + 1.0) - SpecialFunctions.GammaLn(n - k + 1.0);
}
