using System.Globalization;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Cli.Data;

/// <summary>
/// One column of a <see cref="Dataset"/> as it is read: its values as numbers or as labels, and its missing count.
/// A column starts as numbers (unless forced categorical) and is marked <see cref="NotNumeric"/> at the first value
/// that is not a number; the reader then reads it again as labels.
/// </summary>
internal sealed class LoadedColumn
{
    private const int MaxInternedLabels = 10_000;
    private readonly int capacity;
    private readonly ColumnPart? part;
    private GrowingArray<double>? numbers;
    private GrowingArray<string>? labels;
    private GrowingArray<int>? missingRows;
    private Dictionary<string, string>? intern;
    private Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> internLookup;

    // Set when the column is profiled as it is read (against a baseline) instead of kept: values go to the profiler.
    private BaselineColumnProfiler? profiler;
    private int profiled;
    private bool stopped;

    // A profiled column's latest numbers, handed to the profiler a block at a time: a row-by-row reader touches every
    // column's grid and counters once per row, which with 16 columns does not fit the core's cache, where a block
    // binned column by column does (about 2x fewer nanoseconds per value, docs/benchmarks.md).
    private const int PendingBlock = 1024;
    private double[]? pending;
    private int pendingCount;

    // A profiled label column's labels, tallied as they come and handed to the profiler with their counts, in the
    // order each first came (which decides the categories a profile keeps exactly), when the profiler is read or the
    // parts are joined. A row then costs one hash lookup instead of three (the tally's, the profile's and the quality
    // counter's), and a later part's labels reach the first part's profile as a sequential read would have added them:
    // merging two profiles cannot, once the later part's own counter has filled with other labels. At most
    // MaxInternedLabels distinct labels are tallied; after that, the tallies go over and the rest go straight in.
    private Dictionary<string, LabelTally>? tallies;
    private Dictionary<string, LabelTally>.AlternateLookup<ReadOnlySpan<char>> tallyLookup;
    private List<LabelTally>? pendingTallies;

    // The tallies of a profiled label column by the UTF-8 bytes of their labels (Parquet text), in a small table indexed
    // by a hash of the bytes: a label met before is found by one compare of its bytes, without decoding it to UTF-16
    // or hashing its text. A slot holds the latest label that hashed to it; any other label takes the usual way.
    private const int Utf8TallySlots = 64;
    private Utf8Tally?[]? utf8Tallies;

    /// <summary>Starts a column.</summary>
    /// <param name="name">The column's name.</param>
    /// <param name="forceCategorical">Whether to read labels whatever the values are.</param>
    /// <param name="capacity">
    /// How many values the column can hold at most, when the reader knows it (rows, or lines of the file): the values
    /// then go straight into an array of that size, which becomes the sample without a copy when no value is missing.
    /// </param>
    /// <param name="profiler">
    /// When set, the values are not kept but profiled as they come (see <see cref="BaselineColumnProfiler"/>); the
    /// column then never needs a second read, and <see cref="ToSample"/> is not available.
    /// </param>
    /// <param name="part">
    /// When set, the column is one part of a file read side by side: its values go into the arrays the parts share,
    /// from the part's offset on, so that <see cref="Join"/> moves them at most once, in place.
    /// </param>
    public LoadedColumn(string name, bool forceCategorical, int capacity = 0, BaselineColumnProfiler? profiler = null, ColumnPart? part = null)
    {
        Name = name;
        this.profiler = profiler;
        this.capacity = profiler is null ? capacity : 0;
        this.part = profiler is null ? part : null;
        if (forceCategorical)
        {
            labels = NewLabels();
            if (profiler is null)
            {
                intern = new Dictionary<string, string>(StringComparer.Ordinal);
                internLookup = intern.GetAlternateLookup<ReadOnlySpan<char>>();
            }
            else
            {
                tallies = new Dictionary<string, LabelTally>(StringComparer.Ordinal);
                tallyLookup = tallies.GetAlternateLookup<ReadOnlySpan<char>>();
                pendingTallies = [];
            }
        }
        else
        {
            numbers = this.part is { } shared ? new GrowingArray<double>(shared.Numbers, shared.Offset, shared.Limit) : new GrowingArray<double>(this.capacity);
        }
    }

    private GrowingArray<string> NewLabels() =>
        part is { } shared ? new GrowingArray<string>(shared.Labels, shared.Offset, shared.Limit) : new GrowingArray<string>(capacity);

