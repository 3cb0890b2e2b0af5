using System.Security.Cryptography;
using System.Text;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Tests.OAuth;

/// <summary>
/// Identity comes from what was verified: the account id is the subject of the verified ID token (or of the one the
/// token endpoint answered), and a user-info answer fetched with an access token counts only when it describes that
/// same subject (OpenID Connect Core §5.3.2). Checked for every provider and for both the ID-token and callback paths.
/// </summary>
public sealed class VerifiedIdentityTests
{
    private static readonly FakeUser Alice = new("alice-1", "alice@example.com", "Alice");
    private static readonly FakeUser Eve = new("eve-6", "eve@example.com", "Eve");

    private static Task<TestResponse> IdTokenSignInAsync(TestClient client, string provider, string token, string? accessToken = null,
        string? nonce = null) =>
        client.PostAsync("/sign-in/social", new { provider, idToken = new { token, accessToken, nonce } });

    /// <summary>Alice signs in once through the redirect flow, so her user and account exist.</summary>
    private static async Task<TestClient> SignedInThroughProviderAsync(AuthTestHost host, FakeOAuthProvider idp, FakeUser user)
    {
        var client = host.Client();
        var start = await client.PostAsync("/sign-in/social", new { provider = "oidc" });
        var done = await client.GetAsync(idp.Authorize(start.Json!["url"]!.GetValue<string>(), user));
        Assert.NotNull(done.Cookie("better-auth.session_token"));
        return client;
    }

    [Fact]
    public async Task IdTokenOfOnePerson_WithAnAccessTokenOfAnother_DoesNotSignInAsTheOther()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        await SignedInThroughProviderAsync(host, idp, Alice);

        // Eve's own ID token (no email claim, so user info is needed) with an access token of Alice's.
        var attack = await IdTokenSignInAsync(host.Client(), "oidc", idp.IdToken(Eve, withEmail: false), idp.AccessTokenFor(Alice));
        Assert.Equal((401, "FAILED_TO_GET_USER_INFO"), (attack.Status, attack.Code));
        Assert.Null(attack.Cookie("better-auth.session_token"));
        Assert.Equal(1, await host.WithDbAsync(db => db.Sessions.CountAsync()));

