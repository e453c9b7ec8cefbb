using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ModelMonitoring.Generators
{
    /// <summary>
    /// Emits monitoring for every <c>[DriftTracked]</c> method of a <c>[MonitoredModel]</c> type: interceptors for the
    /// compilation's call sites, bodies for partial declarations, and the model catalog.
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

            /// <summary>Each call to a tracked method that can be intercepted.</summary>
            public const string CallSites = nameof(CallSites);

            /// <summary>All call sites, collected.</summary>
            public const string AllCallSites = nameof(AllCallSites);

            /// <summary>Whether the compilation can use [ModuleInitializer].</summary>
            public const string Capabilities = nameof(Capabilities);
        }

        /// <inheritdoc />
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            IncrementalValueProvider<EquatableArray<ModelSpec>> models = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    Parser.DriftTrackedAttribute,
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

            IncrementalValueProvider<bool> hasModuleInitializer = context.CompilationProvider
                .Select(static (compilation, _) => compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.ModuleInitializerAttribute") is not null)
                .WithTrackingName(TrackingNames.Capabilities);

            context.RegisterSourceOutput(models.Combine(callSites).Combine(hasModuleInitializer), static (spc, input) =>
            {
                ((EquatableArray<ModelSpec> modelSpecs, EquatableArray<CallSiteSpec> calls), bool moduleInitializer) = input;
                if (modelSpecs.Count == 0)
                {
                    return;
                }

                ImmutableArray<CallSiteSpec> callList = calls.Items;
                foreach (ModelSpec model in modelSpecs)
                {
                    spc.AddSource(Emitter.HintName(model, "Monitoring"), Emitter.EmitModel(model, callList));
                    if (model.Methods.Any(m => m.IsPartial))
                    {
                        spc.AddSource(Emitter.HintName(model, "Partial"), Emitter.EmitPartialMethods(model));
                    }
                }

                spc.AddSource("ModelCatalogRegistration.g.cs", Emitter.EmitCatalog(modelSpecs.Items, moduleInitializer));
            });
        }
    }
}
