using ModelMonitoring;

namespace PricingService;

/// <summary>The body of <c>POST /outcome</c>: the price a quoted home actually sold for.</summary>
/// <param name="QuoteId">The <c>quoteId</c> sent with the quote's <c>POST /predict</c>.</param>
/// <param name="ActualPrice">The sale price.</param>
public sealed record PriceOutcome(string QuoteId, double ActualPrice);

/// <summary>What <c>POST /outcome</c> answers.</summary>
/// <param name="Joined">True when the quote was found and the price joined to it now; false when the price waits for its quote (up to <c>OutcomeTimeToLive</c>).</param>
public sealed record OutcomeReceipt(bool Joined);

/// <summary>
/// <c>POST /outcome</c>: hands the ground truth to monitoring (<see cref="ModelMonitor.RecordOutcome(PredictionKey, double)"/>),
/// which joins it to the quote and exports <c>ml.model.performance</c> (mae, rmse, mape, r2) per window and
/// <c>ml.model.outcomes</c>. 200 when joined, 202 when it waits for its quote, 400 for a bad body.
/// </summary>
internal static class OutcomeEndpoint
{
    public static void MapOutcome(this WebApplication app) => app.MapPost("/outcome", (PriceOutcome outcome, ModelMonitoringRuntime monitoring) =>
    {
        if (string.IsNullOrWhiteSpace(outcome.QuoteId) || !double.IsFinite(outcome.ActualPrice) || outcome.ActualPrice < 0)
        {
            return Results.Problem("quoteId must be a quote's id and actualPrice a non-negative number.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (!monitoring.TryGet("pricing", out ModelMonitor? pricing))
        {
            return Results.Problem("No quote was made yet: POST /predict first.", statusCode: StatusCodes.Status409Conflict);
        }

        bool joined = pricing!.RecordOutcome(outcome.QuoteId, outcome.ActualPrice);
        return joined ? Results.Ok(new OutcomeReceipt(true)) : Results.Accepted(value: new OutcomeReceipt(false));
    });
}
