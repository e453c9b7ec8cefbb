namespace ModelMonitoring.Generators.Tests;

/// <summary>One approved snapshot of the generated code per supported shape.</summary>
public sealed class SnapshotTests
{
    public static TheoryData<string> Shapes => new(ShapeSources.All.Keys);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Generated_code_matches_the_approved_snapshot(string shape)
    {
        var (output, diagnostics, files) = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(ShapeSources.All[shape], "Snapshot" + shape));

        Assert.Empty(diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
        string all = string.Join("\n// ---- next file ----\n", files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => "// " + f.Key + "\n" + f.Value));
        Snapshots.Verify(shape, all);
    }

    [Fact]
    public void Output_is_deterministic()
    {
        string source = ShapeSources.All["InstanceRecordInput"];
        var first = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(source, "A")).Files;
        var second = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(source, "A")).Files;
        Assert.Equal(first, second);
    }
}

/// <summary>User code for each shape the generator supports.</summary>
internal static class ShapeSources
{
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using ModelMonitoring;

        """;

    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>
    {
        ["InstanceRecordInput"] = Usings + """
            namespace Shop;
            public enum Region { North, South }
            public sealed record PricingRequest(double Area, int Rooms, Region Region, bool IsNew, [property: Sensitive] string CustomerEmail);
            public sealed record PriceQuote(double Price, double Confidence);

            [MonitoredModel("pricing", Owner = "Juan Manoel", Squad = "mlops", Version = "1.3.0")]
            public sealed class PricingModel
            {
                [DriftTracked]
                public PriceQuote Predict(PricingRequest request) => new(request.Area * 10, 0.9);
            }

            public static class Caller
            {
                public static double Run() => new PricingModel().Predict(new PricingRequest(10, 2, Region.North, true, "a@b.c")).Price;
            }
            """,
        ["StaticPrimitives"] = Usings + """
            namespace Risk;
            [MonitoredModel("risk")]
            public static class RiskScorer
            {
                [DriftTracked]
                public static double Score(double income, int age, string segment, char grade, decimal debt) => income / (age + 1);
            }

            public static class Caller
            {
                public static double Run() => RiskScorer.Score(1000, 30, "retail", 'A', 10m);
            }
            """,
        ["TaskReturn"] = Usings + """
            namespace Fraud;
            public sealed class Transaction { public double Amount { get; init; } public string? Country { get; init; } }
            [MonitoredModel("fraud", Version = "2")]
            public sealed class FraudModel
            {
                [DriftTracked]
                public async Task<bool> PredictAsync(Transaction transaction) { await Task.Yield(); return transaction.Amount > 100; }
            }

            public static class Caller
            {
                public static Task<bool> Run() => new FraudModel().PredictAsync(new Transaction { Amount = 5, Country = "BR" });
            }
            """,
        ["ValueTaskReturn"] = Usings + """
            namespace Churn;
            public enum Plan { Free, Pro }
            [MonitoredModel("churn")]
            public sealed class ChurnModel
            {
                [DriftTracked]
                public ValueTask<Plan> PredictAsync(int tenureMonths, double monthlySpend) => new(tenureMonths > 12 ? Plan.Pro : Plan.Free);
            }

            public static class Caller
            {
                public static ValueTask<Plan> Run() => new ChurnModel().PredictAsync(3, 9.9);
            }
            """,
        ["BatchInput"] = Usings.Replace("using System;", "using System;\nusing System.Linq;") + """
            namespace Batch;
            public sealed record House(double Area, string City);
            [MonitoredModel("batch-pricing")]
            public sealed class BatchModel
            {
                [DriftTracked]
                public IReadOnlyList<double> PredictBatch(IReadOnlyList<House> houses) => houses.Select(h => h.Area * 2).ToArray();

                [DriftTracked]
                public double[] PredictArray(House[] houses) => houses.Select(h => h.Area * 3).ToArray();
            }

            public static class Caller
            {
                public static int Run()
                {
                    var model = new BatchModel();
                    return model.PredictBatch(new[] { new House(1, "a") }).Count + model.PredictArray(new[] { new House(2, "b") }).Length;
                }
            }
            """,
        ["GenericModel"] = Usings + """
            namespace Generic;
            public sealed record Input(double X);
            [MonitoredModel("generic")]
            public sealed class Wrapper<TState> where TState : class
            {
                [DriftTracked]
                public double Predict(Input input) => input.X + 1;
            }

