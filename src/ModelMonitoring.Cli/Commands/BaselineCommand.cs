using System.CommandLine;

namespace ModelMonitoring.Cli.Commands;

/// <summary><c>mlmon baseline</c>: writes a reference profile from a CSV file.</summary>
internal static class BaselineCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("baseline", "Write a baseline profile (sketches and counts, not rows) of a CSV file.");
        command.SetAction((_, _) => Cli.GuardAsync(context, () => throw new CliInputException("baseline profiles are not available in this build.")));
        return command;
    }
}

/// <summary>Drift against a baseline profile with the sketch engine.</summary>
internal static class BaselineDrift
{
    /// <summary>Runs the comparison.</summary>
    public static Task<Reports.DriftReport> RunAsync(DriftPlan plan, ProgressSteps steps, CancellationToken cancellationToken)
    {
        _ = plan;
        _ = steps;
        cancellationToken.ThrowIfCancellationRequested();
        throw new CliInputException("baseline references are not available in this build.");
    }
}

/// <summary>Recognises the library's baseline errors.</summary>
internal static class BaselineErrors
{
    /// <summary>Whether the exception reports a corrupt or mismatched baseline.</summary>
    public static bool IsBaselineError(Exception exception) => exception.GetType().Name == "BaselineFormatException";
}
