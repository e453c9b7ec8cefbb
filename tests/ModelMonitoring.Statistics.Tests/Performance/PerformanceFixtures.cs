using System.Globalization;
using System.Text.Json;

namespace ModelMonitoring.Statistics.Tests.Performance;

/// <summary>Reads tests/data/performance (written by its generate.py with Debian's python3-sklearn).</summary>
internal static class PerformanceFixtures
{
    public static string Directory { get; } = Find();

    public static JsonElement Expected(string fixture)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "expected.json")));
        return document.RootElement.GetProperty(fixture).Clone();
    }

    /// <summary>The columns of a CSV without quoting, by header name.</summary>
    public static Dictionary<string, string[]> Read(string file)
    {
        string[] lines = File.ReadAllLines(Path.Combine(Directory, file));
        string[] header = lines[0].Split(',');
        var columns = header.ToDictionary(h => h, _ => new string[lines.Length - 1]);
        for (int row = 1; row < lines.Length; row++)
        {
            string[] cells = lines[row].Split(',');
            for (int c = 0; c < header.Length; c++)
            {
                columns[header[c]][row - 1] = cells[c];
            }
        }

        return columns;
    }

    public static double[] Numbers(string[] column) => [.. column.Select(c => double.Parse(c, CultureInfo.InvariantCulture))];

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "tests", "data", "performance");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"tests/data/performance was not found above {AppContext.BaseDirectory}.");
    }
}
