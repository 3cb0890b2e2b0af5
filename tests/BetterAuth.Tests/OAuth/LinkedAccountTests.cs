using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Tests.OAuth;

/// <summary>/link-social, /unlink-account, /refresh-token, /get-access-token and /account-info.</summary>
public sealed class LinkedAccountTests
{
    private static readonly FakeUser Carol = new("carol-3", "carol@example.com", "Carol");

    /// <summary>An email/password user who then links the fake provider through the redirect flow.</summary>
    private static async Task<TestClient> LinkedUserAsync(AuthTestHost host, FakeOAuthProvider idp, FakeUser? providerUser = null)
    {
        var client = host.Client();
        await client.SignUpAsync("carol@example.com");
        var r = await client.PostAsync("/link-social", new { provider = "oidc", callbackURL = "/settings" });
        Assert.True(r.Json!["redirect"]!.GetValue<bool>());
        var done = await client.GetAsync(idp.Authorize(r.Json!["url"]!.GetValue<string>(), providerUser ?? Carol));
        Assert.Equal("/settings", done.Header("Location"));
        return client;
    }

    [Fact]
    public async Task LinkSocial_RedirectFlow_LinksTheAccountToTheSignedInUser_WithoutANewSession()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        var client = await LinkedUserAsync(host, idp);
        var accounts = (await client.GetAsync("/list-accounts")).Json!.AsArray();
        Assert.Equal(["credential", "oidc"], accounts.Select(a => a!["provider"]!.GetValue<string>()).Order());
        Assert.Equal(1, await host.WithDbAsync(db => db.Sessions.CountAsync()));
        Assert.Equal(1, await host.WithDbAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task LinkSocial_AnAccountOwnedByAnotherUser_IsRefused()
    {
        var idp = new FakeOAuthProvider();
        // Different emails allowed, so the ownership check is the one that answers.
        await using var host = await idp.StartHostAsync(configure: o => o.Account.AccountLinking.AllowDifferentEmails = true);
        var owner = host.Client();
        var first = await owner.PostAsync("/sign-in/social", new { provider = "oidc" });
        await owner.GetAsync(idp.Authorize(first.Json!["url"]!.GetValue<string>(), new FakeUser("shared-1", "owner@example.com")));

        var other = host.Client();
        await other.SignUpAsync("other@example.com");
        var r = await other.PostAsync("/link-social", new { provider = "oidc", errorCallbackURL = "/err" });
        var done = await other.GetAsync(idp.Authorize(r.Json!["url"]!.GetValue<string>(), new FakeUser("shared-1", "owner@example.com")));
        Assert.Equal("/err?error=account_already_linked_to_different_user", done.Header("Location"));
        Assert.Single((await other.GetAsync("/list-accounts")).Json!.AsArray());
    }

    [Fact]
    public async Task LinkSocial_NeedsASession_AndValidatesTheBodyFirst()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        Assert.Equal(401, (await host.Client().PostAsync("/link-social", new { provider = "oidc" })).Status);
        Assert.Equal("VALIDATION_ERROR", (await host.Client().PostAsync("/link-social", new { })).Code);
    }

    [Fact]
    public async Task LinkSocial_WithIdToken_LinksSameEmail_RefusesDifferentEmail()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync("google", "google");
        var client = host.Client();
        await client.SignUpAsync("carol@example.com");
        var other = await client.PostAsync("/link-social", new { provider = "google", idToken = new { token = idp.IdToken(new FakeUser("x-1", "x@example.com")) } });
        Assert.Equal((401, "ACCOUNT_NOT_LINKED__DIFFERENT_EMAILS_NOT_ALLOWED"), (other.Status, other.Code));
        var r = await client.PostAsync("/link-social", new { provider = "google", idToken = new { token = idp.IdToken(Carol), scopes = new[] { "a", "b" } } });
        Assert.Equal(200, r.Status);
        Assert.Equal("{\"redirect\":false,\"url\":\"\",\"status\":true}", r.Text);
        var google = (await client.GetAsync("/list-accounts")).Json!.AsArray().Single(a => a!["provider"]!.GetValue<string>() == "google");
        Assert.Equal(["a", "b"], google!["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        // Linking the same account again is a no-op success.
        Assert.Equal(200, (await client.PostAsync("/link-social", new { provider = "google", idToken = new { token = idp.IdToken(Carol) } })).Status);
        Assert.Equal(2, (await client.GetAsync("/list-accounts")).Json!.AsArray().Count);
    }

    [Fact]
    public async Task Unlink_RemovesAnAccount_ButNeverTheLastOne()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        var client = await LinkedUserAsync(host, idp);
        var missing = await client.PostAsync("/unlink-account", new { providerId = "github" });
        Assert.Equal((400, "ACCOUNT_NOT_FOUND"), (missing.Status, missing.Code));
        var r = await client.PostAsync("/unlink-account", new { providerId = "oidc", accountId = "carol-3" });
        Assert.Equal("{\"status\":true}", r.Text);
        var last = await client.PostAsync("/unlink-account", new { providerId = "credential" });
        Assert.Equal((400, "YOU_CANT_UNLINK_YOUR_LAST_ACCOUNT"), (last.Status, last.Code));
        Assert.Single((await client.GetAsync("/list-accounts")).Json!.AsArray());
    }

