using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ModelMonitoring.Datadog.Tests;

/// <summary>One request the receiver got: its headers, its body as sent and decompressed, and its entries.</summary>
internal sealed record ReceivedRequest(IReadOnlyDictionary<string, string> Headers, int CompressedBytes, int PayloadBytes, IReadOnlyList<JsonElement> Entries, int Status);

/// <summary>
/// A local stand-in for the Datadog HTTP log intake on 127.0.0.1: it takes POST /api/v2/logs, gunzips the body, and
/// answers with the next scripted status (202 when the script is empty), as the intake does.
/// </summary>
internal sealed class DatadogReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly ConcurrentQueue<int> _script = new();

    private DatadogReceiver(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public string LogsUrl => $"http://127.0.0.1:{Port}/api/v2/logs";

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>Entries of the requests that were accepted.</summary>
    public IReadOnlyList<JsonElement> Accepted => Requests.Where(r => r.Status < 300).SelectMany(r => r.Entries).ToArray();

    public static async Task<DatadogReceiver> StartAsync(int port = 0, params int[] script)
    {
        port = port == 0 ? FreePort() : port;
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var receiver = new DatadogReceiver(app, port);
        foreach (int status in script)
        {
            receiver._script.Enqueue(status);
        }

        app.MapPost("/api/v2/logs", async (HttpContext context) =>
        {
            using var compressed = new MemoryStream();
            await context.Request.Body.CopyToAsync(compressed);
            byte[] payload = context.Request.Headers.ContentEncoding == "gzip" ? Gunzip(compressed.ToArray()) : compressed.ToArray();
            int status = receiver._script.TryDequeue(out int scripted) ? scripted : 202;
            receiver._requests.Enqueue(new ReceivedRequest(
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                (int)compressed.Length,
                payload.Length,
                JsonDocument.Parse(payload).RootElement.EnumerateArray().Select(e => e.Clone()).ToArray(),
                status));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>A loopback port nobody listens on (yet).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits (at most 30 s) until the accepted entries satisfy the predicate.</summary>
    public async Task WaitUntilAsync(Func<DatadogReceiver, bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!done(this))
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static byte[] Gunzip(byte[] compressed)
    {
        using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
