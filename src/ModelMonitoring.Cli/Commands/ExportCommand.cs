using System.CommandLine;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using ModelMonitoring.Alerts;
using ModelMonitoring.Cli.Data;
using ModelMonitoring.Runtime;

namespace ModelMonitoring.Cli.Commands;

/// <summary>
/// <c>mlmon export prometheus-rules|grafana-dashboard|alertmanager-config --assembly app.dll [--output FILE]</c>:
/// writes the Prometheus alerting rules, the Grafana dashboard or the example Alertmanager configuration generated
/// from the catalog of monitored models of the application's assemblies.
/// </summary>
internal static class ExportCommand
{
    private static readonly string[] Kinds = ["prometheus-rules", "grafana-dashboard", "alertmanager-config"];

    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var kind = new Argument<string>("what")
        {
            Description = "prometheus-rules (YAML), grafana-dashboard (JSON) or alertmanager-config (YAML).",
            HelpName = "prometheus-rules|grafana-dashboard|alertmanager-config",
        };
        kind.AcceptOnlyFromAmong(Kinds);
        var assemblies = new Option<string[]>("--assembly", "-a")
        {
            Description = "An application assembly with [MonitoredModel] classes (its catalog is read; repeatable). Needed for the rules and the dashboard.",
            HelpName = "file",
        };
        var output = new Option<string?>("--output", "-o", "--out")
        {
            Description = "The file to write; default: stdout.",
            HelpName = "file",
        };
        var rateWindow = new Option<string>("--rate-window")
        {
            Description = "The range of rate() and increase() in the rules, in Prometheus' syntax. Default 5m.",
            HelpName = "duration",
            DefaultValueFactory = _ => "5m",
        };
        var command = new Command("export", "Write the Prometheus alerting rules, Grafana dashboard or Alertmanager configuration for the monitored models.")
        {
            kind, assemblies, output, rateWindow,
        };
        command.SetAction((parse, cancellationToken) => Cli.GuardAsync(context, () => RunAsync(
            context, parse.GetRequiredValue(kind), parse.GetValue(assemblies) ?? [], parse.GetValue(output), parse.GetRequiredValue(rateWindow), cancellationToken)));
        return command;
    }

    /// <summary>Writes the file; returns the exit code.</summary>
    public static async Task<int> RunAsync(CliContext context, string kind, IReadOnlyList<string> assemblies, string? output, string rateWindow, CancellationToken cancellationToken)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(rateWindow, "^([0-9]+(ms|s|m|h|d|w|y))+$"))
        {
            throw new CliInputException($"--rate-window: '{rateWindow}' is not a Prometheus duration (for example 30s, 5m, 1h30m).");
        }

        if (kind != "alertmanager-config" && assemblies.Count == 0)
        {
            throw new CliInputException($"export {kind}: --assembly is required (the application assembly whose [MonitoredModel] classes are exported).");
        }

        if (assemblies.Count > 0 && !RuntimeFeature.IsDynamicCodeSupported)
        {
            throw new CliInputException(
                $"export {kind}: --assembly loads the application's assemblies, which this native build of mlmon cannot do; "
                + "run export with the mlmon .NET tool (docs/mlmon.md, \"Install\").");
        }

        IReadOnlyList<ModelDescriptor> models = LoadCatalog(assemblies);
        if (kind != "alertmanager-config" && models.Count == 0)
        {
            throw new CliInputException($"export {kind}: no [MonitoredModel] class in {string.Join(", ", assemblies)}.");
        }

        string text = kind switch
        {
            "prometheus-rules" => AlertExports.PrometheusRules(models, rateWindow: rateWindow),
            "grafana-dashboard" => AlertExports.GrafanaDashboard(models),
            _ => AlertExports.AlertmanagerConfig(),
        };
        if (output is null)
        {
            await context.Output.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            OutputFile.CheckWritable(output, "--output");
            await File.WriteAllTextAsync(output, text, cancellationToken).ConfigureAwait(false);
            string what = kind == "alertmanager-config" ? kind : $"{kind} for {models.Count} model(s)";
            await context.Error.WriteLineAsync($"mlmon: wrote {what} to {output}").ConfigureAwait(false);
        }

        return ExitCodes.NoDrift;
    }

    /// <summary>Loads each assembly (its dependencies from its own directory) and runs its module initializer, which registers its models.</summary>
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Loading an application's assembly is what export does; RunAsync refuses it where code cannot be loaded (a native build).")]
    private static IReadOnlyList<ModelDescriptor> LoadCatalog(IReadOnlyList<string> paths)
    {
        foreach (string path in paths)
        {
            string full = Path.GetFullPath(path);
            if (!File.Exists(full))
            {
                throw new CliInputException($"--assembly: {path}: no such file.");
            }

            string directory = Path.GetDirectoryName(full)!;
            AssemblyLoadContext.Default.Resolving += (loadContext, name) =>
            {
                string candidate = Path.Combine(directory, name.Name + ".dll");
                return File.Exists(candidate) ? loadContext.LoadFromAssemblyPath(candidate) : null;
            };
            Assembly assembly;
            try
            {
                assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(full);
            }
            catch (BadImageFormatException)
            {
                throw new CliInputException($"--assembly: {path}: not a .NET assembly.");
            }

            RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
        }

        return ModelCatalog.Models;
    }
}
