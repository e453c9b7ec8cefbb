namespace ModelMonitoring.Cli;

/// <summary>The process exit codes a batch pipeline can gate on.</summary>
internal static class ExitCodes
{
    /// <summary>The comparison ran and the dataset did not drift (or a command without a verdict succeeded).</summary>
    public const int NoDrift = 0;

    /// <summary>The comparison ran and the dataset drifted.</summary>
    public const int Drift = 1;

    /// <summary>Usage or input error: bad option, unreadable or malformed file, mismatched columns or baseline.</summary>
    public const int Error = 2;
}
