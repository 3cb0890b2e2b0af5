using System.Net;
using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Endpoints;

public sealed class RoutingAndSecurityTests
{
    [Fact]
    public async Task Ok_ReturnsOkTrue()
    {
        await using var host = await AuthTestHost.StartAsync();
        var r = await host.Client().GetAsync("/ok");
        Assert.Equal(200, r.Status);
        Assert.Equal("{\"ok\":true}", r.Text);
    }

    [Fact]
    public async Task ErrorPage_IsHtmlWithEscapedCode()
    {
        await using var host = await AuthTestHost.StartAsync();
        var r = await host.Client().GetAsync("/error?error=%3Cscript%3Ealert(1)%3C/script%3E");
        Assert.Equal(200, r.Status);
        Assert.Equal("text/html", r.Header("Content-Type"));
        Assert.Contains("&lt;script&gt;", r.Text);
        Assert.DoesNotContain("<script>", r.Text);
    }

    [Theory]
    [InlineData("GET", "/does-not-exist")]
    [InlineData("GET", "/sign-in/email")]
    [InlineData("POST", "/get-session")]
    [InlineData("DELETE", "/sign-out")]
    public async Task UnknownPathOrWrongMethod_Returns404WithEmptyBody(string method, string path)
    {
        await using var host = await AuthTestHost.StartAsync();
        var r = await host.Client().SendAsync(new HttpMethod(method), path, null);
        Assert.Equal(404, r.Status);
        Assert.Equal("", r.Text);
    }

    [Fact]
    public async Task CookiePost_FromForeignOrigin_Returns403InvalidOrigin()
    {
        await using var host = await AuthTestHost.StartAsync();
        var client = host.Client();
        await client.SignUpAsync("csrf@example.com");
        client.Origin = "https://evil.example.com";
        var r = await client.PostAsync("/update-user", new { name = "pwned" });
        Assert.Equal(403, r.Status);
        Assert.Equal("INVALID_ORIGIN", r.Code);
        Assert.Equal("Invalid origin", r.Json!["message"]!.GetValue<string>());

        client.Origin = null; // no Origin/Referer: passes, as in Better Auth
        Assert.Equal(200, (await client.PostAsync("/update-user", new { name = "ok" })).Status);
        client.Origin = AuthTestHost.Origin;
        Assert.Equal(200, (await client.PostAsync("/update-user", new { name = "ok" })).Status);
        var referer = await client.SendAsync(HttpMethod.Post, "/update-user", new StringContent("{\"name\":\"r\"}", System.Text.Encoding.UTF8, "application/json"),
            m => { m.Headers.Remove("Origin"); m.Headers.Referrer = new Uri("https://evil.example.com/page"); });
        Assert.Equal(403, referer.Status);
    }

    [Fact]
    public async Task TrustedOrigins_FromOptions_AreAccepted()
    {
        await using var host = await AuthTestHost.StartAsync(o => o.TrustedOrigins.Add("https://app.example.com"));
        var client = host.Client("https://app.example.com");
        await client.SignUpAsync("trusted@example.com");
        Assert.Equal(200, (await client.PostAsync("/update-user", new { name = "x" })).Status);
        var cb = await host.Client().PostAsync("/sign-in/email", new { email = "trusted@example.com", password = "password123", callbackURL = "https://app.example.com/home" });
        Assert.Equal(200, cb.Status);
    }

    [Fact]
    public async Task WildcardTrustedOrigin_MatchesSubdomains()
    {
        await using var host = await AuthTestHost.StartAsync(o => o.TrustedOrigins.Add("https://*.example.com"));
        var client = host.Client("https://tenant1.example.com");
        await client.SignUpAsync("wild@example.com");
        Assert.Equal(200, (await client.PostAsync("/update-user", new { name = "x" })).Status);
        client.Origin = "https://example.org";
        Assert.Equal(403, (await client.PostAsync("/update-user", new { name = "x" })).Status);
    }

    [Fact]
    public async Task HttpsBaseUrl_UsesSecurePrefixedCookies()
    {
        await using var host = await AuthTestHost.StartAsync(o => o.BaseUrl = "https://auth.example.com");
        var r = await host.Client("https://auth.example.com").PostAsync("/sign-up/email", new { email = "sec@example.com", password = "password123", name = "S" });
        var cookie = r.Cookie("__Secure-better-auth.session_token");
        Assert.NotNull(cookie);
        Assert.EndsWith("; Max-Age=604800; Path=/; HttpOnly; Secure; SameSite=Lax", cookie);
    }

    [Fact]
    public async Task RateLimit_SignInAllowsThreePerTenSeconds_Then429WithRetryAfter()
    {
        await using var host = await AuthTestHost.StartAsync(o => o.RateLimit.Enabled = true);
        var client = host.Client();
        for (var i = 0; i < 3; i++)
            Assert.Equal(401, (await client.PostAsync("/sign-in/email", new { email = "rl@example.com", password = "password123" })).Status);
        var limited = await client.PostAsync("/sign-in/email", new { email = "rl@example.com", password = "password123" });
        Assert.Equal(429, limited.Status);
        Assert.Equal("Too many requests. Please try again later.", limited.Json!["message"]!.GetValue<string>());
        Assert.Equal("10", limited.Header("X-Retry-After"));
        Assert.Equal(200, (await client.GetAsync("/ok")).Status); // other paths have their own counter

        host.Clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(401, (await client.PostAsync("/sign-in/email", new { email = "rl@example.com", password = "password123" })).Status);
    }

