using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Tests.OAuth;

/// <summary>/sign-in/social with an ID token the client got from the provider (Google's, here served by the fake).</summary>
public sealed class IdTokenSignInTests
{
    private static readonly FakeUser Bob = new("bob-7", "bob@example.com", "Bob");

    private static Task<TestResponse> SignInAsync(AuthTestHost host, string token, string? nonce = null) =>
        host.Client().PostAsync("/sign-in/social", new { provider = "google", idToken = new { token, nonce, accessToken = "client-at" } });

    [Fact]
    public async Task ValidToken_SignsIn_WithSessionCookieAndUserSummary()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync("google", "google");
        var r = await SignInAsync(host, idp.IdToken(Bob));
        Assert.Equal(200, r.Status);
        Assert.False(r.Json!["redirect"]!.GetValue<bool>());
        Assert.Null(r.Json!["url"]);
        Assert.Equal(32, r.Json!["token"]!.GetValue<string>().Length);
        Assert.Equal("bob@example.com", r.Json!["user"]!["email"]!.GetValue<string>());
        Assert.Equal("https://img.test/bob-7.png", r.Json!["user"]!["image"]!.GetValue<string>());
        Assert.Equal(["id", "email", "name", "image", "emailVerified", "createdAt", "updatedAt"],
            r.Json!["user"]!.AsObject().Select(p => p.Key));
        Assert.NotNull(r.Cookie("better-auth.session_token"));
        var account = await host.WithDbAsync(db => db.Accounts.SingleAsync());
        Assert.Equal(("google", "bob-7", "client-at"), (account.ProviderId, account.AccountId, account.AccessToken));
    }

    [Fact]
    public async Task TokenSignedByAnotherKey_IsRefused()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync("google", "google");
        var r = await SignInAsync(host, idp.IdToken(Bob, key: FakeOAuthProvider.NewKey("key-1")));
        Assert.Equal((401, "INVALID_TOKEN"), (r.Status, r.Code));
        Assert.Equal(0, await host.WithDbAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task TamperedPayload_IsRefused()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync("google", "google");
        var parts = idp.IdToken(Bob).Split('.');
        var forged = idp.IdToken(Bob with { Email = "admin@example.com" }).Split('.')[1];
        var r = await SignInAsync(host, $"{parts[0]}.{forged}.{parts[2]}");
        Assert.Equal((401, "INVALID_TOKEN"), (r.Status, r.Code));
    }

    [Fact]
    public async Task WrongAudienceOrIssuer_IsRefused()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync("google", "google");
        Assert.Equal(401, (await SignInAsync(host, idp.IdToken(Bob, audience: "someone-elses-client"))).Status);
        Assert.Equal(401, (await SignInAsync(host, idp.IdToken(Bob, issuer: "https://evil.test"))).Status);
    }

    [Fact]
    public async Task ExpiredToken_IsRefused_OnTheServersClock()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync("google", "google");
        var token = idp.IdToken(Bob, lifetime: TimeSpan.FromMinutes(5));
        host.Clock.Advance(TimeSpan.FromMinutes(10));
        var r = await SignInAsync(host, token);
        Assert.Equal((401, "INVALID_TOKEN"), (r.Status, r.Code));
    }

    [Fact]
    public async Task Nonce_MustMatchWhenGiven()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync("google", "google");
        Assert.Equal(401, (await SignInAsync(host, idp.IdToken(Bob, nonce: "n-1"), nonce: "n-2")).Status);
        Assert.Equal(401, (await SignInAsync(host, idp.IdToken(Bob), nonce: "n-2")).Status);
        Assert.Equal(200, (await SignInAsync(host, idp.IdToken(Bob, nonce: "n-1"), nonce: "n-1")).Status);
    }

    [Fact]
    public async Task UnverifiedEmailOfAnExistingUser_IsNotLinked_401AccountNotLinked()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync("google", "google");
        await host.Client().SignUpAsync("bob@example.com");
        var r = await SignInAsync(host, idp.IdToken(Bob with { EmailVerified = false }));
        Assert.Equal((401, "ACCOUNT_NOT_LINKED", "account not linked"), (r.Status, r.Code, r.Json!["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ProviderWithoutIdTokens_AnswersIdTokenNotSupported_AndDisabledIdTokensAreInvalid()
    {
        var idp = new FakeOAuthProvider();
        await using (var host = await idp.StartHostAsync("github", "github"))
        {
            var r = await host.Client().PostAsync("/sign-in/social", new { provider = "github", idToken = new { token = idp.IdToken(Bob) } });
            Assert.Equal((404, "ID_TOKEN_NOT_SUPPORTED"), (r.Status, r.Code));
        }
        await using (var host = await idp.StartHostAsync("google", "google", provider: p => p.DisableIdTokenSignIn = true))
            Assert.Equal(401, (await SignInAsync(host, idp.IdToken(Bob))).Status);
    }

    [Fact]
    public async Task KeysUnreachable_Answers502_NotAHangOr500()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync("google", "google");
        var token = idp.IdToken(Bob);
        idp.Down = true;
        var r = await SignInAsync(host, token);
        Assert.Equal((502, "OAUTH_PROVIDER_UNAVAILABLE"), (r.Status, r.Code));
    }
}
