using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ModelMonitoring.Outliers;

/// <summary>
/// An isolation forest (Liu, Ting and Zhou, "Isolation Forest", ICDM 2008), grown as scikit-learn's
/// <c>IsolationForest</c> grows it: each tree is built from <see cref="SamplesPerTree"/> rows drawn without replacement,
/// splits on a random feature (among those not constant in the node) at a point drawn uniformly between the node's
/// minimum and maximum, and stops at depth ⌈log₂ ψ⌉ or at one row. A row's path length in a tree is the depth of its
/// leaf plus c(n) for the n training rows left there, where c(n) = 2 H(n − 1) − 2 (n − 1) / n is the average path length
/// of an unsuccessful search in a binary search tree of n nodes; its anomaly score is 2^(−E[h(x)] / c(ψ)), in (0, 1],
/// higher for more anomalous rows: near 1 for rows isolated at once, about 0.5 or less for ordinary rows. This is
/// scikit-learn's <c>-score_samples(X)</c>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Threshold.</b> <see cref="Threshold"/> comes from <see cref="IsolationForestOptions.Contamination"/>: 0.5 for
/// <c>auto</c>, else the (1 − contamination) quantile of the training rows' scores; a row is an outlier when its score
/// is above it, as <c>IsolationForest.predict</c> returns −1.
/// </para>
/// <para>
/// <b>Missing values.</b> scikit-learn rejects them. Here a missing value (NaN or ±Infinity) takes the training median of
/// its feature, in fitting and in scoring, so that a row with a gap is judged on the rest of it.
/// </para>
/// <para>
/// <b>Cost.</b> <see cref="Score(ReadOnlySpan{double})"/> allocates nothing: the trees are one array of 16-byte nodes
/// laid out depth first (a node's left child follows it), and a row visits about log₂ ψ nodes per tree. Thread-safe
/// once built: scoring only reads.
/// </para>
/// <para>
/// <b>Randomness.</b> The draws come from a xoshiro256** generator seeded with <see cref="Seed"/>: a seed gives the same
/// forest everywhere, but not the forest scikit-learn grows with the same <c>random_state</c> (its generator is numpy's).
/// Scores of two forests agree in rank, not exactly (see <c>docs/quality.md</c> for the measured agreement).
/// </para>
/// </remarks>
public sealed class IsolationForest
{
    private const double FeatureThreshold = 1e-7; // scikit-learn's: a feature whose range in a node is below it is constant

    private readonly string[] _features;
    private readonly double[] _medians;
    private readonly Node[] _nodes;
    private readonly int[] _roots;
    private readonly double _normalizer;

    private IsolationForest(string[] features, double[] medians, Node[] nodes, int[] roots, int samplesPerTree, int seed, OutlierContamination contamination, double threshold, long trainingRows)
    {
        _features = features;
        _medians = medians;
        _nodes = nodes;
        _roots = roots;
        SamplesPerTree = samplesPerTree;
        Seed = seed;
        Contamination = contamination;
        Threshold = threshold;
        TrainingRows = trainingRows;
        _normalizer = AveragePathLength(samplesPerTree);
    }

    /// <summary>The features, in the order <see cref="Score(ReadOnlySpan{double})"/> expects a row's values.</summary>
    public IReadOnlyList<string> Features => _features;

    /// <summary>The training median of each feature: what a missing value is replaced with.</summary>
    public IReadOnlyList<double> Medians => _medians;

    /// <summary>The number of trees.</summary>
    public int TreeCount => _roots.Length;

    /// <summary>How many rows each tree was grown from (ψ): the option, or the training rows when fewer.</summary>
    public int SamplesPerTree { get; }

    /// <summary>The seed the forest was grown with.</summary>
    public int Seed { get; }

    /// <summary>How <see cref="Threshold"/> was chosen.</summary>
    public OutlierContamination Contamination { get; }

    /// <summary>A row whose score is above this is an outlier.</summary>
    public double Threshold { get; }

    /// <summary>How many rows the forest was fitted on.</summary>
    public long TrainingRows { get; }

    /// <summary>The forest's nodes: 16 bytes each.</summary>
    public int NodeCount => _nodes.Length;

    /// <summary>
    /// Grows a forest on training data held by column.
    /// </summary>
    /// <param name="features">The features' names, one per column.</param>
    /// <param name="columns">One array per feature, each with one value per training row (NaN or ±Infinity: missing).</param>
    /// <param name="options">Trees, samples per tree, seed and contamination; null: scikit-learn's defaults with seed 0.</param>
    /// <exception cref="ArgumentException">No feature, columns of different lengths, fewer than 2 rows, or an invalid option.</exception>
    public static IsolationForest Fit(IReadOnlyList<string> features, IReadOnlyList<double[]> columns, IsolationForestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(columns);
        options ??= new IsolationForestOptions();
        IReadOnlyList<string> errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid isolation forest options: " + string.Join(" ", errors), nameof(options));
        }

