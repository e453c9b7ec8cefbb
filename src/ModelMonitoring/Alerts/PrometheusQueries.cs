using System.Globalization;
using System.Text;

namespace ModelMonitoring.Alerts;

/// <summary>
/// The PromQL of each signal over the metrics the runtime exports (names as Prometheus shows them): rates over
/// counters, <c>histogram_quantile</c> over the latency buckets with <c>le</c>, and the gauges of the last window.
/// </summary>
internal static class PrometheusQueries
{
    /// <summary>
    /// The metric names (as Prometheus shows them) the runtime exports and the generated rules and dashboard read. A
    /// test scrapes a real PricingService's <c>/metrics</c> under traffic with outcomes and outlier detection on, and
    /// checks each name is in it, except <c>ml_model_performance_estimated</c>: CBPE needs a classifier with a
    /// <c>[PredictionScore]</c>, and PricingService is a regression. Some series exist only when the model can produce
    /// them (<see cref="ModelCapabilities"/>): the outlier ratio with <c>OutlierDetection</c> on, realized performance
    /// and concept-drift detections once outcomes are joined to keyed predictions, estimated performance for scored
    /// classifiers.
    /// </summary>
    public static readonly IReadOnlySet<string> ExportedMetrics = new HashSet<string>(StringComparer.Ordinal)
    {
        "ml_model_predictions_total",
        "ml_model_errors_total",
        "ml_model_prediction_duration_seconds_bucket",
        "ml_model_drift_share",
        "ml_model_drift_detected",
        "ml_model_prediction_drift_share",
        "ml_model_prediction_drift_detected",
        "ml_feature_drift_detected",
        "ml_feature_drift_score",
        "ml_feature_missing_total",
        "ml_feature_values_total",
        "ml_feature_missing_ratio",
        "ml_feature_out_of_range_ratio",
        "ml_feature_unseen_category_ratio",
        "ml_model_outliers_total",
        "ml_model_outlier_ratio",
        "ml_model_performance",
        "ml_model_performance_estimated",
        "ml_model_outcomes_total",
        "ml_model_concept_drift_detections_total",
    };

    /// <summary>The metric names an expression reads: identifiers followed by a selector, a range or a closing parenthesis.</summary>
    public static IEnumerable<string> MetricsIn(string expression) =>
        System.Text.RegularExpressions.Regex.Matches(expression, @"\b(ml_[a-z0-9_]+)").Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal);

    /// <summary>Whether every metric the expression reads is exported by the runtime today.</summary>
    public static bool IsExported(string expression) => MetricsIn(expression).All(ExportedMetrics.Contains);

    /// <summary>
    /// The expression of a signal for one model, with the labels alerts need kept (<c>model</c>...); null when no metric
    /// carries it. Performance reads the whole model's series (<c>segment=""</c>, which Prometheus matches to series
    /// without the label), and the estimate rather than its bounds.
    /// </summary>
    public static string? Signal(string signal, string model, string? feature, string? metric, string rateWindow)
    {
        string m = Selector(("model", model));
        string mf = Selector(("model", model), ("feature", feature));
        return signal switch
        {
            ModelSignalNames.DatasetDriftShare => $"max by (model) (ml_model_drift_share{m})",
            ModelSignalNames.DatasetDrift => $"max by (model) (ml_model_drift_detected{m})",
            ModelSignalNames.PredictionDrift => $"max by (model) (ml_model_prediction_drift_detected{m})",
            ModelSignalNames.FeatureDrift => $"max by (model, feature) (ml_feature_drift_detected{mf})",
            ModelSignalNames.FeatureDriftScore => $"max by (model, feature) (ml_feature_drift_score{mf})",
            ModelSignalNames.ErrorRate =>
                $"sum by (model, model_version) (rate(ml_model_predictions_total{Selector(("model", model), ("outcome", "error"))}[{rateWindow}]))"
                + $" / sum by (model, model_version) (rate(ml_model_predictions_total{m}[{rateWindow}]))",
            ModelSignalNames.LatencyP95 =>
                $"histogram_quantile(0.95, sum by (model, model_version, le) (rate(ml_model_prediction_duration_seconds_bucket{Selector(("model", model), ("outcome", "success"))}[{rateWindow}])))",
            ModelSignalNames.OutlierRatio => $"max by (model) (ml_model_outlier_ratio{m})",
            ModelSignalNames.MissingRatio => $"max by (model, feature) (ml_feature_missing_ratio{mf})",
            ModelSignalNames.OutOfRangeRatio => $"max by (model, feature) (ml_feature_out_of_range_ratio{mf})",
            ModelSignalNames.UnseenCategoryRatio => $"max by (model, feature) (ml_feature_unseen_category_ratio{mf})",
            ModelSignalNames.Performance => $"max by (model, metric) (ml_model_performance{Selector(("model", model), ("metric", metric), ("segment", string.Empty))})",
            ModelSignalNames.EstimatedPerformance =>
                $"max by (model, metric) (ml_model_performance_estimated{Selector(("model", model), ("metric", metric), ("bound", "estimate"), ("segment", string.Empty))})",
            ModelSignalNames.ConceptDriftDetections =>
                $"sum by (model, detector) (increase(ml_model_concept_drift_detections_total{Selector(("model", model), ("detector", metric))}[{rateWindow}]))",
            _ => null,
        };
    }

    /// <summary><c>{name="value",...}</c>, values escaped as PromQL strings; null values are left out.</summary>
    public static string Selector(params (string Name, string? Value)[] labels)
    {
        var text = new StringBuilder("{");
        foreach ((string name, string? value) in labels)
        {
            if (value is null)
            {
                continue;
            }

            if (text.Length > 1)
            {
                text.Append(',');
            }

            text.Append(name).Append("=\"").Append(Escape(value)).Append('"');
        }

        return text.Append('}').ToString();
    }

    /// <summary>A PromQL string literal's content: backslash, double quote and new lines escaped.</summary>
    public static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>A number as PromQL writes it.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A duration as Prometheus writes it: <c>0s</c>, <c>90s</c>, <c>5m</c>, <c>1h30m</c>, <c>250ms</c>.</summary>
    public static string Duration(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new StringBuilder();
        long ms = (long)Math.Round(duration.TotalMilliseconds);
        foreach ((long unit, string suffix) in new (long, string)[] { (86_400_000, "d"), (3_600_000, "h"), (60_000, "m"), (1_000, "s"), (1, "ms") })
        {
            if (ms >= unit)
            {
                text.Append(ms / unit).Append(suffix);
                ms %= unit;
            }
        }

        return text.ToString();
    }
}

/// <summary>Writes YAML scalars that every YAML reader takes as strings: double-quoted, escaped as JSON escapes them.</summary>
internal static class YamlText
{
    public static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                default:
                    if (char.IsControl(c))
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }
}
