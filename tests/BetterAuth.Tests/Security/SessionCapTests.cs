using BetterAuth.Core.Storage;
using BetterAuth.Tests.Plugins.Admin;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Tests.Security;

/// <summary>
/// Sessions promised a short life (an admin's impersonation session, a "don't remember me" sign-in) keep that cap on
/// every refresh path: cookie with or without the dont_remember marker, bearer token, the shared cache and the cookie
/// cache. Ordinary sessions are still extended as Better Auth extends them.
/// </summary>
public sealed class SessionCapTests
{
    private static string ExpiresAt(TestResponse r) => r.Json!["session"]!["expiresAt"]!.GetValue<string>();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ImpersonationSession_UsedAsBearer_NeverOutlivesItsHour(bool cookieCache)
    {
        await using var kit = await AdminTestKit.StartAsync(configure: o => o.Session.CookieCache.Enabled = cookieCache);
        var (admin, _) = await kit.AdminAsync();
        var (_, userId) = await kit.UserAsync("u@example.com");
        var started = kit.Host.Runtime.Now;
        var impersonation = await admin.PostAsync("/admin/impersonate-user", new { userId });
        var bearer = kit.Host.Client();
        bearer.Bearer = impersonation.Header("set-auth-token");
        var cap = JsDate.Format(started.AddHours(1));

        Assert.Equal(cap, ExpiresAt(await bearer.GetAsync("/get-session")));
        kit.Host.Clock.Advance(TimeSpan.FromMinutes(50));
        Assert.Equal(cap, ExpiresAt(await bearer.GetAsync("/get-session")));
        Assert.Equal(cap, ExpiresAt(await bearer.GetAsync("/get-session?disableCookieCache=true")));
        // The admin's browser without its dont_remember marker is held to the same hour.
        admin.Cookies.Remove("better-auth.dont_remember");
        admin.Cookies.Remove("better-auth.session_data");
        Assert.Equal(cap, ExpiresAt(await admin.GetAsync("/get-session")));

        kit.Host.Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal("null", (await bearer.GetAsync("/get-session?disableCookieCache=true")).Text);
        Assert.Equal("null", (await admin.GetAsync("/get-session?disableCookieCache=true")).Text);
    }

    [Fact]
    public async Task DontRememberSession_UsedAsBearerOrWithoutItsMarker_EndsAfterOneDay()
    {
        await using var host = await AuthTestHost.StartAsync();
        await host.Client().SignUpAsync("short@example.com");
        var browser = host.Client();
        var signIn = await browser.PostAsync("/sign-in/email", new { email = "short@example.com", password = "password123", rememberMe = false });
        var cap = JsDate.Format(host.Runtime.Now.AddDays(1));
        var bearer = host.Client();
        bearer.Bearer = signIn.Header("set-auth-token");
        browser.Cookies.Remove("better-auth.dont_remember");

        host.Clock.Advance(TimeSpan.FromHours(23));
        Assert.Equal(cap, ExpiresAt(await bearer.GetAsync("/get-session")));
        Assert.Equal(cap, ExpiresAt(await browser.GetAsync("/get-session")));
        var token = signIn.Json!["token"]!.GetValue<string>();
        var stored = await host.WithDbAsync(db => db.Sessions.Where(s => s.Token == token).Select(s => s.ExpiresAt).SingleAsync());
        Assert.Equal(cap, JsDate.Format(stored));

        host.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal("null", (await bearer.GetAsync("/get-session")).Text);
    }

    [Fact]
    public async Task RememberedSession_IsStillExtended_ByBearerAndCookie()
    {
        await using var host = await AuthTestHost.StartAsync();
        var browser = host.Client();
        var up = await browser.PostAsync("/sign-up/email", new { email = "long@example.com", password = "password123", name = "L" });
        var bearer = host.Client();
        bearer.Bearer = up.Header("set-auth-token");

        host.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(JsDate.Format(host.Runtime.Now.AddDays(7)), ExpiresAt(await bearer.GetAsync("/get-session")));
        host.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(JsDate.Format(host.Runtime.Now.AddDays(7)), ExpiresAt(await browser.GetAsync("/get-session")));
    }
}
