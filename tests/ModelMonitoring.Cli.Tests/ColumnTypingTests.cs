using ModelMonitoring.Cli.Data;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Cli.Tests;

public sealed class ColumnTypingTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void A_column_present_in_one_file_only_is_named()
    {
        var reference = Dataset.Load(dir.Write("r.csv", "a,b\n1,2\n"));
        var current = Dataset.Load(dir.Write("c.csv", "a,c\n1,2\n"));

        var ex = Assert.Throws<CliInputException>(() => ColumnTyping.Pair(reference, current));

        Assert.Contains("'b'", ex.Message);
        Assert.Contains("r.csv", ex.Message);
    }

    [Fact]
    public void A_column_only_in_the_current_file_is_named()
    {
        var reference = Dataset.Load(dir.Write("r.csv", "a\n1\n"));
        var current = Dataset.Load(dir.Write("c.csv", "a,extra\n1,2\n"));

        var ex = Assert.Throws<CliInputException>(() => ColumnTyping.Pair(reference, current));

        Assert.Contains("'extra'", ex.Message);
    }

    [Fact]
    public void Text_in_either_file_makes_the_column_categorical_in_both()
    {
        var reference = Dataset.Load(dir.Write("r.csv", "code,v\n1,1\n2,2\n"));
        var current = Dataset.Load(dir.Write("c.csv", "v,code\n3,1.0\n4,x\n"));

        IReadOnlyList<ColumnPair> pairs = ColumnTyping.Pair(reference, current);

        Assert.Equal(["code", "v"], pairs.Select(p => p.Name)); // reference order
        ColumnPair code = pairs[0];
        Assert.Equal(ColumnType.Categorical, code.Reference.Type);
        Assert.Equal(ColumnType.Categorical, code.Current.Type);
        Assert.Equal(["1", "2"], code.Reference.Categories);
        Assert.Equal(["1.0", "x"], code.Current.Categories);
        Assert.Equal(ColumnType.Numerical, pairs[1].Type);
    }

    [Fact]
    public void A_column_without_any_value_is_an_error_naming_it()
    {
        var reference = Dataset.Load(dir.Write("r.csv", "a,b\n1,\n2,\n"));
        var current = Dataset.Load(dir.Write("c.csv", "a,b\n1,3\n"));

        var ex = Assert.Throws<CliInputException>(() => ColumnTyping.Pair(reference, current));

        Assert.Contains("'b'", ex.Message);
        Assert.Contains("r.csv", ex.Message);
    }

    [Fact]
    public void Unknown_categorical_names_are_an_error_naming_the_option()
    {
        var ex = Assert.Throws<CliInputException>(() => ColumnTyping.CheckCategoricalNames(["regoin"], ["region", "price"], "r.csv"));

        Assert.Contains("--categorical", ex.Message);
        Assert.Contains("'regoin'", ex.Message);
    }
}
