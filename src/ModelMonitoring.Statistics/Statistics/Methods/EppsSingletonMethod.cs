using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace ModelMonitoring.Statistics.Methods;

/// <summary>
/// <c>es</c>: the Epps-Singleton test, as <c>scipy.stats.epps_singleton_2samp(reference, current, t=(0.4, 0.8))</c>: the
/// empirical characteristic functions at t / sigma (sigma half the pooled interquartile range) compared through the
/// pseudo-inverse of their estimated covariance; chi-square with the rank of that matrix as degrees of freedom, with the
/// small-sample correction when both sides hold fewer than 25 values.
/// </summary>
internal static class EppsSingletonMethod
{
    private const double MachineEpsilon = 2.220446049250313e-16;

    private static readonly double[] Points = [0.4, 0.8];

    public static StatTest Test { get; } = new(
        "es", "Epps-Singleton", DriftRule.PValueBelow, 0.05, numerical: true, categorical: false, "the KS statistic D", Score, null);

    private static MethodScore Score(NumericalSide reference, NumericalSide current)
    {
        double d = KolmogorovSmirnovTest.Statistic(reference.Distribution, current.Distribution);
        if (reference.Count < 5 || current.Count < 5)
        {
            return MethodScore.Undefined($"es needs at least 5 values on each side, got {reference.Count} and {current.Count}");
        }

        var pooledWeights = new Sketches.WeightedValue[reference.Distribution.Length + current.Distribution.Length];
        int write = 0;
        foreach (NumericalSide side in new[] { reference, current })
        {
            for (int i = 0; i < side.Distribution.Length; i++)
            {
                pooledWeights[write++] = new Sketches.WeightedValue(side.Distribution.Values[i], side.Distribution.Weights[i]);
            }
        }

        Sketches.SortedWeightedValues pooled = Sketches.SortedWeightedValues.Create(pooledWeights);
        double iqr = NumericalSide.Percentile(pooled, 0.75) - NumericalSide.Percentile(pooled, 0.25);
        if (!(iqr > 0))
        {
            // Evidently raises here: with no spread in the middle half there is no scale to compare at.
            return MethodScore.Undefined("es needs spread: the interquartile range of the pooled values is 0");
        }

        double sigma = iqr / 2;
        double nx = reference.Count;
        double ny = current.Count;
        double n = nx + ny;
        (double[] meanX, double[,] covarianceX) = Moments(reference, sigma);
        (double[] meanY, double[,] covarianceY) = Moments(current, sigma);
        int size = 2 * Points.Length;
        Matrix<double> covariance = Matrix<double>.Build.Dense(size, size, (i, j) => ((n / nx) * covarianceX[i, j]) + ((n / ny) * covarianceY[i, j]));

        // numpy's pinv (singular values below 1e-15 times the largest are dropped) and matrix_rank of the result.
        var svd = covariance.Svd(computeVectors: true);
        double largest = svd.S.Maximum();
        Vector<double> inverted = svd.S.Map(s => s > 1e-15 * largest ? 1 / s : 0);
        Matrix<double> pseudoInverse = svd.VT.Transpose() * Matrix<double>.Build.DenseOfDiagonalVector(inverted) * svd.U.Transpose();
        double largestInverted = inverted.Maximum();
        int rank = inverted.Count(s => s > largestInverted * size * MachineEpsilon);

        Vector<double> difference = Vector<double>.Build.Dense(size, i => meanX[i] - meanY[i]);
        double w = n * difference.DotProduct(pseudoInverse * difference);
        if (Math.Max(nx, ny) < 25)
        {
            w *= 1.0 / (1.0 + Math.Pow(n, -0.45) + (10.1 * (Math.Pow(nx, -1.7) + Math.Pow(ny, -1.7))));
        }

        double p = rank == 0 || double.IsNaN(w) ? double.NaN : SpecialFunctions.GammaUpperRegularized(rank / 2.0, Math.Max(w, 0) / 2);
        return double.IsNaN(p) ? MethodScore.Undefined("es: the covariance of the characteristic functions is zero") : new MethodScore(p, d);
    }

    // The mean and biased covariance of g(x) = (cos(t1 x), cos(t2 x), sin(t1 x), sin(t2 x)) over one side's weighted values.
    private static (double[] Mean, double[,] Covariance) Moments(NumericalSide side, double sigma)
    {
        int size = 2 * Points.Length;
        ReadOnlySpan<double> values = side.Distribution.Values;
        ReadOnlySpan<long> weights = side.Distribution.Weights;
        double total = side.Count;
        var mean = new double[size];
        var g = new double[size];
        for (int i = 0; i < values.Length; i++)
        {
            Features(values[i], sigma, g);
            for (int a = 0; a < size; a++)
            {
                mean[a] += g[a] * weights[i];
            }
        }

        for (int a = 0; a < size; a++)
        {
            mean[a] /= total;
        }

        var covariance = new double[size, size];
        for (int i = 0; i < values.Length; i++)
        {
            Features(values[i], sigma, g);
            for (int a = 0; a < size; a++)
            {
                for (int b = 0; b < size; b++)
                {
                    covariance[a, b] += (g[a] - mean[a]) * (g[b] - mean[b]) * weights[i];
                }
            }
        }

        for (int a = 0; a < size; a++)
        {
            for (int b = 0; b < size; b++)
            {
                covariance[a, b] /= total;
            }
        }

        return (mean, covariance);
    }

    private static void Features(double value, double sigma, double[] g)
    {
        for (int k = 0; k < Points.Length; k++)
        {
            double argument = Points[k] / sigma * value;
            g[k] = Math.Cos(argument);
            g[Points.Length + k] = Math.Sin(argument);
        }
    }
}
