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

        var root = new RootCommand("mlmon: drift detection for ML models over CSV, Parquet and JSON lines files and baseline profiles.")
        {
            DriftCommand.Create(context),
            BaselineCommand.Create(context),
            OutliersCommand.Create(context),
            PerformanceCommand.Create(context), EstimateCommand.Create(context), ChangesCommand.Create(context),
            ExportCommand.Create(context),
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
        try
        {
            return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Commands guard their own bodies; this catches what fails around them (help output, option binding).
            await stderr.WriteLineAsync(InternalError(ex)).ConfigureAwait(false);
            return ExitCodes.Error;
        }
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
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            // Parallel loops wrap what went wrong; report the first cause as if it had been thrown alone.
            Exception inner = ex.Flatten().InnerExceptions[0];
            return await GuardAsync(context, () => Task.FromException<int>(inner)).ConfigureAwait(false);
        }
        catch (OutOfMemoryException)
        {
            await context.Error.WriteLineAsync("mlmon: error: out of memory; the exact engine holds every value of both files: compare against a baseline (mlmon baseline) instead.").ConfigureAwait(false);
            return ExitCodes.Error;
        }
        catch (Exception ex)
        {
            await context.Error.WriteLineAsync(InternalError(ex)).ConfigureAwait(false);
            return ExitCodes.Error;
        }
    }

    /// <summary>One line for a failure mlmon did not expect: the exception's type and first line, no stack trace.</summary>
    internal static string InternalError(Exception ex)
    {
        string message = ex.Message;
        int end = message.IndexOfAny(['\r', '\n']);
        if (end >= 0)
        {
            message = message[..end];
        }

        return $"mlmon: internal error: {ex.GetType().Name}: {message} (this is a bug in mlmon; please report it with the command line).";
    }
}

/// <summary>The writers and environment a command runs with.</summary>
/// <param name="Output">stdout.</param>
/// <param name="Error">stderr.</param>
/// <param name="Environment">Whether stdout is a terminal.</param>
internal sealed record CliContext(TextWriter Output, TextWriter Error, CliEnvironment Environment);