        if (features.Count == 0 || features.Count != columns.Count)
        {
            throw new ArgumentException($"An isolation forest needs at least one feature and one column per feature (got {features.Count} names and {columns.Count} columns).", nameof(columns));
        }

        int rows = columns[0]?.Length ?? throw new ArgumentNullException(nameof(columns));
        foreach (double[] column in columns)
        {
            ArgumentNullException.ThrowIfNull(column, nameof(columns));
            if (column.Length != rows)
            {
                throw new ArgumentException($"Every column needs the same number of rows (got {rows} and {column.Length}).", nameof(columns));
            }
        }

        if (rows < 2)
        {
            throw new ArgumentException($"An isolation forest needs at least 2 training rows (got {rows}).", nameof(columns));
        }

        // Missing values take the feature's median: in a copy, only for the columns that have some.
        int width = columns.Count;
        var medians = new double[width];
        var data = new double[width][];
        for (int f = 0; f < width; f++)
        {
            double[] column = columns[f];
            RobustZScore robust = RobustZScore.Fit(column);
            medians[f] = double.IsNaN(robust.Median) ? 0 : robust.Median;
            data[f] = column;
            if (Array.Exists(column, v => !double.IsFinite(v)))
            {
                double[] filled = (double[])column.Clone();
                for (int i = 0; i < filled.Length; i++)
                {
                    if (!double.IsFinite(filled[i]))
                    {
                        filled[i] = medians[f];
                    }
                }

                data[f] = filled;
            }
        }

        int psi = Math.Min(options.SamplesPerTree, rows);
        int maxDepth = (int)Math.Ceiling(Math.Log2(Math.Max(psi, 2)));
        var random = new OutlierRandom((ulong)(uint)options.Seed);
        var nodes = new List<Node>(options.Trees * ((2 * psi) - 1));
        var roots = new int[options.Trees];
        var builder = new TreeBuilder(data, psi, maxDepth, nodes);
        int[] population = rows <= 4 * psi ? new int[rows] : [];
        var chosen = population.Length == 0 ? new HashSet<int>(psi) : null;
        for (int tree = 0; tree < options.Trees; tree++)
        {
            roots[tree] = nodes.Count;
            Span<int> sample = builder.Sample;
            if (chosen is null)
            {
                // A partial Fisher-Yates shuffle of every row index: the first psi are the sample.
                for (int i = 0; i < rows; i++)
                {
                    population[i] = i;
                }

                for (int i = 0; i < psi; i++)
                {
                    int j = i + random.NextInt(rows - i);
                    (population[i], population[j]) = (population[j], population[i]);
                    sample[i] = population[i];
                }
            }
            else
            {
                // Many more rows than samples: draw until psi distinct rows are found.
                chosen.Clear();
                int filled = 0;
                while (filled < psi)
                {
                    int candidate = random.NextInt(rows);
                    if (chosen.Add(candidate))
                    {
                        sample[filled++] = candidate;
                    }
                }
            }

            builder.Build(ref random);
        }

        var forest = new IsolationForest([.. features], medians, [.. nodes], roots, psi, options.Seed, options.Contamination, 0.5, rows);
        if (options.Contamination.Share is not { } share)
        {
            return forest;
        }

