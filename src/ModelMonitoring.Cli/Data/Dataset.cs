namespace ModelMonitoring.Cli.Data;

/// <summary>The file formats <c>mlmon</c> reads data from.</summary>
internal enum DataFormat
{
    /// <summary>Delimited text with a header row (comma, semicolon, tab or pipe).</summary>
    Csv,

    /// <summary>Apache Parquet, with typed columns.</summary>
    Parquet,

    /// <summary>JSON lines: one object per line, flat or an inference capture record.</summary>
    JsonLines,
}

/// <summary>How to read the data files: the format (null: from each file's extension) and, for CSV, the delimiter.</summary>
/// <param name="Format">The format of every data file, or <see langword="null"/> to choose it from the extension.</param>
/// <param name="Delimiter">The CSV delimiter, or <see langword="null"/> to detect it from the header row.</param>
/// <param name="Parallelism">
/// How many threads may parse one large CSV file (in consecutive chunks of lines); 1 when files are read side by side.
/// </param>
internal sealed record ReadOptions(DataFormat? Format = null, char? Delimiter = null, int Parallelism = 1)
{
    /// <summary>Formats from the extension, delimiter detected.</summary>
    public static ReadOptions Default { get; } = new();

    /// <summary>The names <c>--input-format</c> accepts.</summary>
    public static readonly string[] FormatNames = ["csv", "parquet", "jsonl"];

    /// <summary>The format of a file: the override, else from the extension (.parquet/.pq, .jsonl/.ndjson, else CSV).</summary>
    public DataFormat FormatOf(string path) => Format ?? Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".parquet" or ".pq" => DataFormat.Parquet,
        ".jsonl" or ".ndjson" => DataFormat.JsonLines,
        _ => DataFormat.Csv,
    };

    /// <summary>Parses an <c>--input-format</c> value.</summary>
    public static bool TryParseFormat(string text, out DataFormat format)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "csv" or "tsv":
                format = DataFormat.Csv;
                return true;
            case "parquet":
                format = DataFormat.Parquet;
                return true;
            case "jsonl" or "ndjson" or "jsonlines" or "json-lines":
                format = DataFormat.JsonLines;
                return true;
            default:
                format = default;
                return false;
        }
    }

    /// <summary>The short name of a format, as <c>--input-format</c> takes it.</summary>
    public static string NameOf(DataFormat format) => format switch
    {
        DataFormat.Parquet => "parquet",
        DataFormat.JsonLines => "jsonl",
        _ => "csv",
    };

    /// <summary>Parses a <c>--delimiter</c> value: one character, or <c>tab</c>, <c>\t</c>, <c>comma</c>, <c>semicolon</c>, <c>pipe</c>.</summary>
    public static bool TryParseDelimiter(string text, out char delimiter)
    {
        delimiter = text switch
        {
            "tab" or "\\t" or "\t" => '\t',
            "comma" => ',',
            "semicolon" => ';',
            "pipe" => '|',
            _ when text.Length == 1 && text[0] is not ('"' or '\r' or '\n') => text[0],
            _ => '\0',
        };
        return delimiter != '\0';
    }
}

/// <summary>Which columns a reader reads, which of them as labels whatever they hold, and whether they are kept.</summary>
/// <param name="Categorical">Columns read as labels.</param>
/// <param name="Only">When set, only these columns are read (a second read, as labels); otherwise all.</param>
/// <param name="Profilers">
/// When set, a column is not kept but profiled as it is read, by the profiler this gives for its name (a new one per
/// call: each part of a file read on its own thread gets its own); a null profiler leaves the column's values out.
/// </param>
internal sealed record ColumnSelection(IReadOnlySet<string> Categorical, IReadOnlySet<string>? Only = null, Func<string, BaselineColumnProfiler?>? Profilers = null)
{
    /// <summary>Whether a column is read at all.</summary>
    public bool Reads(string name) => Only is null || Only.Contains(name);

    /// <summary>Whether a column is read as labels.</summary>
    public bool AsLabels(string name) => Only is not null || Categorical.Contains(name);

    /// <summary>Starts a column the reader fills: kept, or profiled as it is read.</summary>
    /// <param name="name">The column's name.</param>
    /// <param name="capacity">How many values it can hold at most, when known (0: unknown).</param>
    /// <param name="labels">Whether the file's type of the column makes it labels, whatever the selection says.</param>
    /// <param name="part">For a part of a file read side by side: where its values go (see <see cref="ColumnPart"/>).</param>
    public LoadedColumn NewColumn(string name, int capacity, bool labels = false, ColumnPart? part = null)
    {
        if (Profilers is null)
        {
            return new LoadedColumn(name, labels || AsLabels(name), capacity, part: part);
        }

        // A column the baseline holds as labels is read as labels whatever its cells look like.
        BaselineColumnProfiler profiler = Profilers(name) ?? BaselineColumnProfiler.Ignoring();
        return new LoadedColumn(name, labels || AsLabels(name) || !profiler.TakesNumbers, 0, profiler);
    }
}

