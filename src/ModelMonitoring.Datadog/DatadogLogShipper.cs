using System.Diagnostics.Metrics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ModelMonitoring.Datadog;

/// <summary>
/// Holds serialized log entries in a bounded buffer and sends them to the Datadog intake from a task of its own: at
/// most 1,000 entries and 5 MB per request, gzip-compressed, with the <c>DD-API-KEY</c> header. The HTTP client
/// retries 408, 429 and 5xx with back-off; when the retries are exhausted the batch waits and is tried again, while
/// new entries fill the buffer; once it is full they are dropped and counted. Logging never waits for the network.
/// Its counts are exported on the meter <c>ModelMonitoring.Datadog</c>.
/// </summary>
internal sealed partial class DatadogLogShipper : IMonitoringSink, IDisposable
{
    public const string HttpClientName = "ModelMonitoring.Datadog";
    public const string MeterName = "ModelMonitoring.Datadog";

    private readonly Channel<byte[]> _buffer;
    private readonly IOptionsMonitor<DatadogOptions> _options;
    private readonly Meter _meter;
    private readonly List<byte[]> _batch = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _lastLogLock = new();
    private readonly Dictionary<string, long> _lastLogged = new(StringComparer.Ordinal);
    private Task? _sender;
    private HttpClient? _client;
    private ILogger? _logger;
    private long _sent;
    private long _droppedFull;
    private long _droppedRejected;
    private long _droppedShutdown;
    private long _truncated;
    private long _requests;
    private long _failedRequests;
    private string? _lastError;

