using System.Collections.Generic;
using System.Text;

namespace ModelMonitoring.SourceModel;

// Shared source: compiled into both ModelMonitoring.Generators and ModelMonitoring.Analyzers (linked, not referenced),
// so that the generator and the analyzer derive the same names from the same symbols.

/// <summary>
/// Name conversions: feature names default to the member name in snake_case, a model's default name is the type name in
/// kebab-case, and both must match <c>[a-z][a-z0-9_.-]*</c>.
/// </summary>
internal static class Naming
{
    /// <summary><c>CustomerEmail</c> -> <c>customer_email</c>, <c>HTTPStatus</c> -> <c>http_status</c>.</summary>
    public static string ToSnakeCase(string name) => string.Join("_", SplitWords(name));

    /// <summary><c>PricingModel</c> -> <c>pricing-model</c>.</summary>
    public static string ToKebabCase(string name) => string.Join("-", SplitWords(name));

    /// <summary>Whether <paramref name="value"/> is a valid metric label value: <c>[a-z][a-z0-9_.-]*</c>.</summary>
    public static bool IsValidLabel(string? value)
    {
        if (value is null || value.Length == 0 || value[0] < 'a' || value[0] > 'z')
        {
            return false;
        }

        foreach (var c in value)
        {
            var ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A valid label close to <paramref name="value"/>, for a diagnostic's message.</summary>
    public static string SuggestLabel(string? value, char separator)
    {
        var builder = new StringBuilder();
        foreach (var word in SplitWords(value ?? string.Empty))
        {
            foreach (var c in word)
            {
                if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_')
                {
                    builder.Append(c);
                }
            }

            builder.Append(separator);
        }

        var suggestion = builder.ToString().Trim(separator, '.', '-', '_');
        while (suggestion.Length > 0 && !(suggestion[0] >= 'a' && suggestion[0] <= 'z'))
        {
            suggestion = suggestion.Substring(1);
        }

        return suggestion.Length == 0 ? "model" : suggestion;
    }

    /// <summary>
    /// Splits an identifier into lower-case words: at an upper-case letter after a lower-case letter or a digit,
    /// before the last upper-case letter of an acronym followed by a lower-case one, and at every character that is
    /// neither a letter nor a digit (underscores, dots, dashes).
    /// </summary>
    public static List<string> SplitWords(string name)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsLetterOrDigit(c))
            {
                Flush(words, current);
                continue;
            }

            if (char.IsUpper(c) && current.Length > 0)
            {
                var previous = name[i - 1];
                var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && nextIsLower))
                {
                    Flush(words, current);
                }
            }

            current.Append(char.ToLowerInvariant(c));
        }

        Flush(words, current);
        return words;
    }

    private static void Flush(List<string> words, StringBuilder current)
    {
        if (current.Length > 0)
        {
            words.Add(current.ToString());
            current.Clear();
        }
    }
}
