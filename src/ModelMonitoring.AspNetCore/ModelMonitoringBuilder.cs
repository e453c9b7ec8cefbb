namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// What <c>AddModelMonitoring</c> returns: the application's services, to chain further ModelMonitoring set-up on
/// (<c>UseDatadogAgent()</c>, <c>AddDatadogLogs()</c>...), as <c>AddHealthChecks</c> returns an <c>IHealthChecksBuilder</c>.
/// </summary>
public interface IModelMonitoringBuilder
{
    /// <summary>The application's services.</summary>
    IServiceCollection Services { get; }
}

/// <summary>The builder over a service collection.</summary>
internal sealed class ModelMonitoringBuilder(IServiceCollection services) : IModelMonitoringBuilder
{
    public IServiceCollection Services { get; } = services;
}
