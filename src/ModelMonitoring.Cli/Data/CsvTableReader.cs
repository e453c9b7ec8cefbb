using System.Runtime.CompilerServices;
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
/// <param name="parallelism">
/// How many threads may parse the file. A large file without any quote or lone carriage return (so that every line
/// feed ends a row) is cut at line feeds into that many chunks, parsed side by side and joined in order; errors name
/// the same file, line and column as a sequential read (the first chunk's error wins).
/// </param>
/// <param name="minimumBytesPerChunk">The smallest chunk worth a thread of its own (tests lower it).</param>
internal sealed class CsvTableReader(char? delimiter, int parallelism = 1, long minimumBytesPerChunk = CsvTableReader.DefaultMinimumBytesPerChunk) : ITableReader
{
    /// <summary>The delimiters detection chooses from, in the order that breaks ties.</summary>
    public static readonly char[] Candidates = [',', '\t', ';', '|'];

    private const int ProgressEveryRows = 16_384;

    /// <summary>Files smaller than this are parsed on one thread whatever the parallelism.</summary>
    internal const long DefaultMinimumBytesPerChunk = 4 << 20;

    /// <inheritdoc />
    public TableData Read(string path, ColumnSelection selection, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        using FileStream stream = InputFile.OpenRead(path);
        char separator = delimiter ?? Detect(stream);
        long length = stream.Length;
        int chunks = (int)Math.Clamp(length / Math.Max(1, minimumBytesPerChunk), 1, Math.Max(1, parallelism));
        stream.Position = 0;
        FileShape shape = Scan(stream, chunks);
        stream.Position = 0;
        if (shape.ChunkStarts.Length > 1 && !shape.HasQuote && !shape.HasLoneCarriageReturn)
        {
            return ReadInChunks(path, stream, separator, selection, shape, progress, cancellationToken);
        }

        return Guarded(path, () =>
        {
            SepReader reader = OpenReader(stream, separator);
            using (reader)
            {
                TableData data = ReadRows(path, reader, separator, selection, RowsAtMost(shape), stream, length, 0, null, progress, cancellationToken);
                return Finish(path, data.Columns, data.RowCount, header: true);
            }
        });
    }

    private static SepReader OpenReader(Stream stream, char separator)
    {
        var text = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        return Sep.Reader(o => o with
        {
            Sep = new Sep(separator),
            HasHeader = false,
            DisableColCountCheck = true,
            Unescape = false,
        }).From(text);
    }

    /// <summary>Runs a read, turning the decoder's and Sep's exceptions into messages naming the file and place.</summary>
    private static T Guarded<T>(string path, Func<T> read)
    {
        try
        {
            return read();
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

    private static TableData Finish(string path, IReadOnlyList<LoadedColumn>? columns, int rows, bool header)
    {
        if (!header || columns is null)
        {
            throw new CliInputException($"{path}: the file is empty; expected a header row with the column names.");
        }

        if (rows == 0)
        {
            throw new CliInputException($"{path}: the file has a header but no data rows.");
        }

        return new TableData(columns, rows);
    }

    /// <summary>
    /// Parses the file in <paramref name="chunks"/> consecutive ranges of whole lines on as many threads. The first chunk
    /// reads the header; the others read data rows against it, their line numbers offset by the lines before them. The
    /// columns are joined in order (<see cref="LoadedColumn.Join"/>); a chunk's error is thrown only when no earlier
    /// chunk failed, so the error is the one a sequential read meets first.
    /// </summary>
    private static TableData ReadInChunks(string path, FileStream stream, char separator, ColumnSelection selection, FileShape shape, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        long length = stream.Length;
        long[] starts = shape.ChunkStarts;
        long[] linesBefore = shape.LinesBefore;
        int chunks = starts.Length;
        int rowsAtMost = RowsAtMost(shape);

        // The header (the first non-blank row), read before the chunks so that every chunk knows the columns.
        string[] header = Guarded(path, () =>
        {
            stream.Position = 0;
            using SepReader reader = OpenReader(new FileRange(stream, 0, starts.Length > 1 ? starts[1] : length, leaveOpen: true), separator);
            foreach (SepReader.Row row in reader)
            {
                if (!(row.ColCount == 1 && row.Span.IsWhiteSpace()))
                {
                    return ReadHeader(row, path, LineOf(row), separator);
                }
            }

            return [];
        });
        if (header.Length == 0)
        {
            // Blank lines fill the whole first chunk (or the file is empty): read it on one thread.
            return new CsvTableReader(separator).Read(path, selection, progress, cancellationToken);
        }

        var fractions = new double[chunks];
        var gate = new Lock();
        IProgress<double>? PartProgress(int index) => progress is null ? null : new Action<double>(fraction =>
        {
            lock (gate)
            {
                fractions[index] = fraction;
                progress.Report(fractions.Average());
            }
        }).AsProgress();

        // Every chunk writes a column's values into one array per column, from the most rows the chunks before it can
        // hold on: when no value is missing the chunks' values tile the array, and the join moves nothing.
        var numbers = header.Select(_ => new SharedArray<double>(rowsAtMost)).ToArray();
        var labels = header.Select(_ => new SharedArray<string>(rowsAtMost)).ToArray();
        ColumnPart[] PartsOf(int index)
        {
            int offset = (int)Math.Max(0, linesBefore[index] - 1);
            int end = index + 1 < chunks ? (int)Math.Min(linesBefore[index + 1] - 1, rowsAtMost) : rowsAtMost;
            return [.. header.Select((_, c) => new ColumnPart(numbers[c], labels[c], offset, Math.Max(0, end - offset)))];
        }

        var results = new TableData?[chunks];
        var errors = new Exception?[chunks];
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, index =>
        {
            try
            {
                long start = starts[index];
                long end = index + 1 < chunks ? starts[index + 1] : length;
                using FileStream own = InputFile.OpenRead(path);
                var range = new FileRange(own, start, end, leaveOpen: false);
                // The first chunk's columns are sized for the whole file: the later chunks' values are appended to them.
                long lineFeeds = (index + 1 < chunks ? linesBefore[index + 1] : shape.LineFeeds) - linesBefore[index];
                int capacity = index == 0 ? rowsAtMost : (int)Math.Min(lineFeeds + 1, Array.MaxLength);
                own.Position = start;
                results[index] = Guarded(path, () =>
                {
                    using SepReader reader = OpenReader(range, separator);
                    return ReadRows(path, reader, separator, selection, capacity, range, end - start, linesBefore[index], index == 0 ? null : header, PartProgress(index), cancellationToken, PartsOf(index));
                });
            }
            catch (Exception ex)
            {
                errors[index] = ex;
            }
        });

        for (int index = 0; index < chunks; index++)
        {
            if (errors[index] is Exception error)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
            }
        }

        var columns = new List<LoadedColumn>();
        IReadOnlyList<LoadedColumn> first = results[0]!.Columns;
        for (int c = 0; c < first.Count; c++)
        {
            columns.Add(LoadedColumn.Join(results.Select(r => r!.Columns[c]).ToArray()));
        }

        progress?.Report(1.0);
        return Finish(path, columns, results.Sum(r => r!.RowCount), header: true);
    }

