using System.Globalization;
using ModelMonitoring.Sketches;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Cli.Reports;

/// <summary>
/// The reference and current distributions of one column over the same bins, as shares of each side's values,
/// for the report's charts. Numbers with few distinct values get one bar per value, others equal-width bins
/// (Sturges' rule over both sides together, at most <see cref="MaxBins"/>); labels get one bar per category, the
/// most frequent first, the rest folded into one "other" bar.
/// </summary>
/// <param name="Labels">The bars' labels.</param>
/// <param name="ReferenceShares">The reference's share of values per bar.</param>
/// <param name="CurrentShares">The current's share of values per bar.</param>
internal sealed record ColumnHistogram(IReadOnlyList<string> Labels, IReadOnlyList<double> ReferenceShares, IReadOnlyList<double> CurrentShares)
{
    /// <summary>The most bins a numerical histogram uses.</summary>
    public const int MaxBins = 30;

    /// <summary>The most categories shown one by one.</summary>
    public const int MaxCategories = 20;

    private const int MaxDistinctValuesAsBars = 12;

    /// <summary>Computes the histogram of a column.</summary>
    public static ColumnHistogram FromSamples(ColumnSample reference, ColumnSample current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        return reference.Type == ColumnType.Numerical
            ? Numerical(reference.Numbers, current.Numbers)
            : Categorical(reference.Categories, current.Categories);
    }

    /// <summary>Builds a histogram from counts per label (for references that are profiles, not rows).</summary>
    public static ColumnHistogram FromCounts(IReadOnlyList<string> labels, IReadOnlyList<double> referenceCounts, IReadOnlyList<double> currentCounts) =>
        new(labels, Normalize(referenceCounts), Normalize(currentCounts));

    /// <summary>
    /// Computes the histogram from two profiles: exact value counts where the profile keeps them, otherwise the
    /// quantile sketch's weighted values (the shares are then approximate, within the sketch's rank error).
    /// </summary>
    public static ColumnHistogram FromProfiles(FeatureProfile reference, FeatureProfile current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        if (reference.Type == ColumnType.Numerical)
        {
            return Numerical(Weighted.Of(reference.GetDistribution()), Weighted.Of(current.GetDistribution()));
        }

        return Categorical(Counts(reference.Categories), Counts(current.Categories));
    }

    private static Dictionary<string, long> Counts(CategoryCounter? counter)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        if (counter is null)
        {
            return counts;
        }

        foreach (KeyValuePair<string, long> pair in counter.GetCounts())
        {
            counts[pair.Key] = counts.GetValueOrDefault(pair.Key) + pair.Value;
        }

