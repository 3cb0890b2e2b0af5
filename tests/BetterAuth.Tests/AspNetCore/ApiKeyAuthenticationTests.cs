using System.Text.Json.Nodes;
using BetterAuth.AspNetCore;
using BetterAuth.Plugins.ApiKey;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Tests.AspNetCore;

/// <summary>The Better Auth scheme with the API key plugin: a key in x-api-key authenticates the host's endpoints.</summary>
public sealed class ApiKeyAuthenticationTests
{
    private const string Me = ProtectedAppHost.Origin + "/app/me";
    private const string Files = ProtectedAppHost.Origin + "/app/files";

    private static Task<ProtectedAppHost> StartAsync() => ProtectedAppHost.StartAsync(o => o.Plugins.Add(new ApiKeyPlugin()));

    private static Task<TestResponse> WithKeyAsync(ProtectedAppHost host, string key, string url) =>
        host.Client().SendAsync(HttpMethod.Get, url, null, r => r.Headers.Add("x-api-key", key));

    [Fact]
    public async Task AKey_AuthenticatesAsItsUser_WithItsIdAndPermissionsAsClaims()
    {
        await using var host = await StartAsync();
        var (_, userId) = await host.UserAsync("key@app.test");
        var created = await host.Api.CreateApiKeyAsync(userId, new JsonObject
        {
            ["name"] = "reader",
            ["permissions"] = new JsonObject { ["files"] = new JsonArray("read", "write"), ["reports"] = new JsonArray("read") },
        });
        var r = await WithKeyAsync(host, created["key"]!.GetValue<string>(), Me);
        Assert.Equal(200, r.Status);
        Assert.Equal(userId, r.Json!["id"]!.GetValue<string>());
        Assert.Equal(created["id"]!.GetValue<string>(), r.Json!["apiKeyId"]!.GetValue<string>());
        Assert.Equal(["files:read", "files:write", "reports:read"], r.Json!["apiKeyPermissions"]!.AsArray().Select(x => x!.GetValue<string>()).Order());
        Assert.Equal(["user"], r.Json!["roles"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Empty(r.SetCookies);
    }

    [Fact]
    public async Task PermissionPolicy_NeedsEveryActionOnTheKey_AndAKey()
    {
        await using var host = await StartAsync();
        var (session, userId) = await host.UserAsync("policy@app.test");
        var writer = await host.Api.CreateApiKeyAsync(userId, new JsonObject { ["permissions"] = new JsonObject { ["files"] = new JsonArray("read", "write") } });
        var reader = await host.Api.CreateApiKeyAsync(userId, new JsonObject { ["permissions"] = new JsonObject { ["files"] = new JsonArray("read") } });
        var none = await host.Api.CreateApiKeyAsync(userId);
        Assert.Equal(200, (await WithKeyAsync(host, writer["key"]!.GetValue<string>(), Files)).Status);
        Assert.Equal(403, (await WithKeyAsync(host, reader["key"]!.GetValue<string>(), Files)).Status);
        Assert.Equal(403, (await WithKeyAsync(host, none["key"]!.GetValue<string>(), Files)).Status);
        Assert.Equal(403, (await session.GetAsync(Files)).Status); // a cookie session has no key permissions
    }

    [Fact]
    public async Task AnInvalidOrExhaustedKey_Is401_WithTheReason()
    {
        await using var host = await StartAsync();
        var (_, userId) = await host.UserAsync("refused@app.test");
        var unknown = await WithKeyAsync(host, new string('Q', 64), Me);
        Assert.Equal(401, unknown.Status);
        Assert.Equal("Invalid API key.", unknown.Json!["detail"]!.GetValue<string>());

        var created = await host.Api.CreateApiKeyAsync(userId, new JsonObject { ["remaining"] = 1, ["rateLimitEnabled"] = false });
        var key = created["key"]!.GetValue<string>();
        Assert.Equal(200, (await WithKeyAsync(host, key, Me)).Status);
        var spent = await WithKeyAsync(host, key, Me);
        Assert.Equal(401, spent.Status);
        Assert.Contains("usage limit", spent.Text);
    }

    [Fact]
    public async Task ServerApi_CreatesForAUser_VerifiesWithPermissions_AndRefusesAnUnknownUser()
    {
        await using var host = await StartAsync();
        var (_, userId) = await host.UserAsync("server@app.test");
        var created = await host.Api.CreateApiKeyAsync(userId, new JsonObject
        {
            ["remaining"] = 5,
            ["permissions"] = new JsonObject { ["files"] = new JsonArray("read") },
        });
        Assert.Equal(5, created["remaining"]!.GetValue<long>());
        var key = created["key"]!.GetValue<string>();

        var granted = await host.Api.VerifyApiKeyAsync(key, new Dictionary<string, string[]> { ["files"] = ["read"] });
        Assert.True(granted.Valid);
        Assert.Null(granted.Key!["key"]);
        Assert.Equal(4, granted.Key!["remaining"]!.GetValue<long>());
        var denied = await host.Api.VerifyApiKeyAsync(key, new Dictionary<string, string[]> { ["files"] = ["delete"] });
        Assert.False(denied.Valid);
        Assert.Equal("KEY_NOT_FOUND", denied.Error!.Code);
        Assert.False((await host.Api.VerifyApiKeyAsync("short")).Valid);

        var updated = await host.Api.UpdateApiKeyAsync(userId, created["id"]!.GetValue<string>(), new JsonObject { ["remaining"] = 50 });
        Assert.Equal(50, updated["remaining"]!.GetValue<long>());

        var unknown = await Assert.ThrowsAsync<BetterAuthApiException>(() => host.Api.CreateApiKeyAsync("no-such-user"));
        Assert.Equal(404, unknown.Response.Status);
    }

    [Fact]
    public async Task ServerOnlyOperations_AreNotRoutedForClients()
    {
        await using var host = await StartAsync();
        var client = host.Client();
        var verify = await client.PostAsync("/api-key/verify", new { key = new string('Q', 64) });
        Assert.Equal(404, verify.Status);
        Assert.Equal("", verify.Text);
        Assert.Equal(404, (await client.PostAsync("/api-key/delete-all-expired-api-keys", new { })).Status);
    }

    [Fact]
    public async Task ServerApi_DeletesExpiredKeys()
    {
        await using var host = await StartAsync();
        var (client, _) = await host.UserAsync("expired@app.test");
        Assert.Equal(200, (await client.PostAsync("/api-key/create", new { name = "soon", expiresIn = 86400 })).Status);
        Assert.Equal(200, (await client.PostAsync("/api-key/create", new { name = "never" })).Status);
        host.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(2, await host.WithDbAsync(db => db.Set<ApiKeyRow>().CountAsync()));
        await host.Api.DeleteExpiredApiKeysAsync();
        Assert.Equal(["never"], await host.WithDbAsync(db => db.Set<ApiKeyRow>().Select(k => k.Name!).ToListAsync()));
    }
}
