using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Tests.OAuth;

/// <summary>
/// A failed token call on <c>/refresh-token</c> and <c>/get-access-token</c> answers Better Auth's body: code, message
/// and a <c>cause</c> member (<c>{}</c> without an answer; the provider's error, status and statusText with one).
/// </summary>
public sealed class TokenCallFailureTests
{
    private static async Task<TestClient> LinkedAsync(AuthTestHost host, FakeOAuthProvider idp)
    {
        var client = host.Client();
        await client.SignUpAsync("dana@example.com");
        var r = await client.PostAsync("/link-social", new { provider = "oidc", callbackURL = "/settings" });
        Assert.Equal("/settings", (await client.GetAsync(idp.Authorize(r.Json!["url"]!.GetValue<string>(), new FakeUser("dana-1", "dana@example.com")))).Header("Location"));
        return client;
    }

    [Fact]
    public async Task ProviderUnreachable_CauseIsAnEmptyObject()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        var client = await LinkedAsync(host, idp);
        idp.Down = true;
        var refresh = await client.PostAsync("/refresh-token", new { providerId = "oidc" });
        Assert.Equal(400, refresh.Status);
        Assert.Equal("{\"code\":\"FAILED_TO_REFRESH_ACCESS_TOKEN\",\"message\":\"Failed to refresh access token\",\"cause\":{}}", refresh.Text);

        host.Clock.Advance(TimeSpan.FromHours(2));
        var access = await client.PostAsync("/get-access-token", new { providerId = "oidc" });
        Assert.Equal("{\"code\":\"FAILED_TO_GET_A_VALID_ACCESS_TOKEN\",\"message\":\"Failed to get a valid access token\",\"cause\":{}}", access.Text);
    }

    [Fact]
    public async Task ProviderRefuses_CauseCarriesItsErrorAndStatus()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        var client = await LinkedAsync(host, idp);
        await host.WithDbAsync(db => db.Accounts.Where(a => a.ProviderId == "oidc").ExecuteUpdateAsync(s => s.SetProperty(a => a.RefreshToken, "revoked")));
        var refresh = await client.PostAsync("/refresh-token", new { providerId = "oidc" });
        Assert.Equal(400, refresh.Status);
        Assert.Equal("FAILED_TO_REFRESH_ACCESS_TOKEN", refresh.Code);
        Assert.Equal("{\"error\":\"invalid_grant\",\"status\":400,\"statusText\":\"Bad Request\"}", refresh.Json!["cause"]!.ToJsonString());
    }

    [Fact]
    public async Task NoStoredRefreshToken_CauseIsAnEmptyObject_AndOtherErrorsHaveNoCause()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        var client = await LinkedAsync(host, idp);
        await host.WithDbAsync(db => db.Accounts.Where(a => a.ProviderId == "oidc").ExecuteUpdateAsync(s => s.SetProperty(a => a.RefreshToken, (string?)null)));
        var refresh = await client.PostAsync("/refresh-token", new { providerId = "oidc" });
        Assert.Equal("{}", refresh.Json!["cause"]!.ToJsonString());
        var unknown = await client.PostAsync("/refresh-token", new { providerId = "github" });
        Assert.Equal("{\"code\":\"PROVIDER_GITHUB_IS_NOT_SUPPORTED\",\"message\":\"Provider github is not supported.\"}", unknown.Text);
    }
}
