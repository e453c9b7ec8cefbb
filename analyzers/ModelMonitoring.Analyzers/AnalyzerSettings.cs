using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ModelMonitoring.SourceModel;

namespace ModelMonitoring.Analyzers;

/// <summary>
/// The <c>.editorconfig</c> settings of the analyzers, parsed once per distinct value and compilation.
/// </summary>
internal sealed class AnalyzerSettings
{
    /// <summary>Comma separated method names that make a public type look like a model (MMON001, MMON012).</summary>
    public const string PredictionMethodNamesKey = "model_monitoring.prediction_method_names";

    /// <summary>Comma separated words that make a feature name look personal (MMON006).</summary>
    public const string PersonalDataNamesKey = "model_monitoring.personal_data_names";

    public static readonly ImmutableArray<string> DefaultPredictionMethodNames = ImmutableArray.Create(
        "Predict", "PredictAsync", "PredictBatch", "Score", "Classify", "Forecast", "Infer", "Detect");

    public static readonly ImmutableArray<string> DefaultPersonalDataNames = ImmutableArray.Create(
        "email", "e_mail", "phone", "mobile_number", "cpf", "cnpj", "ssn", "social_security", "national_id", "tax_id", "passport",
        "password", "card_number", "credit_card", "cvv", "iban", "name", "surname", "address", "birth_date", "date_of_birth", "birthday", "dob");

    /// <summary>
    /// Words that make <c>name</c> personal when they come before it (<c>FirstName</c>, <c>CustomerName</c>); and, as the last
    /// word of a type's name, make a property called <c>Name</c> personal (<c>Customer.Name</c>). <c>ProductName</c>,
    /// <c>FileName</c> and <c>Product.Name</c> are not personal.
    /// </summary>
    public static readonly ImmutableHashSet<string> PersonWords = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "first", "last", "full", "middle", "given", "family", "maiden", "legal", "person", "people", "customer", "client", "user",
        "employee", "patient", "applicant", "member", "contact", "holder", "cardholder", "owner", "borrower", "driver", "passenger",
        "student", "guest", "buyer", "recipient", "beneficiary", "subscriber", "account", "consumer", "lead", "traveler", "traveller");

    /// <summary>
    /// Words that, right after a personal name, describe something about it that is not the personal value itself:
    /// <c>AddressCount</c>, <c>EmailDomain</c>, <c>PhoneType</c>.
    /// </summary>
    public static readonly ImmutableHashSet<string> AboutWords = ImmutableHashSet.Create(
        StringComparer.Ordinal, "count", "length", "size", "total", "domain", "type", "kind", "format", "provider", "status", "verified");

    private readonly AnalyzerConfigOptionsProvider _provider;
    private readonly ConcurrentDictionary<string, PredictionNames> _methodNames = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ImmutableArray<ImmutableArray<string>>> _personalNames = new(StringComparer.Ordinal);

    public AnalyzerSettings(AnalyzerConfigOptionsProvider provider) => _provider = provider;

    /// <summary>The prediction method names, and whether the user configured them (then a name alone is evidence enough).</summary>
    public PredictionNames PredictionMethodNames(SyntaxTree tree)
    {
        var value = _provider.GetOptions(tree).TryGetValue(PredictionMethodNamesKey, out var configured) ? configured : null;
        return _methodNames.GetOrAdd(
            value ?? "\0default",
            _ => new PredictionNames((value is null ? DefaultPredictionMethodNames : Split(value)).ToImmutableHashSet(StringComparer.Ordinal), value is not null));
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
    /// The personal name that a feature's member contains as whole snake_case words, or null. <c>name</c> on its own is
    /// personal only in context: after a word of <see cref="PersonWords"/>, or as a property called <c>Name</c> of a
    /// person-like type. A bool (<c>HasEmail</c>) says whether something exists, which is not personal, and neither is a word
    /// of <see cref="AboutWords"/> after the name (<c>AddressCount</c>, <c>EmailDomain</c>).
    /// </summary>
    public static string? MatchPersonalName(ISymbol member, string featureName, ITypeSymbol valueType, ImmutableArray<ImmutableArray<string>> personalNames)
    {
        if (valueType.SpecialType == SpecialType.System_Boolean)
        {
            return null;
        }

        var containingWords = member is IPropertySymbol { ContainingType: { } type } ? Naming.SplitWords(type.Name) : new List<string>();
        return Match(Naming.SplitWords(member.Name), containingWords, personalNames)
            ?? Match(Naming.SplitWords(featureName), containingWords, personalNames);
    }

    private static string? Match(List<string> words, List<string> containingTypeWords, ImmutableArray<ImmutableArray<string>> personalNames)
    {
        foreach (var pattern in personalNames)
        {
            for (var start = 0; start + pattern.Length <= words.Count; start++)
            {
                var match = true;
                for (var i = 0; i < pattern.Length && match; i++)
                {
                    match = string.Equals(words[start + i], pattern[i], StringComparison.Ordinal);
                }

                if (!match)
                {
                    continue;
                }

                if (pattern.Length == 1 && pattern[0] == "name" && !IsPersonName(words, start, containingTypeWords))
                {
                    continue;
                }

                if (start + pattern.Length < words.Count && AboutWords.Contains(words[start + pattern.Length]))
                {
                    continue;
                }

                return string.Join("_", pattern);
            }
        }

        return null;
    }

    private static bool IsPersonName(List<string> words, int index, List<string> containingTypeWords)
    {
        if (index > 0)
        {
            return PersonWords.Contains(words[index - 1]);
        }

        return words.Count == 1 && containingTypeWords.Count > 0 && PersonWords.Contains(containingTypeWords[containingTypeWords.Count - 1]);
    }

    private static ImmutableArray<string> Split(string value)
        => value.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.Trim())
            .Where(s => s.Length > 0)
            .ToImmutableArray();
}

/// <summary>The method names that look like predictions, and whether the user chose them.</summary>
internal sealed class PredictionNames
{
    public PredictionNames(ImmutableHashSet<string> names, bool configured)
    {
        Names = names;
        IsConfigured = configured;
    }

    public ImmutableHashSet<string> Names { get; }

    /// <summary>Configured in .editorconfig: a method of such a name is evidence enough on its own.</summary>
    public bool IsConfigured { get; }

    public bool Contains(string name) => Names.Contains(name);
}
