namespace ModelMonitoring.Performance;

/// <summary>
/// Realized performance of a regressor, as scikit-learn's <c>mean_absolute_error</c>, <c>root_mean_squared_error</c>,
/// <c>mean_absolute_percentage_error</c> and <c>r2_score</c> compute it.
/// </summary>
/// <param name="Rows">How many (actual, predicted) pairs were scored.</param>
/// <param name="Mae">Mean absolute error.</param>
/// <param name="Rmse">Root of the mean squared error.</param>
/// <param name="Mape">Mean of |actual − predicted| / max(|actual|, ε), ε the double's machine epsilon (a ratio: 0.1 is 10 %).</param>
/// <param name="R2">Coefficient of determination; with constant actual values 1 when every prediction is exact, else 0 (scikit-learn's <c>force_finite</c>).</param>
public sealed record RegressionMetrics(long Rows, double Mae, double Rmse, double Mape, double R2)
{
    /// <summary>The metrics by the names <c>mlmon performance</c> prints and <c>ml.model.performance</c> tags: <c>mae</c>, <c>rmse</c>, <c>mape</c>, <c>r2</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> ToNamedValues() =>
        [new("mae", Mae), new("rmse", Rmse), new("mape", Mape), new("r2", R2)];

    /// <summary>Scores predictions against actual values; pairs where either is NaN or infinite are skipped.</summary>
    /// <param name="actual">The true values.</param>
    /// <param name="predicted">The predicted values, as many as <paramref name="actual"/>.</param>
    /// <exception cref="ArgumentException">The lists differ in length.</exception>
    public static RegressionMetrics Compute(IReadOnlyList<double> actual, IReadOnlyList<double> predicted)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        if (actual.Count != predicted.Count)
        {
            throw new ArgumentException($"The columns differ in length: {actual.Count} actual, {predicted.Count} predicted.", nameof(predicted));
        }

        var accumulator = new RegressionAccumulator();
        for (int i = 0; i < actual.Count; i++)
        {
            accumulator.Add(actual[i], predicted[i]);
        }

        return accumulator.ToMetrics();
    }
}

/// <summary>Sums for <see cref="RegressionMetrics"/>, filled one pair at a time for streams and windows. Not thread-safe.</summary>
public sealed class RegressionAccumulator
{
    private const double Epsilon = 2.220446049250313e-16;
    private double _absolute;
    private double _squared;
    private double _percentage;
    private double _mean;
    private double _spread; // Welford's sum of squared deviations of the actual values

    /// <summary>How many pairs were added.</summary>
    public long Rows { get; private set; }

    /// <summary>Adds one pair; a NaN or infinite value is skipped.</summary>
    /// <param name="actual">The true value.</param>
    /// <param name="predicted">The predicted value.</param>
    public void Add(double actual, double predicted)
    {
        if (!double.IsFinite(actual) || !double.IsFinite(predicted))
        {
            return;
        }

        double error = actual - predicted;
        Rows++;
        _absolute += Math.Abs(error);
        _squared += error * error;
        _percentage += Math.Abs(error) / Math.Max(Math.Abs(actual), Epsilon);
        double delta = actual - _mean;
        _mean += delta / Rows;
        _spread += delta * (actual - _mean);
    }

    /// <summary>Forgets every pair.</summary>
    public void Clear()
    {
        Rows = 0;
        _absolute = _squared = _percentage = _mean = _spread = 0;
    }

    /// <summary>The metrics of the pairs so far; NaN with none.</summary>
    public RegressionMetrics ToMetrics()
    {
        if (Rows == 0)
        {
            return new RegressionMetrics(0, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        double r2 = _spread == 0 ? (_squared == 0 ? 1 : 0) : 1 - (_squared / _spread);
        return new RegressionMetrics(Rows, _absolute / Rows, Math.Sqrt(_squared / Rows), _percentage / Rows, r2);
    }
}
