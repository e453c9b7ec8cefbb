namespace ModelMonitoring.Cli;

/// <summary>What the CLI needs to know about where it runs, so tests can run it in-process.</summary>
/// <param name="OutputIsTerminal">
/// Whether stdout is an interactive terminal: then a progress indicator is shown and the table uses colours.
/// When stdout is redirected (a pipe or a file) nothing but the report is written to it.
/// </param>
/// <param name="TerminalWidth">The width of the terminal, or <see langword="null"/> when unknown.</param>
internal sealed record CliEnvironment(bool OutputIsTerminal, int? TerminalWidth = null)
{
    /// <summary>An environment for in-process use: no terminal, no progress, no colours.</summary>
    public static CliEnvironment Redirected { get; } = new(false);

    /// <summary>The environment of the current process.</summary>
    public static CliEnvironment FromConsole()
    {
        bool terminal = !Console.IsOutputRedirected;
        int? width = null;
        if (terminal)
        {
            try
            {
                width = Console.WindowWidth > 0 ? Console.WindowWidth : null;
            }
            catch (IOException)
            {
                width = null;
            }
        }

        return new CliEnvironment(terminal, width);
    }
}
