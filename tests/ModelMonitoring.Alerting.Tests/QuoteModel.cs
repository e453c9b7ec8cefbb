using ModelMonitoring;

namespace ModelMonitoring.Alerting.Tests;

/// <summary>The input of the tests' own model.</summary>
public sealed record QuoteInput(double Area, string Region, bool Fail);

/// <summary>
/// A real monitored model compiled with the generator: its calls are timed, counted and captured as PricingService's
/// are. It throws when asked to, so that a test makes its error rate whatever it needs.
/// </summary>
[MonitoredModel("alerting-quotes", Owner = "Ana Lima", Squad = "pricing-ml", Version = "2.1.0")]
public sealed class QuoteModel
{
    /// <summary>A price, or an exception when <see cref="QuoteInput.Fail"/>.</summary>
    [DriftTracked]
    public double Predict(QuoteInput input) => input.Fail ? throw new InvalidOperationException("no quote for this input") : input.Area * 2_900;
}

/// <summary>The calls a service makes to <see cref="QuoteModel"/> (outside the model, as PricingService calls its own).</summary>
internal static class QuoteTraffic
{
    /// <summary>
    /// One window of calls to <see cref="QuoteModel.Predict"/> (intercepted by the generated code): <paramref name="failures"/>
    /// failing calls, then <paramref name="successes"/> good ones (a window closes at its size in successes). Returns the failures seen.
    /// </summary>
    public static int Run(this QuoteModel model, int successes, int failures)
    {
        int failed = 0;
        for (int i = 0; i < successes + failures; i++)
        {
            try
            {
                model.Predict(new QuoteInput(50 + (i % 40), i % 2 == 0 ? "north" : "south", i < failures));
            }
            catch (InvalidOperationException)
            {
                failed++;
            }
        }

        return failed;
    }
}
