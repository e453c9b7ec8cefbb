using System.Globalization;
using System.Text.Json;
using ModelMonitoring.Outliers;

namespace ModelMonitoring.Sketches;

/// <summary>
/// Reads a baseline file's JSON into its documents (<see cref="BaselineDocument"/>) in one forward pass of a
/// <see cref="Utf8JsonReader"/>, checking every array's and map's length against <see cref="BaselineLimits"/> as it
/// fills, so nothing larger than the format allows is ever allocated.
/// </summary>
/// <remarks>
/// <para>
/// It accepts what the serializer's <see cref="BaselineJsonContext"/> accepts and gives the same documents: comments
/// and trailing commas, unknown properties skipped, the last of duplicate properties kept, <c>null</c> for any field,
/// <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c> for floating-point numbers, exact property names.
/// </para>
/// <para>
/// It exists for speed. The serializer's metadata and generic converters are compiled on first use, which made
/// loading a 2 MB baseline take about 0.37 s in a fresh process (0.05 s once warm) on the path where <c>mlmon drift</c>
/// waits for it before it profiles the current file. This reader touches a few dozen methods of its own and the
/// framework's precompiled <see cref="Utf8JsonReader"/>. Writing stays with the serializer.
/// </para>
/// </remarks>
internal ref struct BaselineJsonReader
{
    private delegate bool TryGetInteger<T>(ref Utf8JsonReader reader, out T value);

    private readonly ReadOnlySpan<byte> _utf8;
    private readonly string? _source;
    private Utf8JsonReader _reader;

    private BaselineJsonReader(ReadOnlySpan<byte> utf8, string? source)
    {
        _utf8 = utf8;
        _source = source;
        _reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        });
    }

    /// <summary>Reads the document, or null when the text is the JSON <c>null</c>.</summary>
    /// <param name="utf8">The text, without a byte-order mark.</param>
    /// <param name="source">The file path or other name used in error messages.</param>
    /// <exception cref="JsonException">The text is not valid JSON, or a value has the wrong type; with its position and path.</exception>
    /// <exception cref="BaselineFormatException">An array or map is longer than the format allows.</exception>
    public static BaselineDocument? Read(ReadOnlySpan<byte> utf8, string? source)
    {
        var reader = new BaselineJsonReader(utf8, source);
        reader.Next();
        BaselineDocument? document = reader._reader.TokenType == JsonTokenType.Null ? null : reader.ReadBaseline();
        reader._reader.Read(); // false at the end; throws, with its position, on anything after the baseline
        return document;
    }

    private BaselineDocument ReadBaseline()
    {
        ExpectObject("$", "a baseline object");
        var document = new BaselineDocument();
        while (NextProperty())
        {
            string name = _reader.GetString()!;
            Next();
            switch (name)
            {
                case "format": document.Format = ReadString(name); break;
                case "format_version": document.FormatVersion = ReadInt32(name); break;
                case "model": document.Model = ReadString(name); break;
                case "created_at": document.CreatedAt = ReadDateTimeOffset(name); break;
                case "row_count": document.RowCount = ReadInt64(name); break;
                case "features": document.Features = ReadFeatures("features", BaselineLimits.MaxFeatures, chunks: false); break;
                case "outliers": document.Outliers = _reader.TokenType == JsonTokenType.Null ? null : ReadOutliers(); break;
                default: _reader.Skip(); break;
            }
        }

        return document;
    }

    // The features of the baseline, or the reference chunks of one of them (a chunk has none of its own).
    private List<FeatureDocument?>? ReadFeatures(string path, long limit, bool chunks)
    {
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        ExpectArray(path);
        var features = new List<FeatureDocument?>();
        while (NextItem())
        {
            string item = Indexed(path, features.Count);
            CheckLength(path, features.Count + 1, limit, isArray: true);
            features.Add(_reader.TokenType == JsonTokenType.Null ? null : ReadFeature(item, chunks));
        }

        return features;
    }

    private FeatureDocument ReadFeature(string path, bool isChunk)
    {
        ExpectObject(path, "a feature object");
        var feature = new FeatureDocument();
        while (NextProperty())
        {
            string name = _reader.GetString()!;
            Next();
            string field = path + "." + name;
            switch (name)
            {
                case "name": feature.Name = ReadString(field); break;
                case "type": feature.Type = ReadString(field); break;
                case "count": feature.Count = ReadInt64(field); break;
                case "missing": feature.Missing = ReadInt64(field); break;
                case "non_finite": feature.NonFinite = ReadInt64(field); break;
                case "mean": feature.Mean = ReadDouble(field); break;
                case "std": feature.StandardDeviation = ReadDouble(field); break;
                case "shift": feature.Shift = ReadDouble(field); break;
                case "shifted_sum": feature.ShiftedSum = ReadDouble(field); break;
                case "shifted_sum_of_squares": feature.ShiftedSumOfSquares = ReadDouble(field); break;
                case "distinct": feature.Distinct = ReadDistinct(field); break;
                case "sketch": feature.Sketch = ReadSketch(field); break;
                case "categories": feature.Categories = ReadCategories(field); break;
                case "chunks": feature.Chunks = ReadFeatures(field, isChunk ? 0 : BaselineLimits.MaxChunks, chunks: true); break;
                default: _reader.Skip(); break;
            }
        }

        return feature;
    }

    private DistinctDocument? ReadDistinct(string path)
    {
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        ExpectObject(path, "an object");
        var distinct = new DistinctDocument();
        while (NextProperty())
        {
            string name = _reader.GetString()!;
            Next();
            string field = path + "." + name;
            switch (name)
            {
                case "overflow": distinct.Overflow = ReadBoolean(field); break;
                case "values": distinct.Values = ReadDoubles(field, FeatureProfile.DistinctValueLimit); break;
                case "counts": distinct.Counts = ReadInt64s(field, FeatureProfile.DistinctValueLimit); break;
                default: _reader.Skip(); break;
            }
        }

        return distinct;
    }

    private SketchDocument? ReadSketch(string path)
    {
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        ExpectObject(path, "an object");
        var sketch = new SketchDocument();
        while (NextProperty())
        {
            string name = _reader.GetString()!;
            Next();
            string field = path + "." + name;
            switch (name)
            {
                case "k": sketch.K = ReadInt32(field); break;
                case "seed": sketch.Seed = ReadUInt64(field); break;
                case "random_state": sketch.RandomState = ReadUInt64(field); break;
                case "count": sketch.Count = ReadInt64(field); break;
                case "min": sketch.Min = ReadDouble(field); break;
                case "max": sketch.Max = ReadDouble(field); break;
                case "levels": sketch.Levels = ReadLevels(field); break;
                default: _reader.Skip(); break;
            }
        }

        return sketch;
    }

    private double[]?[]? ReadLevels(string path)
    {
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        ExpectArray(path);
        var levels = new List<double[]?>();
        int itemLimit = KllSketch.MaxRetainedItems(KllSketch.MaxK);
        while (NextItem())
        {
            CheckLength(path, levels.Count + 1, KllSketch.MaxLevels, isArray: true);
            levels.Add(ReadDoubles(Indexed(path, levels.Count), itemLimit));
        }

        return [.. levels];
    }

    private CategoriesDocument? ReadCategories(string path)
    {
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        ExpectObject(path, "an object");
        var categories = new CategoriesDocument();
        while (NextProperty())
        {
            string name = _reader.GetString()!;
            Next();
            string field = path + "." + name;
            switch (name)
            {
                case "max_categories": categories.MaxCategories = ReadInt32(field); break;
                case "max_category_length": categories.MaxCategoryLength = ReadInt32(field); break;
                case "counts": categories.Counts = ReadCounts(field); break;
                case "overflow": categories.Overflow = ReadInt64(field); break;
                case "overflow_sample": categories.OverflowSample = ReadOverflowSample(field); break;
                default: _reader.Skip(); break;
            }
        }

        return categories;
    }

    private Dictionary<string, long>? ReadCounts(string path)
    {
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        ExpectObject(path, "an object of category counts");
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        long entries = 0;
        while (NextProperty())
        {
            CheckLength(path, ++entries, CategoryCounter.MaxCategoriesLimit, isArray: false);
            string category = _reader.GetString()!;
            Next();
            counts[category] = ReadInt64(path + "." + category) ?? throw WrongType(path + "." + category, "an integer");
        }

        return counts;
    }

    private OverflowSampleDocument? ReadOverflowSample(string path)
    {
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        ExpectObject(path, "an object");
        var sample = new OverflowSampleDocument();
        while (NextProperty())
        {
            string name = _reader.GetString()!;
            Next();
            string field = path + "." + name;
            switch (name)
            {
                case "hashes": sample.Hashes = ReadUInt64s(field, OverflowSample.DefaultCapacity); break;
                case "counts": sample.Counts = ReadInt64s(field, OverflowSample.DefaultCapacity); break;
                default: _reader.Skip(); break;
            }
        }

        return sample;
    }

    private OutliersDocument ReadOutliers()
    {
        const string Path = "outliers";
        ExpectObject(Path, "an object");
        var outliers = new OutliersDocument();
        while (NextProperty())
        {
            string name = _reader.GetString()!;
            Next();
            string field = Path + "." + name;
            switch (name)
            {
                case "features": outliers.Features = ReadStrings(field, BaselineLimits.MaxFeatures)!; break;
                case "robust": outliers.Robust = ReadRobustScores(field); break;
                case "isolation_forest": outliers.IsolationForest = ReadIsolationForest(field); break;
                default: _reader.Skip(); break;
            }
        }

        return outliers;
    }

    private List<RobustDocument?>? ReadRobustScores(string path)
    {
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        ExpectArray(path);
        var scores = new List<RobustDocument?>();
        while (NextItem())
        {
            string item = Indexed(path, scores.Count);
            CheckLength(path, scores.Count + 1, BaselineLimits.MaxFeatures, isArray: true);
            if (_reader.TokenType == JsonTokenType.Null)
            {
                scores.Add(null);
                continue;
            }

            ExpectObject(item, "an object");
            var score = new RobustDocument();
            while (NextProperty())
            {
                string name = _reader.GetString()!;
                Next();
                string field = item + "." + name;
                switch (name)
                {
                    case "median": score.Median = ReadDouble(field); break;
                    case "mad": score.Mad = ReadDouble(field); break;
                    case "mean_absolute_deviation": score.MeanAbsoluteDeviation = ReadDouble(field); break;
                    default: _reader.Skip(); break;
                }
            }

            scores.Add(score);
        }

        return scores;
    }

    private IsolationForestDocument? ReadIsolationForest(string path)
    {
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        ExpectObject(path, "an object");
        var forest = new IsolationForestDocument();
        while (NextProperty())
        {
            string name = _reader.GetString()!;
            Next();
            string field = path + "." + name;
            switch (name)
            {
                case "samples_per_tree": forest.SamplesPerTree = ReadInt32(field); break;
                case "seed": forest.Seed = ReadInt32(field); break;
                case "contamination": forest.Contamination = ReadString(field); break;
                case "threshold": forest.Threshold = ReadDouble(field); break;
                case "training_rows": forest.TrainingRows = ReadInt64(field); break;
                case "medians": forest.Medians = ReadDoubles(field, BaselineLimits.MaxFeatures); break;
                case "trees": forest.Trees = ReadTrees(field); break;
                default: _reader.Skip(); break;
            }
        }

        return forest;
    }

    private List<TreeDocument?>? ReadTrees(string path)
    {
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        ExpectArray(path);
        int nodeLimit = (2 * IsolationForestOptions.MaxSamplesPerTree) - 1;
        var trees = new List<TreeDocument?>();
        while (NextItem())
        {
            string item = Indexed(path, trees.Count);
            CheckLength(path, trees.Count + 1, IsolationForestOptions.MaxTrees, isArray: true);
            if (_reader.TokenType == JsonTokenType.Null)
            {
                trees.Add(null);
                continue;
            }

            ExpectObject(item, "an object");
            var tree = new TreeDocument();
            while (NextProperty())
            {
                string name = _reader.GetString()!;
                Next();
                string field = item + "." + name;
                switch (name)
                {
                    case "feature": tree.Feature = ReadInt32s(field, nodeLimit); break;
                    case "value": tree.Value = ReadDoubles(field, nodeLimit, namedLiterals: false); break; // as CompactDoubleArrayConverter
                    case "right": tree.Right = ReadInt32s(field, nodeLimit); break;
                    default: _reader.Skip(); break;
                }
            }

            trees.Add(tree);
        }

        return trees;
    }

    // ---- Values. Each reader starts on the value's first token and leaves the reader on its last.

    private string? ReadString(string path) => _reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => _reader.GetString(),
        _ => throw WrongType(path, "a string"),
    };

    private bool? ReadBoolean(string path) => _reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw WrongType(path, "true or false"),
    };

    private int? ReadInt32(string path) =>
        _reader.TokenType == JsonTokenType.Null ? null
        : _reader.TokenType == JsonTokenType.Number && _reader.TryGetInt32(out int value) ? value
        : throw WrongType(path, "a 32-bit integer");

    private long? ReadInt64(string path) =>
        _reader.TokenType == JsonTokenType.Null ? null
        : _reader.TokenType == JsonTokenType.Number && _reader.TryGetInt64(out long value) ? value
        : throw WrongType(path, "a 64-bit integer");

    private ulong? ReadUInt64(string path) =>
        _reader.TokenType == JsonTokenType.Null ? null
        : _reader.TokenType == JsonTokenType.Number && _reader.TryGetUInt64(out ulong value) ? value
        : throw WrongType(path, "an unsigned 64-bit integer");

    private DateTimeOffset? ReadDateTimeOffset(string path) =>
        _reader.TokenType == JsonTokenType.Null ? null
        : _reader.TokenType == JsonTokenType.String && _reader.TryGetDateTimeOffset(out DateTimeOffset value) ? value
        : throw WrongType(path, "an ISO 8601 date and time");

    private double? ReadDouble(string path) =>
        _reader.TokenType == JsonTokenType.Null ? null : ReadFiniteOrNamed(path);

    // A number, or one of the serializer's names for the non-finite ones (AllowNamedFloatingPointLiterals). The path
    // of an array item is its array's and its index, joined only for an error.
    private double ReadFiniteOrNamed(string path, int index = -1)
    {
        if (_reader.TokenType == JsonTokenType.Number && _reader.TryGetDouble(out double value))
        {
            return value;
        }

        if (_reader.TokenType == JsonTokenType.String)
        {
            if (_reader.ValueTextEquals("NaN"u8))
            {
                return double.NaN;
            }

            if (_reader.ValueTextEquals("Infinity"u8))
            {
                return double.PositiveInfinity;
            }

            if (_reader.ValueTextEquals("-Infinity"u8))
            {
                return double.NegativeInfinity;
            }
        }

        throw WrongType(index < 0 ? path : Indexed(path, index), "a number");
    }

    private double[]? ReadDoubles(string path, long limit, bool namedLiterals = true)
    {
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        ExpectArray(path);
        var values = new List<double>();
        while (NextItem())
        {
            CheckLength(path, values.Count + 1, limit, isArray: true);
            values.Add(namedLiterals || _reader.TokenType != JsonTokenType.String
                ? ReadFiniteOrNamed(path, values.Count)
                : throw WrongType(Indexed(path, values.Count), "a number"));
        }

        return [.. values];
    }

    private long[]? ReadInt64s(string path, long limit) =>
        ReadIntegers(path, limit, "a 64-bit integer", static (ref Utf8JsonReader reader, out long value) => reader.TryGetInt64(out value));

    private ulong[]? ReadUInt64s(string path, long limit) =>
        ReadIntegers(path, limit, "an unsigned 64-bit integer", static (ref Utf8JsonReader reader, out ulong value) => reader.TryGetUInt64(out value));

    private int[]? ReadInt32s(string path, long limit) =>
        ReadIntegers(path, limit, "a 32-bit integer", static (ref Utf8JsonReader reader, out int value) => reader.TryGetInt32(out value));

    // An array of integers of one width: each item a JSON number that fits it.
    private T[]? ReadIntegers<T>(string path, long limit, string expected, TryGetInteger<T> tryGet)
    {
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        ExpectArray(path);
        var values = new List<T>();
        while (NextItem())
        {
            CheckLength(path, values.Count + 1, limit, isArray: true);
            values.Add(_reader.TokenType == JsonTokenType.Number && tryGet(ref _reader, out T value)
                ? value : throw WrongType(Indexed(path, values.Count), expected));
        }

        return [.. values];
    }

    private string?[]? ReadStrings(string path, long limit)
    {
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        ExpectArray(path);
        var values = new List<string?>();
        while (NextItem())
        {
            CheckLength(path, values.Count + 1, limit, isArray: true);
            values.Add(ReadString(Indexed(path, values.Count)));
        }

        return [.. values];
    }

    // ---- Structure.

    private void Next()
    {
        if (!_reader.Read())
        {
            throw new JsonException($"The JSON text ends before the baseline does.", null, LineOf(_utf8.Length), PositionInLine(_utf8.Length));
        }
    }

    // Moves to the next property name of the current object: false at its end.
    private bool NextProperty()
    {
        Next();
        return _reader.TokenType == JsonTokenType.PropertyName;
    }

    // Moves to the next item of the current array: false at its end.
    private bool NextItem()
    {
        Next();
        return _reader.TokenType != JsonTokenType.EndArray;
    }

    private void ExpectObject(string path, string what)
    {
        if (_reader.TokenType != JsonTokenType.StartObject)
        {
            throw WrongType(path, what);
        }
    }

    private void ExpectArray(string path)
    {
        if (_reader.TokenType != JsonTokenType.StartArray)
        {
            throw WrongType(path, "an array");
        }
    }

    private void CheckLength(string path, long length, long limit, bool isArray)
    {
        if (length > limit)
        {
            throw new BaselineFormatException(
                _source,
                null,
                path,
                $"holds more than {limit.ToString("N0", CultureInfo.InvariantCulture)} {(isArray ? "items" : "entries")}, the most a baseline may declare");
        }
    }

    private static string Indexed(string path, int index) => path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    private JsonException WrongType(string path, string expected)
    {
        long start = _reader.TokenStartIndex;
        string found = _reader.TokenType switch
        {
            JsonTokenType.String => "a string",
            JsonTokenType.Number => "the number " + System.Text.Encoding.UTF8.GetString(_reader.ValueSpan),
            JsonTokenType.True or JsonTokenType.False => "a boolean",
            JsonTokenType.Null => "null",
            JsonTokenType.StartArray => "an array",
            JsonTokenType.StartObject => "an object",
            _ => _reader.TokenType.ToString(),
        };
        string at = path == "$" ? "$" : "$." + path;
        return new JsonException($"Expected {expected} but found {found}. Path: {at}.", at, LineOf(start), PositionInLine(start));
    }

    // Zero-based, as JsonException counts.
    private long LineOf(long offset) => _utf8[..(int)offset].Count((byte)'\n');

    private long PositionInLine(long offset)
    {
        int lineStart = _utf8[..(int)offset].LastIndexOf((byte)'\n') + 1;
        return offset - lineStart;
    }
}
