using Microsoft.CodeAnalysis.Diagnostics;

namespace ModelMonitoring.Analyzers;

/// <summary>
/// What every ModelMonitoring analyzer does first: skip generated code, run concurrently, and resolve the
/// ModelMonitoring attribute symbols once per compilation. A compilation that does not reference ModelMonitoring
/// is not analyzed further.
/// </summary>
public abstract class ModelMonitoringAnalyzer : DiagnosticAnalyzer
{
    private protected ModelMonitoringAnalyzer()
    {
    }

    /// <inheritdoc />
    public sealed override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var known = KnownSymbols.Create(start.Compilation);
            if (known is not null)
            {
                OnCompilationStart(start, known);
            }
        });
    }

    /// <summary>Registers the analyzer's actions for a compilation that references ModelMonitoring.</summary>
    private protected abstract void OnCompilationStart(CompilationStartAnalysisContext start, KnownSymbols known);
}