        // With her own access token the user info is hers: signed in as Eve, identified by the verified subject.
        var own = await IdTokenSignInAsync(host.Client(), "oidc", idp.IdToken(Eve, withEmail: false), idp.AccessTokenFor(Eve));
        Assert.Equal(200, own.Status);
        Assert.Equal("eve@example.com", own.Json!["user"]!["email"]!.GetValue<string>());
        Assert.Equal("eve-6", (await host.WithDbAsync(db => db.Accounts.SingleAsync(a => a.AccountId != "alice-1"))).AccountId);
    }

    [Fact]
    public async Task LinkSocial_IdTokenOfOnePerson_WithAnAccessTokenOfAnother_LinksNothing()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync(configure: o => o.Account.AccountLinking.AllowDifferentEmails = true);
        var eve = host.Client();
        await eve.SignUpAsync("eve@example.com");
        var r = await eve.PostAsync("/link-social", new { provider = "oidc", idToken = new { token = idp.IdToken(Eve, withEmail: false), accessToken = idp.AccessTokenFor(Alice) } });
        Assert.Equal((401, "FAILED_TO_GET_USER_INFO"), (r.Status, r.Code));
        Assert.DoesNotContain(await host.WithDbAsync(db => db.Accounts.Select(a => a.AccountId).ToListAsync()), id => id == "alice-1");
    }

    [Fact]
    public async Task Callback_UserInfoAboutAnotherSubjectThanTheIdToken_IsNotUsed()
    {
        var idp = new FakeOAuthProvider { IdTokensWithoutEmail = true };
        await using var host = await idp.StartHostAsync();
        idp.UserInfoSubject = _ => Eve;
        var client = host.Client();
        var start = await client.PostAsync("/sign-in/social", new { provider = "oidc", errorCallbackURL = "/oops" });
        var r = await client.GetAsync(idp.Authorize(start.Json!["url"]!.GetValue<string>(), Alice));
        Assert.Equal("/oops?error=unable_to_get_user_info", r.Header("Location"));
        Assert.Equal(0, await host.WithDbAsync(db => db.Users.CountAsync()));

        // When the user info is about the ID token's subject, its email completes the profile.
        idp.UserInfoSubject = user => user;
        var again = host.Client();
        var second = await again.PostAsync("/sign-in/social", new { provider = "oidc" });
        Assert.NotNull((await again.GetAsync(idp.Authorize(second.Json!["url"]!.GetValue<string>(), Alice))).Cookie("better-auth.session_token"));
        var account = await host.WithDbAsync(db => db.Accounts.SingleAsync());
        Assert.Equal("alice-1", account.AccountId);
        Assert.Equal("alice@example.com", (await again.GetAsync("/get-session")).Json!["user"]!["email"]!.GetValue<string>());
    }

    /// <summary>Every provider that verifies ID tokens takes the account from the token, whatever access token comes with it.</summary>
    [Theory]
    [InlineData("google")]
    [InlineData("apple")]
    [InlineData("facebook")]
    [InlineData("oidc")]
    public async Task EveryIdTokenProvider_TakesTheAccountFromTheVerifiedToken_NotFromTheAccessToken(string type)
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync(type, type);
        var r = await IdTokenSignInAsync(host.Client(), type, idp.IdToken(Eve), idp.AccessTokenFor(Alice));
        Assert.Equal(200, r.Status);
        Assert.Equal("eve@example.com", r.Json!["user"]!["email"]!.GetValue<string>());
        var account = await host.WithDbAsync(db => db.Accounts.SingleAsync());
        Assert.Equal((type, "eve-6"), (account.ProviderId, account.AccountId));
    }

    /// <summary>Providers that cannot verify an ID token refuse one before asking anyone about the access token.</summary>
    [Theory]
    [InlineData("github")]
    [InlineData("discord")]
    [InlineData("gitlab")]
    [InlineData("microsoft")]
    public async Task ProvidersWithoutIdTokenVerification_RefuseIdTokenSignInAndLink(string type)
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync(type, type);
        var client = host.Client();
        var r = await IdTokenSignInAsync(client, type, idp.IdToken(Eve), idp.AccessTokenFor(Alice));
        Assert.Equal((404, "ID_TOKEN_NOT_SUPPORTED"), (r.Status, r.Code));
        await client.SignUpAsync("eve@example.com");
        var link = await client.PostAsync("/link-social", new { provider = type, idToken = new { token = idp.IdToken(Eve), accessToken = idp.AccessTokenFor(Alice) } });
        Assert.Equal((404, "ID_TOKEN_NOT_SUPPORTED"), (link.Status, link.Code));
        Assert.Empty(idp.Requests);
        Assert.Equal(0, await host.WithDbAsync(db => db.Accounts.CountAsync(a => a.ProviderId == type)));
    }

    [Fact]
    public async Task AccessTokenNotTheOneTheIdTokensAtHashNames_IsRefused()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync("google", "google");
        var issuedWith = idp.AccessTokenFor(Eve);
        var token = idp.IdToken(Eve, atHashOf: issuedWith);
        var other = await IdTokenSignInAsync(host.Client(), "google", token, idp.AccessTokenFor(Alice));
        Assert.Equal((401, "INVALID_TOKEN"), (other.Status, other.Code));
        Assert.Equal(200, (await IdTokenSignInAsync(host.Client(), "google", token, issuedWith)).Status);
        // A token naming no access token leaves the access token to the user-info rule; one without access token is fine.
        Assert.Equal(200, (await IdTokenSignInAsync(host.Client(), "google", token)).Status);
    }

    [Fact]
    public async Task Apple_AcceptsTheHashedNonceOfItsNativeSdk_AndStillRefusesAWrongOne()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync("apple", "apple");
        var hashed = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("raw-nonce")));
        Assert.Equal(200, (await IdTokenSignInAsync(host.Client(), "apple", idp.IdToken(Eve, nonce: hashed), nonce: "raw-nonce")).Status);
        Assert.Equal(401, (await IdTokenSignInAsync(host.Client(), "apple", idp.IdToken(Eve, nonce: hashed), nonce: "other-nonce")).Status);
        // Only Apple: Google compares the nonce as given.
        await using var google = await idp.StartHostAsync("google", "google");
        Assert.Equal(401, (await IdTokenSignInAsync(google.Client(), "google", idp.IdToken(Eve, nonce: hashed), nonce: "raw-nonce")).Status);
    }

    [Fact]
    public async Task ProfileWithoutSubject_IsNoUser_OnTheCallbackAndTheIdTokenPath()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        var nobody = new FakeUser("", "nobody@example.com");
        var client = host.Client();
        var start = await client.PostAsync("/sign-in/social", new { provider = "oidc" });
        var r = await client.GetAsync(idp.Authorize(start.Json!["url"]!.GetValue<string>(), nobody));
        Assert.Equal("http://localhost/api/auth/error?error=unable_to_get_user_info", r.Header("Location"));
        var direct = await IdTokenSignInAsync(host.Client(), "oidc", idp.IdToken(nobody));
        Assert.Equal(401, direct.Status);
        Assert.Equal(0, await host.WithDbAsync(db => db.Accounts.CountAsync()));
    }

    [Fact]
    public async Task MapProfileToUser_AdjustsTheProfile_ButNotTheAccountId()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync(provider: p => p.MapProfileToUser = u => u with { Id = "chosen-by-host", Name = "Mapped" });
        var client = await SignedInThroughProviderAsync(host, idp, Alice);
        Assert.Equal("Mapped", (await client.GetAsync("/get-session")).Json!["user"]!["name"]!.GetValue<string>());
        Assert.Equal("alice-1", (await host.WithDbAsync(db => db.Accounts.SingleAsync())).AccountId);
    }

    [Fact]
    public async Task AccountInfo_AnswersOnlyAboutTheAccountsOwnProviderUser()
    {
        var idp = new FakeOAuthProvider { IdTokensWithoutEmail = true };
        await using var host = await idp.StartHostAsync();
        var client = await SignedInThroughProviderAsync(host, idp, Alice);
        Assert.Equal("alice-1", (await client.PostAsync("/account-info", new { accountId = "alice-1" })).Json!["user"]!["id"]!.GetValue<string>());

        // A stored access token that the provider says is someone else's (and no ID token): nothing about that someone.
        var eves = idp.AccessTokenFor(Eve);
        await host.WithDbAsync(db => db.Accounts.ExecuteUpdateAsync(s => s.SetProperty(a => a.AccessToken, eves).SetProperty(a => a.IdToken, (string?)null)));
        var r = await client.GetAsync("/account-info?accountId=alice-1");
        Assert.Equal((401, "FAILED_TO_GET_USER_INFO"), (r.Status, r.Code));
        Assert.DoesNotContain("eve", (await client.PostAsync("/account-info", new { accountId = "alice-1" })).Text);
    }
}
