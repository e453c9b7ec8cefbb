using Microsoft.Extensions.Options;

namespace ModelMonitoring.AspNetCore;

/// <summary>Validates bound options with <see cref="ModelMonitoringOptions.Validate"/>: one message per bad setting, naming it.</summary>
internal sealed class ModelMonitoringOptionsValidator : IValidateOptions<ModelMonitoringOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelMonitoringOptions options)
    {
        IReadOnlyList<string> errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
