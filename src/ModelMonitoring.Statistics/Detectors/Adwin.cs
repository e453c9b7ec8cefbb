namespace ModelMonitoring.Detectors;

/// <summary>
/// ADWIN, the adaptive window of Bifet and Gavaldà (2007): it keeps the stream's recent values in an exponential
/// histogram (at most <see cref="MaxBuckets"/> buckets of each size 1, 2, 4...) and drops its oldest part whenever two
/// sub-windows have means that differ by more than the bound ε_cut = √(2 σ² ln(2 ln n / δ) / m) + 2 ln(2 ln n / δ) / (3 m),
/// with m the harmonic mean of the two lengths (less <see cref="MinWindowLength"/>). A detection is such a drop.
/// Defaults as river's: δ = 0.002, cuts checked every 32 values (the clock), 5 buckets per size, sub-windows of at
/// least 5 values, no check before 10 values.
/// </summary>
public sealed class Adwin : IChangeDetector
{
    private readonly List<BucketRow> _rows = []; // row i holds buckets of 2^i values, oldest first; row 0 is the newest
    private long _ticks;

    /// <summary>Creates a detector.</summary>
    /// <param name="delta">The confidence δ of a cut, in (0, 1): lower reports fewer, larger changes.</param>
    /// <param name="clock">Cuts are checked every this many values (at least 1).</param>
    /// <param name="maxBuckets">Buckets kept per size before two are merged (at least 2).</param>
    /// <param name="minWindowLength">The least values on each side of a cut (at least 1).</param>
    /// <param name="gracePeriod">Values seen before cuts are checked (at least 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public Adwin(double delta = 0.002, int clock = 32, int maxBuckets = 5, int minWindowLength = 5, int gracePeriod = 10)
    {
        if (!(delta > 0 && delta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "delta must be in (0, 1).");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(clock, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBuckets, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(minWindowLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(gracePeriod, 1);
        Delta = delta;
        Clock = clock;
        MaxBuckets = maxBuckets;
        MinWindowLength = minWindowLength;
        GracePeriod = gracePeriod;
    }

    /// <inheritdoc />
    public string Name => "adwin";

    /// <summary>The confidence of a cut.</summary>
    public double Delta { get; }

    /// <summary>Cuts are checked every this many values.</summary>
    public int Clock { get; }

    /// <summary>Buckets kept per size.</summary>
    public int MaxBuckets { get; }

    /// <summary>The least values on each side of a cut.</summary>
    public int MinWindowLength { get; }

    /// <summary>Values seen before cuts are checked.</summary>
    public int GracePeriod { get; }

    /// <summary>How many values the window holds.</summary>
    public long Width { get; private set; }

    /// <summary>The sum of the window's values.</summary>
    public double Total { get; private set; }

    /// <summary>The sum of squared deviations of the window's values from their mean.</summary>
    public double Variance { get; private set; }

    /// <summary>The window's mean.</summary>
    public double Estimation => Width == 0 ? 0 : Total / Width;

    /// <inheritdoc />
    public bool DriftDetected { get; private set; }

    /// <inheritdoc />
    public bool WarningDetected => false;

    /// <inheritdoc />
    public bool Update(double value)
    {
        DriftDetected = false;
        if (!double.IsFinite(value))
        {
            return false;
        }

        Insert(value);
        _ticks++;
        if (_ticks % Clock == 0 && Width > GracePeriod)
        {
            DriftDetected = CutWhileChanged();
        }

        return DriftDetected;
    }

    /// <inheritdoc />
    public void Reset()
    {
        _rows.Clear();
        _ticks = 0;
        Width = 0;
        Total = 0;
        Variance = 0;
        DriftDetected = false;
    }

    private void Insert(double value)
    {
        if (Width > 0)
        {
            double mean = Total / Width;
            Variance += Width * (value - mean) * (value - mean) / (Width + 1);
        }

        Width++;
        Total += value;
        if (_rows.Count == 0)
        {
            _rows.Add(new BucketRow(MaxBuckets + 2));
        }

        _rows[0].Add(value, 0);
        for (int level = 0; level < _rows.Count; level++)
        {
            BucketRow row = _rows[level];
            if (row.Count <= MaxBuckets)
            {
                break;
            }

            // Merge the row's two oldest buckets into one of the next size.
            double size = 1L << level;
            (double total1, double variance1) = row.RemoveOldest();
            (double total2, double variance2) = row.RemoveOldest();
            double difference = (total1 / size) - (total2 / size);
            double variance = variance1 + variance2 + (size * size * difference * difference / (2 * size));
            if (level + 1 == _rows.Count)
            {
                _rows.Add(new BucketRow(MaxBuckets + 2));
            }

            _rows[level + 1].Add(total1 + total2, variance);
        }
    }

    /// <summary>Drops the oldest bucket while some cut of the window shows a change; true when one was dropped.</summary>
    private bool CutWhileChanged()
    {
        bool changed = false;
        bool cut = true;
        while (cut && Width > 0)
        {
            cut = false;
            double confidence = Math.Log(2 * Math.Log(Width) / Delta);
            double variance = Variance / Width;
            double n0 = 0, u0 = 0;
            double n1 = Width, u1 = Total;
            for (int level = _rows.Count - 1; level >= 0 && !cut; level--)
            {
                BucketRow row = _rows[level];
                double size = 1L << level;
                for (int k = 0; k < row.Count; k++)
                {
                    double total = row[k].Total;
                    n0 += size;
                    n1 -= size;
                    u0 += total;
                    u1 -= total;
                    if (n1 < MinWindowLength)
                    {
                        break;
                    }

                    if (n0 >= MinWindowLength && IsCut(n0, n1, u0, u1, confidence, variance))
                    {
                        cut = true;
                        changed = true;
                        RemoveOldestBucket();
                        break;
                    }
                }
            }
        }

        return changed;
    }

    private bool IsCut(double n0, double n1, double u0, double u1, double confidence, double variance)
    {
        double meanDifference = Math.Abs((u0 / n0) - (u1 / n1));
        double inverseLength = (1 / (n0 - MinWindowLength + 1)) + (1 / (n1 - MinWindowLength + 1));
        double epsilon = Math.Sqrt(2 * inverseLength * variance * confidence) + (2.0 / 3 * confidence * inverseLength);
        return meanDifference > epsilon;
    }

    private void RemoveOldestBucket()
    {
        int level = _rows.Count - 1;
        BucketRow row = _rows[level];
        double size = 1L << level;
        (double total, double variance) = row.RemoveOldest();
        double mean = total / size;
        Width -= (long)size;
        if (Width <= 0)
        {
            Width = 0;
            Total = 0;
            Variance = 0;
        }
        else
        {
            double rest = (Total - total) / Width;
            Variance -= variance + (size * Width * Square(mean - rest) / (size + Width));
            Variance = Math.Max(Variance, 0);
            Total -= total;
        }

        if (row.Count == 0)
        {
            _rows.RemoveAt(level);
        }
    }

    private static double Square(double x) => x * x;

    /// <summary>The buckets of one size, oldest first, in a small ring.</summary>
    private sealed class BucketRow
    {
        private readonly (double Total, double Variance)[] _items;
        private int _head;

        public BucketRow(int capacity) => _items = new (double, double)[capacity];

        public int Count { get; private set; }

        public (double Total, double Variance) this[int index] => _items[(_head + index) % _items.Length];

        public void Add(double total, double variance)
        {
            _items[(_head + Count) % _items.Length] = (total, variance);
            Count++;
        }

        public (double Total, double Variance) RemoveOldest()
        {
            (double Total, double Variance) oldest = _items[_head];
            _head = (_head + 1) % _items.Length;
            Count--;
            return oldest;
        }
    }
}
