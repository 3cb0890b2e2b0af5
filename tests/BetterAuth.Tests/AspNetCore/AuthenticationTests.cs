using System.Net.Http.Headers;
using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.AspNetCore;

public sealed class AuthenticationTests
{
    private const string Me = ProtectedAppHost.Origin + "/app/me";

    [Fact]
    public async Task NoSession_Is401ProblemJson_NotARedirect()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var r = await host.Client().GetAsync(Me);
        Assert.Equal(401, r.Status);
        Assert.Null(r.Header("Location"));
        Assert.Equal("application/problem+json", r.Message.Content.Headers.ContentType?.MediaType);
        Assert.Equal(401, r.Json!["status"]!.GetValue<int>());
        Assert.Equal("Unauthorized", r.Json!["title"]!.GetValue<string>());
        Assert.Equal("Bearer", r.Header("WWW-Authenticate"));
    }

    [Fact]
    public async Task SessionCookie_Authenticates_WithTheUsersClaimsAndRows()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var (client, id) = await host.UserAsync("cookie@app.test");
        var r = await client.GetAsync(Me);
        Assert.Equal(200, r.Status);
        var me = r.Json!;
        Assert.Equal(id, me["id"]!.GetValue<string>());
        Assert.Equal(id, me["sub"]!.GetValue<string>());
        Assert.Equal("cookie@app.test", me["email"]!.GetValue<string>());
        Assert.Equal("Test User", me["name"]!.GetValue<string>());
        Assert.Equal("false", me["emailVerified"]!.GetValue<string>());
        Assert.Equal("BetterAuth", me["scheme"]!.GetValue<string>());
        // The admin plugin gives new users the role "user".
        Assert.Equal(["user"], me["roles"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.False(me["isAdmin"]!.GetValue<bool>());
        Assert.Null(me["activeOrganizationId"]);
        Assert.Equal(id, me["rowUserId"]!.GetValue<string>());

        var sessions = await client.GetAsync("/list-sessions");
        Assert.Equal(sessions.Json!.AsArray().Single()!["id"]!.GetValue<string>(), me["sid"]!.GetValue<string>());
        Assert.Equal(sessions.Json!.AsArray().Single()!["token"]!.GetValue<string>(), me["rowSessionToken"]!.GetValue<string>());
    }

    [Fact]
    public async Task BearerToken_Authenticates()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var signIn = host.Client();
        await signIn.SignUpAsync("bearer@app.test");
        var r = await signIn.PostAsync("/sign-in/email", new { email = "bearer@app.test", password = "password123" });
        var token = r.Header("set-auth-token")!;

        var api = host.Client();
        api.Bearer = token;
        var me = await api.GetAsync(Me);
        Assert.Equal(200, me.Status);
        Assert.Equal("bearer@app.test", me.Json!["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task RoleClaims_AreTheCommaSplitRoles_AndImpersonationIsVisible()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var (admin, adminId) = await host.UserAsync("boss@app.test", "admin, support");
        var me = (await admin.GetAsync(Me)).Json!;
        Assert.Equal(["admin", "support"], me["roles"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.True(me["isAdmin"]!.GetValue<bool>());

        var (_, targetId) = await host.UserAsync("target@app.test");
        var impersonate = await admin.PostAsync("/admin/impersonate-user", new { userId = targetId });
        Assert.Equal(200, impersonate.Status);
        var asTarget = (await admin.GetAsync(Me)).Json!;
        Assert.Equal(targetId, asTarget["id"]!.GetValue<string>());
        Assert.Equal(adminId, asTarget["impersonatedBy"]!.GetValue<string>());
    }

    [Fact]
    public async Task ActiveOrganization_IsAClaim()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var (owner, _) = await host.UserAsync("owner@app.test");
        var created = await owner.PostAsync("/organization/create", new { name = "Acme", slug = "acme" });
        var me = (await owner.GetAsync(Me)).Json!;
        Assert.Equal(created.Json!["id"]!.GetValue<string>(), me["activeOrganizationId"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("token.bad-signature")]
    public async Task ForgedOrUnknownCookie_Is401(string value)
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var client = host.Client();
        client.Cookies["better-auth.session_token"] = value;
        var r = await client.GetAsync(Me);
        Assert.Equal(401, r.Status);
        Assert.Equal("The session is invalid, expired or revoked.", r.Json!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task SignedOutRevokedOrExpiredSession_StopsWorkingAtOnce()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var (client, _) = await host.UserAsync("gone@app.test");
        var kept = new Dictionary<string, string>(client.Cookies);
        Assert.Equal(200, (await client.PostAsync("/sign-out")).Status);
        var stale = host.Client();
        foreach (var (k, v) in kept) stale.Cookies[k] = v;
        Assert.Equal(401, (await stale.GetAsync(Me)).Status);

        var (other, _) = await host.UserAsync("expiring@app.test");
        host.Clock.Advance(TimeSpan.FromDays(8));
        Assert.Equal(401, (await other.GetAsync(Me)).Status);
    }

    [Fact]
    public async Task AuthenticationWritesNothing_NoCookieNoRefresh()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var (client, id) = await host.UserAsync("quiet@app.test");
        var before = await host.WithDbAsync(db => Task.FromResult(db.Sessions.Single(s => s.UserId == id).ExpiresAt));
        host.Clock.Advance(TimeSpan.FromDays(2)); // past updateAge: get-session would extend it
        var r = await client.GetAsync(Me);
        Assert.Equal(200, r.Status);
        Assert.Empty(r.SetCookies);
        var after = await host.WithDbAsync(db => Task.FromResult(db.Sessions.Single(s => s.UserId == id).ExpiresAt));
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task UseAuthentication_SetsHttpContextUser_AndLeavesAnonymousAlone()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var anonymous = await host.Client().GetAsync(ProtectedAppHost.Origin + "/app/public");
        Assert.False(anonymous.Json!["authenticated"]!.GetValue<bool>());
        var (client, _) = await host.UserAsync("public@app.test");
        var signedIn = await client.GetAsync(ProtectedAppHost.Origin + "/app/public");
        Assert.True(signedIn.Json!["authenticated"]!.GetValue<bool>());
    }

    [Fact]
    public async Task AuthApi_StillAnswersItself_UnderUseAuthentication()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var (client, _) = await host.UserAsync("api@app.test");
        var session = await client.GetAsync("/get-session");
        Assert.Equal(200, session.Status);
        Assert.Equal("api@app.test", session.Json!["user"]!["email"]!.GetValue<string>());
        var nothing = await host.Client().GetAsync("/get-session");
        Assert.Equal("null", nothing.Text);
    }

    [Fact]
    public async Task BearerOfAnotherKind_WhenBearerTokensAreOff_IsAnonymous()
    {
        await using var host = await ProtectedAppHost.StartAsync(o => o.Session.Bearer.Enabled = false);
        var client = host.Client();
        var r = await client.SendAsync(HttpMethod.Get, Me, null, m => m.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "x.y"));
        Assert.Equal(401, r.Status);
        Assert.Equal("Sign in to use this resource.", r.Json!["detail"]!.GetValue<string>());
        Assert.Null(r.Header("WWW-Authenticate"));
    }
}
