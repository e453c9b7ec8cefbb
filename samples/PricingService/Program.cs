using PricingService;

var builder = WebApplication.CreateBuilder(args);

// Monitoring: options from the "ModelMonitoring" section (validated at start-up), OpenTelemetry metrics, health check.
builder.Services.AddModelMonitoring(builder.Configuration);

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

// GET /metrics (Prometheus), GET /health, GET /monitoring/models.
app.MapModelMonitoring();

app.Run();
