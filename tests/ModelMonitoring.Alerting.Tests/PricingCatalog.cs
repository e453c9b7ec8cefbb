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
    public static string Request(int i, bool drifted = false, bool unknownRating = false) =>
        $$"""
        {"area":{{(drifted ? 400 + (i % 50) : 60 + (i % 50))}},"rooms":{{(drifted ? 9 : 2 + (i % 3))}},"region":"{{(drifted ? "South" : (i % 2 == 0 ? "North" : "East"))}}","isNew":{{(i % 5 == 0 ? "true" : "false")}},"yearBuilt":{{(drifted ? 1900 : 1980 + (i % 40))}},"distanceToCenterKm":{{(drifted ? 80 + (i % 7) : 1 + (i % 20))}},"floorLevel":{{i % 6}},"energyRating":"{{(unknownRating ? "Z" : "ABCDEFG"[i % 7].ToString())}}","channel":"{{(drifted ? "partner" : "web")}}","customerEmail":"buyer{{i}}@example.com"}
        """;

    /// <summary>Sends <paramref name="count"/> requests to <c>POST /predict</c>; returns how many were answered 200.</summary>
    public static async Task<int> SendAsync(PricingServiceProcess service, int count, int from = 0, bool drifted = false, int unknownEvery = 0)
    {
        int ok = 0;
        for (int i = from; i < from + count; i++)
        {
            using var content = new StringContent(Request(i, drifted, unknownEvery > 0 && i % unknownEvery == 0), System.Text.Encoding.UTF8, "application/json");
            using HttpResponseMessage response = await service.Client.PostAsync("predict", content);
            if (response.IsSuccessStatusCode)
            {
                ok++;
            }
        }

        return ok;
    }
}
