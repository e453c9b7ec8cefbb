using ModelMonitoring;
using ModelMonitoring.Quality;
using Spectre.Console;

namespace Quickstart;

/// <summary>Prints the built-in quality monitor's view of the last window: outliers and data quality per feature.</summary>
internal static class QualityReport
{
    /// <summary>One outlier line and one quality line (or a note when no window closed yet).</summary>
    public static void Print(ModelMonitor monitor)
    {
        if (monitor.LatestQuality is not { } quality)
        {
            AnsiConsole.MarkupLine("[grey]No window has closed yet: no quality figures.[/]");
            return;
        }

        string outliers = quality.ScoredRows == 0
            ? "not scored (no outlier reference yet)"
            : $"[bold]{quality.Outliers:N0}[/] of {quality.ScoredRows:N0} rows ({quality.OutlierRatio:P1}) above the isolation forest's threshold {quality.OutlierThreshold:0.##}";
        AnsiConsole.MarkupLine($"[bold]Outliers[/] in the last window (reference: {quality.ReferenceSource}): {outliers}");

        IEnumerable<string> issues = quality.Features.SelectMany(Issues);
        string line = string.Join("; ", issues);
        AnsiConsole.MarkupLine($"[bold]Quality[/]: {(line.Length == 0 ? "[green]no missing, out-of-range or unseen values[/]" : line)}");
    }

    private static IEnumerable<string> Issues(FeatureQuality feature)
    {
        string name = Markup.Escape(feature.Name);
        if (feature.Missing > 0)
        {
            yield return $"{name} {feature.MissingRatio:P1} missing";
        }

        if (feature.OutOfRange > 0)
        {
            yield return $"{name} {feature.OutOfRangeRatio:P1} out of range";
        }

        if (feature.UnseenCategories > 0)
        {
            yield return $"{name} {feature.UnseenCategoryRatio:P1} unseen ({Markup.Escape(string.Join(", ", feature.UnseenExamples))})";
        }
    }
}
