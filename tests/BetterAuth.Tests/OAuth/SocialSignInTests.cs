using System.Diagnostics;
using System.Text.Json;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Tests.OAuth;

/// <summary>The redirect flow: /sign-in/social → the provider → /callback/{id} → a session.</summary>
public sealed class SocialSignInTests
{
    private static readonly FakeUser Alice = new("alice-1", "Alice@Example.com", "Alice");

    /// <summary>Starts the flow and performs the provider's part; returns the callback URL the browser would open.</summary>
    private static async Task<string> ThroughProviderAsync(TestClient client, FakeOAuthProvider idp, FakeUser user, object? body = null)
    {
        var r = await client.PostAsync("/sign-in/social", body ?? new { provider = "oidc" });
        Assert.Equal(200, r.Status);
        return idp.Authorize(r.Json!["url"]!.GetValue<string>(), user);
    }

    [Fact]
    public async Task SignInSocial_AnswersAuthorizationUrl_WithStatePkceAndRedirectUri_AndStoresStateServerSide()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        var r = await host.Client().PostAsync("/sign-in/social", new
        {
            provider = "oidc",
            callbackURL = "/dashboard",
            errorCallbackURL = "/oops",
            newUserCallbackURL = "/welcome",
            scopes = new[] { "groups" },
            loginHint = "a@b.c",
            disableRedirect = true
        });
        Assert.Equal(200, r.Status);
        Assert.False(r.Json!["redirect"]!.GetValue<bool>());
        var url = r.Json!["url"]!.GetValue<string>();
        Assert.StartsWith(FakeOAuthProvider.Issuer + "/authorize?response_type=code&client_id=test-client&state=", url);
        var q = FakeOAuthProvider.QueryOf(url);
        Assert.Matches("^[A-Za-z0-9_-]{32}$", q["state"]);
        Assert.Equal("openid email profile groups", q["scope"]);
        Assert.Equal("http://localhost/api/auth/callback/oidc", q["redirect_uri"]);
        Assert.Equal("a@b.c", q["login_hint"]);
        Assert.Equal("S256", q["code_challenge_method"]);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", q["code_challenge"]);
        // The only cookie is the one binding the state to this browser (StateBindingTests).
        Assert.StartsWith("better-auth.state=" + q["state"] + ".", Assert.Single(r.SetCookies));