    /// <summary>The column's name.</summary>
    public string Name { get; }

    /// <summary>Whether the column holds labels.</summary>
    public bool IsCategorical => labels is not null;

    /// <summary>Whether a value of the file is not a number (the column is then read again as labels).</summary>
    public bool NotNumeric { get; private set; }

    /// <summary>The first value that is not a number, with its line, when <see cref="NotNumeric"/>.</summary>
    public (string Value, long Line)? FirstNonNumber { get; private set; }

    /// <summary>
    /// Whether numbers were kept before the first label, so the column must be read again as labels (to keep every
    /// label exactly as written).
    /// </summary>
    public bool NeedsReread { get; private set; }

    /// <summary>How many values were missing.</summary>
    public int Missing { get; private set; }

    /// <summary>How many values are not missing.</summary>
    public int Count => profiler is not null ? profiled : numbers?.Count ?? labels?.Count ?? 0;

    /// <summary>
    /// The profiler the values went to, when the column was profiled as it was read rather than kept; reading it hands
    /// the profiler the numbers still held back for the next block, so it has every value read so far.
    /// </summary>
    public BaselineColumnProfiler? Profiler
    {
        get
        {
            FlushPending();
            return profiler;
        }
    }

    /// <summary>The column as a statistics sample.</summary>
    public ColumnSample ToSample()
    {
        ThrowIfProfiled();
        if (labels is not null)
        {
            return ColumnSample.Categorical(Name, labels.ToExactArray(), Missing);
        }

        if (numbers is null)
        {
            throw new InvalidOperationException($"Column '{Name}' is not numeric and was not read again as text.");
        }

        return ColumnSample.Numerical(Name, numbers.ToExactArray(), Missing);
    }

    /// <summary>Adds the text of a CSV cell: pandas' missing spellings are missing, numbers as <see cref="CellText"/> reads them.</summary>
    public void AddText(ReadOnlySpan<char> cell, long line)
    {
        if (labels is not null)
        {
            if (CellText.IsMissing(cell))
            {
                NoteMissing(1);
            }
            else if (tallies is not null)
            {
                TallyLabel(cell, null, line);
            }
            else
            {
                KeepLabel(Intern(cell), cell, line);
            }

            return;
        }

        if (numbers is null)
        {
            return;
        }

        if (CellText.TryParseNumber(cell, out double value))
        {
            AddNumber(value);
        }
        else if (CellText.IsMissing(cell))
        {
            NoteMissing(1);
        }
        else
        {
            MarkNotNumeric(cell.ToString(), line);
        }
    }

    /// <summary>Adds a number; NaN and infinities are missing (Evidently drops them before every test).</summary>
    public void AddNumber(double value)
    {
        if (labels is not null)
        {
            AddLabel(value.ToString("R", CultureInfo.InvariantCulture));
            return;
        }

        if (numbers is null)
        {
            return;
        }

        if (!double.IsFinite(value))
        {
            NoteMissing(1);
        }
        else if (profiler is null)
        {
            numbers.Add(value);
        }
        else if (!stopped)
        {
            if (profiler.TakesNumbers)
            {
                double[] block = pending ??= new double[PendingBlock];
                block[pendingCount++] = value;
                profiled++;
                if (pendingCount == block.Length)
                {
                    FlushPendingNumbers();
                }
            }
            else
            {
                Stop(value.ToString("R", CultureInfo.InvariantCulture), 0);
            }
        }
    }

    /// <summary>Adds numbers in bulk; NaN and infinities are missing.</summary>
    public void AddNumbers(ReadOnlySpan<double> values)
    {
        if (labels is null && numbers is not null && profiler is not null && !stopped && profiler.TakesNumbers)
        {
            ProfileNumbers(values);
            return;
        }

        if (numbers is null || profiler is not null)
        {
            foreach (double value in values)
            {
                AddNumber(value);
            }

            return;
        }

        // Runs of finite values are copied in bulk; each NaN or infinity between them is a missing value.
        while (!values.IsEmpty)
        {
            int nonFinite = IndexOfNonFinite(values);
            if (nonFinite < 0)
            {
                numbers.AddRange(values);
                return;
            }

            numbers.AddRange(values[..nonFinite]);
            NoteMissing(1);
            values = values[(nonFinite + 1)..];
        }
    }

