using System.Text.Json.Serialization;

namespace ModelMonitoring.Sketches;

// The on-disk shape of a baseline profile. Every field is nullable so that a missing field is reported by name
// instead of silently defaulting.

internal sealed class BaselineDocument
{
    [JsonPropertyName("format")]
    public string? Format { get; set; }

    [JsonPropertyName("format_version")]
    public int? FormatVersion { get; set; }

    [JsonPropertyName("model")]
    public string? Model { get; set; }

    [JsonPropertyName("created_at")]
    public DateTimeOffset? CreatedAt { get; set; }

    [JsonPropertyName("row_count")]
    public long? RowCount { get; set; }

    [JsonPropertyName("features")]
    public List<FeatureDocument?>? Features { get; set; }

    [JsonPropertyName("outliers")]
    public global::ModelMonitoring.Outliers.OutliersDocument? Outliers { get; set; }
}

internal sealed class FeatureDocument
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("count")]
    public long? Count { get; set; }

    [JsonPropertyName("missing")]
    public long? Missing { get; set; }

    [JsonPropertyName("non_finite")]
    public long? NonFinite { get; set; }

    [JsonPropertyName("mean")]
    public double? Mean { get; set; }

    [JsonPropertyName("std")]
    public double? StandardDeviation { get; set; }

    [JsonPropertyName("shift")]
    public double? Shift { get; set; }

    [JsonPropertyName("shifted_sum")]
    public double? ShiftedSum { get; set; }

    [JsonPropertyName("shifted_sum_of_squares")]
    public double? ShiftedSumOfSquares { get; set; }

    [JsonPropertyName("distinct")]
    public DistinctDocument? Distinct { get; set; }

    [JsonPropertyName("sketch")]
    public SketchDocument? Sketch { get; set; }

    [JsonPropertyName("categories")]
    public CategoriesDocument? Categories { get; set; }

    [JsonPropertyName("chunks")]
    public List<FeatureDocument?>? Chunks { get; set; }
}

internal sealed class DistinctDocument
{
    [JsonPropertyName("overflow")]
    public bool? Overflow { get; set; }

    [JsonPropertyName("values")]
    public double[]? Values { get; set; }

    [JsonPropertyName("counts")]
    public long[]? Counts { get; set; }
}

internal sealed class SketchDocument
{
    [JsonPropertyName("k")]
    public int? K { get; set; }

    [JsonPropertyName("seed")]
    public ulong? Seed { get; set; }

    [JsonPropertyName("random_state")]
    public ulong? RandomState { get; set; }

    [JsonPropertyName("count")]
    public long? Count { get; set; }

    [JsonPropertyName("min")]
    public double? Min { get; set; }

    [JsonPropertyName("max")]
    public double? Max { get; set; }

    [JsonPropertyName("levels")]
    public double[]?[]? Levels { get; set; }
}

internal sealed class CategoriesDocument
{
    [JsonPropertyName("max_categories")]
    public int? MaxCategories { get; set; }

    [JsonPropertyName("max_category_length")]
    public int? MaxCategoryLength { get; set; }

    [JsonPropertyName("counts")]
    public Dictionary<string, long>? Counts { get; set; }

    [JsonPropertyName("overflow")]
    public long? Overflow { get; set; }

    [JsonPropertyName("overflow_sample")]
    public OverflowSampleDocument? OverflowSample { get; set; }
}

internal sealed class OverflowSampleDocument
{
    [JsonPropertyName("hashes")]
    public ulong[]? Hashes { get; set; }

    [JsonPropertyName("counts")]
    public long[]? Counts { get; set; }
}

[JsonSourceGenerationOptions(
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(BaselineDocument))]
internal sealed partial class BaselineJsonContext : JsonSerializerContext
{
}
