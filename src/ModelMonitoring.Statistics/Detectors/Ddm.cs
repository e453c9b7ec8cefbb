namespace ModelMonitoring.Detectors;

/// <summary>
/// The Drift Detection Method (Gama et al., 2004) on a stream of 0/1 errors: with p the error rate so far and
/// s = √(p(1 − p)/n), it remembers the point where p + s was lowest, and warns when p + s exceeds
/// p_min + 2 s_min, reports a change past p_min + 3 s_min. Defaults as river's: a warm start of 30 values, warning
/// 2.0, drift 3.0. The minimum is only taken once an error was seen: after a perfect start, a zero spread would turn
/// the first error into a change.
/// </summary>
public sealed class Ddm : IChangeDetector
{
    private long _count;
    private double _errorRate;
    private double _minRate;
    private double _minSpread;
    private double _minSum;
    private bool _resetNext;

    /// <summary>Creates a detector.</summary>
    /// <param name="warmStart">Values seen before the minimum is tracked and anything is reported (at least 1).</param>
    /// <param name="warningThreshold">Standard deviations above the minimum that start the warning zone.</param>
    /// <param name="driftThreshold">Standard deviations above the minimum that report a change (at least the warning threshold).</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public Ddm(int warmStart = 30, double warningThreshold = 2.0, double driftThreshold = 3.0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(warmStart, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(warningThreshold);
        ArgumentOutOfRangeException.ThrowIfLessThan(driftThreshold, warningThreshold);
        WarmStart = warmStart;
        WarningThreshold = warningThreshold;
        DriftThreshold = driftThreshold;
        Reset();
    }

    /// <inheritdoc />
    public string Name => "ddm";

    /// <summary>Values seen before anything is reported.</summary>
    public int WarmStart { get; }

    /// <summary>Standard deviations above the minimum that start the warning zone.</summary>
    public double WarningThreshold { get; }

    /// <summary>Standard deviations above the minimum that report a change.</summary>
    public double DriftThreshold { get; }

    /// <summary>The error rate since the last change.</summary>
    public double ErrorRate => _errorRate;

    /// <inheritdoc />
    public bool DriftDetected { get; private set; }

    /// <inheritdoc />
    public bool WarningDetected { get; private set; }

    /// <summary>Takes the next error: any value other than 0 counts as an error (1).</summary>
    /// <param name="value">0 for a correct prediction, 1 (or anything non-zero) for a wrong one; NaN is ignored.</param>
    public bool Update(double value)
    {
        if (_resetNext)
        {
            Reset();
        }

        if (double.IsNaN(value))
        {
            return DriftDetected;
        }

        double error = value != 0 ? 1 : 0;
        _count++;
        _errorRate += (error - _errorRate) / _count;
        double spread = Math.Sqrt(_errorRate * (1 - _errorRate) / _count);
        WarningDetected = false;
        if (_count < WarmStart)
        {
            return false;
        }

        if (_errorRate > 0 && _errorRate + spread <= _minSum) // a perfect start has no spread to compare with
        {
            _minRate = _errorRate;
            _minSpread = spread;
            _minSum = _errorRate + spread;
        }

        if (_errorRate + spread > _minRate + (DriftThreshold * _minSpread))
        {
            DriftDetected = true;
            _resetNext = true;
        }
        else if (_errorRate + spread > _minRate + (WarningThreshold * _minSpread))
        {
            WarningDetected = true;
        }

        return DriftDetected;
    }

    /// <inheritdoc />
    public void Reset()
    {
        _count = 0;
        _errorRate = 0;
        _minRate = double.MaxValue;
        _minSpread = double.MaxValue;
        _minSum = double.MaxValue;
        DriftDetected = false;
        WarningDetected = false;
        _resetNext = false;
    }
}
