using Quickstart;

var model = new PricingModel();
var quote = model.Predict(new PricingRequest(80, 3, Region.North, true, 2010, 5, 2, "B", "web", "a@b.c"));
Console.WriteLine(quote);
ModelMonitoring.ModelMonitoringRuntime.Flush();
Console.WriteLine(ModelMonitoring.ModelMonitor.For("pricing").GetPredictionCounts());
