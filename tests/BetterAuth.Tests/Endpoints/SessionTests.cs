using System.Globalization;
using BetterAuth.Core.Cookies;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Tests.Endpoints;

public sealed class SessionTests
{
    [Fact]
    public async Task GetSession_NoCookie_ReturnsNull()
    {
        await using var host = await AuthTestHost.StartAsync();
        var r = await host.Client().GetAsync("/get-session");
        Assert.Equal(200, r.Status);
        Assert.Equal("null", r.Text);
    }

    [Fact]
    public async Task GetSession_ValidCookie_ReturnsFullRowsInBetterAuthOrder()
    {
        await using var host = await AuthTestHost.StartAsync();
        var client = host.Client();
        await client.SignUpAsync("full@example.com");
        var r = await client.GetAsync("/get-session");
        Assert.Equal(["expiresAt", "token", "createdAt", "updatedAt", "ipAddress", "userAgent", "userId", "id"],
            r.Json!["session"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["name", "email", "emailVerified", "image", "createdAt", "updatedAt", "id"],
            r.Json!["user"]!.AsObject().Select(p => p.Key));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", r.Json!["session"]!["expiresAt"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetSession_TamperedSignature_ReturnsNull()
    {
        await using var host = await AuthTestHost.StartAsync();
        var client = host.Client();
        await client.SignUpAsync("tamper@example.com");
        var value = Uri.UnescapeDataString(client.Cookies["better-auth.session_token"]);
        var token = value[..value.LastIndexOf('.')];
        client.Cookies["better-auth.session_token"] = Uri.EscapeDataString(token + "." + new string('A', 43) + "=");
        Assert.Equal("null", (await client.GetAsync("/get-session")).Text);
        client.Cookies["better-auth.session_token"] = token; // unsigned
        Assert.Equal("null", (await client.GetAsync("/get-session")).Text);
    }

    [Fact]
    public async Task GetSession_CookieSignedByReference_Verifies()
    {
        // A cookie value the reference minted (shared/reference/SMOKE.txt) verifies with the same secret.
        var signer = new BetterAuth.Core.Crypto.SecretSigner("reference-dev-secret-0123456789abcdef0123456789abcdef");
        var raw = Uri.UnescapeDataString("UN4CUCKLsy0tHHWh20wFGKRBsi9DQKPP.nXx%2BgwgNRzlnRl%2FEFw%2B2moxgj279rZTIMHt80YbvScc%3D");
        Assert.Equal("UN4CUCKLsy0tHHWh20wFGKRBsi9DQKPP", AuthCookies.VerifySignedValue(signer, raw));
        Assert.Equal("UN4CUCKLsy0tHHWh20wFGKRBsi9DQKPP.nXx%2BgwgNRzlnRl%2FEFw%2B2moxgj279rZTIMHt80YbvScc%3D",
            AuthCookies.SignValue(signer, "UN4CUCKLsy0tHHWh20wFGKRBsi9DQKPP"));
    }

    [Fact]
    public async Task GetSession_Expired_ReturnsNullClearsCookiesAndDeletesRow()
    {
        await using var host = await AuthTestHost.StartAsync();
        var client = host.Client();
        await client.SignUpAsync("exp@example.com");
        host.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));
        var r = await client.GetAsync("/get-session");
        Assert.Equal("null", r.Text);
        Assert.Contains(r.SetCookies, c => c.StartsWith("better-auth.session_token=; Max-Age=0", StringComparison.Ordinal));
        Assert.Equal(0, await host.WithDbAsync(db => Task.FromResult(db.Sessions.Count())));
    }

