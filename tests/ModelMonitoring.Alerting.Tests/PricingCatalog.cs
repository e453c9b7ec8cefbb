using System.Globalization;
using System.Runtime.CompilerServices;
using ModelMonitoring.AspNetCore.Tests;
using ModelMonitoring.Runtime;
using PricingService;

namespace ModelMonitoring.Alerting.Tests;

/// <summary>The PricingService sample's catalog entry (registered by its generated module initializer), and its traffic.</summary>
internal static class PricingCatalog
{
    /// <summary>The descriptor the generator wrote for <see cref="PricingModel"/>.</summary>
    public static ModelDescriptor Pricing
    {
        get
        {
            RuntimeHelpers.RunModuleConstructor(typeof(PricingModel).Module.ModuleHandle);
            return ModelCatalog.Models.Single(m => m.Name == "pricing");
        }
    }

    /// <summary>A request like those of the baseline; <paramref name="shift"/> moves area and distance far from it.</summary>
    public static string Request(int i, bool drifted = false, bool unknownRating = false, string? quoteId = null) =>
        $$"""
        {"area":{{(drifted ? 400 + (i % 50) : 60 + (i % 50))}},"rooms":{{(drifted ? 9 : 2 + (i % 3))}},"region":"{{(drifted ? "South" : (i % 2 == 0 ? "North" : "East"))}}","isNew":{{(i % 5 == 0 ? "true" : "false")}},"yearBuilt":{{(drifted ? 1900 : 1980 + (i % 40))}},"distanceToCenterKm":{{(drifted ? 80 + (i % 7) : 1 + (i % 20))}},"floorLevel":{{i % 6}},"energyRating":"{{(unknownRating ? "Z" : "ABCDEFG"[i % 7].ToString())}}","channel":"{{(drifted ? "partner" : "web")}}","customerEmail":"buyer{{i}}@example.com"{{(quoteId is null ? string.Empty : $",\"quoteId\":\"{quoteId}\"")}}}
        """;

    /// <summary>
    /// Sends <paramref name="count"/> requests to <c>POST /predict</c>; returns how many were answered 200. With
    /// <paramref name="outcomes"/>, each quote carries a quote id and its sale price follows on <c>POST /outcome</c>:
    /// the quoted price within ±4 % (a deterministic pattern), or, with <paramref name="underpriced"/>, 30 % above it,
    /// an error shift the concept-drift detectors see.
    /// </summary>
    public static async Task<int> SendAsync(PricingServiceProcess service, int count, int from = 0, bool drifted = false, int unknownEvery = 0, bool outcomes = false, bool underpriced = false)
    {
        int ok = 0;
        for (int i = from; i < from + count; i++)
        {
            string? quoteId = outcomes ? $"q-{i}" : null;
            using var content = new StringContent(Request(i, drifted, unknownEvery > 0 && i % unknownEvery == 0, quoteId), System.Text.Encoding.UTF8, "application/json");
            using HttpResponseMessage response = await service.Client.PostAsync("predict", content);
            if (!response.IsSuccessStatusCode)
            {
                continue;
            }

            ok++;
            if (quoteId is not null)
            {
                double price = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["price"]!.GetValue<double>();
                double actual = price * (underpriced ? 1.3 : 1 + (((i * 7 % 9) - 4) / 100.0));
                string body = string.Create(CultureInfo.InvariantCulture, $$"""{"quoteId":"{{quoteId}}","actualPrice":{{actual:R}}}""");
                using var outcome = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
                using HttpResponseMessage joined = await service.Client.PostAsync("outcome", outcome);
                Assert.True(joined.IsSuccessStatusCode, $"POST /outcome {body}: {(int)joined.StatusCode} {await joined.Content.ReadAsStringAsync()}");
            }
        }

        return ok;
    }
}
