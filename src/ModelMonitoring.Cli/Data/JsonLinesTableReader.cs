using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace ModelMonitoring.Cli.Data;

/// <summary>
/// Reads JSON lines: one JSON object per line, blank lines skipped. A line is either a flat object of feature name to
/// value, or an inference capture record
/// (<c>{"timestamp":...,"model":...,"features":{...},"prediction":{...}}</c>) whose columns are the keys of
/// <c>features</c> and <c>prediction</c> (other fields are ignored). The first line decides which; every line must be
/// of the same kind.
/// </summary>
/// <remarks>
/// Numbers are numbers; strings, <c>true</c> and <c>false</c> are labels (a column with one label is categorical,
/// its numbers then kept as written); <c>null</c> and a key absent from a line are missing. The strings
/// <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c> (how System.Text.Json writes those doubles) count as
/// numbers, and are missing like NaN and infinities in CSV.
/// </remarks>
internal sealed class JsonLinesTableReader : ITableReader
{
    private const int ProgressEveryRows = 16_384;
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 8 };

    /// <inheritdoc />
    public TableData Read(string path, ColumnSelection selection, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        using FileStream stream = InputFile.OpenRead(path);
        long length = stream.Length;
        var state = new State(path, selection);
        byte[] buffer = new byte[1 << 20];
        int filled = 0;
        long line = 0;
        bool first = true;
        while (true)
        {
            int read = stream.Read(buffer, filled, buffer.Length - filled);
            filled += read;
            bool end = read == 0;
            int start = 0;
            while (true)
            {
                int newline = buffer.AsSpan(start, filled - start).IndexOf((byte)'\n');
                if (newline < 0 && !end)
                {
                    break;
                }

                int stop = newline < 0 ? filled : start + newline;
                ReadOnlySpan<byte> text = buffer.AsSpan(start, stop - start);
                line++;
                if (first && text.StartsWith("\uFEFF"u8))
                {
                    text = text[3..];
                }

                first = false;
                if (text.Length > 0 && text[^1] == '\r')
                {
                    text = text[..^1];
                }

                if (!IsBlank(text))
                {
                    state.ReadLine(text, line);
                    if (state.Rows % ProgressEveryRows == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        if (progress is not null && length > 0)
                        {
                            progress.Report(Math.Min(1.0, (double)stream.Position / length));
                        }
                    }
                }

                if (newline < 0)
                {
                    start = filled;
                    break;
                }

                start = stop + 1;
            }

            if (end)
            {
                break;
            }

            // Keep the partial line; grow the buffer for a line longer than it.
            int rest = filled - start;
            if (start == 0 && rest == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }
            else
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, rest);
            }

            filled = rest;
        }

        if (state.Rows == 0)
        {
            throw new CliInputException($"{path}: the file holds no JSON lines; expected one JSON object per line.");
        }

        progress?.Report(1.0);
        return state.Finish();
    }

    private static bool IsBlank(ReadOnlySpan<byte> text)
    {
        foreach (byte b in text)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The columns found so far and the rows read.</summary>
    private sealed class State(string path, ColumnSelection selection)
    {
        private readonly List<Slot> slots = [];
        private readonly Dictionary<string, Slot> byName = new(StringComparer.Ordinal);
        private readonly HashSet<string> skipped = new(StringComparer.Ordinal);
        private bool? capture;

        public int Rows { get; private set; }

        public void ReadLine(ReadOnlySpan<byte> text, long line)
        {
            if (!Utf8.IsValid(text))
            {
                int at = FirstInvalid(text);
                throw new CliInputException(
                    $"{path}: line {line}, column {Column(text, at)}: invalid UTF-8 (byte 0x{text[at]:X2}); JSON lines must be UTF-8.");
            }

            var reader = new Utf8JsonReader(text, Options);
            try
            {
                capture ??= IsCaptureRecord(text);
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    throw Error(text, line, reader.TokenStartIndex, "expected a JSON object ({...}) per line");
                }

                bool sawFeatures = false;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    string name = reader.GetString()!;
                    long keyAt = reader.TokenStartIndex;
                    reader.Read();
                    if (capture == true)
                    {
                        if (name is "features" or "prediction" && reader.TokenType == JsonTokenType.StartObject)
                        {
                            sawFeatures |= name == "features";
                            ReadObject(ref reader, text, line);
                        }
                        else if (name == "prediction")
                        {
                            Add(ref reader, "prediction", text, line, keyAt);
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                    else
                    {
                        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                        {
                            throw Error(text, line, keyAt, name == "features"
                                ? "an object under \"features\", but line 1 is a flat record; every line must be of one kind"
                                : $"key {Dataset.Quote(name)} holds {(reader.TokenType == JsonTokenType.StartArray ? "an array" : "an object")}; a line is a flat object of feature name to value, or a capture record with \"features\"");
                        }

                        Add(ref reader, name, text, line, keyAt);
                    }
                }

                if (capture == true && !sawFeatures)
                {
                    throw Error(text, line, 0, "no \"features\" object, but line 1 is a capture record; every line must be of one kind");
                }

                // Text after the object: the reader (final block) throws a JsonException naming the place.
                reader.Read();
            }
            catch (JsonException ex)
            {
                long at = ex.BytePositionInLine ?? 0;
                throw new CliInputException($"{path}: line {line}, column {Column(text, (int)Math.Min(at, text.Length))}: invalid JSON: {FirstSentence(ex.Message)}", ex);
            }

            Rows++;
            foreach (Slot slot in slots)
            {
                if (slot.LastRow != Rows)
                {
                    slot.Column.AddMissing();
                    slot.LastRow = Rows;
                }
            }
        }

        public TableData Finish() => new(slots.Select(s => s.Column).ToArray(), Rows);

        private void ReadObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> text, long line)
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                string name = reader.GetString()!;
                long keyAt = reader.TokenStartIndex;
                reader.Read();
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    throw Error(text, line, keyAt, $"feature {Dataset.Quote(name)} holds {(reader.TokenType == JsonTokenType.StartArray ? "an array" : "an object")}; mlmon compares numbers and labels");
                }

                Add(ref reader, name, text, line, keyAt);
            }
        }

        private void Add(ref Utf8JsonReader reader, string name, ReadOnlySpan<byte> text, long line, long keyAt)
        {
            if (!byName.TryGetValue(name, out Slot? slot))
            {
                if (skipped.Contains(name))
                {
                    return;
                }

                if (!selection.Reads(name))
                {
                    skipped.Add(name);
                    return;
                }

                slot = new Slot(selection.NewColumn(name, 0));
                slot.Column.AddMissing(Rows); // absent from the lines before
                slots.Add(slot);
                byName.Add(name, slot);
            }

            if (slot.LastRow == Rows + 1)
            {
                throw Error(text, line, keyAt, $"key {Dataset.Quote(name)} appears twice in the line");
            }

            slot.LastRow = Rows + 1;
            LoadedColumn column = slot.Column;
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    column.AddMissing();
                    break;
                case JsonTokenType.Number:
                    if (column.IsCategorical)
                    {
                        column.AddLabel(Encoding.UTF8.GetString(reader.ValueSpan));
                    }
                    else if (reader.TryGetDouble(out double number))
                    {
                        column.AddNumber(number);
                    }
                    else
                    {
                        CellText.TryParseNumber(Encoding.UTF8.GetString(reader.ValueSpan), out number);
                        column.AddNumber(number);
                    }

                    break;
                case JsonTokenType.True:
                    column.AddLabel("true", line);
                    break;
                case JsonTokenType.False:
                    column.AddLabel("false", line);
                    break;
                default:
                    string value = reader.GetString()!;
                    if (!column.IsCategorical && value is "NaN" or "Infinity" or "-Infinity")
                    {
                        column.AddNumber(double.NaN);
                    }
                    else
                    {
                        column.AddLabel(value, line);
                    }

                    break;
            }
        }

        private static bool IsCaptureRecord(ReadOnlySpan<byte> text)
        {
            var reader = new Utf8JsonReader(text, Options);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool features = reader.ValueTextEquals("features"u8);
                reader.Read();
                if (features && reader.TokenType == JsonTokenType.StartObject)
                {
                    return true;
                }

                reader.Skip();
            }

            return false;
        }

        private CliInputException Error(ReadOnlySpan<byte> text, long line, long at, string message) =>
            new($"{path}: line {line}, column {Column(text, (int)Math.Min(at, text.Length))}: {message}.");

        private static int FirstInvalid(ReadOnlySpan<byte> text)
        {
            Span<char> scratch = new char[text.Length];
            Utf8.ToUtf16(text, scratch, out int read, out _, replaceInvalidSequences: false);
            return Math.Min(read, text.Length - 1);
        }

        // The column, in characters, of a byte offset in the line.
        private static int Column(ReadOnlySpan<byte> text, int byteOffset) =>
            Encoding.UTF8.GetCharCount(text[..Math.Max(0, byteOffset)]) + 1;

        private static string FirstSentence(string message)
        {
            int end = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            return (end < 0 ? message : message[..end]).TrimEnd();
        }
    }

    private sealed class Slot(LoadedColumn column)
    {
        public LoadedColumn Column { get; } = column;

        public int LastRow { get; set; }
    }
}
