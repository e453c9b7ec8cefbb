using System.Text;
using System.Text.Unicode;
using nietras.SeparatedValues;

namespace ModelMonitoring.Cli.Data;

/// <summary>
/// Reads delimited text as pandas' <c>read_csv</c> does with its defaults: a header row first, RFC 4180 quoting
/// (fields quoted with <c>"</c>, inner quotes doubled), UTF-8 (a BOM is accepted), blank lines skipped, pandas'
/// missing-value spellings, and <c>inf</c>/<c>-inf</c> as infinities in a numerical column. The delimiter is
/// detected from the header row (comma, tab, semicolon or pipe) unless given.
/// </summary>
/// <remarks>
/// The splitting is Sep's (vectorised); quotes are checked here, only in the rare rows that hold one, so a
/// stray or unclosed quote is an error naming the line and column rather than a silent merge of rows. Invalid UTF-8
/// is an error naming the line and column of the first bad byte.
/// </remarks>
/// <param name="delimiter">The delimiter, or <see langword="null"/> to detect it.</param>
internal sealed class CsvTableReader(char? delimiter) : ITableReader
{
    /// <summary>The delimiters detection chooses from, in the order that breaks ties.</summary>
    public static readonly char[] Candidates = [',', '\t', ';', '|'];

    private const int ProgressEveryRows = 16_384;

    /// <inheritdoc />
    public TableData Read(string path, ColumnSelection selection, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        using FileStream stream = InputFile.OpenRead(path);
        char separator = delimiter ?? Detect(stream);
        stream.Position = 0;
        int capacity = RowsAtMost(stream);
        stream.Position = 0;
        long length = stream.Length;
        try
        {
            using var text = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
            using SepReader reader = Sep.Reader(o => o with
            {
                Sep = new Sep(separator),
                HasHeader = false,
                DisableColCountCheck = true,
                Unescape = false,
            }).From(text);
            return ReadRows(path, reader, separator, selection, capacity, stream, length, progress, cancellationToken);
        }
        catch (DecoderFallbackException ex)
        {
            (long line, long column, byte value) = FindInvalidUtf8(path);
            throw new CliInputException(
                $"{path}: line {line}, column {column}: invalid UTF-8 (byte 0x{value:X2}); mlmon reads UTF-8 text: convert the file (for example with iconv -f latin1 -t utf-8).",
                ex);
        }
        catch (InvalidDataException ex)
        {
            throw new CliInputException($"{path}: malformed CSV: {ex.Message}", ex);
        }
    }

