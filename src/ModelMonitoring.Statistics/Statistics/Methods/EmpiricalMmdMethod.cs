namespace ModelMonitoring.Statistics.Methods;

/// <summary>
/// <c>empirical_mmd</c>: the maximum mean discrepancy with a Gaussian (RBF) kernel, as Evidently's <c>mmd_stattest</c>:
/// the kernel width from the median heuristic on the reference's squared distances, the unbiased MMD² with the diagonal
/// removed, and its permutation p-value over 100 random relabellings of the pooled values. The kernel matrix grows with
/// the square of the sample, so each side is represented by at most <see cref="MaxValuesPerSide"/> values taken at evenly
/// spaced ranks (all of them when fewer): a bounded cost where Evidently would need n² memory.
/// </summary>
internal static class EmpiricalMmdMethod
{
    /// <summary>How many values per side enter the kernel matrix at most.</summary>
    public const int MaxValuesPerSide = 500;

    /// <summary>How many random relabellings, as Evidently.</summary>
    public const int Iterations = 100;

    public static StatTest Test { get; } = new(
        "empirical_mmd", "empirical_mmd", DriftRule.PValueBelow, 0.1, numerical: true, categorical: false, "the MMD² estimate", Score, null);

    private static MethodScore Score(NumericalSide reference, NumericalSide current)
    {
        if (reference.Count < 2 || current.Count < 2)
        {
            return MethodScore.Undefined($"empirical_mmd needs at least 2 values on each side, got {reference.Count} and {current.Count}");
        }

        double[] x = Values(reference);
        double[] y = Values(current);
        int nx = x.Length;
        int n = nx + y.Length;
        double[] pooled = [.. x, .. y];

        // Evidently's squared distances, y² - 2xy + x², and sigma = sqrt(0.5 * median) over the reference's (numpy's
        // "nearest" percentile of the flattened matrix, diagonal included).
        var referenceDistances = new double[nx * nx];
        for (int i = 0; i < nx; i++)
        {
            for (int j = 0; j < nx; j++)
            {
                referenceDistances[(i * nx) + j] = SquaredDistance(x[i], x[j]);
            }
        }

        Array.Sort(referenceDistances);
        double position = (referenceDistances.Length - 1) * 0.5;
        double median = referenceDistances[(int)Math.Round(position, MidpointRounding.ToEven)];
        double sigma = Math.Sqrt(0.5 * median);
        if (sigma == 0)
        {
            sigma = Math.Sqrt(0.5);
        }

        double gamma = 1.0 / (2.0 * sigma * sigma);
        var kernel = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                kernel[(i * n) + j] = i == j ? 0 : Math.Exp(-gamma * SquaredDistance(pooled[i], pooled[j]));
            }
        }

        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        double mmd = Discrepancy(kernel, n, nx, order);
        Random random = Permutations.NewRandom();
        int atLeast = 0;
        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            random.Shuffle(order);
            if (mmd <= Discrepancy(kernel, n, nx, order))
            {
                atLeast++;
            }
        }

        return new MethodScore((double)atLeast / Iterations, mmd);
    }

    // A (x_i - x_j)² written as Evidently writes it (the rounding differs from (a - b)² in the last bits).
    private static double SquaredDistance(double a, double b) => (b * b) - (2 * (a * b)) + (a * a);

    // MMD² of the labelling `order` (its first nx entries the reference): mean K over reference pairs and over current
    // pairs (diagonal excluded, it is 0), minus twice the mean over the cross pairs.
    private static double Discrepancy(double[] kernel, int n, int nx, int[] order)
    {
        int ny = n - nx;
        double xx = 0;
        double yy = 0;
        double xy = 0;
        for (int a = 0; a < n; a++)
        {
            int row = order[a] * n;
            for (int b = 0; b < n; b++)
            {
                double k = kernel[row + order[b]];
                if (a < nx)
                {
                    if (b < nx)
                    {
                        xx += k;
                    }
                    else
                    {
                        xy += k;
                    }
                }
                else if (b >= nx)
                {
                    yy += k;
                }
            }
        }

        return (xx / ((double)nx * (nx - 1))) + (yy / ((double)ny * (ny - 1))) - (2.0 * xy / ((double)nx * ny));
    }

    // The side's values, each repeated by its weight, or MaxValuesPerSide values at evenly spaced ranks.
    private static double[] Values(NumericalSide side)
    {
        int length = (int)Math.Min(side.Count, MaxValuesPerSide);
        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            long rank = length == side.Count ? i : (long)(((i + 0.5) * side.Count) / length);
            values[i] = side.ValueAtRank(rank);
        }

        return values;
    }
}
