using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ModelMonitoring.Generators
{
    /// <summary>Turns specs into C# source. Output is deterministic: same specs, same text.</summary>
    internal static class Emitter
    {
        private const string Runtime = "global::ModelMonitoring.Runtime";
        private const string GeneratedNamespace = "ModelMonitoring.Generated";
        private const string Activity = "global::System.Diagnostics.Activity";
        private const string Exception = "global::System.Exception";

        private static readonly string GeneratedCodeAttribute =
            "[global::System.CodeDom.Compiler.GeneratedCode(\"ModelMonitoring.Generators\", \"" + typeof(Emitter).Assembly.GetName().Version?.ToString(3) + "\")]";

        public static string HelperClassName(ModelSpec model) => Sanitize(model.Type.MetadataName) + "_Monitoring";

        public static string HintName(ModelSpec model, string suffix) => Sanitize(model.Type.MetadataName) + "." + suffix + ".g.cs";

        /// <summary>The helper class with the model's descriptor, monitor and recording methods, and its interceptors.</summary>
        public static string EmitModel(ModelSpec model, IReadOnlyList<CallSiteSpec> callSites)
        {
            var w = new SourceWriter();
            Header(w);
            w.Open("namespace " + GeneratedNamespace);
            EmitHelperClass(w, model);

            var methodsWithCalls = model.Methods
                .Where(m => !m.IsPartial)
                .Select(m => (Method: m, Calls: callSites.Where(c => c.MethodKey == m.Key).OrderBy(c => c.Data, StringComparer.Ordinal).ToList()))
                .Where(x => x.Calls.Count > 0)
                .ToList();
            if (methodsWithCalls.Count > 0)
            {
                w.Line();
                w.Line("/// <summary>Replaces each call to a tracked method of " + XmlEscape(model.Type.FullyQualifiedName) + " with its monitored wrapper.</summary>");
                w.Line(GeneratedCodeAttribute);
                w.Open("file static class Interceptors");
                bool first = true;
                foreach ((MethodSpec method, List<CallSiteSpec> calls) in methodsWithCalls)
                {
                    if (!first)
                    {
                        w.Line();
                    }

                    first = false;
                    foreach (CallSiteSpec call in calls)
                    {
                        w.Line("[global::System.Runtime.CompilerServices.InterceptsLocation(" + call.Version.ToString(CultureInfo.InvariantCulture) + ", \"" + call.Data + "\")] // " + call.DisplayLocation);
                    }

                    string typeParameters = model.Type.TypeParameters.Count == 0 ? string.Empty : "<" + string.Join(", ", model.Type.TypeParameters) + ">";
                    var parameters = new List<string>();
                    if (!method.IsStatic)
                    {
                        parameters.Add("this " + model.Type.FullyQualifiedName + " model");
                    }

                    parameters.AddRange(method.Parameters.Select(ParameterDeclaration));
                    w.Open("internal static " + method.ReturnType + " " + method.Name + "_" + method.Index.ToString(CultureInfo.InvariantCulture)
                        + typeParameters + "(" + string.Join(", ", parameters) + ")" + model.Type.TypeParameterConstraints);
                    string receiver = method.IsStatic ? model.Type.FullyQualifiedName : "model";
                    EmitWrapperBody(w, model, method, receiver + "." + method.Name + "(" + Arguments(method) + ")");
                    w.Close();
                }

                w.Close();
            }

            w.Close();

            if (methodsWithCalls.Count > 0)
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

            return w.ToString();
        }

        /// <summary>The generated bodies of partial-mode methods, in a partial declaration of the model type.</summary>
        public static string EmitPartialMethods(ModelSpec model)
        {
            var w = new SourceWriter();
            Header(w);
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
                string modifiers = (method.Accessibility.Length > 0 ? method.Accessibility + " " : string.Empty) + (method.IsStatic ? "static " : string.Empty);
                w.Line(GeneratedCodeAttribute);
                w.Open(modifiers + "partial " + method.ReturnType + " " + method.Name + "(" + string.Join(", ", method.Parameters.Select(ParameterDeclaration)) + ")");
                string receiver = method.IsStatic ? string.Empty : "this.";
                EmitWrapperBody(w, model, method, receiver + method.Name + "Core(" + Arguments(method) + ")");
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

        /// <summary>Registers every model of the compilation in the runtime catalog when the assembly loads.</summary>
        public static string EmitCatalog(IReadOnlyList<ModelSpec> models, bool hasModuleInitializer)
        {
            var w = new SourceWriter();
            Header(w);
            w.Open("namespace " + GeneratedNamespace);
            w.Line("/// <summary>Every monitored model of this assembly, registered with the ModelMonitoring catalog at start-up.</summary>");
            w.Line(GeneratedCodeAttribute);
            w.Open("internal static class ModelCatalogRegistration");
            w.Line("/// <summary>The descriptors of this assembly's monitored models.</summary>");
            w.Line("internal static " + Runtime + ".ModelDescriptor[] Models => new " + Runtime + ".ModelDescriptor[]");
            w.Line("{");
            foreach (ModelSpec model in models)
            {
                w.Line("    global::" + GeneratedNamespace + "." + HelperClassName(model) + ".Descriptor,");
            }

            w.Line("};");
            w.Line();
            w.Line("/// <summary>Creates each model's monitor, so its instruments exist before the first prediction.</summary>");
            if (hasModuleInitializer)
            {
                w.Line("[global::System.Runtime.CompilerServices.ModuleInitializer]");
            }

            w.Open("internal static void Register()");
            foreach (ModelSpec model in models)
            {
                w.Line("_ = global::" + GeneratedNamespace + "." + HelperClassName(model) + ".Monitor;");
            }

            w.Close();
            w.Close();
            w.Close();
            return w.ToString();
        }

        private static void Header(SourceWriter w)
        {
            w.Line("// <auto-generated/>");
            w.Line("// Generated by ModelMonitoring.Generators from [MonitoredModel] and [DriftTracked]. Do not edit.");
            w.Line("#nullable enable");
            w.Line("#pragma warning disable CS0612, CS0618 // a model may be obsolete; its monitoring is not");
            w.Line();
        }

        private static void EmitHelperClass(SourceWriter w, ModelSpec model)
        {
            w.Line("/// <summary>Monitoring state and recording for " + XmlEscape(model.Type.FullyQualifiedName) + " (model \"" + XmlEscape(model.ModelName) + "\").</summary>");
            w.Line(GeneratedCodeAttribute);
            w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
            w.Open("internal static class " + HelperClassName(model));

            // Descriptor
            w.Line("/// <summary>What the catalog knows about the model.</summary>");
            w.Line("internal static readonly " + Runtime + ".ModelDescriptor Descriptor = new " + Runtime + ".ModelDescriptor(");
            w.Line("    name: " + Literal(model.ModelName) + ",");
            w.Line("    version: " + Literal(model.Version) + ",");
            w.Line("    owner: " + Literal(model.Owner) + ",");
            w.Line("    squad: " + Literal(model.Squad) + ",");
            w.Line("    typeName: " + Literal(model.Type.MetadataName) + ",");
            w.Line("    methods: new " + Runtime + ".MethodDescriptor[]");
            w.Line("    {");
            foreach (MethodSpec method in model.Methods)
            {
                w.Line("        new " + Runtime + ".MethodDescriptor(");
                w.Line("            name: " + Literal(method.Name) + ",");
                w.Line("            signature: " + Literal(method.Key) + ",");
                w.Line("            isBatch: " + Bool(method.BatchParameterIndex >= 0) + ",");
                w.Line("            isAsync: " + Bool(method.ReturnShape is ReturnShape.Task or ReturnShape.TaskOfResult or ReturnShape.ValueTask or ReturnShape.ValueTaskOfResult) + ",");
                w.Line("            features: new " + Runtime + ".FeatureDescriptor[]");
                w.Line("            {");
                foreach (FeatureSpec feature in method.Features)
                {
                    w.Line("                new " + Runtime + ".FeatureDescriptor(" + Literal(feature.Name)
                        + ", global::ModelMonitoring.FeatureKind." + (feature.Kind == 1 ? "Numerical" : "Categorical")
                        + ", " + Runtime + ".FeatureStorage." + feature.Storage
                        + ", " + feature.Slot.ToString(CultureInfo.InvariantCulture)
                        + ", " + Runtime + ".FeatureSource." + feature.Source
                        + ", " + Literal(feature.ClrType.Replace("global::", string.Empty))
                        + ", isSensitive: " + Bool(feature.IsSensitive)
                        + ", maxCategories: " + feature.MaxCategories.ToString(CultureInfo.InvariantCulture)
                        + ", driftMethod: (global::ModelMonitoring.DriftMethod)" + feature.DriftMethod.ToString(CultureInfo.InvariantCulture)
                        + ", driftThreshold: " + DoubleLiteral(feature.DriftThreshold) + "),");
                }

                w.Line("            }),");
            }

            w.Line("    });");
            w.Line();
            w.Line("/// <summary>The model's monitor: instruments, windows and drift state.</summary>");
            w.Line("internal static readonly global::ModelMonitoring.ModelMonitor Monitor = global::ModelMonitoring.ModelMonitor.Register(Descriptor);");
            foreach (MethodSpec method in model.Methods)
            {
                w.Line();
                w.Line("/// <summary>Monitor of <c>" + XmlEscape(method.Name) + "</c>.</summary>");
                w.Line("internal static readonly " + Runtime + ".PredictionMonitor " + MonitorField(method) + " = Monitor.Methods[" + method.Index.ToString(CultureInfo.InvariantCulture) + "];");
            }

            foreach (MethodSpec method in model.Methods)
            {
                w.Line();
                EmitRecordMethod(w, method);
            }

            foreach (FeatureSpec feature in model.Methods.SelectMany(m => m.Features).Where(f => f.EnumType is not null).GroupBy(f => f.EnumType).Select(g => g.First()).OrderBy(f => f.EnumType, StringComparer.Ordinal))
            {
                w.Line();
                w.Line("private static string? " + EnumLabelMethod(feature.EnumType!) + "(" + feature.EnumType + "? value) => value switch");
                w.Line("{");
                w.Line("    null => null,");
                foreach (string member in feature.EnumMembers)
                {
                    w.Line("    " + feature.EnumType + "." + Parser.EscapeIdentifier(member) + " => " + Literal(member) + ",");
                }

                w.Line("    _ => " + Runtime + ".FeatureValues.OtherEnumValue,");
                w.Line("};");
            }

            w.Close();
        }

        private static void EmitRecordMethod(SourceWriter w, MethodSpec method)
        {
            var parameters = new List<string> { "long started", Activity + "? activity" };
            parameters.AddRange(method.Parameters.Where(p => p.Captured).Select(p => p.Type + " " + p.Name));
            if (method.ResultCaptured)
            {
                parameters.Add(method.ResultType + " monitoringResult");
            }

            string field = MonitorField(method);
            w.Line("/// <summary>Records a successful call of <c>" + XmlEscape(method.Name) + "</c>: latency, outcome, features and prediction. Never throws.</summary>");
            w.Open("internal static void " + RecordMethod(method) + "(" + string.Join(", ", parameters) + ")");
            w.Line(Runtime + ".FeatureRow row = " + field + ".BeginRow(started, activity);");
            w.Open("try");
            IEnumerable<FeatureSpec> inputs = method.Features.Where(f => f.Source == FeatureSource.Input);
            IEnumerable<FeatureSpec> predictions = method.Features.Where(f => f.Source == FeatureSource.Prediction);
            if (method.BatchParameterIndex < 0)
            {
                foreach (FeatureSpec feature in method.Features)
                {
                    w.Line(SetValue(feature));
                }
            }
            else
            {
                ParameterSpec batch = method.Parameters[method.BatchParameterIndex];
                w.Line("int inputCount = " + (batch.Captured ? batch.Name + " is null ? 0 : " + batch.Name + "." + method.BatchCountMember : "0") + ";");
                w.Line("int predictionCount = " + (method.ResultIsBatch && method.ResultCaptured ? "monitoringResult is null ? 0 : monitoringResult." + method.ResultBatchCountMember : "0") + ";");
                w.Line("int rowCount = inputCount > predictionCount ? inputCount : predictionCount;");
                w.Open("if (rowCount == 0)");
                w.Line("row.SkipFeatures();");
                w.Close();
                w.Open("for (int index = 0; index < rowCount; index++)");
                w.Open("if (index > 0)");
                w.Line("row.Commit();");
                w.Line("row = " + field + ".BeginFeatureRow();");
                w.Close();
                w.Line();
                w.Open("if (index < inputCount)");
                w.Line("var monitoringItem = " + batch.Name + "![index];");
                foreach (FeatureSpec feature in inputs)
                {
                    w.Line(SetValue(feature));
                }

                w.Close();
                w.Open("else");
                foreach (FeatureSpec feature in inputs)
                {
                    w.Line(SetMissing(feature));
                }

                w.Close();
                if (predictions.Any())
                {
                    w.Line();
                    w.Open("if (index < predictionCount)");
                    w.Line("var monitoringPrediction = monitoringResult![index];");
                    foreach (FeatureSpec feature in predictions)
                    {
                        w.Line(SetValue(feature));
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
            }

            w.Close();
            w.Open("catch (" + Exception + " exception)");
            w.Line("row.Fail(exception);");
            w.Close();
            w.Line();
            w.Line("row.Commit();");
            w.Close();
        }

        private static string SetValue(FeatureSpec feature)
        {
            string slot = feature.Slot.ToString(CultureInfo.InvariantCulture);
            string value = feature.ValueExpression;
            return feature.Conversion switch
            {
                "number" => "row.SetNumber(" + slot + ", (double)(" + value + "));",
                "nullable-number" => "row.SetNumber(" + slot + ", (double?)(" + value + "));",
                "time" => "row.SetNumber(" + slot + ", " + Runtime + ".FeatureValues.ToNumber(" + value + "));",
                "enum" => "row.SetLabel(" + slot + ", " + EnumLabelMethod(feature.EnumType!) + "(" + value + "));",
                "string" => "row.SetLabel(" + slot + ", " + value + ");",
                "presence" => "row.SetLabel(" + slot + ", " + Runtime + ".FeatureValues.Presence(" + value + "));",
                _ => "row.SetLabel(" + slot + ", " + Runtime + ".FeatureValues.ToLabel(" + value + "));",
            } + " // " + feature.Name + (feature.IsSensitive ? " ([Sensitive]: only its presence is recorded)" : string.Empty);
        }

        private static string SetMissing(FeatureSpec feature)
        {
            string slot = feature.Slot.ToString(CultureInfo.InvariantCulture);
            return (feature.Storage == FeatureStorage.Number ? "row.SetNumber(" + slot + ", double.NaN);" : "row.SetLabel(" + slot + ", null);") + " // " + feature.Name;
        }

        /// <summary>
        /// The wrapper around one call, identical in interceptor and partial mode: time it, call the model, record the
        /// outcome. The model's exception passes through an exception filter that records it and returns false, so it
        /// reaches the caller as the same instance with its stack trace untouched.
        /// </summary>
        private static void EmitWrapperBody(SourceWriter w, ModelSpec model, MethodSpec method, string call)
        {
            string helper = "global::" + GeneratedNamespace + "." + HelperClassName(model);
            string field = helper + "." + MonitorField(method);
            var recordArguments = new List<string> { "monitoringStarted", "monitoringActivity" };
            recordArguments.AddRange(method.Parameters.Where(p => p.Captured).Select(p => p.Name));
            string record = helper + "." + RecordMethod(method) + "(" + string.Join(", ", recordArguments);
            string recordWithResult = record + (method.ResultCaptured ? ", monitoringResult);" : ");");

            w.Line("long monitoringStarted = global::System.Diagnostics.Stopwatch.GetTimestamp();");
            w.Line(Activity + "? monitoringActivity = " + field + ".StartActivity();");
            switch (method.ReturnShape)
            {
                case ReturnShape.Void:
                    w.Open("try");
                    w.Line(call + ";");
                    w.Close();
                    EmitFailureFilter(w, field);
                    w.Line();
                    w.Line(record + ");");
                    break;

                case ReturnShape.Value:
                    w.Line(method.ReturnType + " monitoringResult;");
                    w.Open("try");
                    w.Line("monitoringResult = " + call + ";");
                    w.Close();
                    EmitFailureFilter(w, field);
                    w.Line();
                    w.Line(recordWithResult);
                    w.Line("return monitoringResult;");
                    break;

                default:
                    EmitAsyncWrapper(w, method, call, field, record, recordWithResult);
                    break;
            }
        }

        private static void EmitAsyncWrapper(SourceWriter w, MethodSpec method, string call, string field, string record, string recordWithResult)
        {
            bool hasResult = method.ReturnShape is ReturnShape.TaskOfResult or ReturnShape.ValueTaskOfResult;
            bool isValueTask = method.ReturnShape is ReturnShape.ValueTask or ReturnShape.ValueTaskOfResult;
            var capturedParameters = method.Parameters.Where(p => p.Captured).ToList();

            w.Line(method.ReturnType + " monitoringTask;");
            w.Open("try");
            w.Line("monitoringTask = " + call + ";");
            w.Close();
            EmitFailureFilter(w, field);
            w.Line();
            w.Line("// Completed already: record now and hand the result back without an async state machine.");
            w.Open("if (monitoringTask.IsCompletedSuccessfully)");
            if (hasResult)
            {
                w.Line(method.ResultType + " monitoringResult = monitoringTask.Result;");
                w.Line(method.ResultCaptured ? recordWithResult : record + ");");
                w.Line(isValueTask ? "return new " + method.ReturnType + "(monitoringResult);" : "return monitoringTask;");
            }
            else
            {
                if (isValueTask)
                {
                    w.Line("monitoringTask.GetAwaiter().GetResult();");
                }

                w.Line(record + ");");
                w.Line(isValueTask ? "return default;" : "return monitoringTask;");
            }

            w.Close();
            w.Line();
            string awaitArguments = string.Join(", ", new[] { "monitoringTask", "monitoringStarted", "monitoringActivity" }.Concat(capturedParameters.Select(p => p.Name)));
            w.Line("return MonitoringAwaitCompletion(" + awaitArguments + ");");
            w.Line();

            var awaitParameters = new List<string> { method.ReturnType + " pending", "long monitoringStarted", Activity + "? monitoringActivity" };
            awaitParameters.AddRange(capturedParameters.Select(p => p.Type + " " + p.Name));
            w.Open("static async " + method.ReturnType + " MonitoringAwaitCompletion(" + string.Join(", ", awaitParameters) + ")");
            if (hasResult)
            {
                w.Line(method.ResultType + " monitoringResult;");
                w.Open("try");
                w.Line("monitoringResult = await pending.ConfigureAwait(false);");
            }
            else
            {
                w.Open("try");
                w.Line("await pending.ConfigureAwait(false);");
            }

            w.Close();
            EmitFailureFilter(w, field);
            w.Line();
            w.Line(hasResult && method.ResultCaptured ? recordWithResult : record + ");");
            if (hasResult)
            {
                w.Line("return monitoringResult;");
            }

            w.Close();
        }

        private static void EmitFailureFilter(SourceWriter w, string field)
        {
            w.Line("catch (" + Exception + " monitoringException) when (" + field + ".RecordFailure(monitoringStarted, monitoringException, monitoringActivity))");
            w.Line("{");
            w.Line("    throw; // not reached: RecordFailure returns false, so the exception passes through unchanged");
            w.Line("}");
        }

        private static string ParameterDeclaration(ParameterSpec parameter) =>
            (parameter.IsParams ? "params " : string.Empty) + parameter.RefKind + parameter.Type + " " + parameter.Name;

        private static string Arguments(MethodSpec method) =>
            string.Join(", ", method.Parameters.Select(p => (p.RefKind == "in " || p.RefKind == "ref readonly " ? "in " : p.RefKind) + p.Name));

        private static string MonitorField(MethodSpec method) => method.Name + "_" + method.Index.ToString(CultureInfo.InvariantCulture);

        private static string RecordMethod(MethodSpec method) => "Record" + method.Name + "_" + method.Index.ToString(CultureInfo.InvariantCulture);

        private static string EnumLabelMethod(string enumType) => "LabelOf_" + Sanitize(enumType.Replace("global::", string.Empty));

        private static string Sanitize(string name)
        {
            var builder = new StringBuilder(name.Length);
            foreach (char c in name)
            {
                builder.Append(char.IsLetterOrDigit(c) ? c : '_');
            }

            return builder.ToString();
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
