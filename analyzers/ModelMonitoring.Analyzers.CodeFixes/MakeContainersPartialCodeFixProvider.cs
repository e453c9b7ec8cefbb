using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ModelMonitoring.Analyzers.CodeFixes;

/// <summary>
/// MMON009, for a partial <c>[DriftTracked]</c> method of a type nested in types that are not partial: declares the model
/// type and the types that contain it <c>partial</c>, so that the generator can write the method's body.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeContainersPartialCodeFixProvider))]
[Shared]
public sealed class MakeContainersPartialCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.CannotBeMonitored);

    /// <inheritdoc />
    public override FixAllProvider? GetFixAllProvider() => null;

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
            if (!diagnostic.Properties.TryGetValue(Descriptors.FixProperty, out var fix) || fix != Descriptors.MakeContainersPartialFix)
            {
                continue;
            }

            var method = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true)
                .AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault();
            if (method is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Declare the containing types partial",
                    ct => FixAsync(context.Document, method, ct),
                    equivalenceKey: nameof(MakeContainersPartialCodeFixProvider)),
                diagnostic);
        }
    }

    private static async Task<Document> FixAsync(Document document, MethodDeclarationSyntax method, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var types = method.Ancestors().OfType<TypeDeclarationSyntax>().ToList();
        return document.WithSyntaxRoot(root.ReplaceNodes(types, (_, current) => PartialDeclarations.MakePartial(current)));
    }
}
