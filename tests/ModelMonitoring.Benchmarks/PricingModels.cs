using System.Runtime.CompilerServices;
using ModelMonitoring;

namespace ModelMonitoring.Benchmarks;

/// <summary>Where a home is.</summary>
public enum Region
{
    North,
    South,
    East,
    West,
}

/// <summary>The benchmark's input: 10 features (6 numbers, an enum, a bool and 2 strings).</summary>
public sealed record PricingRequest(
    double Area,
    int Rooms,
    int YearBuilt,
    double DistanceToCenterKm,
    double FloorLevel,
    double LotSize,
    Region Region,
    bool IsNew,
    string EnergyRating,
    string Channel);

/// <summary>What every variant of the model computes: a few multiply-adds, so the model's own cost is small and stable.</summary>
public static class PricingFormula
{
    /// <summary>The price of a home; returns a double so the model itself allocates nothing.</summary>
    public static double Price(PricingRequest request)
    {
        double perSquareMetre = request.Region switch
        {
            Region.North => 3_100,
            Region.South => 2_400,
            Region.East => 2_750,
            _ => 2_900,
        };

        double rating = request.EnergyRating.Length == 1 ? (request.EnergyRating[0] - 'C') * -5_000 : 0;
        return (request.Area * perSquareMetre)
            + (request.Rooms * 7_500)
            + (request.IsNew ? 25_000 : 0)
            - ((2026 - request.YearBuilt) * 850)
            - (request.DistanceToCenterKm * 1_900)
            + (request.FloorLevel * 1_200)
            + (request.LotSize * 40)
            + rating;
    }

    /// <summary>A request with typical values.</summary>
    public static PricingRequest SampleRequest { get; } = new(
        Area: 84.5, Rooms: 3, YearBuilt: 1998, DistanceToCenterKm: 4.2, FloorLevel: 2, LotSize: 120,
        Region: Region.East, IsNew: false, EnergyRating: "B", Channel: "web");

    /// <summary>
    /// Deterministic, varied requests (a power of two of them): benchmarks cycle through them so that the folded
    /// features look like real traffic (sketches see distinct values and compact, categories vary). Strings are distinct
    /// instances, as they would be after deserialization.
    /// </summary>
    public static PricingRequest[] CreateRequests(int count = 4096)
    {
        string[] ratings = ["A", "B", "C", "D", "E"];
        string[] channels = ["web", "app", "partner", "phone"];
        var random = new Random(42);
        var requests = new PricingRequest[count];
        for (int i = 0; i < count; i++)
        {
            requests[i] = new PricingRequest(
                Area: Math.Round(40 + (random.NextDouble() * 120), 1),
                Rooms: random.Next(1, 7),
                YearBuilt: random.Next(1950, 2026),
                DistanceToCenterKm: Math.Round(random.NextDouble() * 25, 2),
                FloorLevel: random.Next(0, 12),
                LotSize: Math.Round(random.NextDouble() * 400, 0),
                Region: (Region)random.Next(4),
                IsNew: random.Next(5) == 0,
                EnergyRating: new string(ratings[random.Next(ratings.Length)].AsSpan()),
                Channel: new string(channels[random.Next(channels.Length)].AsSpan()));
        }

        return requests;
    }
}

/// <summary>The model seen through an interface, as a <see cref="System.Reflection.DispatchProxy"/> needs it.</summary>
public interface IPricingModel
{
    /// <summary>Prices a home.</summary>
    double Predict(PricingRequest request);
}

/// <summary>The baseline: the model without any monitoring.</summary>
public sealed class UnmonitoredPricingModel : IPricingModel
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.NoInlining)]
    public double Predict(PricingRequest request) => PricingFormula.Price(request);
}

/// <summary>The same model, monitored: every call of <see cref="Predict"/> in this assembly is intercepted by generated code.</summary>
[MonitoredModel(MonitoredPricingModel.ModelName, Owner = "benchmarks", Squad = "perf", Version = MonitoredPricingModel.ModelVersion)]
public sealed class MonitoredPricingModel
{
    /// <summary>The model's name (the <c>model</c> tag).</summary>
    public const string ModelName = "pricing-bench";

    /// <summary>The model's version (the <c>model_version</c> tag).</summary>
    public const string ModelVersion = "1.3.0";

    /// <summary>Prices a home.</summary>
    [DriftTracked]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public double Predict(PricingRequest request) => PricingFormula.Price(request);
}
