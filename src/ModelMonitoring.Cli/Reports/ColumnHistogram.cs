using System.Globalization;
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

    private static ColumnHistogram Numerical(double[] reference, double[] current)
    {
        double[]? distinct = DistinctUpTo(reference, current, MaxDistinctValuesAsBars);
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
            foreach (double v in reference)
            {
                refCounts[index[v]]++;
            }

            foreach (double v in current)
            {
                curCounts[index[v]]++;
            }

            return FromCounts(distinct.Select(Format).ToArray(), refCounts, curCounts);
        }

        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in reference)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        foreach (double v in current)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        long n = (long)reference.Length + current.Length;
        int bins = Math.Clamp((int)Math.Ceiling(Math.Log2(n)) + 1, 1, MaxBins);
        double width = (max - min) / bins;
        double[] refBins = new double[bins];
        double[] curBins = new double[bins];
        Count(reference, refBins, min, width);
        Count(current, curBins, min, width);
        string[] labels = new string[bins];
        for (int i = 0; i < bins; i++)
        {
            double lo = min + (i * width);
            double hi = i == bins - 1 ? max : min + ((i + 1) * width);
            labels[i] = $"{Format(lo)} to {Format(hi)}";
        }

        return FromCounts(labels, refBins, curBins);
    }

    private static void Count(double[] values, double[] bins, double min, double width)
    {
        int last = bins.Length - 1;
        foreach (double v in values)
        {
            int i = width > 0 ? (int)((v - min) / width) : 0;
            bins[Math.Clamp(i, 0, last)]++;
        }
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

    private static ColumnHistogram Categorical(string[] reference, string[] current)
    {
        var refCounts = CountLabels(reference);
        var curCounts = CountLabels(current);
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

    private static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
