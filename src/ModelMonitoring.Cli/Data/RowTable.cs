using System.Globalization;
using System.Text;

namespace ModelMonitoring.Cli.Data;

/// <summary>
/// A data file read as rows of text cells, aligned (a missing cell stays in its row as null), for the commands that
/// pair columns row by row: <c>performance</c>, <c>estimate</c>, <c>changes</c>. CSV with RFC 4180 quoting, the
/// delimiter detected (or given) as for <c>drift</c>; Parquet and JSON lines through the readers <c>drift</c> uses
/// (<see cref="Dataset"/>), numbers written back as their shortest round-trip text. The format comes from the extension
/// unless <c>--input-format</c> says otherwise. Errors name the file, the line (CSV) or row, and the column.
/// </summary>
internal sealed class RowTable
{
    private readonly Dictionary<string, int> _columns;
    private readonly List<string?[]> _rows;
    private readonly bool _csv;

    private RowTable(string path, string[] header, List<string?[]> rows, List<long> lines, bool csv = true)
    {
        _csv = csv;
        Path = path;
        Header = header;
        _rows = rows;
        Lines = lines;
        _columns = [];
        for (int i = 0; i < header.Length; i++)
        {
            _columns.TryAdd(header[i], i);
        }
    }

    public string Path { get; }

    public string[] Header { get; }

    public int RowCount => _rows.Count;

    /// <summary>The 1-based file line of each row, for messages.</summary>
    public List<long> Lines { get; }

    /// <summary>Reads a data file in the format <paramref name="read"/> gives, else the one of its extension.</summary>
    /// <exception cref="CliInputException">Missing, empty, header-only or malformed; the message names the file and line.</exception>
    public static RowTable Load(string path, string option, ReadOptions? read = null)
    {
        _ = option;
        read ??= ReadOptions.Default;
        return read.FormatOf(path) == DataFormat.Csv ? LoadCsv(path, read.Delimiter) : LoadColumns(path, read);
    }

    /// <summary>Where a row is, for messages: <c>path:line</c> for CSV, <c>path, row N</c> (1-based) otherwise.</summary>
    public string Where(int row) => _csv ? $"{Path}:{Lines[row]}" : $"{Path}, row {Lines[row]}";

    /// <summary>A Parquet or JSON lines file, read into columns by <see cref="Dataset"/>, turned into rows of text.</summary>
    private static RowTable LoadColumns(string path, ReadOptions read)
    {
        Dataset dataset = Dataset.Load(path, options: read);
        if (dataset.RowCount == 0)
        {
            throw new CliInputException($"{path}: the file has no data rows.");
        }

        string[] header = [.. dataset.ColumnNames];
        var rows = new List<string?[]>(dataset.RowCount);
        for (int r = 0; r < dataset.RowCount; r++)
        {
            rows.Add(new string?[header.Length]);
        }

        for (int c = 0; c < header.Length; c++)
        {
            LoadedColumn column = dataset.Columns[c];
            string?[] cells = column.LabelsByRow()
                ?? [.. (column.NumbersByRow() ?? []).Select(v => double.IsNaN(v) ? null : v.ToString("R", CultureInfo.InvariantCulture))];
            for (int r = 0; r < cells.Length && r < rows.Count; r++)
            {
                rows[r][c] = cells[r];
            }
        }

        return new RowTable(path, header, rows, [.. Enumerable.Range(1, rows.Count).Select(r => (long)r)], csv: false);
    }

    private static RowTable LoadCsv(string path, char? delimiterOption)
    {
        InputFile.EnsureReadable(path);
        using var stream = File.OpenRead(path);
        char delimiter = delimiterOption ?? CsvTableReader.Detect(stream);
        stream.Position = 0;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string text = reader.ReadToEnd();
        var records = new List<(List<string?> Cells, long Line)>();
        var cells = new List<string?>();
        var cell = new StringBuilder();
        bool quoted = false, wasQuoted = false, any = false;
        long line = 1, recordLine = 1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    cell.Append(c);
                }

                continue;
            }

            if (c == '"' && cell.Length == 0)
            {
                quoted = wasQuoted = any = true;
            }
            else if (c == delimiter)
            {
                cells.Add(Cell(cell, wasQuoted));
                wasQuoted = false;
                any = true;
            }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                if (any || cell.Length > 0)
                {
                    cells.Add(Cell(cell, wasQuoted));
                    records.Add((cells, recordLine));
                    cells = [];
                }

                wasQuoted = any = false;
                line++;
                recordLine = line;
            }
            else
            {
                cell.Append(c);
                any = true;
            }
        }

        if (quoted)
        {
            throw new CliInputException($"{path}:{recordLine}: a quoted cell is not closed before the end of the file.");
        }

        if (any || cell.Length > 0)
        {
            cells.Add(Cell(cell, wasQuoted));
            records.Add((cells, recordLine));
        }

        if (records.Count == 0)
        {
            throw new CliInputException($"{path}: the file is empty; it needs a header line and data rows.");
        }

        if (records.Count == 1)
        {
            throw new CliInputException($"{path}: the file has a header but no data rows.");
        }

        string[] header = [.. records[0].Cells.Select(h => h ?? string.Empty)];
        var rows = new List<string?[]>(records.Count - 1);
        var lines = new List<long>(records.Count - 1);
        foreach ((List<string?> row, long at) in records.Skip(1))
        {
            if (row.Count != header.Length)
            {
                throw new CliInputException($"{path}:{at}: the row has {row.Count} cells but the header has {header.Length} columns.");
            }

            rows.Add([.. row]);
            lines.Add(at);
        }

        return new RowTable(path, header, rows, lines);
    }

    /// <summary>The index of a column named by an option.</summary>
    /// <exception cref="CliInputException">No such column; the message lists the columns.</exception>
    public int Column(string name, string option) => _columns.TryGetValue(name, out int index)
        ? index
        : throw new CliInputException($"{option}: {Path} has no column '{name}'. Its columns are: {string.Join(", ", Header)}.");

    /// <summary>The text of a cell; null when empty.</summary>
    public string? Text(int row, int column) => _rows[row][column];

    /// <summary>The number in a cell; NaN when empty.</summary>
    /// <exception cref="CliInputException">The cell is not a number; the message names the file, line and column.</exception>
    public double Number(int row, int column)
    {
        string? text = _rows[row][column];
        if (text is null)
        {
            return double.NaN;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new CliInputException($"{Where(row)}: column '{Header[column]}' holds '{text}', which is not a number.");
    }

    /// <summary>Whether every non-empty cell of the column is a number.</summary>
    public bool IsNumeric(int column) =>
        _rows.All(r => r[column] is null || double.TryParse(r[column], NumberStyles.Float, CultureInfo.InvariantCulture, out _));

    private static string? Cell(StringBuilder cell, bool quoted)
    {
        string text = cell.ToString();
        cell.Clear();
        return text.Length == 0 && !quoted ? null : text;
    }
}
