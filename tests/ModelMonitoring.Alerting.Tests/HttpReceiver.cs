using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace ModelMonitoring.Alerting.Tests;

/// <summary>
/// A real HTTP server on a free 127.0.0.1 port (HttpListener) that keeps every request it gets and answers each with
/// the next status of <see cref="Answers"/> (200 once they run out).
/// </summary>
internal sealed class HttpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly Task _loop;

    public HttpReceiver()
    {
        for (int attempt = 1; ; attempt++)
        {
            int port = ExternalTool.FreePort();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                _listener.Start();
                BaseAddress = new Uri($"http://127.0.0.1:{port}/");
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // Taken between the probe and the bind: another port.
            }
        }

        _loop = Task.Run(LoopAsync);
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The statuses to answer with, in order; 200 after.</summary>
    public ConcurrentQueue<HttpStatusCode> Answers { get; } = new();

    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    /// <summary>Waits until at least <paramref name="count"/> requests matching <paramref name="match"/> came, at most <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(int count, TimeSpan timeout, Func<ReceivedRequest, bool>? match = null)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            ReceivedRequest[] matching = _received.Where(r => match?.Invoke(r) ?? true).ToArray();
            if (matching.Length >= count)
            {
                return matching;
            }

            try
            {
                await _arrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"{count} request(s) expected at {BaseAddress} within {timeout.TotalSeconds} s; got {matching.Length} matching of {_received.Count}:\n"
                    + string.Join("\n", _received.Select(r => $"{r.Method} {r.Path} -> {(int)r.Answered}: {r.Body}")));
            }
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the listener.
        }

        _arrived.Dispose();
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            string body = await reader.ReadToEndAsync();
            HttpStatusCode status = Answers.TryDequeue(out HttpStatusCode next) ? next : HttpStatusCode.OK;
            _received.Enqueue(new ReceivedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.ContentType, body, status));
            context.Response.StatusCode = (int)status;
            context.Response.Close();
            _arrived.Release();
        }
    }
}

/// <summary>One request the receiver got, and what it answered.</summary>
internal sealed record ReceivedRequest(string Method, string Path, string? ContentType, string Body, HttpStatusCode Answered)
{
    public JsonNode Json => JsonNode.Parse(Body)!;
}
