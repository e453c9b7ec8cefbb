using System.Reflection;

namespace ModelMonitoring;

/// <summary>
/// Who is running: the service's name, version and environment, and the host name. Model logs, Datadog entries and
/// the OpenTelemetry resource (<c>service.name</c>, <c>service.version</c>, <c>deployment.environment</c>) all take
/// them from here, so that they agree.
/// </summary>
/// <remarks>
/// Each value is taken from the first of these that is set:
/// <list type="table">
/// <item><term>service name</term><description><c>OTEL_SERVICE_NAME</c>, <c>ModelMonitoring:ServiceName</c>, <c>DD_SERVICE</c>; else none (OpenTelemetry then says <c>unknown_service:dotnet</c>)</description></item>
/// <item><term>environment</term><description><c>ModelMonitoring:Environment</c>, <c>ENV</c>, <c>DD_ENV</c>; else none</description></item>
/// <item><term>version</term><description><c>ModelMonitoring:ServiceVersion</c>, <c>DD_VERSION</c>, the entry assembly's informational version</description></item>
/// <item><term>host name</term><description><c>DD_HOSTNAME</c>, the machine's name</description></item>
/// </list>
/// In a host, variables are read from its configuration (which includes the environment variables); without one,
/// from the environment.
/// </remarks>
/// <param name="ServiceName">The service's name, or <see langword="null"/>.</param>
/// <param name="Environment">The deployment environment, or <see langword="null"/>.</param>
/// <param name="Version">The service's version, or <see langword="null"/>.</param>
/// <param name="HostName">The host's name.</param>
public sealed record ServiceIdentity(string? ServiceName, string? Environment, string? Version, string HostName)
{
    /// <summary>Resolves the identity from options and variables (a host's configuration; null: the process environment).</summary>
    /// <param name="options">The monitoring options; null: none set.</param>
    /// <param name="variable">Reads a variable such as <c>ENV</c>; null reads the process environment.</param>
    public static ServiceIdentity Resolve(ModelMonitoringOptions? options, Func<string, string?>? variable = null)
    {
        variable ??= System.Environment.GetEnvironmentVariable;
        string? serviceName = First(variable("OTEL_SERVICE_NAME"), options?.ServiceName, variable("DD_SERVICE"));
        string? environment = First(options?.Environment, variable("ENV"), variable("DD_ENV"));
        string? version = First(options?.ServiceVersion, variable("DD_VERSION"), EntryAssemblyVersion());
        string host = First(variable("DD_HOSTNAME"), SafeMachineName()) ?? "localhost";
        return new ServiceIdentity(serviceName, environment, version, host);
    }

    /// <summary>The identity of a runtime's options and the process environment.</summary>
    internal static ServiceIdentity Of(ModelMonitoringRuntime runtime) => Resolve(runtime.OptionsSnapshot);

    private static string? First(params string?[] values)
    {
        foreach (string? value in values)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                return value.Trim();
            }
        }

        return null;
    }

    private static string? EntryAssemblyVersion()
    {
        Assembly? entry = Assembly.GetEntryAssembly();
        string? informational = entry?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (informational is not null)
        {
            int plus = informational.IndexOf('+', StringComparison.Ordinal);
            return plus > 0 ? informational[..plus] : informational; // without the source revision
        }

        return entry?.GetName().Version?.ToString(3);
    }

    private static string? SafeMachineName()
    {
        try
        {
            return System.Environment.MachineName;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
