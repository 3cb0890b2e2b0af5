using BetterAuth.Core.Storage;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Tests.OAuth;

/// <summary>
/// Social sign-in and account-linking fixes Better Auth published after 1.2.12, each shown closed here
/// (SECURITY.md, "Review round two: OAuth", lists them with their ids).
/// </summary>
public sealed class LaterAdvisoryTests
{
    private static readonly FakeUser Alice = new("alice-1", "alice@example.com", "Alice");

    private static async Task<TestResponse> ThroughProviderAsync(TestClient client, FakeOAuthProvider idp, FakeUser user, object body)
    {
        var start = await client.PostAsync(body is LinkBody ? "/link-social" : "/sign-in/social", body is LinkBody l ? l.Body : body);
        Assert.Equal(200, start.Status);
        return await client.GetAsync(idp.Authorize(start.Json!["url"]!.GetValue<string>(), user));
    }

    private sealed record LinkBody(object Body);

    /// <summary>GHSA-g38m-r43w-p2q7 (1.6.11): a pre-registered, unverified local user must not capture the victim's social account.</summary>
    [Fact]
    public async Task PreRegisteredUnverifiedEmail_DoesNotGetTheVictimsSocialAccountLinked()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        var attacker = host.Client();
        await attacker.SignUpAsync("alice@example.com", "attackers-password");

