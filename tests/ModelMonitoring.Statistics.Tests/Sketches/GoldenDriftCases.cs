using System.Globalization;
using System.Text.Json;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Statistics.Tests.Sketches;

/// <summary>Reads the golden drift cases (tests/data/golden/drift/*/ inside the repository).</summary>
internal static class GoldenDriftCases
{
    private static readonly string[] CategoricalColumns = ["region", "is_new"];

    public static IReadOnlyList<string> CaseDirectories()
    {
        string root = Path.Combine(GoldenDirectory(), "drift");
        return Directory.GetDirectories(root).Order(StringComparer.Ordinal).ToArray();
    }

    public static string GoldenDirectory()
    {
        string? configured = Environment.GetEnvironmentVariable("MODELMONITORING_REPO_ROOT");
        string? directory = configured ?? AppContext.BaseDirectory;
        while (directory is not null)
        {
            if (File.Exists(Path.Combine(directory, "Instrumentation.sln")))
            {
                return Path.Combine(directory, "tests", "data", "golden");
            }

            directory = Path.GetDirectoryName(directory.TrimEnd(Path.DirectorySeparatorChar));
        }

        throw new DirectoryNotFoundException($"No Instrumentation.sln above {AppContext.BaseDirectory}.");
    }

    public static IReadOnlyList<ColumnSample> ReadColumns(string csvPath)
    {
        string[] lines = File.ReadAllLines(csvPath).Where(line => line.Length > 0).ToArray();
        string[] header = lines[0].Split(',');
        var cells = new List<string>[header.Length];
        for (int c = 0; c < header.Length; c++)
        {
            cells[c] = new List<string>(lines.Length);
        }

        foreach (string line in lines.Skip(1))
        {
            string[] parts = line.Split(',');
            Assert.Equal(header.Length, parts.Length);
            for (int c = 0; c < header.Length; c++)
            {
                cells[c].Add(parts[c].Trim());
            }
        }

        var columns = new List<ColumnSample>(header.Length);
        for (int c = 0; c < header.Length; c++)
        {
            string name = header[c].Trim();
            int missing = cells[c].Count(string.IsNullOrEmpty);
            string[] present = cells[c].Where(cell => !string.IsNullOrEmpty(cell)).ToArray();
            columns.Add(CategoricalColumns.Contains(name)
                ? ColumnSample.Categorical(name, present, missing)
                : ColumnSample.Numerical(name, present.Select(cell => double.Parse(cell, CultureInfo.InvariantCulture)).ToArray(), missing));
        }

        return columns;
    }

    public static (StatTest? Method, JsonElement Root) ReadExpected(string caseDirectory)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(caseDirectory, "expected.json")));
        JsonElement root = document.RootElement.Clone();
        string methodName = root.GetProperty("method").GetString()!;
        if (methodName == "auto")
        {
            return (null, root);
        }

        Assert.True(StatTests.TryGet(methodName, out StatTest? method), methodName);
        return (method, root);
    }
}
