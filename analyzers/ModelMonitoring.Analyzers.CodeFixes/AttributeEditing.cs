using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace ModelMonitoring.Analyzers.CodeFixes;

/// <summary>
/// Builds ModelMonitoring attributes as fully qualified names marked for simplification and import, so the code
/// action's clean-up adds <c>using ModelMonitoring;</c> where needed and shortens the name.
/// </summary>
internal static class AttributeEditing
{
    public const string MonitoredModel = "ModelMonitoring.MonitoredModelAttribute";
    public const string DriftTracked = "ModelMonitoring.DriftTrackedAttribute";
    public const string Sensitive = "ModelMonitoring.SensitiveAttribute";
    public const string IgnoreFeature = "ModelMonitoring.IgnoreFeatureAttribute";

    /// <summary>An attribute of the type named <paramref name="metadataName"/>, with optional string argument.</summary>
    public static AttributeSyntax? Create(SyntaxGenerator generator, Compilation compilation, string metadataName, string? argument = null)
    {
        var type = compilation.GetTypeByMetadataName(metadataName);
        if (type is null)
        {
            return null;
        }

        var name = QualifiedName(type);
        var arguments = argument is null
            ? null
            : SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.AttributeArgument(SyntaxFactory.LiteralExpression(
                    SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(argument)))));
        return SyntaxFactory.Attribute(name, arguments);
    }

    /// <summary>Adds <paramref name="attribute"/> in its own list in front of the declaration's other lists.</summary>
    public static void AddAttribute(SyntaxEditor editor, SyntaxNode declaration, AttributeSyntax attribute, SyntaxKind? target = null)
    {
        var list = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(attribute));
        if (target is { } keyword)
        {
            list = list.WithTarget(SyntaxFactory.AttributeTargetSpecifier(SyntaxFactory.Token(keyword)));
        }

        var newLine = declaration.SyntaxTree.GetRoot().DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        var endOfLine = newLine.IsKind(SyntaxKind.EndOfLineTrivia) ? newLine : SyntaxFactory.EndOfLine("\n");
        editor.ReplaceNode(declaration, (current, _) => Insert(current, list.WithAdditionalAnnotations(Formatter.Annotation), endOfLine));
    }

    /// <summary>Adds the usings for the names built by <see cref="Create"/>; the code action's clean-up then shortens them.</summary>
    public static Task<Document> AddImportsAsync(Document document, CancellationToken cancellationToken)
        => ImportAdder.AddImportsAsync(document, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken);

    private static SyntaxNode Insert(SyntaxNode declaration, AttributeListSyntax list, SyntaxTrivia endOfLine)
    {
        switch (declaration)
        {
            case MemberDeclarationSyntax member:
            {
                var existing = member.AttributeLists;
                if (existing.Count > 0)
                {
                    return member.WithAttributeLists(existing.Insert(0, list.WithTrailingTrivia(endOfLine)));
                }

                // The new list takes the declaration's leading trivia (comments, indentation); the declaration
                // starts on the next line, indented by the formatter.
                var leading = member.GetLeadingTrivia();
                var moved = member.WithoutLeadingTrivia()
                    .WithAttributeLists(SyntaxFactory.SingletonList(
                        list.WithLeadingTrivia(leading).WithTrailingTrivia(endOfLine)));
                return moved;
            }

            case ParameterSyntax parameter:
                return parameter.WithAttributeLists(parameter.AttributeLists.Insert(
                    0, list.WithTrailingTrivia(SyntaxFactory.ElasticSpace)));
            default:
                return declaration;
        }
    }

    private static NameSyntax QualifiedName(INamedTypeSymbol type)
    {
        var parts = type.ContainingNamespace.ToDisplayString().Split('.')
            .Concat(new[] { RemoveSuffix(type.Name) })
            .ToArray();
        NameSyntax name = SyntaxFactory.AliasQualifiedName(
            SyntaxFactory.IdentifierName(SyntaxFactory.Token(SyntaxKind.GlobalKeyword)),
            SyntaxFactory.IdentifierName(parts[0]));
        foreach (var part in parts.Skip(1))
        {
            name = SyntaxFactory.QualifiedName(name, SyntaxFactory.IdentifierName(part));
        }

        return name.WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
    }

    private static string RemoveSuffix(string name)
        => name.EndsWith("Attribute", System.StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
}
