using System.Text;
using ModelMonitoring.Cli.Data;

namespace ModelMonitoring.Cli.Tests;

/// <summary>
/// A CSV file parsed in chunks on several threads reads exactly as it does on one: the same columns, types, values,
/// missing counts and first non-number, and the same error (file, line, column) when it is malformed.
/// </summary>
public sealed class CsvChunkedReadTests
{
    private static readonly ColumnSelection All = new(new HashSet<string>(StringComparer.Ordinal));

    [Theory]
    [InlineData(2, "\n")]
    [InlineData(3, "\r\n")]
    [InlineData(7, "\n")]
    public void Chunks_read_as_one_sequential_read(int chunks, string newline)
    {
        var random = new Random(chunks);
        var text = new StringBuilder("x,label,sparse,late" + newline);
        for (int i = 0; i < 3000; i++)
        {
            if (i % 500 == 7)
            {
                text.Append(newline); // a blank line
            }

            string sparse = i < 1700 ? "NA" : (random.NextDouble() * 10).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            string late = i == 2500 ? "oops" : i.ToString(System.Globalization.CultureInfo.InvariantCulture); // numbers, then a label late
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{random.NextDouble() - 0.5:R},{(i % 3 == 0 ? "a" : i % 3 == 1 ? "" : "b")},{sparse},{late}{newline}");
        }

        using var dir = new TempDir();
        string path = dir.Write("data.csv", text.ToString());

        TableData sequential = new CsvTableReader(null).Read(path, All, null, CancellationToken.None);
        TableData parallel = new CsvTableReader(null, chunks, minimumBytesPerChunk: 1).Read(path, All, null, CancellationToken.None);

        Assert.Equal(sequential.RowCount, parallel.RowCount);
        Assert.Equal(sequential.Columns.Select(c => c.Name), parallel.Columns.Select(c => c.Name));
        for (int c = 0; c < sequential.Columns.Count; c++)
        {
            LoadedColumn one = sequential.Columns[c];
            LoadedColumn many = parallel.Columns[c];
            Assert.Equal(one.IsCategorical, many.IsCategorical);
            Assert.Equal(one.NotNumeric, many.NotNumeric);
            Assert.Equal(one.NeedsReread, many.NeedsReread);
            Assert.Equal(one.FirstNonNumber, many.FirstNonNumber);
            Assert.Equal(one.Missing, many.Missing);
            if (!one.NeedsReread)
            {
                var a = one.ToSample();
                var b = many.ToSample();
                Assert.Equal(a.Numbers, b.Numbers);
                Assert.Equal(a.Categories, b.Categories);
            }
        }

        Assert.Equal(("oops", 2 + 2500 + 5L), parallel.Columns[3].FirstNonNumber); // header, 2500 rows before it, 5 blank lines
    }

    [Theory]
    [InlineData("1,2,3")]
    [InlineData("7")]
    public void A_late_malformed_row_gives_the_sequential_error(string bad)
    {
        var text = new StringBuilder("a,b\n");
        for (int i = 0; i < 4000; i++)
        {
            text.Append(i == 3100 ? bad : $"{i},{i * 2}").Append('\n');
        }

        using var dir = new TempDir();
        string path = dir.Write("bad.csv", text.ToString());

        var sequential = Assert.Throws<CliInputException>(() => new CsvTableReader(null).Read(path, All, null, CancellationToken.None));
        var parallel = Assert.Throws<CliInputException>(() => new CsvTableReader(null, 4, minimumBytesPerChunk: 1).Read(path, All, null, CancellationToken.None));

        Assert.Equal(sequential.Message, parallel.Message);
        Assert.Contains("line 3102", parallel.Message);
    }

    [Fact]
    public void Of_two_bad_chunks_the_earlier_error_is_reported()
    {
        var text = new StringBuilder("a,b\n");
        for (int i = 0; i < 4000; i++)
        {
            text.Append(i is 1200 or 3500 ? "1,2,3" : $"{i},{i}").Append('\n');
        }

        using var dir = new TempDir();
        string path = dir.Write("bad.csv", text.ToString());

        var error = Assert.Throws<CliInputException>(() => new CsvTableReader(null, 4, minimumBytesPerChunk: 1).Read(path, All, null, CancellationToken.None));

        Assert.Contains("line 1202", error.Message);
    }

