using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using System.Runtime.ExceptionServices;

namespace ModelMonitoring.Benchmarks;

/// <summary>
/// What a careful developer writes by hand with OpenTelemetry: one meter, instruments in static fields, tags in a
/// <see cref="TagList"/> (no allocation), Stopwatch timing, and the counter and histogram recorded on every call.
/// Same instrument shapes and tags as ModelMonitoring, under other names so the two never mix.
/// </summary>
public static class HandWrittenMonitoring
{
    /// <summary>The hand-written meter's name.</summary>
    public const string MeterName = "ModelMonitoring.Benchmarks.HandWritten";

    /// <summary>The counter's name.</summary>
    public const string PredictionsName = "bench.model.predictions";

    /// <summary>The histogram's name.</summary>
    public const string DurationName = "bench.model.prediction.duration";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Predictions = Meter.CreateCounter<long>(PredictionsName, unit: "{prediction}");

    private static readonly Histogram<double> Duration = Meter.CreateHistogram(
        DurationName,
        unit: "s",
        description: null,
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ModelMonitoringInstruments.DefaultDurationBuckets });

    /// <summary>Forces the instruments to exist before a listener is created.</summary>
    public static void EnsureCreated() => _ = Duration.Enabled;

    /// <summary>A monitored call of the model, written by hand.</summary>
    public static double Predict(IPricingModel model, PricingRequest request)
    {
        long started = Stopwatch.GetTimestamp();
        string outcome = "error";
        try
        {
            double price = model.Predict(request);
            outcome = "success";
            return price;
        }
        finally
        {
            Record(started, outcome);
        }
    }

    /// <summary>Records one call: latency with 3 tags, count with the same 3 tags plus the outcome.</summary>
    public static void Record(long started, string outcome)
    {
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var tags = new TagList
        {
            { "model", MonitoredPricingModel.ModelName },
            { "model_version", MonitoredPricingModel.ModelVersion },
            { "method", "Predict" },
        };
        Duration.Record(seconds, tags);
        tags.Add("outcome", outcome);
        Predictions.Add(1, tags);
    }
}

/// <summary>
/// Runtime interception: a <see cref="DispatchProxy"/> over <see cref="IPricingModel"/> that does what
/// <see cref="HandWrittenMonitoring"/> does around a reflective call of the target.
/// </summary>
public class MonitoringProxy : DispatchProxy
{
    private IPricingModel? _target;

    /// <summary>Wraps a model in a monitoring proxy.</summary>
    public static IPricingModel Create(IPricingModel target)
    {
        IPricingModel proxy = Create<IPricingModel, MonitoringProxy>();
        ((MonitoringProxy)(object)proxy)._target = target;
        return proxy;
    }

    /// <inheritdoc />
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        long started = Stopwatch.GetTimestamp();
        string outcome = "error";
        try
        {
            object? result = targetMethod.Invoke(_target, args);
            outcome = "success";
            return result;
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(exception.InnerException); // the model's exception, not the reflection wrapper
            throw;
        }
        finally
        {
            HandWrittenMonitoring.Record(started, outcome);
        }
    }
}
