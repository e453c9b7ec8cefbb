namespace ModelMonitoring.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void Defaults_are_valid() => Assert.Empty(new ModelMonitoringOptions().Validate());

    [Theory]
    [InlineData(nameof(ModelMonitoringOptions.WindowSize), "ModelMonitoring:WindowSize must be at least 1 (was 0).")]
    [InlineData(nameof(ModelMonitoringOptions.PredictionLogSampleRate), "ModelMonitoring:PredictionLogSampleRate must be between 0 and 1 (was 2).")]
    [InlineData(nameof(ModelMonitoringOptions.DatasetDriftShare), "ModelMonitoring:DatasetDriftShare must be greater than 0 and at most 1 (was 0).")]
    public void Each_bad_setting_is_named_with_its_value(string setting, string message)
    {
        var options = new ModelMonitoringOptions();
        switch (setting)
        {
            case nameof(ModelMonitoringOptions.WindowSize): options.WindowSize = 0; break;
            case nameof(ModelMonitoringOptions.PredictionLogSampleRate): options.PredictionLogSampleRate = 2; break;
            case nameof(ModelMonitoringOptions.DatasetDriftShare): options.DatasetDriftShare = 0; break;
        }

        Assert.Equal([message], options.Validate());
        var error = Assert.Throws<ArgumentException>(() => new ModelMonitoringRuntime(options));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_baseline_file_is_named()
    {
        var options = new ModelMonitoringOptions { Baselines = { ["pricing"] = "/nonexistent/pricing.baseline.json" } };
        Assert.Contains(options.Validate(), m => m.Contains("ModelMonitoring:Baselines:pricing", StringComparison.Ordinal) && m.Contains("/nonexistent/pricing.baseline.json", StringComparison.Ordinal));
    }
}
