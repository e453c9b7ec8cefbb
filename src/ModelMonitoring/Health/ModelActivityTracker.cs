using System.Collections.Concurrent;

namespace ModelMonitoring;

/// <summary>
/// A row consumer that follows each model's activity for health reports: the time of its last prediction, how many
/// windows closed, and its calls and errors during the open window and during the last closed one. A model that fails
/// every call never closes a window (windows count successful rows), so the open window's figures matter too.
/// </summary>
public sealed class ModelActivityTracker : IPredictionRowConsumer
{
    private readonly ConcurrentDictionary<ModelMonitor, State> _models = new(ReferenceEqualityComparer.Instance);

    /// <summary>The activity of a model so far.</summary>
    public ModelActivity Of(ModelMonitor model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!_models.TryGetValue(model, out State? state))
        {
            return new ModelActivity(null, 0, 0, 0, null, null);
        }

        lock (state)
        {
            return new ModelActivity(state.LastCall, state.Windows, state.OpenCalls, state.OpenErrors, state.ClosedCalls, state.ClosedErrors);
        }
    }

    /// <inheritdoc />
    public void OnRow(in PredictionRow row)
    {
        if (!row.IsCall)
        {
            return;
        }

        State state = _models.GetOrAdd(row.Model, static _ => new State());
        lock (state)
        {
            state.LastCall = row.Timestamp;
            state.OpenCalls++;
            if (row.Outcome == PredictionOutcome.Error)
            {
                state.OpenErrors++;
            }
        }
    }

    /// <inheritdoc />
    public void OnWindowClosed(ModelMonitor model, FeatureWindowSnapshot window)
    {
        if (window.Segment.Length != 0)
        {
            return;
        }

        State state = _models.GetOrAdd(model, static _ => new State());
        lock (state)
        {
            state.Windows++;
            state.ClosedCalls = state.OpenCalls;
            state.ClosedErrors = state.OpenErrors;
            state.OpenCalls = 0;
            state.OpenErrors = 0;
        }
    }

    private sealed class State
    {
        public DateTimeOffset? LastCall;
        public long Windows;
        public long OpenCalls;
        public long OpenErrors;
        public long? ClosedCalls;
        public long? ClosedErrors;
    }
}

/// <summary>What <see cref="ModelActivityTracker"/> saw of one model.</summary>
/// <param name="LastPrediction">When its last call ended (any outcome), on the runtime's clock; null before the first.</param>
/// <param name="WindowsClosed">How many of its windows closed.</param>
/// <param name="OpenWindowCalls">Calls since its last window closed.</param>
/// <param name="OpenWindowErrors">Calls that threw since its last window closed.</param>
/// <param name="LastWindowCalls">Calls during its last closed window; null before one closed.</param>
/// <param name="LastWindowErrors">Calls that threw during its last closed window; null before one closed.</param>
public readonly record struct ModelActivity(DateTimeOffset? LastPrediction, long WindowsClosed, long OpenWindowCalls, long OpenWindowErrors, long? LastWindowCalls, long? LastWindowErrors);
