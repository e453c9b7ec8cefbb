using System.ComponentModel;
using System.Diagnostics;

namespace ModelMonitoring.Runtime;

/// <summary>
/// The activity of one monitored call, with the activity that was current before it started, so that the caller's
/// <see cref="System.Diagnostics.Activity.Current"/> can be put back whatever happens. Default when nobody listens.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ActivityScope
{
    private readonly Activity? _previous;

    internal ActivityScope(Activity activity, Activity? previous)
    {
        Activity = activity;
        _previous = previous;
    }

    /// <summary>The call's activity, or <see langword="null"/> when none was started.</summary>
    public Activity? Activity { get; }

    /// <summary>
    /// Makes <see cref="System.Diagnostics.Activity.Current"/> what it was before the call's activity started. Asynchronous
    /// wrappers call it once the model has returned its task; stopping the activity calls it too. Never throws.
    /// </summary>
    public void RestorePrevious()
    {
        if (Activity is null)
        {
            return;
        }

        try
        {
            if (!ReferenceEquals(Activity.Current, _previous))
            {
                Activity.Current = _previous is { IsStopped: true } ? null : _previous;
            }
        }
        catch
        {
            // Restoring the ambient activity is best effort; it never breaks the call.
        }
    }
}