    [Fact]
    public void Invalid_utf8_in_a_later_chunk_names_its_line()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "latin1.csv");
        using (var file = File.Create(path))
        {
            file.Write("name,v\n"u8);
            for (int i = 0; i < 4000; i++)
            {
                file.Write(Encoding.ASCII.GetBytes(i == 3000 ? "caf" : $"n{i},{i}\n"));
                if (i == 3000)
                {
                    file.Write([0xE9, (byte)',', (byte)'1', (byte)'\n']);
                }
            }
        }

        var sequential = Assert.Throws<CliInputException>(() => new CsvTableReader(null).Read(path, All, null, CancellationToken.None));
        var parallel = Assert.Throws<CliInputException>(() => new CsvTableReader(null, 3, minimumBytesPerChunk: 1).Read(path, All, null, CancellationToken.None));

        Assert.Equal(sequential.Message, parallel.Message);
        Assert.Contains("line 3002, column 4", parallel.Message);
    }

    [Fact]
    public void A_file_with_quotes_is_read_on_one_thread_and_keeps_its_quoted_line_breaks()
    {
        var text = new StringBuilder("a,note\n");
        for (int i = 0; i < 3000; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i},\"line one\nline two {i % 4}\"\n");
        }

        using var dir = new TempDir();
        string path = dir.Write("quoted.csv", text.ToString());

        TableData parallel = new CsvTableReader(null, 4, minimumBytesPerChunk: 1).Read(path, All, null, CancellationToken.None);

        Assert.Equal(3000, parallel.RowCount);
        Assert.Equal("line one\nline two 0", parallel.Columns[1].ToSample().Categories[0]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void The_first_row_of_a_file_or_chunk_is_named_by_its_own_line(int chunks)
    {
        using var dir = new TempDir();
        string header = dir.Write("header.csv", "price,\n1,2\n");
        string row = dir.Write("row.csv", "price,region\n1,a,extra\n");

        var headerError = Assert.Throws<CliInputException>(() => new CsvTableReader(null, chunks, minimumBytesPerChunk: 1).Read(header, All, null, CancellationToken.None));
        var rowError = Assert.Throws<CliInputException>(() => new CsvTableReader(null, chunks, minimumBytesPerChunk: 1).Read(row, All, null, CancellationToken.None));

        Assert.StartsWith($"{header}: line 1: header field 2 is empty", headerError.Message);
        Assert.StartsWith($"{row}: line 2: 3 fields", rowError.Message);
    }

    /// <summary>mlmon outliers writes one line per row: the joined chunks keep each missing value's row.</summary>
    [Fact]
    public void Missing_values_keep_their_rows_when_chunks_are_joined()
    {
        string directory = Path.Combine(Path.GetTempPath(), "mlmon-chunk-missing-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            string path = Path.Combine(directory, "gaps.csv");
            double[] expected = Enumerable.Range(0, 2_000).Select(i => i % 7 == 3 || i % 113 == 0 ? double.NaN : i * 0.5).ToArray();
            File.WriteAllText(path, "a,b\n" + string.Concat(expected.Select((v, i) => (double.IsNaN(v) ? "" : v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)) + "," + i + "\n")));
            TableData parallel = new CsvTableReader(null, 4, minimumBytesPerChunk: 1).Read(path, All, null, CancellationToken.None);
            double[] rows = parallel.Columns.Single(c => c.Name == "a").NumbersByRow()!;
            Assert.Equal(expected.Length, rows.Length);
            Assert.Equal(expected, rows);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
    /// <summary>
    /// The one pass that scans a file also finds where its chunks start and the lines before each: the same as looking
    /// for the first line feed at or past each equal share and counting the line feeds before it, across the scan's
    /// 1 MiB buffers, lines longer than a chunk and a file whose last line is one long line.
    /// </summary>
    [Theory]
    [InlineData(2, 10, 3_000_000)]
    [InlineData(3, 700_000, 3_000_000)]
    [InlineData(7, 50, 5_000_000)]
    [InlineData(4, 2_500_000, 3_000_000)]
    [InlineData(5, 1, 20)]
    public void The_scan_finds_the_chunk_starts_a_search_for_line_feeds_finds(int chunks, int longestLine, int bytes)
    {
        var random = new Random(chunks * 31 + longestLine);
        var text = new byte[bytes];
        for (int i = 0; i < bytes;)
        {
            int line = random.Next(0, longestLine);
            i = Math.Min(bytes, i + line);
            if (i < bytes)
            {
                text[i++] = (byte)'\n';
            }
        }

        for (int i = 0; i < bytes; i++)
        {
            text[i] = text[i] == 0 ? (byte)'x' : text[i];
        }

        CsvTableReader.FileShape shape = CsvTableReader.Scan(new MemoryStream(text), chunks);

        var starts = new List<long> { 0 };
        for (int k = 1; k < chunks; k++)
        {
            long target = Math.Max((long)bytes * k / chunks, starts[^1]);
            int feed = Array.IndexOf(text, (byte)'\n', (int)target);
            if (feed < 0 || feed + 1 >= bytes)
            {
                break;
            }

            starts.Add(feed + 1);
        }

        Assert.Equal(starts, shape.ChunkStarts);
        Assert.Equal(starts.Select(start => (long)text.AsSpan(0, (int)start).Count((byte)'\n')), shape.LinesBefore);
        Assert.Equal(text.AsSpan().Count((byte)'\n'), shape.LineFeeds);
    }
}