    private static TableData ReadRows(
        string path,
        SepReader reader,
        char separator,
        ColumnSelection selection,
        int capacity,
        FileStream stream,
        long length,
        IProgress<double>? progress,
        CancellationToken cancellationToken)
    {
        string[]? header = null;
        LoadedColumn?[] loaders = [];
        var columns = new List<LoadedColumn>();
        int rows = 0;
        foreach (SepReader.Row row in reader)
        {
            if (row.ColCount == 1 && row.Span.IsWhiteSpace())
            {
                continue; // a blank line
            }

            int line = row.LineNumberFrom;
            if (header is null)
            {
                header = ReadHeader(row, path, line, separator);
                loaders = new LoadedColumn?[header.Length];
                for (int i = 0; i < header.Length; i++)
                {
                    if (selection.Reads(header[i]))
                    {
                        loaders[i] = new LoadedColumn(header[i], selection.AsLabels(header[i]), capacity);
                        columns.Add(loaders[i]!);
                    }
                }

                continue;
            }

            if (row.ColCount != header.Length)
            {
                throw new CliInputException(
                    $"{path}: line {line}: {row.ColCount} field{(row.ColCount == 1 ? "" : "s")}, but the header has {header.Length} " +
                    $"(delimiter {Describe(separator)}). Every row needs one field per column (quote fields that contain the delimiter or line breaks).");
            }

            bool quoted = row.Span.Contains('"');
            for (int i = 0; i < loaders.Length; i++)
            {
                LoadedColumn? loader = loaders[i];
                if (loader is null)
                {
                    continue;
                }

                ReadOnlySpan<char> cell = row[i].Span;
                if (quoted && cell.Contains('"'))
                {
                    cell = Unquote(cell, path, line, i, header[i]);
                }

                loader.AddText(cell, line);
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

        if (header is null)
        {
            throw new CliInputException($"{path}: the file is empty; expected a header row with the column names.");
        }

        if (rows == 0)
        {
            throw new CliInputException($"{path}: the file has a header but no data rows.");
        }

        progress?.Report(1.0);
        return new TableData(columns, rows);
    }

    private static string[] ReadHeader(SepReader.Row row, string path, int line, char separator)
    {
        var header = new string[row.ColCount];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        bool quoted = row.Span.Contains('"');
        for (int i = 0; i < header.Length; i++)
        {
            ReadOnlySpan<char> cell = row[i].Span;
            if (quoted && cell.Contains('"'))
            {
                cell = Unquote(cell, path, line, i, null);
            }

            string name = cell.Trim().ToString();
            if (name.Length == 0)
            {
                throw new CliInputException($"{path}: line {line}: header field {i + 1} is empty; every column needs a name.");
            }

            if (!seen.Add(name))
            {
                throw new CliInputException($"{path}: line {line}: the header names column {Dataset.Quote(name)} twice.");
            }

            header[i] = name;
        }

        if (header.Length == 1 && header[0].AsSpan().IndexOfAny(Candidates) >= 0 && header[0].Contains(separator) is false)
        {
            // One column whose name holds another delimiter: almost certainly the wrong delimiter was given.
            char likely = Candidates.First(c => header[0].Contains(c));
            throw new CliInputException(
                $"{path}: line {line}: the header is one column {Dataset.Quote(Truncate(header[0]))} with delimiter {Describe(separator)}; " +
                $"the file looks {Describe(likely)}-separated: pass --delimiter {Option(likely)}.");
        }

        return header;
    }

    /// <summary>Removes RFC 4180 quoting from a field that holds a quote; anything else is an error naming the place.</summary>
    private static ReadOnlySpan<char> Unquote(ReadOnlySpan<char> cell, string path, int line, int index, string? name)
    {
        string where = name is null ? $"header field {index + 1}" : $"column {index + 1} ({Dataset.Quote(name)})";
        if (cell[0] != '"')
        {
            throw new CliInputException(
                $"{path}: line {line}, {where}: malformed CSV: a quote inside an unquoted field ({Dataset.Quote(Truncate(cell.ToString()))}). " +
                "Quote fields that contain quotes and double the inner quotes (RFC 4180).");
        }

        var unquoted = new StringBuilder(cell.Length);
        for (int i = 1; i < cell.Length; i++)
        {
            char c = cell[i];
            if (c != '"')
            {
                unquoted.Append(c);
                continue;
            }

            if (i + 1 < cell.Length && cell[i + 1] == '"')
            {
                unquoted.Append('"');
                i++;
                continue;
            }

            if (i != cell.Length - 1)
            {
                throw new CliInputException(
                    $"{path}: line {line}, {where}: malformed CSV: text after the closing quote ({Dataset.Quote(Truncate(cell.ToString()))}). " +
                    "Double the quotes inside a quoted field (RFC 4180).");
            }

            return unquoted.ToString();
        }

        throw new CliInputException(
            $"{path}: line {line}, {where}: malformed CSV: the quote that opens the field is never closed ({Dataset.Quote(Truncate(cell.ToString()))}).");
    }

    /// <summary>
    /// Detects the delimiter from the first line: the candidate that occurs most often outside quotes (comma on a tie
    /// or when there is none, for a one-column file).
    /// </summary>
    internal static char Detect(Stream stream)
    {
        var buffer = new byte[64 * 1024];
        int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        ReadOnlySpan<byte> head = buffer.AsSpan(0, read);
        if (head.StartsWith("\uFEFF"u8))
        {
            head = head[3..];
        }

        Span<int> counts = stackalloc int[Candidates.Length];
        bool inQuotes = false;
        foreach (byte b in head)
        {
            if (b == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (!inQuotes && b is (byte)'\n' or (byte)'\r')
            {
                break;
            }
            else if (!inQuotes)
            {
                int k = Array.IndexOf(Candidates, (char)b);
                if (k >= 0)
                {
                    counts[k]++;
                }
            }
        }

        int best = 0;
        for (int k = 1; k < counts.Length; k++)
        {
            if (counts[k] > counts[best])
            {
                best = k;
            }
        }

        return Candidates[best];
    }

    /// <summary>
    /// The most data rows the file can hold: its lines less the header (a vectorised count of line feeds, from the page
    /// cache after the first read). Columns are sized with it, so their values need no copy when none is missing.
    /// </summary>
    internal static int RowsAtMost(Stream stream)
    {
        var buffer = new byte[1 << 20];
        long lines = 0;
        int read;
        byte last = (byte)'\n';
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
            last = buffer[read - 1];
        }

        if (last != '\n')
        {
            lines++;
        }

        return (int)Math.Clamp(lines - 1, 0, Array.MaxLength);
    }

    /// <summary>Finds the first byte that is not valid UTF-8: its line, column (in characters) and value.</summary>
    internal static (long Line, long Column, byte Value) FindInvalidUtf8(string path)
    {
        using FileStream stream = InputFile.OpenRead(path);
        var buffer = new byte[1 << 20];
        var scratch = new char[buffer.Length];
        long line = 1, column = 1;
        int carried = 0;
        while (true)
        {
            int read = stream.Read(buffer, carried, buffer.Length - carried);
            int available = carried + read;
            bool final = read == 0;
            ReadOnlySpan<byte> chunk = buffer.AsSpan(0, available);
            var status = Utf8.ToUtf16(chunk, scratch, out int consumed, out _, replaceInvalidSequences: false, isFinalBlock: final);
            foreach (byte b in chunk[..consumed])
            {
                if (b == '\n')
                {
                    line++;
                    column = 1;
                }
                else if ((b & 0xC0) != 0x80)
                {
                    column++;
                }
            }

            if (status == System.Buffers.OperationStatus.InvalidData)
            {
                return (line, column, chunk[consumed]);
            }

            if (final || available == 0)
            {
                // The decoder said the file is invalid, so this is not reached for a complete file; report its end.
                return (line, column, 0);
            }

            carried = available - consumed;
            chunk[consumed..].CopyTo(buffer);
        }
    }

    private static string Describe(char c) => c switch
    {
        ',' => "comma",
        ';' => "semicolon",
        '\t' => "tab",
        '|' => "pipe",
        _ => Dataset.Quote(c.ToString()),
    };

    private static string Option(char c) => c switch
    {
        '\t' => "tab",
        ';' => "';'",
        '|' => "'|'",
        _ => c.ToString(),
    };

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "...";
}
