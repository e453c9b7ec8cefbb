using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace ModelMonitoring.Analyzers.CodeFixes;

/// <summary>
/// MMON006: adds <c>[Sensitive]</c> to the property or parameter, or <c>[property: Sensitive]</c> to a record's
/// positional parameter (the feature is read from the property).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddSensitiveCodeFixProvider))]
[Shared]
public sealed class AddSensitiveCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.PersonalFeatureNotSensitive);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            SyntaxNode? declaration = node.AncestorsAndSelf().FirstOrDefault(n => n is PropertyDeclarationSyntax or ParameterSyntax);
            if (declaration is null)
            {
                continue;
            }

            var target = declaration is ParameterSyntax { Parent.Parent: TypeDeclarationSyntax } ? SyntaxKind.PropertyKeyword : (SyntaxKind?)null;
            var title = target is null ? "Mark [Sensitive]" : "Mark [property: Sensitive]";
            context.RegisterCodeFix(
                CodeAction.Create(title, ct => FixAsync(context.Document, declaration, target, ct), equivalenceKey: nameof(AddSensitiveCodeFixProvider)),
                diagnostic);
        }
    }

    private static async Task<Document> FixAsync(Document document, SyntaxNode declaration, SyntaxKind? target, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var attribute = AttributeEditing.Create(editor.Generator, editor.SemanticModel.Compilation, AttributeEditing.Sensitive);
        if (attribute is null)
        {
            return document;
        }

        AttributeEditing.AddAttribute(editor, declaration, attribute, target);
        return await AttributeEditing.AddImportsAsync(editor.GetChangedDocument(), cancellationToken).ConfigureAwait(false);
    }
}
