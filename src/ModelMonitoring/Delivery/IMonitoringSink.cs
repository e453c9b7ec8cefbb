namespace ModelMonitoring;

/// <summary>
/// An output of monitoring that can lose records without ever slowing a prediction down: the inference capture, the
/// Datadog log intake, a notifier. Each keeps a bounded buffer and counts what it had to drop. Register one in
/// dependency injection as <see cref="IMonitoringSink"/> and <c>/health</c> reports its counts, and turns degraded
/// while it drops.
/// </summary>
public interface IMonitoringSink
{
    /// <summary>The sink's name in <c>/health</c> (for example <c>capture</c> or <c>datadog_logs</c>).</summary>
    string Name { get; }

    /// <summary>What the sink delivered and dropped so far.</summary>
    MonitoringSinkStatus Status { get; }
}

/// <summary>The counts of a <see cref="IMonitoringSink"/> since it started.</summary>
/// <param name="Delivered">Records written or sent.</param>
/// <param name="Dropped">Records lost: the buffer was full, or writing or sending them failed for good.</param>
/// <param name="Pending">Records waiting in the buffer.</param>
/// <param name="LastError">The last error seen (never a secret), or <see langword="null"/>.</param>
public readonly record struct MonitoringSinkStatus(long Delivered, long Dropped, long Pending, string? LastError);
