namespace ModelMonitoring.Statistics;

/// <summary>
/// The distribution of the two-sided one-sample Kolmogorov-Smirnov statistic D_n (scipy's <c>kstwo</c>), used for the
/// asymptotic two-sample p-value. Follows Simard and L'Ecuyer's choice of method as scipy 1.10 does: Ruben-Gambino
/// closed forms at the extremes, the exact Durbin matrix (Marsaglia-Tsang-Wang) for small n·d, the exact one-sided
/// Smirnov sum for large n·d², and the Pelz-Good expansion elsewhere.
/// </summary>
internal static class KolmogorovDistribution
{
    private const int ScaleExponent = 128;
    private static readonly double LargeScale = Math.ScaleB(1.0, ScaleExponent);
    private static readonly double SmallScale = Math.ScaleB(1.0, -ScaleExponent);

    // Stirling series coefficients B_2j / (2j (2j - 1)) for j = 8..1, highest order first.
    private static readonly double[] StirlingCoefficients =
    [
        -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
        -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
    ];

    /// <summary>P(D_n &gt;= d): the survival function of the two-sided statistic for a sample of size n.</summary>
    /// <param name="n">The sample size (at least 1).</param>
    /// <param name="d">The statistic.</param>
    public static double Survival(long n, double d)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1L);
        if (double.IsNaN(d))
        {
            return double.NaN;
        }

        if (d >= 1.0)
        {
            return 0.0;
        }

        if (d <= 0.0)
        {
            return 1.0;
        }

        double t = n * d;
        if (t <= 1.0)
        {
            if (t <= 0.5)
            {
                return 1.0;
            }

            double cdf = n <= 140 ? RubenGambinoProduct(n, t) : Math.Exp(LogFactorialOverPower(n) + (n * Math.Log((2 * t) - 1)));
            return Clip(1.0 - cdf);
        }

        if (t >= n - 1)
        {
            return Clip(2 * Math.Pow(1.0 - d, n));
        }

        if (d >= 0.5)
        {
            return Clip(2 * OneSidedSurvival(n, d));
        }

        double nxSquared = t * d;
        if (n <= 140)
        {
            // scipy uses the Durbin matrix below 0.754693 and Pomeranz's recursion up to 4: both are exact.
            return nxSquared <= 4 ? Clip(1.0 - DurbinCdf(n, d)) : Clip(2 * OneSidedSurvival(n, d));
        }

        if (nxSquared >= 370.0)
        {
            return 0.0;
        }

        if (nxSquared >= 2.2)
        {
            return Clip(2 * OneSidedSurvival(n, d));
        }

        double cumulative = n <= 100_000 && n * Math.Pow(d, 1.5) <= 1.4 ? DurbinCdf(n, d) : PelzGoodCdf(n, d);
        return Clip(1.0 - cumulative);
    }

    /// <summary>
    /// P(D_n^+ &gt;= d), the one-sided Smirnov survival function, by the exact Birnbaum-Tingey sum
    /// <c>d * sum_j C(n, j) (d + j/n)^(j-1) (1 - d - j/n)^(n-j)</c>, evaluated in logarithms.
    /// </summary>
    /// <param name="n">The sample size (at least 1).</param>
    /// <param name="d">The statistic.</param>
    public static double OneSidedSurvival(long n, double d)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1L);
        if (d >= 1.0)
        {
            return 0.0;
        }

        if (d <= 0.0)
        {
            return 1.0;
        }

        long lastTerm = (long)Math.Floor(n * (1 - d));
        double logBinomial = 0;
        double largestLog = double.NegativeInfinity;
        double scaledSum = 0;
        for (long j = 0; j <= lastTerm; j++)
        {
            if (j > 0)
            {
                logBinomial += Math.Log(n - j + 1) - Math.Log(j);
            }

            double remaining = 1 - d - ((double)j / n);
            if (remaining <= 0)
            {
                continue;
            }

            double logTerm = logBinomial + ((n - j) * Math.Log(remaining)) + ((j - 1) * Math.Log(d + ((double)j / n)));
            if (logTerm > largestLog)
            {
                scaledSum = (scaledSum * Math.Exp(largestLog - logTerm)) + 1;
                largestLog = logTerm;
            }
            else
            {
                scaledSum += Math.Exp(logTerm - largestLog);
            }
        }

        return double.IsNegativeInfinity(largestLog) ? 0 : Clip(d * scaledSum * Math.Exp(largestLog));
    }

    private static double RubenGambinoProduct(long n, double t)
    {
        double product = 1.0;
        for (long i = 1; i <= n; i++)
        {
            product *= i * (1.0 / n) * ((2 * t) - 1);
        }

        return product;
    }

    // log(n! / n^n) by Stirling's series, with n log n removed up front to avoid cancellation.
    private static double LogFactorialOverPower(long n)
    {
        double reciprocal = 1.0 / n;
        double x = reciprocal / n;
        double polynomial = 0;
        foreach (double coefficient in StirlingCoefficients)
        {
            polynomial = (polynomial * x) + coefficient;
        }

        return (Math.Log(n) / 2) - n + (Math.Log(2 * Math.PI) / 2) + (reciprocal * polynomial);
    }

    // P(D_n <= d) by Durbin's matrix, computed as Marsaglia, Tsang and Wang describe.
    private static double DurbinCdf(long n, double d)
    {
        double nd = n * d;
        if (nd <= 0.5)
        {
            return 0.0;
        }

        int k = (int)Math.Ceiling(nd);
        double h = k - nd;
        int m = (2 * k) - 1;
        var v = new double[m];
        var w = new double[m];
        double factorial = 1.0;
        for (int j = 1; j <= m; j++)
        {
            w[j - 1] = factorial;
            factorial /= j;
            v[j - 1] = (1.0 - Math.Pow(h, j)) * factorial;
        }

        double tail = Math.Pow(Math.Max((2 * h) - 1, 0), m) - (2 * Math.Pow(h, m));
        v[m - 1] = (1.0 + tail) * factorial;

        var matrix = new double[m, m];
        for (int column = 1; column < m; column++)
        {
            for (int row = column - 1; row < m; row++)
            {
                matrix[row, column] = w[row - column + 1];
            }
        }

        for (int row = 0; row < m; row++)
        {
            matrix[row, 0] = v[row];
        }

        for (int column = 0; column < m; column++)
        {
            matrix[m - 1, column] = v[m - 1 - column];
        }

        var power = new double[m, m];
        for (int i = 0; i < m; i++)
        {
            power[i, i] = 1.0;
        }

        var scratch = new double[m, m];
        long remaining = n;
        long exponent = 0;
        long matrixExponent = 0;
        while (remaining > 0)
        {
            if (remaining % 2 == 1)
            {
                Multiply(power, matrix, scratch);
                (power, scratch) = (scratch, power);
                exponent += matrixExponent;
            }

            Multiply(matrix, matrix, scratch);
            (matrix, scratch) = (scratch, matrix);
            matrixExponent *= 2;
            if (Math.Abs(matrix[k - 1, k - 1]) > LargeScale)
            {
                for (int i = 0; i < m; i++)
                {
                    for (int j = 0; j < m; j++)
                    {
                        matrix[i, j] /= LargeScale;
                    }
                }

                matrixExponent += ScaleExponent;
            }

            remaining /= 2;
        }

        double p = power[k - 1, k - 1];
        for (long i = 1; i <= n; i++)
        {
            p = i * p / n;
            if (Math.Abs(p) < SmallScale)
            {
                p *= LargeScale;
                exponent -= ScaleExponent;
            }
        }

        if (exponent != 0)
        {
            p = Math.ScaleB(p, (int)Math.Clamp(exponent, int.MinValue, int.MaxValue));
        }

        return Clip(p);
    }

    private static void Multiply(double[,] left, double[,] right, double[,] result)
    {
        int size = left.GetLength(0);
        for (int i = 0; i < size; i++)
        {
            for (int j = 0; j < size; j++)
            {
                result[i, j] = 0;
            }

            for (int l = 0; l < size; l++)
            {
                double factor = left[i, l];
                if (factor == 0)
                {
                    continue;
                }

                for (int j = 0; j < size; j++)
                {
                    result[i, j] += factor * right[l, j];
                }
            }
        }
    }

    // Pelz and Good's expansion of P(D_n <= d), for moderate n d^2.
    private static double PelzGoodCdf(long n, double x)
    {
        double z = Math.Sqrt(n) * x;
        double zSquared = z * z;
        double zThree = zSquared * z;
        double zFour = zSquared * zSquared;
        double zSix = zFour * zSquared;
        double piSquared = Math.PI * Math.PI;
        double piFour = piSquared * piSquared;
        double piSix = piFour * piSquared;
        double squareRootTwoPi = Math.Sqrt(2 * Math.PI);

        double qLog = -piSquared / 8 / zSquared;
        if (qLog < -708)
        {
            return 0.0;
        }

        double q = Math.Exp(qLog);
        double k1a = -zSquared;
        double k1b = piSquared / 4;
        double k2a = (6 * zSix) + (2 * zFour);
        double k2b = ((2 * zFour) - (5 * zSquared)) * piSquared / 4;
        double k2c = piFour * (1 - (2 * zSquared)) / 16;
        double k3d = piSix * (5 - (30 * zSquared)) / 64;
        double k3c = piFour * ((-60 * zSquared) + (212 * zFour)) / 16;
        double k3b = piSquared * ((135 * zFour) - (96 * zSix)) / 4;
        double k3a = (-30 * zSix) - (90 * Math.Pow(z, 8));

        Span<double> terms = stackalloc double[4];
        int maxK = (int)Math.Ceiling(16 * z / Math.PI);
        for (int k = maxK; k > 0; k--)
        {
            double mOdd = (2 * k) - 1;
            double mSquared = mOdd * mOdd;
            double mFour = mSquared * mSquared;
            double mSix = mFour * mSquared;
            double qPower = Math.Pow(q, 8 * k);
            terms[0] = (terms[0] * qPower) + 1.0;
            terms[1] = (terms[1] * qPower) + k1a + (k1b * mSquared);
            terms[2] = (terms[2] * qPower) + k2a + (k2b * mSquared) + (k2c * mFour);
            terms[3] = (terms[3] * qPower) + k3a + (k3b * mSquared) + (k3c * mFour) + (k3d * mSix);
        }

        terms[0] = terms[0] * q * squareRootTwoPi / z;
        terms[1] = terms[1] * q * squareRootTwoPi / (6 * zFour);
        terms[2] = terms[2] * q * squareRootTwoPi / (72 * Math.Pow(z, 7));
        terms[3] = terms[3] * q * squareRootTwoPi / (6480 * Math.Pow(z, 10));

        q = Math.Exp(-piSquared / 2 / zSquared);
        double k2Extra = 0;
        double k3Extra = 0;
        double squareRootThreeZ = Math.Sqrt(3) * z;
        for (int k = maxK; k > 0; k--)
        {
            double kSquared = (double)k * k;
            double qPower = Math.Pow(q, kSquared);
            double kPi = Math.PI * k;
            k2Extra += kSquared * qPower;
            k3Extra += (squareRootThreeZ + kPi) * (squareRootThreeZ - kPi) * kSquared * qPower;
        }

        terms[2] += k2Extra * piSquared * squareRootTwoPi / (-36 * zThree);
        terms[3] += k3Extra * piSquared * squareRootTwoPi / (216 * zSix);

        double sum = 0;
        for (int i = 0; i < 4; i++)
        {
            sum += terms[i] / Math.Pow(n, i / 2.0);
        }

        return sum;
    }

    private static double Clip(double probability) => Math.Clamp(probability, 0.0, 1.0);
}
