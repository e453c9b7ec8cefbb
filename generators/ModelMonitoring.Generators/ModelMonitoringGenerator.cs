using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelMonitoring.SourceModel;

namespace ModelMonitoring.Generators
{
    /// <summary>
    /// Emits monitoring for every <c>[DriftTracked]</c> method of a <c>[MonitoredModel]</c> type: interceptors for the
    /// compilation's call sites (direct, and through interfaces or base classes), bodies for partial declarations, and the
    /// model catalog. It emits nothing that cannot compile: below C# 9 nothing, below C# 11 or without
    /// <c>InterceptorsNamespaces</c> no interceptors (MMON008 says so).
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class ModelMonitoringGenerator : IIncrementalGenerator
    {
        /// <summary>Tracking names of the pipeline's steps, for incrementality tests.</summary>
        public static class TrackingNames
        {
            /// <summary>Each [DriftTracked] method, parsed into a spec.</summary>
            public const string TrackedMethods = nameof(TrackedMethods);

            /// <summary>The specs grouped by model.</summary>
            public const string Models = nameof(Models);

            /// <summary>Each call to a tracked method, or through an interface or base method, that can be intercepted.</summary>
            public const string CallSites = nameof(CallSites);

            /// <summary>All call sites, collected.</summary>
            public const string AllCallSites = nameof(AllCallSites);

            /// <summary>What the compilation's language version and options allow.</summary>
            public const string Settings = nameof(Settings);
        }

        /// <inheritdoc />
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            IncrementalValueProvider<EquatableArray<ModelSpec>> models = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    Symbols.DriftTrackedMetadataName,
                    predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax,
                    transform: Parser.ParseTrackedMethod)
                .Where(static method => method is not null)
                .Select(static (method, _) => method!)
                .WithTrackingName(TrackingNames.TrackedMethods)
                .Collect()
                .Select(static (methods, _) => Parser.GroupByModel(methods))
                .WithTrackingName(TrackingNames.Models);

            IncrementalValueProvider<EquatableArray<CallSiteSpec>> callSites = context.SyntaxProvider
                .CreateSyntaxProvider(Parser.IsCandidateInvocation, Parser.ParseCallSite)
                .Where(static call => call is not null)
                .Select(static (call, _) => call!)
                .WithTrackingName(TrackingNames.CallSites)
                .Collect()
                .Select(static (calls, _) => calls.ToEquatableArray())
                .WithTrackingName(TrackingNames.AllCallSites);

            IncrementalValueProvider<GeneratorSettings> settings = context.ParseOptionsProvider
                .Combine(context.CompilationProvider.Select(static (compilation, _) =>
                    compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.ModuleInitializerAttribute") is not null))
                .Select(static (input, _) =>
                {
                    var options = input.Left as CSharpParseOptions;
                    LanguageVersion version = options?.LanguageVersion ?? LanguageVersion.Default;
                    return new GeneratorSettings(
                        CanEmit: version >= ModelRules.GeneratedCodeLanguageVersion,
                        CanIntercept: version >= ModelRules.InterceptorsLanguageVersion && ModelRules.InterceptorsEnabled(options),
                        HasModuleInitializer: input.Right);
                })
                .WithTrackingName(TrackingNames.Settings);

            context.RegisterSourceOutput(models.Combine(callSites).Combine(settings), static (spc, input) =>
            {
                ((EquatableArray<ModelSpec> modelSpecs, EquatableArray<CallSiteSpec> calls), GeneratorSettings options) = input;
                if (modelSpecs.Count == 0 || !options.CanEmit)
                {
                    return;
                }

                ImmutableArray<ModelSpec> modelList = modelSpecs.Items;
                IReadOnlyDictionary<string, string> helpers = Emitter.HelperNames(modelList);
                List<CallSiteSpec> direct = options.CanIntercept ? calls.Where(c => c.Kind == CallKind.Direct).ToList() : new List<CallSiteSpec>();
                foreach (ModelSpec model in modelList)
                {
                    string helper = helpers[model.Type.MetadataName];
                    spc.AddSource(helper + ".g.cs", Emitter.EmitModel(model, helper, direct));
                    if (model.Methods.Any(m => m.IsPartial))
                    {
                        spc.AddSource(helper + ".Partial.g.cs", Emitter.EmitPartialMethods(model, helper));
                    }
                }

                if (options.CanIntercept && Emitter.EmitDispatch(calls.Where(c => c.Kind == CallKind.Dispatch).ToList(), modelList, helpers) is { } dispatch)
                {
                    spc.AddSource("DispatchInterceptors.g.cs", dispatch);
                }

                spc.AddSource("ModelCatalogRegistration.g.cs", Emitter.EmitCatalog(modelList, helpers, options.HasModuleInitializer));
            });
        }
    }
}
