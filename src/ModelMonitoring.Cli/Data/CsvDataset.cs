using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Cli.Data;

/// <summary>
/// One CSV file (RFC 4180, comma separated, header row first) loaded into typed columns.
/// </summary>
/// <remarks>
/// <para>
/// A column is read as numbers unless it is forced categorical; as soon as one non-empty cell does not parse as an
/// invariant-culture number the column is marked <see cref="LoadedColumn.NotNumeric"/>, its numbers are dropped,
/// and the file is read a second time for those columns only, as text. That keeps the common case (numbers) to one
/// pass without holding 20 million strings in memory, and keeps category labels exactly as written ("4.0" stays
/// "4.0").
/// </para>
/// <para>
/// Missing values: an empty (or blank) cell is missing in every column; in a numerical column <c>NaN</c> and
/// infinities are missing too (Evidently drops them the same way). Missing values are counted and left out.
/// </para>
/// </remarks>
internal sealed class CsvDataset
{
    private const int ProgressEveryRows = 16_384;
    private readonly Dictionary<string, LoadedColumn> columnsByName;

    private CsvDataset(string path, IReadOnlyList<LoadedColumn> columns, int rowCount)
    {
        Path = path;
        Columns = columns;
        RowCount = rowCount;
        columnsByName = columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    /// <summary>The path the file was loaded from, as the user wrote it (used in messages).</summary>
    public string Path { get; }

    /// <summary>The columns, in header order.</summary>
    public IReadOnlyList<LoadedColumn> Columns { get; }

    /// <summary>How many data rows the file holds (the header excluded).</summary>
    public int RowCount { get; }

    /// <summary>The column names, in header order.</summary>
    public IEnumerable<string> ColumnNames => Columns.Select(c => c.Name);

    /// <summary>Whether the file has a column with this exact (case-sensitive) name.</summary>
    public bool HasColumn(string name) => columnsByName.ContainsKey(name);

    /// <summary>The column with this name.</summary>
    public LoadedColumn this[string name] => columnsByName[name];

    /// <summary>Loads a CSV file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="categorical">Columns to read as text whatever they hold.</param>
    /// <param name="progress">Receives the fraction of the file read so far, from 0 to 1.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <exception cref="CliInputException">The file is missing, empty, header-only or malformed.</exception>
    public static CsvDataset Load(
        string path,
        IReadOnlySet<string>? categorical = null,
        IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        categorical ??= new HashSet<string>(StringComparer.Ordinal);
        LoadedColumn[]? columns = null;
        int rows = Scan(
            path,
            header =>
            {
                columns = header.Select(name => new LoadedColumn(name, categorical.Contains(name))).ToArray();
                return columns;
            },
            progress,
            cancellationToken);

        var dataset = new CsvDataset(path, columns!, rows);
        string[] flipped = dataset.Columns.Where(c => c.NotNumeric).Select(c => c.Name).ToArray();
        if (flipped.Length > 0)
        {
            dataset.ReloadAsCategorical(flipped, cancellationToken);
        }

        return dataset;
    }

    /// <summary>
    /// Reads the named columns again as text (categorical), for columns that turned out not to be numbers here or in
    /// the other file.
    /// </summary>
    public void ReloadAsCategorical(IReadOnlyCollection<string> names, CancellationToken cancellationToken = default)
    {
        if (names.Count == 0)
        {
            return;
        }

        var wanted = new HashSet<string>(names, StringComparer.Ordinal);
        var fresh = new Dictionary<string, LoadedColumn>(StringComparer.Ordinal);
        Scan(
            Path,
            header =>
            {
                var loaders = new LoadedColumn?[header.Count];
                for (int i = 0; i < header.Count; i++)
                {
                    if (wanted.Contains(header[i]))
                    {
                        loaders[i] = fresh[header[i]] = new LoadedColumn(header[i], forceCategorical: true);
                    }
                }

                return loaders;
            },
            progress: null,
            cancellationToken);

        foreach ((string name, LoadedColumn column) in fresh)
        {
            columnsByName[name].ReplaceWith(column);
        }
    }

    /// <summary>Reads the file, hands every cell of a wanted column to its loader, checks the shape of every row.</summary>
    /// <returns>The number of data rows.</returns>
    private static int Scan(
        string path,
        Func<IReadOnlyList<string>, IReadOnlyList<LoadedColumn?>> onHeader,
        IProgress<double>? progress,
        CancellationToken cancellationToken)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            throw new CliInputException($"{path}: file not found.");
        }
        catch (DirectoryNotFoundException)
        {
            throw new CliInputException($"{path}: file not found (no such directory).");
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new CliInputException($"{path}: cannot open the file: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new CliInputException($"{path}: cannot open the file: {ex.Message}", ex);
        }

        using (stream)
        using (var reader = new StreamReader(stream, detectEncodingFromByteOrderMarks: true))
        {
            var lines = new LineTracker();
            var config = new CsvConfiguration(CultureInfo.InvariantCulture)
            {
                Mode = CsvMode.RFC4180,

                // Blank lines come back as records so that every record starts right after the previous one ends,
                // which gives exact line numbers; ReadRecord skips them.
                IgnoreBlankLines = false,
                BadDataFound = args => throw new CliInputException(
                    $"{path}: line {lines.RecordStart}: malformed CSV: a quote inside an unquoted field, after a closing quote, or never closed " +
                    $"(field {Quote(Truncate(args.Field))}). Quote fields that contain quotes and double the inner quotes (RFC 4180)."),
            };

            using var parser = new CsvParser(reader, config);
            if (!ReadRecord(parser, path, lines))
            {
                throw new CliInputException($"{path}: the file is empty; expected a header row with the column names.");
            }

            string[] header = ReadHeader(parser, path, lines.RecordStart);
            IReadOnlyList<LoadedColumn?> loaders = onHeader(header);
            long length = stream.Length;
            int rows = 0;
            while (ReadRecord(parser, path, lines))
            {
                long line = lines.RecordStart;
                if (parser.Count != header.Length)
                {
                    throw new CliInputException(
                        $"{path}: line {line}: {parser.Count} field{(parser.Count == 1 ? "" : "s")}, but the header has {header.Length}. " +
                        "Every row needs one field per column (quote fields that contain commas or line breaks).");
                }

                for (int i = 0; i < loaders.Count; i++)
                {
                    LoadedColumn? loader = loaders[i];
                    if (loader is not null)
                    {
                        loader.Add(parser[i], line);
                    }
                }

                rows++;
                if (rows % ProgressEveryRows == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (progress is not null && length > 0)
                    {
                        progress.Report(Math.Min(1.0, (double)stream.Position / length));
                    }
                }
            }

            if (rows == 0)
            {
                throw new CliInputException($"{path}: the file has a header but no data rows.");
            }

            progress?.Report(1.0);
            return rows;
        }
    }

