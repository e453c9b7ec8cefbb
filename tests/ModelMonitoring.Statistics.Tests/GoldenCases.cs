using System.Globalization;
using System.Text.Json;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Statistics.Tests;

/// <summary>Reads the golden drift cases in tests/data/golden/drift inside the repository.</summary>
internal static class GoldenCases
{
    public static string DriftDirectory { get; } = Path.Combine(FindGoldenDirectory(), "drift");

    public static IEnumerable<string> Names() =>
        Directory.GetDirectories(DriftDirectory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public static GoldenCase Load(string name)
    {
        string directory = Path.Combine(DriftDirectory, name);
        using JsonDocument expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "expected.json")));
        JsonElement root = expected.RootElement;
        var categorical = root.GetProperty("categorical").EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal);
        var columns = root.GetProperty("columns").EnumerateArray().Select(c => new ExpectedColumn(
            c.GetProperty("name").GetString()!,
            c.GetProperty("type").GetString()!,
            c.GetProperty("method").GetString()!,
            c.GetProperty("score").GetDouble(),
            c.GetProperty("threshold").GetDouble(),
            c.GetProperty("drift").GetBoolean())).ToArray();
        JsonElement dataset = root.GetProperty("dataset");
        return new GoldenCase(
            name,
            root.GetProperty("method").GetString()!,
            ReadColumns(Path.Combine(directory, "reference.csv"), categorical),
            ReadColumns(Path.Combine(directory, "current.csv"), categorical),
            columns,
            dataset.GetProperty("drifted_columns").GetInt32(),
            dataset.GetProperty("columns").GetInt32(),
            dataset.GetProperty("share").GetDouble(),
            dataset.GetProperty("drift").GetBoolean());
    }

    // The golden files are plain CSV without quoting; a tiny reader is enough here.
    private static ColumnSample[] ReadColumns(string path, IReadOnlySet<string> categorical)
    {
        string[] lines = File.ReadAllLines(path).Where(line => line.Length > 0).ToArray();
        string[] header = lines[0].Split(',');
        var cells = header.Select(_ => new List<string>()).ToArray();
        foreach (string line in lines.Skip(1))
        {
            string[] row = line.Split(',');
            Assert.True(row.Length == header.Length, $"{path}: a row has {row.Length} cells, the header {header.Length}.");
            for (int i = 0; i < row.Length; i++)
            {
                cells[i].Add(row[i]);
            }
        }

        return header.Select((name, i) =>
        {
            List<string> values = cells[i];
            int missing = values.Count(string.IsNullOrEmpty);
            string[] present = values.Where(v => !string.IsNullOrEmpty(v)).ToArray();
            return categorical.Contains(name)
                ? ColumnSample.Categorical(name, present, missing)
                : ColumnSample.Numerical(name, present.Select(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray(), missing);
        }).ToArray();
    }

    // The repository root is the folder holding Instrumentation.sln above the test assembly.
    private static string FindGoldenDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Instrumentation.sln")))
            {
                return Path.Combine(directory.FullName, "tests", "data", "golden");
            }
        }

        throw new DirectoryNotFoundException($"No Instrumentation.sln above {AppContext.BaseDirectory}; cannot locate tests/data/golden.");
    }
}

internal sealed record ExpectedColumn(string Name, string Type, string Method, double Score, double Threshold, bool Drift);

internal sealed record GoldenCase(
    string Name,
    string Method,
    ColumnSample[] Reference,
    ColumnSample[] Current,
    ExpectedColumn[] Columns,
    int DriftedColumns,
    int ColumnCount,
    double Share,
    bool Drift);
