// csv-to-parquet IN.csv OUT.parquet: the same table as Parquet, as pandas' DataFrame.to_parquet (pyarrow) writes it:
// Arrow's C++ writer (through ParquetSharp), snappy compression, row groups of 1,048,576 rows, a column of doubles
// when every cell of the CSV column parses as a number, else of strings. Used by docs/benchmarks.md only.
using System.Globalization;
using nietras.SeparatedValues;
using ParquetSharp;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: csv-to-parquet IN.csv OUT.parquet");
    return 2;
}

var cells = new List<List<string>>();
string[] header;
using (SepReader reader = Sep.Reader(o => o with { Unescape = true }).FromFile(args[0]))
{
    header = reader.Header.ColNames.ToArray();
    foreach (string _ in header)
    {
        cells.Add(new List<string>(1 << 20));
    }

    foreach (SepReader.Row row in reader)
    {
        for (int i = 0; i < header.Length; i++)
        {
            cells[i].Add(row[i].ToString());
        }
    }
}

bool[] numeric = cells.Select(c => c.All(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _))).ToArray();
Column[] columns = header.Select((name, i) => numeric[i] ? (Column)new Column<double>(name) : new Column<string>(name)).ToArray();
using var properties = new WriterPropertiesBuilder().Compression(Compression.Snappy).Build();
using (var file = new ParquetFileWriter(args[1], columns, properties))
{
    const int RowGroup = 1 << 20;
    int rows = cells[0].Count;
    for (int start = 0; start < rows; start += RowGroup)
    {
        int n = Math.Min(RowGroup, rows - start);
        using RowGroupWriter group = file.AppendRowGroup();
        for (int i = 0; i < header.Length; i++)
        {
            if (numeric[i])
            {
                using var writer = group.NextColumn().LogicalWriter<double>();
                writer.WriteBatch(cells[i].GetRange(start, n).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray());
            }
            else
            {
                using var writer = group.NextColumn().LogicalWriter<string>();
                writer.WriteBatch(cells[i].GetRange(start, n).ToArray());
            }
        }
    }

    file.Close();
}

Console.WriteLine($"{args[1]}: {cells[0].Count:N0} rows x {header.Length} columns ({numeric.Count(n => n)} numeric).");
return 0;
