namespace ModelMonitoring.Cli;

/// <summary>
/// A problem with the command line or the input files that the user can fix. The message is written to stderr as
/// it is and the process exits with <see cref="ExitCodes.Error"/>; it names the option, file, line or column.
/// </summary>
internal sealed class CliInputException : Exception
{
    public CliInputException(string message)
        : base(message)
    {
    }

    public CliInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
