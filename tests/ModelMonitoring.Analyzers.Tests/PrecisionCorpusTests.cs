using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit.Abstractions;

namespace ModelMonitoring.Analyzers.Tests;

/// <summary>
/// How precise MMON001 and MMON006 are, measured on code written the way .NET services are: models and classes that only
/// look like them (an encoding detector, a bowling game's score, the weather forecast of the ASP.NET template, a stub
/// prediction engine, a subclass of a monitored model...), and personal and non-personal feature names. The figures are
/// asserted exactly, so that docs/diagnostics/README.md, which reports them, stays true.
/// </summary>
public sealed class PrecisionCorpusTests(ITestOutputHelper output)
{
    private static readonly MetadataReference MachineLearning = TestLibrary.Compile("Microsoft.ML.Corpus", """
        namespace Microsoft.ML
        {
            public interface ITransformer { object Transform(object input); }
            public abstract class PredictionEngineBase<TSrc, TDst> { public abstract TDst Predict(TSrc example); }
            public sealed class PredictionEngine<TSrc, TDst> : PredictionEngineBase<TSrc, TDst> { public override TDst Predict(TSrc example) => default!; }
        }
        namespace Microsoft.ML.OnnxRuntime
        {
            public class InferenceSession { public object Run(object inputs) => inputs; }
        }
        """);

    /// <summary>Real models, unmonitored: MMON001 should report each.</summary>
    private static readonly string[] Models =
    [
        "ChurnModel", "PricingModel", "FraudDetector", "SentimentClassifier", "DemandForecaster", "CreditScorer", "ProductRecommender",
        "AnomalyDetector", "LeadScoringModel", "ImageClassifier", "SpamClassifier", "RiskEstimator", "TravelTimeRegressor",
        "OnnxPricingService", "ChurnPredictionService", "TextFeaturizer", "LanguageDetector", "ReturnRiskModel", "PropensityModel",
        "TemperatureForecaster", "LifetimeValueModel", "NextBestActionModel",
    ];

    /// <summary>Classes that are not (unmonitored) models: MMON001 should report none.</summary>
    private static readonly string[] NotModels =
    [
        "EncodingDetector", "BowlingGame", "WeatherForecastService", "PredictionEngine", "TunedPricingModel", "FakePricingModel",
        "CardTypeValidator", "ScoreBoard", "MimeTypeDetector", "InventoryService", "ExpressionTypeInferrer", "PasswordStrengthScorer",
        "ScoreCalculator", "CollisionDetector", "QueryPlanner", "ChessEngine", "OrderSummaryModel", "PredictionsController",
        "IndexPageModel", "ForecastChartViewModel", "ExchangeRateProvider", "RetryClassifierOptions",
    ];

