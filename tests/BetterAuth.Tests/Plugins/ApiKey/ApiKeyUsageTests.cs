using System.Text.Json.Nodes;
using BetterAuth.Plugins.Admin;
using BetterAuth.Plugins.ApiKey;
using Microsoft.EntityFrameworkCore;
using static BetterAuth.Tests.Plugins.ApiKey.ApiKeyTestKit;

namespace BetterAuth.Tests.Plugins.ApiKey;

public class ApiKeyUsageTests
{
    [Fact]
    public async Task GetSession_WithAKey_AnswersTheKeysSession_WithoutTheKey()
    {
        await using var host = await StartAsync();
        var (client, userId) = await SignedUpAsync(host, "session@example.com");
        var created = await CreateAsync(client);
        var key = created["key"]!.GetValue<string>();
        var r = await WithKeyAsync(host, key, "/get-session");
        Assert.Equal(200, r.Status);
        Assert.Equal(userId, r.Json!["user"]!["id"]!.GetValue<string>());
        Assert.Equal(created["id"]!.GetValue<string>(), r.Json!["session"]!["id"]!.GetValue<string>());
        Assert.DoesNotContain(key, r.Text);
        Assert.Empty(r.SetCookies);
    }

    [Fact]
    public async Task UpdateUser_WithAKey_ChangesTheUser_AndSetsNoCookie()
    {
        await using var host = await StartAsync();
        var (client, _) = await SignedUpAsync(host, "cookie@example.com");
        var key = (await CreateAsync(client))["key"]!.GetValue<string>();
        var r = await WithKeyAsync(host, key, "/update-user", new { name = "Keyed" });
        Assert.Equal(200, r.Status);
        Assert.Empty(r.SetCookies);
        Assert.Equal("Keyed", (await client.GetAsync("/get-session")).Json!["user"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task AKeysSession_CannotMintOrWidenKeys_ButMayListAndDelete()
    {
        await using var host = await StartAsync();
        var (client, _) = await SignedUpAsync(host, "mint@example.com");
        var created = await CreateAsync(client);
        var key = created["key"]!.GetValue<string>();
        Assert.Equal(401, (await WithKeyAsync(host, key, "/api-key/create", new { name = "minted" })).Status);
        Assert.Equal(401, (await WithKeyAsync(host, key, "/api-key/update", new { keyId = created["id"]!.GetValue<string>(), expiresIn = 86400 * 300 })).Status);
        Assert.Single((await WithKeyAsync(host, key, "/api-key/list")).Json!.AsArray());
        Assert.Equal(200, (await WithKeyAsync(host, key, "/api-key/delete", new { keyId = created["id"]!.GetValue<string>() })).Status);
        Assert.Equal(0, await CountAsync(host));
    }

    [Theory]
    [InlineData("short", 403, "INVALID_API_KEY")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 401, "INVALID_API_KEY")]
    public async Task UnknownKeys_AreRefusedOnAnyEndpoint(string key, int status, string code)
    {
        await using var host = await StartAsync();
        var r = await WithKeyAsync(host, key, "/ok");
        Assert.Equal(status, r.Status);
        Assert.Equal(code, r.Code);
    }

    [Fact]
    public async Task DisableSessionForApiKeys_IgnoresTheHeader()
    {
        await using var host = await StartAsync(o => o.DisableSessionForApiKeys = true);
        var r = await WithKeyAsync(host, "short", "/get-session");
        Assert.Equal(200, r.Status);
        Assert.Equal("null", r.Text);
    }

    [Fact]
    public async Task Remaining_IsCountedDown_ThenTheKeyIsExhaustedAndDeleted()
    {
        await using var host = await StartAsync();
        var (_, userId) = await SignedUpAsync(host, "remaining@example.com");
        var created = await Api(host).CreateApiKeyAsync(userId, new JsonObject { ["remaining"] = 2, ["rateLimitEnabled"] = false });
        var key = created["key"]!.GetValue<string>();
        Assert.Equal(200, (await WithKeyAsync(host, key, "/ok")).Status);
        Assert.Equal(1, (await RowAsync(host, created["id"]!.GetValue<string>())).Remaining);
        Assert.Equal(200, (await WithKeyAsync(host, key, "/ok")).Status);
        var spent = await WithKeyAsync(host, key, "/ok");
        Assert.Equal(401, spent.Status);
        Assert.Equal("USAGE_EXCEEDED", spent.Code);
        Assert.Equal(0, await CountAsync(host));
    }

    [Fact]
    public async Task Remaining_IsRefilledAfterTheIntervalInMilliseconds()
    {
        await using var host = await StartAsync();
        var (_, userId) = await SignedUpAsync(host, "refill@example.com");
        var created = await Api(host).CreateApiKeyAsync(userId, new JsonObject
        {
            ["remaining"] = 1,
            ["refillAmount"] = 3,
            ["refillInterval"] = 60_000,
            ["rateLimitEnabled"] = false,
        });
        var key = created["key"]!.GetValue<string>();
        Assert.Equal(200, (await WithKeyAsync(host, key, "/ok")).Status);
        Assert.Equal("USAGE_EXCEEDED", (await WithKeyAsync(host, key, "/ok")).Code);
        host.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(200, (await WithKeyAsync(host, key, "/ok")).Status);
        var row = await RowAsync(host, created["id"]!.GetValue<string>());
        Assert.Equal(2, row.Remaining);
        Assert.Equal(host.Clock.GetUtcNow().UtcDateTime, row.LastRefillAt);
    }

    [Fact]
    public async Task RateLimit_RefusesPastTheMaximumWithinTheWindow_WithoutCountingTheRefusedUse()
    {
        await using var host = await StartAsync();
        var (_, userId) = await SignedUpAsync(host, "rate@example.com");
        var created = await Api(host).CreateApiKeyAsync(userId, new JsonObject
        {
            ["rateLimitMax"] = 2,
            ["rateLimitTimeWindow"] = 60_000,
            ["remaining"] = 10,
        });
        var key = created["key"]!.GetValue<string>();
        Assert.Equal(200, (await WithKeyAsync(host, key, "/ok")).Status);
        host.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(200, (await WithKeyAsync(host, key, "/ok")).Status);
        var limited = await WithKeyAsync(host, key, "/ok");
        Assert.Equal(401, limited.Status);
        Assert.Equal("RATE_LIMITED", limited.Code);
        Assert.Equal("Rate limit exceeded.", limited.Json!["message"]!.GetValue<string>());
        Assert.Equal(60_000, limited.Json!["details"]!["tryAgainIn"]!.GetValue<long>()); // measured from the last allowed request, as Better Auth does
        Assert.Equal(8, (await RowAsync(host, created["id"]!.GetValue<string>())).Remaining);
        host.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(200, (await WithKeyAsync(host, key, "/ok")).Status);
    }

    [Fact]
    public async Task ConcurrentUses_OfTheLastRemaining_SucceedOnce()
    {
        await using var host = await StartAsync();
        var (_, userId) = await SignedUpAsync(host, "race@example.com");
        var created = await Api(host).CreateApiKeyAsync(userId, new JsonObject { ["remaining"] = 1, ["refillAmount"] = 1, ["refillInterval"] = 86_400_000, ["rateLimitEnabled"] = false });
        var key = created["key"]!.GetValue<string>();
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => WithKeyAsync(host, key, "/ok")));
        Assert.Equal(1, answers.Count(a => a.Status == 200));
        Assert.All(answers.Where(a => a.Status != 200), a => Assert.Equal("USAGE_EXCEEDED", a.Code));
    }