            public static class Caller
            {
                public static double Run() => new Wrapper<string>().Predict(new Input(1));
            }
            """,
        ["PartialMode"] = Usings + """
            namespace Library;
            public sealed record Applicant(double Income, [property: Feature(Name = "credit_score", Kind = FeatureKind.Categorical, MaxCategories = 10)] int Score, [property: IgnoreFeature] string Notes);
            [MonitoredModel("credit", Version = "0.9")]
            public sealed partial class CreditModel
            {
                [DriftTracked]
                public partial bool Approve(Applicant applicant);

                private bool ApproveCore(Applicant applicant) => applicant.Income > 1000;
            }
            """,
        ["InterfaceDispatch"] = Usings + """
            namespace Shop;
            public sealed record PricingRequest(double Area);
            public interface IPricingModel { double Predict(PricingRequest request); }
            [MonitoredModel("pricing")]
            public sealed class PricingModel : IPricingModel
            {
                [DriftTracked]
                public double Predict(PricingRequest request) => request.Area * 2;
            }

            public sealed class QuoteHandler(IPricingModel model)
            {
                public double Handle(double area) => model.Predict(new PricingRequest(area));
            }
            """,
        ["PrivateAndSubclassCalls"] = Usings + """
            namespace Risk;
            [MonitoredModel("risk")]
            public class RiskModel
            {
                public double Quote(double exposure) => Score(exposure) + Adjust(exposure);

                [DriftTracked]
                private double Score(double exposure) => exposure / 10;

                [DriftTracked]
                public virtual double Adjust(double exposure) => 0;
            }

            public sealed class CautiousRiskModel : RiskModel
            {
                public override double Adjust(double exposure) => 1;
            }

            public static class Caller
            {
                public static double Run() => new CautiousRiskModel().Adjust(2) + new RiskModel().Quote(1);
            }
            """,
        ["StreamAndRefReturn"] = Usings + """
            namespace Forecasting;
            [MonitoredModel("demand")]
            public sealed class DemandModel
            {
                private double _last;

                [DriftTracked]
                public async IAsyncEnumerable<double> ForecastAsync(int horizon)
                {
                    for (int day = 0; day < horizon; day++)
                    {
                        await Task.Yield();
                        yield return day;
                    }
                }

                [DriftTracked]
                public ref double Latest(double demand)
                {
                    _last = demand;
                    return ref _last;
                }
            }

            public static class Caller
            {
                public static IAsyncEnumerable<double> Run() => new DemandModel().ForecastAsync(3);

                public static double Last() => new DemandModel().Latest(4);
            }
            """,
        ["ExtensionAndGenericPartial"] = Usings + """
            namespace Text;
            public sealed record Document(string Language, int Length);
            [MonitoredModel("sentiment")]
            public static partial class SentimentExtensions
            {
                [DriftTracked]
                public static double Sentiment(this Document document, double temperature) => document.Length * temperature;

                [DriftTracked]
                public static partial T Label<T>(this Document document, Func<double, T> map) where T : notnull;

                private static T LabelCore<T>(Document document, Func<double, T> map) where T : notnull => map(document.Length);
            }

            public static class Caller
            {
                public static double Run() => new Document("en", 10).Sentiment(0.5);
            }
            """,
        ["FeatureTypes"] = Usings + """
            namespace Types;
            [Flags] public enum Channel { None = 0, Web = 1, App = 2, Default = 1 }
            public struct Reading
            {
                public DateTime TakenAt { get; set; }
                public DateTimeOffset? SentAt { get; set; }
                public TimeSpan Age { get; set; }
                public DateOnly Day { get; set; }
                public TimeOnly? At { get; set; }
                public Half Level { get; set; }
                public nint Offset { get; set; }
                public float? Temperature { get; set; }
                public long Count { get; set; }
                public Channel Channel { get; set; }
                public Guid Id { get; set; }
            }
            [MonitoredModel("sensor")]
            public sealed class SensorModel
            {
                [DriftTracked]
                public string Classify(Reading reading, [Feature(Name = "site", MaxCategories = 5)] string location, byte[] raw) => "ok";
            }

            public static class Caller
            {
                public static string Run() => new SensorModel().Classify(new Reading(), "x", Array.Empty<byte>());
            }
            """,
    };
}
