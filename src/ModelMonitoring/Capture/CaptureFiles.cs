using System.Buffers;
using System.Globalization;
using System.Text.Json;
using ModelMonitoring.Runtime;

namespace ModelMonitoring;

/// <summary>
/// The capture's files, one rolling JSON-lines file per model (<c>&lt;folder&gt;/&lt;model&gt;/&lt;model&gt;-&lt;UTC
/// start&gt;-&lt;n&gt;.jsonl</c>), rotated by size and by period, the oldest deleted past the retention count. Used by the
/// writer thread only. A record counts as delivered once the file was flushed after it.
/// </summary>
internal sealed class CaptureFiles : IDisposable
{
    private readonly InferenceCaptureOptions _options;
    private readonly TimeProvider _time;
    private readonly CaptureCounters _counters;
    private readonly Action<CaptureErrorKind, string, Exception> _failed;
    private readonly Dictionary<string, OpenFile> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _sequence = new(StringComparer.Ordinal);
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _json;
    private long _retryOpenAt;

    public CaptureFiles(string directory, InferenceCaptureOptions options, TimeProvider time, CaptureCounters counters, Action<CaptureErrorKind, string, Exception> failed)
    {
        Directory = directory;
        _options = options;
        _time = time;
        _counters = counters;
        _failed = failed;
        _json = new Utf8JsonWriter(_buffer, ModelLogJson.WriterOptions);
    }

    public string Directory { get; }

    public void Write(CaptureRecord record)
    {
        if (Environment.TickCount64 < _retryOpenAt && !_files.ContainsKey(record.Model))
        {
            _counters.Dropped(record.Model, CaptureDropReason.WriteError);
            return; // an error a moment ago: no retry on every record
        }

        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        Serialize(_json, record);
        _json.Flush();
        _buffer.Write("\n"u8);

        OpenFile? file = null;
        try
        {
            file = FileFor(record.Model, _buffer.WrittenCount);
            file.Stream.Write(_buffer.WrittenSpan);
            file.Bytes += _buffer.WrittenCount;
            file.Unflushed++;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or NotSupportedException or System.Security.SecurityException)
        {
            _counters.Dropped(record.Model, CaptureDropReason.WriteError);
            Fail(record.Model, file?.Path ?? Path.Combine(Directory, record.Model), exception);
        }
    }

    /// <summary>Flushes every open file: the records written into each count as delivered, or as dropped when it fails.</summary>
    public void Flush()
    {
        foreach ((string model, OpenFile file) in _files.ToArray())
        {
            if (file.Unflushed == 0)
            {
                continue;
            }

            try
            {
                file.Stream.Flush();
                _counters.Delivered(model, file.Unflushed);
                file.Unflushed = 0;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                Fail(model, file.Path, exception);
            }
        }
    }

    public void Dispose()
    {
        Flush();
        foreach (OpenFile file in _files.Values)
        {
            CloseQuietly(file);
        }

        _files.Clear();
        _json.Dispose();
    }