        return counts;
    }

    private static ColumnHistogram Numerical(double[] reference, double[] current) =>
        Numerical(new Weighted(reference, null), new Weighted(current, null));

    private static ColumnHistogram Numerical(Weighted reference, Weighted current)
    {
        double[]? distinct = DistinctUpTo(reference.Values, current.Values, MaxDistinctValuesAsBars);
        if (distinct is not null)
        {
            Array.Sort(distinct);
            var index = new Dictionary<double, int>();
            for (int i = 0; i < distinct.Length; i++)
            {
                index[distinct[i]] = i;
            }

            double[] refCounts = new double[distinct.Length];
            double[] curCounts = new double[distinct.Length];
            reference.AddTo(refCounts, v => index[v]);
            current.AddTo(curCounts, v => index[v]);
            double gap = distinct.Length > 1 ? distinct.Zip(distinct.Skip(1), (a, b) => b - a).Min() : 0;
            return FromCounts(distinct.Select(v => FormatNumber(v, gap)).ToArray(), refCounts, curCounts);
        }

        double min = Math.Min(reference.Min(), current.Min());
        double max = Math.Max(reference.Max(), current.Max());
        double n = reference.Total + current.Total;
        int bins = Math.Clamp((int)Math.Ceiling(Math.Log2(Math.Max(n, 1))) + 1, 1, MaxBins);
        double width = (max - min) / bins;
        int last = bins - 1;
        int Bin(double v) => width > 0 ? Math.Clamp((int)((v - min) / width), 0, last) : 0;
        double[] refBins = new double[bins];
        double[] curBins = new double[bins];
        reference.AddTo(refBins, Bin);
        current.AddTo(curBins, Bin);
        string[] labels = new string[bins];
        for (int i = 0; i < bins; i++)
        {
            double lo = min + (i * width);
            double hi = i == last ? max : min + ((i + 1) * width);
            labels[i] = $"{FormatNumber(lo, width)} to {FormatNumber(hi, width)}";
        }

        return FromCounts(labels, refBins, curBins);
    }

    private static double[]? DistinctUpTo(double[] a, double[] b, int limit)
    {
        var set = new HashSet<double>();
        foreach (double[] values in new[] { a, b })
        {
            foreach (double v in values)
            {
                if (set.Add(v) && set.Count > limit)
                {
                    return null;
                }
            }
        }

        return set.ToArray();
    }

    /// <summary>Values with optional weights (null: every value counts once).</summary>
    private readonly record struct Weighted(double[] Values, long[]? Weights)
    {
        public double Total => Weights is null ? Values.Length : Weights.Sum();

        public static Weighted Of(SortedWeightedValues distribution) => new(distribution.Values.ToArray(), distribution.Weights.ToArray());

        public double Min() => Values.Length == 0 ? double.PositiveInfinity : Values.Min();

        public double Max() => Values.Length == 0 ? double.NegativeInfinity : Values.Max();

        public void AddTo(double[] counts, Func<double, int> bin)
        {
            for (int i = 0; i < Values.Length; i++)
            {
                counts[bin(Values[i])] += Weights is null ? 1 : Weights[i];
            }
        }
    }

    private static ColumnHistogram Categorical(string[] reference, string[] current) =>
        Categorical(CountLabels(reference), CountLabels(current));

    private static ColumnHistogram Categorical(Dictionary<string, long> refCounts, Dictionary<string, long> curCounts)
    {
        string[] all = refCounts.Keys.Union(curCounts.Keys, StringComparer.Ordinal)
            .OrderByDescending(k => refCounts.GetValueOrDefault(k) + curCounts.GetValueOrDefault(k))
            .ThenBy(k => k, StringComparer.Ordinal)
            .ToArray();
        string[] shown = all.Take(MaxCategories).ToArray();
        var labels = new List<string>(shown);
        var r = shown.Select(k => (double)refCounts.GetValueOrDefault(k)).ToList();
        var c = shown.Select(k => (double)curCounts.GetValueOrDefault(k)).ToList();
        if (all.Length > shown.Length)
        {
            string[] rest = all[shown.Length..];
            labels.Add($"({rest.Length} other categories)");
            r.Add(rest.Sum(k => (double)refCounts.GetValueOrDefault(k)));
            c.Add(rest.Sum(k => (double)curCounts.GetValueOrDefault(k)));
        }

        return FromCounts(labels, r, c);
    }

    private static Dictionary<string, long> CountLabels(string[] values)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string v in values)
        {
            counts[v] = counts.GetValueOrDefault(v) + 1;
        }

        return counts;
    }

    private static double[] Normalize(IReadOnlyList<double> counts)
    {
        double total = counts.Sum();
        return counts.Select(c => total > 0 ? c / total : 0).ToArray();
    }

    /// <summary>
    /// A bin bound or value for a label: plain digits with thousands separators and as many decimals as the step
    /// between labels needs (<c>50,000 to 57,481</c>, <c>0.000072 to 0.000143</c>), never E-notation except beyond
    /// 1e15 or for steps below 1e-10.
    /// </summary>
    /// <param name="value">The number.</param>
    /// <param name="step">The difference between neighbouring labels (0 when unknown).</param>
    internal static string FormatNumber(double value, double step)
    {
        double magnitude = Math.Abs(value);
        if (value == 0)
        {
            return "0";
        }

        bool stepKnown = step > 0 && double.IsFinite(step);
        if (magnitude >= 1e15 || (stepKnown ? step < 1e-10 : magnitude < 1e-6))
        {
            return value.ToString("0.###e+0", CultureInfo.InvariantCulture);
        }

        int decimals = stepKnown
            ? Math.Clamp((int)Math.Ceiling(-Math.Log10(step)) + 1, 0, 12)
            : Math.Clamp(4 - (int)Math.Floor(Math.Log10(magnitude)), 0, 10);
        return value.ToString(decimals == 0 ? "#,0" : "#,0." + new string('#', decimals), CultureInfo.InvariantCulture);
    }
}