    private const string ModelSource = """
        using System;
        using System.Collections.Generic;
        using System.Text;
        using System.Threading.Tasks;
        using Microsoft.ML;
        using Microsoft.ML.OnnxRuntime;
        using ModelMonitoring;

        namespace Shop;

        public sealed record CustomerFeatures(double Tenure, int Tickets, bool HasContract);
        public sealed record HouseFeatures(double Area, int Rooms);
        public sealed record Transaction(decimal Amount, string Country);
        public sealed record FraudScore(double Score, bool IsFraud);
        public enum Sentiment { Negative, Neutral, Positive }
        public sealed record Applicant(decimal Income, int Age);
        public sealed record UserContext(long UserId, string Page);
        public sealed record Lead(string Source, int Visits);
        public sealed record ClassPrediction(string Label, float Confidence);
        public sealed record Email(string Subject, string Body);
        public sealed record Policy(int Age, decimal Premium);
        public sealed record Route(double Kilometres, int Stops);
        public sealed record Order(decimal Total, int Items);
        public sealed record Customer(int Orders, decimal Spent);
        public sealed record Session(int Pages, TimeSpan Duration);
        public enum NextAction { Nothing, Discount, Call }
        public sealed record Station(string Code);
        public sealed record ChurnInput(float Tenure);
        public sealed class ChurnOutput { public bool PredictedLabel { get; set; } public float Probability { get; set; } }

        // ---- Models.
        public sealed class ChurnModel { public bool Predict(CustomerFeatures features) => features.Tickets > 3; }
        public sealed class PricingModel { public double Predict(HouseFeatures house) => house.Area * 3100; }
        public sealed class FraudDetector { public FraudScore Detect(Transaction transaction) => new(0.1, false); }
        public sealed class SentimentClassifier { public Sentiment Classify(string text) => Sentiment.Neutral; }
        public sealed class DemandForecaster { public float[] Forecast(int horizonDays) => new float[horizonDays]; }
        public sealed class CreditScorer { public int Score(Applicant applicant) => 700; }
        public sealed class ProductRecommender { public Task<IReadOnlyList<int>> PredictAsync(UserContext user) => Task.FromResult<IReadOnlyList<int>>(new[] { 1, 2 }); }
        public sealed class AnomalyDetector { public bool Detect(double[] window) => window.Length > 10; }
        public sealed class LeadScoringModel { public double Score(Lead lead) => lead.Visits / 10.0; }
        public sealed class ImageClassifier { public ClassPrediction Classify(byte[] pixels) => new("cat", 0.9f); }
        public sealed class SpamClassifier { public bool[] PredictBatch(IReadOnlyList<Email> emails) => new bool[emails.Count]; }
        public sealed class RiskEstimator { public decimal Predict(Policy policy) => policy.Premium / 10; }
        public sealed class TravelTimeRegressor { public TimeSpan Predict(Route route) => TimeSpan.FromMinutes(route.Kilometres * 2); }
        public sealed class OnnxPricingService
        {
            private readonly InferenceSession _session = new();
            public object Quote(HouseFeatures house) => _session.Run(house);
        }
        public sealed class ChurnPredictionService
        {
            private readonly Microsoft.ML.PredictionEngine<ChurnInput, ChurnOutput> _engine = new();
            public ChurnOutput Evaluate(ChurnInput input) => _engine.Predict(input);
        }
        public sealed class TextFeaturizer
        {
            private readonly ITransformer _pipeline = null!;
            public object Featurize(object rows) => _pipeline.Transform(rows);
        }
        public sealed class LanguageDetector { public string Detect(string text) => "en"; }
        public sealed class ReturnRiskModel { public (bool Returned, float Probability) Predict(Order order) => (false, 0.1f); }
        public sealed class PropensityModel { public ValueTask<double> Score(Customer customer) => new(0.3); }
        public sealed class TemperatureForecaster { public double[] Forecast(Station station, int days) => new double[days]; }
        public sealed class LifetimeValueModel { public double Predict(Customer customer) => (double)customer.Spent * 1.4; }
        public sealed class NextBestActionModel { public NextAction Infer(Session session) => NextAction.Nothing; }

        // ---- Not models.
        public sealed class EncodingDetector { public Encoding Detect(byte[] bytes) => Encoding.UTF8; }
        public sealed class BowlingGame { private int _pins; public void Roll(int pins) => _pins += pins; public int Score() => _pins; }
        public sealed record WeatherForecast(DateOnly Date, int TemperatureC, string? Summary);
        public sealed class WeatherForecastService { public WeatherForecast[] Forecast(int days) => new WeatherForecast[days]; }
        public class PredictionEngine<TSrc, TDst> where TDst : new() { public TDst Predict(TSrc example) => new(); }

        [MonitoredModel("monitored-pricing")]
        public class MonitoredPricingModel { [DriftTracked] public virtual double Predict(HouseFeatures house) => house.Area; }
        public sealed class TunedPricingModel : MonitoredPricingModel { public override double Predict(HouseFeatures house) => base.Predict(house) * 1.1; }

        public interface IPricingModel { double Predict(HouseFeatures house); }
        public sealed class FakePricingModel : IPricingModel { public double Predict(HouseFeatures house) => 42; }
        public enum CardType { Unknown, Visa, Mastercard }
        public sealed class CardTypeValidator { public CardType Classify(string cardNumber) => CardType.Unknown; }
        public sealed class ScoreBoard { public int Score(string player) => 0; }
        public sealed class MimeTypeDetector { public string Detect(string path) => "text/plain"; }
        public sealed class InventoryService { public int Forecast(string sku) => 10; }
        public sealed class ExpressionTypeInferrer { public Type Infer(string expression) => typeof(int); }
        public sealed class PasswordStrengthScorer { public int Score(string password) => password.Length; }
        public sealed class ScoreCalculator { public int Score(int[] dice) => dice.Length; }
        public sealed class CollisionDetector { public bool Detect(float x1, float x2) => Math.Abs(x1 - x2) < 1; }
        public sealed class QueryPlanner { public double Score(string plan) => plan.Length; }
        public sealed class ChessEngine { public int Score(string fen) => 0; }
        public sealed class OrderSummaryModel { public decimal Total { get; set; } public int Items { get; set; } }
        public sealed class PredictionsController { public object Predict(HouseFeatures house) => new { house.Area }; }
        public abstract class PageModel { }
        public sealed class IndexPageModel : PageModel { public string Title { get; set; } = ""; public void OnGet() { } }
        public sealed class ForecastChartViewModel { public IReadOnlyList<double> Points { get; set; } = new double[0]; }
        public sealed class ExchangeRateProvider { public decimal Forecast(string currency) => 1m; }
        public sealed class RetryClassifierOptions { public int MaxAttempts { get; set; } }
        """;

