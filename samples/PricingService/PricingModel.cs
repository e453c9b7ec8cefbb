using System.Text.Json.Serialization;
using ModelMonitoring;

namespace PricingService;

/// <summary>Where a home is.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Region>))]
public enum Region
{
    North,
    South,
    East,
    West,
}

/// <summary>
/// The body of <c>POST /predict</c>: ten features, one of them personal, and an optional quote id, the
/// <c>[PredictionKey]</c> that <c>POST /outcome</c> joins the sale price to (not a feature).
/// </summary>
public sealed record PricingRequest(
    double Area,
    int Rooms,
    Region Region,
    bool IsNew,
    int YearBuilt,
    double DistanceToCenterKm,
    double FloorLevel,
    string EnergyRating,
    [property: Feature(MaxCategories = 20)] string Channel,
    [property: Sensitive] string CustomerEmail,
    [property: PredictionKey] string? QuoteId = null);

/// <summary>The answer of <c>POST /predict</c>.</summary>
public sealed record PriceQuote(double Price, double Confidence);

/// <summary>
/// A small hand-written regression: price per square metre by region, adjusted for rooms, age, distance and
/// energy rating. The service calls <see cref="Predict"/>; the generator intercepts that call, so every quote is
/// timed, counted and its features captured.
/// </summary>
[MonitoredModel("pricing", Owner = "Juan Manoel", Squad = "mlops", Version = "1.3.0", TrainedAt = "2026-11-20")]
public sealed class PricingModel
{
    /// <summary>The model's own log: every entry carries model, owner, squad, version and env; [Sensitive] fields are redacted.</summary>
    private static readonly ModelLogger Log = ModelLogger.For<PricingModel>();

    /// <summary>Quotes a price for a home.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The energy rating is not one the model was trained on (A to G).</exception>
    [DriftTracked]
    public PriceQuote Predict(PricingRequest request)
    {
        double perSquareMetre = request.Region switch
        {
            Region.North => 3_100,
            Region.South => 2_400,
            Region.East => 2_750,
            _ => 2_900,
        };

        double energy = request.EnergyRating switch
        {
            "A" => 12_000,
            "B" => 6_000,
            "C" => 0,
            "D" => -5_000,
            "E" or "F" or "G" => -9_000,
            _ => Unknown(request),
        };

        double age = Math.Max(0, 2026 - request.YearBuilt);
        double price = (request.Area * perSquareMetre)
            + (request.Rooms * 7_500)
            + (request.IsNew ? 25_000 : 0)
            - (age * 850)
            - (request.DistanceToCenterKm * 1_900)
            + (request.FloorLevel * 1_200)
            + energy;
        double confidence = Math.Clamp(1.0 - (Math.Abs(request.Area - 90) / 400) - (request.DistanceToCenterKm / 200), 0.05, 0.99);
        return new PriceQuote(Math.Round(Math.Max(price, 10_000), 2), Math.Round(confidence, 3));
    }

    private static double Unknown(PricingRequest request)
    {
        Log.Warning("Energy rating not known to the model", request);
        throw new ArgumentOutOfRangeException(nameof(request), request.EnergyRating, "The model knows energy ratings A to G only.");
    }
}
