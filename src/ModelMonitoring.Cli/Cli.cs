using System.CommandLine;
using System.CommandLine.Help;
using ModelMonitoring.Cli.Commands;

namespace ModelMonitoring.Cli;

/// <summary>
/// The <c>mlmon</c> command line: builds the command tree, parses, runs, and turns every error into a message on
/// stderr and exit code 2. <see cref="RunAsync"/> is the whole program, so tests run it in-process.
/// </summary>
internal static class Cli
{
    /// <summary>Runs <c>mlmon</c> with these arguments.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="stdout">Where reports and help go.</param>
    /// <param name="stderr">Where errors go.</param>
    /// <param name="environment">Whether stdout is a terminal; defaults to redirected (no progress, no colours).</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>0 when no dataset drift (or success), 1 when the dataset drifted, 2 for a usage or input error.</returns>
    public static async Task<int> RunAsync(
        string[] args,
        TextWriter stdout,
        TextWriter stderr,
        CliEnvironment? environment = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        environment ??= CliEnvironment.Redirected;
        var context = new CliContext(stdout, stderr, environment);

        var root = new RootCommand("mlmon: drift detection for ML models over CSV files and baseline profiles.")
        {
            DriftCommand.Create(context),
            BaselineCommand.Create(context),
        };

        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            foreach (var error in parse.Errors)
            {
                await stderr.WriteLineAsync($"mlmon: error: {error.Message}").ConfigureAwait(false);
            }

            string command = parse.CommandResult.Command == root ? "mlmon" : $"mlmon {parse.CommandResult.Command.Name}";
            await stderr.WriteLineAsync($"Run '{command} --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Error;
        }

        var invocation = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = false,
        };
        return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a command's body and maps failures to exit code 2 with one clear line on stderr: input errors as they are
    /// written, I/O errors with their message, anything unexpected as an internal error.
    /// </summary>
    internal static async Task<int> GuardAsync(CliContext context, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (CliInputException ex)
        {
            await context.Error.WriteLineAsync($"mlmon: error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Error;
        }
        catch (OperationCanceledException)
        {
            await context.Error.WriteLineAsync("mlmon: cancelled.").ConfigureAwait(false);
            return ExitCodes.Error;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await context.Error.WriteLineAsync($"mlmon: error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Error;
        }
        catch (Exception ex) when (BaselineErrors.IsBaselineError(ex))
        {
            await context.Error.WriteLineAsync($"mlmon: error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Error;
        }
    }
}

/// <summary>The writers and environment a command runs with.</summary>
/// <param name="Output">stdout.</param>
/// <param name="Error">stderr.</param>
/// <param name="Environment">Whether stdout is a terminal.</param>
internal sealed record CliContext(TextWriter Output, TextWriter Error, CliEnvironment Environment);