    /// <summary>Feature names that are personal: MMON006 should report each.</summary>
    private static readonly string[] Personal =
    [
        "CustomerEmail", "EmailAddress", "PhoneNumber", "MobileNumber", "Dob", "DateOfBirth", "BirthDate", "TaxId", "Iban", "Ssn",
        "SocialSecurityNumber", "PassportNumber", "NationalId", "CardNumber", "CreditCardNumber", "Cvv", "HomeAddress",
        "ShippingAddress", "FirstName", "LastName", "FullName", "CustomerName", "Surname", "Password", "Cpf", "Person.Name",
    ];

    /// <summary>Feature names that are not personal: MMON006 should report none.</summary>
    private static readonly string[] NotPersonal =
    [
        "ProductName", "CategoryName", "FileName", "HasEmail", "IsPhoneVerified", "Product.Name", "Store.Name", "CityName",
        "CountryCode", "Region", "Channel", "Amount", "Currency", "DeviceType", "Browser", "CampaignName", "BrandName", "PlanName",
        "ModelName", "EmailDomain", "HasPassport", "AddressCount", "PhoneType",
    ];

    private const string FeatureSource = """
        using System;
        using ModelMonitoring;

        namespace Shop;

        public sealed class Request
        {
            public string? CustomerEmail { get; set; }
            public string? EmailAddress { get; set; }
            public string? PhoneNumber { get; set; }
            public string? MobileNumber { get; set; }
            public DateTime Dob { get; set; }
            public DateOnly DateOfBirth { get; set; }
            public DateTime BirthDate { get; set; }
            public string? TaxId { get; set; }
            public string? Iban { get; set; }
            public string? Ssn { get; set; }
            public string? SocialSecurityNumber { get; set; }
            public string? PassportNumber { get; set; }
            public string? NationalId { get; set; }
            public string? CardNumber { get; set; }
            public string? CreditCardNumber { get; set; }
            public int Cvv { get; set; }
            public string? HomeAddress { get; set; }
            public string? ShippingAddress { get; set; }
            public string? FirstName { get; set; }
            public string? LastName { get; set; }
            public string? FullName { get; set; }
            public string? CustomerName { get; set; }
            public string? Surname { get; set; }
            public string? Password { get; set; }
            public string? Cpf { get; set; }

            public string? ProductName { get; set; }
            public string? CategoryName { get; set; }
            public string? FileName { get; set; }
            public bool HasEmail { get; set; }
            public bool IsPhoneVerified { get; set; }
            public string? CityName { get; set; }
            public string? CountryCode { get; set; }
            public string? Region { get; set; }
            public string? Channel { get; set; }
            public decimal Amount { get; set; }
            public string? Currency { get; set; }
            public string? DeviceType { get; set; }
            public string? Browser { get; set; }
            public string? CampaignName { get; set; }
            public string? BrandName { get; set; }
            public string? PlanName { get; set; }
            public string? ModelName { get; set; }
            public string? EmailDomain { get; set; }
            public bool HasPassport { get; set; }
            public int AddressCount { get; set; }
            public string? PhoneType { get; set; }
        }

        public sealed class Person { public string? Name { get; set; } public int Age { get; set; } }
        public sealed class Product { public string? Name { get; set; } public decimal Price { get; set; } }
        public sealed class Store { public string? Name { get; set; } public int Size { get; set; } }

        [MonitoredModel("features")]
        public sealed class Model
        {
            [DriftTracked] public double Predict(Request request) => 0;
            [DriftTracked] public double ForPerson(Person person) => 0;
            [DriftTracked] public double ForProduct(Product product, Store store) => 0;
        }
        """;

