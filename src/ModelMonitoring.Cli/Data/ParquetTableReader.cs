using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace ModelMonitoring.Cli.Data;

/// <summary>
/// Reads an Apache Parquet file (Parquet.Net) with its column types: integer, floating-point and decimal columns are
/// numbers (nulls, NaN and infinities missing); strings are labels (null missing); booleans are the labels
/// <c>True</c>/<c>False</c> and dates and times ISO 8601 labels, as pandas writes them to CSV, so a Parquet file
/// and the same data as CSV give the same report.
/// </summary>
internal sealed class ParquetTableReader : ITableReader
{
    /// <inheritdoc />
    public TableData Read(string path, ColumnSelection selection, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        using FileStream stream = InputFile.OpenRead(path, bufferSize: 1 << 20);
        ParquetReader reader;
        try
        {
            reader = ParquetReader.CreateAsync(stream, null, leaveStreamOpen: true, cancellationToken).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not CliInputException)
        {
            throw new CliInputException($"{path}: not a readable Parquet file: {FirstLine(ex.Message)}", ex);
        }

        try
        {
            DataField[] fields = reader.Schema.GetDataFields();
            if (fields.Length == 0)
            {
                throw new CliInputException($"{path}: the Parquet file has no columns.");
            }

            long total = reader.RowGroups.Sum(g => g.RowCount);
            int capacity = (int)Math.Min(total, Array.MaxLength);
            var columns = new List<(DataField Field, LoadedColumn Column)>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (DataField field in fields)
            {
                string name = field.Path.ToString();
                if (field.IsArray || field.MaxRepetitionLevel > 0)
                {
                    throw new CliInputException($"{path}: column {Dataset.Quote(name)} is a list; mlmon compares flat columns of numbers or labels.");
                }

                if (!seen.Add(name))
                {
                    throw new CliInputException($"{path}: the schema names column {Dataset.Quote(name)} twice.");
                }

                if (selection.Reads(name))
                {
                    columns.Add((field, new LoadedColumn(name, selection.AsLabels(name) || !IsNumeric(field.ClrType), capacity)));
                }
            }

            long rows = 0;
            var buffers = new Buffers();
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
                int count = checked((int)group.RowCount);
                foreach ((DataField field, LoadedColumn column) in columns)
                {
                    try
                    {
                        ReadColumn(group, field, column, count, buffers, cancellationToken);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException and not CliInputException)
                    {
                        throw new CliInputException(
                            $"{path}: row group {g + 1}, column {Dataset.Quote(column.Name)} ({field.ClrType.Name}): cannot be read: {FirstLine(ex.Message)}", ex);
                    }
                }

                rows += count;
                progress?.Report((double)(g + 1) / reader.RowGroupCount);
            }

            if (rows == 0)
            {
                throw new CliInputException($"{path}: the Parquet file has no rows.");
            }

            if (rows > int.MaxValue)
            {
                throw new CliInputException($"{path}: {rows:N0} rows; mlmon reads at most {int.MaxValue:N0} rows per file.");
            }

            return new TableData(columns.Select(c => c.Column).ToArray(), (int)rows);
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static bool IsNumeric(Type type) =>
        type == typeof(double) || type == typeof(float) || type == typeof(int) || type == typeof(long) || type == typeof(short)
        || type == typeof(byte) || type == typeof(sbyte) || type == typeof(ushort) || type == typeof(uint) || type == typeof(ulong)
        || type == typeof(decimal) || type == typeof(Half);

    private static void ReadColumn(ParquetRowGroupReader group, DataField field, LoadedColumn column, int count, Buffers buffers, CancellationToken cancellationToken)
    {
        Type type = field.ClrType;
        if (type == typeof(double) && !field.IsNullable && !column.IsCategorical)
        {
            // The common case, in bulk through one reused buffer.
            double[] values = buffers.Get<double>(count);
            group.ReadAsync(field, values.AsMemory(0, count), null, cancellationToken).AsTask().GetAwaiter().GetResult();
            column.AddNumbers(values.AsSpan(0, count));
        }
        else if (type == typeof(double))
        {
            ReadNumbers<double>(group, field, column, count, v => v, v => v.ToString("R", CultureInfo.InvariantCulture), cancellationToken);
        }
        else if (type == typeof(float))
        {
            ReadNumbers<float>(group, field, column, count, v => v, v => v.ToString("R", CultureInfo.InvariantCulture), cancellationToken);
        }
        else if (type == typeof(int))
        {
            ReadNumbers<int>(group, field, column, count, v => v, v => v.ToString(CultureInfo.InvariantCulture), cancellationToken);
        }
        else if (type == typeof(long))
        {
            ReadNumbers<long>(group, field, column, count, v => v, v => v.ToString(CultureInfo.InvariantCulture), cancellationToken);
        }
        else if (type == typeof(short))
        {
            ReadNumbers<short>(group, field, column, count, v => v, v => v.ToString(CultureInfo.InvariantCulture), cancellationToken);
        }
        else if (type == typeof(byte))
        {
            ReadNumbers<byte>(group, field, column, count, v => v, v => v.ToString(CultureInfo.InvariantCulture), cancellationToken);
        }
        else if (type == typeof(sbyte))
        {
            ReadNumbers<sbyte>(group, field, column, count, v => v, v => v.ToString(CultureInfo.InvariantCulture), cancellationToken);
        }
        else if (type == typeof(ushort))
        {
            ReadNumbers<ushort>(group, field, column, count, v => v, v => v.ToString(CultureInfo.InvariantCulture), cancellationToken);
        }
        else if (type == typeof(uint))
        {
            ReadNumbers<uint>(group, field, column, count, v => v, v => v.ToString(CultureInfo.InvariantCulture), cancellationToken);
        }
        else if (type == typeof(ulong))
        {
            ReadNumbers<ulong>(group, field, column, count, v => v, v => v.ToString(CultureInfo.InvariantCulture), cancellationToken);
        }
        else if (type == typeof(decimal))
        {
            ReadNumbers<decimal>(group, field, column, count, v => (double)v, v => v.ToString(CultureInfo.InvariantCulture), cancellationToken);
        }
        else if (type == typeof(Half))
        {
            ReadNumbers<Half>(group, field, column, count, v => (double)v, v => v.ToString("R", CultureInfo.InvariantCulture), cancellationToken);
        }
        else if (type == typeof(ReadOnlyMemory<char>))
        {
            // Text as slices of the page's buffer: a label is a string only the first time it is seen.
            if (field.IsNullable)
            {
                ReadOnlyMemory<char>?[] values = buffers.Get<ReadOnlyMemory<char>?>(count);
                group.ReadAsync<ReadOnlyMemory<char>>(field, values.AsMemory(0, count), null, cancellationToken).AsTask().GetAwaiter().GetResult();
                foreach (ReadOnlyMemory<char>? value in values.AsSpan(0, count))
                {
                    if (value is ReadOnlyMemory<char> text)
                    {
                        column.AddLabel(text.Span);
                    }
                    else
                    {
                        column.AddMissing();
                    }
                }
            }
            else
            {
                ReadOnlyMemory<char>[] values = buffers.Get<ReadOnlyMemory<char>>(count);
                group.ReadAsync<ReadOnlyMemory<char>>(field, values.AsMemory(0, count), null, cancellationToken).AsTask().GetAwaiter().GetResult();
                foreach (ReadOnlyMemory<char> text in values.AsSpan(0, count))
                {
                    column.AddLabel(text.Span);
                }
            }
        }
        else if (type == typeof(string))
        {
            var values = new string?[count];
            group.ReadAsync(field, values.AsMemory(), null, cancellationToken).AsTask().GetAwaiter().GetResult();
            foreach (string? value in values)
            {
                if (value is null)
                {
                    column.AddMissing();
                }
                else
                {
                    column.AddLabel(value);
                }
            }
        }
        else if (type == typeof(bool))
        {
            ReadLabels<bool>(group, field, column, count, v => v ? "True" : "False", cancellationToken);
        }
        else if (type == typeof(DateTime))
        {
            ReadLabels<DateTime>(group, field, column, count, v => v.ToString(v.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture), cancellationToken);
        }
        else if (type == typeof(DateTimeOffset))
        {
            ReadLabels<DateTimeOffset>(group, field, column, count, v => v.ToString("O", CultureInfo.InvariantCulture), cancellationToken);
        }
        else if (type == typeof(DateOnly))
        {
            ReadLabels<DateOnly>(group, field, column, count, v => v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), cancellationToken);
        }
        else if (type == typeof(TimeOnly))
        {
            ReadLabels<TimeOnly>(group, field, column, count, v => v.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture), cancellationToken);
        }
        else if (type == typeof(TimeSpan))
        {
            ReadLabels<TimeSpan>(group, field, column, count, v => v.ToString("c", CultureInfo.InvariantCulture), cancellationToken);
        }
        else
        {
            throw new NotSupportedException($"{type.Name} values are not supported; mlmon compares numbers and labels (strings, booleans, dates)");
        }
    }

    private static void ReadNumbers<T>(
        ParquetRowGroupReader group, DataField field, LoadedColumn column, int count, Func<T, double> toDouble, Func<T, string> toLabel, CancellationToken cancellationToken)
        where T : struct
    {
        bool labels = column.IsCategorical;
        if (field.IsNullable)
        {
            var values = new T?[count];
            group.ReadAsync(field, values.AsMemory(), null, cancellationToken).AsTask().GetAwaiter().GetResult();
            foreach (T? value in values)
            {
                if (value is not T v)
                {
                    column.AddMissing();
                }
                else if (labels)
                {
                    AddLabelOrMissing(column, toDouble(v), toLabel(v));
                }
                else
                {
                    column.AddNumber(toDouble(v));
                }
            }
        }
        else
        {
            var values = new T[count];
            group.ReadAsync(field, values.AsMemory(), null, cancellationToken).AsTask().GetAwaiter().GetResult();
            if (values is double[] doubles && !labels)
            {
                foreach (double v in doubles)
                {
                    column.AddNumber(v);
                }

                return;
            }

            foreach (T v in values)
            {
                if (labels)
                {
                    AddLabelOrMissing(column, toDouble(v), toLabel(v));
                }
                else
                {
                    column.AddNumber(toDouble(v));
                }
            }
        }
    }

    // A NaN in a numerical Parquet column read as labels is still missing, as in CSV ("NaN" is a missing spelling).
    private static void AddLabelOrMissing(LoadedColumn column, double number, string label)
    {
        if (double.IsNaN(number))
        {
            column.AddMissing();
        }
        else
        {
            column.AddLabel(label);
        }
    }

    private static void ReadLabels<T>(
        ParquetRowGroupReader group, DataField field, LoadedColumn column, int count, Func<T, string> toLabel, CancellationToken cancellationToken)
        where T : struct
    {
        if (field.IsNullable)
        {
            var values = new T?[count];
            group.ReadAsync(field, values.AsMemory(), null, cancellationToken).AsTask().GetAwaiter().GetResult();
            foreach (T? value in values)
            {
                if (value is T v)
                {
                    column.AddLabel(toLabel(v));
                }
                else
                {
                    column.AddMissing();
                }
            }
        }
        else
        {
            var values = new T[count];
            group.ReadAsync(field, values.AsMemory(), null, cancellationToken).AsTask().GetAwaiter().GetResult();
            foreach (T v in values)
            {
                column.AddLabel(toLabel(v));
            }
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
