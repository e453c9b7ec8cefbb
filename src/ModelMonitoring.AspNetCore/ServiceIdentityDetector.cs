using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Resources;

namespace ModelMonitoring.AspNetCore;

/// <summary>
/// Adds the service's identity (<see cref="ServiceIdentity"/>) to the OpenTelemetry resource: <c>service.name</c>
/// (unless <c>OTEL_SERVICE_NAME</c> is set, which the SDK applies itself), <c>service.version</c> and
/// <c>deployment.environment</c>. Prometheus shows them in <c>target_info</c>, Datadog as service, version and env.
/// </summary>
internal sealed class ServiceIdentityDetector(IServiceProvider services) : IResourceDetector
{
    public Resource Detect()
    {
        ServiceIdentity identity = Resolve(services);
        Func<string, string?> variable = OtlpSettings.Variables(services.GetService<IConfiguration>());
        var attributes = new List<KeyValuePair<string, object>>();
        if (identity.ServiceName is { } name && string.IsNullOrWhiteSpace(variable("OTEL_SERVICE_NAME")))
        {
            attributes.Add(new("service.name", name));
        }

        if (identity.Version is { } version)
        {
            attributes.Add(new("service.version", version));
        }

        if (identity.Environment is { } environment)
        {
            attributes.Add(new("deployment.environment", environment));
            attributes.Add(new("deployment.environment.name", environment));
        }

        return new Resource(attributes);
    }

    /// <summary>The identity from the host's options and configuration (which includes the environment variables).</summary>
    public static ServiceIdentity Resolve(IServiceProvider services)
    {
        ModelMonitoringOptions? options;
        try
        {
            options = services.GetService<IOptionsMonitor<ModelMonitoringOptions>>()?.CurrentValue;
        }
        catch (OptionsValidationException)
        {
            options = null; // reported, naming the setting, when the host starts
        }

        return ServiceIdentity.Resolve(options, OtlpSettings.Variables(services.GetService<IConfiguration>()));
    }
}
