using System.Text.Json;

namespace ModelMonitoring.Cli.Tests;

/// <summary>The scikit-learn fixtures of tests/data/performance (generate.py there) and their expected figures.</summary>
internal static class PerformanceFixtures
{
    /// <summary>The path of a fixture file.</summary>
    public static string Fixture(string file) => Path.Combine(RepoPaths.RepositoryRoot, "tests", "data", "performance", file);

    /// <summary>A fixture's entry in expected.json.</summary>
    public static JsonElement Expected(string fixture)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Fixture("expected.json")));
        return document.RootElement.GetProperty(fixture).Clone();
    }
}
