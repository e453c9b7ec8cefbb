using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace ModelMonitoring.AspNetCore;

/// <summary>
/// Makes the host's runtime current for every request (first in the pipeline), so that predictions made while handling
/// it record there even when several hosts share a process (test servers, for example).
/// </summary>
internal sealed class ModelMonitoringRequestScope(ModelMonitoringRuntime runtime) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (HttpContext context, RequestDelegate nextMiddleware) =>
        {
            using (runtime.BeginScope())
            {
                await nextMiddleware(context).ConfigureAwait(false);
            }
        });
        next(app);
    };
}
