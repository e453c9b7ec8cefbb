using System.Collections.Concurrent;
using System.IO.Compression;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ModelMonitoring.AspNetCore.Tests;

/// <summary>One data point of an OTLP metric: its attributes and its value (a sum or gauge value, or a histogram's count).</summary>
internal sealed record OtlpPoint(IReadOnlyDictionary<string, object?> Attributes, double Value, ulong Count);

/// <summary>One metric of an OTLP export, with its resource's attributes.</summary>
internal sealed record OtlpMetric(string Name, string Scope, string Kind, int Temporality, IReadOnlyList<OtlpPoint> Points, IReadOnlyDictionary<string, object?> Resource);

/// <summary>
/// A local OTLP/HTTP endpoint on 127.0.0.1 (a free port): it accepts what the real OpenTelemetry exporter POSTs to
/// <c>/v1/metrics</c> and <c>/v1/traces</c>, and decodes the metrics with Google.Protobuf's wire reader, following
/// the shapes of opentelemetry-proto (ExportMetricsServiceRequest, ResourceMetrics, ScopeMetrics, Metric...).
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<OtlpMetric> _metrics = new();
    private int _traceRequests;

    private OtlpReceiver(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<OtlpMetric> Metrics => [.. _metrics];

    public int TraceRequests => Volatile.Read(ref _traceRequests);

    public static async Task<OtlpReceiver> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/metrics", async (HttpContext context) =>
        {
            byte[] body = await ReadBodyAsync(context.Request);
            foreach (OtlpMetric metric in DecodeMetrics(body))
            {
                receiver._metrics.Enqueue(metric);
            }

            return Results.Bytes([], "application/x-protobuf");
        });
        app.MapPost("/v1/traces", async (HttpContext context) =>
        {
            _ = await ReadBodyAsync(context.Request);
            Interlocked.Increment(ref receiver._traceRequests);
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        receiver.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        return receiver;
    }

    /// <summary>Waits (at most 30 s) until a metric matching the predicate arrived.</summary>
    public async Task<OtlpMetric> WaitForAsync(Func<OtlpMetric, bool> predicate)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!timeout.IsCancellationRequested)
        {
            OtlpMetric? found = Metrics.LastOrDefault(predicate);
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("No matching OTLP metric within 30 s. Received: " + string.Join(", ", Metrics.Select(m => m.Name).Distinct()));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        Stream body = request.Headers.ContentEncoding == "gzip" ? new GZipStream(request.Body, CompressionMode.Decompress) : request.Body;
        await body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    // opentelemetry-proto field numbers: ExportMetricsServiceRequest.resource_metrics = 1; ResourceMetrics.resource = 1,
    // scope_metrics = 2; Resource.attributes = 1; ScopeMetrics.scope = 1, metrics = 2; InstrumentationScope.name = 1;
    // Metric.name = 1, gauge = 5, sum = 7, histogram = 9; Gauge/Sum/Histogram.data_points = 1, aggregation_temporality = 2;
    // NumberDataPoint.as_double = 4 (fixed64), as_int = 6 (sfixed64), attributes = 7; HistogramDataPoint.count = 4,
    // sum = 5, attributes = 9; KeyValue.key = 1, value = 2; AnyValue.string_value = 1, bool_value = 2, int_value = 3, double_value = 4.
    internal static List<OtlpMetric> DecodeMetrics(byte[] body)
    {
        var metrics = new List<OtlpMetric>();
        foreach (ByteString resourceMetrics in Fields(ByteString.CopyFrom(body), 1))
        {
            var resource = new Dictionary<string, object?>();
            foreach (ByteString resourceMessage in Fields(resourceMetrics, 1))
            {
                foreach (ByteString attribute in Fields(resourceMessage, 1))
                {
                    (string key, object? value) = KeyValue(attribute);
                    resource[key] = value;
                }
            }

            foreach (ByteString scopeMetrics in Fields(resourceMetrics, 2))
            {
                string scope = Fields(scopeMetrics, 1).Select(s => Strings(s, 1).FirstOrDefault()).FirstOrDefault() ?? string.Empty;
                foreach (ByteString metric in Fields(scopeMetrics, 2))
                {
                    metrics.Add(Metric(metric, scope, resource));
                }
            }
        }

        return metrics;
    }

    private static OtlpMetric Metric(ByteString metric, string scope, Dictionary<string, object?> resource)
    {
        string name = Strings(metric, 1).Single();
        foreach ((int field, string kind) in new[] { (5, "gauge"), (7, "sum"), (9, "histogram") })
        {
            foreach (ByteString data in Fields(metric, field))
            {
                int temporality = (int)Varints(data, 2).FirstOrDefault();
                var points = Fields(data, 1).Select(point => kind == "histogram" ? HistogramPoint(point) : NumberPoint(point)).ToList();
                return new OtlpMetric(name, scope, kind, temporality, points, resource);
            }
        }

        return new OtlpMetric(name, scope, "other", 0, [], resource);
    }

    private static OtlpPoint NumberPoint(ByteString point)
    {
        var attributes = Fields(point, 7).Select(KeyValue).ToDictionary(a => a.Key, a => a.Value);
        double value = 0;
        var input = new CodedInputStream(point.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 4:
                    value = input.ReadDouble();
                    break;
                case 6:
                    value = input.ReadSFixed64();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return new OtlpPoint(attributes, value, 0);
    }

    private static OtlpPoint HistogramPoint(ByteString point)
    {
        var attributes = Fields(point, 9).Select(KeyValue).ToDictionary(a => a.Key, a => a.Value);
        ulong count = 0;
        double sum = 0;
        var input = new CodedInputStream(point.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 4:
                    count = input.ReadFixed64();
                    break;
                case 5:
                    sum = input.ReadDouble();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return new OtlpPoint(attributes, sum, count);
    }

    private static KeyValuePair<string, object?> KeyValue(ByteString keyValue)
    {
        string key = Strings(keyValue, 1).Single();
        object? value = null;
        foreach (ByteString any in Fields(keyValue, 2))
        {
            var input = new CodedInputStream(any.ToByteArray());
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case 1:
                        value = input.ReadString();
                        break;
                    case 2:
                        value = input.ReadBool();
                        break;
                    case 3:
                        value = input.ReadInt64();
                        break;
                    case 4:
                        value = input.ReadDouble();
                        break;
                    default:
                        input.SkipLastField();
                        break;
                }
            }
        }

        return new(key, value);
    }

    /// <summary>The length-delimited fields with this number (nested messages, strings).</summary>
    private static IEnumerable<ByteString> Fields(ByteString message, int number)
    {
        var found = new List<ByteString>();
        var input = new CodedInputStream(message.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == number && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                found.Add(input.ReadBytes());
            }
            else
            {
                input.SkipLastField();
            }
        }

        return found;
    }

    private static IEnumerable<string> Strings(ByteString message, int number) => Fields(message, number).Select(b => b.ToStringUtf8());

    private static IEnumerable<ulong> Varints(ByteString message, int number)
    {
        var found = new List<ulong>();
        var input = new CodedInputStream(message.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == number && WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint)
            {
                found.Add(input.ReadUInt64());
            }
            else
            {
                input.SkipLastField();
            }
        }

        return found;
    }
}
