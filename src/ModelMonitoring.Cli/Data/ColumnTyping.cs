using ModelMonitoring.Statistics;

namespace ModelMonitoring.Cli.Data;

/// <summary>A column ready to compare: its reference and current samples share a name and a type.</summary>
/// <param name="Reference">The reference values.</param>
/// <param name="Current">The current values.</param>
internal sealed record ColumnPair(ColumnSample Reference, ColumnSample Current)
{
    /// <summary>The column's name.</summary>
    public string Name => Reference.Name;

    /// <summary>The column's type, the same in both files.</summary>
    public ColumnType Type => Reference.Type;
}

/// <summary>
/// Matches the columns of a reference and a current file and decides each column's type: numerical when every
/// non-empty cell of both files parses as a number (invariant culture), otherwise categorical; the user's
/// <c>--categorical</c> list overrides.
/// </summary>
internal static class ColumnTyping
{
    /// <summary>Checks the <c>--categorical</c> names against the reference file's header.</summary>
    /// <exception cref="CliInputException">A name is not a column of the file.</exception>
    public static void CheckCategoricalNames(IEnumerable<string> categorical, IReadOnlyCollection<string> header, string path)
    {
        foreach (string name in categorical)
        {
            if (!header.Contains(name, StringComparer.Ordinal))
            {
                throw new CliInputException(
                    $"--categorical: {Dataset.Quote(name)} is not a column of {path} (columns: {string.Join(", ", header)}).");
            }
        }
    }

    /// <summary>Checks that both files have the same columns.</summary>
    /// <exception cref="CliInputException">A column is present in only one file; the message names it.</exception>
    public static void CheckSameColumns(Dataset reference, Dataset current)
    {
        foreach (string name in reference.ColumnNames)
        {
            if (!current.HasColumn(name))
            {
                throw new CliInputException(
                    $"column {Dataset.Quote(name)} is in the reference file {reference.Path} but not in the current file {current.Path}.");
            }
        }

        foreach (string name in current.ColumnNames)
        {
            if (!reference.HasColumn(name))
            {
                throw new CliInputException(
                    $"column {Dataset.Quote(name)} is in the current file {current.Path} but not in the reference file {reference.Path}.");
            }
        }
    }

    /// <summary>
    /// Pairs the columns of the two files in the reference file's order, reloading as text in one file the columns
    /// that are text in the other.
    /// </summary>
    /// <exception cref="CliInputException">Columns differ, or a column has no value at all in one file.</exception>
    public static IReadOnlyList<ColumnPair> Pair(Dataset reference, Dataset current, CancellationToken cancellationToken = default)
    {
        CheckSameColumns(reference, current);

        var categorical = reference.Columns.Where(c => c.IsCategorical).Select(c => c.Name)
            .Concat(current.Columns.Where(c => c.IsCategorical).Select(c => c.Name))
            .ToHashSet(StringComparer.Ordinal);
        reference.ReloadAsCategorical(reference.Columns.Where(c => !c.IsCategorical && categorical.Contains(c.Name)).Select(c => c.Name).ToArray(), cancellationToken);
        current.ReloadAsCategorical(current.Columns.Where(c => !c.IsCategorical && categorical.Contains(c.Name)).Select(c => c.Name).ToArray(), cancellationToken);

        var pairs = new List<ColumnPair>();
        foreach (LoadedColumn column in reference.Columns)
        {
            LoadedColumn other = current[column.Name];
            CheckHasValues(column, reference);
            CheckHasValues(other, current);
            pairs.Add(new ColumnPair(column.ToSample(), other.ToSample()));
        }

        return pairs;
    }

    /// <summary>Throws when every cell of the column is missing: no test can run on it.</summary>
    public static void CheckHasValues(LoadedColumn column, Dataset file)
    {
        if (column.Count == 0)
        {
            throw new CliInputException(
                $"column {Dataset.Quote(column.Name)} has no values in {file.Path}: all {column.Missing} cells are empty (or NaN).");
        }
    }
}
