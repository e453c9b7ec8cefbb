using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace ModelMonitoring.Analyzers.CodeFixes;

/// <summary>MMON012: adds <c>[DriftTracked]</c> to a prediction method of a monitored model.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddDriftTrackedCodeFixProvider))]
[Shared]
public sealed class AddDriftTrackedCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.PredictionMethodNotTracked);

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
            var method = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true)
                .AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault();
            if (method is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Add [DriftTracked] to '{method.Identifier.ValueText}'",
                    ct => FixAsync(context.Document, method, ct),
                    equivalenceKey: nameof(AddDriftTrackedCodeFixProvider)),
                diagnostic);
        }
    }

    private static async Task<Document> FixAsync(Document document, MethodDeclarationSyntax method, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        if (AttributeEditing.Create(editor.Generator, editor.SemanticModel.Compilation, AttributeEditing.DriftTracked) is not { } attribute)
        {
            return document;
        }

        AttributeEditing.AddAttribute(editor, method, attribute);
        return await AttributeEditing.AddImportsAsync(editor.GetChangedDocument(), cancellationToken).ConfigureAwait(false);
    }
}
