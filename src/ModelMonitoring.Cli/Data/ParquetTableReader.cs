using System.Globalization;
using System.Numerics;
using ParquetSharp;

namespace ModelMonitoring.Cli.Data;

/// <summary>
/// Reads an Apache Parquet file (ParquetSharp, Apache Arrow's C++ reader) with its column types: integer,
/// floating-point and decimal columns are numbers (nulls, NaN and infinities missing); strings are labels (null
/// missing); booleans are the labels <c>True</c>/<c>False</c> and dates and times ISO 8601 labels, as pandas writes
/// them to CSV, so a Parquet file and the same data as CSV give the same report.
/// </summary>
/// <remarks>
/// Values are read from their physical types in batches into reused buffers and appended to columns sized from the
/// file's row count, so nothing is copied after the read; ParquetSharp's logical reader, which makes a value per row
/// and builds its readers by reflection, is not used. Arrow's reader is measurably cheaper than the managed Parquet.Net on the scale
/// data (docs/benchmarks.md), which is why it is used.
/// </remarks>
internal sealed class ParquetTableReader : ITableReader
{
    private const int BatchSize = 1 << 16;

    /// <inheritdoc />
    public TableData Read(string path, ColumnSelection selection, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        InputFile.EnsureReadable(path);
        ParquetFileReader file;
        try
        {
            file = Open(path);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new CliInputException($"{path}: not a readable Parquet file: {FirstLine(ex.Message)}", ex);
        }

        using (file)
        {
            FileMetaData metadata = file.FileMetaData;
            long total = metadata.NumRows;
            if (total > int.MaxValue)
            {
                throw new CliInputException($"{path}: {total:N0} rows; mlmon reads at most {int.MaxValue:N0} rows per file.");
            }

            SchemaDescriptor schema = metadata.Schema;
            if (schema.NumColumns == 0)
            {
                throw new CliInputException($"{path}: the Parquet file has no columns.");
            }

            var columns = new List<(int Index, Type Element, LoadedColumn Column)>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int c = 0; c < schema.NumColumns; c++)
            {
                ColumnDescriptor descriptor = schema.Column(c);
                string name = descriptor.Path.ToDotString();
                if (descriptor.MaxRepetitionLevel > 0)
                {
                    throw new CliInputException($"{path}: column {Dataset.Quote(name)} is a list; mlmon compares flat columns of numbers or labels.");
                }

                if (!seen.Add(name))
                {
                    throw new CliInputException($"{path}: the schema names column {Dataset.Quote(name)} twice.");
                }

                if (!selection.Reads(name))
                {
                    continue;
                }

                Type element;
                try
                {
                    element = descriptor.GetSystemTypes(LogicalTypeFactory.Default, null).elementType;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    throw new CliInputException($"{path}: column {Dataset.Quote(name)} has a type mlmon cannot read: {FirstLine(ex.Message)}", ex);
                }

                Type plain = Nullable.GetUnderlyingType(element) ?? element;
                columns.Add((c, element, selection.NewColumn(name, (int)total, labels: !IsNumeric(plain))));
            }

            // Columns are independent, so each core takes the next column not yet taken and reads it whole, with its own
            // reader of the file (a ParquetFileReader is not safe to share between threads). Label columns go first:
            // they cost the most per row, and ending on short number columns leaves no core waiting long for the other
            // (a fixed share of the columns per core kept one core 40% longer than the other on the scale data).
            int groups = metadata.NumRowGroups;
            int workers = Math.Clamp(Math.Min(Environment.ProcessorCount, columns.Count), 1, 8);
            int[] takeOrder = Enumerable.Range(0, columns.Count).OrderBy(position => columns[position].Column.IsCategorical ? 0 : 1).ToArray();
            var errors = new (long Order, Exception Error)?[columns.Count];
            int taken = -1;
            long done = 0;
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken }, worker =>
            {
                ParquetFileReader? own = null;
                try
                {
                    var buffers = new Buffers();
                    for (int next = Interlocked.Increment(ref taken); next < takeOrder.Length; next = Interlocked.Increment(ref taken))
                    {
                        int position = takeOrder[next];
                        (int index, Type element, LoadedColumn column) = columns[position];
                        int g = 0;
                        try
                        {
                            ParquetFileReader source = worker == 0 ? file : own ??= Open(path);
                            for (; g < groups; g++)
                            {
                                cancellationToken.ThrowIfCancellationRequested();
                                using RowGroupReader group = source.RowGroup(g);
                                using ColumnReader reader = group.Column(index);
                                ReadColumn(reader, element, column, buffers);
                                progress?.Report((double)Interlocked.Increment(ref done) / ((long)groups * columns.Count));
                            }
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException)
                        {
                            // Kept by the place a sequential read (row group by row group, column by column) meets it; the
                            // other columns are still read, since one of them may fail earlier in that order.
                            errors[position] = (((long)g * columns.Count) + position, new CliInputException(
                                $"{path}: row group {g + 1}, column {Dataset.Quote(column.Name)} ({element.Name}): cannot be read: {FirstLine(ex.Message)}", ex));
                        }
                    }
                }
                finally
                {
                    own?.Dispose();
                }
            });

            // The error a sequential read (row group by row group, column by column) would have met first.
            if (errors.Where(e => e is not null).OrderBy(e => e!.Value.Order).FirstOrDefault() is { } failure)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure.Error).Throw();
            }

            if (total == 0)
            {
                throw new CliInputException($"{path}: the Parquet file has no rows.");
            }

            return new TableData(columns.Select(c => c.Column).ToArray(), (int)total);
        }
    }

    // A column chunk is read through a 1 MB buffer rather than loaded whole, so memory does not grow with the size of a
    // row group (the scale data's one row group: peak 98 to 90 MB against a baseline, the same speed).
    private static ParquetFileReader Open(string path)
    {
        using ReaderProperties properties = ReaderProperties.GetDefaultReaderProperties();
        properties.EnableBufferedStream();
        properties.BufferSize = 1 << 20;
        return new ParquetFileReader(path, properties);
    }

    private static bool IsNumeric(Type type) =>
        type == typeof(double) || type == typeof(float) || type == typeof(int) || type == typeof(long) || type == typeof(short)
        || type == typeof(byte) || type == typeof(sbyte) || type == typeof(ushort) || type == typeof(uint) || type == typeof(ulong)
        || type == typeof(decimal) || type == typeof(Half);

    private static void ReadColumn(ColumnReader reader, Type element, LoadedColumn column, Buffers buffers)
    {
        // Every type is read from its physical values, converted as ParquetSharp's logical reader converts them; a null is a
        // missing value (a definition level below the column's maximum), whatever the element type says.
        bool labels = column.IsCategorical;
        Type plain = Nullable.GetUnderlyingType(element) ?? element;
        switch (plain)
        {
            case var t when t == typeof(double) && !labels && reader is ColumnReader<double> { ColumnDescriptor.MaxDefinitionLevel: 0 } required:
                RequiredDoubles(required, column, buffers);
                break;
            case var t when t == typeof(double) && !labels && reader is ColumnReader<double> { ColumnDescriptor.MaxDefinitionLevel: > 0 } optional:
                OptionalDoubles(optional, column, buffers);
                break;
            case var t when t == typeof(double): Physical<double, double>(reader, column, buffers, static v => v, Number<double>(column)); break;
            case var t when t == typeof(float): Physical<float, float>(reader, column, buffers, static v => v, Number<float>(column)); break;
            case var t when t == typeof(int): Physical<int, int>(reader, column, buffers, static v => v, Number<int>(column)); break;
            case var t when t == typeof(short): Physical<int, short>(reader, column, buffers, static v => (short)v, Number<short>(column)); break;
            case var t when t == typeof(sbyte): Physical<int, sbyte>(reader, column, buffers, static v => (sbyte)v, Number<sbyte>(column)); break;
            case var t when t == typeof(byte): Physical<int, byte>(reader, column, buffers, static v => (byte)v, Number<byte>(column)); break;
            case var t when t == typeof(ushort): Physical<int, ushort>(reader, column, buffers, static v => (ushort)v, Number<ushort>(column)); break;
            case var t when t == typeof(uint): Physical<int, uint>(reader, column, buffers, static v => unchecked((uint)v), Number<uint>(column)); break;
            case var t when t == typeof(long): Physical<long, long>(reader, column, buffers, static v => v, Number<long>(column)); break;
            case var t when t == typeof(ulong): Physical<long, ulong>(reader, column, buffers, static v => unchecked((ulong)v), Number<ulong>(column)); break;
            case var t when t == typeof(decimal) && reader is ColumnReader<FixedLenByteArray> { ColumnDescriptor.TypeLength: > 0 and <= 16 }:
                decimal divisor = Pow10(reader.ColumnDescriptor.TypeScale);
                int length = reader.ColumnDescriptor.TypeLength;
                Physical<FixedLenByteArray, decimal>(reader, column, buffers, v => BigEndianDecimal(v, length, divisor), Number<decimal>(column));
                break;
            case var t when t == typeof(Half) && reader is ColumnReader<FixedLenByteArray> { ColumnDescriptor.TypeLength: 2 }:
                Physical<FixedLenByteArray, Half>(reader, column, buffers, static v => Float16(v), Number<Half>(column));
                break;
            case var t when t == typeof(string) && reader is ColumnReader<ByteArray> utf8:
                Utf8Labels(utf8, column, buffers);
                break;
            case var t when t == typeof(bool): Physical<bool, string>(reader, column, buffers, static v => v ? "True" : "False", v => column.AddLabel(v)); break;
            case var t when t == typeof(DateTime):
                long ticksPerUnit = reader.ColumnDescriptor.LogicalType is TimestampLogicalType { TimeUnit: TimeUnit.Millis } ? TimeSpan.TicksPerMillisecond : 10;
                Physical<long, string>(reader, column, buffers, v => FormatDateTime(new DateTime(DateTime.UnixEpoch.Ticks + (v * ticksPerUnit))), v => column.AddLabel(v));
                break;
            case var t when t == typeof(DateTimeNanos): Physical<long, string>(reader, column, buffers, static v => FormatDateTime(new DateTimeNanos(v).DateTime), v => column.AddLabel(v)); break;
            case var t when t == typeof(Date):
                Physical<int, string>(reader, column, buffers, static v => new Date(v).DateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), v => column.AddLabel(v));
                break;
            case var t when t == typeof(TimeSpan) && reader is ColumnReader<int>:
                Physical<int, string>(reader, column, buffers, static v => TimeSpan.FromTicks(v * TimeSpan.TicksPerMillisecond).ToString("c", CultureInfo.InvariantCulture), v => column.AddLabel(v));
                break;
            case var t when t == typeof(TimeSpan):
                Physical<long, string>(reader, column, buffers, static v => TimeSpan.FromTicks(v * 10).ToString("c", CultureInfo.InvariantCulture), v => column.AddLabel(v));
                break;
            default:
                throw new NotSupportedException($"{element.Name} values are not supported; mlmon compares numbers and labels (strings, booleans, dates)");
        }
    }

    // A DECIMAL stored in fixed-length bytes: the unscaled integer in big-endian two's complement, divided by 10^scale as
    // ParquetSharp's logical reader divides it.
    private static unsafe decimal BigEndianDecimal(FixedLenByteArray value, int length, decimal divisor)
    {
        var bytes = new ReadOnlySpan<byte>((void*)value.Pointer, length);
        Int128 unscaled = (sbyte)bytes[0] < 0 ? Int128.NegativeOne : Int128.Zero; // the sign, extended
        foreach (byte b in bytes)
        {
            unscaled = (unscaled << 8) | b;
        }

        bool negative = unscaled < 0;
        UInt128 magnitude = negative ? (UInt128)(-unscaled) : (UInt128)unscaled;
        if (magnitude >> 96 != 0)
        {
            throw new OverflowException("a decimal value has more than 96 bits (29 digits), more than System.Decimal holds");
        }

        var integer = new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), (int)(uint)(magnitude >> 64), negative, 0);
        return integer / divisor;
    }

    private static decimal Pow10(int scale)
    {
        if (scale is < 0 or > 28)
        {
            throw new NotSupportedException($"a decimal scale of {scale}; System.Decimal holds scales 0 to 28");
        }

        decimal power = 1;
        for (int i = 0; i < scale; i++)
        {
            power *= 10;
        }

        return power;
    }

    // A FLOAT16: two little-endian bytes.
    private static unsafe Half Float16(FixedLenByteArray value) =>
        BitConverter.UInt16BitsToHalf(System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(new ReadOnlySpan<byte>((void*)value.Pointer, 2)));

    // Adds a number to the column as a number, or as its text when the column is read as labels.
    private static Action<T> Number<T>(LoadedColumn column)
        where T : struct, INumberBase<T>
    {
        bool labels = column.IsCategorical;
        return value => AddNumber(column, value, labels);
    }

    /// <summary>
    /// A column read from its physical values a batch at a time: each defined value is converted and added, each null
    /// (a definition level below the column's maximum) is a missing value.
    /// </summary>
    private static void Physical<TPhysical, T>(ColumnReader reader, LoadedColumn column, Buffers buffers, Func<TPhysical, T> convert, Action<T> add)
        where TPhysical : unmanaged
    {
        var typed = (ColumnReader<TPhysical>)reader;
        short defined = typed.ColumnDescriptor.MaxDefinitionLevel;
        TPhysical[] values = buffers.Get<TPhysical>(BatchSize);
        short[] definitions = buffers.Get<short>(BatchSize);
        while (typed.HasNext)
        {
            long levels = typed.ReadBatch(BatchSize, definitions, Span<short>.Empty, values, out long read);
            if (defined == 0)
            {
                for (long i = 0; i < read; i++)
                {
                    add(convert(values[i]));
                }

                continue;
            }

            int next = 0;
            for (long i = 0; i < levels; i++)
            {
                if (definitions[i] < defined)
                {
                    column.AddMissing();
                }
                else
                {
                    add(convert(values[next++]));
                }
            }
        }
    }

    private static string FormatDateTime(DateTime value) =>
        value.ToString(value.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    /// <summary>
    /// A text column read from its UTF-8 bytes, handed to the column as bytes (<see cref="LoadedColumn.AddLabel(ReadOnlySpan{byte}, ref char[])"/>):
    /// a label already seen costs no string, and against a baseline no decoding either. Null values are missing;
    /// invalid UTF-8 is decoded with replacement characters, as ParquetSharp's logical reader does.
    /// </summary>
    // Within a batch, the values of a dictionary-encoded column point into its dictionary: the same pointer and length
    // are the same bytes, so a label met again in the batch is added from a small table by its pointer, without reading
    // or comparing its bytes. A plain-encoded column's values all differ and always miss.
    private const int RepeatedLabelSlots = 256;

    private readonly record struct RepeatedLabel(nint Pointer, int Length, object? Token);

    private static unsafe void Utf8Labels(ColumnReader<ByteArray> reader, LoadedColumn column, Buffers buffers)
    {
        bool optional = reader.ColumnDescriptor.MaxDefinitionLevel > 0;
        short defined = reader.ColumnDescriptor.MaxDefinitionLevel;
        ByteArray[] values = buffers.Get<ByteArray>(BatchSize);
        short[] definitions = buffers.Get<short>(BatchSize);
        char[] text = buffers.Get<char>(256);
        RepeatedLabel[] repeats = buffers.Get<RepeatedLabel>(RepeatedLabelSlots);
        while (reader.HasNext)
        {
            long levels = reader.ReadBatch(BatchSize, definitions, Span<short>.Empty, values, out long read);
            long rows = optional ? levels : read;
            Array.Clear(repeats); // the next batch's values may lie where this one's did
            int next = 0;
            for (long i = 0; i < rows; i++)
            {
                if (optional && definitions[i] < defined)
                {
                    column.AddMissing();
                    continue;
                }

                ByteArray value = values[next++];
                ref RepeatedLabel repeat = ref repeats[(int)(((ulong)value.Pointer * 0x9E37_79B9_7F4A_7C15) >> 56)];
                if (repeat.Pointer == value.Pointer && repeat.Length == value.Length && repeat.Token is { } token && column.AddAgain(token))
                {
                    continue;
                }

                object? added = column.AddLabel(new ReadOnlySpan<byte>((void*)value.Pointer, value.Length), ref text);
                repeat = new RepeatedLabel(value.Pointer, value.Length, added);
            }
        }
    }

    /// <summary>
    /// An optional DOUBLE column (what pandas writes for float64) read from its physical values: a batch's defined
    /// values come packed, and each run of them between nulls is appended in bulk. The logical reader makes a
    /// <c>double?</c> per value, which was then added one at a time.
    /// </summary>
    private static void OptionalDoubles(ColumnReader<double> reader, LoadedColumn column, Buffers buffers)
    {
        short defined = reader.ColumnDescriptor.MaxDefinitionLevel;
        double[] values = buffers.Get<double>(BatchSize);
        short[] definitions = buffers.Get<short>(BatchSize);
        while (reader.HasNext)
        {
            int levels = (int)reader.ReadBatch(BatchSize, definitions, Span<short>.Empty, values, out long _);
            int next = 0; // the next packed value
            int i = 0;
            while (i < levels)
            {
                int present = i;
                while (present < levels && definitions[present] == defined)
                {
                    present++;
                }

                if (present > i)
                {
                    column.AddNumbers(values.AsSpan(next, present - i));
                    next += present - i;
                }

                int absent = present;
                while (absent < levels && definitions[absent] != defined)
                {
                    absent++;
                }

                if (absent > present)
                {
                    column.AddMissing(absent - present);
                }

                i = absent;
            }
        }
    }

    /// <summary>A required DOUBLE column read from its physical values, a batch at a time, straight into the column.</summary>
    private static void RequiredDoubles(ColumnReader<double> reader, LoadedColumn column, Buffers buffers)
    {
        double[] values = buffers.Get<double>(BatchSize);
        while (reader.HasNext)
        {
            reader.ReadBatch(BatchSize, values, out long read);
            column.AddNumbers(values.AsSpan(0, (int)read));
        }
    }

    // A number as a number, or (read as labels) as its invariant text; NaN and infinities are missing either way, as in CSV.
    private static void AddNumber<T>(LoadedColumn column, T value, bool labels)
        where T : struct, INumberBase<T>
    {
        double number = double.CreateSaturating(value);
        if (!labels)
        {
            column.AddNumber(number);
        }
        else if (!double.IsFinite(number))
        {
            column.AddMissing();
        }
        else
        {
            column.AddLabel(value.ToString(typeof(T) == typeof(double) || typeof(T) == typeof(float) || typeof(T) == typeof(Half) ? "R" : null, CultureInfo.InvariantCulture));
        }
    }

    /// <summary>One reusable array per element type, so row groups and columns do not each allocate their own.</summary>
    private sealed class Buffers
    {
        private readonly Dictionary<Type, Array> arrays = [];

        public T[] Get<T>(int length)
        {
            if (arrays.TryGetValue(typeof(T), out Array? array) && array.Length >= length)
            {
                return (T[])array;
            }

            var fresh = new T[length];
            arrays[typeof(T)] = fresh;
            return fresh;
        }
    }

    private static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
