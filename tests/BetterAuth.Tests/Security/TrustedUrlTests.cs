using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Security;

/// <summary>
/// Regression tests for the trusted-origin and callback URL checks (security review round two): each class of value
/// that got through, or crashed the answer, before URLs were read the browser's way. The end-to-end comparison with
/// Node's WHATWG URL as the oracle is e2e/tests/security-urls.test.mjs.
/// </summary>
public sealed class TrustedUrlTests
{
    private const string Trusted = "https://trusted.example.com";

    private static Task<AuthTestHost> HostAsync(params string[] trusted) =>
        AuthTestHost.StartAsync(o => o.TrustedOrigins.AddRange(trusted));

    private static Task<TestResponse> SignInWithCallback(AuthTestHost host, string callback) =>
        host.Client().PostAsync("/sign-in/email", new { email = "nobody@example.com", password = "password123", callbackURL = callback });

    private static void AssertRefused(TestResponse r, string code, string value)
    {
        Assert.True(r.Status == 403 && r.Code == code, $"{value}: {r.Status} {r.Text}");
        Assert.Null(r.Header("Location"));
    }

    [Theory]
    [InlineData("http://tenant.example.com/x")]                    // the wildcard's https dropped
    [InlineData("javascript://tenant.example.com/%0aalert(1)")]     // script with a host that matches the wildcard
    [InlineData("data://tenant.example.com/,x")]
    [InlineData("ftp://tenant.example.com/")]
    [InlineData("https://tenant.example.com:8443/")]               // another port
    public async Task WildcardWithScheme_KeepsItsSchemeAndPort(string callback)
    {
        await using var host = await HostAsync("https://*.example.com");
        AssertRefused(await SignInWithCallback(host, callback), "INVALID_CALLBACKURL", callback);
        Assert.Equal(401, (await SignInWithCallback(host, "https://tenant.example.com/x")).Status);
        Assert.Equal(401, (await SignInWithCallback(host, "https://a.b.example.com/x")).Status);
    }

    [Theory]
    [InlineData("javascript://tenant.example.com/%0aalert(1)")]
    [InlineData("https:evil.com?.example.com")]          // a browser on an http page goes to evil.com
    [InlineData("evil.com?.example.com")]                // text, not a URL, once matched the wildcard as a host
    [InlineData("https://example.com")]                  // the apex is not a subdomain
    public async Task WildcardWithoutScheme_MatchesOnlyHttpHostsLabelByLabel(string callback)
    {
        await using var host = await HostAsync("*.example.com");
        AssertRefused(await SignInWithCallback(host, callback), "INVALID_CALLBACKURL", callback);
        Assert.Equal(401, (await SignInWithCallback(host, "http://tenant.example.com/")).Status);
    }

    [Theory]
    [InlineData("http://tenant.example.com")]
    [InlineData("javascript://tenant.example.com")]
    public async Task WildcardOrigin_OnCookiePost_KeepsItsScheme(string origin)
    {
        await using var host = await HostAsync("https://*.example.com");
        var client = host.Client(origin);
        client.Cookies["unrelated"] = "1";
        AssertRefused(await client.PostAsync("/sign-out", new { }), "INVALID_ORIGIN", origin);
        client.Origin = "https://tenant.example.com";
        // Past the origin check, sign-out without a session is Better Auth's 400.
        Assert.Equal("FAILED_TO_GET_SESSION", (await client.PostAsync("/sign-out", new { })).Code);
    }

    [Theory]
    [InlineData("https://trusted.example.com.evil.com/")]
    [InlineData("https://trusted.example.com@evil.com/")]        // userinfo: the host is evil.com
    [InlineData("https://evil.com\\@trusted.example.com/")]      // a browser reads \ as /: the host is evil.com
    [InlineData("https://trusted%2Eexample%2Ecom/")]            // a browser decodes the host; we want it written plainly
    [InlineData("https:trusted.example.com/")]                   // a browser fills in the slashes (or resolves it against the page)
    [InlineData("https:///trusted.example.com/")]
    [InlineData(" https://trusted.example.com/")]                 // stripped by a browser, refused by us
    [InlineData("https://trusted.example.com/\t")]
    [InlineData("https://trusted.example.com\u3002evil.com/")]   // ideographic full stop: a dot after IDNA
    [InlineData("http://trusted.example.com/")]
    public async Task ExactOrigin_ComparesSchemeHostAndPortAsABrowserReadsThem(string callback)
    {
        await using var host = await HostAsync(Trusted);
        AssertRefused(await SignInWithCallback(host, callback), "INVALID_CALLBACKURL", callback);
    }