    [Fact]
    public async Task MMON001_precision_and_recall_on_the_corpus()
    {
        var reported = (await AnalyzeAsync(ModelSource, new UnmonitoredModelAnalyzer(), MachineLearning))
            .Where(d => d.Id == DiagnosticIds.UnmonitoredModel)
            .Select(d => d.GetMessage().Split('\'')[1])
            .ToHashSet(StringComparer.Ordinal);

        var (truePositives, falsePositives, falseNegatives) = Score(reported, Models, NotModels);
        Report("MMON001", truePositives, falsePositives, falseNegatives, Models.Length, NotModels.Length);

        // docs/diagnostics/README.md reports these figures: every model found; 3 of 22 look-alikes reported (CollisionDetector,
        // MimeTypeDetector, PasswordStrengthScorer: rule-based, but named and typed like models).
        Assert.Empty(falseNegatives);
        Assert.Equal(["CollisionDetector", "MimeTypeDetector", "PasswordStrengthScorer"], falsePositives);
        Assert.Equal(22, truePositives.Count);
    }

    [Fact]
    public async Task MMON006_precision_and_recall_on_the_corpus()
    {
        var reported = (await AnalyzeAsync(FeatureSource, new ModelDeclarationAnalyzer()))
            .Where(d => d.Id == DiagnosticIds.PersonalFeatureNotSensitive)
            .Select(d =>
            {
                var member = d.GetMessage().Split('\'')[5];
                var type = d.Location.SourceTree!.GetRoot().FindNode(d.Location.SourceSpan).Ancestors()
                    .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax>().First().Identifier.ValueText;
                return member == "Name" ? type + ".Name" : member;
            })
            .ToHashSet(StringComparer.Ordinal);

        var (truePositives, falsePositives, falseNegatives) = Score(reported, Personal, NotPersonal);
        Report("MMON006", truePositives, falsePositives, falseNegatives, Personal.Length, NotPersonal.Length);

        // docs/diagnostics/README.md reports these figures: every personal name found, no other reported.
        Assert.Empty(falseNegatives);
        Assert.Empty(falsePositives);
    }

    private static (List<string> TruePositives, List<string> FalsePositives, List<string> FalseNegatives) Score(
        HashSet<string> reported, string[] positives, string[] negatives)
    {
        var unknown = reported.Except(positives).Except(negatives).ToList();
        Assert.True(unknown.Count == 0, "Reported outside the corpus: " + string.Join(", ", unknown));
        return (
            positives.Where(reported.Contains).Order(StringComparer.Ordinal).ToList(),
            negatives.Where(reported.Contains).Order(StringComparer.Ordinal).ToList(),
            positives.Where(p => !reported.Contains(p)).Order(StringComparer.Ordinal).ToList());
    }

    private void Report(string id, List<string> truePositives, List<string> falsePositives, List<string> falseNegatives, int positives, int negatives)
    {
        double precision = truePositives.Count / (double)(truePositives.Count + falsePositives.Count);
        double recall = truePositives.Count / (double)positives;
        output.WriteLine(FormattableString.Invariant(
            $"{id}: {positives} positives, {negatives} negatives; precision {precision:F3}, recall {recall:F3}; false positives: {string.Join(", ", falsePositives)}; missed: {string.Join(", ", falseNegatives)}"));
        Assert.True(precision >= 0.85 && recall >= 0.95, $"{id} precision {precision:F3}, recall {recall:F3}");
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string source, DiagnosticAnalyzer analyzer, params MetadataReference[] extra)
    {
        var compilation = CSharpCompilation.Create(
            "Corpus" + Guid.NewGuid().ToString("N"),
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.CSharp13)
                .WithFeatures([new KeyValuePair<string, string>("InterceptorsNamespaces", "ModelMonitoring.Generated")]))],
            TestEnvironment.Framework.Add(TestEnvironment.Attributes).AddRange(extra),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        return await compilation.WithAnalyzers([analyzer]).GetAnalyzerDiagnosticsAsync();
    }
}
