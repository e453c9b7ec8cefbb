using System.Globalization;
using System.Text;
using System.Text.Json;
using ModelMonitoring.Cli.Data;
using ModelMonitoring.Statistics;
using ParquetSharp;

namespace ModelMonitoring.Cli.Tests;

/// <summary>
/// Parquet input, read by mlmon through ParquetSharp (Apache Arrow's C++ library, the one pandas' to_parquet uses
/// through pyarrow). Files are written here with Arrow's writer, and one with the managed Parquet.Net, so a file
/// mlmon's library did not write is read too.
/// </summary>
public sealed class ParquetTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    /// <summary>A mixed table: numbers (some null, NaN or infinite), integers, labels (some null), booleans, timestamps.</summary>
    private static (double[] Price, double?[] Maybe, int[] Rooms, long?[] Views, string?[] Region, bool[] Flag, DateTime[] Seen) Table(int rows, int seed, double shift)
    {
        var rng = new Random(seed);
        string[] regions = ["north", "south", "east", "west"];
        var price = new double[rows];
        var maybe = new double?[rows];
        var rooms = new int[rows];
        var views = new long?[rows];
        var region = new string?[rows];
        var flag = new bool[rows];
        var seen = new DateTime[rows];
        for (int i = 0; i < rows; i++)
        {
            price[i] = Math.Round(200_000 + (rng.NextDouble() * 50_000) + shift, 2);
            maybe[i] = (i % 17) switch { 0 => null, 1 => double.NaN, 2 => double.PositiveInfinity, _ => Math.Round(rng.NextDouble() + (shift / 1e5), 4) };
            rooms[i] = 1 + (i % 5);
            views[i] = i % 11 == 0 ? null : rng.Next(0, 1000);
            region[i] = i % 13 == 0 ? null : regions[(i + (shift > 0 ? i % 2 : 0)) % regions.Length];
            flag[i] = i % 3 == 0;
            seen[i] = new DateTime(2024, 1, 1).AddDays(i % 30);
        }

        return (price, maybe, rooms, views, region, flag, seen);
    }

    private string WriteParquet(string name, int rows, int seed, double shift, int rowGroups = 1)
    {
        var t = Table(rows, seed, shift);
        string path = dir.File_(name);
        var columns = new Column[]
        {
            new Column<double>("price"), new Column<double?>("maybe"), new Column<int>("rooms"), new Column<long?>("views"),
            new Column<string>("region"), new Column<bool>("flag"), new Column<DateTime>("seen", LogicalType.Timestamp(false, TimeUnit.Micros)),
        };
        using (var file = new ParquetFileWriter(path, columns))
        {
            int per = (rows + rowGroups - 1) / rowGroups;
            for (int start = 0; start < rows; start += per)
            {
                int n = Math.Min(per, rows - start);
                using RowGroupWriter group = file.AppendRowGroup();
                using (var w = group.NextColumn().LogicalWriter<double>()) w.WriteBatch(t.Price.AsSpan(start, n));
                using (var w = group.NextColumn().LogicalWriter<double?>()) w.WriteBatch(t.Maybe.AsSpan(start, n));
                using (var w = group.NextColumn().LogicalWriter<int>()) w.WriteBatch(t.Rooms.AsSpan(start, n));
                using (var w = group.NextColumn().LogicalWriter<long?>()) w.WriteBatch(t.Views.AsSpan(start, n));
                using (var w = group.NextColumn().LogicalWriter<string?>()) w.WriteBatch(t.Region.AsSpan(start, n));
                using (var w = group.NextColumn().LogicalWriter<bool>()) w.WriteBatch(t.Flag.AsSpan(start, n));
                using (var w = group.NextColumn().LogicalWriter<DateTime>()) w.WriteBatch(t.Seen.AsSpan(start, n));
            }

            file.Close();
        }

        return path;
    }

    /// <summary>The same table as CSV, written as pandas' to_csv writes it (empty for null and NaN, inf, True/False).</summary>
    private string WriteCsv(string name, int rows, int seed, double shift)
    {
        var t = Table(rows, seed, shift);
        var text = new StringBuilder("price,maybe,rooms,views,region,flag,seen\n");
        for (int i = 0; i < rows; i++)
        {
            string maybe = t.Maybe[i] switch { null => "", double v when double.IsNaN(v) => "", double v when double.IsPositiveInfinity(v) => "inf", double v => v.ToString("R", CultureInfo.InvariantCulture) };
            text.Append(CultureInfo.InvariantCulture, $"{t.Price[i]:R},{maybe},{t.Rooms[i]},{t.Views[i]},{t.Region[i]},{(t.Flag[i] ? "True" : "False")},{t.Seen[i]:yyyy-MM-dd}\n");
        }

        return dir.Write(name, text.ToString());
    }

    /// <summary>
    /// An optional double column is read from its packed physical values run by run between the nulls: every row keeps
    /// its value or its gap, across the reader's batches of 65,536 and row groups, with runs of nulls that cross them.
    /// </summary>
    [Fact]
    public void Optional_doubles_keep_every_row_across_batches_and_row_groups()
    {
        const int rows = 150_000;
        var values = new double?[rows];
        for (int i = 0; i < rows; i++)
        {
            bool inNullRun = (i >= 65_530 && i < 65_545) || (i >= 99_990 && i < 100_010) || i == rows - 1;
            values[i] = inNullRun || i % 97 == 0 ? null : i % 101 == 0 ? double.NaN : i * 0.25;
        }

        string path = dir.File_("optional.parquet");
        using (var file = new ParquetFileWriter(path, [new Column<double?>("x")]))
        {
            foreach ((int start, int count) in new[] { (0, 100_000), (100_000, rows - 100_000) })
            {
                using RowGroupWriter group = file.AppendRowGroup();
                using var writer = group.NextColumn().LogicalWriter<double?>();
                writer.WriteBatch(values.AsSpan(start, count));
            }

            file.Close();
        }

        double[] byRow = Dataset.Load(path)["x"].NumbersByRow()!;
        Assert.Equal(values.Select(v => v ?? double.NaN), byRow);
    }

    [Fact]
    public void Typed_columns_are_read_with_their_types_nulls_and_non_finite_numbers_missing()
    {
        string path = WriteParquet("t.parquet", 340, 1, 0, rowGroups: 3);
        var t = Table(340, 1, 0);

        Dataset data = Dataset.Load(path);

        Assert.Equal(DataFormat.Parquet, data.Format);
        Assert.Equal(340, data.RowCount);
        Assert.Equal(["price", "maybe", "rooms", "views", "region", "flag", "seen"], data.ColumnNames);
        Assert.Equal(t.Price, data["price"].ToSample().Numbers);
        ColumnSample maybe = data["maybe"].ToSample();
        Assert.Equal(ColumnType.Numerical, maybe.Type);
        Assert.Equal(3 * 20, maybe.MissingCount); // null, NaN and +inf in 20 of every 17-row cycle
        Assert.Equal(t.Maybe.Where(v => v is double d && double.IsFinite(d)).Select(v => v!.Value), maybe.Numbers);
        Assert.Equal(t.Rooms.Select(r => (double)r), data["rooms"].ToSample().Numbers);
        Assert.Equal(31, data["views"].ToSample().MissingCount);
        ColumnSample region = data["region"].ToSample();
        Assert.Equal(ColumnType.Categorical, region.Type);
        Assert.Equal(27, region.MissingCount);
        Assert.Equal(["False", "True"], data["flag"].ToSample().Categories.Distinct().Order());
        Assert.Equal("2024-01-01", data["seen"].ToSample().Categories[0]);
    }

    [Fact]
    public async Task A_parquet_file_and_the_same_data_as_csv_give_the_same_report()
    {
        string refParquet = WriteParquet("ref.parquet", 3000, 1, 0, rowGroups: 2);
        string curParquet = WriteParquet("cur.parquet", 2500, 2, 4000);
        string refCsv = WriteCsv("ref.csv", 3000, 1, 0);
        string curCsv = WriteCsv("cur.csv", 2500, 2, 4000);

        (int parquetCode, string parquetJson, string parquetErr) = await CliRunner.RunAsync("drift", "-r", refParquet, "-c", curParquet, "-f", "json");
        (int csvCode, string csvJson, string csvErr) = await CliRunner.RunAsync("drift", "-r", refCsv, "-c", curCsv, "-f", "json");

        Assert.True(parquetErr.Length == 0, parquetErr);
        Assert.True(csvErr.Length == 0, csvErr);
        Assert.Equal(csvCode, parquetCode);
        using JsonDocument p = JsonDocument.Parse(parquetJson);
        using JsonDocument c = JsonDocument.Parse(csvJson);
        Assert.Equal(c.RootElement.GetProperty("columns").ToString(), p.RootElement.GetProperty("columns").ToString());
        Assert.Equal(c.RootElement.GetProperty("categorical").ToString(), p.RootElement.GetProperty("categorical").ToString());
        Assert.True(p.RootElement.GetProperty("columns")[0].GetProperty("drift").GetBoolean(), "price shifted");
    }

    [Fact]
    public async Task Parquet_against_a_baseline_and_as_the_baseline_input()
    {
        string refParquet = WriteParquet("ref.parquet", 3000, 1, 0);
        string curParquet = WriteParquet("cur.parquet", 2500, 2, 4000);
        string baseline = dir.File_("ref.baseline.json");

        (int built, _, string builtErr) = await CliRunner.RunAsync("baseline", refParquet, "--out", baseline);
        (int code, string stdout, string stderr) = await CliRunner.RunAsync("drift", "-r", baseline, "-c", curParquet, "-f", "json");

        Assert.True(built == 0, builtErr);
        Assert.True(stderr.Length == 0, stderr);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        Assert.Equal("sketch", doc.RootElement.GetProperty("engine").GetString());
        Assert.True(doc.RootElement.GetProperty("columns")[0].GetProperty("drift").GetBoolean());
        Assert.True(code is 0 or 1);
    }

    /// <summary>
    /// Every column type is read from its physical values: each one, required and optional (with nulls, across the
    /// reader's batches of 65,536), gives the numbers or the labels of what was written, formatted as pandas writes them
    /// to CSV; numbers declared categorical give their invariant text.
    /// </summary>
    [Fact]
    public void Every_column_type_reads_its_values_and_nulls_required_or_optional()
    {
        const int rows = 70_000;
        static bool Null(int i) => i % 7 == 3 || (i >= 65_530 && i < 65_540);
        static T?[] Optional<T>(T[] values) where T : struct => values.Select((v, i) => Null(i) ? (T?)null : v).ToArray();
        var numbers = new List<(string Name, Func<Column> Column, Action<ColumnWriter> Write, double?[] Expected)>();
        void Add<T>(string name, Func<int, T> value, Func<T, double> toDouble, LogicalType? type = null) where T : struct
        {
            T[] required = Enumerable.Range(0, rows).Select(value).ToArray();
            T?[] optional = Optional(required);
            numbers.Add((name, () => new Column<T>(name, type), w => w.LogicalWriter<T>().WriteBatch(required), required.Select(v => (double?)toDouble(v)).ToArray()));
            numbers.Add((name + "?", () => new Column<T?>(name + "?", type), w => w.LogicalWriter<T?>().WriteBatch(optional), optional.Select(v => v is T x ? toDouble(x) : (double?)null).ToArray()));
        }

        Add("int8", i => (sbyte)((i % 256) - 128), v => v);
        Add("uint8", i => (byte)(i % 256), v => v);
        Add("int16", i => (short)((i * 7) - 30_000), v => v);
        Add("uint16", i => (ushort)(i % 65_536), v => v);
        Add("int32", i => (i * 31) - 1_000_000, v => v);
        Add("uint32", i => uint.MaxValue - (uint)i, v => v);
        Add("int64", i => ((long)i * 1_000_003) - (1L << 40), v => v);
        Add("uint64", i => ulong.MaxValue - (ulong)i, v => v);
        Add("float32", i => (i * 0.25f) - 100, v => v);
        Add("float64", i => i % 1_000 == 0 ? double.NaN : (i * 0.125) - 7, v => v);
        Add("decimal", i => (i * 0.01m) - 300, v => (double)v, LogicalType.Decimal(18, 2));
        Add("decimal_wide", i => ((i - 35_000) * 1_234_567.891m) + 0.5m, v => (double)v, LogicalType.Decimal(29, 4));
        Add("float16", i => (Half)((i % 2_000) * 0.5f), v => (double)v);

        var labels = new List<(string Name, Func<Column> Column, Action<ColumnWriter> Write, string?[] Expected)>();
        void Label<T>(string name, Func<int, T> value, Func<T, string> text, LogicalType? type = null) where T : struct
        {
            T[] required = Enumerable.Range(0, rows).Select(value).ToArray();
            T?[] optional = Optional(required);
            labels.Add((name, () => new Column<T>(name, type), w => w.LogicalWriter<T>().WriteBatch(required), required.Select(text).ToArray()));
            labels.Add((name + "?", () => new Column<T?>(name + "?", type), w => w.LogicalWriter<T?>().WriteBatch(optional), optional.Select(v => v is T x ? text(x) : null).ToArray()));
        }

        var start = new DateTime(1969, 12, 31, 23, 0, 0);
        Label("flag", i => i % 3 == 0, v => v ? "True" : "False");
        Label("day", i => new DateTime(1969, 6, 1).AddDays(i % 400), v => v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), LogicalType.Timestamp(false, TimeUnit.Millis));
        Label("millis", i => start.AddMilliseconds(i * 1_237L), v => v.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture), LogicalType.Timestamp(false, TimeUnit.Millis));
        Label("micros", i => start.AddTicks(i * 12_340L), v => v.TimeOfDay == TimeSpan.Zero ? v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : v.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture), LogicalType.Timestamp(false, TimeUnit.Micros));
        Label("nanos", i => new DateTimeNanos((i * 123_456_789L) - 5_000_000_000_003L), v => v.DateTime.ToString(v.DateTime.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));
        Label("date", i => new Date(i - 30_000), v => v.DateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Label("time_ms", i => TimeSpan.FromMilliseconds(i * 1_001L), v => v.ToString("c", CultureInfo.InvariantCulture), LogicalType.Time(false, TimeUnit.Millis));
        Label("time_us", i => TimeSpan.FromTicks(i * 10_010L), v => v.ToString("c", CultureInfo.InvariantCulture), LogicalType.Time(false, TimeUnit.Micros));

        string path = dir.File_("types.parquet");
        using (var file = new ParquetFileWriter(path, numbers.Select(n => n.Column()).Concat(labels.Select(l => l.Column())).ToArray()))
        {
            using RowGroupWriter group = file.AppendRowGroup();
            foreach (var column in numbers.Select(n => n.Write).Concat(labels.Select(l => l.Write)))
            {
                using ColumnWriter writer = group.NextColumn();
                column(writer);
            }

            file.Close();
        }

        Dataset data = Dataset.Load(path);
        foreach ((string name, _, _, double?[] expected) in numbers)
        {
            Assert.Equal(ColumnType.Numerical, data[name].ToSample().Type);
            Assert.Equal(expected.Select(v => v is double d && double.IsFinite(d) ? d : double.NaN), data[name].NumbersByRow()!);
        }

        foreach ((string name, _, _, string?[] expected) in labels)
        {
            Assert.Equal(expected, data[name].LabelsByRow()!);
        }

        // Numbers read as labels: their invariant text ("R" for floating point), nulls and non-finite values missing.
        Dataset asLabels = Dataset.Load(path, categorical: new HashSet<string>(["uint32?", "int64", "float64", "float32?"], StringComparer.Ordinal));
        Assert.Equal(numbers.Single(n => n.Name == "uint32?").Expected.Select(v => v is double d ? ((uint)d).ToString(CultureInfo.InvariantCulture) : null), asLabels["uint32?"].LabelsByRow()!);
        Assert.Equal(numbers.Single(n => n.Name == "int64").Expected.Select(v => ((long)v!.Value).ToString(CultureInfo.InvariantCulture)), asLabels["int64"].LabelsByRow()!);
        Assert.Equal(numbers.Single(n => n.Name == "float64").Expected.Select(v => double.IsNaN(v!.Value) ? null : v.Value.ToString("R", CultureInfo.InvariantCulture)), asLabels["float64"].LabelsByRow()!);
        Assert.Equal(numbers.Single(n => n.Name == "float32?").Expected.Select(v => v is double d ? ((float)d).ToString("R", CultureInfo.InvariantCulture) : null), asLabels["float32?"].LabelsByRow()!);
        Dataset decimalLabels = Dataset.Load(path, categorical: new HashSet<string>(["decimal?"], StringComparer.Ordinal));
        // A decimal is its unscaled integer divided by 10^scale, as ParquetSharp's logical reader gives it: -300, not -300.00.
        Assert.Equal(Enumerable.Range(0, rows).Select(i => Null(i) ? null : ((decimal)((i * 1L) - 30_000) / 100m).ToString(CultureInfo.InvariantCulture)), decimalLabels["decimal?"].LabelsByRow()!);
    }

    /// <summary>
    /// Against a baseline, a numerical column of a Parquet file goes to the profile a run of finite values at a time,
    /// and a text column's labels are found by their UTF-8 bytes: the report is the one of the same data as CSV, read
    /// value by value, with long and short runs between NaN and infinities, runs that cross the reader's batches of
    /// 65,536, a required and an optional column, and labels that outnumber the reader's table of byte-keyed tallies.
    /// </summary>
    [Fact]
    public async Task Against_a_baseline_a_parquet_file_and_the_same_data_as_csv_give_the_same_report()
    {
        const int rows = 140_000;
        var rng = new Random(5);
        var required = new double[rows];
        var optional = new double?[rows];
        // 300 distinct labels, short and long, ASCII and not, more than the reader's 64 byte-keyed slots hold.
        string[] names = Enumerable.Range(0, 300).Select(k => (k % 4) switch { 0 => $"s{k}", 1 => $"label-number-{k}", 2 => $"é{k}ü", _ => $"日本{k}" }).ToArray();
        var label = new string?[rows];
        for (int i = 0; i < rows; i++)
        {
            label[i] = i % 13 == 0 ? null : names[(int)((i * 7919L) % (i < 100_000 ? 40 : 300))];
            required[i] = i switch
            {
                300 or 65_600 => double.NaN,
                311 => double.PositiveInfinity,
                130_000 => double.NegativeInfinity,
                _ when i > 1_000 && i < 1_400 && i % 3 == 0 => double.NaN,
                _ => Math.Round(50 + (rng.NextDouble() * 10) + (i > 70_000 ? 2 : 0), 3),
            };
            optional[i] = i % 500 == 0 ? null : i % 777 == 0 ? double.NaN : Math.Round(rng.NextDouble(), 4);
        }

        string parquet = dir.File_("runs.parquet");
        using (var file = new ParquetFileWriter(parquet, [new Column<double>("required"), new Column<double?>("optional"), new Column<string>("label")]))
        {
            using RowGroupWriter group = file.AppendRowGroup();
            using (var w = group.NextColumn().LogicalWriter<double>()) w.WriteBatch(required);
            using (var w = group.NextColumn().LogicalWriter<double?>()) w.WriteBatch(optional);
            using (var w = group.NextColumn().LogicalWriter<string?>()) w.WriteBatch(label);
            file.Close();
        }

        static string Cell(double? v) => v switch
        {
            null => "",
            double d when double.IsNaN(d) => "",
            double d when double.IsPositiveInfinity(d) => "inf",
            double d when double.IsNegativeInfinity(d) => "-inf",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
        };
        var text = new StringBuilder("required,optional,label\n");
        for (int i = 0; i < rows; i++)
        {
            text.Append(Cell(required[i])).Append(',').Append(Cell(optional[i])).Append(',').Append(label[i]).Append('\n');
        }

        string csv = dir.Write("runs.csv", text.ToString());
        var reference = new StringBuilder("required,optional,label\n");
        for (int i = 0; i < 5_000; i++)
        {
            reference.Append(CultureInfo.InvariantCulture, $"{50 + (i % 1000 / 100.0)},{i % 997 / 997.0},{names[i % 250]}\n");
        }

        JsonElement quality = await AssertSameReportAgainstBaselineAsync(dir.Write("reference.csv", reference.ToString()), parquet, csv);
        Assert.Contains("\"missing\":", quality.ToString(), StringComparison.Ordinal);
    }

    // Builds a baseline from a reference CSV, compares a Parquet file and the same data as CSV with it, and checks that
    // both reports give the same columns and data quality; returns the Parquet report's quality.
    private async Task<JsonElement> AssertSameReportAgainstBaselineAsync(string referenceCsv, string parquet, string csv)
    {
        string baseline = dir.File_(Path.GetFileNameWithoutExtension(parquet) + ".baseline.json");
        (int built, _, string builtErr) = await CliRunner.RunAsync("baseline", referenceCsv, "--out", baseline);
        (int parquetCode, string parquetJson, string parquetErr) = await CliRunner.RunAsync("drift", "-r", baseline, "-c", parquet, "-f", "json");
        (int csvCode, string csvJson, string csvErr) = await CliRunner.RunAsync("drift", "-r", baseline, "-c", csv, "-f", "json");

        Assert.True(built == 0, builtErr);
        Assert.True(parquetErr.Length == 0 && csvErr.Length == 0, parquetErr + csvErr);
        Assert.Equal(csvCode, parquetCode);
        using JsonDocument p = JsonDocument.Parse(parquetJson);
        using JsonDocument c = JsonDocument.Parse(csvJson);
        Assert.Equal(c.RootElement.GetProperty("columns").ToString(), p.RootElement.GetProperty("columns").ToString());
        Assert.Equal(c.RootElement.GetProperty("quality").ToString(), p.RootElement.GetProperty("quality").ToString());
        return p.RootElement.GetProperty("quality").Clone();
    }

    /// <summary>
    /// Within a batch, a label met again is added by the pointer Arrow gives its bytes (the same pointer into a
    /// dictionary page is the same label). Every row must keep its own label whatever the encoding: dictionary pages,
    /// plain pages (every pointer new), and a dictionary that overflows its page limit and goes on plain in the middle of
    /// the column, with 1,200 labels (more than the pointer table's 256 slots) across batches of 65,536 and nulls.
    /// </summary>
    [Theory]
    [InlineData("dictionary")]
    [InlineData("plain")]
    [InlineData("dictionary-then-plain")]
    public async Task Labels_met_again_within_a_batch_keep_their_own_rows_whatever_the_encoding(string encoding)
    {
        const int rows = 150_000;
        var rng = new Random(11);
        string[] names = Enumerable.Range(0, 1_200).Select(k => k % 3 == 0 ? $"l{k}" : k % 3 == 1 ? $"label-{k}-é" : new string('x', k % 40) + k).ToArray();
        var label = new string?[rows];
        var score = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            // Runs of one label, labels from a few, and labels from all 1,200, so that pointers repeat near and far.
            label[i] = i % 19 == 0 ? null : (i / 1000 % 3) switch { 0 => names[i / 50 % names.Length], 1 => names[rng.Next(8)], _ => names[rng.Next(names.Length)] };
            score[i] = Math.Round(rng.NextDouble(), 3);
        }

        using WriterPropertiesBuilder builder = new();
        using WriterProperties properties = encoding switch
        {
            "plain" => builder.DisableDictionary().Build(),
            "dictionary-then-plain" => builder.DictionaryPagesizeLimit(4_096).Build(),
            _ => builder.Build(),
        };
        string parquet = dir.File_("labels.parquet");
        using (var file = new ParquetFileWriter(parquet, [new Column<string>("label"), new Column<double>("score")], properties))
        {
            using RowGroupWriter group = file.AppendRowGroup();
            using (var w = group.NextColumn().LogicalWriter<string?>()) w.WriteBatch(label);
            using (var w = group.NextColumn().LogicalWriter<double>()) w.WriteBatch(score);
            file.Close();
        }

        // The file is encoded as the case says: dictionary indices take about 1.2 bytes a row here, plain text about 14.
        using (var written = new ParquetFileReader(parquet))
        using (RowGroupReader group = written.RowGroup(0))
        {
            ColumnChunkMetaData chunk = group.MetaData.GetColumnChunkMetaData(0);
            Assert.Equal(encoding != "plain", chunk.Encodings.Contains(ParquetSharp.Encoding.RleDictionary));
            Assert.Equal(encoding != "dictionary", chunk.TotalUncompressedSize > 1_500_000);
        }

        // The exact engine keeps every row's label, in order.
        ColumnSample sample = Dataset.Load(parquet)["label"].ToSample();
        Assert.Equal(label.Where(l => l is not null).ToArray(), sample.Categories);
        Assert.Equal(label.Count(l => l is null), sample.MissingCount);

        // Against a baseline, the labels are tallied: the report is the same data's as CSV.
        var text = new StringBuilder("label,score\n");
        for (int i = 0; i < rows; i++)
        {
            text.Append(label[i]).Append(',').Append(score[i].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        string csv = dir.Write("labels.csv", text.ToString());
        var reference = new StringBuilder("label,score\n");
        for (int i = 0; i < 3_000; i++)
        {
            reference.Append(names[i % 600]).Append(',').Append((i % 100 / 100.0).ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        await AssertSameReportAgainstBaselineAsync(dir.Write("labels-reference.csv", reference.ToString()), parquet, csv);
    }

    [Fact]
    public void The_input_format_option_overrides_the_extension()
    {
        string parquet = WriteParquet("t.parquet", 50, 1, 0);
        string data = dir.File_("export.bin");
        File.Copy(parquet, data);

        Dataset loaded = Dataset.Load(data, options: new ReadOptions(DataFormat.Parquet));

        Assert.Equal(50, loaded.RowCount);
    }

    [Fact]
    public async Task A_file_written_by_the_managed_Parquet_Net_reads_the_same()
    {
        string path = dir.File_("managed.parquet");
        var price = new Parquet.Schema.DataField<double>("price");
        var maybe = new Parquet.Schema.DataField<double?>("maybe");
        var region = new Parquet.Schema.DataField<string>("region");
        var rooms = new Parquet.Schema.DataField<int>("rooms");
        await using (var stream = File.Create(path))
        {
            await using var writer = await Parquet.ParquetWriter.CreateAsync(new Parquet.Schema.ParquetSchema(price, maybe, region, rooms), stream);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<double>(price, new double[] { 1.5, 2.5, 3.5 });
            await group.WriteAsync<double>(maybe, new double?[] { null, double.NaN, 4.25 });
            await group.WriteAsync(region, new[] { "north", null!, "south" });
            await group.WriteAsync<int>(rooms, new[] { 3, 4, 5 });
        }

        Dataset data = Dataset.Load(path);

        Assert.Equal([1.5, 2.5, 3.5], data["price"].ToSample().Numbers);
        Assert.Equal([4.25], data["maybe"].ToSample().Numbers);
        Assert.Equal(2, data["maybe"].ToSample().MissingCount);
        Assert.Equal(["north", "south"], data["region"].ToSample().Categories);
        Assert.Equal(1, data["region"].ToSample().MissingCount);
        Assert.Equal([3.0, 4, 5], data["rooms"].ToSample().Numbers);
    }

    [Fact]
    public async Task Text_columns_keep_every_label_exactly_required_or_optional_non_ascii_empty_and_long()
    {
        // Text is read from its UTF-8 bytes into a reused buffer: the labels must come out exactly as written.
        string path = dir.File_("text.parquet");
        string longLabel = string.Concat(Enumerable.Repeat("ü€𝄞x", 300)); // 1,500 characters, 4-byte sequences among them
        string[] labels = ["Zürich", "", "東京", longLabel, "Zürich", "a\"b,c"];
        var required = new Parquet.Schema.DataField<string>("required", false);
        var optional = new Parquet.Schema.DataField<string>("optional");
        await using (var stream = File.Create(path))
        {
            await using var writer = await Parquet.ParquetWriter.CreateAsync(new Parquet.Schema.ParquetSchema(required, optional), stream);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(required, labels);
            await group.WriteAsync(optional, new[] { null!, "東京", longLabel, null!, "", "Zürich" });
        }

        Dataset data = Dataset.Load(path);

        Assert.Equal(labels, data["required"].ToSample().Categories);
        Assert.Equal(["東京", longLabel, "", "Zürich"], data["optional"].ToSample().Categories);
        Assert.Equal(2, data["optional"].ToSample().MissingCount);
    }

    [Fact]
    public void A_file_that_is_not_parquet_is_an_error_naming_it()
    {
        string path = dir.Write("fake.parquet", "price,region\n1,a\n");

        var ex = Assert.Throws<CliInputException>(() => Dataset.Load(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("not a readable Parquet file", ex.Message);
    }

    /// <summary>
    /// Columns are read by whichever core is free, label columns first; when several cannot be read, the error is the
    /// one a sequential read (row group by row group, column by column) meets first, naming the file, row group and
    /// column. Here the first row group's pages of the second and fourth columns are overwritten, and the fourth holds
    /// labels, so it is read (and fails) first.
    /// </summary>
    [Fact]
    public void Of_several_columns_that_cannot_be_read_the_first_in_file_order_is_reported()
    {
        const int rows = 5_000;
        string path = dir.File_("corrupt.parquet");
        using (var file = new ParquetFileWriter(path, [new Column<double>("a"), new Column<double>("b"), new Column<double>("c"), new Column<string>("d")]))
        {
            for (int g = 0; g < 2; g++)
            {
                using RowGroupWriter group = file.AppendRowGroup();
                for (int c = 0; c < 3; c++)
                {
                    using var w = group.NextColumn().LogicalWriter<double>();
                    w.WriteBatch(Enumerable.Range(0, rows).Select(i => (double)((i * (c + 3)) % 101)).ToArray());
                }

                using (var w = group.NextColumn().LogicalWriter<string>())
                {
                    w.WriteBatch(Enumerable.Range(0, rows).Select(i => $"label{i % 7}").ToArray());
                }
            }

            file.Close();
        }

        // Column chunks follow each other from byte 4 (after "PAR1"), row group by row group, column by column.
        var corrupt = new List<long>();
        using (var written = new ParquetFileReader(path))
        {
            using RowGroupReader first = written.RowGroup(0);
            long offset = 4;
            for (int c = 0; c < 4; c++)
            {
                if (c is 1 or 3)
                {
                    corrupt.Add(offset);
                }

                offset += first.MetaData.GetColumnChunkMetaData(c).TotalCompressedSize;
            }
        }

        byte[] bytes = File.ReadAllBytes(path);
        foreach (long offset in corrupt)
        {
            bytes.AsSpan((int)offset, 64).Fill(0xFF);
        }

        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<CliInputException>(() => Dataset.Load(path));

        Assert.True(ex.Message.StartsWith($"{path}: row group 1, column 'b' (Double): cannot be read: ", StringComparison.Ordinal), ex.Message);
    }

    [Fact]
    public async Task The_delimiter_option_with_a_parquet_file_is_an_error()
    {
        string path = WriteParquet("t.parquet", 50, 1, 0);

        (int code, _, string stderr) = await CliRunner.RunAsync("drift", "-r", path, "-c", path, "--delimiter", ";");

        Assert.Equal(2, code);
        Assert.Contains("--delimiter applies to CSV files", stderr);
    }
}
