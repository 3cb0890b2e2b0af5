using BetterAuth.Core.Events;
using BetterAuth.Plugins.MultiSession;
using BetterAuth.Plugins.TwoFactor;
using BetterAuth.Tests.AspNetCore;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Tests.Plugins.MultiSession;

public sealed class MultiSessionTests
{
    private const string Multi = "better-auth.session_token_multi-";

    private static Task<AuthTestHost> StartAsync(Action<MultiSessionOptions>? configure = null, Action<BetterAuthOptions>? auth = null)
    {
        var options = new MultiSessionOptions();
        configure?.Invoke(options);
        return AuthTestHost.StartAsync(o => { auth?.Invoke(o); o.Plugins.Add(new MultiSessionPlugin(options)); });
    }

    /// <summary>Signs up <paramref name="count"/> accounts one after the other in one browser; returns their session tokens.</summary>
    private static async Task<List<string>> SignUpAccountsAsync(TestClient browser, int count, string label = "acct")
    {
        var tokens = new List<string>();
        for (var i = 0; i < count; i++) tokens.Add((await browser.SignUpAsync($"{label}{i}@example.com"))["token"]!.GetValue<string>());
        return tokens;
    }

    private static List<string> DeviceCookies(TestClient browser) => browser.Cookies.Keys.Where(k => k.StartsWith(Multi, StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task SignIn_SetsASignedDeviceCookie_NamedAfterTheToken_WithTheSessionCookiesAttributes()
    {
        await using var host = await StartAsync();
        var browser = host.Client();
        var up = await browser.PostAsync("/sign-up/email", new { email = "one@example.com", password = "password123", name = "One" });
        var token = up.Json!["token"]!.GetValue<string>();
        var session = up.Cookie("better-auth.session_token")!.Split(';')[0].Split('=', 2)[1];
        Assert.Equal($"{Multi}{token.ToLowerInvariant()}={session}; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax", up.Cookie(Multi + token.ToLowerInvariant()));

        // Not remembered: the session cookie lasts for the browser session, the device cookie as Better Auth sets it.
        var again = await host.Client().PostAsync("/sign-in/email", new { email = "one@example.com", password = "password123", rememberMe = false });
        var second = again.Json!["token"]!.GetValue<string>();
        Assert.DoesNotContain("Max-Age", again.Cookie("better-auth.session_token"));
        Assert.Contains("; Max-Age=604800;", again.Cookie(Multi + second.ToLowerInvariant()));
    }

    [Theory]
    [InlineData(null, 5)]
    [InlineData(2, 2)]
    public async Task MaximumSessions_IsTheNumberOfAccountsWithADeviceCookie(int? maximum, int expected)
    {
        // Better Auth 1.2.12 counts the session cookie being set as one more, so its default of 5 admits 4 accounts.
        await using var host = await StartAsync(o => { if (maximum is { } m) o.MaximumSessions = m; });
        var browser = host.Client();
        var tokens = await SignUpAccountsAsync(browser, expected + 1);
        Assert.Equal(tokens.Take(expected).Select(t => Multi + t.ToLowerInvariant()).Order(), DeviceCookies(browser).Order());
        var listed = (await browser.GetAsync("/multi-session/list-device-sessions")).Json!.AsArray();
        Assert.Equal(expected, listed.Count);
    }

    [Fact]
    public async Task ListDeviceSessions_OneLiveSessionPerAccount_InTokenOrder()
    {
        await using var host = await StartAsync();
        var browser = host.Client();
        var tokens = await SignUpAccountsAsync(browser, 3);
        await browser.SignInAsync("acct0@example.com"); // a second session of the first account
        Assert.Equal(4, DeviceCookies(browser).Count);

        var r = await browser.GetAsync("/multi-session/list-device-sessions");
        Assert.Equal(200, r.Status);
        var listed = r.Json!.AsArray();
        Assert.Equal(3, listed.Select(s => s!["user"]!["id"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(listed.Select(s => s!["session"]!["token"]!.GetValue<string>()).Order(StringComparer.Ordinal),
            listed.Select(s => s!["session"]!["token"]!.GetValue<string>()));
        Assert.Equal(["session", "user"], listed[0]!.AsObject().Select(p => p.Key).ToArray());

        await host.WithDbAsync(db => db.Sessions.Where(s => s.Token == tokens[1]).ExecuteDeleteAsync());
        var after = (await browser.GetAsync("/multi-session/list-device-sessions")).Json!.AsArray();
        Assert.DoesNotContain(after, s => s!["session"]!["token"]!.GetValue<string>() == tokens[1]);
        Assert.Equal(2, after.Count);

        Assert.Equal("[]", (await host.Client().GetAsync("/multi-session/list-device-sessions")).Text);
    }

    [Theory]
    [InlineData("abc.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D")] // well-formed, wrong signature: a 500 in Better Auth 1.2.12
    [InlineData("not-signed")]
    [InlineData("%E0%A4%A")]
    public async Task ListDeviceSessions_ABadlySignedCookie_IsSkipped(string forged)
    {
        await using var host = await StartAsync();
        var browser = host.Client();
        await SignUpAccountsAsync(browser, 2);
        browser.Cookies[Multi + "abc"] = forged;
        var r = await browser.GetAsync("/multi-session/list-device-sessions");
        Assert.Equal(200, r.Status);
        Assert.Equal(2, r.Json!.AsArray().Count);
    }

    [Fact]
    public async Task SetActive_SwitchesTheSessionCookie_ToAnAccountOfThisBrowser()
    {
        await using var host = await StartAsync();
        var browser = host.Client();
        var tokens = await SignUpAccountsAsync(browser, 2);
        var r = await browser.PostAsync("/multi-session/set-active", new { sessionToken = tokens[0] });
        Assert.Equal(200, r.Status);
        Assert.Equal(tokens[0], r.Json!["session"]!["token"]!.GetValue<string>());
        Assert.Equal("acct0@example.com", r.Json!["user"]!["email"]!.GetValue<string>());
        Assert.StartsWith($"better-auth.session_token={tokens[0]}.", r.Cookie("better-auth.session_token"));
        Assert.Null(r.Cookie(Multi + tokens[0].ToLowerInvariant())); // it has one already
        Assert.Equal("acct0@example.com", (await browser.GetAsync("/get-session")).Json!["user"]!["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task SetActive_ATokenThisBrowserHoldsNoDeviceCookieFor_Is401()
    {
        await using var host = await StartAsync();
        var other = host.Client();
        var foreign = (await other.SignUpAsync("other@example.com"))["token"]!.GetValue<string>();
        var browser = host.Client();
        var tokens = await SignUpAccountsAsync(browser, 1);

        var r = await browser.PostAsync("/multi-session/set-active", new { sessionToken = foreign });
        Assert.Equal((401, "INVALID_SESSION_TOKEN", "Invalid session token"), (r.Status, r.Code, r.Json!["message"]!.GetValue<string>()));
        Assert.Empty(r.SetCookies);
        // A device cookie that names one token but holds another (copied from elsewhere) is no proof either.
        browser.Cookies[Multi + foreign.ToLowerInvariant()] = browser.Cookies["better-auth.session_token"];
        Assert.Equal(401, (await browser.PostAsync("/multi-session/set-active", new { sessionToken = foreign })).Status);
        Assert.Equal(401, (await browser.PostAsync("/multi-session/set-active", new { sessionToken = tokens[0].ToUpperInvariant() })).Status);

        var missing = await browser.PostAsync("/multi-session/set-active", new { });
        Assert.Equal((400, "VALIDATION_ERROR"), (missing.Status, missing.Code));
        var anonymous = await host.Client().PostAsync("/multi-session/set-active", new { sessionToken = tokens[0] });
        Assert.Equal((401, ""), (anonymous.Status, anonymous.Text));
    }

    [Fact]
    public async Task SetActive_AnEndedOrExpiredSession_Is401()
    {
        await using var host = await StartAsync();
        var browser = host.Client();
        var tokens = await SignUpAccountsAsync(browser, 3);
        await host.WithDbAsync(db => db.Sessions.Where(s => s.Token == tokens[0]).ExecuteDeleteAsync());
        await host.WithDbAsync(db => db.Sessions.Where(s => s.Token == tokens[1])
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ExpiresAt, host.Runtime.Now.AddSeconds(-1))));
        foreach (var token in tokens.Take(2))
        {
            var r = await browser.PostAsync("/multi-session/set-active", new { sessionToken = token });
            Assert.Equal((401, "INVALID_SESSION_TOKEN"), (r.Status, r.Code));
        }
        Assert.Equal(tokens[2], (await browser.GetAsync("/get-session")).Json!["session"]!["token"]!.GetValue<string>());
    }

    [Fact]
    public async Task Revoke_AnotherAccount_EndsItsSession_AndKeepsTheActiveOne()
    {
        await using var host = await StartAsync();
        var browser = host.Client();
        var tokens = await SignUpAccountsAsync(browser, 2);
        var r = await browser.PostAsync("/multi-session/revoke", new { sessionToken = tokens[0] });
        Assert.Equal((200, "{\"status\":true}"), (r.Status, r.Text));
        Assert.Equal($"{Multi}{tokens[0].ToLowerInvariant()}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax", r.Cookie(Multi + tokens[0].ToLowerInvariant()));
        Assert.Null(r.Cookie("better-auth.session_token"));
        Assert.False(await host.WithDbAsync(db => db.Sessions.AnyAsync(s => s.Token == tokens[0])));
        Assert.Equal("acct1@example.com", (await browser.GetAsync("/get-session")).Json!["user"]!["email"]!.GetValue<string>());

        var foreign = (await host.Client().SignUpAsync("foreign@example.com"))["token"]!.GetValue<string>();
        Assert.Equal("INVALID_SESSION_TOKEN", (await browser.PostAsync("/multi-session/revoke", new { sessionToken = foreign })).Code);
        Assert.True(await host.WithDbAsync(db => db.Sessions.AnyAsync(s => s.Token == foreign)));
    }

    [Fact]
    public async Task Revoke_TheActiveAccount_SwitchesToTheFirstLiveOneInTokenOrder_ThenSignsOut()
    {
        await using var host = await StartAsync();
        var browser = host.Client();
        var tokens = await SignUpAccountsAsync(browser, 4);
        var others = tokens.Take(3).Order(StringComparer.Ordinal).ToList();
        // The first in token order has ended meanwhile: it is skipped.
        await host.WithDbAsync(db => db.Sessions.Where(s => s.Token == others[0]).ExecuteDeleteAsync());

        var r = await browser.PostAsync("/multi-session/revoke", new { sessionToken = tokens[3] });
        Assert.Equal(200, r.Status);
        Assert.StartsWith($"better-auth.session_token={others[1]}.", r.Cookie("better-auth.session_token"));
        Assert.Equal(others[1], (await browser.GetAsync("/get-session")).Json!["session"]!["token"]!.GetValue<string>());

        Assert.StartsWith($"better-auth.session_token={others[2]}.",
            (await browser.PostAsync("/multi-session/revoke", new { sessionToken = others[1] })).Cookie("better-auth.session_token"));
        var last = await browser.PostAsync("/multi-session/revoke", new { sessionToken = others[2] });
        Assert.Equal("better-auth.session_token=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax", last.Cookie("better-auth.session_token"));
        Assert.Equal("null", (await browser.GetAsync("/get-session")).Text);
    }

    [Fact]
    public async Task SignOut_EndsEveryAccountOfTheBrowser_ButOnlyThroughValidlySignedCookies()
    {
        await using var host = await ProtectedAppHost.StartAsync(o => o.Plugins.Add(new MultiSessionPlugin()));
        var browser = host.Client();
        var tokens = new List<string>();
        for (var i = 0; i < 2; i++) tokens.Add((await browser.SignUpAsync($"out{i}@example.com"))["token"]!.GetValue<string>());
        var elsewhere = (await host.Client().SignInAsync("out0@example.com"))["token"]!.GetValue<string>();
        // A cookie nobody signed, naming another browser's session (Better Auth 1.2.12 ends that session too).
        browser.Cookies[Multi + "forged"] = elsewhere + ".forged";
        host.Events.Clear();

        var r = await browser.PostAsync("/sign-out");
        Assert.Equal(200, r.Status);
        foreach (var name in new[] { Multi + tokens[0].ToLowerInvariant(), Multi + tokens[1].ToLowerInvariant(), Multi + "forged" })
            Assert.Equal($"{name}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax", r.Cookie(name));
        Assert.False(await host.WithDbAsync(db => db.Sessions.AnyAsync(s => tokens.Contains(s.Token))));
        Assert.True(await host.WithDbAsync(db => db.Sessions.AnyAsync(s => s.Token == elsewhere)));
        Assert.Equal(tokens.Order(), host.Events.Of<SignedOutEvent>().Select(e => e.Session.Token).Order());
    }

    [Fact]
    public async Task Revoke_RaisesSessionRevoked_ForTheRevokedAccount()
    {
        await using var host = await ProtectedAppHost.StartAsync(o => o.Plugins.Add(new MultiSessionPlugin()));
        var browser = host.Client();
        var first = await browser.SignUpAsync("rev0@example.com");
        await browser.SignUpAsync("rev1@example.com");
        host.Events.Clear();
        await browser.PostAsync("/multi-session/revoke", new { sessionToken = first["token"]!.GetValue<string>() });
        var revoked = Assert.Single(host.Events.Of<SessionRevokedEvent>());
        Assert.Equal((first["user"]!["id"]!.GetValue<string>(), SessionRevocationScope.Single), (revoked.UserId, revoked.Scope));
    }

    [Fact]
    public async Task ASessionTwoFactorWithholds_GetsNoDeviceCookie()
    {
        await using var host = await StartAsync(auth: o => o.Plugins.Add(new TwoFactorPlugin()));
        await host.Client().SignUpAsync("mfa@example.com");
        await host.WithDbAsync(db => db.Users.ExecuteUpdateAsync(s => s.SetProperty(u => EF.Property<bool?>(u, "twoFactorEnabled"), true)));
        var browser = host.Client();
        var r = await browser.PostAsync("/sign-in/email", new { email = "mfa@example.com", password = "password123" });
        Assert.True(r.Json!["twoFactorRedirect"]!.GetValue<bool>());
        Assert.Empty(DeviceCookies(browser));
    }
}
