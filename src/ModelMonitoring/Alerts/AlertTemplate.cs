using System.Globalization;
using System.Text;

namespace ModelMonitoring.Alerts;

/// <summary>
/// An annotation template: text with placeholders in braces (<c>{model}</c>, <c>{feature}</c>, <c>{segment}</c>,
/// <c>{value}</c>, <c>{threshold}</c>...), <c>{{</c> and <c>}}</c> for literal braces.
/// </summary>
internal static class AlertTemplate
{
    /// <summary>The placeholders a template may use.</summary>
    public static readonly string[] Placeholders =
        ["model", "model_version", "owner", "squad", "feature", "segment", "metric", "value", "threshold", "rule", "severity", "signal"];

    /// <summary>The problems of a template: unknown placeholders, unclosed braces. Empty when it is fine.</summary>
    public static IEnumerable<string> Problems(string template)
    {
        foreach (Part part in Parse(template))
        {
            if (part.Error is not null)
            {
                yield return part.Error;
            }
            else if (part.Placeholder is { } name && !Placeholders.Contains(name, StringComparer.Ordinal))
            {
                yield return $"'{{{name}}}' is not a placeholder; use one of {string.Join(", ", Placeholders.Select(p => "{" + p + "}"))}";
            }
        }
    }

    /// <summary>The template with its placeholders replaced (an unknown one is left as written).</summary>
    public static string Render(string template, Func<string, string?> value)
    {
        var text = new StringBuilder(template.Length + 32);
        foreach (Part part in Parse(template))
        {
            text.Append(part.Placeholder is { } name ? value(name) ?? string.Empty : part.Text);
        }

        return text.ToString();
    }

    /// <summary>The template in Prometheus' Go template language: labels from <c>$labels</c>, the value from <c>$value</c>.</summary>
    public static string ToPrometheus(string template, double threshold, string signal, string rule, string severity)
    {
        var text = new StringBuilder(template.Length + 64);
        foreach (Part part in Parse(template))
        {
            if (part.Placeholder is not { } name)
            {
                // Prometheus expands {{ ... }}: literal braces must not open an action.
                text.Append(part.Text.Replace("{{", "{{ \"{{\" }}", StringComparison.Ordinal));
                continue;
            }

            text.Append(name switch
            {
                "value" => "{{ $value | printf \"%.4g\" }}",
                "threshold" => Format(threshold),
                "signal" => signal,
                "rule" => rule,
                "severity" => severity,
                _ => "{{ $labels." + name + " }}",
            });
        }

        return text.ToString();
    }

    /// <summary>A number as annotations show it: four significant digits, invariant culture.</summary>
    public static string Format(double value) =>
        double.IsNaN(value) ? "NaN" : value.ToString("G4", CultureInfo.InvariantCulture);

    private static List<Part> Parse(string template)
    {
        var parts = new List<Part>();
        var literal = new StringBuilder();
        for (int i = 0; i < template.Length; i++)
        {
            char c = template[i];
            if (c == '{' && i + 1 < template.Length && template[i + 1] == '{')
            {
                literal.Append('{');
                i++;
            }
            else if (c == '}' && i + 1 < template.Length && template[i + 1] == '}')
            {
                literal.Append('}');
                i++;
            }
            else if (c == '{')
            {
                int end = template.IndexOf('}', i + 1);
                if (end < 0)
                {
                    parts.Add(new Part(string.Empty, null, $"the '{{' at position {i + 1} is not closed (write '{{{{' for a literal brace)"));
                    break;
                }

                if (literal.Length > 0)
                {
                    parts.Add(new Part(literal.ToString(), null, null));
                    literal.Clear();
                }

                parts.Add(new Part(string.Empty, template[(i + 1)..end].Trim(), null));
                i = end;
            }
            else if (c == '}')
            {
                parts.Add(new Part(string.Empty, null, $"the '}}' at position {i + 1} closes nothing (write '}}}}' for a literal brace)"));
            }
            else
            {
                literal.Append(c);
            }
        }

        if (literal.Length > 0)
        {
            parts.Add(new Part(literal.ToString(), null, null));
        }

        return parts;
    }

    private readonly record struct Part(string Text, string? Placeholder, string? Error);
}
