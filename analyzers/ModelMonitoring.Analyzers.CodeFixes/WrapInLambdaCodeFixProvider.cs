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
using Microsoft.CodeAnalysis.Formatting;

namespace ModelMonitoring.Analyzers.CodeFixes;

/// <summary>
/// MMON005 (method group): replaces <c>model.Predict</c> with <c>request =&gt; model.Predict(request)</c>, a direct
/// call that the generated interceptor replaces.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WrapInLambdaCodeFixProvider))]
[Shared]
public sealed class WrapInLambdaCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.InterceptionBypassed);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

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
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax expression
                || expression.Parent is InvocationExpressionSyntax { Expression: var callee } && callee == expression
                || BuildLambda(expression, model, context.CancellationToken) is not { } lambda)
            {
                // Expression trees: wrapping does not help; partial mode is the fix (see the docs page).
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Wrap the call in a lambda",
                    ct => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(expression, lambda))),
                    equivalenceKey: nameof(WrapInLambdaCodeFixProvider)),
                diagnostic);
        }
    }

    private static ExpressionSyntax? BuildLambda(ExpressionSyntax methodGroup, SemanticModel model, CancellationToken cancellationToken)
    {
        var method = model.GetSymbolInfo(methodGroup, cancellationToken) is { } info
            ? (info.Symbol ?? info.CandidateSymbols.FirstOrDefault()) as IMethodSymbol
            : null;
        if (method is null
            || model.GetTypeInfo(methodGroup, cancellationToken).ConvertedType is not INamedTypeSymbol { DelegateInvokeMethod: { } invoke }
            || invoke.Parameters.Length != method.Parameters.Length)
        {
            return null;
        }

        var hasRefKinds = invoke.Parameters.Any(p => p.RefKind != RefKind.None);
        var parameters = invoke.Parameters.Select((p, i) =>
        {
            var name = method.Parameters[i].Name;
            if (!hasRefKinds)
            {
                return name;
            }

            var type = p.Type.ToMinimalDisplayString(model, methodGroup.SpanStart);
            return RefKindPrefix(p.RefKind) + type + " " + name;
        }).ToArray();
        var arguments = method.Parameters.Select((p, i) => RefKindPrefix(invoke.Parameters[i].RefKind) + p.Name);
        var parameterList = parameters.Length == 1 && !hasRefKinds ? parameters[0] : "(" + string.Join(", ", parameters) + ")";
        var text = parameterList + " => " + methodGroup.WithoutTrivia().ToString() + "(" + string.Join(", ", arguments) + ")";
        return SyntaxFactory.ParseExpression(text)
            .WithTriviaFrom(methodGroup)
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static string RefKindPrefix(RefKind refKind) => refKind switch
    {
        RefKind.Ref => "ref ",
        RefKind.Out => "out ",
        RefKind.In => "in ",
        _ => string.Empty,
    };
}