    [Fact]
    public async Task ExpiredAndDisabledKeys_AreRefused_ExpiredOnesDeleted()
    {
        await using var host = await StartAsync();
        var (client, _) = await SignedUpAsync(host, "expired@example.com");
        var expiring = await CreateAsync(client, new { name = "e", expiresIn = 86400 });
        var disabled = await CreateAsync(client, new { name = "d" });
        await client.PostAsync("/api-key/update", new { keyId = disabled["id"]!.GetValue<string>(), enabled = false });
        Assert.Equal("KEY_DISABLED", (await WithKeyAsync(host, disabled["key"]!.GetValue<string>(), "/ok")).Code);
        host.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        var r = await WithKeyAsync(host, expiring["key"]!.GetValue<string>(), "/ok");
        Assert.Equal(401, r.Status);
        Assert.Equal("KEY_EXPIRED", r.Code);
        Assert.Equal(1, await CountAsync(host));
    }

    [Fact]
    public async Task ABannedUsersKeys_StopWorking_AsTheirSignInsDo()
    {
        await using var host = await StartAsync(auth: o => o.Plugins.Add(new AdminPlugin()));
        var (client, userId) = await SignedUpAsync(host, "banned-key@example.com");
        var key = (await CreateAsync(client))["key"]!.GetValue<string>();
        Assert.Equal(200, (await WithKeyAsync(host, key, "/get-session")).Status);
        await host.WithDbAsync(db => db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => EF.Property<bool?>(u, "banned"), true)));
        var r = await WithKeyAsync(host, key, "/get-session");
        Assert.Equal(403, r.Status);
        Assert.Equal("BANNED_USER", r.Code);
    }

    [Fact]
    public async Task DeletingAUser_DeletesTheirKeys()
    {
        await using var host = await StartAsync(auth: o => o.User.DeleteUser.Enabled = true);
        var (client, _) = await SignedUpAsync(host, "delete-user@example.com");
        await CreateAsync(client);
        Assert.Equal(200, (await client.PostAsync("/delete-user", new { password = "password123" })).Status);
        Assert.Equal(0, await CountAsync(host));
    }

    [Fact]
    public async Task AKeyTheReferenceCreated_AuthenticatesHere()
    {
        await using var host = await StartAsync();
        var (_, userId) = await SignedUpAsync(host, "reference-key@example.com");
        await host.WithDbAsync(async db => { db.Set<ApiKeyRow>().Add(ReferenceApiKey.Row(userId)); return await db.SaveChangesAsync(); });
        var r = await WithKeyAsync(host, ReferenceApiKey.Key, "/get-session");
        Assert.Equal(200, r.Status);
        Assert.Equal(userId, r.Json!["user"]!["id"]!.GetValue<string>());
        Assert.Equal(1, (await RowAsync(host, ReferenceApiKey.Row(userId).Id)).RequestCount);
    }
}