        // scikit-learn's offset_: the contamination quantile of the training rows' own scores (numpy's linear rule).
        var scores = new double[rows];
        Parallel.For(0, (rows + 4095) / 4096, chunk =>
        {
            Span<double> row = width <= 256 ? stackalloc double[width] : new double[width];
            int end = Math.Min(rows, (chunk + 1) * 4096);
            for (int i = chunk * 4096; i < end; i++)
            {
                for (int f = 0; f < width; f++)
                {
                    row[f] = data[f][i];
                }

                scores[i] = forest.Score(row);
            }
        });
        Array.Sort(scores);
        return forest.WithThreshold(Quantile(scores, 1 - share));
    }

    /// <summary>
    /// The anomaly score of a row, in (0, 1]: higher is more anomalous (above <see cref="Threshold"/>: an outlier).
    /// Allocates nothing.
    /// </summary>
    /// <param name="row">One value per feature, in the order of <see cref="Features"/>; NaN or ±Infinity: missing.</param>
    /// <exception cref="ArgumentException">The row does not have one value per feature.</exception>
    public double Score(ReadOnlySpan<double> row)
    {
        if (row.Length != _features.Length)
        {
            throw new ArgumentException($"The row has {row.Length} values; the forest has {_features.Length} features ({string.Join(", ", _features)}).", nameof(row));
        }

        for (int f = 0; f < row.Length; f++)
        {
            if (!double.IsFinite(row[f]))
            {
                return ScoreWithMissing(row);
            }
        }

        return Math.Pow(2, -PathLengthSum(row) / _roots.Length / _normalizer);
    }

    /// <summary>Whether a score is above <see cref="Threshold"/>.</summary>
    public bool IsOutlier(double score) => score > Threshold;

    /// <summary>The same trees with another threshold.</summary>
    /// <param name="threshold">Scores above it are outliers.</param>
    public IsolationForest WithThreshold(double threshold)
    {
        if (double.IsNaN(threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be a number.");
        }

        return new IsolationForest(_features, _medians, _nodes, _roots, SamplesPerTree, Seed, Contamination, threshold, TrainingRows);
    }

    /// <summary>
    /// c(n): the average path length of an unsuccessful search in a binary search tree of n nodes, 2 H(n − 1) − 2 (n − 1) / n
    /// with H(i) ≈ ln i + γ; 0 for n ≤ 1 and 1 for n = 2 (scikit-learn's <c>_average_path_length</c>).
    /// </summary>
    public static double AveragePathLength(long n)
    {
        if (n <= 1)
        {
            return 0;
        }

        if (n == 2)
        {
            return 1;
        }

        return (2.0 * (Math.Log(n - 1.0) + 0.57721566490153286)) - (2.0 * (n - 1.0) / n);
    }

    private double ScoreWithMissing(ReadOnlySpan<double> row)
    {
        Span<double> filled = row.Length <= 256 ? stackalloc double[row.Length] : new double[row.Length];
        for (int f = 0; f < row.Length; f++)
        {
            filled[f] = double.IsFinite(row[f]) ? row[f] : _medians[f];
        }

        return Math.Pow(2, -PathLengthSum(filled) / _roots.Length / _normalizer);
    }

    private double PathLengthSum(ReadOnlySpan<double> row)
    {
        ref Node nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref double values = ref MemoryMarshal.GetReference(row);
        double total = 0;
        foreach (int root in _roots)
        {
            int i = root;
            Node node = Unsafe.Add(ref nodes, i);
            while (node.Feature >= 0)
            {
                // Indices were checked when the forest was built or read: a child always lies inside the array.
                i = Unsafe.Add(ref values, node.Feature) <= node.Value ? i + 1 : node.Right;
                node = Unsafe.Add(ref nodes, i);
            }

            total += node.Value;
        }

        return total;
    }

    private static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        double fraction = position - below;
        return sorted[below] + ((sorted[above] - sorted[below]) * fraction);
    }

    // Persistence: the trees as arrays per tree (feature, value, right), indices relative to the tree's root.
    internal IEnumerable<(int[] Feature, double[] Value, int[] Right)> Trees()
    {
        for (int t = 0; t < _roots.Length; t++)
        {
            int start = _roots[t];
            int end = t + 1 < _roots.Length ? _roots[t + 1] : _nodes.Length;
            var feature = new int[end - start];
            var value = new double[end - start];
            var right = new int[end - start];
            for (int i = start; i < end; i++)
            {
                feature[i - start] = _nodes[i].Feature;
                value[i - start] = _nodes[i].Value;
                right[i - start] = _nodes[i].Feature >= 0 ? _nodes[i].Right - start : 0;
            }

            yield return (feature, value, right);
        }
    }

    /// <summary>Rebuilds a forest from its saved parts; null with a message naming the problem when they are not a valid forest.</summary>
    internal static IsolationForest? TryRestore(
        string[] features,
        double[] medians,
        IReadOnlyList<(int[] Feature, double[] Value, int[] Right)> trees,
        int samplesPerTree,
        int seed,
        OutlierContamination contamination,
        double threshold,
        long trainingRows,
        out string? problem)
    {
        problem = null;
        if (features.Length == 0 || medians.Length != features.Length)
        {
            problem = $"has {features.Length} features and {medians.Length} medians; expected at least one feature and one median each";
            return null;
        }

        if (Array.Exists(medians, m => !double.IsFinite(m)))
        {
            problem = "has a median that is not a finite number";
            return null;
        }

        if (trees.Count < 1 || trees.Count > IsolationForestOptions.MaxTrees)
        {
            problem = $"has {trees.Count} trees; expected 1 to {IsolationForestOptions.MaxTrees}";
            return null;
        }

        if (samplesPerTree < 2 || samplesPerTree > IsolationForestOptions.MaxSamplesPerTree)
        {
            problem = $"has samples_per_tree {samplesPerTree}; expected 2 to {IsolationForestOptions.MaxSamplesPerTree}";
            return null;
        }

        if (double.IsNaN(threshold) || trainingRows < 2)
        {
            problem = $"has threshold {threshold} and training_rows {trainingRows}; expected a number and at least 2 rows";
            return null;
        }

        int maxNodes = (2 * samplesPerTree) - 1;
        var nodes = new List<Node>();
        var roots = new int[trees.Count];
        var open = new Stack<int>();
        for (int t = 0; t < trees.Count; t++)
        {
            (int[] feature, double[] value, int[] right) = trees[t];
            int n = feature.Length;
            if (n < 1 || n > maxNodes || value.Length != n || right.Length != n)
            {
                problem = $"tree {t} has {feature.Length} features, {value.Length} values and {right.Length} right children; expected as many of each, 1 to {maxNodes}";
                return null;
            }

            // Depth first: a node's left child follows it; its right child starts where the left subtree ends.
            open.Clear();
            open.Push(0);
            int next = 0;
            while (open.Count > 0)
            {
                int i = open.Pop();
                if (i != next || i >= n)
                {
                    problem = $"tree {t} is not a binary tree laid out depth first (node {i} where node {next} was expected)";
                    return null;
                }

                next++;
                if (!double.IsFinite(value[i]))
                {
                    problem = $"tree {t} node {i} has a value that is not a finite number";
                    return null;
                }

                if (feature[i] == -1)
                {
                    if (value[i] < 0)
                    {
                        problem = $"tree {t} leaf {i} has a negative path length";
                        return null;
                    }

                    continue;
                }

                if (feature[i] < 0 || feature[i] >= features.Length || right[i] <= i + 1 || right[i] >= n)
                {
                    problem = $"tree {t} node {i} has feature {feature[i]} and right child {right[i]}; expected a feature 0 to {features.Length - 1} and a child after its left subtree";
                    return null;
                }

                open.Push(right[i]);
                open.Push(i + 1);
            }

            if (next != n)
            {
                problem = $"tree {t} has {n - next} nodes no path reaches";
                return null;
            }

            roots[t] = nodes.Count;
            for (int i = 0; i < n; i++)
            {
                nodes.Add(new Node(feature[i], feature[i] >= 0 ? right[i] + roots[t] : 0, value[i]));
            }
        }

        return new IsolationForest(features, medians, [.. nodes], roots, samplesPerTree, seed, contamination, threshold, trainingRows);
    }

    /// <summary>One node: a split (feature ≥ 0, value = threshold, left child next) or a leaf (feature −1, value = path length).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Node(int Feature, int Right, double Value);

    /// <summary>Grows one tree at a time from a sample of row indices, partitioning them in place.</summary>
    private sealed class TreeBuilder(double[][] data, int psi, int maxDepth, List<Node> nodes)
    {
        private readonly int[] _sample = new int[psi];
        private readonly int[] _features = Enumerable.Range(0, data.Length).ToArray();

        public Span<int> Sample => _sample;

        public void Build(ref OutlierRandom random) => Grow(0, psi, 0, ref random);

        private void Grow(int start, int end, int depth, ref OutlierRandom random)
        {
            int count = end - start;
            if (depth >= maxDepth || count <= 1)
            {
                nodes.Add(new Node(-1, 0, depth + AveragePathLength(count)));
                return;
            }

            // Draw features without replacement until one is not constant in the node (scikit-learn's random splitter
            // with max_features=1 skips constant features and does not count them).
            int remaining = _features.Length;
            while (remaining > 0)
            {
                int pick = random.NextInt(remaining);
                int feature = _features[pick];
                (_features[pick], _features[remaining - 1]) = (_features[remaining - 1], _features[pick]);
                remaining--;

                double[] column = data[feature];
                double min = double.PositiveInfinity;
                double max = double.NegativeInfinity;
                for (int i = start; i < end; i++)
                {
                    double v = column[_sample[i]];
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                }

                if (max <= min + FeatureThreshold)
                {
                    continue;
                }

                double threshold = min + ((max - min) * random.NextDouble());
                if (threshold >= max)
                {
                    threshold = min;
                }

                // Rows at or below the threshold go left, as in scikit-learn; both sides are non-empty.
                int middle = start;
                for (int i = start; i < end; i++)
                {
                    if (column[_sample[i]] <= threshold)
                    {
                        (_sample[i], _sample[middle]) = (_sample[middle], _sample[i]);
                        middle++;
                    }
                }

                int index = nodes.Count;
                nodes.Add(default);
                Grow(start, middle, depth + 1, ref random);
                nodes[index] = new Node(feature, nodes.Count, threshold);
                Grow(middle, end, depth + 1, ref random);
                return;
            }

            nodes.Add(new Node(-1, 0, depth + AveragePathLength(count)));
        }
    }
}
