using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ModelMonitoring.Sketches;

/// <summary>
/// The bins a current window's numbers are counted in once a reference exists (NannyML's approach): edges derived
/// once from the reference's distribution, immutable, shared by every window compared with that reference.
/// </summary>
/// <remarks>
/// <para>
/// <b>Bins.</b> The edges e_0 &lt; e_1 &lt; ... &lt; e_(n-1) make n + 1 bins: (-∞, e_0), [e_0, e_1), ...,
/// [e_(n-1), +∞). A value's bin is the number of edges at or below it.
/// </para>
/// <list type="bullet">
/// <item>A reference with at most <see cref="PointValueLimit"/> distinct values (exact value counts, or a sketch that
/// kept few distinct values) gets a point bin [v, next double after v) for each of its values v, so a current value
/// equal to a reference value is counted exactly, and a gap bin between consecutive values.</item>
/// <item>Otherwise: <see cref="QuantileBins"/> equal-frequency bins, whose edges are the reference's quantiles
/// i / <see cref="QuantileBins"/> (i = 0 is the minimum) and the next double after its maximum, plus a point bin for
/// every value holding at least 1 / <see cref="QuantileBins"/> of the reference (an atom, such as a zero-inflated
/// feature's 0).</item>
/// </list>
/// <para>
/// The first and last bins are open: values below the reference's minimum or above its maximum are still counted,
/// and the window keeps its own exact minimum and maximum.
/// </para>
/// <para>
/// <b>Lookup.</b> <see cref="BinOf"/> maps a value to a bucket of an equal-width table over the edges' range with one
/// multiplication, and counts, without branches, how many of the few edges in that bucket (at most
/// <see cref="MaxLeafEdges"/>) are at or below it. A bucket that would hold more edges, as where a heavy-tailed
/// reference crowds its edges into a small part of its range, gets a table of its own over those edges, and so on
/// down; a lookup descends one level per such crowding (one level for most references).
/// </para>
/// </remarks>
internal sealed class QuantileGrid
{
    /// <summary>Equal-frequency bins of a reference with many distinct values.</summary>
    public const int QuantileBins = 1024;

    /// <summary>A reference with at most this many distinct values gets one point bin per value.</summary>
    public const int PointValueLimit = 1024;

    /// <summary>The most edges a bucket of a lookup table holds before it gets a table of its own.</summary>
    public const int MaxLeafEdges = 3;

    // Buckets per edge of a lookup table, and the deepest table (past it, a bucket keeps all its edges).
    private const int BucketsPerEdge = 4;
    private const int MinBuckets = 16;
    private const int MaxDepth = 12;

    // The edges, then LeafEdges copies of +∞ so that BinOf can compare LeafEdges edges from any start.
    private readonly double[] _edges;
    private readonly int _edgeCount;
    private readonly int _leafEdges;

    // The lookup tables; node 0 is the root. A slot is either the index of a bucket's first edge (>= 0) or the
    // complement of the node that refines the bucket (< 0).
    private readonly Node[] _nodes;
    private readonly int[] _slots;

    private QuantileGrid(double[] edges, SortedWeightedValues source, bool pointBins)
    {
        _edgeCount = edges.Length;
        Source = source;
        ReferenceCount = source.TotalWeight;
        PointBins = pointBins;
        var nodes = new List<Node>();
        var slots = new List<int>();
        int leafEdges = 1;
        BuildNode(edges, 0, edges.Length, 0, nodes, slots, ref leafEdges);
        _leafEdges = leafEdges;
        _nodes = [.. nodes];
        _slots = [.. slots];
        _edges = new double[edges.Length + leafEdges];
        edges.CopyTo(_edges, 0);
        Array.Fill(_edges, double.PositiveInfinity, edges.Length, leafEdges);

        // The reference's share below each bin, in it, and its first value in it, for WassersteinTo's per-bin sums.
        int bins = edges.Length + 1;
        ReferenceBelow = new double[bins + 1];
        ReferenceFirst = new int[bins + 1];
        ReferenceMoment = new double[bins];
        ReadOnlySpan<double> values = source.Values;
        ReadOnlySpan<long> weights = source.Weights;
        double total = source.TotalWeight;
        int value = 0;
        double below = 0;
        for (int bin = 0; bin < bins; bin++)
        {
            ReferenceBelow[bin] = below;
            ReferenceFirst[bin] = value;
            double upper = bin == edges.Length ? double.PositiveInfinity : edges[bin];
            double moment = 0;
            while (value < values.Length && values[value] < upper)
            {
                double share = weights[value] / total;
                below += share;
                moment += share * (upper - values[value]);
                value++;
            }

            ReferenceMoment[bin] = double.IsFinite(moment) ? moment : 0;
        }

        ReferenceBelow[bins] = 1;
        ReferenceFirst[bins] = values.Length;
    }

