using System.CommandLine;
using ModelMonitoring.Cli.Data;

namespace ModelMonitoring.Cli.Commands;

/// <summary>The options that say how data files are read: <c>--input-format</c> and <c>--delimiter</c>.</summary>
internal sealed class InputOptions
{
    public InputOptions()
    {
        Format = new Option<string?>("--input-format")
        {
            Description = "The format of the data files: csv, parquet or jsonl (JSON lines, flat or inference capture records). Default: from each file's extension (.parquet/.pq, .jsonl/.ndjson, else csv).",
            HelpName = "csv|parquet|jsonl",
        };
        Delimiter = new Option<string?>("--delimiter", "-d")
        {
            Description = "The CSV delimiter: one character, or tab, comma, semicolon, pipe. Default: detected from the header row (comma, tab, semicolon or pipe).",
            HelpName = "char",
        };
    }

    /// <summary><c>--input-format</c>.</summary>
    public Option<string?> Format { get; }

    /// <summary><c>--delimiter</c>.</summary>
    public Option<string?> Delimiter { get; }

    /// <summary>Both options, to add to a command.</summary>
    public IEnumerable<Option> All => [Format, Delimiter];

    /// <summary>Validates the values.</summary>
    /// <exception cref="CliInputException">A value is not valid; the message names the option.</exception>
    public static ReadOptions Parse(string? format, string? delimiter)
    {
        DataFormat? parsedFormat = null;
        if (format is not null)
        {
            if (!ReadOptions.TryParseFormat(format, out DataFormat f))
            {
                throw new CliInputException($"--input-format: '{format}' is not a format; use csv, parquet or jsonl.");
            }

            parsedFormat = f;
        }

        char? parsedDelimiter = null;
        if (delimiter is not null)
        {
            if (!ReadOptions.TryParseDelimiter(delimiter, out char d))
            {
                throw new CliInputException($"--delimiter: '{delimiter}' is not a delimiter; give one character (such as ';'), or tab, comma, semicolon, pipe.");
            }

            parsedDelimiter = d;
        }

        return new ReadOptions(parsedFormat, parsedDelimiter);
    }
}