    [Fact]
    public async Task Unlink_NeedsAFreshSession_AndAllowUnlinkingAllLiftsTheLastAccountRule()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync(configure: o =>
        {
            o.Account.AccountLinking.AllowUnlinkingAll = true;
            o.Session.FreshAge = 60;
        });
        var client = host.Client();
        await client.SignUpAsync("solo@example.com");
        host.Clock.Advance(TimeSpan.FromMinutes(2));
        var stale = await client.PostAsync("/unlink-account", new { providerId = "credential" });
        Assert.Equal((403, "SESSION_IS_NOT_FRESH"), (stale.Status, stale.Code));
        await client.SignInAsync("solo@example.com");
        Assert.Equal(200, (await client.PostAsync("/unlink-account", new { providerId = "credential" })).Status);
        Assert.Equal(0, await host.WithDbAsync(db => db.Accounts.CountAsync()));
    }

    [Fact]
    public async Task GetAccessToken_ServesTheStoredToken_AndRefreshesOnceItIsAboutToExpire()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        var client = await LinkedUserAsync(host, idp);
        var stored = await host.WithDbAsync(db => db.Accounts.SingleAsync(a => a.ProviderId == "oidc"));

        var r = await client.PostAsync("/get-access-token", new { providerId = "oidc" });
        Assert.Equal(200, r.Status);
        Assert.Equal(stored.AccessToken, r.Json!["accessToken"]!.GetValue<string>());
        Assert.Equal(["openid", "email", "profile"], r.Json!["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(["accessToken", "accessTokenExpiresAt", "scopes", "idToken"], r.Json!.AsObject().Select(p => p.Key));
        Assert.Equal(0, idp.RefreshCalls);

        host.Clock.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(3));
        var refreshed = await client.PostAsync("/get-access-token", new { providerId = "oidc", accountId = stored.Id });
        Assert.Equal(1, idp.RefreshCalls);
        Assert.NotEqual(stored.AccessToken, refreshed.Json!["accessToken"]!.GetValue<string>());
        var after = await host.WithDbAsync(db => db.Accounts.SingleAsync(a => a.ProviderId == "oidc"));
        Assert.Equal(refreshed.Json!["accessToken"]!.GetValue<string>(), after.AccessToken);
        Assert.Equal(host.Runtime.Now.AddHours(1), after.AccessTokenExpiresAt);
        Assert.NotEqual(stored.RefreshToken, after.RefreshToken);
    }

    [Fact]
    public async Task GetAccessToken_Errors()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        var client = await LinkedUserAsync(host, idp);
        var noSession = await host.Client().PostAsync("/get-access-token", new { providerId = "oidc" });
        Assert.Equal((401, ""), (noSession.Status, noSession.Text));
        Assert.Equal("PROVIDER_GITHUB_IS_NOT_SUPPORTED", (await client.PostAsync("/get-access-token", new { providerId = "github" })).Code);
        Assert.Equal("ACCOUNT_NOT_FOUND", (await client.PostAsync("/get-access-token", new { providerId = "oidc", accountId = "carol-3" })).Code);

        host.Clock.Advance(TimeSpan.FromHours(2));
        idp.Down = true;
        var down = await client.PostAsync("/get-access-token", new { providerId = "oidc" });
        Assert.Equal((400, "FAILED_TO_GET_A_VALID_ACCESS_TOKEN"), (down.Status, down.Code));
    }

    [Fact]
    public async Task RefreshToken_AlwaysRefreshes_AndStoresTheNewTokens()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        var client = await LinkedUserAsync(host, idp);
        var r = await client.PostAsync("/refresh-token", new { providerId = "oidc" });
        Assert.Equal(200, r.Status);
        Assert.Equal(["accessToken", "refreshToken", "tokenType", "scopes", "idToken", "accessTokenExpiresAt"], r.Json!.AsObject().Select(p => p.Key));
        Assert.Equal("Bearer", r.Json!["tokenType"]!.GetValue<string>());
        var stored = await host.WithDbAsync(db => db.Accounts.SingleAsync(a => a.ProviderId == "oidc"));
        Assert.Equal(r.Json!["refreshToken"]!.GetValue<string>(), stored.RefreshToken);
        Assert.Equal(1, idp.RefreshCalls);

        var credential = await client.PostAsync("/refresh-token", new { providerId = "credential" });
        Assert.Equal("PROVIDER_CREDENTIAL_IS_NOT_SUPPORTED", credential.Code);
    }

    [Fact]
    public async Task AccountInfo_AnswersTheProvidersUser_ForTheCallersAccountsOnly()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        var client = await LinkedUserAsync(host, idp);
        var r = await client.PostAsync("/account-info", new { accountId = "carol-3" });
        Assert.Equal(200, r.Status);
        Assert.Equal("carol-3", r.Json!["user"]!["id"]!.GetValue<string>());
        Assert.Equal("carol@example.com", r.Json!["user"]!["email"]!.GetValue<string>());
        Assert.True(r.Json!["user"]!["emailVerified"]!.GetValue<bool>());
        Assert.Equal(FakeOAuthProvider.ClientId, r.Json!["data"]!["aud"]!.GetValue<string>());

        var stranger = host.Client();
        await stranger.SignUpAsync("stranger@example.com");
        Assert.Equal((400, "ACCOUNT_NOT_FOUND"), await Pair(stranger.PostAsync("/account-info", new { accountId = "carol-3" })));
        Assert.Equal((400, "VALIDATION_ERROR"), await Pair(host.Client().PostAsync("/account-info", new { })));
        Assert.Equal(401, (await host.Client().PostAsync("/account-info", new { accountId = "carol-3" })).Status);
    }

    private static async Task<(int, string?)> Pair(Task<TestResponse> request)
    {
        var r = await request;
        return (r.Status, r.Code);
    }
}