    /// <summary>The reference distribution the grid was derived from.</summary>
    public SortedWeightedValues Source { get; }

    /// <summary>
    /// The reference's share below each bin (index <c>bins</c>: 1), so that its share in bin i is
    /// <c>ReferenceBelow[i + 1] - ReferenceBelow[i]</c>.
    /// </summary>
    public double[] ReferenceBelow { get; }

    /// <summary>The index in <see cref="Source"/> of each bin's first value (index <c>bins</c>: the count of values).</summary>
    public int[] ReferenceFirst { get; }

    /// <summary>
    /// For each bin [L, U), the sum over the reference's values v in it of share(v) × (U - v): with
    /// <see cref="ReferenceBelow"/>, the integral of the reference's cumulative function over the bin is
    /// ReferenceBelow[i] × (U - L) + ReferenceMoment[i]. 0 for the two open bins, which hold no reference value.
    /// </summary>
    public double[] ReferenceMoment { get; }

    /// <summary>How many edges <see cref="BinOf"/> compares in the last table it reaches.</summary>
    public int LeafEdges => _leafEdges;

    /// <summary>How many lookup tables the grid has (1 when no bucket needed refining).</summary>
    public int TableCount => _nodes.Length;

    /// <summary>The edges, strictly increasing and finite.</summary>
    public ReadOnlySpan<double> Edges => _edges.AsSpan(0, _edgeCount);

    /// <summary>How many bins a window counts in: one more than the edges.</summary>
    public int BinCount => _edgeCount + 1;

    /// <summary>The reference's count when the grid was built (a changed reference gets a new grid).</summary>
    public long ReferenceCount { get; }

    /// <summary>Whether every reference value has a point bin of its own.</summary>
    public bool PointBins { get; }

    /// <summary>The smallest value of bin <paramref name="bin"/>, or -∞ for the first.</summary>
    public double LowerBound(int bin) => bin == 0 ? double.NegativeInfinity : _edges[bin - 1];

    /// <summary>The largest value of bin <paramref name="bin"/>, or +∞ for the last.</summary>
    public double UpperBound(int bin) => bin == _edgeCount ? double.PositiveInfinity : Math.BitDecrement(_edges[bin]);

    /// <summary>The grid of a reference distribution, or <see langword="null"/> when it is empty.</summary>
    /// <param name="reference">The reference's distribution (finite values).</param>
    public static QuantileGrid? Build(SortedWeightedValues reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Length == 0 || reference.TotalWeight == 0)
        {
            return null;
        }

        ReadOnlySpan<double> values = reference.Values;
        ReadOnlySpan<long> weights = reference.Weights;
        var edges = new List<double>(Math.Min(values.Length, PointValueLimit) * 2 + QuantileBins + 2);
        bool pointBins = values.Length <= PointValueLimit;
        long total = reference.TotalWeight;
        if (pointBins)
        {
            foreach (double value in values)
            {
                AddPoint(edges, value);
            }
        }
        else
        {
            for (int i = 0; i < QuantileBins; i++)
            {
                edges.Add(reference.Quantile((double)i / QuantileBins));
            }

            edges.Add(Math.BitIncrement(values[^1]));
            for (int i = 0; i < values.Length; i++)
            {
                if (weights[i] * (double)QuantileBins >= total)
                {
                    AddPoint(edges, values[i]);
                }
            }
        }