        // The real Alice signs in with her provider, which vouches for her address: the attacker's row does not get her account.
        var r = await ThroughProviderAsync(host.Client(), idp, Alice, new { provider = "oidc", errorCallbackURL = "/oops" });
        Assert.Equal("/oops?error=account_not_linked", r.Header("Location"));
        Assert.Null(r.Cookie("better-auth.session_token"));
        var idToken = await host.Client().PostAsync("/sign-in/social", new { provider = "oidc", idToken = new { token = idp.IdToken(Alice) } });
        Assert.Equal((401, "ACCOUNT_NOT_LINKED"), (idToken.Status, idToken.Code));
        Assert.Equal(["credential"], (await attacker.GetAsync("/list-accounts")).Json!.AsArray().Select(a => a!["provider"]!.GetValue<string>()));
        Assert.Equal(1, await host.WithDbAsync(db => db.Sessions.CountAsync()));
    }

    [Fact]
    public async Task VerifiedLocalEmail_IsStillLinkedImplicitly_AndTheOptionRestoresTheOldRule()
    {
        var idp = new FakeOAuthProvider();
        await using (var host = await idp.StartHostAsync())
        {
            var owner = host.Client();
            await owner.SignUpAsync("alice@example.com");
            await host.WithDbAsync(db => db.Users.ExecuteUpdateAsync(s => s.SetProperty(u => u.EmailVerified, true)));
            Assert.NotNull((await ThroughProviderAsync(host.Client(), idp, Alice, new { provider = "oidc" })).Cookie("better-auth.session_token"));
            Assert.Equal(["credential", "oidc"], (await owner.GetAsync("/list-accounts")).Json!.AsArray().Select(a => a!["provider"]!.GetValue<string>()).Order());
        }
        await using (var host = await idp.StartHostAsync(configure: o => o.Account.AccountLinking.RequireLocalEmailVerified = false))
        {
            await host.Client().SignUpAsync("alice@example.com");
            Assert.NotNull((await ThroughProviderAsync(host.Client(), idp, Alice, new { provider = "oidc" })).Cookie("better-auth.session_token"));
        }
    }

    /// <summary>Better Auth #4504 (1.3): the redirect link flow honours allowDifferentEmails, as the ID-token link always did.</summary>
    [Fact]
    public async Task LinkThroughTheProvider_AnAccountWithAnotherEmail_IsRefusedUnlessAllowed()
    {
        var idp = new FakeOAuthProvider();
        var stranger = new FakeUser("stranger-4", "stranger@example.com");
        await using (var host = await idp.StartHostAsync())
        {
            var c = host.Client();
            await c.SignUpAsync("carol@example.com");
            var r = await ThroughProviderAsync(c, idp, stranger, new LinkBody(new { provider = "oidc", errorCallbackURL = "/oops" }));
            Assert.Equal("/oops?error=email_doesn%27t_match", r.Header("Location"));
            Assert.Single((await c.GetAsync("/list-accounts")).Json!.AsArray());
        }
        await using (var host = await idp.StartHostAsync(configure: o => o.Account.AccountLinking.AllowDifferentEmails = true))
        {
            var c = host.Client();
            await c.SignUpAsync("carol@example.com");
            Assert.Equal("/settings", (await ThroughProviderAsync(c, idp, stranger, new LinkBody(new { provider = "oidc", callbackURL = "/settings" }))).Header("Location"));
            Assert.Equal(2, (await c.GetAsync("/list-accounts")).Json!.AsArray().Count);
        }
    }

    /// <summary>
    /// Better Auth #8983 and #9818 (1.6): accounts are identified by provider and provider user id together, so the same
    /// id at another provider neither blocks a link nor signs in as that account's owner.
    /// </summary>
    [Fact]
    public async Task SameProviderUserId_AtAnotherProvider_IsAnotherAccount()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        var owner = host.Client();
        await owner.SignUpAsync("owner@example.com");
        var ownerId = (await owner.GetAsync("/get-session")).Json!["user"]!["id"]!.GetValue<string>();
        await host.WithDbAsync(async db =>
        {
            db.Accounts.Add(new Account { Id = "google-row", AccountId = "alice-1", ProviderId = "google", UserId = ownerId, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });

        var linker = host.Client();
        await linker.SignUpAsync("alice@example.com");
        Assert.Equal("/settings", (await ThroughProviderAsync(linker, idp, Alice, new LinkBody(new { provider = "oidc", callbackURL = "/settings" }))).Header("Location"));
        var signIn = host.Client();
        await ThroughProviderAsync(signIn, idp, Alice, new { provider = "oidc" });
        Assert.Equal("alice@example.com", (await signIn.GetAsync("/get-session")).Json!["user"]!["email"]!.GetValue<string>());
        Assert.Equal(ownerId, (await host.WithDbAsync(db => db.Accounts.SingleAsync(a => a.Id == "google-row"))).UserId);
    }

    /// <summary>Better Auth issue #10214: an ID-token link of a provider account someone else owns gives it no second owner.</summary>
    [Fact]
    public async Task IdTokenLink_OfAnAccountAnotherUserOwns_IsRefused()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync("google", "google", configure: o => o.Account.AccountLinking.AllowDifferentEmails = true);
        Assert.Equal(200, (await host.Client().PostAsync("/sign-in/social", new { provider = "google", idToken = new { token = idp.IdToken(Alice) } })).Status);
        var other = host.Client();
        await other.SignUpAsync("other@example.com");
        var r = await other.PostAsync("/link-social", new { provider = "google", idToken = new { token = idp.IdToken(Alice) } });
        Assert.Equal(417, r.Status);
        Assert.Equal(1, await host.WithDbAsync(db => db.Accounts.CountAsync(a => a.AccountId == "alice-1")));
    }

    /// <summary>
    /// Better Auth #9974 (1.6.13), Facebook access-token app binding: an opaque Facebook access token is not an ID token
    /// and is never taken as proof of identity here (no Graph call is made for it).
    /// </summary>
    [Fact]
    public async Task Facebook_OpaqueAccessTokenInPlaceOfAnIdToken_IsRefused()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync("facebook", "facebook");
        var r = await host.Client().PostAsync("/sign-in/social", new { provider = "facebook", idToken = new { token = "EAAopaque-access-token", accessToken = idp.AccessTokenFor(Alice) } });
        Assert.Equal((401, "INVALID_TOKEN"), (r.Status, r.Code));
        Assert.DoesNotContain(idp.Requests, req => req.Contains("/userinfo") || req.Contains("/me"));
        Assert.Equal(0, await host.WithDbAsync(db => db.Users.CountAsync()));
    }

    /// <summary>Better Auth #9974 (1.6.13), Google hosted domain: the token's <c>hd</c> decides, on both paths, not the URL hint.</summary>
    [Fact]
    public async Task Google_HostedDomain_IsEnforcedOnTheTokensClaim()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync("google", "google", provider: p => p.HostedDomain = "corp.example");
        var r = await host.Client().PostAsync("/sign-in/social", new { provider = "google", idToken = new { token = idp.IdToken(Alice) } });
        Assert.Equal((401, "INVALID_TOKEN"), (r.Status, r.Code));
        var c = host.Client();
        var callback = await ThroughProviderAsync(c, idp, Alice, new { provider = "google", errorCallbackURL = "/oops" });
        Assert.Equal("/oops?error=unable_to_get_user_info", callback.Header("Location"));
    }
}
