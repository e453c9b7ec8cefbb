using System.Globalization;
using System.Text.Json;
using ModelMonitoring.Statistics;

namespace ModelMonitoring.Sketches;

/// <summary>
/// The reference side of streaming drift detection: one <see cref="FeatureProfile"/> per feature (sketches and counts,
/// never raw rows), with the model's name, when it was built and from how many rows. Saved as JSON
/// (<see cref="Save"/>, <see cref="ToJson"/>) and loaded back (<see cref="Load"/>, <see cref="FromJson"/>); a corrupt,
/// truncated or mismatched file raises a <see cref="BaselineFormatException"/> naming the file, feature and field.
/// </summary>
/// <remarks>
/// <para>
/// The JSON document: <c>format</c> (<c>"mlmon-baseline"</c>), <c>format_version</c> (<see cref="CurrentFormatVersion"/>),
/// <c>model</c>, <c>created_at</c>, <c>row_count</c> and <c>features[]</c>. Each feature has <c>name</c>,
/// <c>type</c> (<c>numerical</c> or <c>categorical</c>), <c>count</c>, <c>missing</c>; numerical features add
/// <c>mean</c> and <c>std</c> (informative), the shifted moments, <c>distinct</c> (exact counts of up to 21 values) and
/// <c>sketch</c> (the KLL levels); categorical features add <c>categories</c> (counts, overflow). Two optional fields,
/// written only when they differ from their defaults, so files without them still load: <c>non_finite</c> (how many
/// of the missing values were ±Infinity) and <c>categories.max_category_length</c> (256); and one optional top-level field,
/// <c>outliers</c> (<see cref="Outliers"/>: the isolation forest's trees and the robust z-scores), which readers before it ignore.
/// </para>
/// <para>
/// <b>Limits.</b> Every size a file declares is bounded before anything is allocated from it: the file (512 MiB), the
/// features (100,000), sketch levels (61) and their values (the capacity of the largest K), exact values (21),
/// categories (<see cref="CategoryCounter.MaxCategoriesLimit"/>, also for <c>max_categories</c>),
/// <c>max_category_length</c> (<see cref="CategoryCounter.MaxCategoryLengthLimit"/>), <c>sketch.k</c>
/// (<see cref="KllSketch.MinK"/> to <see cref="KllSketch.MaxK"/>) and the memory of all sketches together (1 GiB).
/// A file past a limit is a <see cref="BaselineFormatException"/> naming it and the field.
/// </para>
/// <para><b>Thread safety.</b> Immutable once built, but the <see cref="FeatureProfile"/>s it holds are not: do not add to them
/// while the profile is shared.</para>
/// </remarks>
public sealed class BaselineProfile
{
    /// <summary>The value of the <c>format</c> field.</summary>
    public const string FormatName = "mlmon-baseline";

    /// <summary>The format version this code writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    private readonly FeatureProfile[] _features;
    private readonly Dictionary<string, FeatureProfile> _byName;

    /// <summary>Creates a baseline from profiles.</summary>
    /// <param name="features">One profile per feature; names must be unique.</param>
    /// <param name="modelName">The model's name, if known.</param>
    /// <param name="rowCount">How many rows (observations) the profiles were built from.</param>
    /// <param name="createdAt">When the baseline was built.</param>
    /// <exception cref="ArgumentException">Two features have the same name.</exception>
    public BaselineProfile(IEnumerable<FeatureProfile> features, string? modelName, long rowCount, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        _features = features.ToArray();
        _byName = new Dictionary<string, FeatureProfile>(StringComparer.Ordinal);
        foreach (FeatureProfile feature in _features)
        {
            ArgumentNullException.ThrowIfNull(feature, nameof(features));
            if (!_byName.TryAdd(feature.Name, feature))
            {
                throw new ArgumentException($"The feature '{feature.Name}' appears twice.", nameof(features));
            }
        }

        ModelName = modelName;
        RowCount = rowCount;
        CreatedAt = createdAt;
    }

    /// <summary>The model's name, if known.</summary>
    public string? ModelName { get; }

    /// <summary>When the baseline was built.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>How many rows the profiles were built from.</summary>
    public long RowCount { get; }

    /// <summary>The format version (always <see cref="CurrentFormatVersion"/> for a loaded or built profile).</summary>
    public int FormatVersion => CurrentFormatVersion;