/// <summary>What a reader found in a file: the columns in file order and the number of data rows.</summary>
internal sealed record TableData(IReadOnlyList<LoadedColumn> Columns, int RowCount);

/// <summary>Reads one file format into columns.</summary>
internal interface ITableReader
{
    /// <summary>Reads the file.</summary>
    /// <exception cref="CliInputException">The file is empty, header-only or malformed; the message names the file, line and column.</exception>
    TableData Read(string path, ColumnSelection selection, IProgress<double>? progress, CancellationToken cancellationToken);
}

/// <summary>
/// One data file (CSV, Parquet or JSON lines) loaded into typed columns.
/// </summary>
/// <remarks>
/// A column is numbers unless it is forced categorical or one of its values is not a number; such a column is read
/// a second time, for those columns only, as labels, so labels stay exactly as written ("4.0" stays "4.0") without
/// holding every cell as text in the common case. Missing values are counted and left out.
/// </remarks>
internal sealed class Dataset
{
    private readonly Dictionary<string, LoadedColumn> columnsByName;
    private readonly ITableReader reader;

    private Dataset(string path, DataFormat format, ITableReader reader, TableData data)
    {
        Path = path;
        Format = format;
        this.reader = reader;
        Columns = data.Columns;
        RowCount = data.RowCount;
        columnsByName = data.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    /// <summary>The path the file was loaded from, as the user wrote it (used in messages).</summary>
    public string Path { get; }

    /// <summary>The file's format.</summary>
    public DataFormat Format { get; }

    /// <summary>The columns, in file order.</summary>
    public IReadOnlyList<LoadedColumn> Columns { get; }

    /// <summary>How many data rows the file holds (a header excluded).</summary>
    public int RowCount { get; }

    /// <summary>The column names, in file order.</summary>
    public IEnumerable<string> ColumnNames => Columns.Select(c => c.Name);

    /// <summary>Whether the file has a column with this exact (case-sensitive) name.</summary>
    public bool HasColumn(string name) => columnsByName.ContainsKey(name);

    /// <summary>The column with this name.</summary>
    public LoadedColumn this[string name] => columnsByName[name];

    /// <summary>Loads a data file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="categorical">Columns to read as labels whatever they hold.</param>
    /// <param name="progress">Receives the fraction of the file read so far, from 0 to 1.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <param name="options">The format and delimiter; default: from the extension, delimiter detected.</param>
    /// <param name="profilers">
    /// When set, the columns are profiled as they are read instead of kept (<see cref="ColumnSelection.Profilers"/>).
    /// </param>
    /// <exception cref="CliInputException">The file is missing, a directory, empty, header-only or malformed.</exception>
    public static Dataset Load(
        string path,
        IReadOnlySet<string>? categorical = null,
        IProgress<double>? progress = null,
        CancellationToken cancellationToken = default,
        ReadOptions? options = null,
        Func<string, BaselineColumnProfiler?>? profilers = null)
    {
        options ??= ReadOptions.Default;
        categorical ??= new HashSet<string>(StringComparer.Ordinal);
        DataFormat format = options.FormatOf(path);
        if (options.Delimiter is not null && format != DataFormat.Csv)
        {
            throw new CliInputException($"--delimiter applies to CSV files, but {path} is read as {ReadOptions.NameOf(format)}.");
        }

        ITableReader reader = format switch
        {
            DataFormat.Parquet => new ParquetTableReader(),
            DataFormat.JsonLines => new JsonLinesTableReader(),
            _ => new CsvTableReader(options.Delimiter, options.Parallelism),
        };
        InputFile.EnsureReadable(path);
        TableData data = reader.Read(path, new ColumnSelection(categorical, Profilers: profilers), progress, cancellationToken);
        var dataset = new Dataset(path, format, reader, data);
        string[] flipped = dataset.Columns.Where(c => c.NeedsReread).Select(c => c.Name).ToArray();
        dataset.ReloadAsCategorical(flipped, cancellationToken);
        return dataset;
    }

    /// <summary>
    /// Reads the named columns again as labels, for columns that turned out not to be numbers here or in the other file.
    /// </summary>
    public void ReloadAsCategorical(IReadOnlyCollection<string> names, CancellationToken cancellationToken = default)
    {
        if (names.Count == 0)
        {
            return;
        }

        var wanted = new HashSet<string>(names, StringComparer.Ordinal);
        TableData fresh = reader.Read(Path, new ColumnSelection(wanted, wanted), progress: null, cancellationToken);
        foreach (LoadedColumn column in fresh.Columns)
        {
            if (columnsByName.TryGetValue(column.Name, out LoadedColumn? existing))
            {
                existing.ReplaceWith(column);
            }
        }
    }

    /// <summary>Quotes a value for a message.</summary>
    internal static string Quote(string value) => "'" + value + "'";
}
