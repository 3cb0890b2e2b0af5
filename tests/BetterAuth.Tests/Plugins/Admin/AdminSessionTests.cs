using BetterAuth.Plugins.Admin;
using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Plugins.Admin;

public sealed class AdminSessionTests
{
    [Fact]
    public async Task ListUserSessions_ReturnsTheUsersRows_ForbiddenForUsers()
    {
        await using var kit = await AdminTestKit.StartAsync();
        var (admin, _) = await kit.AdminAsync();
        var (user, userId) = await kit.UserAsync("u@example.com");
        await kit.Host.Client().SignInAsync("u@example.com", AdminTestKit.Password);

        var r = await admin.PostAsync("/admin/list-user-sessions", new { userId });
        Assert.Equal(200, r.Status);
        var sessions = r.Json!["sessions"]!.AsArray();
        Assert.Equal(2, sessions.Count);
        Assert.All(sessions, s => Assert.Equal(userId, s!["userId"]!.GetValue<string>()));
        Assert.Contains(sessions, s => s!["token"]!.GetValue<string>() == AdminTestKit.TokenOf(user));
        Assert.True(sessions[0]!.AsObject().ContainsKey("impersonatedBy"));

        Assert.Equal("{\"sessions\":[]}", (await admin.PostAsync("/admin/list-user-sessions", new { userId = "nobody" })).Text);
        var forbidden = await user.PostAsync("/admin/list-user-sessions", new { userId });
        Assert.Equal(403, forbidden.Status);
        Assert.Equal("YOU_ARE_NOT_ALLOWED_TO_LIST_USERS_SESSIONS", forbidden.Code);
        Assert.Equal(401, (await kit.Host.Client().PostAsync("/admin/list-user-sessions", new { userId })).Status);
    }

    [Fact]
    public async Task RevokeUserSession_AndSessions_EndThem()
    {
        await using var kit = await AdminTestKit.StartAsync();
        var (admin, _) = await kit.AdminAsync();
        var (user, userId) = await kit.UserAsync("u@example.com");
        var other = kit.Host.Client();
        await other.SignInAsync("u@example.com", AdminTestKit.Password);

        var forbidden = await user.PostAsync("/admin/revoke-user-session", new { sessionToken = AdminTestKit.TokenOf(other) });
        Assert.Equal(403, forbidden.Status);
        Assert.Equal("YOU_ARE_NOT_ALLOWED_TO_REVOKE_USERS_SESSIONS", forbidden.Code);
        Assert.Equal("YOU_ARE_NOT_ALLOWED_TO_REVOKE_USERS_SESSIONS", (await user.PostAsync("/admin/revoke-user-sessions", new { userId })).Code);

        Assert.Equal("{\"success\":true}", (await admin.PostAsync("/admin/revoke-user-session", new { sessionToken = AdminTestKit.TokenOf(other) })).Text);
        Assert.Equal("null", (await other.GetAsync("/get-session")).Text);
        Assert.Equal(1, await kit.SessionCountAsync(userId));
        Assert.Equal("{\"success\":true}", (await admin.PostAsync("/admin/revoke-user-session", new { sessionToken = "unknown" })).Text);
        Assert.Equal("VALIDATION_ERROR", (await admin.PostAsync("/admin/revoke-user-session", new { })).Code);

        Assert.Equal("{\"success\":true}", (await admin.PostAsync("/admin/revoke-user-sessions", new { userId })).Text);
        Assert.Equal(0, await kit.SessionCountAsync(userId));
        Assert.Equal("null", (await user.GetAsync("/get-session")).Text);
    }