    /// <summary>Reads the next record that is not a blank line, tracking the line it starts on.</summary>
    private static bool ReadRecord(CsvParser parser, string path, LineTracker lines)
    {
        while (true)
        {
            lines.RecordStart = lines.PreviousEnd + 1;
            bool read;
            try
            {
                read = parser.Read();
            }
            catch (CliInputException)
            {
                throw;
            }
            catch (CsvHelperException ex)
            {
                throw new CliInputException($"{path}: line {lines.RecordStart}: malformed CSV: {FirstLine(ex.Message)}", ex);
            }

            if (!read)
            {
                return false;
            }

            lines.PreviousEnd = parser.RawRow;
            if (parser.Count == 1 && string.IsNullOrWhiteSpace(parser.RawRecord))
            {
                continue;
            }

            return true;
        }
    }

    private static string[] ReadHeader(CsvParser parser, string path, long line)
    {
        var header = new string[parser.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < header.Length; i++)
        {
            string name = parser[i].Trim();
            if (name.Length == 0)
            {
                throw new CliInputException($"{path}: line {line}: header field {i + 1} is empty; every column needs a name.");
            }

            if (!seen.Add(name))
            {
                throw new CliInputException($"{path}: line {line}: the header names column {Quote(name)} twice.");
            }

            header[i] = name;
        }

        return header;
    }

    private static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "...";

    /// <summary>The line the record being read starts on, and the line the previous record ended on.</summary>
    private sealed class LineTracker
    {
        public long RecordStart { get; set; } = 1;

        public long PreviousEnd { get; set; }
    }

    /// <summary>Quotes a value for a message.</summary>
    internal static string Quote(string value) => "'" + value + "'";
}

/// <summary>One column of a <see cref="CsvDataset"/>: its values as numbers or as labels, and its missing count.</summary>
internal sealed class LoadedColumn
{
    private const int MaxInternedLabels = 10_000;
    private List<double>? numbers;
    private List<string>? labels;
    private Dictionary<string, string>? intern;

    public LoadedColumn(string name, bool forceCategorical)
    {
        Name = name;
        if (forceCategorical)
        {
            labels = [];
            intern = new Dictionary<string, string>(StringComparer.Ordinal);
        }
        else
        {
            numbers = [];
        }
    }

    /// <summary>The column's name.</summary>
    public string Name { get; }

    /// <summary>Whether the column was read as labels.</summary>
    public bool IsCategorical => labels is not null;

    /// <summary>Whether a non-empty cell of the file is not a number (the column is then read as labels).</summary>
    public bool NotNumeric { get; private set; }

    /// <summary>The first non-empty cell that is not a number, and its line, when <see cref="NotNumeric"/>.</summary>
    public (string Value, long Line)? FirstNonNumber { get; private set; }

    /// <summary>How many cells were missing.</summary>
    public int Missing { get; private set; }

    /// <summary>How many cells held a value.</summary>
    public int Count => numbers?.Count ?? labels?.Count ?? 0;

    /// <summary>The column as a statistics sample.</summary>
    public ColumnSample ToSample()
    {
        if (labels is not null)
        {
            return ColumnSample.Categorical(Name, labels.ToArray(), Missing);
        }

        if (numbers is null)
        {
            throw new InvalidOperationException($"Column '{Name}' is not numeric and was not reloaded as text.");
        }

        return ColumnSample.Numerical(Name, numbers.ToArray(), Missing);
    }

    internal void Add(string cell, long line)
    {
        if (string.IsNullOrWhiteSpace(cell))
        {
            Missing++;
            return;
        }

        if (labels is not null)
        {
            labels.Add(Intern(cell));
            return;
        }

        if (numbers is null)
        {
            return;
        }

        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            if (double.IsFinite(value))
            {
                numbers.Add(value);
            }
            else
            {
                Missing++;
            }

            return;
        }

        NotNumeric = true;
        FirstNonNumber = (cell, line);
        numbers = null;
    }

    internal void ReplaceWith(LoadedColumn other)
    {
        numbers = other.numbers;
        labels = other.labels;
        intern = other.intern;
        Missing = other.Missing;

        // NotNumeric and FirstNonNumber keep what the first read found, for messages.
    }

    private string Intern(string cell)
    {
        if (intern is null)
        {
            return cell;
        }

        if (intern.TryGetValue(cell, out string? existing))
        {
            return existing;
        }

        if (intern.Count < MaxInternedLabels)
        {
            intern.Add(cell, cell);
        }

        return cell;
    }
}
