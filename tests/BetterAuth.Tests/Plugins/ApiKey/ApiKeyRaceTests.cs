using System.Text.Json.Nodes;
using BetterAuth.Core.Storage;
using BetterAuth.Plugins.ApiKey;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static BetterAuth.Tests.Plugins.ApiKey.ApiKeyTestKit;

namespace BetterAuth.Tests.Plugins.ApiKey;

/// <summary>Uses of one key under concurrency: each is counted after the one holding the key's row lock.</summary>
public sealed class ApiKeyRaceTests
{
    [Fact]
    public async Task Use_WhileAnotherUseCountsTheLastRemaining_IsRefused()
    {
        await using var host = await StartAsync();
        var (_, userId) = await SignedUpAsync(host, "held@example.com");
        var created = await Api(host).CreateApiKeyAsync(userId,
            new JsonObject { ["remaining"] = 1, ["refillAmount"] = 1, ["refillInterval"] = 86_400_000, ["rateLimitEnabled"] = false });
        var id = created["id"]!.GetValue<string>();

        // Another use of the key, midway: it holds the row and has counted the last remaining use.
        await using var held = await HeldTransaction.BeginAsync(host);
        await held.Db.LockRowAsync<ApiKeyRow>(r => r.Id, id);
        await held.Db.Set<ApiKeyRow>().Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Remaining, 0L));
        var use = WithKeyAsync(host, created["key"]!.GetValue<string>(), "/ok");
        await HeldTransaction.AssertWaitsAsync(use, "a use of the held key");
        await held.CommitAsync();
        var answer = await use.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal((401, "USAGE_EXCEEDED"), (answer.Status, answer.Code));
    }
}
