using System.Globalization;
using System.Text;

namespace ModelMonitoring.Cli.Data;

/// <summary>
/// A CSV file read as rows of text cells, aligned (a missing cell stays in its row as null), for the commands that
/// pair columns row by row: <c>performance</c>, <c>estimate</c>, <c>changes</c>. RFC 4180 quoting; the delimiter is
/// detected as for <c>drift</c>. Errors name the file, the line and the column.
/// </summary>
internal sealed class RowTable
{
    private readonly Dictionary<string, int> _columns;
    private readonly List<string?[]> _rows;

    private RowTable(string path, string[] header, List<string?[]> rows, List<long> lines)
    {
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

    /// <summary>Reads a CSV file.</summary>
    /// <exception cref="CliInputException">Missing, empty, header-only or malformed; the message names the file and line.</exception>
    public static RowTable Load(string path, string option)
    {
        _ = option;
        InputFile.EnsureReadable(path);
        using var stream = File.OpenRead(path);
        char delimiter = CsvTableReader.Detect(stream);
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
            : throw new CliInputException($"{Path}:{Lines[row]}: column '{Header[column]}' holds '{text}', which is not a number.");
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
