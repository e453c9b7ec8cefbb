namespace ModelMonitoring.Detectors;

/// <summary>Which changes of the mean <see cref="PageHinkley"/> looks for.</summary>
public enum ChangeDirection
{
    /// <summary>Increases and decreases (river's <c>mode="both"</c>).</summary>
    Both,

    /// <summary>Increases only (an error rate that gets worse).</summary>
    Increase,

    /// <summary>Decreases only.</summary>
    Decrease,
}

/// <summary>
/// The Page-Hinkley test (Page, 1954), a CUSUM on the deviations from the running mean: the sum
/// <c>S = α S + (x − mean) − δ</c> is compared with its minimum, and a change is reported when the gap exceeds the
/// threshold λ (and, for decreases, the mirror sum). Defaults as river's: 30 values before any detection, δ = 0.005,
/// λ = 50, α = 0.9999. No warning zone.
/// </summary>
public sealed class PageHinkley : IChangeDetector
{
    private long _count;
    private double _mean;
    private double _increase;
    private double _minIncrease;
    private double _decrease;
    private double _maxDecrease;
    private bool _resetNext;

    /// <summary>Creates a detector.</summary>
    /// <param name="minInstances">Values seen before a change can be reported (at least 1).</param>
    /// <param name="delta">Tolerated drift of the mean, subtracted from each deviation.</param>
    /// <param name="threshold">The gap λ between the sum and its extreme that reports a change (positive).</param>
    /// <param name="alpha">The forgetting factor of the sum, in (0, 1].</param>
    /// <param name="direction">Which changes to look for.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public PageHinkley(int minInstances = 30, double delta = 0.005, double threshold = 50, double alpha = 0.9999, ChangeDirection direction = ChangeDirection.Both)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minInstances, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(delta);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threshold);
        if (!(alpha > 0 && alpha <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be in (0, 1].");
        }

        MinInstances = minInstances;
        Delta = delta;
        Threshold = threshold;
        Alpha = alpha;
        Direction = direction;
        Reset();
    }

    /// <inheritdoc />
    public string Name => "page-hinkley";

    /// <summary>Values seen before a change can be reported.</summary>
    public int MinInstances { get; }

    /// <summary>Tolerated drift of the mean.</summary>
    public double Delta { get; }

    /// <summary>The detection threshold λ.</summary>
    public double Threshold { get; }

    /// <summary>The forgetting factor of the sum.</summary>
    public double Alpha { get; }

    /// <summary>Which changes are looked for.</summary>
    public ChangeDirection Direction { get; }

    /// <summary>The running mean since the last change.</summary>
    public double Mean => _mean;

    /// <inheritdoc />
    public bool DriftDetected { get; private set; }

    /// <inheritdoc />
    public bool WarningDetected => false;

    /// <inheritdoc />
    public bool Update(double value)
    {
        if (_resetNext)
        {
            Reset();
        }

        if (!double.IsFinite(value))
        {
            return DriftDetected;
        }

        _count++;
        _mean += (value - _mean) / _count;
        double deviation = value - _mean;
        _increase = (Alpha * _increase) + deviation - Delta;
        _minIncrease = Math.Min(_minIncrease, _increase);
        _decrease = (Alpha * _decrease) + deviation + Delta;
        _maxDecrease = Math.Max(_maxDecrease, _decrease);
        if (_count >= MinInstances)
        {
            bool up = Direction != ChangeDirection.Decrease && _increase - _minIncrease > Threshold;
            bool down = Direction != ChangeDirection.Increase && _maxDecrease - _decrease > Threshold;
            DriftDetected = up || down;
            _resetNext = DriftDetected;
        }

        return DriftDetected;
    }

    /// <inheritdoc />
    public void Reset()
    {
        _count = 0;
        _mean = 0;
        _increase = 0;
        _decrease = 0;
        _minIncrease = double.MaxValue;
        _maxDecrease = double.MinValue;
        DriftDetected = false;
        _resetNext = false;
    }
}
