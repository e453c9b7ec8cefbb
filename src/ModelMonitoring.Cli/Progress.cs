using System.Diagnostics;
using System.Globalization;
using System.Text;
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
    public ProgressStep? Step(string description)
    {
        if (context is null)
        {
            return null;
        }

        ProgressTask task = context.AddTask(Markup.Escape(description), autoStart: true, maxValue: 1.0);
        return new ProgressStep(task, description);
    }
}

/// <summary>One step of a <see cref="ProgressSteps"/> display: a bar, and a description that can name the item just done.</summary>
internal sealed class ProgressStep : IProgress<double>
{
    private readonly ProgressTask task;
    private readonly string description;

    internal ProgressStep(ProgressTask task, string description)
    {
        this.task = task;
        this.description = description;
    }

    /// <summary>The description as shown now (plain text).</summary>
    public string Current { get; private set; } = string.Empty;

    /// <inheritdoc />
    public void Report(double value) => task.Value = Math.Clamp(value, 0, 1);

    /// <summary>Reports one more item done: the bar moves and the description says how many of how many, and which.</summary>
    public void ReportItem(int done, int total, string item)
    {
        string text = string.Create(CultureInfo.InvariantCulture, $"{description}: {done}/{total} columns, {item} done");
        Current = text;
        task.Description = Markup.Escape(text);
        task.Value = total > 0 ? Math.Clamp((double)done / total, 0, 1) : 1;
    }
}

/// <summary>How long each step of a run took, for <c>--timings</c>.</summary>
internal sealed class Timings
{
    private readonly Stopwatch total = Stopwatch.StartNew();
    private readonly TimeSpan startCpu = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly List<(string Step, TimeSpan Elapsed, TimeSpan Cpu, bool Parallel)> steps = [];
    private readonly Lock gate = new();

    /// <summary>Measures a step until the returned scope is disposed.</summary>
    /// <param name="step">What the step does.</param>
    /// <param name="parallel">Whether it ran beside another step.</param>
    public IDisposable Measure(string step, bool parallel = false) => new Scope(this, step, parallel);

    /// <summary>The steps and the total, one line.</summary>
    public string Summary()
    {
        var text = new StringBuilder("mlmon: timings: ");
        lock (gate)
        {
            foreach ((string step, TimeSpan elapsed, TimeSpan cpu, bool parallel) in steps)
            {
                text.Append(step).Append(' ').Append(Seconds(elapsed))
                    .Append(parallel ? " (in parallel" : " (").Append(parallel ? ", " : string.Empty).Append("CPU ").Append(Seconds(cpu)).Append("); ");
            }
        }

        TimeSpan allCpu = Process.GetCurrentProcess().TotalProcessorTime - startCpu;
        return text.Append("total ").Append(Seconds(total.Elapsed)).Append(" (after start-up; CPU ").Append(Seconds(allCpu))
            .Append("; the CPU of a step is the whole process's while it ran); garbage collection paused ")
            .Append(Seconds(GC.GetTotalPauseDuration())).Append(string.Create(CultureInfo.InvariantCulture, $" over {GC.CollectionCount(0)} collections ({GC.CollectionCount(2)} full)"))
            .ToString();
    }

    private static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture) + " s";

    private sealed class Scope(Timings owner, string step, bool parallel) : IDisposable
    {
        private readonly long start = Stopwatch.GetTimestamp();
        private readonly TimeSpan startCpu = Process.GetCurrentProcess().TotalProcessorTime;

        public void Dispose()
        {
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime - startCpu;
            lock (owner.gate)
            {
                owner.steps.Add((step, elapsed, cpu, parallel));
            }
        }
    }
}