    [Fact]
    public async Task Impersonation_RoundTrip_RestoresTheAdminSession()
    {
        await using var kit = await AdminTestKit.StartAsync();
        var (admin, adminId) = await kit.AdminAsync();
        var (_, userId) = await kit.UserAsync("u@example.com");
        var adminToken = AdminTestKit.TokenOf(admin);

        var r = await admin.PostAsync("/admin/impersonate-user", new { userId });
        Assert.Equal(200, r.Status);
        var session = r.Json!["session"]!;
        Assert.Equal(userId, session["userId"]!.GetValue<string>());
        Assert.Equal(adminId, session["impersonatedBy"]!.GetValue<string>());
        Assert.Equal(BetterAuth.Core.Storage.JsDate.Format(kit.Host.Runtime.Now.AddHours(1)), session["expiresAt"]!.GetValue<string>());
        Assert.Equal(userId, r.Json!["user"]!["id"]!.GetValue<string>());

        // Old cookies cleared, the admin's token parked in admin_session, the new one set like rememberMe=false.
        Assert.StartsWith("better-auth.session_token=; Max-Age=0", r.SetCookies[0]);
        var parked = r.Cookie("better-auth.admin_session")!;
        Assert.StartsWith($"better-auth.admin_session={adminToken}%3A.", parked);
        Assert.Contains("Max-Age=604800", parked);
        var newCookie = r.SetCookies.Last(c => c.StartsWith("better-auth.session_token=", StringComparison.Ordinal) && !c.Contains("Max-Age=0"));
        Assert.DoesNotContain("Max-Age", newCookie);
        Assert.Contains(r.SetCookies, c => c.StartsWith("better-auth.dont_remember=true.", StringComparison.Ordinal));
        Assert.Equal(session["token"]!.GetValue<string>(), AdminTestKit.TokenOf(admin));

        var asUser = await admin.GetAsync("/get-session");
        Assert.Equal(userId, asUser.Json!["user"]!["id"]!.GetValue<string>());
        // Acting as a plain user, the admin API is closed.
        Assert.Equal(403, (await admin.GetAsync("/admin/list-users")).Status);

        var stop = await admin.PostAsync("/admin/stop-impersonating");
        Assert.Equal(200, stop.Status);
        Assert.Equal(adminToken, stop.Json!["session"]!["token"]!.GetValue<string>());
        Assert.Equal(adminId, stop.Json!["user"]!["id"]!.GetValue<string>());
        Assert.Contains("Max-Age=604800", stop.Cookie("better-auth.session_token"));
        Assert.Equal(adminId, (await admin.GetAsync("/get-session")).Json!["user"]!["id"]!.GetValue<string>());
        Assert.Equal(1, await kit.SessionCountAsync(userId)); // the impersonation session is gone; the user's own remains

        var again = await admin.PostAsync("/admin/stop-impersonating");
        Assert.Equal(400, again.Status);
        Assert.Equal("YOU_ARE_NOT_IMPERSONATING_ANYONE", again.Code);
        Assert.Equal(401, (await kit.Host.Client().PostAsync("/admin/stop-impersonating")).Status);
    }

    [Fact]
    public async Task Impersonation_FromADontRememberSession_KeepsThatFlag_AndExpiresAfterTheDuration()
    {
        await using var kit = await AdminTestKit.StartAsync(new AdminOptions { ImpersonationSessionDuration = 600 });
        await kit.AdminAsync();
        var (_, userId) = await kit.UserAsync("u@example.com");
        var admin = kit.Host.Client();
        await admin.SignInAsync("admin@example.com", AdminTestKit.Password, rememberMe: false);

        var r = await admin.PostAsync("/admin/impersonate-user", new { userId });
        Assert.Contains("%3Atrue.", r.Cookie("better-auth.admin_session"));
        Assert.Equal(BetterAuth.Core.Storage.JsDate.Format(kit.Host.Runtime.Now.AddSeconds(600)), r.Json!["session"]!["expiresAt"]!.GetValue<string>());

        var stop = await admin.PostAsync("/admin/stop-impersonating");
        Assert.Equal(200, stop.Status);
        Assert.DoesNotContain("Max-Age", stop.Cookie("better-auth.session_token"));
        Assert.Contains(stop.SetCookies, c => c.StartsWith("better-auth.dont_remember=true.", StringComparison.Ordinal));

        await admin.PostAsync("/admin/impersonate-user", new { userId });
        kit.Host.Clock.Advance(TimeSpan.FromSeconds(601));
        Assert.Equal("null", (await admin.GetAsync("/get-session")).Text);
    }

    [Fact]
    public async Task Impersonate_RefusesUsersUnknownTargetsAdminsAndBannedUsers()
    {
        await using var kit = await AdminTestKit.StartAsync();
        var (admin, _) = await kit.AdminAsync();
        var (_, otherAdminId) = await kit.UserAsync("admin2@example.com", "user,admin");
        var (user, userId) = await kit.UserAsync("u@example.com");

        var forbidden = await user.PostAsync("/admin/impersonate-user", new { userId = otherAdminId });
        Assert.Equal(403, forbidden.Status);
        Assert.Equal("YOU_ARE_NOT_ALLOWED_TO_IMPERSONATE_USERS", forbidden.Code);

        var unknown = await admin.PostAsync("/admin/impersonate-user", new { userId = "nobody" });
        Assert.Equal(404, unknown.Status);
        Assert.Equal("USER_NOT_FOUND", unknown.Code);

        var adminTarget = await admin.PostAsync("/admin/impersonate-user", new { userId = otherAdminId });
        Assert.Equal(403, adminTarget.Status);
        Assert.Equal("YOU_CANNOT_IMPERSONATE_ADMINS", adminTarget.Code);
        Assert.Empty(adminTarget.SetCookies);

        await admin.PostAsync("/admin/ban-user", new { userId });
        var banned = await admin.PostAsync("/admin/impersonate-user", new { userId });
        Assert.Equal(403, banned.Status);
        Assert.Equal("BANNED_USER", banned.Code);
        Assert.Equal(0, await kit.SessionCountAsync(userId));
    }

