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

/// <summary>
/// MMON001: adds <c>[MonitoredModel("kebab-case-name")]</c> to the type and <c>[DriftTracked]</c> to its
/// prediction methods. MMON002: adds <c>[MonitoredModel("kebab-case-name")]</c> to the method's type.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddMonitoredModelCodeFixProvider))]
[Shared]
public sealed class AddMonitoredModelCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.UnmonitoredModel, DiagnosticIds.DriftTrackedOutsideModel);

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
            if (!diagnostic.Properties.TryGetValue(Descriptors.ModelNameProperty, out var modelName) || modelName is null)
            {
                continue;
            }

            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            var type = node.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().FirstOrDefault();
            if (type is null)
            {
                continue;
            }

            var isUnmonitored = diagnostic.Id == DiagnosticIds.UnmonitoredModel;
            var title = isUnmonitored
                ? $"Add [MonitoredModel(\"{modelName}\")] and [DriftTracked]"
                : $"Add [MonitoredModel(\"{modelName}\")] to '{type.Identifier.ValueText}'";
            var methods = isUnmonitored
                ? diagnostic.AdditionalLocations
                    .Where(l => l.SourceTree == root.SyntaxTree)
                    .Select(l => root.FindNode(l.SourceSpan).AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault())
                    .Where(m => m is not null)
                    .Select(m => m!)
                    .ToImmutableArray()
                : ImmutableArray<MethodDeclarationSyntax>.Empty;

            context.RegisterCodeFix(
                CodeAction.Create(
                    title,
                    ct => FixAsync(context.Document, type, modelName, methods, ct),
                    equivalenceKey: diagnostic.Id),
                diagnostic);
        }
    }

    private static async Task<Document> FixAsync(
        Document document,
        TypeDeclarationSyntax type,
        string modelName,
        ImmutableArray<MethodDeclarationSyntax> methods,
        CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var compilation = editor.SemanticModel.Compilation;
        var monitoredModel = AttributeEditing.Create(editor.Generator, compilation, AttributeEditing.MonitoredModel, modelName);
        if (monitoredModel is null)
        {
            return document;
        }

        foreach (var method in methods)
        {
            if (AttributeEditing.Create(editor.Generator, compilation, AttributeEditing.DriftTracked) is { } driftTracked)
            {
                AttributeEditing.AddAttribute(editor, method, driftTracked);
            }
        }

        AttributeEditing.AddAttribute(editor, type, monitoredModel);
        return await AttributeEditing.AddImportsAsync(editor.GetChangedDocument(), cancellationToken).ConfigureAwait(false);
    }
}