    internal static void Serialize(Utf8JsonWriter writer, CaptureRecord record)
    {
        writer.WriteStartObject();
        Span<char> timestamp = stackalloc char[32];
        record.Timestamp.UtcDateTime.TryFormat(timestamp, out int length, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        writer.WriteString("timestamp", timestamp[..length]);
        writer.WriteString("model", record.Model);
        writer.WriteString("model_version", record.ModelVersion);
        writer.WriteString("method", record.Method);
        if (record.Key is not null)
        {
            writer.WriteString("key", record.Key);
        }

        if (record.Segment is not null)
        {
            writer.WriteString("segment", record.Segment);
        }

        writer.WriteString("outcome", RuntimeInstruments.OutcomeTag(record.Outcome));
        if (double.IsFinite(record.DurationMilliseconds))
        {
            writer.WriteNumber("duration_ms", Math.Round(record.DurationMilliseconds, 6));
        }
        else
        {
            writer.WriteNull("duration_ms");
        }

        WriteFeatures(writer, "features", record, FeatureSource.Input);
        WriteFeatures(writer, "prediction", record, FeatureSource.Prediction);
        writer.WriteEndObject();
    }

    private static void WriteFeatures(Utf8JsonWriter writer, string property, CaptureRecord record, FeatureSource source)
    {
        writer.WriteStartObject(property);
        IReadOnlyList<FeatureDescriptor> features = record.Features;
        for (int i = 0; i < features.Count; i++)
        {
            FeatureDescriptor feature = features[i];
            if (feature.Source != source || record.States[i] == CaptureRecord.Absent)
            {
                continue;
            }

            switch (record.States[i])
            {
                case CaptureRecord.Number when double.IsFinite(record.Numbers[i]):
                    writer.WriteNumber(feature.Name, record.Numbers[i]);
                    break;
                case CaptureRecord.Label when record.Labels[i] is { } label:
                    writer.WriteString(feature.Name, label);
                    break;
                default:
                    writer.WriteNull(feature.Name);
                    break;
            }
        }

        writer.WriteEndObject();
    }

    private OpenFile FileFor(string model, int nextBytes)
    {
        DateTimeOffset now = _time.GetUtcNow();
        long period = now.UtcTicks / _options.RollInterval.Ticks;
        if (_files.TryGetValue(model, out OpenFile? file))
        {
            if (file.Period == period && (file.Bytes == 0 || file.Bytes + nextBytes <= _options.MaxFileBytes))
            {
                return file;
            }

            Close(model, file);
        }

        string folder = Path.Combine(Directory, model);
        System.IO.Directory.CreateDirectory(folder);
        int sequence = _sequence[model] = _sequence.GetValueOrDefault(model) + 1;
        string path = Path.Combine(folder, $"{model}-{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{sequence.ToString("D3", CultureInfo.InvariantCulture)}.jsonl");
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 64 * 1024);
        file = new OpenFile(path, stream, period) { Bytes = stream.Length };
        _files[model] = file;
        DeleteOldFiles(folder, model, keep: path);
        return file;
    }

    private void Close(string model, OpenFile file)
    {
        _files.Remove(model);
        try
        {
            file.Stream.Flush();
            _counters.Delivered(model, file.Unflushed);
            file.Unflushed = 0;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            Fail(model, file.Path, exception);
        }

        CloseQuietly(file);
    }

    private void DeleteOldFiles(string folder, string model, string keep)
    {
        try
        {
            string[] files = System.IO.Directory.GetFiles(folder, model + "-*.jsonl");
            Array.Sort(files, StringComparer.Ordinal);
            int excess = files.Length - _options.RetainedFiles;
            for (int i = 0; i < files.Length && excess > 0; i++)
            {
                if (files[i] != keep)
                {
                    File.Delete(files[i]);
                    excess--;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _failed(CaptureErrorKind.Retention, folder, exception);
        }
    }

    private void Fail(string model, string path, Exception exception)
    {
        if (_files.TryGetValue(model, out OpenFile? file))
        {
            _files.Remove(model);
            _counters.Dropped(model, CaptureDropReason.WriteError, file.Unflushed);
            file.Unflushed = 0;
            CloseQuietly(file);
        }

        _retryOpenAt = Environment.TickCount64 + 1_000;
        _failed(KindOf(exception), path, exception);
    }

    private static CaptureErrorKind KindOf(Exception exception) => exception switch
    {
        UnauthorizedAccessException or System.Security.SecurityException => CaptureErrorKind.Permission,
        IOException io when (io.HResult & 0xFFFF) is 28 or 0x70 or 0x27 || io.Message.Contains("space", StringComparison.OrdinalIgnoreCase) => CaptureErrorKind.DiskFull,
        _ => CaptureErrorKind.Io,
    };

    private static void CloseQuietly(OpenFile file)
    {
        try
        {
            file.Stream.Dispose();
        }
        catch (Exception)
        {
            // The buffered bytes that could not be written were counted as dropped already.
        }
    }

    private sealed class OpenFile(string path, FileStream stream, long period)
    {
        public string Path { get; } = path;

        public FileStream Stream { get; } = stream;

        public long Period { get; } = period;

        public long Bytes { get; set; }

        public long Unflushed { get; set; }
    }
}

/// <summary>Why a capture record was dropped: the <c>reason</c> tag of <c>ml.capture.dropped</c>.</summary>
internal enum CaptureDropReason
{
    BufferFull,
    WriteError,
}

/// <summary>What kind of error the capture writer met: the <c>error</c> tag of <c>ml.capture.write.errors</c>.</summary>
internal enum CaptureErrorKind
{
    DiskFull,
    Permission,
    Io,
    Retention,
}