    public DatadogLogShipper(IOptionsMonitor<DatadogOptions> options, IMeterFactory meterFactory)
    {
        _options = options;
        DatadogOptions current = options.CurrentValue;
        _buffer = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(current.BufferCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails at once: counted as dropped
            SingleReader = true,
        });
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableCounter("ml.datadog.logs.sent", () => Interlocked.Read(ref _sent), unit: "{entry}", description: "Log entries the Datadog intake accepted.");
        _meter.CreateObservableCounter("ml.datadog.logs.dropped", ObserveDropped, unit: "{entry}", description: "Log entries that never reached Datadog: the buffer was full, the intake rejected them, or the host stopped first.");
        _meter.CreateObservableCounter("ml.datadog.logs.truncated", () => Interlocked.Read(ref _truncated), unit: "{entry}", description: "Log entries cut to the intake's 1 MB limit.");
        _meter.CreateObservableCounter("ml.datadog.requests", ObserveRequests, unit: "{request}", description: "Requests to the Datadog intake, by result (retries of one request count once).");
        _meter.CreateObservableGauge("ml.datadog.logs.buffered", () => (long)_buffer.Reader.Count + Volatile.Read(ref _batchCount), unit: "{entry}", description: "Log entries waiting to be sent.");
    }

    private int _batchCount;
    private int _disposed;

    public string Name => "datadog_logs";

    public MonitoringSinkStatus Status => new(Interlocked.Read(ref _sent), Dropped, _buffer.Reader.Count + Volatile.Read(ref _batchCount), _lastError);

    public long Dropped => Interlocked.Read(ref _droppedFull) + Interlocked.Read(ref _droppedRejected) + Interlocked.Read(ref _droppedShutdown);

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Takes an entry; false (and counted) when the buffer is full. Never waits.</summary>
    public bool TryAdd(byte[] entry, bool truncated)
    {
        if (truncated)
        {
            Interlocked.Increment(ref _truncated);
        }

        if (_buffer.Writer.TryWrite(entry))
        {
            return true;
        }

        Interlocked.Increment(ref _droppedFull);
        return false;
    }

    /// <summary>Starts sending (the host's start): entries logged before wait in the buffer.</summary>
    public void Start(HttpClient client, ILogger logger)
    {
        _client = client;
        _logger = logger;
        _sender ??= Task.Run(() => SendLoopAsync(_stopping.Token));
    }

    /// <summary>Sends what is buffered, for at most <paramref name="timeout"/>; what is left is counted as dropped.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        _buffer.Writer.TryComplete();
        if (_sender is { } sender)
        {
            _stopping.CancelAfter(timeout);
            try
            {
                await sender.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped with entries left: counted below.
            }
        }

        long left = _batch.Count;
        while (_buffer.Reader.TryRead(out _))
        {
            left++;
        }

        _batch.Clear();
        Volatile.Write(ref _batchCount, 0);
        Interlocked.Add(ref _droppedShutdown, left);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return; // registered under two services: disposed twice
        }

        _buffer.Writer.TryComplete();
        _stopping.Cancel();
        _meter.Dispose();
        _stopping.Dispose();
    }

    private async Task SendLoopAsync(CancellationToken stopping)
    {
        ChannelReader<byte[]> reader = _buffer.Reader;
        while (true)
        {
            DatadogOptions options = _options.CurrentValue;
            if (_batch.Count == 0)
            {
                if (!await reader.WaitToReadAsync(stopping).ConfigureAwait(false))
                {
                    return; // completed and empty
                }

                if (options.BatchDelay > TimeSpan.Zero && !reader.Completion.IsCompleted)
                {
                    try
                    {
                        await Task.Delay(options.BatchDelay, stopping).ConfigureAwait(false); // let the batch fill
                    }
                    catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                    {
                    }
                }
            }

            Fill(reader, options);
            if (_batch.Count == 0)
            {
                continue;
            }

            bool done = await SendAsync(options, stopping).ConfigureAwait(false);
            if (!done)
            {
                // The intake is unreachable or keeps failing after the retries: the batch waits, new entries buffer.
                await Task.Delay(options.UnavailableDelay, stopping).ConfigureAwait(false);
            }
        }
    }

    private void Fill(ChannelReader<byte[]> reader, DatadogOptions options)
    {
        long bytes = 2 + _batch.Sum(e => e.Length + 1L);
        while (_batch.Count < Math.Min(options.BatchSize, DatadogOptions.MaxEntriesPerRequest) && reader.TryPeek(out byte[]? next))
        {
            if (_batch.Count > 0 && bytes + next.Length + 1 > DatadogOptions.MaxPayloadBytes)
            {
                break; // the next request takes it
            }

            reader.TryRead(out _);
            _batch.Add(next);
            bytes += next.Length + 1;
        }

        Volatile.Write(ref _batchCount, _batch.Count);
    }

    /// <summary>Sends the batch; true when it is done with (accepted, or rejected for good), false when it must wait.</summary>
    private async Task<bool> SendAsync(DatadogOptions options, CancellationToken stopping)
    {
        byte[] payload = Compress(_batch);
        Uri url = options.IntakeUrl;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url);
            request.Headers.TryAddWithoutValidation("DD-API-KEY", options.ApiKey);
            request.Content = new ByteArrayContent(payload);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Content.Headers.ContentEncoding.Add("gzip");
            using HttpResponseMessage response = await _client!.SendAsync(request, stopping).ConfigureAwait(false);
            Interlocked.Increment(ref _requests);
            if (response.IsSuccessStatusCode)
            {
                Interlocked.Add(ref _sent, _batch.Count);
                Done();
                return true;
            }

            int status = (int)response.StatusCode;
            if (status is 408 or 429 || status >= 500)
            {
                Failed($"http_{status}", $"HTTP {status} from {url.GetLeftPart(UriPartial.Path)} after retries", null);
                return false;
            }

            // 400, 401, 403, 413...: sending again would fail again.
            Interlocked.Add(ref _droppedRejected, _batch.Count);
            Failed($"http_{status}", $"HTTP {status} {response.ReasonPhrase} from {url.GetLeftPart(UriPartial.Path)}: {_batch.Count} entries rejected and dropped{(status is 401 or 403 ? " (is DD_API_KEY valid for this site?)" : string.Empty)}", null);
            Done();
            return true;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or TimeoutException or Polly.Timeout.TimeoutRejectedException && !stopping.IsCancellationRequested)
        {
            Interlocked.Increment(ref _requests);
            Failed("unreachable", $"{url.GetLeftPart(UriPartial.Path)} unreachable after retries: {exception.Message}", exception);
            return false;
        }
    }

    private void Done()
    {
        _batch.Clear();
        Volatile.Write(ref _batchCount, 0);
    }

    private static byte[] Compress(List<byte[]> entries)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.WriteByte((byte)'[');
            for (int i = 0; i < entries.Count; i++)
            {
                if (i > 0)
                {
                    gzip.WriteByte((byte)',');
                }

                gzip.Write(entries[i]);
            }

            gzip.WriteByte((byte)']');
        }

        return output.ToArray();
    }

    private void Failed(string kind, string message, Exception? exception)
    {
        Interlocked.Increment(ref _failedRequests);
        _lastError = message;
        long now = Environment.TickCount64;
        lock (_lastLogLock)
        {
            if (_lastLogged.TryGetValue(kind, out long last) && now - last < 60_000)
            {
                return; // at most once a minute per kind
            }

            _lastLogged[kind] = now;
        }

        if (_logger is { } logger)
        {
            SendFailed(logger, exception, message, _batch.Count, _buffer.Reader.Count, Dropped);
        }
    }

    private IEnumerable<Measurement<long>> ObserveDropped() =>
    [
        new(Interlocked.Read(ref _droppedFull), new KeyValuePair<string, object?>("reason", "buffer_full")),
        new(Interlocked.Read(ref _droppedRejected), new KeyValuePair<string, object?>("reason", "rejected")),
        new(Interlocked.Read(ref _droppedShutdown), new KeyValuePair<string, object?>("reason", "shutdown")),
    ];

    private IEnumerable<Measurement<long>> ObserveRequests() =>
    [
        new(Interlocked.Read(ref _requests) - Interlocked.Read(ref _failedRequests), new KeyValuePair<string, object?>("result", "success")),
        new(Interlocked.Read(ref _failedRequests), new KeyValuePair<string, object?>("result", "failure")),
    ];

    [LoggerMessage(EventId = 60, Level = LogLevel.Warning, Message = "Datadog log delivery failed: {Reason}. {Batch} entries wait for the next try, {Buffered} more in the buffer, {Dropped} dropped so far. Logged at most once a minute")]
    private static partial void SendFailed(ILogger logger, Exception? exception, string reason, int batch, int buffered, long dropped);
}