    /// <summary>
    /// The outlier reference (an isolation forest and robust z-scores over the numerical features), when the baseline
    /// was written with one (<c>mlmon baseline</c> does by default); <see langword="null"/> for baselines without it,
    /// older files included. Saved as the optional <c>outliers</c> field.
    /// </summary>
    public global::ModelMonitoring.Outliers.OutlierProfile? Outliers { get; init; }

    /// <summary>The feature profiles, in column order.</summary>
    public IReadOnlyList<FeatureProfile> Features => _features;

    /// <summary>The profile of a feature, or <see langword="null"/> if the baseline has none of that name.</summary>
    /// <param name="name">The feature's name (case-sensitive).</param>
    public FeatureProfile? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>
    /// Builds a baseline from the columns of a dataset (what <c>mlmon baseline</c> does with a CSV file).
    /// </summary>
    /// <param name="columns">The columns; each one's missing values are counted as missing.</param>
    /// <param name="modelName">The model's name, if known.</param>
    /// <param name="timeProvider">The clock for <see cref="CreatedAt"/>; the system clock when null.</param>
    /// <param name="maxCategories">How many distinct values of a categorical column are counted exactly.</param>
    /// <param name="sketchK">The accuracy parameter of the numerical sketches.</param>
    /// <param name="chunks">How many consecutive chunks of each column to profile as well, for chunk thresholds (0 = none).</param>
    public static BaselineProfile Build(IReadOnlyList<ColumnSample> columns, string? modelName = null, TimeProvider? timeProvider = null, int maxCategories = CategoryCounter.DefaultMaxCategories, int sketchK = KllSketch.DefaultK, int chunks = 0)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var profiles = new List<FeatureProfile>(columns.Count);
        long rows = 0;
        foreach (ColumnSample column in columns)
        {
            profiles.Add(ProfileOf(column, maxCategories, sketchK, chunks));
            rows = Math.Max(rows, (long)column.Count + column.MissingCount);
        }