        var row = await host.WithDbAsync(db => db.Verifications.SingleAsync(v => v.Identifier == q["state"]));
        var value = JsonDocument.Parse(row.Value).RootElement;
        Assert.Equal(["callbackURL", "codeVerifier", "errorURL", "newUserURL", "expiresAt", "providerId"], value.EnumerateObject().Select(p => p.Name));
        Assert.Equal("oidc", value.GetProperty("providerId").GetString());
        Assert.Equal("/dashboard", value.GetProperty("callbackURL").GetString());
        Assert.Equal(128, value.GetProperty("codeVerifier").GetString()!.Length);
        Assert.Equal(TimeSpan.FromMinutes(10), row.ExpiresAt - row.CreatedAt);
    }

    [Fact]
    public async Task FullFlow_NewUser_GetsSessionAccountAndNewUserRedirect_ThenReturningUserGetsCallbackUrl()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        var client = host.Client();
        var callback = await ThroughProviderAsync(client, idp, Alice, new { provider = "oidc", callbackURL = "/home", newUserCallbackURL = "/welcome" });

        var r = await client.GetAsync(callback);
        Assert.Equal(302, r.Status);
        Assert.Equal("/welcome", r.Header("Location"));
        Assert.NotNull(r.Cookie("better-auth.session_token"));
        var session = await client.GetAsync("/get-session");
        Assert.Equal("alice@example.com", session.Json!["user"]!["email"]!.GetValue<string>());
        Assert.Equal("Alice", session.Json!["user"]!["name"]!.GetValue<string>());
        Assert.True(session.Json!["user"]!["emailVerified"]!.GetValue<bool>());
        var accounts = (await client.GetAsync("/list-accounts")).Json!.AsArray();
        var account = Assert.Single(accounts);
        Assert.Equal("oidc", account!["provider"]!.GetValue<string>());
        Assert.Equal("alice-1", account["accountId"]!.GetValue<string>());
        Assert.Equal(["openid", "email", "profile"], account["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));

        // Tokens are stored on the account row as received, with their expiry.
        var stored = await host.WithDbAsync(db => db.Accounts.SingleAsync());
        Assert.StartsWith("at-", stored.AccessToken);
        Assert.StartsWith("rt-", stored.RefreshToken);
        Assert.NotNull(stored.IdToken);
        Assert.Equal(host.Runtime.Now.AddHours(1), stored.AccessTokenExpiresAt);

        var again = host.Client();
        var second = await again.GetAsync(await ThroughProviderAsync(again, idp, Alice, new { provider = "oidc", callbackURL = "/home", newUserCallbackURL = "/welcome" }));
        Assert.Equal("/home", second.Header("Location"));
        var updated = await host.WithDbAsync(db => db.Accounts.SingleAsync());
        Assert.NotEqual(stored.AccessToken, updated.AccessToken);
        Assert.Equal(1, await host.WithDbAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task Callback_StateIsSingleUse_UnknownMissingAndExpiredStatesRestartTheProcess()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        var client = host.Client();
        var callback = await ThroughProviderAsync(client, idp, Alice);
        // The default callback is the base URL's origin (HttpClient shows the Location with a trailing slash).
        Assert.Equal("http://localhost/", (await client.GetAsync(callback)).Header("Location"));
        Assert.Equal("http://localhost/api/auth/error?error=please_restart_the_process", (await host.Client().GetAsync(callback)).Header("Location"));

        Assert.Equal("http://localhost/api/auth/error?error=please_restart_the_process",
            (await host.Client().GetAsync("/callback/oidc?code=x&state=not-a-known-state")).Header("Location"));
        Assert.Equal("http://localhost/api/auth/error?error=state_not_found", (await host.Client().GetAsync("/callback/oidc?code=x")).Header("Location"));

        var late = host.Client();
        var expired = await ThroughProviderAsync(late, idp, Alice);
        host.Clock.Advance(TimeSpan.FromMinutes(11));
        var r = await late.GetAsync(expired);
        Assert.Equal("http://localhost/api/auth/error?error=please_restart_the_process", r.Header("Location"));
        Assert.Null(r.Cookie("better-auth.session_token"));
    }

    [Fact]
    public async Task Callback_DeniedConsent_RedirectsWithProviderErrorAndMakesNoUser()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        var r = await host.Client().GetAsync("/callback/oidc?error=access_denied&error_description=The%20user%20said%20no&state=x");
        Assert.Equal(302, r.Status);
        Assert.Equal("http://localhost/api/auth/error?error=access_denied&error_description=The%20user%20said%20no", r.Header("Location"));
        var bare = await host.Client().GetAsync("/callback/oidc?error=access_denied");
        Assert.Equal("http://localhost/api/auth/error?error=access_denied&error_description=undefined", bare.Header("Location"));
        Assert.Equal(0, await host.WithDbAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task Callback_FailuresGoToTheErrorCallbackUrl_WithBetterAuthCodes()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        var browser = host.Client();
        async Task<string> Start() => FakeOAuthProvider.QueryOf((await browser.PostAsync("/sign-in/social",
            new { provider = "oidc", errorCallbackURL = "/oops?from=social" })).Json!["url"]!.GetValue<string>())["state"];

        Assert.Equal("/oops?from=social&error=no_code", (await browser.GetAsync($"/callback/oidc?state={await Start()}")).Header("Location"));
        Assert.Equal("/oops?from=social&error=oauth_provider_not_found",
            (await browser.GetAsync($"/callback/nope?state={await Start()}&code=abc")).Header("Location"));
        Assert.Equal("/oops?from=social&error=invalid_code",
            (await browser.GetAsync($"/callback/oidc?state={await Start()}&code=forged")).Header("Location"));
        Assert.Equal(400, (await host.Client().GetAsync("/callback/oidc?state=a&state=b")).Status);
    }

    [Fact]
    public async Task Callback_PkceVerifierMustMatch_AStolenCodeWithAnotherFlowsStateFails()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        var victim = await ThroughProviderAsync(host.Client(), idp, Alice);
        // The attacker uses a state of their own, from their own browser (so the state cookie matches).
        var attacker = host.Client();
        var attackerState = FakeOAuthProvider.QueryOf((await attacker.PostAsync("/sign-in/social", new { provider = "oidc" })).Json!["url"]!.GetValue<string>())["state"];
        var code = FakeOAuthProvider.QueryOf(victim)["code"];
        var r = await attacker.GetAsync($"/callback/oidc?code={code}&state={attackerState}");
        Assert.Equal("http://localhost/api/auth/error?error=invalid_code", r.Header("Location"));
        Assert.Equal(0, await host.WithDbAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task FormPostCallback_IsAccepted_AndPostWithoutBodyIsAnInvalidCallbackRequest()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        var client = host.Client(origin: null);
        var callback = FakeOAuthProvider.QueryOf(await ThroughProviderAsync(client, idp, Alice));
        var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["code"] = callback["code"], ["state"] = callback["state"] });
        // The POST is sent on as a GET (StateBindingTests), which the browser follows with its state cookie.
        var posted = await client.SendAsync(HttpMethod.Post, "/callback/oidc", form);
        Assert.Equal(302, posted.Status);
        var r = await client.GetAsync(posted.Header("Location")!);
        Assert.Equal(302, r.Status);
        Assert.NotNull(r.Cookie("better-auth.session_token"));
        Assert.Equal("http://localhost/api/auth/error?error=invalid_callback_request",
            (await host.Client(origin: null).SendAsync(HttpMethod.Post, "/callback/oidc", null)).Header("Location"));
        Assert.Equal("VALIDATION_ERROR", (await host.Client().PostAsync("/callback/oidc", new { state = 5 })).Code);
    }

    [Fact]
    public async Task ExistingEmailUser_IsLinkedOnlyWhenTheProviderVerifiedTheEmail()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        await host.Client().SignUpAsync("alice@example.com");
        // Implicit linking needs the local email verified too (LaterAdvisoryTests: GHSA-g38m-r43w-p2q7).
        await host.WithDbAsync(db => db.Users.ExecuteUpdateAsync(s => s.SetProperty(u => u.EmailVerified, true)));

        var unverified = host.Client();
        var refused = await unverified.GetAsync(await ThroughProviderAsync(unverified, idp, Alice with { EmailVerified = false },
            new { provider = "oidc", errorCallbackURL = "/oops" }));
        Assert.Equal("/oops?error=account_not_linked", refused.Header("Location"));
        Assert.Null(refused.Cookie("better-auth.session_token"));

        var verified = host.Client();
        var linked = await verified.GetAsync(await ThroughProviderAsync(verified, idp, Alice));
        Assert.Equal(302, linked.Status);
        Assert.NotNull(linked.Cookie("better-auth.session_token"));
        var accounts = (await verified.GetAsync("/list-accounts")).Json!.AsArray().Select(a => a!["provider"]!.GetValue<string>()).Order();
        Assert.Equal(["credential", "oidc"], accounts);
    }

    [Fact]
    public async Task TrustedProvider_LinksEvenAnUnverifiedEmail_AndLinkingOffRefusesEvenAVerifiedOne()
    {
        var idp = new FakeOAuthProvider();
        await using (var host = await idp.StartHostAsync(configure: o => o.Account.AccountLinking.TrustedProviders.Add("oidc")))
        {
            await host.Client().SignUpAsync("alice@example.com");
            await host.WithDbAsync(db => db.Users.ExecuteUpdateAsync(s => s.SetProperty(u => u.EmailVerified, true)));
            var c = host.Client();
            Assert.NotNull((await c.GetAsync(await ThroughProviderAsync(c, idp, Alice with { EmailVerified = false }))).Cookie("better-auth.session_token"));
        }
        await using (var host = await idp.StartHostAsync(configure: o => o.Account.AccountLinking.Enabled = false))
        {
            await host.Client().SignUpAsync("alice@example.com");
            var c = host.Client();
            Assert.Equal("http://localhost/api/auth/error?error=account_not_linked", (await c.GetAsync(await ThroughProviderAsync(c, idp, Alice))).Header("Location"));
        }
    }

    [Fact]
    public async Task DisableImplicitSignUp_RefusesNewUsersUnlessRequested()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync(provider: p => p.DisableImplicitSignUp = true);
        var c = host.Client();
        Assert.Equal("http://localhost/api/auth/error?error=signup_disabled", (await c.GetAsync(await ThroughProviderAsync(c, idp, Alice))).Header("Location"));
        var asked = await c.GetAsync(await ThroughProviderAsync(c, idp, Alice, new { provider = "oidc", requestSignUp = true }));
        Assert.NotNull(asked.Cookie("better-auth.session_token"));
    }

    [Fact]
    public async Task GitHub_ProfileFromUserAndEmailsEndpoints()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync("github", "github");
        var c = host.Client();
        var r = await c.PostAsync("/sign-in/social", new { provider = "github" });
        var url = r.Json!["url"]!.GetValue<string>();
        Assert.DoesNotContain("code_challenge", url);
        Assert.Equal("read:user user:email", FakeOAuthProvider.QueryOf(url)["scope"]);
        var done = await c.GetAsync(idp.Authorize(url, new FakeUser("4242", "octo@example.com")));
        Assert.Equal(302, done.Status);
        var user = (await c.GetAsync("/get-session")).Json!["user"]!;
        Assert.Equal("octo@example.com", user["email"]!.GetValue<string>());
        Assert.Equal("octo", user["name"]!.GetValue<string>());
        Assert.Equal("https://img.test/gh.png", user["image"]!.GetValue<string>());
        Assert.Equal("4242", (await c.GetAsync("/list-accounts")).Json![0]!["accountId"]!.GetValue<string>());
    }

    [Fact]
    public async Task SignInSocial_ValidatesProviderAndUrls()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        var c = host.Client();
        var unknown = await c.PostAsync("/sign-in/social", new { provider = "github" });
        Assert.Equal((404, "PROVIDER_NOT_FOUND"), (unknown.Status, unknown.Code));
        Assert.Equal((400, "VALIDATION_ERROR"), await StatusCode(c.PostAsync("/sign-in/social", new { })));
        Assert.Equal((400, "VALIDATION_ERROR"), await StatusCode(c.PostAsync("/sign-in/social", new { provider = "oidc", scopes = "openid" })));
        Assert.Equal((403, "INVALID_CALLBACKURL"), await StatusCode(c.PostAsync("/sign-in/social", new { provider = "oidc", callbackURL = "https://evil.test/" })));
        Assert.Equal((403, "INVALID_ERRORCALLBACKURL"), await StatusCode(c.PostAsync("/sign-in/social", new { provider = "oidc", errorCallbackURL = "https://evil.test/" })));
        Assert.Equal((401, "INVALID_TOKEN"), await StatusCode(c.PostAsync("/sign-in/social", new { provider = "oidc", idToken = new { token = "x" } })));
        Assert.Equal((400, "VALIDATION_ERROR"), await StatusCode(c.PostAsync("/sign-in/social", new { provider = "oidc", idToken = new { } })));
    }

    [Fact]
    public async Task ProviderDown_FailsWithinTheTimeout_NeverHangsOr500s()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        var c = host.Client();
        var callback = await ThroughProviderAsync(c, idp, Alice);
        idp.Down = true;
        var watch = Stopwatch.StartNew();
        var r = await c.GetAsync(callback);
        Assert.Equal("http://localhost/api/auth/error?error=invalid_code", r.Header("Location"));
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));

        // A generic provider whose discovery document cannot be read: 502, and no state row left behind.
        var idp2 = new FakeOAuthProvider { Down = true };
        await using var host2 = await idp2.StartHostAsync();
        var down = await host2.Client().PostAsync("/sign-in/social", new { provider = "oidc" });
        Assert.Equal((502, "OAUTH_PROVIDER_UNAVAILABLE"), (down.Status, down.Code));
        Assert.Equal(0, await host2.WithDbAsync(db => db.Verifications.CountAsync()));
    }

    private static async Task<(int, string?)> StatusCode(Task<TestResponse> request)
    {
        var r = await request;
        return (r.Status, r.Code);
    }
}