    [Fact]
    public async Task GetSession_AfterUpdateAge_ExtendsExpiryAndResetsCookie()
    {
        await using var host = await AuthTestHost.StartAsync();
        var client = host.Client();
        await client.SignUpAsync("refresh@example.com");
        var before = (await client.GetAsync("/get-session")).Json!["session"]!["expiresAt"]!.GetValue<string>();

        host.Clock.Advance(TimeSpan.FromHours(23));
        var early = await client.GetAsync("/get-session");
        Assert.Equal(before, early.Json!["session"]!["expiresAt"]!.GetValue<string>());
        Assert.Null(early.Cookie("better-auth.session_token"));

        host.Clock.Advance(TimeSpan.FromHours(2));
        var late = await client.GetAsync("/get-session");
        var after = late.Json!["session"]!["expiresAt"]!.GetValue<string>();
        Assert.True(DateTime.Parse(after, CultureInfo.InvariantCulture) > DateTime.Parse(before, CultureInfo.InvariantCulture));
        Assert.Contains("Max-Age=604800", late.Cookie("better-auth.session_token"));
    }

    [Fact]
    public async Task GetSession_DontRemember_IsNeverExtended()
    {
        await using var host = await AuthTestHost.StartAsync();
        await host.Client().SignUpAsync("dr@example.com");
        var client = host.Client();
        await client.SignInAsync("dr@example.com", rememberMe: false);
        var before = (await client.GetAsync("/get-session")).Json!["session"]!["expiresAt"]!.GetValue<string>();
        host.Clock.Advance(TimeSpan.FromHours(23));
        var r = await client.GetAsync("/get-session");
        Assert.Equal(before, r.Json!["session"]!["expiresAt"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetSession_BearerToken_SignedOrBare_WorksWhenBareTokensAreAllowed()
    {
        // Bare tokens are refused by default (Security/RawTokenTests); a host may allow them, as Better Auth does.
        await using var host = await AuthTestHost.StartAsync(o => o.Session.Bearer.RequireSignature = false);
        var up = await host.Client().PostAsync("/sign-up/email", new { email = "bearer@example.com", password = "password123", name = "B" });
        var signed = up.Header("set-auth-token")!;
        var bare = up.Json!["token"]!.GetValue<string>();

        foreach (var token in new[] { signed, Uri.UnescapeDataString(signed), bare })
        {
            var client = host.Client();
            client.Bearer = token;
            var r = await client.GetAsync("/get-session");
            Assert.Equal("bearer@example.com", r.Json!["user"]!["email"]!.GetValue<string>());
        }
        var forged = host.Client();
        forged.Bearer = bare + "." + new string('A', 43) + "=";
        Assert.Equal("null", (await forged.GetAsync("/get-session")).Text);
    }

    [Fact]
    public async Task GetSession_CookieCache_ServesSignedCacheUntilItExpires()
    {
        await using var host = await AuthTestHost.StartAsync(o => o.Session.CookieCache.Enabled = true);
        var client = host.Client();
        await client.SignUpAsync("cache@example.com");
        Assert.True(client.Cookies.ContainsKey("better-auth.session_data"));
        await host.WithDbAsync(db => Task.FromResult(db.Database.ExecuteSqlRaw("UPDATE \"user\" SET name = 'Changed'")));

        var cached = await client.GetAsync("/get-session");
        Assert.Equal("Test User", cached.Json!["user"]!["name"]!.GetValue<string>());
        var fresh = await client.GetAsync("/get-session?disableCookieCache=true");
        Assert.Equal("Changed", fresh.Json!["user"]!["name"]!.GetValue<string>());

        var payload = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(client.Cookies["better-auth.session_data"]));
        client.Cookies["better-auth.session_data"] = System.Buffers.Text.Base64Url.EncodeToString(
            System.Text.Encoding.UTF8.GetBytes(payload.Replace("\"name\":\"", "\"name\":\"Forged ")));
        var forged = await client.GetAsync("/get-session");
        Assert.Equal("null", forged.Text);
    }

    [Fact]
    public async Task SignOut_DeletesSessionAndClearsCookies()
    {
        await using var host = await AuthTestHost.StartAsync();
        var client = host.Client();
        await client.SignUpAsync("out@example.com");
        var saved = new Dictionary<string, string>(client.Cookies);
        var r = await client.PostAsync("/sign-out");
        Assert.Equal(200, r.Status);
        Assert.True(r.Json!["success"]!.GetValue<bool>());
        Assert.Contains("better-auth.session_token=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax", r.SetCookies);
        Assert.Contains(r.SetCookies, c => c.StartsWith("better-auth.session_data=; Max-Age=0", StringComparison.Ordinal));
        Assert.Contains(r.SetCookies, c => c.StartsWith("better-auth.dont_remember=; Max-Age=0", StringComparison.Ordinal));
        // The old cookie is dead on the server, not just forgotten by the browser.
        var replay = host.Client();
        foreach (var (k, v) in saved) replay.Cookies[k] = v;
        Assert.Equal("null", (await replay.GetAsync("/get-session")).Text);
    }

    [Fact]
    public async Task SignOut_WithoutSession_Returns400()
    {
        await using var host = await AuthTestHost.StartAsync();
        var r = await host.Client().PostAsync("/sign-out");
        Assert.Equal(400, r.Status);
        Assert.Equal("FAILED_TO_GET_SESSION", r.Code);
    }

    [Fact]
    public async Task ListSessions_ReturnsLiveSessionsOfTheUserOnly()
    {
        await using var host = await AuthTestHost.StartAsync();
        var a = host.Client();
        await a.SignUpAsync("list@example.com");
        await host.Client().SignInAsync("list@example.com");
        await host.Client().SignUpAsync("other@example.com");
        var r = await a.GetAsync("/list-sessions");
        Assert.Equal(200, r.Status);
        Assert.Equal(2, r.Json!.AsArray().Count);
        Assert.All(r.Json!.AsArray(), s => Assert.NotNull(s!["token"]));
        Assert.Equal(401, (await host.Client().GetAsync("/list-sessions")).Status);
        Assert.Equal("", (await host.Client().GetAsync("/list-sessions")).Text);
    }

    [Fact]
    public async Task RevokeSession_OwnUnknownAndForeign()
    {
        await using var host = await AuthTestHost.StartAsync();
        var a = host.Client();
        await a.SignUpAsync("rev@example.com");
        var second = await host.Client().SignInAsync("rev@example.com");
        var foreign = await host.Client().SignUpAsync("foreign@example.com");

        var unknown = await a.PostAsync("/revoke-session", new { token = "does-not-exist" });
        Assert.Equal(400, unknown.Status);
        Assert.Equal("SESSION_NOT_FOUND", unknown.Code);
        var other = await a.PostAsync("/revoke-session", new { token = foreign["token"]!.GetValue<string>() });
        Assert.Equal(401, other.Status);
        var own = await a.PostAsync("/revoke-session", new { token = second["token"]!.GetValue<string>() });
        Assert.Equal(200, own.Status);
        Assert.True(own.Json!["status"]!.GetValue<bool>());
        Assert.Single((await a.GetAsync("/list-sessions")).Json!.AsArray());
        Assert.Equal(400, (await a.PostAsync("/revoke-session", new { })).Status);
    }

    [Fact]
    public async Task RevokeSessions_EndsEverySessionIncludingCurrent()
    {
        await using var host = await AuthTestHost.StartAsync();
        var a = host.Client();
        await a.SignUpAsync("all@example.com");
        await host.Client().SignInAsync("all@example.com");
        Assert.Equal(200, (await a.PostAsync("/revoke-sessions")).Status);
        Assert.Equal(0, await host.WithDbAsync(db => Task.FromResult(db.Sessions.Count())));
        Assert.Equal("null", (await a.GetAsync("/get-session")).Text);
    }

    [Fact]
    public async Task RevokeOtherSessions_KeepsCurrent()
    {
        await using var host = await AuthTestHost.StartAsync();
        var a = host.Client();
        await a.SignUpAsync("others@example.com");
        var b = host.Client();
        await b.SignInAsync("others@example.com");
        Assert.Equal(200, (await a.PostAsync("/revoke-other-sessions")).Status);
        Assert.NotEqual("null", (await a.GetAsync("/get-session")).Text);
        Assert.Equal("null", (await b.GetAsync("/get-session")).Text);
    }
}
