using System.Net;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Tests.OAuth;

/// <summary>
/// Login CSRF: the OAuth state is bound to the browser that began the flow by the signed <c>better-auth.state</c>
/// cookie (as later Better Auth does), for sign-in and link flows alike, and a form-posted answer (Apple) is turned into
/// a GET so the SameSite=Lax cookie comes along.
/// </summary>
public sealed class StateBindingTests
{
    private static readonly FakeUser Alice = new("alice-1", "alice@example.com", "Alice");
    private static readonly FakeUser Mallory = new("mallory-9", "mallory@example.com", "Mallory");

    private static async Task<(TestResponse Start, string State)> StartAsync(TestClient client, object? body = null)
    {
        var r = await client.PostAsync("/sign-in/social", body ?? new { provider = "oidc", errorCallbackURL = "/oops" });
        Assert.Equal(200, r.Status);
        return (r, FakeOAuthProvider.QueryOf(r.Json!["url"]!.GetValue<string>())["state"]);
    }

    [Fact]
    public async Task StartingAFlow_SetsTheSignedStateCookie_ForThatState()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        var (start, state) = await StartAsync(host.Client());
        var cookie = start.Cookie("better-auth.state");
        Assert.NotNull(cookie);
        var value = WebUtility.UrlDecode(cookie.Split(';')[0]["better-auth.state=".Length..]);
        Assert.StartsWith(state + ".", value);
        Assert.EndsWith("; Max-Age=600; Path=/; HttpOnly; SameSite=Lax", cookie);
    }

    [Fact]
    public async Task AttackersCallback_OpenedInTheVictimsBrowser_IsRefused_AndStaysTheAttackers()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        // The attacker begins a flow in their own browser and consents as themselves, but does not open the callback...
        var attacker = host.Client();
        var (start, _) = await StartAsync(attacker);
        var callback = idp.Authorize(start.Json!["url"]!.GetValue<string>(), Mallory);

        // ...they send it to the victim instead: refused, whether the victim's browser has no flow or one of its own.
        var victim = host.Client();
        var refused = await victim.GetAsync(callback);
        Assert.Equal("/oops?error=state_mismatch", refused.Header("Location"));
        Assert.Null(refused.Cookie("better-auth.session_token"));
        await StartAsync(victim);
        Assert.Equal("/oops?error=state_mismatch", (await victim.GetAsync(callback)).Header("Location"));
        Assert.Equal(0, await host.WithDbAsync(db => db.Users.CountAsync()));
        Assert.Equal(0, idp.TokenCalls);

        // The flow is still the attacker's to finish, in the browser that began it.
        var own = await attacker.GetAsync(callback);
        Assert.Equal("http://localhost/", own.Header("Location"));
        Assert.NotNull(own.Cookie("better-auth.session_token"));
        Assert.Contains("Max-Age=0", own.Cookie("better-auth.state"));
    }

    [Fact]
    public async Task StateCookieThatIsUnsignedForgedOrForAnotherState_IsRefused()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        var browser = host.Client();
        var (start, state) = await StartAsync(browser);
        var callback = idp.Authorize(start.Json!["url"]!.GetValue<string>(), Alice);
        var signed = browser.Cookies["better-auth.state"];
        foreach (var forged in new[] { state, state + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D", (signed[0] == 'x' ? "y" : "x") + signed[1..] })
        {
            var other = host.Client();
            other.Cookies["better-auth.state"] = forged;
            Assert.Equal("/oops?error=state_mismatch", (await other.GetAsync(callback)).Header("Location"));
        }
        // A state cookie of a second flow in the same browser replaces the first: only the newest flow can finish.
        await StartAsync(browser);
        Assert.Equal("/oops?error=state_mismatch", (await browser.GetAsync(callback)).Header("Location"));
        Assert.Equal(0, await host.WithDbAsync(db => db.Sessions.CountAsync()));
    }

    [Fact]
    public async Task StateBegunWithOneProvider_DoesNotFinishAtAnothersCallback()
    {
        var idp = new FakeOAuthProvider();
        // A second provider without PKCE (GitHub-shaped), served by the same fake, so its codes would be accepted.
        await using var host = await idp.StartHostAsync(configure: o => o.SocialProviders["github"] = idp.Options("github"));
        var browser = host.Client();
        var (start, state) = await StartAsync(browser);
        var github = await host.Client().PostAsync("/sign-in/social", new { provider = "github" });
        var code = FakeOAuthProvider.QueryOf(idp.Authorize(github.Json!["url"]!.GetValue<string>(), new FakeUser("4242", "octo@example.com")))["code"];
        var r = await browser.GetAsync($"/callback/github?code={code}&state={state}");
        Assert.Equal("/oops?error=state_mismatch", r.Header("Location"));
        Assert.Equal(0, idp.TokenCalls);
        Assert.Equal(0, await host.WithDbAsync(db => db.Users.CountAsync()));
        Assert.NotNull(start.Cookie("better-auth.state"));
    }

    [Fact]
    public async Task LinkFlow_IsBoundToTheLinkingBrowser_AVictimCannotBeMadeToLinkIntoTheAttacker()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync();
        var attacker = host.Client();
        await attacker.SignUpAsync("mallory@example.com");
        var link = await attacker.PostAsync("/link-social", new { provider = "oidc", errorCallbackURL = "/oops" });
        Assert.NotNull(link.Cookie("better-auth.state"));

        // The victim is lured to the attacker's authorization URL and consents with their own provider account.
        var victim = host.Client();
        var r = await victim.GetAsync(idp.Authorize(link.Json!["url"]!.GetValue<string>(), Alice with { Email = "mallory@example.com" }));
        Assert.Equal("/oops?error=state_mismatch", r.Header("Location"));
        Assert.Equal(["credential"], (await attacker.GetAsync("/list-accounts")).Json!.AsArray().Select(a => a!["provider"]!.GetValue<string>()));
    }

    [Fact]
    public async Task FormPostCallback_IsTurnedIntoAGet_WhichFinishesWithTheBrowsersCookie()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync("apple", "apple");
        var browser = host.Client(origin: null);
        var start = await browser.PostAsync("/sign-in/social", new { provider = "apple", callbackURL = "/home", errorCallbackURL = "/oops" });
        var url = start.Json!["url"]!.GetValue<string>();
        Assert.Equal("form_post", FakeOAuthProvider.QueryOf(url)["response_mode"]);
        var answer = FakeOAuthProvider.QueryOf(idp.Authorize(url, Alice));

        // Apple's cross-site POST carries no SameSite=Lax cookie: it is sent on to the same callback as a GET.
        var form = new Dictionary<string, string>
        {
            ["state"] = answer["state"],
            ["code"] = answer["code"],
            ["user"] = """{"name":{"firstName":"Ann","lastName":"Apple"}}""",
        };
        var posted = await host.Client(origin: null).SendAsync(HttpMethod.Post, "/callback/apple", new FormUrlEncodedContent(form));
        Assert.Equal(302, posted.Status);
        var get = posted.Header("Location")!;
        Assert.Equal("http://localhost/api/auth/callback/apple?code=" + answer["code"] + "&state=" + answer["state"] +
                     "&user=%7B%22name%22%3A%7B%22firstName%22%3A%22Ann%22%2C%22lastName%22%3A%22Apple%22%7D%7D", get);
        Assert.Empty(posted.SetCookies);
        Assert.Equal(0, idp.TokenCalls);

        // Followed without the cookie (another browser) it is refused; in the browser that began the flow it signs in.
        Assert.Equal("/oops?error=state_mismatch", (await host.Client().GetAsync(get)).Header("Location"));
        var done = await browser.GetAsync(get);
        Assert.Equal("/home", done.Header("Location"));
        Assert.NotNull(done.Cookie("better-auth.session_token"));
        Assert.Equal("Ann Apple", (await browser.GetAsync("/get-session")).Json!["user"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task FormPostedErrorsAndBadBodies_AreAnsweredAtOnce_AsBefore()
    {
        var idp = new FakeOAuthProvider();
        await using var host = await idp.StartHostAsync("apple", "apple");
        var c = host.Client(origin: null);
        var denied = await c.SendAsync(HttpMethod.Post, "/callback/apple",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["error"] = "user_cancelled_authorize", ["state"] = "s" }));
        Assert.Equal("http://localhost/api/auth/error?error=user_cancelled_authorize&error_description=undefined", denied.Header("Location"));
        Assert.Equal("http://localhost/api/auth/error?error=state_not_found",
            (await c.SendAsync(HttpMethod.Post, "/callback/apple", new FormUrlEncodedContent(new Dictionary<string, string> { ["code"] = "x" }))).Header("Location"));
        Assert.Equal("http://localhost/api/auth/error?error=invalid_callback_request", (await c.SendAsync(HttpMethod.Post, "/callback/apple", null)).Header("Location"));
        Assert.Equal(400, (await c.PostAsync("/callback/apple", new { state = 5 })).Status);
    }
}
