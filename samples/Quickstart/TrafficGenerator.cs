namespace Quickstart;

/// <summary>Makes realistic pricing requests: a normal market first, then a shifted one.</summary>
internal sealed class TrafficGenerator(int seed)
{
    private static readonly string[] EnergyRatings = ["A", "B", "C", "D", "E"];
    private static readonly string[] Channels = ["web", "app", "agent"];
    private readonly Random _random = new(seed);

    /// <summary>One request. In the shifted market homes are larger and farther out, the south dominates and ratings are worse.</summary>
    public PricingRequest Next(bool shifted)
    {
        double area = Normal(shifted ? 125 : 90, shifted ? 35 : 25);
        if (_random.NextDouble() < 0.001)
        {
            area = -1; // a broken upstream record: the model rejects it, monitoring counts the error
        }

        Region region = shifted && _random.NextDouble() < 0.6 ? Region.South : (Region)_random.Next(4);
        string rating = EnergyRatings[Math.Min(4, _random.Next(shifted ? 2 : 0, 5))];
        return new PricingRequest(
            Area: Math.Round(area, 1),
            Rooms: Math.Clamp((int)Math.Round(area / 30 + Normal(0, 0.7)), 1, 8),
            Region: region,
            IsNew: _random.NextDouble() < 0.2,
            YearBuilt: _random.Next(1960, 2025),
            DistanceToCenterKm: Math.Round(-Math.Log(1 - _random.NextDouble()) * (shifted ? 14 : 8), 2),
            FloorLevel: _random.Next(0, 21),
            EnergyRating: rating,
            Channel: Channels[_random.Next(Channels.Length)],
            CustomerEmail: $"customer{_random.Next(100_000)}@example.com");
    }

    private double Normal(double mean, double standardDeviation)
    {
        double u1 = 1.0 - _random.NextDouble();
        double u2 = _random.NextDouble();
        return mean + (standardDeviation * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }
}
