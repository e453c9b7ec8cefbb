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

namespace ModelMonitoring.Analyzers.CodeFixes;

/// <summary>
/// MMON005 and MMON010: switch the monitored method to partial mode. <c>[DriftTracked] public R Predict(P p) { body }</c>
/// becomes the declaration <c>[DriftTracked] public partial R Predict(P p);</c>, whose body the generator writes, and
/// <c>private R PredictCore(P p) { body }</c>, which the generated body calls. The model type (and the types that
/// contain it) become <c>partial</c>. Every use of the method is then monitored, delegates and expression trees too.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFixProvider))]
[Shared]
public sealed class MakePartialCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.InterceptionBypassed, DiagnosticIds.CalledFromOtherAssemblies);

    /// <inheritdoc />
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            var info = model.GetSymbolInfo(node, context.CancellationToken);
            var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault()
                ?? (node.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault() is { } declared
                    ? model.GetDeclaredSymbol(declared, context.CancellationToken)
                    : null);
            if (symbol is not IMethodSymbol method)
            {
                continue;
            }

            method = (method.ReducedFrom ?? method).OriginalDefinition;
            if (method.IsGenericMethod
                || method.DeclaringSyntaxReferences.Length != 1
                || await method.DeclaringSyntaxReferences[0].GetSyntaxAsync(context.CancellationToken).ConfigureAwait(false) is not MethodDeclarationSyntax declaration
                || (declaration.Body is null && declaration.ExpressionBody is null)
                || context.Document.Project.Solution.GetDocument(declaration.SyntaxTree) is not { } methodDocument)
            {
                continue;
            }

            var coreName = method.Name + "Core";
            if (method.ContainingType.GetMembers(coreName).Any())
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Make '{method.Name}' partial (body in '{coreName}')",
                    ct => FixAsync(methodDocument, declaration, coreName, ct),
                    equivalenceKey: nameof(MakePartialCodeFixProvider)),
                diagnostic);
        }
    }

    private static async Task<Solution> FixAsync(Document document, MethodDeclarationSyntax declaration, string coreName, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document.Project.Solution;
        }

        // The body moves to a private Core method, without the method's attributes and doc comment.
        var coreModifiers = SyntaxFactory.TokenList(
            new[] { SyntaxFactory.Token(SyntaxKind.PrivateKeyword) }
                .Concat(declaration.Modifiers.Where(m => m.IsKind(SyntaxKind.StaticKeyword) || m.IsKind(SyntaxKind.AsyncKeyword) || m.IsKind(SyntaxKind.UnsafeKeyword))
                    .Select(m => SyntaxFactory.Token(m.Kind())))
                .Select(t => t.WithTrailingTrivia(SyntaxFactory.Space)));
        var coreParameters = declaration.ParameterList.WithParameters(SyntaxFactory.SeparatedList(
            declaration.ParameterList.Parameters.Select(p => p.WithAttributeLists(default).WithoutLeadingTrivia())));
        var core = declaration
            .WithAttributeLists(default)
            .WithModifiers(coreModifiers)
            .WithIdentifier(SyntaxFactory.Identifier(coreName))
            .WithParameterList(coreParameters)
            .WithLeadingTrivia(CoreLeadingTrivia(declaration));

        // The method becomes a partial declaration: 'partial' right before the return type, no 'async', no body.
        var modifiers = declaration.Modifiers.Where(m => !m.IsKind(SyntaxKind.AsyncKeyword)).ToList();
        var partialKeyword = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        SyntaxTokenList newModifiers;
        if (modifiers.Count == 0)
        {
            newModifiers = SyntaxFactory.TokenList(partialKeyword.WithLeadingTrivia(declaration.ReturnType.GetLeadingTrivia()));
        }
        else
        {
            newModifiers = SyntaxFactory.TokenList(modifiers).Add(partialKeyword);
        }

        var definition = declaration
            .WithModifiers(newModifiers)
            .WithReturnType(modifiers.Count == 0 ? declaration.ReturnType.WithoutLeadingTrivia() : declaration.ReturnType)
            .WithParameterList(declaration.ParameterList.WithoutTrailingTrivia())
            .WithBody(null)
            .WithExpressionBody(null)
            .WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken).WithTrailingTrivia(declaration.GetTrailingTrivia()));

        var type = declaration.Parent as TypeDeclarationSyntax;
        if (type is null)
        {
            return document.Project.Solution;
        }

        var members = type.Members;
        var index = members.IndexOf(declaration);
        members = members.RemoveAt(index).Insert(index, definition).Insert(index + 1, core);
        var marker = new SyntaxAnnotation();
        var newRoot = root.ReplaceNode(type, type.WithMembers(members).WithAdditionalAnnotations(marker));

        // The model type and the types that contain it are declared partial.
        var path = newRoot.GetAnnotatedNodes(marker).Single().AncestorsAndSelf().OfType<TypeDeclarationSyntax>();
        newRoot = newRoot.ReplaceNodes(path, (_, current) => PartialDeclarations.MakePartial(current));
        return document.WithSyntaxRoot(newRoot).Project.Solution;
    }

    /// <summary>A blank line, then the declaration's indentation.</summary>
    private static SyntaxTriviaList CoreLeadingTrivia(MethodDeclarationSyntax declaration)
    {
        var endOfLine = declaration.GetTrailingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        if (!endOfLine.IsKind(SyntaxKind.EndOfLineTrivia))
        {
            endOfLine = SyntaxFactory.EndOfLine("\n");
        }

        var indentation = declaration.GetLeadingTrivia().LastOrDefault();
        return indentation.IsKind(SyntaxKind.WhitespaceTrivia)
            ? SyntaxFactory.TriviaList(endOfLine, indentation)
            : SyntaxFactory.TriviaList(endOfLine);
    }
}

/// <summary>Adds <c>partial</c> to type declarations.</summary>
internal static class PartialDeclarations
{
    public static TypeDeclarationSyntax MakePartial(TypeDeclarationSyntax type)
    {
        if (type.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            return type;
        }

        var partialKeyword = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (type.Modifiers.Count > 0)
        {
            return type.AddModifiers(partialKeyword);
        }

        // No modifiers: 'partial' takes the keyword's leading trivia (indentation, comments).
        var keyword = type.Keyword;
        return type
            .WithKeyword(keyword.WithLeadingTrivia())
            .WithModifiers(SyntaxFactory.TokenList(partialKeyword.WithLeadingTrivia(keyword.LeadingTrivia)));
    }
}
