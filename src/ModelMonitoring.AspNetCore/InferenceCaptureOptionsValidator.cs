using Microsoft.Extensions.Options;

namespace ModelMonitoring.AspNetCore;

/// <summary>Validates bound capture options with <see cref="InferenceCaptureOptions.Validate"/>: one message per bad setting, naming it.</summary>
internal sealed class InferenceCaptureOptionsValidator : IValidateOptions<InferenceCaptureOptions>
{
    public ValidateOptionsResult Validate(string? name, InferenceCaptureOptions options)
    {
        IReadOnlyList<string> errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