    [Fact]
    public async Task Impersonate_Admins_WhenAllowedByOptionOrPermission()
    {
        await using (var kit = await AdminTestKit.StartAsync(new AdminOptions { AllowImpersonatingAdmins = true }))
        {
            var (admin, _) = await kit.AdminAsync();
            var (_, otherAdminId) = await kit.UserAsync("admin2@example.com", "admin");
            Assert.Equal(200, (await admin.PostAsync("/admin/impersonate-user", new { userId = otherAdminId })).Status);
        }

        var roles = new Dictionary<string, Dictionary<string, List<string>>>
        {
            ["admin"] = new() { ["user"] = ["impersonate"] },
            ["super"] = new() { ["user"] = ["impersonate", "impersonate-admins"] },
        };
        await using (var kit = await AdminTestKit.StartAsync(new AdminOptions { Roles = roles }))
        {
            var (super, _) = await kit.UserAsync("super@example.com", "super");
            var (admin, adminId) = await kit.AdminAsync();
            var (_, otherAdminId) = await kit.UserAsync("admin2@example.com", "admin");
            Assert.Equal("YOU_CANNOT_IMPERSONATE_ADMINS", (await admin.PostAsync("/admin/impersonate-user", new { userId = otherAdminId })).Code);
            Assert.Equal(200, (await super.PostAsync("/admin/impersonate-user", new { userId = adminId })).Status);
        }
    }

    [Fact]
    public async Task StopImpersonating_WithoutAValidAdminCookie_Is400()
    {
        await using var kit = await AdminTestKit.StartAsync();
        var (admin, _) = await kit.AdminAsync();
        var (_, userId) = await kit.UserAsync("u@example.com");
        await admin.PostAsync("/admin/impersonate-user", new { userId });

        var parked = admin.Cookies[AdminTestKit.AdminCookie];
        admin.Cookies.Remove(AdminTestKit.AdminCookie);
        var missing = await admin.PostAsync("/admin/stop-impersonating");
        Assert.Equal(400, missing.Status);
        Assert.Equal("FAILED_TO_FIND_ADMIN_SESSION", missing.Code);

        // A tampered cookie fails its signature; a validly signed one naming another user's session is refused too.
        admin.Cookies[AdminTestKit.AdminCookie] = parked.Replace("%3A", "x%3A");
        Assert.Equal("FAILED_TO_FIND_ADMIN_SESSION", (await admin.PostAsync("/admin/stop-impersonating")).Code);
        var (other, _) = await kit.UserAsync("other@example.com", "admin");
        var signer = new BetterAuth.Core.Crypto.SecretSigner(AuthTestHost.Secret);
        admin.Cookies[AdminTestKit.AdminCookie] = BetterAuth.Core.Cookies.AuthCookies.SignValue(signer, AdminTestKit.TokenOf(other) + ":");
        Assert.Equal("FAILED_TO_FIND_ADMIN_SESSION", (await admin.PostAsync("/admin/stop-impersonating")).Code);
        Assert.Equal(2, await kit.SessionCountAsync(userId)); // the impersonation session survives a refused stop
        admin.Cookies[AdminTestKit.AdminCookie] = parked;
        Assert.Equal(200, (await admin.PostAsync("/admin/stop-impersonating")).Status);
    }

    [Fact]
    public async Task ListSessions_HidesImpersonationSessions()
    {
        await using var kit = await AdminTestKit.StartAsync();
        var (admin, _) = await kit.AdminAsync();
        var (user, userId) = await kit.UserAsync("u@example.com");
        await admin.PostAsync("/admin/impersonate-user", new { userId });
        Assert.Equal(2, await kit.SessionCountAsync(userId));

        var own = await user.GetAsync("/list-sessions");
        Assert.Equal(200, own.Status);
        var listed = Assert.Single(own.Json!.AsArray());
        Assert.Equal(AdminTestKit.TokenOf(user), listed!["token"]!.GetValue<string>());
        // Even the impersonating admin, looking as the user, does not see the impersonation session.
        Assert.Single((await admin.GetAsync("/list-sessions")).Json!.AsArray());
    }
}
