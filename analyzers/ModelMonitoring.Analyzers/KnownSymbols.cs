using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ModelMonitoring.Analyzers;

/// <summary>
/// The symbols every ModelMonitoring analyzer looks for, resolved once per compilation (in a compilation start
/// action) and compared by reference afterwards.
/// </summary>
internal sealed class KnownSymbols
{
    public const string MonitoredModelName = "ModelMonitoring.MonitoredModelAttribute";
    public const string DriftTrackedName = "ModelMonitoring.DriftTrackedAttribute";
    public const string FeatureName = "ModelMonitoring.FeatureAttribute";
    public const string IgnoreFeatureName = "ModelMonitoring.IgnoreFeatureAttribute";
    public const string SensitiveName = "ModelMonitoring.SensitiveAttribute";

    private KnownSymbols(Compilation compilation, INamedTypeSymbol monitoredModel, INamedTypeSymbol driftTracked)
    {
        MonitoredModel = monitoredModel;
        DriftTracked = driftTracked;
        Feature = compilation.GetTypeByMetadataName(FeatureName);
        IgnoreFeature = compilation.GetTypeByMetadataName(IgnoreFeatureName);
        Sensitive = compilation.GetTypeByMetadataName(SensitiveName);
        DateTimeOffset = compilation.GetTypeByMetadataName("System.DateTimeOffset");
        TimeSpan = compilation.GetTypeByMetadataName("System.TimeSpan");
        BatchTypes = new[]
            {
                "System.Collections.Generic.IReadOnlyList`1",
                "System.Collections.Generic.IList`1",
                "System.Collections.Generic.List`1",
            }
            .Select(compilation.GetTypeByMetadataName)
            .Where(t => t is not null)
            .Select(t => t!)
            .ToImmutableArray();
        ExpressionOfT = compilation.GetTypeByMetadataName("System.Linq.Expressions.Expression`1");
        LambdaExpression = compilation.GetTypeByMetadataName("System.Linq.Expressions.LambdaExpression");

        // ML.NET and ONNX Runtime, by metadata name: found only when the project references them.
        PredictionEngineTypes = new[]
            {
                "Microsoft.ML.PredictionEngine`2",
                "Microsoft.ML.PredictionEngineBase`2",
                "Microsoft.Extensions.ML.PredictionEnginePool`2",
            }
            .Select(compilation.GetTypeByMetadataName)
            .Where(t => t is not null)
            .Select(t => t!)
            .ToImmutableArray();
        Transformer = compilation.GetTypeByMetadataName("Microsoft.ML.ITransformer");
        InferenceSession = compilation.GetTypeByMetadataName("Microsoft.ML.OnnxRuntime.InferenceSession");
    }

    public INamedTypeSymbol MonitoredModel { get; }

    public INamedTypeSymbol DriftTracked { get; }

    public INamedTypeSymbol? Feature { get; }

    public INamedTypeSymbol? IgnoreFeature { get; }

    public INamedTypeSymbol? Sensitive { get; }

    public INamedTypeSymbol? DateTimeOffset { get; }

    public INamedTypeSymbol? TimeSpan { get; }

    /// <summary>The generic collections whose items are a batch of requests (besides arrays).</summary>
    public ImmutableArray<INamedTypeSymbol> BatchTypes { get; }

    public INamedTypeSymbol? ExpressionOfT { get; }

    public INamedTypeSymbol? LambdaExpression { get; }

    public ImmutableArray<INamedTypeSymbol> PredictionEngineTypes { get; }

    public INamedTypeSymbol? Transformer { get; }

    public INamedTypeSymbol? InferenceSession { get; }

    /// <summary>Whether ML.NET or ONNX Runtime is referenced at all.</summary>
    public bool HasMachineLearningLibraries => !PredictionEngineTypes.IsEmpty || Transformer is not null || InferenceSession is not null;

    /// <summary>Resolves the symbols; null when the ModelMonitoring attributes are not referenced.</summary>
    public static KnownSymbols? Create(Compilation compilation)
    {
        var monitoredModel = compilation.GetTypeByMetadataName(MonitoredModelName);
        var driftTracked = compilation.GetTypeByMetadataName(DriftTrackedName);
        return monitoredModel is null || driftTracked is null ? null : new KnownSymbols(compilation, monitoredModel, driftTracked);
    }

    public AttributeData? GetAttribute(ISymbol symbol, INamedTypeSymbol? attributeType)
    {
        if (attributeType is null)
        {
            return null;
        }

        foreach (var attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
            {
                return attribute;
            }
        }

        return null;
    }

    public bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attributeType) => GetAttribute(symbol, attributeType) is not null;

    public bool IsDriftTracked(IMethodSymbol method) => HasAttribute(method, DriftTracked);

    /// <summary>
    /// A partial <c>[DriftTracked]</c> method gets a generated body (partial mode) and needs no interception.
    /// </summary>
    public static bool IsPartialMode(IMethodSymbol method) => ModelMonitoring.SourceModel.ModelRules.IsPartialMode(method);

    /// <summary>Whether a call of <paramref name="method"/> is monitored only through interception.</summary>
    public bool IsInterceptedMethod(IMethodSymbol method)
    {
        method = method.ReducedFrom ?? method;
        method = method.OriginalDefinition;
        return method.MethodKind == MethodKind.Ordinary && IsDriftTracked(method) && !IsPartialMode(method);
    }

    /// <summary>Whether an invocation of <paramref name="method"/> calls into ML.NET or ONNX Runtime.</summary>
    public bool IsMachineLearningCall(IMethodSymbol method)
    {
        var type = method.ContainingType;
        if (type is null)
        {
            return false;
        }

        switch (method.Name)
        {
            case "Predict":
            case "TryPredict":
                for (var current = type; current is not null; current = current.BaseType)
                {
                    foreach (var engine in PredictionEngineTypes)
                    {
                        if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, engine))
                        {
                            return true;
                        }
                    }
                }

                return false;
            case "Transform":
                return Transformer is not null
                    && (SymbolEqualityComparer.Default.Equals(type, Transformer)
                        || type.AllInterfaces.Contains(Transformer, SymbolEqualityComparer.Default));
            default:
                if (InferenceSession is null || !method.Name.StartsWith("Run", System.StringComparison.Ordinal))
                {
                    return false;
                }

                for (var current = type; current is not null; current = current.BaseType)
                {
                    if (SymbolEqualityComparer.Default.Equals(current, InferenceSession))
                    {
                        return true;
                    }
                }

                return false;
        }
    }
}
