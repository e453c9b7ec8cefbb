using Spectre.Console;

namespace ModelMonitoring.Cli;

/// <summary>
/// A progress display for long runs: on a terminal, Spectre.Console progress bars that clear themselves when the
/// run ends; otherwise nothing at all, so redirected output (JSON, HTML) stays exactly the report.
/// </summary>
internal sealed class ProgressSteps
{
    private readonly ProgressContext? context;

    private ProgressSteps(ProgressContext? context) => this.context = context;

    /// <summary>Runs <paramref name="work"/> with a progress display when stdout is a terminal.</summary>
    public static async Task<T> RunAsync<T>(CliContext cli, Func<ProgressSteps, Task<T>> work)
    {
        if (!cli.Environment.OutputIsTerminal)
        {
            return await work(new ProgressSteps(null)).ConfigureAwait(false);
        }

        IAnsiConsole console = Reports.TableReportWriter.CreateConsole(cli.Output, colors: true, cli.Environment.TerminalWidth);
        return await console.Progress()
            .AutoClear(true)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(ctx => work(new ProgressSteps(ctx)))
            .ConfigureAwait(false);
    }

    /// <summary>Adds a step; the returned progress takes fractions from 0 to 1 (null when there is no display).</summary>
    public IProgress<double>? Step(string description)
    {
        if (context is null)
        {
            return null;
        }

        ProgressTask task = context.AddTask(Markup.Escape(description), autoStart: true, maxValue: 1.0);
        return new StepProgress(task);
    }

    private sealed class StepProgress(ProgressTask task) : IProgress<double>
    {
        public void Report(double value) => task.Value = Math.Clamp(value, 0, 1);
    }
}
