using ModelMonitoring.Cli.Data;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Cli.Tests;

public sealed class DatasetCsvTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Reads_numbers_and_labels_and_counts_empty_cells_as_missing()
    {
        string path = dir.Write("a.csv", "x,label\n1.5,a\n,b\n-2e3,\n NaN ,a\n");

        Dataset data = Dataset.Load(path);

        Assert.Equal(4, data.RowCount);
        ColumnSample x = data["x"].ToSample();
        Assert.Equal(ColumnType.Numerical, x.Type);
        Assert.Equal([1.5, -2000], x.Numbers);
        Assert.Equal(2, x.MissingCount); // the empty cell and NaN
        ColumnSample label = data["label"].ToSample();
        Assert.Equal(ColumnType.Categorical, label.Type);
        Assert.Equal(["a", "b", "a"], label.Categories);
        Assert.Equal(1, label.MissingCount);
    }

    [Fact]
    public void Reads_rfc4180_quoted_fields_with_commas_quotes_and_line_breaks()
    {
        string path = dir.Write("q.csv", "name,v\n\"west, north\",1\n\"say \"\"hi\"\"\",2\n\"two\r\nlines\",3\n");

        Dataset data = Dataset.Load(path);

        Assert.Equal(["west, north", "say \"hi\"", "two\r\nlines"], data["name"].ToSample().Categories);
        Assert.Equal([1.0, 2, 3], data["v"].ToSample().Numbers);
    }

    [Fact]
    public void A_column_with_one_non_number_is_categorical_and_keeps_labels_as_written()
    {
        string path = dir.Write("m.csv", "rooms,v\n4.0,1\n3,1\n,1\nfour,1\n");

        ColumnSample rooms = Dataset.Load(path)["rooms"].ToSample();

        Assert.Equal(ColumnType.Categorical, rooms.Type);
        Assert.Equal(["4.0", "3", "four"], rooms.Categories);
        Assert.Equal(1, rooms.MissingCount);
    }

    [Fact]
    public void Categorical_option_forces_text()
    {
        string path = dir.Write("c.csv", "zip,v\n01234,1\n99,2\n");

        Dataset data = Dataset.Load(path, new HashSet<string> { "zip" });

        Assert.Equal(["01234", "99"], data["zip"].ToSample().Categories);
    }

    [Fact]
    public void Numbers_parse_with_the_invariant_culture_whatever_the_current_culture()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            string path = dir.Write("d.csv", "v\n1.5\n2.25\n");
            Assert.Equal([1.5, 2.25], Dataset.Load(path)["v"].ToSample().Numbers);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Fact]
    public void A_row_with_the_wrong_field_count_names_the_file_and_line()
    {
        // Line 3 holds a record spread over two lines; the bad row starts on line 5.
        string path = dir.Write("bad.csv", "a,b\n1,x\n2,\"y\nz\"\n3,w,extra\n4,v\n");

        var ex = Assert.Throws<CliInputException>(() => Dataset.Load(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("line 5", ex.Message);
        Assert.Contains("3 fields", ex.Message);
    }

    [Fact]
    public void A_short_row_names_the_file_and_line()
    {
        string path = dir.Write("short.csv", "a,b,c\n1,2,3\n\n4,5\n");

        var ex = Assert.Throws<CliInputException>(() => Dataset.Load(path));

        Assert.Contains("line 4", ex.Message);
    }

    [Fact]
    public void Bad_quoting_names_the_file_and_line()
    {
        string path = dir.Write("quote.csv", "a,b\n1,ok\n2,bro\"ken\n");

        var ex = Assert.Throws<CliInputException>(() => Dataset.Load(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("line 3", ex.Message);
    }

    [Fact]
    public void An_unterminated_quote_is_an_error_not_a_silent_merge()
    {
        string path = dir.Write("open.csv", "a,b\n1,\"open\n2,x\n3,y\n");

        var ex = Assert.Throws<CliInputException>(() => Dataset.Load(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("line 2", ex.Message);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a,b\n", "no data rows")]
    [InlineData("a,b\r\n\r\n", "no data rows")]
    [InlineData("a,,c\n1,2,3\n", "header field 2 is empty")]
    [InlineData("a,b,a\n1,2,3\n", "'a' twice")]
    public void Empty_header_only_and_bad_header_files_are_clear_errors(string content, string expected)
    {
        string path = dir.Write("h.csv", content);

        var ex = Assert.Throws<CliInputException>(() => Dataset.Load(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void A_missing_file_is_an_input_error()
    {
        var ex = Assert.Throws<CliInputException>(() => Dataset.Load(dir.File_("nope.csv")));
        Assert.Contains("not found", ex.Message);
    }
}
