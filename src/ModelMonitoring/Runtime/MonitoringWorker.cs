namespace ModelMonitoring.Runtime;

/// <summary>
/// The background thread that folds buffered predictions into instruments and windows, every
/// <see cref="ModelMonitoringOptions.FlushInterval"/> or sooner when a buffer is half full.
/// </summary>
internal static class MonitoringWorker
{
    private static readonly AutoResetEvent s_signal = new(false);
    private static readonly object s_startLock = new();
    private static Thread? s_thread;
    private static int s_signaled;

    public static void EnsureStarted()
    {
        if (s_thread is not null)
        {
            return;
        }

        lock (s_startLock)
        {
            if (s_thread is not null)
            {
                return;
            }

            var thread = new Thread(Run) { IsBackground = true, Name = "ModelMonitoring folder" };
            thread.Start();
            s_thread = thread;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => ModelMonitor.FlushAll();
        }
    }

    /// <summary>Wakes the folder. Cheap when it is already awake.</summary>
    public static void Signal()
    {
        if (Interlocked.Exchange(ref s_signaled, 1) == 0)
        {
            s_signal.Set();
        }
    }

    private static void Run()
    {
        while (true)
        {
            s_signal.WaitOne(ModelMonitoringRuntime.Options.FlushInterval);
            Volatile.Write(ref s_signaled, 0);
            ModelMonitor.FlushAll(); // never throws: each model catches its own failures
        }
    }
}
