using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using ModelMonitoring.SourceModel;

namespace ModelMonitoring.Generators
{
    /// <summary>
    /// Turns specs into C# source. Output is deterministic: same specs, same text.
    /// </summary>
    /// <remarks>
    /// Per model, a helper class in <c>ModelMonitoring.Generated</c> holds the descriptor and, per tracked method, the monitor,
    /// a <c>_Call</c> struct (clock, activity, input features read before the model runs), and the methods that begin, record
    /// and complete a call. The wrapper around a call is the same in interceptor mode (the helper's <c>Call</c> method) and in
    /// partial mode (the generated body). Where user names are in scope (wrappers, <c>Begin</c> methods), every other name is
    /// <c>global::</c> qualified and every local starts with the method's prefix, so no user name can collide or shadow.
    /// </remarks>
    internal static class Emitter
    {
        private const string GeneratedNamespace = ModelRules.GeneratedNamespace;
        private const string RuntimeNamespace = "global::ModelMonitoring.Runtime";
        private const string FeatureValues = RuntimeNamespace + ".FeatureValues";
        private const string ExceptionType = "global::System.Exception";
        private const string Tasks = "global::System.Threading.Tasks";
        private const string InterceptsLocation = "global::System.Runtime.CompilerServices.InterceptsLocation";

        private const string DateOnlyMethod = "NumberOfDateOnly";
        private const string TimeOnlyMethod = "NumberOfTimeOnly";

        private static readonly string GeneratedCodeAttribute =
            "[global::System.CodeDom.Compiler.GeneratedCode(\"ModelMonitoring.Generators\", \"" + typeof(Emitter).Assembly.GetName().Version?.ToString(3) + "\")]";

        /// <summary>
        /// The helper class name of each model: the type's metadata name with <c>_</c> for separators, then <c>_Monitoring</c>.
        /// Two types whose names read alike (<c>Acme.Fraud_Model</c>, <c>Acme.Fraud.Model</c>) get a hash of their full name, and
        /// a counter settles what is left, so that no two helpers, and no two files, share a name (file names ignore case).
        /// </summary>
        public static IReadOnlyDictionary<string, string> HelperNames(IReadOnlyList<ModelSpec> models)
        {
            var readable = models.ToDictionary(m => m.Type.MetadataName, m => Sanitize(m.Type.MetadataName), StringComparer.Ordinal);
            var alike = new HashSet<string>(
                readable.Values.GroupBy(v => v, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key),
                StringComparer.OrdinalIgnoreCase);
            var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string metadataName in readable.Keys.OrderBy(k => k, StringComparer.Ordinal))
            {
                string name = readable[metadataName];
                string candidate = (alike.Contains(name) ? name + "_" + Hash(metadataName) : name) + "_Monitoring";
                for (int counter = 2; !used.Add(candidate); counter++)
                {
                    candidate = (alike.Contains(name) ? name + "_" + Hash(metadataName) : name) + "_" + counter.ToString(CultureInfo.InvariantCulture) + "_Monitoring";
                }

                result[metadataName] = candidate;
            }

            return result;
        }

        /// <summary>The helper class with the model's descriptor and recording methods, and the interceptors of its direct calls.</summary>
        public static string EmitModel(ModelSpec model, string helper, IReadOnlyList<CallSiteSpec> directCalls)
        {
            var w = new SourceWriter();
            Header(w, nullableEnabled: true);
            w.Open("namespace " + GeneratedNamespace);
            w.Line("using DriftMethod = global::ModelMonitoring.DriftMethod;");
            w.Line("using FeatureKind = global::ModelMonitoring.FeatureKind;");
            w.Line("using Runtime = global::ModelMonitoring.Runtime;");
            w.Line();
            EmitHelperClass(w, model, helper);

            // One interceptor per tracked method and receiver type: the model's own type, or a subclass whose override a call binds to.
            var intercepted = model.Methods
                .Where(m => !m.IsPartial)
                .SelectMany(m => directCalls.Where(c => c.TargetKey == m.Key)
                    .GroupBy(c => c.ReceiverType ?? string.Empty, StringComparer.Ordinal)
                    .OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => (Method: m, Receiver: g.Key.Length == 0 ? null : g.Key, Calls: g.OrderBy(c => c.Data, StringComparer.Ordinal).ToList())))
                .ToList();
            var interceptorNames = new HashSet<string>(StringComparer.Ordinal);
            if (intercepted.Count > 0)
            {
                w.Line();
                w.Doc("Replaces each call of a tracked method of <c>" + XmlEscape(Display(model.Type.FullyQualifiedName)) + "</c> with its monitored wrapper.");
                w.Line(GeneratedCodeAttribute);
                w.Open("file static class Interceptors");
                for (int i = 0; i < intercepted.Count; i++)
                {
                    if (i > 0)
                    {
                        w.Line();
                    }

                    (MethodSpec method, string? receiver, List<CallSiteSpec> calls) = intercepted[i];
                    string name = UniqueName(interceptorNames, MonitorField(method) + (receiver is null ? string.Empty : "_On" + Sanitize(SimpleName(receiver))));
                    EmitInterceptor(w, model, helper, method, receiver, name, calls);
                }

                w.Close();
            }

            w.Close();
            if (intercepted.Count > 0)
            {
                EmitInterceptsLocationAttribute(w);
            }