        edges.RemoveAll(edge => !double.IsFinite(edge));
        edges.Sort();
        int write = 0;
        for (int read = 0; read < edges.Count; read++)
        {
            if (write == 0 || edges[read] != edges[write - 1])
            {
                edges[write++] = edges[read];
            }
        }

        edges.RemoveRange(write, edges.Count - write);
        return edges.Count == 0 ? null : new QuantileGrid([.. edges], reference, pointBins);
    }

    /// <summary>The bin of a finite value: how many edges are at or below it. Allocation-free.</summary>
    /// <param name="value">A finite value (an infinite one would be counted past the last bin).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int BinOf(double value)
    {
        ref Node node = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref int slots = ref MemoryMarshal.GetArrayDataReference(_slots);
        int entry;
        while (true)
        {
            entry = Unsafe.Add(ref slots, node.Offset + node.Bucket(value));
            if (entry >= 0)
            {
                break;
            }

            node = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_nodes), ~entry);
        }

        // The bucket's edges start at entry; the ones after them (next buckets, or the +∞ padding) are above the value.
        ref double edges = ref MemoryMarshal.GetArrayDataReference(_edges);
        int bin = entry;
        int leafEdges = _leafEdges;
        for (int i = 0; i < leafEdges; i++)
        {
            bin += Unsafe.BitCast<bool, byte>(Unsafe.Add(ref edges, entry + i) <= value);
        }

        return bin;
    }

    // Builds the table of edges[first..end) and the tables of its crowded buckets; returns the table's index.
    private static int BuildNode(double[] edges, int first, int end, int depth, List<Node> nodes, List<int> slots, ref int leafEdges)
    {
        int count = end - first;
        int buckets = count <= 1 ? 1 : Math.Max(MinBuckets, BucketsPerEdge * count);
        var node = new Node(edges[first], edges[end - 1], slots.Count, buckets);
        int index = nodes.Count;
        nodes.Add(node);
        int offset = slots.Count;
        for (int bucket = 0; bucket < buckets; bucket++)
        {
            slots.Add(0);
        }

        // The first edge of each bucket, with the very bucket function BinOf uses: for a value in bucket b, every
        // edge before the bucket's first is below it and every edge of a later bucket above it (the function is
        // monotone), so only the bucket's own edges need comparing.
        int edge = first;
        for (int bucket = 0; bucket < buckets; bucket++)
        {
            int bucketStart = edge;
            while (edge < end && node.Bucket(edges[edge]) == bucket)
            {
                edge++;
            }

            int inBucket = edge - bucketStart;
            if (inBucket > MaxLeafEdges && depth < MaxDepth && inBucket < count)
            {
                int child = BuildNode(edges, bucketStart, edge, depth + 1, nodes, slots, ref leafEdges);
                slots[offset + bucket] = ~child;
            }
            else
            {
                slots[offset + bucket] = bucketStart;
                leafEdges = Math.Max(leafEdges, inBucket);
            }
        }

        return index;
    }

    private static void AddPoint(List<double> edges, double value)
    {
        edges.Add(value);
        edges.Add(Math.BitIncrement(value));
    }

    // One lookup table: equal-width buckets from Low, Scale buckets per unit.
    private readonly struct Node
    {
        private readonly double _low;
        private readonly double _scale;
        private readonly double _last;

        public Node(double low, double high, int offset, int buckets)
        {
            _low = low;
            Offset = offset;
            _last = buckets - 1;

            // Always positive and finite, so that a finite value never gives NaN (an infinite range, from edges near
            // ±double.MaxValue, gets a tiny scale; an empty one any scale, since it has a single bucket).
            double range = high - low;
            double scale = buckets / range;
            _scale = buckets == 1 || !(range > 0) ? 1 : double.IsFinite(scale) && scale > 0 ? Math.Min(scale, 1e300) : 1e-300;
        }

        public int Offset { get; }

        // Monotone in the value: a larger value never gets a smaller bucket.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Bucket(double value) =>
            (int)double.MinNative(double.MaxNative((value - _low) * _scale, 0), _last);
    }
}
