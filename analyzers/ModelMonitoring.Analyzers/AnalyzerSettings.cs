using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ModelMonitoring.Analyzers;

/// <summary>
/// The <c>.editorconfig</c> settings of the analyzers, parsed once per distinct value and compilation.
/// </summary>
internal sealed class AnalyzerSettings
{
    /// <summary>Comma separated method names that make a public type look like a model (MMON001).</summary>
    public const string PredictionMethodNamesKey = "model_monitoring.prediction_method_names";

    /// <summary>Comma separated words that make a feature name look personal (MMON006).</summary>
    public const string PersonalDataNamesKey = "model_monitoring.personal_data_names";

    public static readonly ImmutableArray<string> DefaultPredictionMethodNames = ImmutableArray.Create(
        "Predict", "PredictAsync", "PredictBatch", "Score", "Classify", "Forecast", "Infer", "Detect");

    public static readonly ImmutableArray<string> DefaultPersonalDataNames = ImmutableArray.Create(
        "email", "e_mail", "phone", "cpf", "cnpj", "ssn", "passport", "password", "card_number", "name", "address",
        "birth_date", "date_of_birth", "birthday");

    private readonly AnalyzerConfigOptionsProvider _provider;
    private readonly ConcurrentDictionary<string, ImmutableHashSet<string>> _methodNames = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ImmutableArray<ImmutableArray<string>>> _personalNames = new(StringComparer.Ordinal);

    public AnalyzerSettings(AnalyzerConfigOptionsProvider provider) => _provider = provider;

    public ImmutableHashSet<string> PredictionMethodNames(SyntaxTree tree)
    {
        var value = _provider.GetOptions(tree).TryGetValue(PredictionMethodNamesKey, out var configured) ? configured : null;
        return _methodNames.GetOrAdd(
            value ?? string.Empty,
            v => (value is null ? DefaultPredictionMethodNames : Split(v)).ToImmutableHashSet(StringComparer.Ordinal));
    }

    /// <summary>Each personal name as its snake_case words, so <c>card_number</c> matches <c>CardNumberHash</c>.</summary>
    public ImmutableArray<ImmutableArray<string>> PersonalDataNames(SyntaxTree? tree)
    {
        string? value = null;
        if (tree is not null && _provider.GetOptions(tree).TryGetValue(PersonalDataNamesKey, out var configured))
        {
            value = configured;
        }

        return _personalNames.GetOrAdd(
            value ?? "\0default",
            _ => (value is null ? DefaultPersonalDataNames : Split(value))
                .Select(n => Naming.SplitWords(n).ToImmutableArray())
                .Where(words => !words.IsEmpty)
                .ToImmutableArray());
    }

    /// <summary>
    /// The personal name that <paramref name="name"/> contains as whole snake_case words, or null.
    /// </summary>
    public static string? MatchPersonalName(string name, ImmutableArray<ImmutableArray<string>> personalNames)
    {
        var words = Naming.SplitWords(name);
        foreach (var pattern in personalNames)
        {
            for (var start = 0; start + pattern.Length <= words.Count; start++)
            {
                var match = true;
                for (var i = 0; i < pattern.Length && match; i++)
                {
                    match = string.Equals(words[start + i], pattern[i], StringComparison.Ordinal);
                }

                if (match)
                {
                    return string.Join("_", pattern);
                }
            }
        }

        return null;
    }

    private static ImmutableArray<string> Split(string value)
        => value.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.Trim())
            .Where(s => s.Length > 0)
            .ToImmutableArray();
}
