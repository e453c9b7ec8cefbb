using System.Text.Json.Serialization;

namespace ModelMonitoring.Outliers;

// The on-disk shape of an outlier profile, the optional "outliers" field of a baseline profile. Every field is
// nullable so that a missing one is reported by name.

internal sealed class OutliersDocument
{
    [JsonPropertyName("features")]
    public string[]? Features { get; set; }

    [JsonPropertyName("robust")]
    public List<RobustDocument?>? Robust { get; set; }

    [JsonPropertyName("isolation_forest")]
    public IsolationForestDocument? IsolationForest { get; set; }
}

internal sealed class RobustDocument
{
    [JsonPropertyName("median")]
    public double? Median { get; set; }

    [JsonPropertyName("mad")]
    public double? Mad { get; set; }

    [JsonPropertyName("mean_absolute_deviation")]
    public double? MeanAbsoluteDeviation { get; set; }
}

internal sealed class IsolationForestDocument
{
    [JsonPropertyName("samples_per_tree")]
    public int? SamplesPerTree { get; set; }

    [JsonPropertyName("seed")]
    public int? Seed { get; set; }

    [JsonPropertyName("contamination")]
    public string? Contamination { get; set; }

    [JsonPropertyName("threshold")]
    public double? Threshold { get; set; }

    [JsonPropertyName("training_rows")]
    public long? TrainingRows { get; set; }

    [JsonPropertyName("medians")]
    public double[]? Medians { get; set; }

    [JsonPropertyName("trees")]
    public List<TreeDocument?>? Trees { get; set; }
}

internal sealed class TreeDocument
{
    [JsonPropertyName("feature")]
    [JsonConverter(typeof(CompactInt32ArrayConverter))]
    public int[]? Feature { get; set; }

    [JsonPropertyName("value")]
    [JsonConverter(typeof(CompactDoubleArrayConverter))]
    public double[]? Value { get; set; }

    [JsonPropertyName("right")]
    [JsonConverter(typeof(CompactInt32ArrayConverter))]
    public int[]? Right { get; set; }
}

/// <summary>Writes an array of numbers on one line (a tree has hundreds of nodes); reads any JSON array of numbers.</summary>
internal sealed class CompactInt32ArrayConverter : JsonConverter<int[]>
{
    public override int[]? Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options)
    {
        if (reader.TokenType == System.Text.Json.JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != System.Text.Json.JsonTokenType.StartArray)
        {
            throw new System.Text.Json.JsonException("Expected an array of integers.");
        }

        var values = new List<int>();
        while (reader.Read() && reader.TokenType != System.Text.Json.JsonTokenType.EndArray)
        {
            values.Add(reader.GetInt32());
        }

        return [.. values];
    }

    public override void Write(System.Text.Json.Utf8JsonWriter writer, int[] value, System.Text.Json.JsonSerializerOptions options)
    {
        var text = new System.Text.StringBuilder(value.Length * 4).Append('[');
        for (int i = 0; i < value.Length; i++)
        {
            text.Append(i == 0 ? string.Empty : ",").Append(value[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        writer.WriteRawValue(text.Append(']').ToString(), skipInputValidation: true);
    }
}

/// <summary>Writes an array of doubles on one line, each with round-trip precision; reads any JSON array of numbers.</summary>
internal sealed class CompactDoubleArrayConverter : JsonConverter<double[]>
{
    public override double[]? Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options)
    {
        if (reader.TokenType == System.Text.Json.JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != System.Text.Json.JsonTokenType.StartArray)
        {
            throw new System.Text.Json.JsonException("Expected an array of numbers.");
        }

        var values = new List<double>();
        while (reader.Read() && reader.TokenType != System.Text.Json.JsonTokenType.EndArray)
        {
            values.Add(reader.GetDouble());
        }

        return [.. values];
    }

    public override void Write(System.Text.Json.Utf8JsonWriter writer, double[] value, System.Text.Json.JsonSerializerOptions options)
    {
        var text = new System.Text.StringBuilder(value.Length * 20).Append('[');
        for (int i = 0; i < value.Length; i++)
        {
            if (!double.IsFinite(value[i]))
            {
                throw new System.Text.Json.JsonException("A tree value is not a finite number.");
            }

            text.Append(i == 0 ? string.Empty : ",").Append(value[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        }

        writer.WriteRawValue(text.Append(']').ToString(), skipInputValidation: true);
    }
}