        return new BaselineProfile(profiles, modelName, rows, (timeProvider ?? TimeProvider.System).GetUtcNow());
    }

    /// <summary>Builds the profile of one column.</summary>
    /// <param name="column">The column.</param>
    /// <param name="maxCategories">How many distinct values of a categorical column are counted exactly.</param>
    /// <param name="sketchK">The accuracy parameter of a numerical sketch.</param>
    /// <param name="chunks">
    /// How many consecutive chunks of the column's values (in order) to profile as well, stored as the profile's
    /// <see cref="FeatureProfile.ReferenceChunks"/> for chunk thresholds; 0 (the default) for none. Chunk sketches use
    /// K = <see cref="ChunkSketchK"/>.
    /// </param>
    public static FeatureProfile ProfileOf(ColumnSample column, int maxCategories = CategoryCounter.DefaultMaxCategories, int sketchK = KllSketch.DefaultK, int chunks = 0)
    {
        ArgumentNullException.ThrowIfNull(column);
        ArgumentOutOfRangeException.ThrowIfNegative(chunks);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunks, BaselineLimits.MaxChunks);
        FeatureProfile profile = ProfileOfRange(column, 0, column.Count, maxCategories, sketchK);
        for (int i = 0; i < column.MissingCount; i++)
        {
            profile.AddMissing();
        }

        if (chunks > 0 && column.Count >= chunks)
        {
            var parts = new FeatureProfile[chunks];
            for (int i = 0; i < chunks; i++)
            {
                int start = (int)((long)column.Count * i / chunks);
                int end = (int)((long)column.Count * (i + 1) / chunks);
                parts[i] = ProfileOfRange(column, start, end - start, maxCategories, Math.Min(sketchK, ChunkSketchK));
            }

            profile.SetReferenceChunks(parts);
        }

        return profile;
    }

    /// <summary>
    /// The profile of a current column to compare with <paramref name="reference"/>, as the runtime's windows are
    /// made (<see cref="FeatureProfile.CreateWindowProfile"/>): numbers binned on the grid derived from the reference (a
    /// few ns a value, against a sketch's ~50; the error bound is in docs/benchmarks.md, "Binned windows"), categories
    /// counted with the reference's bounds, missing values counted.
    /// </summary>
    /// <param name="column">The current values.</param>
    /// <param name="reference">The profile they will be compared with (for example a baseline's feature). It must not change afterwards.</param>
    /// <exception cref="ArgumentException">The column's type is not the reference's.</exception>
    public static FeatureProfile WindowProfileOf(ColumnSample column, FeatureProfile reference)
    {
        ArgumentNullException.ThrowIfNull(column);
        ArgumentNullException.ThrowIfNull(reference);
        if (column.Type != reference.Type)
        {
            throw new ArgumentException($"Column '{column.Name}' is {column.Type} but its reference '{reference.Name}' is {reference.Type}.", nameof(column));
        }

        FeatureProfile profile = FeatureProfile.CreateWindowProfile(reference);
        AddRange(profile, column, 0, column.Count);
        for (int i = 0; i < column.MissingCount; i++)
        {
            profile.AddMissing();
        }

        return profile;
    }

    /// <summary>The accuracy parameter of the chunks' sketches (rank error about 0.6%): chunks are many, and small.</summary>
    public const int ChunkSketchK = 512;

    private static FeatureProfile ProfileOfRange(ColumnSample column, int start, int length, int maxCategories, int sketchK)
    {
        var profile = new FeatureProfile(column.Name, column.Type, maxCategories, sketchK);
        AddRange(profile, column, start, length);
        return profile;
    }

    private static void AddRange(FeatureProfile profile, ColumnSample column, int start, int length)
    {
        if (column.Type == ColumnType.Numerical)
        {
            foreach (double value in column.Numbers.AsSpan(start, length))
            {
                profile.Add(value);
            }
        }
        else
        {
            foreach (string value in column.Categories.AsSpan(start, length))
            {
                profile.Add(value);
            }
        }
    }

    /// <summary>
    /// Checks that the baseline has exactly the expected features with the expected types.
    /// </summary>
    /// <param name="expected">The features the model records, with their types.</param>
    /// <param name="allowExtraFeatures">Whether features in the baseline that are not expected are accepted.</param>
    /// <param name="source">The file path (or other name) for the message; <see langword="null"/> when unknown.</param>
    /// <exception cref="BaselineFormatException">Lists every feature missing from the baseline, every type mismatch and, unless allowed, every unexpected feature.</exception>
    public void EnsureMatches(IEnumerable<(string Name, ColumnType Type)> expected, bool allowExtraFeatures = false, string? source = null)
    {
        IReadOnlyList<string> problems = FindMismatches(expected, allowExtraFeatures);
        if (problems.Count > 0)
        {
            throw new BaselineFormatException(source, problems);
        }
    }

    /// <summary>The differences between the baseline's features and the expected ones, one sentence each (empty when they match).</summary>
    /// <param name="expected">The features the model records, with their types.</param>
    /// <param name="allowExtraFeatures">Whether features in the baseline that are not expected are accepted.</param>
    public IReadOnlyList<string> FindMismatches(IEnumerable<(string Name, ColumnType Type)> expected, bool allowExtraFeatures = false)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string name, ColumnType type) in expected)
        {
            seen.Add(name);
            FeatureProfile? feature = Find(name);
            if (feature is null)
            {
                problems.Add($"feature '{name}' ({TypeName(type)}) is expected but the baseline has no profile for it");
            }
            else if (feature.Type != type)
            {
                problems.Add($"feature '{name}' is {TypeName(type)} but the baseline profiles it as {TypeName(feature.Type)}");
            }
        }

        if (!allowExtraFeatures)
        {
            foreach (FeatureProfile feature in _features.Where(f => !seen.Contains(f.Name)))
            {
                problems.Add($"feature '{feature.Name}' ({TypeName(feature.Type)}) is in the baseline but not expected");
            }
        }

        return problems;
    }

    /// <summary>Writes the baseline to a file as JSON (UTF-8), replacing it.</summary>
    /// <param name="path">The file path.</param>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, ToJson());
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a baseline written by <see cref="Save"/>.</summary>
    /// <param name="path">The file path.</param>
    /// <exception cref="BaselineFormatException">The file is missing, unreadable, truncated, corrupt or of another format version; the message names the file, feature and field.</exception>
    public static BaselineProfile Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] utf8;
        try
        {
            long length = new FileInfo(path).Length;
            if (length > BaselineLimits.MaxBytes)
            {
                throw new BaselineFormatException(path, null, null, $"is {length:N0} bytes, more than the {BaselineLimits.MaxBytes:N0} a baseline may take");
            }

            utf8 = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new BaselineFormatException(path, null, null, $"cannot be read: {exception.Message}", exception);
        }

        return FromUtf8(utf8, path);
    }

    /// <summary>The baseline as indented JSON.</summary>
    public string ToJson() =>
        JsonSerializer.Serialize(ToDocument(), BaselineJsonContext.Default.BaselineDocument);

    /// <summary>Reads a baseline from JSON text.</summary>
    /// <param name="json">The text.</param>
    /// <param name="source">The file path or other name used in error messages.</param>
    /// <exception cref="BaselineFormatException">The text is truncated, corrupt or of another format version.</exception>
    public static BaselineProfile FromJson(string json, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > BaselineLimits.MaxBytes)
        {
            throw new BaselineFormatException(source, null, null, $"is {json.Length:N0} characters, more than the {BaselineLimits.MaxBytes:N0} a baseline may take");
        }

        return FromUtf8(System.Text.Encoding.UTF8.GetBytes(json), source);
    }

    private static BaselineProfile FromUtf8(byte[] utf8, string? source)
    {
        ReadOnlySpan<byte> text = utf8.AsSpan();
        if (text.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            text = text[3..];
        }

        if (text.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new BaselineFormatException(source, null, null, "is empty");
        }

        BaselineDocument? document;
        try
        {
            document = BaselineJsonReader.Read(text, source);
        }
        catch (JsonException exception)
        {
            string at = exception.LineNumber is long line
                ? $" at line {line + 1}, position {exception.BytePositionInLine + 1}" : string.Empty;
            string? field = string.IsNullOrEmpty(exception.Path) || exception.Path == "$" ? null : exception.Path;
            throw new BaselineFormatException(source, null, field, $"is not valid baseline JSON (truncated or corrupt){at}: {exception.Message}", exception);
        }

        if (document is null)
        {
            throw new BaselineFormatException(source, null, null, "holds JSON null instead of a baseline profile");
        }

        return FromDocument(document, source);
    }

    private BaselineDocument ToDocument() => new()
    {
        Format = FormatName,
        FormatVersion = CurrentFormatVersion,
        Model = ModelName,
        CreatedAt = CreatedAt,
        RowCount = RowCount,
        Features = _features.Select(ToDocument).ToList()!,
        Outliers = Outliers?.ToDocument(),
    };

    private static FeatureDocument ToDocument(FeatureProfile feature)
    {
        FeatureDocument document = ToDocumentWithoutChunks(feature);
        if (feature.ReferenceChunks.Count > 0)
        {
            document.Chunks = feature.ReferenceChunks.Select(ToDocumentWithoutChunks).ToList()!;
        }

        return document;
    }

    private static FeatureDocument ToDocumentWithoutChunks(FeatureProfile feature)
    {
        var document = new FeatureDocument
        {
            Name = feature.Name,
            Type = TypeName(feature.Type),
            Count = feature.Count,
            Missing = feature.MissingCount,
            NonFinite = feature.NonFiniteCount == 0 ? null : feature.NonFiniteCount,
        };

        if (feature.Type == ColumnType.Numerical)
        {
            KllSketch sketch = feature.SketchForSaving();
            IReadOnlyList<WeightedValue>? counts = feature.GetValueCounts();
            document.Mean = feature.Count == 0 ? null : feature.Mean;
            document.StandardDeviation = feature.Count == 0 ? null : feature.StandardDeviation;
            document.Shift = feature.Shift;
            document.ShiftedSum = feature.ShiftedSum;
            document.ShiftedSumOfSquares = feature.ShiftedSumOfSquares;
            document.Distinct = new DistinctDocument
            {
                Overflow = feature.DistinctOverflow,
                Values = counts?.Select(c => c.Value).ToArray() ?? [],
                Counts = counts?.Select(c => c.Weight).ToArray() ?? [],
            };
            document.Sketch = new SketchDocument
            {
                K = sketch.K,
                Seed = sketch.Seed,
                RandomState = sketch.RandomState,
                Count = sketch.Count,
                Min = sketch.IsEmpty ? null : sketch.Min,
                Max = sketch.IsEmpty ? null : sketch.Max,
                Levels = sketch.GetLevels(),
            };
        }
        else
        {
            CategoryCounter categories = feature.Categories!;
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, long> pair in categories.ExactCounts.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                counts[pair.Key] = pair.Value;
            }

            document.Categories = new CategoriesDocument
            {
                MaxCategories = categories.MaxCategories,
                MaxCategoryLength = categories.MaxCategoryLength == CategoryCounter.DefaultMaxCategoryLength ? null : categories.MaxCategoryLength,
                Counts = counts,
                Overflow = categories.OverflowCount,
                OverflowSample = categories.OverflowSample is { } sample
                    ? new OverflowSampleDocument
                    {
                        Hashes = sample.Entries.OrderBy(e => e.Hash).Select(e => e.Hash).ToArray(),
                        Counts = sample.Entries.OrderBy(e => e.Hash).Select(e => e.Count).ToArray(),
                    }
                    : null,
            };
        }

        return document;
    }

    private static BaselineProfile FromDocument(BaselineDocument document, string? source)
    {
        if (document.Format is not null && document.Format != FormatName)
        {
            throw new BaselineFormatException(source, null, "format", $"is '{document.Format}', expected '{FormatName}'");
        }

        int version = document.FormatVersion
            ?? throw new BaselineFormatException(source, null, "format_version", "is missing");
        if (version != CurrentFormatVersion)
        {
            throw new BaselineFormatException(source, null, "format_version", $"is {version}; this version of ModelMonitoring reads format version {CurrentFormatVersion}");
        }

        long rowCount = document.RowCount
            ?? throw new BaselineFormatException(source, null, "row_count", "is missing");
        if (rowCount < 0)
        {
            throw new BaselineFormatException(source, null, "row_count", $"is negative ({rowCount})");
        }

        DateTimeOffset createdAt = document.CreatedAt
            ?? throw new BaselineFormatException(source, null, "created_at", "is missing");
        List<FeatureDocument?> features = document.Features
            ?? throw new BaselineFormatException(source, null, "features", "is missing");

        CheckSketchMemory(features, source);
        var profiles = new List<FeatureProfile>(features.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int index = 0; index < features.Count; index++)
        {
            FeatureDocument feature = features[index]
                ?? throw new BaselineFormatException(source, null, $"features[{index}]", "is null");
            string name = string.IsNullOrEmpty(feature.Name)
                ? throw new BaselineFormatException(source, null, $"features[{index}].name", "is missing or empty")
                : feature.Name;
            if (!names.Add(name))
            {
                throw new BaselineFormatException(source, name, "name", "appears twice");
            }

            FeatureProfile profile = FromDocument(feature, name, source);
            if (feature.Chunks is { } chunkDocuments)
            {
                var chunks = new FeatureProfile[chunkDocuments.Count];
                for (int c = 0; c < chunks.Length; c++)
                {
                    FeatureDocument chunk = chunkDocuments[c]
                        ?? throw new BaselineFormatException(source, name, $"chunks[{c}]", "is null");
                    if (chunk.Chunks is not null)
                    {
                        throw new BaselineFormatException(source, name, $"chunks[{c}].chunks", "is not allowed: a chunk has no chunks");
                    }

                    chunks[c] = FromDocument(chunk, name, source);
                    if (chunks[c].Type != profile.Type)
                    {
                        throw new BaselineFormatException(source, name, $"chunks[{c}].type", $"is {TypeName(chunks[c].Type)}, but the feature is {TypeName(profile.Type)}");
                    }
                }

                profile.SetReferenceChunks(chunks);
            }

            profiles.Add(profile);
        }

        global::ModelMonitoring.Outliers.OutlierProfile? outliers = null;
        if (document.Outliers is { } outliersDocument)
        {
            outliers = global::ModelMonitoring.Outliers.OutlierProfile.FromDocument(outliersDocument, source);
            foreach (string name in outliers.Features)
            {
                if (profiles.Find(p => p.Name == name) is not { Type: ColumnType.Numerical })
                {
                    throw new BaselineFormatException(source, name, "outliers.features", "is not a numerical feature of the baseline");
                }
            }
        }

        return new BaselineProfile(profiles, document.Model, rowCount, createdAt) { Outliers = outliers };
    }

    // The sketches' memory follows from each declared K, whatever the file's size: bound the total before building any.
    private static void CheckSketchMemory(List<FeatureDocument?> features, string? source)
    {
        long bytes = 0;
        for (int index = 0; index < features.Count; index++)
        {
            FeatureDocument? feature = features[index];
            if (feature?.Type != "numerical")
            {
                continue;
            }

            foreach (FeatureDocument? chunk in feature.Chunks ?? [])
            {
                if (chunk?.Sketch?.K is int chunkK && chunkK >= KllSketch.MinK && chunkK <= KllSketch.MaxK)
                {
                    bytes += KllSketch.MaxRetainedItems(chunkK) * (long)sizeof(double);
                }
            }

            if (feature.Sketch?.K is not int k)
            {
                continue;
            }

            if (k < KllSketch.MinK || k > KllSketch.MaxK)
            {
                throw new BaselineFormatException(source, feature.Name, "sketch.k", $"is {k}, outside {KllSketch.MinK}..{KllSketch.MaxK}");
            }

            bytes += KllSketch.MaxRetainedItems(k) * (long)sizeof(double);
            if (bytes > BaselineLimits.MaxSketchBytes)
            {
                throw new BaselineFormatException(
                    source, feature.Name, "sketch.k", $"makes the sketches up to features[{index}] take more than {BaselineLimits.MaxSketchBytes:N0} bytes, the most a baseline may declare");
            }
        }
    }

    private static FeatureProfile FromDocument(FeatureDocument feature, string name, string? source)
    {
        BaselineFormatException Error(string field, string problem) => new(source, name, field, problem);

        ColumnType type = feature.Type switch
        {
            "numerical" => ColumnType.Numerical,
            "categorical" => ColumnType.Categorical,
            null => throw Error("type", "is missing"),
            _ => throw Error("type", $"is '{feature.Type}', expected 'numerical' or 'categorical'"),
        };

        long count = feature.Count ?? throw Error("count", "is missing");
        long missing = feature.Missing ?? throw Error("missing", "is missing");
        if (count < 0)
        {
            throw Error("count", $"is negative ({count})");
        }

        if (missing < 0)
        {
            throw Error("missing", $"is negative ({missing})");
        }

        long nonFinite = feature.NonFinite ?? 0;
        if (nonFinite < 0 || nonFinite > missing)
        {
            throw Error("non_finite", $"is {nonFinite}, expected 0 to the missing count {missing}");
        }

        if (type == ColumnType.Categorical)
        {
            CategoriesDocument categories = feature.Categories ?? throw Error("categories", "is missing");
            int maxCategories = categories.MaxCategories ?? throw Error("categories.max_categories", "is missing");
            if (maxCategories < 1 || maxCategories > CategoryCounter.MaxCategoriesLimit)
            {
                throw Error("categories.max_categories", $"is {maxCategories}, expected 1 to {CategoryCounter.MaxCategoriesLimit:N0}");
            }

            int maxCategoryLength = categories.MaxCategoryLength ?? CategoryCounter.DefaultMaxCategoryLength;
            if (maxCategoryLength < 1 || maxCategoryLength > CategoryCounter.MaxCategoryLengthLimit)
            {
                throw Error("categories.max_category_length", $"is {maxCategoryLength}, expected 1 to {CategoryCounter.MaxCategoryLengthLimit:N0}");
            }

            Dictionary<string, long> counts = categories.Counts ?? throw Error("categories.counts", "is missing");
            long overflow = categories.Overflow ?? 0;
            if (counts.Count > maxCategories)
            {
                throw Error("categories.counts", $"holds {counts.Count} categories, more than max_categories {maxCategories}");
            }

            foreach (KeyValuePair<string, long> pair in counts)
            {
                if (pair.Value <= 0)
                {
                    throw Error($"categories.counts.{(pair.Key.Length > 64 ? pair.Key[..64] + "..." : pair.Key)}", $"is {pair.Value}, expected a positive count");
                }
            }

            if (overflow < 0)
            {
                throw Error("categories.overflow", $"is negative ({overflow})");
            }

            long total = counts.Values.Sum() + overflow;
            if (total != count)
            {
                throw Error("categories.counts", $"add up to {total} (overflow included) but count is {count}");
            }

            (ulong Hash, long Count)[]? sample = null;
            if (categories.OverflowSample is { } sampleDocument)
            {
                ulong[] hashes = sampleDocument.Hashes ?? throw Error("categories.overflow_sample.hashes", "is missing");
                long[] sampleCounts = sampleDocument.Counts ?? throw Error("categories.overflow_sample.counts", "is missing");
                if (hashes.Length != sampleCounts.Length || hashes.Length > OverflowSample.DefaultCapacity)
                {
                    throw Error("categories.overflow_sample", $"has {hashes.Length} hashes and {sampleCounts.Length} counts; expected as many of each, at most {OverflowSample.DefaultCapacity}");
                }

                if (hashes.Distinct().Count() != hashes.Length || sampleCounts.Any(c => c <= 0) || sampleCounts.Sum() > overflow)
                {
                    throw Error("categories.overflow_sample", "holds a repeated hash, a count that is not positive, or more than the overflow count");
                }

                sample = hashes.Zip(sampleCounts).ToArray();
            }

            // Sized for the categories the file holds, not for max_categories: a reference is read, not added to.
            var profile = FeatureProfile.Restored(name, new CategoryCounter(maxCategories, maxCategoryLength, initialCapacity: counts.Count));
            profile.RestoreCategories(missing, nonFinite, counts, overflow, sample);
            return profile;
        }

        DistinctDocument distinct = feature.Distinct ?? throw Error("distinct", "is missing");
        SketchDocument sketchDocument = feature.Sketch ?? throw Error("sketch", "is missing");
        double shift = feature.Shift ?? throw Error("shift", "is missing");
        double shiftedSum = feature.ShiftedSum ?? throw Error("shifted_sum", "is missing");
        double shiftedSumOfSquares = feature.ShiftedSumOfSquares ?? throw Error("shifted_sum_of_squares", "is missing");

        bool distinctOverflow = distinct.Overflow ?? throw Error("distinct.overflow", "is missing");
        double[] values = distinct.Values ?? [];
        long[] valueCounts = distinct.Counts ?? [];
        if (values.Length != valueCounts.Length)
        {
            throw Error("distinct", $"has {values.Length} values but {valueCounts.Length} counts");
        }

        if (!distinctOverflow)
        {
            if (values.Length > FeatureProfile.DistinctValueLimit)
            {
                throw Error("distinct.values", $"holds {values.Length} values, more than {FeatureProfile.DistinctValueLimit}");
            }

            if (values.Distinct().Count() != values.Length || values.Any(double.IsNaN))
            {
                throw Error("distinct.values", "holds NaN or repeated values");
            }

            if (valueCounts.Any(c => c <= 0) || valueCounts.Sum() != count)
            {
                throw Error("distinct.counts", $"add up to {valueCounts.Sum()} but count is {count}, or hold a count that is not positive");
            }
        }

        int k = sketchDocument.K ?? throw Error("sketch.k", "is missing");
        long sketchCount = sketchDocument.Count ?? throw Error("sketch.count", "is missing");
        if (sketchCount != count)
        {
            throw Error("sketch.count", $"is {sketchCount} but the feature's count is {count}");
        }

        double[][] levels = (sketchDocument.Levels ?? throw Error("sketch.levels", "is missing"))
            .Select(level => level ?? []).ToArray();
        KllSketch sketch = KllSketch.TryRestore(
                k,
                sketchDocument.Seed ?? KllSketch.DefaultSeed,
                sketchDocument.RandomState ?? sketchDocument.Seed ?? KllSketch.DefaultSeed,
                sketchCount,
                sketchDocument.Min ?? double.NaN,
                sketchDocument.Max ?? double.NaN,
                levels,
                out string? problem)
            ?? throw Error("sketch", problem ?? "is not a valid sketch");

        FeatureProfile numerical = FeatureProfile.Restored(name, sketch);
        var pairs = new WeightedValue[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            pairs[i] = new WeightedValue(values[i], valueCounts[i]);
        }

        numerical.RestoreNumbers(count, missing, nonFinite, shift, shiftedSum, shiftedSumOfSquares, distinctOverflow, pairs, sketch);
        return numerical;
    }

    private static string TypeName(ColumnType type) => type switch
    {
        ColumnType.Numerical => "numerical",
        ColumnType.Categorical => "categorical",
        _ => type.ToString().ToLower(CultureInfo.InvariantCulture),
    };
}
