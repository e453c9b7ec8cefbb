using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text;
using ModelMonitoring.Runtime;

namespace ModelMonitoring;

/// <summary>
/// Turns the structured object of a model log entry into name/value pairs that any log sink can write: public
/// readable properties in snake_case, numbers, text, booleans, dates, lists and nested objects (up to a depth), with
/// every <see cref="SensitiveAttribute"/> property (or positional record parameter) replaced by <c>[redacted]</c>.
/// </summary>
internal static class LogObjectReader
{
    public const int MaxDepth = 4;
    public const int MaxItems = 100;
    public const int MaxTextLength = 32 * 1024;

    private static readonly ConcurrentDictionary<Type, PropertyReader[]> s_properties = new();

    /// <summary>The pairs of an object; empty for null.</summary>
    public static KeyValuePair<string, object?>[] Read(object? data)
    {
        if (data is null)
        {
            return [];
        }

        return Convert(data, depth: 0) switch
        {
            KeyValuePair<string, object?>[] pairs => pairs,
            var scalar => [new("value", scalar)],
        };
    }

    /// <summary>
    /// A value as one of: null, string, long, double, bool, object?[] (a list) or KeyValuePair&lt;string, object?&gt;[]
    /// (an object).
    /// </summary>
    private static object? Convert(object? value, int depth)
    {
        switch (value)
        {
            case null:
                return null;
            case string text:
                return Truncate(text);
            case bool or long or double:
                return value;
            case int or short or sbyte or byte or ushort or uint:
                return System.Convert.ToInt64(value, CultureInfo.InvariantCulture);
            case ulong large:
                return large <= long.MaxValue ? (long)large : (double)large;
            case float single:
                return (double)single;
            case decimal money:
                return (double)money;
            case char c:
                return c.ToString();
            case Enum e:
                return e.ToString();
            case DateTime date:
                return date.ToString("O", CultureInfo.InvariantCulture);
            case DateTimeOffset date:
                return date.ToString("O", CultureInfo.InvariantCulture);
            case DateOnly day:
                return day.ToString("O", CultureInfo.InvariantCulture);
            case TimeOnly time:
                return time.ToString("O", CultureInfo.InvariantCulture);
            case TimeSpan span:
                return span.ToString("c", CultureInfo.InvariantCulture);
            case Guid or Uri or Version:
                return value.ToString();
            case Exception exception:
                return exception.GetType().FullName + ": " + exception.Message;
            case Type type:
                return type.FullName;
        }

        if (depth >= MaxDepth)
        {
            return Truncate(SafeToString(value));
        }

        if (value is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            return pairs.Take(MaxItems).Select(p => new KeyValuePair<string, object?>(p.Key, Convert(p.Value, depth + 1))).ToArray();
        }

        if (value is IDictionary dictionary)
        {
            var entries = new List<KeyValuePair<string, object?>>();
            foreach (DictionaryEntry entry in dictionary)
            {
                if (entries.Count == MaxItems)
                {
                    break;
                }

                entries.Add(new(System.Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty, Convert(entry.Value, depth + 1)));
            }

            return entries.ToArray();
        }

        if (value is IEnumerable items)
        {
            var list = new List<object?>();
            foreach (object? item in items)
            {
                if (list.Count == MaxItems)
                {
                    break;
                }

                list.Add(Convert(item, depth + 1));
            }

            return list.ToArray();
        }

        PropertyReader[] properties = s_properties.GetOrAdd(value.GetType(), PropertyReader.Of);
        var result = new KeyValuePair<string, object?>[properties.Length];
        for (int i = 0; i < properties.Length; i++)
        {
            result[i] = new(properties[i].Name, properties[i].Read(value, depth));
        }

        return result;
    }

    private static string Truncate(string text) => text.Length <= MaxTextLength ? text : text[..MaxTextLength] + "…";

    private static string SafeToString(object value)
    {
        try
        {
            return value.ToString() ?? string.Empty;
        }
        catch (Exception exception)
        {
            return "[unreadable: " + exception.GetType().Name + "]";
        }
    }

    /// <summary>snake_case, as feature names: <c>CustomerEmail</c> becomes <c>customer_email</c>.</summary>
    internal static string SnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c))
            {
                bool boundary = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1])));
                if (boundary && text.Length > 0 && text[^1] != '_')
                {
                    text.Append('_');
                }

                text.Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    private sealed class PropertyReader(PropertyInfo property, bool sensitive)
    {
        public string Name { get; } = SnakeCase(property.Name);

        public static PropertyReader[] Of(Type type)
        {
            // A positional record's [Sensitive] is on the constructor parameter unless written [property: Sensitive].
            var sensitiveParameters = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (ConstructorInfo constructor in type.GetConstructors(BindingFlags.Public | BindingFlags.Instance))
            {
                foreach (ParameterInfo parameter in constructor.GetParameters())
                {
                    if (parameter.Name is not null && parameter.IsDefined(typeof(SensitiveAttribute), inherit: true))
                    {
                        sensitiveParameters.Add(parameter.Name);
                    }
                }
            }

            return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.GetMethod is { IsPublic: true })
                .Select(p => new PropertyReader(p, p.IsDefined(typeof(SensitiveAttribute), inherit: true) || sensitiveParameters.Contains(p.Name)))
                .ToArray();
        }

        public object? Read(object owner, int depth)
        {
            object? value;
            try
            {
                value = property.GetValue(owner);
            }
            catch (Exception exception)
            {
                Exception cause = exception is TargetInvocationException { InnerException: { } inner } ? inner : exception;
                return "[unreadable: " + cause.GetType().Name + "]";
            }

            if (sensitive)
            {
                return value is null ? null : FeatureValues.Redacted;
            }

            return Convert(value, depth + 1);
        }
    }
}
