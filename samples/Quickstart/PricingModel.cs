using ModelMonitoring;

namespace Quickstart;

/// <summary>Where a home is.</summary>
public enum Region
{
    North,
    South,
    East,
    West,
}

/// <summary>The input of the pricing model.</summary>
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
    [property: Sensitive] string CustomerEmail);

/// <summary>The pricing model's answer.</summary>
public sealed record PriceQuote(double Price, double Confidence);

/// <summary>
/// A small hand-written regression: price per square metre by region, adjusted for rooms, age, distance and energy
/// rating. Real enough to have a shape, small enough to read.
/// </summary>
[MonitoredModel("pricing", Owner = "Juan Manoel", Squad = "mlops", Version = "1.3.0")]
public sealed class PricingModel
{
    /// <summary>Quotes a price for a home.</summary>
    [DriftTracked]
    public PriceQuote Predict(PricingRequest request)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.Area);
        double perSquareMetre = request.Region switch
        {
            Region.North => 3_100,
            Region.South => 2_400,
            Region.East => 2_750,
            _ => 2_900,
        };

        double age = Math.Max(0, 2026 - request.YearBuilt);
        double price = request.Area * perSquareMetre
            + (request.Rooms * 7_500)
            + (request.IsNew ? 25_000 : 0)
            - (age * 850)
            - (request.DistanceToCenterKm * 1_900)
            + (request.FloorLevel * 1_200)
            + (request.EnergyRating switch { "A" => 12_000, "B" => 6_000, "C" => 0, "D" => -5_000, _ => -9_000 });
        double confidence = Math.Clamp(1.0 - (Math.Abs(request.Area - 90) / 400) - (request.DistanceToCenterKm / 200), 0.05, 0.99);
        return new PriceQuote(Math.Round(Math.Max(price, 10_000), 2), Math.Round(confidence, 3));
    }
}
