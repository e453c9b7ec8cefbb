using System.Globalization;
using System.Text.Json;

namespace ModelMonitoring.Sketches;

/// <summary>
/// The sizes a baseline file may declare, checked before anything is allocated from them: the text itself, then
/// (<see cref="CheckArrays"/>) every array and map, in one forward pass of a JSON reader that allocates nothing per
/// element. The scalar sizes (<c>max_categories</c>, <c>max_category_length</c>, <c>sketch.k</c>) and the total memory
/// the sketches would take are checked by <see cref="BaselineProfile"/> before it builds any profile.
/// </summary>
internal static class BaselineLimits
{
    /// <summary>The largest baseline file (or JSON text, in UTF-8 bytes) read: 512 MiB.</summary>
    public const long MaxBytes = 512L * 1024 * 1024;

    /// <summary>The most features a baseline may hold.</summary>
    public const int MaxFeatures = 100_000;

    /// <summary>The most memory the restored sketches of one baseline may take together: 1 GiB (about 20,000 features at K = 2048).</summary>
    public const long MaxSketchBytes = 1L << 30;

    /// <summary>The most reference chunks a feature may store.</summary>
    public const int MaxChunks = 1000;

    /// <summary>
    /// Rejects an array or map longer than the format allows (features, sketch levels, a level's values, the exact
    /// values and counts, the category counts), naming the field with its indices.
    /// </summary>
    /// <exception cref="BaselineFormatException">A limit is exceeded.</exception>
    /// <exception cref="JsonException">The text is not valid JSON (reported by the caller with its position).</exception>
    public static void CheckArrays(ReadOnlySpan<byte> utf8, string? source)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        });

        // One frame per open array or object: its path with indices (for the message), its path without (for the
        // limit), how many elements or properties it has, and its limit.
        var frames = new List<Frame>();
        string? property = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    property = reader.GetString();
                    if (frames.Count > 0)
                    {
                        Count(frames, source);
                    }

                    break;
                case JsonTokenType.StartArray:
                case JsonTokenType.StartObject:
                {
                    string path;
                    string shape;
                    if (frames.Count == 0)
                    {
                        path = shape = string.Empty;
                    }
                    else
                    {
                        Frame parent = frames[^1];
                        if (parent.IsArray)
                        {
                            path = parent.Path + "[" + parent.Count.ToString(CultureInfo.InvariantCulture) + "]";
                            shape = parent.Shape + "[]";
                            Count(frames, source);
                        }
                        else
                        {
                            path = Join(parent.Path, property);
                            shape = Join(parent.Shape, property);
                        }
                    }

                    frames.Add(new Frame(path, shape, reader.TokenType == JsonTokenType.StartArray, LimitOf(shape)));
                    break;
                }

                case JsonTokenType.EndArray:
                case JsonTokenType.EndObject:
                    frames.RemoveAt(frames.Count - 1);
                    break;
                default:
                    if (frames.Count > 0 && frames[^1].IsArray)
                    {
                        Count(frames, source);
                    }

                    break;
            }
        }
    }

    private static long LimitOf(string shape) => shape switch
    {
        "features" => MaxFeatures,
        "features[].sketch.levels" => KllSketch.MaxLevels,
        "features[].sketch.levels[]" => KllSketch.MaxRetainedItems(KllSketch.MaxK),
        "features[].distinct.values" or "features[].distinct.counts" => FeatureProfile.DistinctValueLimit,
        "features[].categories.counts" or "features[].chunks[].categories.counts" => CategoryCounter.MaxCategoriesLimit,
        "features[].categories.overflow_sample.hashes" or "features[].categories.overflow_sample.counts"
            or "features[].chunks[].categories.overflow_sample.hashes" or "features[].chunks[].categories.overflow_sample.counts" => OverflowSample.DefaultCapacity,
        "features[].chunks" => MaxChunks,
        "features[].chunks[].sketch.levels" => KllSketch.MaxLevels,
        "features[].chunks[].sketch.levels[]" => KllSketch.MaxRetainedItems(KllSketch.MaxK),
        "features[].chunks[].distinct.values" or "features[].chunks[].distinct.counts" => FeatureProfile.DistinctValueLimit,
        "features[].chunks[].chunks" => 0,
        "outliers.features" or "outliers.robust" or "outliers.isolation_forest.medians" => MaxFeatures,
        "outliers.isolation_forest.trees" => ModelMonitoring.Outliers.IsolationForestOptions.MaxTrees,
        "outliers.isolation_forest.trees[].feature" or "outliers.isolation_forest.trees[].value" or "outliers.isolation_forest.trees[].right"
            => (2 * ModelMonitoring.Outliers.IsolationForestOptions.MaxSamplesPerTree) - 1,
        _ => long.MaxValue,
    };

    private static void Count(List<Frame> frames, string? source)
    {
        Frame frame = frames[^1];
        frame.Count++;
        frames[^1] = frame;
        if (frame.Count > frame.Limit)
        {
            throw new BaselineFormatException(
                source,
                null,
                frame.Path,
                $"holds more than {frame.Limit.ToString("N0", CultureInfo.InvariantCulture)} {(frame.IsArray ? "items" : "entries")}, the most a baseline may declare");
        }
    }

    private static string Join(string path, string? property) =>
        path.Length == 0 ? property ?? string.Empty : path + "." + property;

    private record struct Frame(string Path, string Shape, bool IsArray, long Limit)
    {
        public long Count { get; set; }
    }
}