            return w.ToString();
        }

        /// <summary>The generated bodies of partial-mode methods, in a partial declaration of the model type.</summary>
        public static string EmitPartialMethods(ModelSpec model, string helper)
        {
            var w = new SourceWriter();
            Header(w, nullableEnabled: model.Methods.Where(m => m.IsPartial).All(m => m.PartialNullableEnabled));
            if (model.Type.Namespace is not null)
            {
                w.Open("namespace " + model.Type.Namespace);
            }

            foreach (ContainingTypeSpec container in model.Type.Containers)
            {
                w.Open("partial " + container.Keyword + " " + container.Name + container.TypeParameterList);
            }

            bool first = true;
            foreach (MethodSpec method in model.Methods.Where(m => m.IsPartial))
            {
                if (!first)
                {
                    w.Line();
                }

                first = false;
                w.Line(GeneratedCodeAttribute);
                string modifiers = string.Join(" ", method.PartialModifiers.Concat(new[] { "partial" }));
                string head = modifiers + " " + ReturnTypeText(method) + " " + Parser.Escape(method.Name) + TypeParameterList(method.TypeParameters) + "(";
                w.List(head, method.Parameters.Select((p, i) => ParameterDeclaration(p, isThis: method.IsExtension && i == 0)).ToList(), ")");
                Constraints(w, method.TypeParameterConstraints);
                w.OpenBrace();
                string core = Parser.Escape(method.Name + "Core") + TypeParameterList(method.TypeParameters);
                string receiver = method.IsStatic ? model.Type.FullyQualifiedName + "." : "this.";
                EmitWrapperBody(w, method, helper, receiver + core, ArgumentList(method.Parameters));
                w.Close();
            }

            foreach (ContainingTypeSpec _ in model.Type.Containers)
            {
                w.Close();
            }

            if (model.Type.Namespace is not null)
            {
                w.Close();
            }

            return w.ToString();
        }

        /// <summary>
        /// Interceptors of calls through an interface or a base class (the dependency injection pattern: a service gets
        /// <c>IPricingModel</c>): when the receiver is a monitored model, the call goes through its wrapper; otherwise it is made
        /// as written. Returns null when no such call reaches a monitored model.
        /// </summary>
        public static string? EmitDispatch(IReadOnlyList<CallSiteSpec> dispatchCalls, IReadOnlyList<ModelSpec> models, IReadOnlyDictionary<string, string> helpers)
        {
            var implementations = models
                .SelectMany(m => m.Methods.SelectMany(method => method.DispatchKeys.Select(key => (Key: key, Model: m, Method: method))))
                .ToLookup(x => x.Key, StringComparer.Ordinal);
            var groups = dispatchCalls
                .GroupBy(c => c.TargetKey, StringComparer.Ordinal)
                .Where(g => implementations.Contains(g.Key))
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToList();
            if (groups.Count == 0)
            {
                return null;
            }

            var w = new SourceWriter();
            Header(w, nullableEnabled: true);
            w.Open("namespace " + GeneratedNamespace);
            w.Doc("Calls through interfaces and base classes that monitored models implement: the receiver's type decides.");
            w.Line(GeneratedCodeAttribute);
            w.Open("file static class DispatchInterceptors");
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (int g = 0; g < groups.Count; g++)
            {
                if (g > 0)
                {
                    w.Line();
                }

                DispatchTargetSpec target = groups[g].First().Dispatch!;
                var candidates = implementations[groups[g].Key]
                    .OrderByDescending(x => x.Model.Type.Depth)
                    .ThenBy(x => x.Model.Type.FullyQualifiedName, StringComparer.Ordinal)
                    .ToList();
                string name = UniqueName(names, Sanitize(target.ReceiverName) + "_" + target.Name);
                w.Doc("Calls of <c>" + XmlEscape(Display(groups[g].Key)) + "</c>: monitored when the receiver is "
                    + string.Join(" or ", candidates.Select(c => "<c>" + XmlEscape(Display(c.Model.Type.FullyQualifiedName)) + "</c>")) + ".");
                foreach (CallSiteSpec call in groups[g].OrderBy(c => c.Data, StringComparer.Ordinal))
                {
                    w.Line("// " + call.DisplayLocation);
                    w.Line("[" + InterceptsLocation + "(" + call.Version.ToString(CultureInfo.InvariantCulture) + ", \"" + call.Data + "\")]");
                }

                string receiver = target.Prefix + "Receiver";
                var parameters = new List<string> { "this " + target.ReceiverType + " " + receiver };
                parameters.AddRange(target.Parameters.Select(p => ParameterDeclaration(p, isThis: false)));
                w.List("internal static " + target.ReturnType + " " + name + "(", parameters, ")");
                w.OpenBrace();
                bool returns = target.ReturnType != "void";
                for (int c = 0; c < candidates.Count; c++)
                {
                    string local = target.Prefix + "Model" + c.ToString(CultureInfo.InvariantCulture);
                    w.Open("if (" + receiver + " is " + candidates[c].Model.Type.FullyQualifiedName + " " + local + ")");
                    var callArguments = ArgumentList(target.Parameters);
                    callArguments.Insert(0, local);
                    string callee = Qualified(helpers[candidates[c].Model.Type.MetadataName], CallMethod(candidates[c].Method)) + "(";
                    if (returns)
                    {
                        w.List("return " + callee, callArguments, ");");
                    }
                    else
                    {
                        w.List(callee, callArguments, ");");
                        w.Line("return;");
                    }

                    w.Close();
                    w.Line();
                }

                w.List((returns ? "return " : string.Empty) + receiver + "." + Parser.Escape(target.Name) + "(", ArgumentList(target.Parameters), ");");
                w.Close();
            }

            w.Close();
            w.Close();
            EmitInterceptsLocationAttribute(w);
            return w.ToString();
        }

        /// <summary>Registers every model of the compilation when the assembly loads, so the catalog knows it before its first call.</summary>
        public static string EmitCatalog(IReadOnlyList<ModelSpec> models, IReadOnlyDictionary<string, string> helpers, bool hasModuleInitializer)
        {
            var w = new SourceWriter();
            Header(w, nullableEnabled: true);
            w.Open("namespace " + GeneratedNamespace);
            w.Doc("Every monitored model of this assembly, registered with the ModelMonitoring registry at start-up.");
            w.Line(GeneratedCodeAttribute);
            w.Open("internal static class ModelCatalogRegistration");
            w.Doc("The descriptors of this assembly's monitored models.");
            w.Line("internal static global::ModelMonitoring.Runtime.ModelDescriptor[] Models => new global::ModelMonitoring.Runtime.ModelDescriptor[]");
            w.Line("{");
            foreach (ModelSpec model in models)
            {
                w.Line("    global::" + GeneratedNamespace + "." + helpers[model.Type.MetadataName] + ".Descriptor,");
            }

            w.Line("};");
            w.Line();
            w.Doc("Registers each model, so that its instruments exist before its first prediction.");
            if (hasModuleInitializer)
            {
                w.Line("[global::System.Runtime.CompilerServices.ModuleInitializer]");
            }

            w.Open("internal static void Register()");
            foreach (ModelSpec model in models)
            {
                w.Line("_ = global::" + GeneratedNamespace + "." + helpers[model.Type.MetadataName] + ".Registration;");
            }

            w.Close();
            w.Close();
            w.Close();
            return w.ToString();
        }

        private static void Header(SourceWriter w, bool nullableEnabled)
        {
            w.Line("// <auto-generated/>");
            w.Line("// Generated by ModelMonitoring.Generators from [MonitoredModel] and [DriftTracked]. Do not edit.");
            w.Line(nullableEnabled ? "#nullable enable" : "#nullable disable");
            w.Line("#pragma warning disable CS0612, CS0618 // a model or a feature may be obsolete; monitoring it is not");
            w.Line();
        }

        private static void EmitInterceptsLocationAttribute(SourceWriter w)
        {
            w.Line();
            w.Open("namespace System.Runtime.CompilerServices");
            w.Line("[global::System.AttributeUsage(global::System.AttributeTargets.Method, AllowMultiple = true)]");
            w.Open("file sealed class InterceptsLocationAttribute : global::System.Attribute");
            w.Open("public InterceptsLocationAttribute(int version, string data)");
            w.Line("_ = version;");
            w.Line("_ = data;");
            w.Close();
            w.Close();
            w.Close();
        }

        private static void EmitHelperClass(SourceWriter w, ModelSpec model, string helper)
        {
            w.Doc("Monitoring of <c>" + XmlEscape(Display(model.Type.FullyQualifiedName)) + "</c> (model \"" + XmlEscape(model.ModelName)
                + "\"): its descriptor, and how each call is recorded.");
            w.Line(GeneratedCodeAttribute);
            w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
            w.Open("internal static class " + helper);
            EmitDescriptor(w, model);
            w.Line();
            w.Doc("The model as registered in this process: one monitor per tracked method.");
            w.Line("internal static readonly Runtime.RegisteredModel Registration = Runtime.ModelRegistry.Register(Descriptor);");
            foreach (MethodSpec method in model.Methods)
            {
                w.Line();
                w.Doc("The monitor of <c>" + XmlEscape(method.Name) + "</c>.");
                w.Line("internal static readonly Runtime.PredictionMonitor " + MonitorField(method) + " = Registration.Methods["
                    + method.Index.ToString(CultureInfo.InvariantCulture) + "];");
            }

            var enumLabels = EnumLabelMethods(model);
            foreach (MethodSpec method in model.Methods)
            {
                w.Line();
                EmitCallStruct(w, method);
                if (!method.IsPartial)
                {
                    w.Line();
                    EmitCallMethod(w, model, helper, method);
                }

                if (method.Invocation == InvocationKind.UnsafeAccessor)
                {
                    w.Line();
                    EmitUnsafeAccessor(w, model, method);
                }

                w.Line();
                EmitBegin(w, helper, method, enumLabels);
                w.Line();
                EmitRecord(w, method, enumLabels);
                w.Line();
                EmitRecordFailed(w, method);
                EmitCompletion(w, method);
            }

            foreach (KeyValuePair<string, (string Method, FeatureSpec Feature)> label in enumLabels.OrderBy(l => l.Value.Method, StringComparer.Ordinal))
            {
                w.Line();
                FeatureSpec feature = label.Value.Feature;
                w.Doc("The name of a <c>" + XmlEscape(feature.ClrType) + "</c> value, from a table: no allocation.");
                w.Line("private static string? " + label.Value.Method + "(" + feature.EnumType + "? value) => value switch");
                w.Line("{");
                w.Line("    null => null,");
                foreach (string member in feature.EnumMembers)
                {
                    w.Line("    " + feature.EnumType + "." + Parser.Escape(member) + " => " + Literal(member) + ",");
                }

                w.Line("    _ => Runtime.FeatureValues.OtherEnumValue,");
                w.Line("};");
            }

            var conversions = model.Methods.SelectMany(m => m.Features).Select(f => f.Conversion).ToList();
            if (conversions.Contains(ValueConversion.DateOnly))
            {
                w.Line();
                w.Doc("A date as seconds since the Unix epoch, at midnight UTC; NaN when missing.");
                w.Line("private static double " + DateOnlyMethod + "(global::System.DateOnly? value) =>");
                w.Line("    value is { } day ? Runtime.FeatureValues.ToNumber(day.ToDateTime(default, global::System.DateTimeKind.Utc)) : double.NaN;");
            }

            if (conversions.Contains(ValueConversion.TimeOnly))
            {
                w.Line();
                w.Doc("A time of day as seconds since midnight; NaN when missing.");
                w.Line("private static double " + TimeOnlyMethod + "(global::System.TimeOnly? value) =>");
                w.Line("    value is { } time ? Runtime.FeatureValues.ToNumber(time.ToTimeSpan()) : double.NaN;");
            }

            w.Close();
        }

        private static void EmitDescriptor(SourceWriter w, ModelSpec model)
        {
            w.Doc("What the registry knows about the model.");
            w.Line("internal static readonly Runtime.ModelDescriptor Descriptor = new Runtime.ModelDescriptor(");
            w.Indent();
            w.Line("name: " + Literal(model.ModelName) + ",");
            w.Line("version: " + Literal(model.Version) + ",");
            w.Line("owner: " + Literal(model.Owner) + ",");
            w.Line("squad: " + Literal(model.Squad) + ",");
            w.Line("typeName: " + Literal(model.Type.MetadataName) + ",");
            w.Line("trainedAt: " + Literal(model.TrainedAt) + ",");
            w.Line("methods: new Runtime.MethodDescriptor[]");
            w.Line("{");
            w.Indent();
            foreach (MethodSpec method in model.Methods)
            {
                w.Line("new Runtime.MethodDescriptor(");
                w.Indent();
                w.Line("name: " + Literal(method.Name) + ",");
                w.Line("signature: " + Literal(method.Key) + ",");
                w.Line("isBatch: " + Bool(method.BatchParameterIndex >= 0) + ",");
                w.Line("isAsync: " + Bool(method.ReturnKind is not (ReturnKind.Void or ReturnKind.Value)) + ",");
                w.Line("features: new Runtime.FeatureDescriptor[]");
                w.Line("{");
                w.Indent();
                foreach (FeatureSpec feature in method.Features)
                {
                    w.Packed("new Runtime.FeatureDescriptor(", new[]
                    {
                        "name: " + Literal(feature.Name),
                        "kind: FeatureKind." + (feature.Kind == ValueKind.Numerical ? "Numerical" : "Categorical"),
                        "storage: Runtime.FeatureStorage." + feature.Storage,
                        "slot: " + feature.Slot.ToString(CultureInfo.InvariantCulture),
                        "source: Runtime.FeatureSource." + (feature.IsPrediction ? "Prediction" : "Input"),
                        "clrType: " + Literal(feature.ClrType),
                        "isSensitive: " + Bool(feature.IsSensitive),
                        "maxCategories: " + feature.MaxCategories.ToString(CultureInfo.InvariantCulture),
                        "driftMethod: " + DriftMethodText(feature.DriftMethod),
                        "driftThreshold: " + DoubleLiteral(feature.DriftThreshold),
                    }, "),");
                }

                w.Outdent();
                w.Line("}),");
                w.Outdent();
            }

            w.Outdent();
            w.Line("});");
            w.Outdent();
        }

        private static void EmitCallStruct(SourceWriter w, MethodSpec method)
        {
            w.Doc("A call of <c>" + XmlEscape(method.Name) + "</c> in progress: its start, its activity, and its input features, read before the model runs.");
            w.Open("internal struct " + CallStruct(method));
            w.Doc("When the call started, in <see cref=\"global::System.Diagnostics.Stopwatch\"/> ticks.");
            w.Line("internal long Started;");
            w.Line();
            w.Doc("The call's activity, when someone listens to the ModelMonitoring source.");
            w.Line("internal Runtime.ActivityScope Activity;");
            w.Line();
            w.Doc("Whether the input features were read: monitoring is on and no getter threw.");
            w.Line("internal bool IsCaptured;");
            if (method.PredictionKey is { } key)
            {
                w.Line();
                w.Line("internal global::ModelMonitoring.PredictionKey Key; // [PredictionKey] " + key.Name);
            }

            var scalars = ScalarInputs(method).ToList();
            if (scalars.Count > 0)
            {
                w.Line();
                foreach (FeatureSpec feature in scalars)
                {
                    w.Line("internal " + (feature.Storage == ValueStorage.Number ? "double " : "string? ") + Field(feature) + "; // " + feature.Name);
                }
            }

            if (method.BatchParameterIndex >= 0)
            {
                w.Line();
                w.Doc("The features of each item of <c>" + XmlEscape(method.Parameters[method.BatchParameterIndex].Name) + "</c>: "
                    + XmlEscape(string.Join(", ", BatchInputs(method).Select(f => f.Name))) + ".");
                w.Line("internal Runtime.CapturedBatch Items;");
            }

            w.Close();
        }

        /// <summary>The monitored wrapper of an interceptor-mode method, which every interceptor of its calls forwards to.</summary>
        private static void EmitCallMethod(SourceWriter w, ModelSpec model, string helper, MethodSpec method)
        {
            string target = method.Prefix + "Model";
            w.Doc("Calls <c>" + XmlEscape(method.Name) + "</c> and records the call: the interceptors of its call sites forward here.");
            var parameters = new List<string>();
            if (!method.IsStatic)
            {
                parameters.Add(model.Type.FullyQualifiedName + " " + target);
            }

            parameters.AddRange(method.Parameters.Select(p => ParameterDeclaration(p, isThis: false)));
            string typeParameters = TypeParameterList(model.Type.TypeParameters.Concat(method.TypeParameters));
            w.List("internal static " + ReturnTypeText(method) + " " + CallMethod(method) + typeParameters + "(", parameters, ")");
            Constraints(w, model.Type.TypeParameterConstraints.Concat(method.TypeParameterConstraints));
            w.OpenBrace();
            List<string> arguments = ArgumentList(method.Parameters);
            if (method.Invocation == InvocationKind.UnsafeAccessor)
            {
                arguments.Insert(0, method.IsStatic ? "null" : target);
                EmitWrapperBody(w, method, helper, Qualified(helper, "Invoke" + MonitorField(method)), arguments);
            }
            else
            {
                string receiver = method.IsStatic ? model.Type.FullyQualifiedName : target;
                EmitWrapperBody(w, method, helper, receiver + "." + Parser.Escape(method.Name) + TypeParameterList(method.TypeParameters), arguments);
            }
            w.Close();
        }

        private static void EmitUnsafeAccessor(SourceWriter w, ModelSpec model, MethodSpec method)
        {
            w.Doc("Calls <c>" + XmlEscape(method.Name) + "</c>, which is not public or internal: generated code reaches it this way.");
            w.List("[global::System.Runtime.CompilerServices.UnsafeAccessor(", new[]
            {
                "global::System.Runtime.CompilerServices.UnsafeAccessorKind." + (method.IsStatic ? "StaticMethod" : "Method"),
                "Name = " + Literal(method.Name),
            }, ")]");
            var parameters = new List<string> { model.Type.FullyQualifiedName + (method.IsStatic ? "? " : " ") + method.Prefix + "Model" };
            parameters.AddRange(method.Parameters.Select(p => ParameterDeclaration(p, isThis: false)));
            w.List("private static extern " + ReturnTypeText(method) + " Invoke" + MonitorField(method) + "(", parameters, ");");
        }

        /// <summary>
        /// The wrapper around one call, identical in interceptor and partial mode: begin (clock, activity, inputs), call the
        /// model, record. The model's exception passes through an exception filter that records it and returns false, so it
        /// reaches the caller as the same instance with its stack trace untouched. A task is returned as it is, so that the
        /// caller sees every exception of a faulted task; it is recorded when it completes.
        /// </summary>
        private static void EmitWrapperBody(SourceWriter w, MethodSpec method, string helper, string callee, List<string> arguments)
        {
            string call = method.Prefix + "Call";
            string exception = method.Prefix + "Exception";
            string result = method.Prefix + "Result";
            var beginArguments = method.Parameters.Where(p => p.Captured).Select(p => (p.RefKind is ParameterRefKind.In or ParameterRefKind.RefReadOnly ? "in " : string.Empty) + p.Name).ToList();
            beginArguments.Add("out " + Qualified(helper, CallStruct(method)) + " " + call);
            w.List(Qualified(helper, "Begin" + MonitorField(method)) + "(", beginArguments, ");");

            string recordFailed = Qualified(helper, "RecordFailed" + MonitorField(method));
            string record = Qualified(helper, "Record" + MonitorField(method));
            bool isRef = method.ReturnRefKind != ReturnRefKind.None;
            switch (method.ReturnKind)
            {
                case ReturnKind.Void:
                    w.Open("try");
                    w.List(callee + "(", arguments, ");");
                    w.Close();
                    FailureFilter(w, exception, recordFailed, call);
                    w.Line();
                    w.Line(record + "(in " + call + ");");
                    break;

                case ReturnKind.Value when isRef:
                    string refKeyword = method.ReturnRefKind == ReturnRefKind.RefReadOnly ? "ref readonly " : "ref ";
                    w.Line(refKeyword + method.ReturnType + " " + result + " = ref global::System.Runtime.CompilerServices.Unsafe.NullRef<" + method.ReturnType + ">();");
                    w.Open("try");
                    w.List(result + " = ref " + callee + "(", arguments, ");");
                    w.Close();
                    FailureFilter(w, exception, recordFailed, call);
                    w.Line();
                    w.Line(record + "(in " + call + (method.ResultCaptured ? ", " + result : string.Empty) + ");");
                    w.Line("return ref " + result + ";");
                    break;

                case ReturnKind.Value:
                    w.Line(method.ReturnType + " " + result + ";");
                    w.Open("try");
                    w.List(result + " = " + callee + "(", arguments, ");");
                    w.Close();
                    FailureFilter(w, exception, recordFailed, call);
                    w.Line();
                    w.Line(record + "(in " + call + (method.ResultCaptured ? ", " + result : string.Empty) + ");");
                    w.Line("return " + result + ";");
                    break;

                default:
                    string task = method.Prefix + (method.ReturnKind == ReturnKind.AsyncEnumerable ? "Stream" : "Task");
                    w.Line(method.ReturnType + " " + task + ";");
                    w.Open("try");
                    w.List(task + " = " + callee + "(", arguments, ");");
                    w.Close();
                    FailureFilter(w, exception, recordFailed, call);
                    w.Line();
                    w.Line("// The model has returned: the caller's Activity.Current is what it was before the call.");
                    w.Line(call + ".Activity.RestorePrevious();");
                    w.Line(method.ReturnKind == ReturnKind.AsyncEnumerable
                        ? "return " + Qualified(helper, "Stream" + MonitorField(method)) + "(" + task + ", in " + call + ");"
                        : "return " + Qualified(helper, "Complete" + MonitorField(method)) + "(" + task + ", in " + call + ");");
                    break;
            }
        }

        private static void FailureFilter(SourceWriter w, string exception, string recordFailed, string call)
        {
            string filter = "when (" + recordFailed + "(in " + call + ", " + exception + "))";
            string head = "catch (" + ExceptionType + " " + exception + ")";
            if (w.Fits(head + " " + filter))
            {
                w.Line(head + " " + filter);
            }
            else
            {
                w.Line(head);
                w.Indent();
                w.List("when (" + recordFailed + "(", new[] { "in " + call, exception }, "))");
                w.Outdent();
            }

            w.OpenBrace();
            w.Line("throw; // not reached: the filter records the failure and returns false, so the exception passes through unchanged");
            w.Close();
        }

        /// <summary>Begins a call: the clock, the activity, and the input features, read before the model runs (it may change them).</summary>
        private static void EmitBegin(SourceWriter w, string helper, MethodSpec method, Dictionary<string, (string Method, FeatureSpec Feature)> enumLabels)
        {
            string call = method.Prefix + "Call";
            string monitor = Qualified(helper, MonitorField(method));
            foreach (SkippedSpec skipped in method.Skipped)
            {
                w.Line("// Not captured: " + skipped.Name + " (" + SkipText(skipped) + ").");
            }

            w.Doc("Begins a call of <c>" + XmlEscape(method.Name) + "</c>: starts its clock and activity, and reads its input features. Never throws.");

            var parameters = method.Parameters.Where(p => p.Captured).Select(p => ParameterDeclaration(p with { RefKind = p.RefKind == ParameterRefKind.RefReadOnly ? ParameterRefKind.In : p.RefKind, IsParams = false, IsScoped = false }, isThis: false)).ToList();
            parameters.Add("out " + CallStruct(method) + " " + call);
            w.List("internal static void Begin" + MonitorField(method) + "(", parameters, ")");
            w.OpenBrace();
            w.Line(call + " = default;");
            w.Line(call + ".Started = global::System.Diagnostics.Stopwatch.GetTimestamp();");
            w.Line(call + ".Activity = " + monitor + ".StartActivity();");
            var scalars = ScalarInputs(method).ToList();
            var items = BatchInputs(method).ToList();
            if (scalars.Count == 0 && items.Count == 0 && method.PredictionKey is null)
            {
                w.Line(call + ".IsCaptured = true;");
                w.Close();
                return;
            }

            w.Open("if (!" + monitor + ".IsRecording)");
            w.Line("return;");
            w.Close();
            w.Line();
            string exception = method.Prefix + "Exception";
            w.Open("try");
            if (method.PredictionKey is { } key)
            {
                w.Split(call + ".Key =", KeyValue(key) + "; // [PredictionKey] " + key.Name);
            }

            foreach (FeatureSpec feature in scalars)
            {
                w.Split(call + "." + Field(feature) + " =", Value(feature, InputAccess(feature, method.Prefix + "Item"), helper, enumLabels) + "; // " + FeatureComment(feature));
            }

            if (items.Count > 0)
            {
                ParameterSpec batch = method.Parameters[method.BatchParameterIndex];
                string count = method.Prefix + "Count";
                string index = method.Prefix + "Index";
                string item = method.Prefix + "Item";
                int numbers = method.Features.Count(f => !f.IsPrediction && f.Storage == ValueStorage.Number);
                int labels = method.Features.Count(f => !f.IsPrediction && f.Storage == ValueStorage.Label);
                w.Line("int " + count + " = " + batch.Name + " is null ? 0 : " + batch.Name + "." + method.BatchCountMember + ";");
                w.Line(call + ".Items = " + RuntimeNamespace + ".CapturedBatch.Rent(" + count + ", numberSlots: " + numbers.ToString(CultureInfo.InvariantCulture)
                    + ", labelSlots: " + labels.ToString(CultureInfo.InvariantCulture) + ");");
                w.Open("for (int " + index + " = 0; " + index + " < " + count + "; " + index + "++)");
                w.Line(method.BatchItemType + " " + item + " = " + batch.Name + "![" + index + "];");
                foreach (FeatureSpec feature in items)
                {
                    string setter = feature.Storage == ValueStorage.Number ? ".SetNumber(" : ".SetLabel(";
                    w.Split(call + ".Items" + setter + index + ", " + feature.Slot.ToString(CultureInfo.InvariantCulture) + ",",
                        Value(feature, InputAccess(feature, item), helper, enumLabels) + "); // " + FeatureComment(feature));
                }

                w.Close();
                w.Line();
            }

            w.Line(call + ".IsCaptured = true;");
            w.Close();
            w.Open("catch (" + ExceptionType + " " + exception + ")");
            if (items.Count > 0)
            {
                w.Line(call + ".Items.Return();");
                w.Line(call + ".Items = default;");
            }

            w.Line(monitor + ".ReportCaptureFailure(" + exception + ");");
            w.Close();
            w.Close();
        }

        /// <summary>Records a call that returned: latency, outcome, the inputs read at the start, and the prediction.</summary>
        private static void EmitRecord(SourceWriter w, MethodSpec method, Dictionary<string, (string Method, FeatureSpec Feature)> enumLabels)
        {
            w.Doc("Records a successful call of <c>" + XmlEscape(method.Name) + "</c>: latency, outcome, input features and prediction. Never throws.");
            var parameters = new List<string> { "in " + CallStruct(method) + " call" };
            if (method.ResultCaptured)
            {
                parameters.Add(method.ResultType + " result");
            }

            w.List("internal static void Record" + MonitorField(method) + "(", parameters, ")");
            w.OpenBrace();
            var predictions = method.Features.Where(f => f.IsPrediction).ToList();
            if (method.BatchParameterIndex >= 0)
            {
                EmitBatchRecord(w, method, predictions, enumLabels);
                w.Close();
                return;
            }

            w.Line("Runtime.FeatureRow row = " + MonitorField(method) + ".BeginRow(call.Started, call.Activity);");
            w.Open("if (call.IsCaptured)");
            foreach (FeatureSpec feature in ScalarInputs(method))
            {
                w.Line(SetFromCall(feature));
            }

            EmitKeyAndSegment(w, method);
            if (predictions.Count > 0)
            {
                bool canThrow = predictions.Any(f => f.Origin == ValueOrigin.ResultProperty);
                if (canThrow)
                {
                    w.Open("try");
                }

                foreach (FeatureSpec feature in predictions)
                {
                    w.Line(Set(feature, Value(feature, PredictionAccess(feature, "result"), helper: null, enumLabels)));
                }

                if (canThrow)
                {
                    w.Close();
                    w.Open("catch (" + ExceptionType + " exception)");
                    w.Line("row.Fail(exception); // a getter of the prediction threw: the call is counted, its features are not");
                    w.Close();
                }
            }

            w.Close();
            w.Open("else");
            w.Line("row.SkipFeatures();");
            w.Close();
            w.Line();
            w.Line("row.Commit();");
            w.Close();
        }

        private static void EmitBatchRecord(SourceWriter w, MethodSpec method, List<FeatureSpec> predictions, Dictionary<string, (string Method, FeatureSpec Feature)> enumLabels)
        {
            string monitor = MonitorField(method);
            w.Line("Runtime.CapturedBatch items = call.Items;");
            w.Line("Runtime.FeatureRow row = " + monitor + ".BeginRow(call.Started, call.Activity);");
            w.Open("try");
            w.Open("if (!call.IsCaptured)");
            w.Line("row.SkipFeatures();");
            w.Line("return;");
            w.Close();
            w.Line();
            bool resultIsBatch = method.ResultIsBatch && method.ResultCaptured;
            w.Line("int predictionCount = " + (resultIsBatch ? "result is null ? 0 : result." + method.ResultCountMember : predictions.Count > 0 ? "1" : "0") + ";");
            w.Line("int rowCount = items.Count > predictionCount ? items.Count : predictionCount;");
            w.Open("if (rowCount == 0)");
            w.Line("row.SkipFeatures();");
            w.Close();
            w.Line();
            w.Open("for (int index = 0; index < rowCount; index++)");
            w.Open("if (index > 0)");
            w.Line("row.Commit();");
            w.Line("row = " + monitor + ".BeginFeatureRow();");
            w.Close();
            w.Line();
            foreach (FeatureSpec feature in ScalarInputs(method))
            {
                w.Line(SetFromCall(feature));
            }

            EmitKeyAndSegment(w, method);
            var itemFeatures = BatchInputs(method).ToList();
            w.Open("if (index < items.Count)");
            foreach (FeatureSpec feature in itemFeatures)
            {
                w.Line(Set(feature, (feature.Storage == ValueStorage.Number ? "items.GetNumber(index, " : "items.GetLabel(index, ") + feature.Slot.ToString(CultureInfo.InvariantCulture) + ")"));
            }

            w.Close();
            w.Open("else");
            foreach (FeatureSpec feature in itemFeatures)
            {
                w.Line(SetMissing(feature));
            }

            w.Close();
            if (predictions.Count > 0)
            {
                w.Line();
                w.Open("if (index < predictionCount)");
                if (resultIsBatch)
                {
                    w.Line(method.ResultItemType + " item = result![index];");
                }

                foreach (FeatureSpec feature in predictions)
                {
                    w.Line(Set(feature, Value(feature, PredictionAccess(feature, resultIsBatch ? "item" : "result"), helper: null, enumLabels)));
                }

                w.Close();
                w.Open("else");
                foreach (FeatureSpec feature in predictions)
                {
                    w.Line(SetMissing(feature));
                }

                w.Close();
            }

            w.Close();
            w.Close();
            w.Open("catch (" + ExceptionType + " exception)");
            w.Line("row.Fail(exception); // a getter of the prediction threw: the call is counted, its features are not");
            w.Close();
            w.Open("finally");
            w.Line("row.Commit();");
            w.Line("items.Return();");
            w.Close();
        }

        /// <summary>Records a call that threw, with the inputs it was given (the prediction is missing). Returns false for the filter.</summary>
        private static void EmitRecordFailed(SourceWriter w, MethodSpec method)
        {
            w.Doc("Records a call of <c>" + XmlEscape(method.Name) + "</c> that threw, with the inputs it was given. Always returns false, so that an exception filter lets the exception pass unchanged. Never throws.");
            w.List("internal static bool RecordFailed" + MonitorField(method) + "(", new[] { "in " + CallStruct(method) + " call", ExceptionType + " exception" }, ")");
            w.OpenBrace();
            bool batch = method.BatchParameterIndex >= 0;
            if (batch)
            {
                w.Line("Runtime.CapturedBatch items = call.Items;");
            }

            w.Line("Runtime.FeatureRow row = " + MonitorField(method) + ".BeginFailedRow(call.Started, exception, call.Activity);");
            w.Open("if (call.IsCaptured)");
            foreach (FeatureSpec feature in ScalarInputs(method))
            {
                w.Line(SetFromCall(feature));
            }

            EmitKeyAndSegment(w, method);

            if (batch)
            {
                w.Line("// A failed batch is one row: the call, with the first item's inputs.");
                foreach (FeatureSpec feature in BatchInputs(method))
                {
                    string read = (feature.Storage == ValueStorage.Number ? "items.GetNumber(0, " : "items.GetLabel(0, ") + feature.Slot.ToString(CultureInfo.InvariantCulture) + ")";
                    string missing = feature.Storage == ValueStorage.Number ? "double.NaN" : "null";
                    w.Line(Set(feature, "items.Count > 0 ? " + read + " : " + missing));
                }
            }

            foreach (FeatureSpec feature in method.Features.Where(f => f.IsPrediction))
            {
                w.Line(SetMissing(feature));
            }

            w.Close();
            w.Open("else");
            w.Line("row.SkipFeatures();");
            w.Close();
            w.Line();
            w.Line("row.Commit();");
            if (batch)
            {
                w.Line("items.Return();");
            }

            w.Line("return false;");
            w.Close();
        }

        /// <summary>For asynchronous methods: the completion of the returned task (or stream) records the call.</summary>
        private static void EmitCompletion(SourceWriter w, MethodSpec method)
        {
            string name = MonitorField(method);
            string callStruct = CallStruct(method);
            string recordArgs = method.ResultCaptured ? "in call, completed.Result" : "in call";
            if (method.ReturnKind == ReturnKind.AsyncEnumerable)
            {
                EmitStream(w, method);
                return;
            }

            if (method.ReturnKind is ReturnKind.Void or ReturnKind.Value)
            {
                return;
            }

            bool generic = method.ReturnKind is ReturnKind.TaskOfResult or ReturnKind.ValueTaskOfResult && !method.ResultCaptured;
            bool hasResult = method.ReturnKind is ReturnKind.TaskOfResult or ReturnKind.ValueTaskOfResult;
            string resultType = generic ? "TResult" : method.ResultType ?? string.Empty;
            string taskType = hasResult ? Tasks + ".Task<" + resultType + ">" : Tasks + ".Task";
            string typeParameters = generic ? "<TResult>" : string.Empty;

            w.Line();
            w.Doc("Records the call of <c>" + XmlEscape(method.Name) + "</c> when its task completes, and returns the same task, so that the caller sees every exception of a faulted task. Never throws.");
            w.List("internal static " + taskType + " Complete" + name + typeParameters + "(", new[] { taskType + " task", "in " + callStruct + " call" }, ")");
            w.OpenBrace();
            w.Open("if (task is null)");
            w.Line("RecordFailed" + name + "(in call, new global::System.NullReferenceException(" + Literal(method.Name + " returned a null task.") + "));");
            w.Line("return task!;");
            w.Close();
            w.Line();
            w.Open("if (task.IsCompletedSuccessfully)");
            w.Line("Record" + name + "(" + (method.ResultCaptured ? "in call, task.Result" : "in call") + ");");
            w.Line("return task;");
            w.Close();
            w.Line();
            w.Line(callStruct + " pending = call;");
            w.Line("_ = task.ContinueWith(");
            w.Indent();
            w.Line("completed => Completed" + name + typeParameters + "(completed, in pending),");
            w.Line("global::System.Threading.CancellationToken.None,");
            w.Line(Tasks + ".TaskContinuationOptions.ExecuteSynchronously,");
            w.Line(Tasks + ".TaskScheduler.Default);");
            w.Outdent();
            w.Line("return task;");
            w.Close();

            w.Line();
            w.List("private static void Completed" + name + typeParameters + "(", new[] { taskType + " completed", "in " + callStruct + " call" }, ")");
            w.OpenBrace();
            w.Open("if (completed.IsCompletedSuccessfully)");
            w.Line("Record" + name + "(" + recordArgs + ");");
            w.Close();
            w.Open("else");
            w.Line("// A faulted task is recorded with its first exception; a canceled one, which has none, as canceled.");
            w.Split("RecordFailed" + name + "(in call,", "completed.Exception?.InnerException ?? new " + Tasks + ".TaskCanceledException(completed));");
            w.Close();
            w.Close();

            if (method.ReturnKind is ReturnKind.ValueTask or ReturnKind.ValueTaskOfResult)
            {
                string valueTaskType = hasResult ? Tasks + ".ValueTask<" + resultType + ">" : Tasks + ".ValueTask";
                w.Line();
                w.Doc("Records the call of <c>" + XmlEscape(method.Name) + "</c> when it completes: at once when it already has, without allocating; otherwise through its task. Never throws.");
                w.List("internal static " + valueTaskType + " Complete" + name + typeParameters + "(", new[] { valueTaskType + " task", "in " + callStruct + " call" }, ")");
                w.OpenBrace();
                w.Open("if (task.IsCompletedSuccessfully)");
                if (hasResult)
                {
                    w.Line(resultType + " result = task.Result;");
                    w.Line("Record" + name + "(" + (method.ResultCaptured ? "in call, result" : "in call") + ");");
                    w.Line("return new " + valueTaskType + "(result);");
                }
                else
                {
                    w.Line("task.GetAwaiter().GetResult();");
                    w.Line("Record" + name + "(in call);");
                    w.Line("return default;");
                }

                w.Close();
                w.Line();
                w.Line("return new " + valueTaskType + "(Complete" + name + typeParameters + "(task.AsTask(), in call));");
                w.Close();
            }
        }

        private static void EmitStream(SourceWriter w, MethodSpec method)
        {
            string name = MonitorField(method);
            string stream = "global::System.Collections.Generic.IAsyncEnumerable<TItem>";
            string box = "global::System.Runtime.CompilerServices.StrongBox<int>";
            w.Line();
            w.Doc("Records the call of <c>" + XmlEscape(method.Name) + "</c> when the enumeration of its stream ends: latency and outcome cover the enumeration. The first enumeration records the call; a stream enumerated again is not counted again.");
            w.List("internal static " + stream + " Stream" + name + "<TItem>(", new[] { stream + " stream", "in " + CallStruct(method) + " call" }, ")");
            w.Indent();
            w.Line("=> Enumerate" + name + "(stream, call, new " + box + "());");
            w.Outdent();
            w.Line();
            w.Doc("Enumerates a stream of <c>" + XmlEscape(method.Name) + "</c>: an exception during the enumeration is a failed call, and a caller that stops early ends a successful one.");
            w.List("private static async " + stream + " Enumerate" + name + "<TItem>(", new[]
            {
                stream + " stream",
                CallStruct(method) + " call",
                box + " enumerations",
                "[global::System.Runtime.CompilerServices.EnumeratorCancellation] global::System.Threading.CancellationToken cancellationToken = default",
            }, ")");
            w.OpenBrace();
            w.Open("if (global::System.Threading.Interlocked.Increment(ref enumerations.Value) > 1)");
            w.Line("// Enumerated again: the first enumeration recorded the call.");
            w.Line("global::System.Collections.Generic.IAsyncEnumerator<TItem> again = stream.GetAsyncEnumerator(cancellationToken);");
            w.Open("try");
            w.Open("while (await again.MoveNextAsync().ConfigureAwait(false))");
            w.Line("yield return again.Current;");
            w.Close();
            w.Close();
            w.Open("finally");
            w.Line("await again.DisposeAsync().ConfigureAwait(false);");
            w.Close();
            w.Line();
            w.Line("yield break;");
            w.Close();
            w.Line();
            w.Line("global::System.Collections.Generic.IAsyncEnumerator<TItem> enumerator;");
            w.Open("try");
            w.Line("enumerator = stream.GetAsyncEnumerator(cancellationToken);");
            w.Close();
            w.Line("catch (" + ExceptionType + " exception) when (RecordFailed" + name + "(in call, exception))");
            w.OpenBrace();
            w.Line("throw; // not reached: the filter records the failure and returns false");
            w.Close();
            w.Line();
            w.Line("bool failed = false;");
            w.Open("try");
            w.Open("while (true)");
            w.Line("bool hasItem;");
            w.Open("try");
            w.Line("hasItem = await enumerator.MoveNextAsync().ConfigureAwait(false);");
            w.Close();
            w.Open("catch (" + ExceptionType + " exception)");
            w.Line("failed = true;");
            w.Line("RecordFailed" + name + "(in call, exception);");
            w.Line("throw;");
            w.Close();
            w.Line();
            w.Open("if (!hasItem)");
            w.Line("break;");
            w.Close();
            w.Line();
            w.Line("yield return enumerator.Current;");
            w.Close();
            w.Close();
            w.Open("finally");
            w.Open("if (!failed)");
            w.Line("Record" + name + "(in call);");
            w.Close();
            w.Line();
            w.Line("await enumerator.DisposeAsync().ConfigureAwait(false);");
            w.Close();
            w.Close();
        }

        private static void EmitInterceptor(SourceWriter w, ModelSpec model, string helper, MethodSpec method, string? receiver, string name, List<CallSiteSpec> calls)
        {
            foreach (CallSiteSpec call in calls)
            {
                w.Line("// " + call.DisplayLocation);
                w.Line("[" + InterceptsLocation + "(" + call.Version.ToString(CultureInfo.InvariantCulture) + ", \"" + call.Data + "\")]");
            }

            string target = method.Prefix + "Model";
            var parameters = new List<string>();
            if (!method.IsStatic)
            {
                parameters.Add("this " + (receiver ?? model.Type.FullyQualifiedName) + " " + target);
            }

            parameters.AddRange(method.Parameters.Select((p, i) => ParameterDeclaration(p, isThis: method.IsExtension && i == 0)));
            string typeParameters = TypeParameterList(model.Type.TypeParameters.Concat(method.TypeParameters));
            w.List("internal static " + ReturnTypeText(method) + " " + name + typeParameters + "(", parameters, ")");
            Constraints(w, model.Type.TypeParameterConstraints.Concat(method.TypeParameterConstraints));
            List<string> arguments = ArgumentList(method.Parameters);
            if (!method.IsStatic)
            {
                arguments.Insert(0, target);
            }

            string forward = (method.ReturnRefKind != ReturnRefKind.None ? "=> ref " : "=> ")
                + Qualified(helper, CallMethod(method)) + TypeParameterList(model.Type.TypeParameters.Concat(method.TypeParameters)) + "(";
            w.Indent();
            w.List(forward, arguments, ");");
            w.Outdent();
        }

        private static void Constraints(SourceWriter w, IEnumerable<string> constraints)
        {
            w.Indent();
            foreach (string constraint in constraints)
            {
                w.Line(constraint);
            }

            w.Outdent();
        }

        private static IEnumerable<FeatureSpec> ScalarInputs(MethodSpec method)
            => method.Features.Where(f => f.Origin is ValueOrigin.Parameter or ValueOrigin.ParameterProperty);

        private static IEnumerable<FeatureSpec> BatchInputs(MethodSpec method)
            => method.Features.Where(f => f.Origin == ValueOrigin.BatchItemProperty);

        private static string Field(FeatureSpec feature)
            => (feature.Storage == ValueStorage.Number ? "Number" : "Label") + feature.Slot.ToString(CultureInfo.InvariantCulture);

        private static string SetFromCall(FeatureSpec feature) => Set(feature, "call." + Field(feature));

        private static string Set(FeatureSpec feature, string value)
            => (feature.Storage == ValueStorage.Number ? "row.SetNumber(" : "row.SetLabel(") + feature.Slot.ToString(CultureInfo.InvariantCulture) + ", " + value + "); // "
                + FeatureComment(feature);

        private static string SetMissing(FeatureSpec feature) => Set(feature, feature.Storage == ValueStorage.Number ? "double.NaN" : "null");

        private static string FeatureComment(FeatureSpec feature)
            => feature.Name + (feature.IsSensitive ? " ([Sensitive]: never the value)" : string.Empty);

        private static string InputAccess(FeatureSpec feature, string item) => feature.Origin switch
        {
            ValueOrigin.Parameter => feature.ParameterName!,
            ValueOrigin.ParameterProperty => feature.ParameterName + (feature.ReadThroughNullable ? "?." : ".") + feature.PropertyName,
            _ => item + (feature.ReadThroughNullable ? "?." : ".") + feature.PropertyName,
        };

        private static string PredictionAccess(FeatureSpec feature, string value) => feature.Origin switch
        {
            ValueOrigin.Result or ValueOrigin.ResultItem => value,
            _ => value + (feature.ReadThroughNullable ? "?." : ".") + feature.PropertyName,
        };

        /// <summary>The expression that turns a member's value into the double or string a row stores.</summary>
        private static string Value(FeatureSpec feature, string access, string? helper, Dictionary<string, (string Method, FeatureSpec Feature)> enumLabels)
        {
            bool nullable = feature.MayBeNull;
            switch (feature.Conversion)
            {
                case ValueConversion.Number:
                    return nullable ? "(double?)(" + access + ") ?? double.NaN" : "(double)(" + access + ")";
                case ValueConversion.Time:
                    return FeatureValues + ".ToNumber(" + access + ")";
                case ValueConversion.DateOnly:
                    return (helper is null ? DateOnlyMethod : Qualified(helper, DateOnlyMethod)) + "(" + access + ")";
                case ValueConversion.TimeOnly:
                    return (helper is null ? TimeOnlyMethod : Qualified(helper, TimeOnlyMethod)) + "(" + access + ")";
                case ValueConversion.Enum:
                    string method = enumLabels[feature.EnumType!].Method;
                    return (helper is null ? method : Qualified(helper, method)) + "(" + access + ")";
                case ValueConversion.String:
                    return access;
                case ValueConversion.Presence:
                    // [redacted] or null, or a keyed hash where the runtime's inference capture hashes: never the value.
                    return FeatureValues + ".Protect(" + access + ")";
                default:
                    return FeatureValues + ".ToLabel(" + access + ")"; // bool, char
            }
        }

        /// <summary>One label method per enum type of the model: <c>LabelOfRegion</c>, with a counter when two enums share a name.</summary>
        private static Dictionary<string, (string Method, FeatureSpec Feature)> EnumLabelMethods(ModelSpec model)
        {
            var result = new Dictionary<string, (string Method, FeatureSpec Feature)>(StringComparer.Ordinal);
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (FeatureSpec feature in model.Methods.SelectMany(m => m.Features).Where(f => f.EnumType is not null).OrderBy(f => f.EnumType, StringComparer.Ordinal))
            {
                if (!result.ContainsKey(feature.EnumType!))
                {
                    string simple = feature.EnumType!.Substring(feature.EnumType.LastIndexOf('.') + 1);
                    result[feature.EnumType] = (UniqueName(used, "LabelOf" + Sanitize(simple)), feature);
                }
            }

            return result;
        }

        private static string UniqueName(HashSet<string> used, string name)
        {
            string candidate = name;
            for (int counter = 2; !used.Add(candidate); counter++)
            {
                candidate = name + counter.ToString(CultureInfo.InvariantCulture);
            }

            return candidate;
        }

        /// <summary>The row's key and segment, from the values read before the call.</summary>
        private static void EmitKeyAndSegment(SourceWriter w, MethodSpec method)
        {
            if (method.PredictionKey is { } key)
            {
                w.Line("row.SetKey(call.Key); // [PredictionKey] " + key.Name);
            }

            if (ScalarInputs(method).FirstOrDefault(f => f.IsSegment) is { } segment)
            {
                string value = segment.Storage == ValueStorage.Label
                    ? "call." + Field(segment)
                    : FeatureValues + ".ToSegment(call." + Field(segment) + ")";
                w.Line("row.SetSegment(" + value + "); // [Segment] " + segment.Name);
            }
        }

        /// <summary>The expression that reads a <c>[PredictionKey]</c> as a <c>PredictionKey</c>, without allocating.</summary>
        private static string KeyValue(KeySpec key)
        {
            string access = key.PropertyName is null
                ? key.ParameterName
                : key.ParameterName + (key.ReadThroughNullable ? "?." : ".") + key.PropertyName;
            string cast = key.Conversion switch
            {
                KeyConversion.Integer => "(long?)",
                KeyConversion.UnsignedInteger => "(ulong?)",
                KeyConversion.Guid => "(global::System.Guid?)",
                _ => string.Empty,
            };
            return FeatureValues + ".ToKey(" + cast + (cast.Length > 0 ? "(" + access + ")" : access) + ")";
        }

        private static string SkipText(SkippedSpec skipped) => skipped.Reason switch
        {
            SkipReason.KeyNotRead => "a [PredictionKey] that is not read: one key per method, on a parameter or a property of one, of a single call, "
                + "a string, an integer or a Guid",
            SkipReason.Ignored => "[IgnoreFeature]",
            SkipReason.ObsoleteError => "[Obsolete] with error: true",
            SkipReason.DuplicateName => "another feature has this name",
            _ => "a " + skipped.Type + " is not a feature type",
        };

        private static string ReturnTypeText(MethodSpec method) => method.ReturnRefKind switch
        {
            ReturnRefKind.Ref => "ref " + method.ReturnType,
            ReturnRefKind.RefReadOnly => "ref readonly " + method.ReturnType,
            _ => method.ReturnType,
        };

        private static string TypeParameterList(IEnumerable<string> typeParameters)
        {
            var list = typeParameters.ToList();
            return list.Count == 0 ? string.Empty : "<" + string.Join(", ", list) + ">";
        }

        private static string ParameterDeclaration(ParameterSpec parameter, bool isThis)
            => (isThis ? "this " : string.Empty)
                + (parameter.IsScoped ? "scoped " : string.Empty)
                + (parameter.IsParams ? "params " : string.Empty)
                + parameter.RefKind switch
                {
                    ParameterRefKind.Ref => "ref ",
                    ParameterRefKind.Out => "out ",
                    ParameterRefKind.In => "in ",
                    ParameterRefKind.RefReadOnly => "ref readonly ",
                    _ => string.Empty,
                }
                + parameter.Type + " " + parameter.Name;

        private static List<string> ArgumentList(IEnumerable<ParameterSpec> parameters)
            => parameters.Select(p => p.RefKind switch
            {
                ParameterRefKind.Ref => "ref ",
                ParameterRefKind.Out => "out ",
                ParameterRefKind.In or ParameterRefKind.RefReadOnly => "in ",
                _ => string.Empty,
            } + p.Name).ToList();

        private static string SimpleName(string fullyQualified)
        {
            string name = fullyQualified.Split('<')[0];
            return name.Substring(name.LastIndexOf('.') + 1);
        }

        private static string Display(string fullyQualified) => fullyQualified.Replace("global::", string.Empty);

        private static string Qualified(string helper, string member) => "global::" + GeneratedNamespace + "." + helper + "." + member;

        private static string MonitorField(MethodSpec method) => Sanitize(method.Name) + "_" + method.Index.ToString(CultureInfo.InvariantCulture);

        private static string CallStruct(MethodSpec method) => MonitorField(method) + "_Call";

        private static string CallMethod(MethodSpec method) => "Call" + MonitorField(method);

        private static string DriftMethodText(DriftMethodSpec method)
            => Enum.IsDefined(typeof(DriftMethodSpec), method)
                ? "DriftMethod." + method
                : "(DriftMethod)" + ((int)method).ToString(CultureInfo.InvariantCulture);

        private static string Sanitize(string name)
        {
            var builder = new StringBuilder(name.Length);
            foreach (char c in name)
            {
                builder.Append(char.IsLetterOrDigit(c) ? c : '_');
            }

            return builder.ToString();
        }

        /// <summary>FNV-1a over the UTF-16 code units: 8 hex digits, the same on every machine and run.</summary>
        private static string Hash(string value)
        {
            unchecked
            {
                uint hash = 2166136261;
                foreach (char c in value)
                {
                    hash = (hash ^ c) * 16777619;
                }

                return hash.ToString("x8", CultureInfo.InvariantCulture);
            }
        }

        private static string Literal(string? value)
        {
            if (value is null)
            {
                return "null";
            }

            var builder = new StringBuilder(value.Length + 2).Append('"');
            foreach (char c in value)
            {
                switch (c)
                {
                    case '"': builder.Append("\\\""); break;
                    case '\\': builder.Append("\\\\"); break;
                    case '\n': builder.Append("\\n"); break;
                    case '\r': builder.Append("\\r"); break;
                    case '\t': builder.Append("\\t"); break;
                    default:
                        if (char.IsControl(c))
                        {
                            builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            builder.Append(c);
                        }

                        break;
                }
            }

            return builder.Append('"').ToString();
        }

        private static string DoubleLiteral(double value) =>
            double.IsNaN(value) ? "double.NaN" : value.ToString("R", CultureInfo.InvariantCulture) + "d";

        private static string Bool(bool value) => value ? "true" : "false";

        private static string XmlEscape(string value) => value.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
    }
}
