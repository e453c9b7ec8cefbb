using System.Collections.Concurrent;

namespace ModelMonitoring;

/// <summary>
/// A bounded queue drained by one background thread of its own. <see cref="TryEnqueue"/> never waits: when the queue
/// is full the item is refused and counted in <see cref="Dropped"/>. The thread hands items to a callback one by one,
/// and calls an idle callback whenever the queue runs empty (to flush a file or a console). Callbacks that throw are
/// reported to an error callback and the thread goes on.
/// </summary>
internal sealed class BackgroundQueue<T> : IDisposable
{
    private const int IdleEvery = 512;
    private readonly BlockingCollection<T> _items;
    private readonly Action<T> _process;
    private readonly Action _idle;
    private readonly Action<Exception> _failed;
    private readonly Thread _thread;
    private readonly object _progress = new();
    private long _accepted;
    private long _processed;
    private long _dropped;
    private long _idledAt;
    private int _disposed;

    public BackgroundQueue(int capacity, string threadName, Action<T> process, Action idle, Action<Exception> failed)
    {
        _items = new BlockingCollection<T>(new ConcurrentQueue<T>(), capacity);
        _process = process;
        _idle = idle;
        _failed = failed;
        _thread = new Thread(Run) { IsBackground = true, Name = threadName };
        _thread.Start();
    }

    /// <summary>Items refused because the queue was full (or closed).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Items waiting in the queue (not yet taken by the thread).</summary>
    public int Queued => _items.Count;

    /// <summary>Items accepted and not yet processed.</summary>
    public long Pending => Interlocked.Read(ref _accepted) - Interlocked.Read(ref _processed);

    /// <summary>Queues an item; false (and counted as dropped) when the queue is full. Never waits.</summary>
    public bool TryEnqueue(T item)
    {
        try
        {
            if (Volatile.Read(ref _disposed) == 0 && _items.TryAdd(item))
            {
                Interlocked.Increment(ref _accepted);
                return true;
            }
        }
        catch (InvalidOperationException)
        {
            // Closed meanwhile: dropped below.
        }

        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>Waits until every item accepted before the call was processed and the idle callback ran after it; false on timeout.</summary>
    public bool Flush(TimeSpan timeout)
    {
        long target = Interlocked.Read(ref _accepted);
        DateTime deadline = DateTime.UtcNow + timeout;
        lock (_progress)
        {
            while (Interlocked.Read(ref _idledAt) < target)
            {
                TimeSpan left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !_thread.IsAlive)
                {
                    return false;
                }

                Monitor.Wait(_progress, left);
            }
        }

        return true;
    }

    /// <summary>Stops taking items, processes those queued (waiting at most <paramref name="timeout"/>) and ends the thread.</summary>
    public void Close(TimeSpan timeout)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _items.CompleteAdding();
        if (!ReferenceEquals(Thread.CurrentThread, _thread))
        {
            _thread.Join(timeout);
        }
    }

    public void Dispose() => Close(TimeSpan.FromSeconds(5));

    private void Run()
    {
        while (true)
        {
            bool taken;
            T? item;
            try
            {
                taken = _items.TryTake(out item, 0);
                if (!taken)
                {
                    Idle();
                    taken = _items.TryTake(out item, Timeout.Infinite);
                }
            }
            catch (InvalidOperationException)
            {
                taken = false;
                item = default;
            }

            if (!taken)
            {
                Idle();
                return; // completed and empty
            }

            try
            {
                _process(item!);
            }
            catch (Exception exception)
            {
                Report(exception);
            }

            if (Interlocked.Increment(ref _processed) - Interlocked.Read(ref _idledAt) >= IdleEvery)
            {
                Idle(); // under a steady stream too, the output is flushed now and then
            }
        }
    }

    private void Idle()
    {
        long processed = Interlocked.Read(ref _processed);
        try
        {
            _idle();
        }
        catch (Exception exception)
        {
            Report(exception);
        }

        lock (_progress)
        {
            Interlocked.Exchange(ref _idledAt, processed);
            Monitor.PulseAll(_progress);
        }
    }

    private void Report(Exception exception)
    {
        try
        {
            _failed(exception);
        }
        catch
        {
            // The last line of defence: the thread must not die.
        }
    }
}
