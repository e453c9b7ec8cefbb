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
/// MMON011: marks a property that is not captured <c>[IgnoreFeature]</c> (<c>[property: IgnoreFeature]</c> on a record's
/// positional parameter), which says that skipping it is intended.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddIgnoreFeatureCodeFixProvider))]
[Shared]
public sealed class AddIgnoreFeatureCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.PropertyNotCaptured);

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
            SyntaxNode? declaration = node.AncestorsAndSelf().FirstOrDefault(n => n is PropertyDeclarationSyntax or ParameterSyntax { Parent.Parent: TypeDeclarationSyntax });
            if (declaration is null)
            {
                continue; // a property of a referenced assembly: nothing to edit here
            }

            var target = declaration is ParameterSyntax ? SyntaxKind.PropertyKeyword : (SyntaxKind?)null;
            context.RegisterCodeFix(
                CodeAction.Create(
                    target is null ? "Mark [IgnoreFeature]" : "Mark [property: IgnoreFeature]",
                    ct => FixAsync(context.Document, declaration, target, ct),
                    equivalenceKey: nameof(AddIgnoreFeatureCodeFixProvider)),
                diagnostic);
        }
    }

    private static async Task<Document> FixAsync(Document document, SyntaxNode declaration, SyntaxKind? target, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        if (AttributeEditing.Create(editor.Generator, editor.SemanticModel.Compilation, AttributeEditing.IgnoreFeature) is not { } attribute)
        {
            return document;
        }

        AttributeEditing.AddAttribute(editor, declaration, attribute, target);
        return await AttributeEditing.AddImportsAsync(editor.GetChangedDocument(), cancellationToken).ConfigureAwait(false);
    }
}