    [Theory]
    [InlineData("https://TRUSTED.example.com/welcome")]
    [InlineData("https://trusted.example.com:443/welcome")]
    [InlineData("https://user@trusted.example.com/welcome")]
    public async Task ExactOrigin_AcceptsWhatABrowserReadsAsThatOrigin(string callback)
    {
        await using var host = await HostAsync(Trusted);
        Assert.Equal(401, (await SignInWithCallback(host, callback)).Status);
    }

    [Theory]
    [InlineData("/dashboard\n")]
    [InlineData("/dashboard\r\n")]
    [InlineData("/dashboard\t")]
    public async Task RelativeCallback_WithTrailingNewline_IsRefusedNot500(string callback)
    {
        await using var host = await HostAsync();
        AssertRefused(await SignInWithCallback(host, callback), "INVALID_CALLBACKURL", callback);
        var link = await host.Client().GetAsync($"/verify-email?token=bad&callbackURL={Uri.EscapeDataString(callback)}");
        AssertRefused(link, "INVALID_CALLBACKURL", callback);
        var reset = await host.Client().GetAsync($"/reset-password/bad?callbackURL={Uri.EscapeDataString(callback)}");
        AssertRefused(reset, "INVALID_CALLBACKURL", callback);
    }

    [Theory]
    [InlineData("https://trusted.example.com:443/reset", "https://trusted.example.com/reset?error=INVALID_TOKEN")]
    [InlineData("https://trusted.example.com/reset?a=1&error=x#top", "https://trusted.example.com/reset?a=1&error=INVALID_TOKEN#top")]
    [InlineData("https://trusted.example.com", "https://trusted.example.com/?error=INVALID_TOKEN")]
    [InlineData("/reset?tab=a%2Fb", "http://localhost/reset?tab=a%2Fb&error=INVALID_TOKEN")]
    [InlineData("/reset?x=%", "http://localhost/reset?x=%25&error=INVALID_TOKEN")]
    public async Task ResetPasswordLink_RedirectsLikeBetterAuth_WithoutCrashing(string callback, string expected)
    {
        await using var host = await HostAsync(Trusted);
        var r = await host.Client().GetAsync($"/reset-password/not-a-token?callbackURL={Uri.EscapeDataString(callback)}");
        Assert.True(r.Status == 302, $"{callback}: {r.Status} {r.Text}");
        Assert.Equal(expected, r.Header("Location"));
    }

    [Theory]
    [InlineData("https://trusted.example.com%2F@evil.com/")]
    [InlineData("https://[::1/")]
    [InlineData("https://trusted.example.com:99999999999/")]
    [InlineData("https://0x7f.1/")]
    public async Task ResetPasswordLink_WithCraftedCallback_IsRefusedNot500(string callback)
    {
        await using var host = await HostAsync(Trusted);
        var r = await host.Client().GetAsync($"/reset-password/not-a-token?callbackURL={Uri.EscapeDataString(callback)}");
        AssertRefused(r, "INVALID_CALLBACKURL", callback);
    }

    [Theory]
    [InlineData("redirectTo", "/request-password-reset", "INVALID_REDIRECTURL")]
    [InlineData("callbackURL", "/send-verification-email", "INVALID_CALLBACKURL")]
    public async Task EveryUrlField_UsesTheSameRule(string field, string path, string code)
    {
        await using var host = await HostAsync("https://*.example.com");
        var body = new Dictionary<string, string> { ["email"] = "someone@example.com", [field] = "http://tenant.example.com/" };
        AssertRefused(await host.Client().PostAsync(path, body), code, field);
    }

    [Fact]
    public async Task EmptyBodyCallback_DoesNotHideTheQueryOne()
    {
        await using var host = await HostAsync(Trusted);
        var r = await host.Client().PostAsync($"/sign-in/email?callbackURL={Uri.EscapeDataString("https://evil.com/")}",
            new { email = "nobody@example.com", password = "password123", callbackURL = "" });
        AssertRefused(r, "INVALID_CALLBACKURL", "query callbackURL behind an empty body one");
    }

    [Theory]
    [InlineData("myapp://callback", true)]
    [InlineData("myapp://callback/path", true)]
    [InlineData("myapp://callback.evil.com", false)]
    [InlineData("otherapp://callback", false)]
    [InlineData("javascript:alert(1)", false)]
    public async Task AppSchemeOrigin_TrustsItsSchemeAndHostOnly(string callback, bool allowed)
    {
        await using var host = await HostAsync("myapp://callback", "javascript:");
        var r = await SignInWithCallback(host, callback);
        if (allowed) Assert.Equal(401, r.Status);
        else AssertRefused(r, "INVALID_CALLBACKURL", callback);
    }
}
