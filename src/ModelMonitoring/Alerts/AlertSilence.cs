using System.Text.RegularExpressions;

namespace ModelMonitoring.Alerts;

/// <summary>How an <see cref="AlertMatcher"/> compares a label with its value.</summary>
public enum AlertMatchOperator
{
    /// <summary><c>=</c>: the label equals the value (a missing label is empty).</summary>
    Equal,

    /// <summary><c>!=</c>: the label differs from the value.</summary>
    NotEqual,

    /// <summary><c>=~</c>: the whole label matches the regular expression.</summary>
    Regex,

    /// <summary><c>!~</c>: the label does not match the regular expression.</summary>
    NotRegex,
}

/// <summary>A label matcher, written as Alertmanager writes them: <c>model=pricing</c>, <c>severity=~"warning|info"</c>.</summary>
public sealed class AlertMatcher
{
    private readonly Regex? _regex;

    /// <summary>Creates a matcher.</summary>
    /// <exception cref="ArgumentException">The label name or the regular expression is invalid.</exception>
    public AlertMatcher(string name, AlertMatchOperator op, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!AlertRule.LabelNamePattern().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a label name ([a-zA-Z_][a-zA-Z0-9_]*).", nameof(name));
        }

        Name = name;
        Operator = op;
        Value = value;
        if (op is AlertMatchOperator.Regex or AlertMatchOperator.NotRegex)
        {
            try
            {
                _regex = new Regex("^(?:" + value + ")$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
            }
            catch (ArgumentException exception)
            {
                throw new ArgumentException($"'{value}' is not a regular expression: {exception.Message}", nameof(value), exception);
            }
        }
    }

    /// <summary>The label.</summary>
    public string Name { get; }

    /// <summary>The comparison.</summary>
    public AlertMatchOperator Operator { get; }

    /// <summary>The value or regular expression.</summary>
    public string Value { get; }

    /// <summary>Reads <c>name=value</c>, <c>name!=value</c>, <c>name=~regex</c> or <c>name!~regex</c>; the value may be in double quotes.</summary>
    /// <exception cref="FormatException">The text is not a matcher; the message says why.</exception>
    public static AlertMatcher Parse(string text) =>
        TryParse(text, out AlertMatcher? matcher, out string? problem) ? matcher! : throw new FormatException(problem);

    /// <summary>Reads a matcher; false with the reason when the text is not one.</summary>
    public static bool TryParse(string? text, out AlertMatcher? matcher, out string? problem)
    {
        matcher = null;
        problem = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            problem = "a matcher is empty; write name=value, name!=value, name=~regex or name!~regex";
            return false;
        }

        int at = text.IndexOfAny(['=', '!']);
        if (at <= 0)
        {
            problem = $"'{text}' is not a matcher; write name=value, name!=value, name=~regex or name!~regex";
            return false;
        }

        string name = text[..at].Trim();
        string rest = text[at..];
        (AlertMatchOperator op, int length) = rest switch
        {
            _ when rest.StartsWith("=~", StringComparison.Ordinal) => (AlertMatchOperator.Regex, 2),
            _ when rest.StartsWith("!~", StringComparison.Ordinal) => (AlertMatchOperator.NotRegex, 2),
            _ when rest.StartsWith("!=", StringComparison.Ordinal) => (AlertMatchOperator.NotEqual, 2),
            _ when rest.StartsWith('=') => (AlertMatchOperator.Equal, 1),
            _ => (AlertMatchOperator.Equal, 0),
        };
        if (length == 0)
        {
            problem = $"'{text}' is not a matcher; write name=value, name!=value, name=~regex or name!~regex";
            return false;
        }

        string value = rest[length..].Trim();
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            value = value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
        }

        try
        {
            matcher = new AlertMatcher(name, op, value);
            return true;
        }
        catch (ArgumentException exception)
        {
            problem = $"'{text}': {exception.Message.Split(" (Parameter", 2)[0]}";
            return false;
        }
    }

    /// <summary>Whether the labels satisfy the matcher (a missing label reads as empty, as in Alertmanager).</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        string actual = labels.TryGetValue(Name, out string? value) ? value : string.Empty;
        return Operator switch
        {
            AlertMatchOperator.Equal => actual == Value,
            AlertMatchOperator.NotEqual => actual != Value,
            AlertMatchOperator.Regex => _regex!.IsMatch(actual),
            _ => !_regex!.IsMatch(actual),
        };
    }

    /// <inheritdoc />
    public override string ToString() => Name + Operator switch
    {
        AlertMatchOperator.Equal => "=",
        AlertMatchOperator.NotEqual => "!=",
        AlertMatchOperator.Regex => "=~",
        _ => "!~",
    } + "\"" + Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}

/// <summary>
/// Mutes the alerts whose labels satisfy every matcher, from <see cref="StartsAt"/> until <see cref="EndsAt"/> (on the
/// runtime's clock). A silenced alert still changes state and is listed, but nobody is notified; when the silence ends
/// while it still fires, it is notified then.
/// </summary>
public sealed class AlertSilence
{
    /// <summary>Creates a silence.</summary>
    /// <exception cref="ArgumentException">No matcher, or <paramref name="endsAt"/> is not after <paramref name="startsAt"/>.</exception>
    public AlertSilence(IReadOnlyList<AlertMatcher> matchers, DateTimeOffset startsAt, DateTimeOffset endsAt, string? comment = null, string? createdBy = null)
    {
        ArgumentNullException.ThrowIfNull(matchers);
        if (matchers.Count == 0)
        {
            throw new ArgumentException("A silence needs at least one matcher (for example model=pricing).", nameof(matchers));
        }

        if (endsAt <= startsAt)
        {
            throw new ArgumentException($"A silence must end after it starts (starts {startsAt:O}, ends {endsAt:O}).", nameof(endsAt));
        }

        Id = Guid.NewGuid().ToString("N")[..12];
        Matchers = [.. matchers];
        StartsAt = startsAt;
        EndsAt = endsAt;
        Comment = comment;
        CreatedBy = createdBy;
    }

    /// <summary>The silence's id.</summary>
    public string Id { get; }

    /// <summary>The matchers; an alert is silenced when it satisfies all of them.</summary>
    public IReadOnlyList<AlertMatcher> Matchers { get; }

    /// <summary>When the silence starts.</summary>
    public DateTimeOffset StartsAt { get; }

    /// <summary>When it ends.</summary>
    public DateTimeOffset EndsAt { get; }

    /// <summary>Why.</summary>
    public string? Comment { get; }

    /// <summary>Who set it.</summary>
    public string? CreatedBy { get; }

    /// <summary>Creates a silence from now until <paramref name="endsAt"/> of matchers written as text (<c>"model=pricing"</c>).</summary>
    /// <exception cref="FormatException">A matcher is not valid.</exception>
    public static AlertSilence Until(DateTimeOffset startsAt, DateTimeOffset endsAt, params string[] matchers) =>
        new(matchers.Select(AlertMatcher.Parse).ToArray(), startsAt, endsAt);

    /// <summary>Whether the silence is in force at <paramref name="now"/>.</summary>
    public bool IsActive(DateTimeOffset now) => now >= StartsAt && now < EndsAt;

    /// <summary>Whether it mutes alerts with these labels (at any time).</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels) => Matchers.All(m => m.Matches(labels));

    /// <inheritdoc />
    public override string ToString() => $"{{{string.Join(", ", Matchers)}}} until {EndsAt:O}";
}