    [Fact]
    public async Task RateLimit_DefaultRuleIs100PerWindow_AndCustomRulesOverride()
    {
        await using var host = await AuthTestHost.StartAsync(o =>
        {
            o.RateLimit.Enabled = true;
            o.RateLimit.CustomRules["/get-session"] = new RateLimitRule(60, 2);
        });
        var client = host.Client();
        for (var i = 0; i < 100; i++) Assert.Equal(200, (await client.GetAsync("/ok")).Status);
        Assert.Equal(429, (await client.GetAsync("/ok")).Status);
        Assert.Equal(200, (await client.GetAsync("/get-session")).Status);
        Assert.Equal(200, (await client.GetAsync("/get-session")).Status);
        var limited = await client.GetAsync("/get-session");
        Assert.Equal(429, limited.Status);
        Assert.Equal("60", limited.Header("X-Retry-After"));
    }

    [Fact]
    public async Task Responses_AreNotCached()
    {
        await using var host = await AuthTestHost.StartAsync();
        var r = await host.Client().GetAsync("/get-session");
        Assert.Equal("no-store", r.Message.Headers.CacheControl?.ToString());
    }
}

public sealed class ClientIpTests
{
    private static async Task<TestResponse> SignInFrom(TestClient client, string ip, string? forwardedFor = null) =>
        await client.SendAsync(HttpMethod.Post, "/sign-in/email",
            new StringContent("{\"email\":\"ip@example.com\",\"password\":\"password123\"}", System.Text.Encoding.UTF8, "application/json"),
            m =>
            {
                m.Headers.Add("X-Test-Ip", ip);
                if (forwardedFor is not null) m.Headers.Add("X-Forwarded-For", forwardedFor);
            });

    [Fact]
    public async Task RateLimit_IsPerClientIp()
    {
        await using var host = await AuthTestHost.StartAsync(o => o.RateLimit.Enabled = true);
        var client = host.Client();
        for (var i = 0; i < 3; i++) Assert.Equal(401, (await SignInFrom(client, "10.0.0.1")).Status);
        Assert.Equal(429, (await SignInFrom(client, "10.0.0.1")).Status);
        Assert.Equal(401, (await SignInFrom(client, "10.0.0.2")).Status);
    }

    [Fact]
    public async Task ForwardedFor_IsIgnoredFromUntrustedPeers()
    {
        await using var host = await AuthTestHost.StartAsync(o =>
        {
            o.RateLimit.Enabled = true;
            o.Advanced.IpAddress.IpAddressHeaders.Add("X-Forwarded-For");
        });
        var client = host.Client();
        // A client rotating X-Forwarded-For values still shares one counter: its socket address.
        for (var i = 0; i < 3; i++) Assert.Equal(401, (await SignInFrom(client, "10.0.0.9", $"203.0.113.{i}")).Status);
        Assert.Equal(429, (await SignInFrom(client, "10.0.0.9", "203.0.113.77")).Status);
    }

    [Fact]
    public async Task ForwardedFor_IsHonouredFromTrustedProxy()
    {
        await using var host = await AuthTestHost.StartAsync(o =>
        {
            o.RateLimit.Enabled = true;
            o.Advanced.IpAddress.IpAddressHeaders.Add("X-Forwarded-For");
            o.Advanced.IpAddress.TrustedProxies.Add("10.1.0.0/16");
        });
        var client = host.Client();
        for (var i = 0; i < 3; i++) Assert.Equal(401, (await SignInFrom(client, "10.1.0.5", "198.51.100.1")).Status);
        Assert.Equal(429, (await SignInFrom(client, "10.1.0.5", "198.51.100.1")).Status);
        Assert.Equal(401, (await SignInFrom(client, "10.1.0.5", "198.51.100.2")).Status);
        // Spoofed left-most entries do not matter: the right-most untrusted hop is the client.
        Assert.Equal(429, (await SignInFrom(client, "10.1.0.5", "1.2.3.4, 198.51.100.1")).Status);
    }

    [Fact]
    public async Task Session_RecordsClientIpAndUserAgent()
    {
        await using var host = await AuthTestHost.StartAsync();
        var client = host.Client();
        await client.SendAsync(HttpMethod.Post, "/sign-up/email",
            new StringContent("{\"email\":\"ua@example.com\",\"password\":\"password123\",\"name\":\"U\"}", System.Text.Encoding.UTF8, "application/json"),
            m => { m.Headers.Add("X-Test-Ip", "192.0.2.10"); m.Headers.UserAgent.ParseAdd("TestAgent/1.0"); });
        var s = await client.GetAsync("/get-session");
        Assert.Equal("192.0.2.10", s.Json!["session"]!["ipAddress"]!.GetValue<string>());
        Assert.Equal("TestAgent/1.0", s.Json!["session"]!["userAgent"]!.GetValue<string>());
    }
}
