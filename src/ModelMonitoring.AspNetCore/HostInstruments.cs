using System.Diagnostics.Metrics;

namespace ModelMonitoring.AspNetCore;

/// <summary>
/// The host-side instruments of ModelMonitoring (meter <c>ModelMonitoring.Host</c>): the free disk space of the
/// inference capture folder, <c>ml.capture.disk.free</c> in bytes, so that an alert fires before the disk fills.
/// </summary>
internal sealed class HostInstruments
{
    public const string MeterName = "ModelMonitoring.Host";

    /// <summary>Gauge: bytes free on the disk of the capture folder; tag <c>directory</c>.</summary>
    public const string CaptureDiskFree = "ml.capture.disk.free";

    private readonly InferenceCapture _capture;

    public HostInstruments(IMeterFactory meterFactory, InferenceCapture capture)
    {
        _capture = capture;
        Meter meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge(CaptureDiskFree, ObserveDiskFree, unit: "By", description: "Free space on the disk of the inference capture folder.");
    }

    /// <summary>Free bytes on the disk that holds the folder (its nearest existing parent); null when unknown.</summary>
    internal static long? FreeBytes(string directory)
    {
        try
        {
            string? existing = directory;
            while (existing is not null && !Directory.Exists(existing))
            {
                existing = Path.GetDirectoryName(existing);
            }

            return existing is null ? null : new DriveInfo(existing).AvailableFreeSpace;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    private IEnumerable<Measurement<long>> ObserveDiskFree()
    {
        if (!_capture.IsEnabled || FreeBytes(_capture.Directory) is not { } free)
        {
            return [];
        }

        return [new Measurement<long>(free, new KeyValuePair<string, object?>("directory", _capture.Directory))];
    }
}
