using ModelMonitoring.Alerting;
using PricingService;

var builder = WebApplication.CreateBuilder(args);

// Monitoring: options from the "ModelMonitoring" section (validated at start-up), OpenTelemetry metrics, health checks.
// Logs go to Datadog when DD_API_KEY is set; metrics and traces over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is.
// Alerts: the default rules of every model (ModelMonitoring:Alerts), sent to WEBHOOK_URL and to Alertmanager when set.
IModelMonitoringBuilder monitoring = builder.Services.AddModelMonitoring(builder.Configuration).AddDatadogLogs().AddAlerting();
if (!string.IsNullOrEmpty(builder.Configuration["WEBHOOK_URL"]))
{
    monitoring.AddWebhookNotifier();
}

if (!string.IsNullOrEmpty(builder.Configuration[AlertmanagerNotifierOptions.SectionName + ":Url"]))
{
    monitoring.AddAlertmanagerNotifier();
}

// The model: one instance serves every request. Its Predict calls below are monitored by generated code.
builder.Services.AddSingleton<PricingModel>();

// A request with a missing or null field is a 400 with a ProblemDetails body; a model failure is a 500, also ProblemDetails.
builder.Services.AddProblemDetails();
builder.Services.ConfigureHttpJsonOptions(json =>
{
    json.SerializerOptions.RespectRequiredConstructorParameters = true;
    json.SerializerOptions.RespectNullableAnnotations = true;
});

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapPost("/predict", (PricingRequest request, PricingModel model) => model.Predict(request));

// Ground truth: POST /outcome {"quoteId": "q-1", "actualPrice": 312000} joins the sale price to its quote.
app.MapOutcome();

// GET /metrics (Prometheus), GET /health, GET /monitoring/models.
app.MapModelMonitoring();

// GET /monitoring/alerts, /monitoring/prometheus-rules.yml, /monitoring/grafana-dashboard.json.
app.MapModelMonitoringAlerts();

app.Run();