    // A profiled numerical column's numbers: long runs of finite values go to the profiler as they are, after the
    // numbers held back before them, so the profiler sees the same values in the same order as one by one.
    private void ProfileNumbers(ReadOnlySpan<double> values)
    {
        const int ShortRun = 256;
        while (!values.IsEmpty)
        {
            int nonFinite = IndexOfNonFinite(values);
            ReadOnlySpan<double> run = nonFinite < 0 ? values : values[..nonFinite];
            if (run.Length < ShortRun)
            {
                foreach (double value in run)
                {
                    AddNumber(value);
                }
            }
            else
            {
                FlushPendingNumbers();
                profiler!.AddNumbers(run);
                profiled += run.Length;
            }

            if (nonFinite < 0)
            {
                return;
            }

            NoteMissing(1);
            values = values[(nonFinite + 1)..];
        }
    }

    // The index of the first NaN or ±Infinity (all exponent bits set), or -1.
    private static int IndexOfNonFinite(ReadOnlySpan<double> values)
    {
        const ulong ExponentMask = 0x7FF0_0000_0000_0000;
        ReadOnlySpan<ulong> bits = System.Runtime.InteropServices.MemoryMarshal.Cast<double, ulong>(values);
        for (int i = 0; i < bits.Length; i++)
        {
            if ((bits[i] & ExponentMask) == ExponentMask)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Adds a label; in a numerical column it makes the column <see cref="NotNumeric"/>.</summary>
    public void AddLabel(string label, long line = 0)
    {
        if (tallies is not null)
        {
            TallyLabel(label, label, line);
        }
        else if (labels is not null)
        {
            KeepLabel(Intern(label), label, line);
        }
        else if (numbers is not null)
        {
            MarkNotNumeric(label, line);
        }
    }

    /// <summary>
    /// Adds a label from its UTF-8 bytes (decoded with replacement characters where they are not valid UTF-8), as
    /// <see cref="AddLabel(ReadOnlySpan{char}, long)"/> adds the decoded text; <paramref name="scratch"/> holds the
    /// decoded text and grows when a label needs it. Returns what <see cref="AddAgain"/> takes to add the same label
    /// once more without its bytes (its tally, or its kept string), or null when the column has no such shortcut.
    /// </summary>
    public object? AddLabel(ReadOnlySpan<byte> utf8, ref char[] scratch)
    {
        if (tallies is not null && !stopped)
        {
            Utf8Tally?[] slots = utf8Tallies ??= new Utf8Tally?[Utf8TallySlots];
            int slot = Utf8Slot(utf8);
            if (slots[slot] is { } known && utf8.SequenceEqual(known.Bytes))
            {
                CountTallied(known.Tally);
                return known.Tally;
            }

            LabelTally? tally = TallyLabel(Decode(utf8, ref scratch), null, 0);
            if (tally is not null)
            {
                slots[slot] = new Utf8Tally(utf8.ToArray(), tally);
            }

            return tally;
        }

        if (labels is not null && profiler is null)
        {
            string label = Intern(Decode(utf8, ref scratch));
            labels.Add(label);
            return label;
        }

        AddLabel(Decode(utf8, ref scratch));
        return null;
    }

    /// <summary>
    /// Adds once more the label that <see cref="AddLabel(ReadOnlySpan{byte}, ref char[])"/> returned
    /// <paramref name="repeat"/> for, with the same effect; false, having added nothing, when the column can no longer
    /// take that shortcut (the caller then adds the label's bytes).
    /// </summary>
    public bool AddAgain(object repeat)
    {
        switch (repeat)
        {
            case LabelTally tally when tallies is not null && !stopped:
                CountTallied(tally);
                return true;
            case string label when labels is not null && profiler is null:
                labels.Add(label);
                return true;
            default:
                return false;
        }
    }

    private static ReadOnlySpan<char> Decode(ReadOnlySpan<byte> utf8, ref char[] scratch)
    {
        int most = System.Text.Encoding.UTF8.GetMaxCharCount(utf8.Length);
        if (scratch.Length < most)
        {
            scratch = new char[Math.Max(most, scratch.Length * 2)];
        }

        return scratch.AsSpan(0, System.Text.Encoding.UTF8.GetChars(utf8, scratch));
    }

    // A slot of the UTF-8 tally table: the length and the first and last bytes, mixed.
    private static int Utf8Slot(ReadOnlySpan<byte> utf8)
    {
        const ulong Mix = 0x9E37_79B9_7F4A_7C15;
        ulong hash = (ulong)utf8.Length * Mix;
        if (utf8.Length >= 8)
        {
            hash = (hash ^ System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(utf8)) * Mix;
            hash = (hash ^ System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(utf8[^8..])) * Mix;
        }
        else
        {
            foreach (byte b in utf8)
            {
                hash = (hash ^ b) * Mix;
            }
        }

        return (int)(hash >> 58); // 64 slots
    }

    /// <summary>Adds a label from a span, allocating only for labels not seen yet.</summary>
    public void AddLabel(ReadOnlySpan<char> label, long line = 0)
    {
        if (tallies is not null)
        {
            TallyLabel(label, null, line);
        }
        else if (labels is not null)
        {
            KeepLabel(Intern(label), label, line);
        }
        else if (numbers is not null)
        {
            MarkNotNumeric(label.ToString(), line);
        }
    }

    /// <summary>
    /// Joins the parts of one column read from consecutive chunks of a file, as one sequential read would have left it.
    /// Parts that hold no value yet (only missing ones) take either type. When every part is numbers, or every part
    /// labels from its first value on, their values are concatenated. When some are labels and others numbers, a
    /// sequential read would have kept the later numbers as labels: the column is then marked to be read again as labels
    /// (<see cref="NeedsReread"/>). The first value that is not a number is the earliest part's. The values are appended
    /// to the first part's storage (sized for the whole file by the reader), so only the later parts are copied.
    /// </summary>
    public static LoadedColumn Join(IReadOnlyList<LoadedColumn> parts)
    {
        LoadedColumn first = parts[0];
        if (parts.Count == 1)
        {
            return first;
        }

        if (first.profiler is not null)
        {
            return JoinProfiled(parts);
        }

        var joined = new LoadedColumn(first.Name, forceCategorical: false) { numbers = null };
        joined.Missing = parts.Sum(p => p.Missing);
        joined.missingRows = JoinMissingRows(parts);
        (string Value, long Line)? firstNonNumber = parts.Select(p => p.FirstNonNumber).FirstOrDefault(f => f is not null);
        bool anyLabels = parts.Any(p => p.labels is not null && p.labels.Count > 0);
        bool anyNumbers = parts.Any(p => p.numbers is not null && p.numbers.Count > 0);
        bool reread = parts.Any(p => p.NeedsReread) || (anyLabels && anyNumbers);
        bool forced = parts.All(p => p.labels is not null) && !parts.Any(p => p.NotNumeric);
        joined.NotNumeric = parts.Any(p => p.NotNumeric);
        joined.FirstNonNumber = firstNonNumber;
        if (reread)
        {
            joined.NeedsReread = true;
            joined.NotNumeric = true;
            return joined;
        }

        if (anyLabels || forced || joined.NotNumeric)
        {
            GrowingArray<string> labels = first.labels ?? new GrowingArray<string>(parts.Sum(p => p.labels?.Count ?? 0));
            foreach (LoadedColumn part in parts.Skip(first.labels is null ? 0 : 1))
            {
                if (part.labels is not null)
                {
                    labels.Append(part.labels);
                }
            }

            joined.labels = labels;
            return joined;
        }

        GrowingArray<double> numbers = first.numbers ?? new GrowingArray<double>(parts.Sum(p => p.numbers?.Count ?? 0));
        foreach (LoadedColumn part in parts.Skip(first.numbers is null ? 0 : 1))
        {
            if (part.numbers is not null)
            {
                numbers.Append(part.numbers);
            }
        }

        joined.numbers = numbers;
        return joined;
    }

    /// <summary>Counts missing values.</summary>
    public void AddMissing(int count = 1) => NoteMissing(count);

    // Profiled parts: the later parts' profiles and counts go into the first part's, in file order.
    private static LoadedColumn JoinProfiled(IReadOnlyList<LoadedColumn> parts)
    {
        LoadedColumn first = parts[0];
        for (int p = 1; p < parts.Count; p++)
        {
            LoadedColumn part = parts[p];
            if (first.stopped)
            {
                break; // the column is in error from the first value of the other type on: nothing after it counts
            }

            first.FlushPending();
            part.FlushPendingNumbers();
            part.HandOverLabels(first.profiler!); // as if read after the first part's, in order
            first.profiler!.Merge(part.profiler!);
            first.profiled += part.profiled;
            first.Missing += part.Missing;
            if (part.stopped)
            {
                first.stopped = true;
                first.NotNumeric = part.NotNumeric;
                first.FirstNonNumber = part.FirstNonNumber;
            }
        }

        return first;
    }

    // The parts' missing rows, shifted by the rows of the parts before them (each part holds whole rows).
    private static GrowingArray<int>? JoinMissingRows(IReadOnlyList<LoadedColumn> parts)
    {
        if (parts.All(p => p.missingRows is null))
        {
            return null;
        }

        var joined = new GrowingArray<int>(parts.Sum(p => p.Missing));
        int offset = 0;
        foreach (LoadedColumn part in parts)
        {
            foreach (int row in part.missingRows?.ToExactArray() ?? [])
            {
                joined.Add(offset + row);
            }

            offset += part.Count + part.Missing;
        }

        return joined;
    }

    /// <summary>Takes the values of a column read again as labels; keeps what the first read found, for messages.</summary>
    public void ReplaceWith(LoadedColumn other)
    {
        numbers = other.numbers;
        labels = other.labels;
        intern = other.intern;
        internLookup = other.internLookup;
        Missing = other.Missing;
        missingRows = other.missingRows;
    }

    /// <summary>
    /// The numbers row by row, NaN where a value was missing (for <c>mlmon outliers</c>, which writes one line per row);
    /// null when the column is not numerical.
    /// </summary>
    public double[]? NumbersByRow()
    {
        ThrowIfProfiled();
        if (numbers is null)
        {
            return null;
        }

        double[] present = numbers.ToExactArray();
        var rows = new double[present.Length + Missing];
        int next = 0;
        int row = 0;
        foreach (int missingRow in missingRows?.ToExactArray() ?? [])
        {
            while (row < missingRow)
            {
                rows[row++] = present[next++];
            }

            rows[row++] = double.NaN;
        }

        while (row < rows.Length)
        {
            rows[row++] = present[next++];
        }

        return rows;
    }

    /// <summary>
    /// The labels row by row, null where a value was missing (for the commands that pair columns row by row); null
    /// when the column is not categorical.
    /// </summary>
    public string?[]? LabelsByRow()
    {
        ThrowIfProfiled();
        if (labels is null)
        {
            return null;
        }

        string[] present = labels.ToExactArray();
        var rows = new string?[present.Length + Missing];
        int next = 0;
        int row = 0;
        foreach (int missingRow in missingRows?.ToExactArray() ?? [])
        {
            while (row < missingRow)
            {
                rows[row++] = present[next++];
            }

            rows[row++] = null;
        }

        while (row < rows.Length)
        {
            rows[row++] = present[next++];
        }

        return rows;
    }

    // Every row adds one value or one missing value, so a missing value's row is the count of values before it.
    private void NoteMissing(int count)
    {
        if (profiler is not null)
        {
            if (!stopped)
            {
                profiler.AddMissing(count);
            }

            Missing += count;
            return;
        }

        missingRows ??= new GrowingArray<int>(0);
        for (int i = 0; i < count; i++)
        {
            missingRows.Add(Count + Missing + i);
        }

        Missing += count;
    }

    private void MarkNotNumeric(string value, long line)
    {
        if (profiler is not null)
        {
            Stop(value, line);
            return;
        }

        NotNumeric = true;
        FirstNonNumber = (value, line);
        if (numbers!.Count == 0)
        {
            // No number was kept before this label (only missing values, if anything): go on as labels in this
            // same read; nothing needs to be read again.
            numbers = null;
            labels = NewLabels();
            intern = new Dictionary<string, string>(StringComparer.Ordinal);
            internLookup = intern.GetAlternateLookup<ReadOnlySpan<char>>();
            labels.Add(Intern(value));
            return;
        }

        NeedsReread = true;
        numbers = null;
    }

    // A label for the column: kept, or profiled (text where the baseline holds numbers stops the column).
    private void KeepLabel(string label, ReadOnlySpan<char> text, long line)
    {
        if (profiler is null)
        {
            labels!.Add(label);
        }
        else if (stopped)
        {
            return;
        }
        else if (profiler.TakesLabels)
        {
            profiler.AddLabel(label);
            profiled++;
        }
        else
        {
            Stop(text.ToString(), line);
        }
    }

    // Tallies a label of a profiled label column (text is the label; label, its string when the caller has one); returns
    // its tally, or null when the label was not tallied (the column stopped, or holds as many tallies as it may).
    private LabelTally? TallyLabel(ReadOnlySpan<char> text, string? label, long line)
    {
        if (stopped)
        {
            return null;
        }

        if (tallyLookup.TryGetValue(text, out LabelTally? tally))
        {
            CountTallied(tally);
            return tally;
        }

        label ??= text.ToString();
        if (tallies!.Count < MaxInternedLabels && profiler!.TakesLabels)
        {
            tally = new LabelTally(label) { Count = 1 };
            tallies.Add(label, tally);
            pendingTallies!.Add(tally);
            profiled++;
            return tally;
        }

        HandOverLabels(profiler!); // the labels before this one first
        KeepLabel(label, text, line);
        return null;
    }

    // One more occurrence of a label already tallied; a tally counted again since the last hand-over is pending.
    private void CountTallied(LabelTally tally)
    {
        if (tally.Count++ == 0)
        {
            pendingTallies!.Add(tally);
        }

        profiled++;
    }

    // The labels tallied since the last hand-over, to a profiler (this column's, or the first part's when the parts
    // are joined), in the order they first came.
    private void HandOverLabels(BaselineColumnProfiler to)
    {
        if (pendingTallies is { Count: > 0 })
        {
            foreach (LabelTally tally in pendingTallies)
            {
                to.AddLabel(tally.Label, tally.Count);
                tally.Count = 0;
            }

            pendingTallies.Clear();
        }
    }

    // The numbers held back for the next block and the labels tallied since the last hand-over, profiled now.
    private void FlushPending()
    {
        FlushPendingNumbers();
        HandOverLabels(profiler!);
    }

    private void FlushPendingNumbers()
    {
        if (pendingCount > 0)
        {
            profiler!.AddNumbers(pending.AsSpan(0, pendingCount));
            pendingCount = 0;
        }
    }

    private sealed class Utf8Tally(byte[] bytes, LabelTally tally)
    {
        public byte[] Bytes { get; } = bytes;

        public LabelTally Tally { get; } = tally;
    }

    private sealed class LabelTally(string label)
    {
        public string Label { get; } = label;

        public long Count { get; set; }
    }

    // The first value of the other type in a profiled column: nothing more is counted, and the comparison reports it.
    private void Stop(string value, long line)
    {
        if (!stopped)
        {
            FlushPending();
            stopped = true;
            NotNumeric = true;
            FirstNonNumber = (value, line);
        }
    }

    private void ThrowIfProfiled()
    {
        if (profiler is not null)
        {
            throw new InvalidOperationException($"Column '{Name}' was profiled as it was read; its values were not kept.");
        }
    }

    private string Intern(string label)
    {
        if (intern is null)
        {
            return label;
        }

        if (intern.TryGetValue(label, out string? existing))
        {
            return existing;
        }

        if (intern.Count < MaxInternedLabels)
        {
            intern.Add(label, label);
        }

        return label;
    }

    private string Intern(ReadOnlySpan<char> label)
    {
        if (intern is null)
        {
            return label.ToString();
        }

        if (internLookup.TryGetValue(label, out string? existing))
        {
            return existing;
        }

        string text = label.ToString();
        if (intern.Count < MaxInternedLabels)
        {
            intern.Add(text, text);
        }

        return text;
    }
}

/// <summary>
/// An append-only array. With the right capacity up front nothing is ever copied: <see cref="ToExactArray"/> hands
/// over the array itself when it is full; otherwise it grows by doubling and ends with one copy to the exact length.
/// The array is allocated on the first value, without zeroing, so a column that turns out to be labels costs nothing.
/// </summary>
/// <remarks>
/// Parts of one file read side by side write into one <see cref="SharedArray{T}"/>, each from its own offset
/// (<see cref="GrowingArray{T}(SharedArray{T}, int, int)"/>); <see cref="Append"/> then closes the gaps between
/// them in place, so the whole column is never copied from one part's array into another's.
/// </remarks>
internal sealed class GrowingArray<T>
{
    private readonly int initialCapacity;
    private readonly SharedArray<T>? shared;
    private T[] items = [];
    private int offset; // where this array's items start in items (a part of a shared array)
    private int limit = int.MaxValue; // how many items this part may hold from offset on
    private int room; // how many items fit from offset on in items as it is

    /// <summary>An array of its own, sized for <paramref name="capacity"/> items on the first one.</summary>
    public GrowingArray(int capacity) => initialCapacity = capacity;

    /// <summary>A part of a shared array: up to <paramref name="limit"/> items from <paramref name="offset"/> on.</summary>
    public GrowingArray(SharedArray<T> shared, int offset, int limit)
    {
        this.shared = shared;
        this.offset = offset;
        this.limit = limit;
        initialCapacity = limit;
    }

    /// <summary>How many items were added.</summary>
    public int Count { get; private set; }

    /// <summary>Appends an item.</summary>
    public void Add(T item)
    {
        if (Count == room)
        {
            Grow(Count + 1);
        }

        items[offset + Count++] = item;
    }

    /// <summary>Appends items in one copy.</summary>
    public void AddRange(ReadOnlySpan<T> values)
    {
        if (room - Count < values.Length)
        {
            Grow(checked(Count + values.Length));
        }

        values.CopyTo(items.AsSpan(offset + Count));
        Count += values.Length;
    }

    /// <summary>
    /// Appends the items of <paramref name="later"/>, a later part of the same column. When both are parts of one shared
    /// array and <paramref name="later"/> starts after this one's items, its items are moved down in place (nothing at
    /// all moves when they already follow on); otherwise they are copied.
    /// </summary>
    public void Append(GrowingArray<T> later)
    {
        if (later.Count == 0)
        {
            return;
        }

        if (shared is not null && ReferenceEquals(items, later.items) && later.offset >= offset + Count)
        {
            if (later.offset != offset + Count)
            {
                Array.Copy(items, later.offset, items, offset + Count, later.Count);
            }

            Count += later.Count;
            limit = room = items.Length - offset;
            return;
        }

        AddRange(later.items.AsSpan(later.offset, later.Count));
    }

    /// <summary>The items in an array of exactly <see cref="Count"/> elements (the storage itself when it is full).</summary>
    public T[] ToExactArray()
    {
        if (offset == 0 && Count == items.Length)
        {
            return items;
        }

        T[] exact = GC.AllocateUninitializedArray<T>(Count);
        Array.Copy(items, offset, exact, 0, Count);
        return exact;
    }

    // Makes room for at least `needed` items: the shared array on the first item when there is one and it fits,
    // otherwise an array of this one's own (doubling).
    private void Grow(int needed)
    {
        if (items.Length == 0 && shared is not null && needed <= limit)
        {
            items = shared.Items;
            room = Math.Min(limit, items.Length - offset);
            return;
        }

        int size = Math.Max(needed, Count == 0 ? Math.Max(initialCapacity, 1024) : checked(Count * 2));
        T[] grown = GC.AllocateUninitializedArray<T>(size);
        Array.Copy(items, offset, grown, 0, Count);
        items = grown;
        offset = 0;
        limit = int.MaxValue;
        room = size;
    }
}

/// <summary>Where one part of a file read side by side keeps a column's values: the shared arrays, from an offset on.</summary>
/// <param name="Numbers">The column's numbers, shared by the parts.</param>
/// <param name="Labels">The column's labels, shared by the parts.</param>
/// <param name="Offset">Where this part's values start: the most values all the parts before it can hold.</param>
/// <param name="Limit">The most values this part can hold (its lines).</param>
internal sealed record ColumnPart(SharedArray<double> Numbers, SharedArray<string> Labels, int Offset, int Limit);

/// <summary>
/// One array that the parts of a column read side by side fill, each from its own offset; allocated (without zeroing)
/// by the first part that has a value, so a column that turns out to be of the other type costs nothing.
/// </summary>
/// <param name="length">The array's length: the most values the whole column can hold.</param>
internal sealed class SharedArray<T>(int length)
{
    private T[]? items;

    /// <summary>The array, allocated on the first call.</summary>
    public T[] Items
    {
        get
        {
            if (items is null)
            {
                Interlocked.CompareExchange(ref items, GC.AllocateUninitializedArray<T>(length), null);
            }

            return items;
        }
    }
}