    /// <summary>
    /// Reads rows into columns. <paramref name="knownHeader"/> is null for the file's start (the first non-blank row is
    /// the header) and the header for a later chunk; <paramref name="lineOffset"/> is added to line numbers. <paramref name="parts"/>,
    /// for a chunk, says where each column's values go in the arrays the chunks share (by position in the header).
    /// </summary>
    // One call reads a whole chunk: compiled fully optimized when first called, rather than taken from the ReadyToRun
    // image (which cannot be replaced mid-loop) or started unoptimized and patched while it runs.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static TableData ReadRows(
        string path,
        SepReader reader,
        char separator,
        ColumnSelection selection,
        int capacity,
        Stream stream,
        long length,
        long lineOffset,
        string[]? knownHeader,
        IProgress<double>? progress,
        CancellationToken cancellationToken,
        ColumnPart[]? parts = null)
    {
        string[]? header = null;
        LoadedColumn?[] loaders = [];
        var columns = new List<LoadedColumn>();
        void Start(string[] names)
        {
            header = names;
            loaders = new LoadedColumn?[names.Length];
            for (int i = 0; i < names.Length; i++)
            {
                if (selection.Reads(names[i]))
                {
                    loaders[i] = selection.NewColumn(names[i], capacity, part: parts is not null && i < parts.Length ? parts[i] : null);
                    columns.Add(loaders[i]!);
                }
            }
        }

        if (knownHeader is not null)
        {
            Start(knownHeader);
        }

        int rows = 0;
        foreach (SepReader.Row row in reader)
        {
            if (row.ColCount == 1 && row.Span.IsWhiteSpace())
            {
                continue; // a blank line
            }

            long line = LineOf(row) + lineOffset;
            if (header is null)
            {
                Start(ReadHeader(row, path, line, separator));
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

        progress?.Report(1.0);
        return new TableData(header is null ? null! : columns, rows);
    }

    /// <summary>
    /// The line a row starts on. Sep 0.17 reports 2 for a reader's very first row (its end, as for a header it
    /// skipped); that row starts on line 1.
    /// </summary>
    private static long LineOf(SepReader.Row row) => row.RowIndex == 0 ? 1 : row.LineNumberFrom;

    private static string[] ReadHeader(SepReader.Row row, string path, long line, char separator)
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
    private static ReadOnlySpan<char> Unquote(ReadOnlySpan<char> cell, string path, long line, int index, string? name)
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
    /// What one pass over the bytes tells about a file: its line feeds, whether rows can be cut at them, and where to
    /// cut it into chunks of whole lines.
    /// </summary>
    /// <param name="LineFeeds">How many line feeds the file holds.</param>
    /// <param name="EndsWithLineFeed">Whether its last byte is a line feed (or it is empty).</param>
    /// <param name="HasQuote">Whether it holds a quote (a quoted field may hold a line feed).</param>
    /// <param name="HasLoneCarriageReturn">Whether it holds a carriage return not followed by a line feed.</param>
    /// <param name="ChunkStarts">Where each chunk starts: 0, then just after the first line feed at or past each equal share of the file.</param>
    /// <param name="LinesBefore">How many line feeds come before each chunk's start.</param>
    internal readonly record struct FileShape(long LineFeeds, bool EndsWithLineFeed, bool HasQuote, bool HasLoneCarriageReturn, long[] ChunkStarts, long[] LinesBefore);

    /// <summary>
    /// Counts the line feeds (vectorised; from the page cache after the first read) and looks for quotes and carriage
    /// returns not followed by a line feed: without either, every line feed ends a row. In the same pass, finds where
    /// to cut the file into <paramref name="chunks"/> ranges of whole lines, and the lines before each, so that reading
    /// in chunks needs no second pass over the bytes.
    /// </summary>
    internal static FileShape Scan(Stream stream, int chunks = 1)
    {
        long length = stream.CanSeek ? stream.Length - stream.Position : 0;
        var starts = new List<long> { 0 };
        var linesBefore = new List<long> { 0 };
        int next = chunks > 1 && length > 0 ? 1 : chunks; // the chunk whose start is looked for next
        long target = length * next / Math.Max(1, chunks);

        var buffer = new byte[1 << 20];
        long lines = 0;
        long position = 0; // of the buffer's first byte
        bool quote = false;
        bool lone = false;
        int read;
        bool carried = false; // the previous buffer ended with a carriage return
        byte last = (byte)'\n';
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            ReadOnlySpan<byte> chunk = buffer.AsSpan(0, read);

            // A chunk starts just after the first line feed at or past its target (the previous start, at least).
            while (next < chunks && target < position + read)
            {
                int from = (int)Math.Max(0, target - position);
                int feed = chunk[from..].IndexOf((byte)'\n');
                if (feed < 0)
                {
                    break; // in a later buffer
                }

                long start = position + from + feed + 1;
                if (start >= length)
                {
                    next = chunks; // the rest of the file is one line: no more chunks
                    break;
                }

                starts.Add(start);
                linesBefore.Add(lines + chunk[..(from + feed + 1)].Count((byte)'\n'));
                next++;
                target = Math.Max(length * next / chunks, start);
            }

            lines += chunk.Count((byte)'\n');
            quote = quote || chunk.Contains((byte)'"');
            if (carried && chunk[0] != '\n')
            {
                lone = true;
            }

            if (!lone)
            {
                int returns = chunk.Count((byte)'\r');
                if (returns > 0)
                {
                    int ended = chunk[^1] == '\r' ? 1 : 0;
                    lone = chunk.Count("\r\n"u8) + ended != returns;
                }
            }

            carried = chunk[^1] == '\r';
            last = chunk[^1];
            position += read;
        }

        return new FileShape(lines, last == '\n', quote, lone || carried, [.. starts], [.. linesBefore]);
    }

    /// <summary>
    /// The most data rows a text of this shape can hold (its lines), less the header. Columns are
    /// sized with it, so their values need no copy when none is missing.
    /// </summary>
    private static int RowsAtMost(FileShape shape) => (int)Math.Clamp(shape.LineFeeds + (shape.EndsWithLineFeed ? 0 : 1) - 1, 0, Array.MaxLength);

    /// <summary>The most data rows the file can hold: its lines less the header.</summary>
    internal static int RowsAtMost(Stream stream) => RowsAtMost(Scan(stream));

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

/// <summary>A read-only view of the bytes [start, end) of a file stream, for a chunk parsed on its own.</summary>
internal sealed class FileRange : Stream
{
    private readonly FileStream file;
    private readonly long start;
    private readonly long end;
    private readonly bool leaveOpen;
    private long position;

    public FileRange(FileStream file, long start, long end, bool leaveOpen)
    {
        this.file = file;
        this.start = start;
        this.end = end;
        this.leaveOpen = leaveOpen;
        position = start;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => end - start;

    public override long Position
    {
        get => position - start;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int wanted = (int)Math.Min(buffer.Length, end - position);
        if (wanted <= 0)
        {
            return 0;
        }

        file.Position = position;
        int read = file.Read(buffer[..wanted]);
        position += read;
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen)
        {
            file.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>Wraps a callback as an <see cref="IProgress{T}"/> that calls it on the reporting thread.</summary>
internal static class ProgressExtensions
{
    public static IProgress<double> AsProgress(this Action<double> report) => new Immediate(report);

    private sealed class Immediate(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
