using BetterAuth.Tests.AspNetCore;
using BetterAuth.Tests.Plugins.Admin;
using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Security;

/// <summary>
/// With the <c>session_data</c> cookie cache on, only get-session may answer from the cookie. Every endpoint that
/// checks a permission or writes reads the live session, so a role change, a ban or a revocation counts at once.
/// </summary>
public sealed class LivePrivilegeTests
{
    private static Task<AdminTestKit> StartAsync() =>
        AdminTestKit.StartAsync(configure: o => o.Session.CookieCache.Enabled = true);

    /// <summary>A browser of <paramref name="email"/> signed in after its role was written, so its cookie cache holds that role.</summary>
    private static async Task<TestClient> SignedInAsync(AdminTestKit kit, string email)
    {
        var client = kit.Host.Client();
        await client.SignInAsync(email, AdminTestKit.Password);
        Assert.True(client.Cookies.ContainsKey("better-auth.session_data"));
        return client;
    }

    [Fact]
    public async Task Demoted_Admin_IsRefusedAtOnce_WhileGetSessionStillServesTheCache()
    {
        await using var kit = await StartAsync();
        var (root, _) = await kit.AdminAsync("root@example.com");
        var (_, aliceId) = await kit.UserAsync("alice@example.com", "admin");
        var alice = await SignedInAsync(kit, "alice@example.com");
        Assert.Equal(200, (await alice.GetAsync("/admin/list-users")).Status);

        Assert.Equal(200, (await root.PostAsync("/admin/set-role", new { userId = aliceId, role = "user" })).Status);

        // get-session may serve the signed cache for up to MaxAge (Better Auth's documented window)...
        Assert.Equal("admin", (await alice.GetAsync("/get-session")).Json!["user"]!["role"]!.GetValue<string>());
        // ...but a protected action reads the live row.
        var refused = await alice.GetAsync("/admin/list-users");
        Assert.Equal(403, refused.Status);
        Assert.Equal("YOU_ARE_NOT_ALLOWED_TO_LIST_USERS", refused.Code);
        Assert.Equal(403, (await alice.PostAsync("/admin/set-role", new { userId = aliceId, role = "admin" })).Status);
        Assert.Equal("user", await kit.ColumnAsync<string>(aliceId, "role"));
    }

    [Fact]
    public async Task Banned_User_CannotWrite_WithTheCachedCookie()
    {
        await using var kit = await StartAsync();
        var (root, _) = await kit.AdminAsync("root@example.com");
        var (bob, bobId) = await kit.UserAsync("bob@example.com");
        Assert.True(bob.Cookies.ContainsKey("better-auth.session_data"));

        Assert.Equal(200, (await root.PostAsync("/admin/ban-user", new { userId = bobId })).Status);

        Assert.Equal(401, (await bob.PostAsync("/update-user", new { name = "Still here" })).Status);
        Assert.Equal(401, (await bob.PostAsync("/change-password", new { currentPassword = AdminTestKit.Password, newPassword = "another-password" })).Status);
        Assert.Equal(401, (await bob.GetAsync("/list-sessions")).Status);
        Assert.Equal("Test User", await kit.ColumnAsync<string>(bobId, "Name"));
    }

    [Fact]
    public async Task Session_RevokedElsewhere_CannotWrite_WithTheCachedCookie()
    {
        await using var kit = await StartAsync();
        var (laptop, userId) = await kit.UserAsync("carol@example.com");
        var phone = await SignedInAsync(kit, "carol@example.com");

        Assert.Equal(200, (await phone.PostAsync("/revoke-sessions")).Status);

        Assert.Equal(401, (await laptop.PostAsync("/update-user", new { name = "Ghost" })).Status);
        Assert.Equal(401, (await laptop.PostAsync("/revoke-other-sessions")).Status);
        Assert.Equal("Test User", await kit.ColumnAsync<string>(userId, "Name"));
    }

    [Fact]
    public async Task ServerSideGetSession_ReadsTheLiveRow_UnlessTheHostAsksForTheCache()
    {
        await using var host = await ProtectedAppHost.StartAsync(o => o.Session.CookieCache.Enabled = true);
        var signUp = await host.Api.SignUpEmailAsync("server-side@app.test", "password123", "S");
        var headers = signUp.Response.SessionHeaders();
        Assert.Contains("better-auth.session_data=", headers.Cookie.ToString());
        await host.SetRoleAsync(signUp.Data.User.Id, "admin");

        Assert.Equal("admin", (await host.Api.GetSessionAsync(headers))!.User.Get<string>("role"));
        Assert.Equal("user", (await host.Api.GetSessionAsync(headers, disableCookieCache: false))!.User.Get<string>("role"));
    }

    [Fact]
    public async Task HostPolicies_WithTheCookieCacheOn_FollowARoleChangeAtOnce()
    {
        await using var host = await ProtectedAppHost.StartAsync(o => o.Session.CookieCache.Enabled = true);
        var (client, id) = await host.UserAsync("demoted@app.test", "admin");
        const string admin = ProtectedAppHost.Origin + "/app/admin";
        Assert.Equal(200, (await client.GetAsync(admin)).Status);
        await host.SetRoleAsync(id, "user");
        Assert.Equal(403, (await client.GetAsync(admin)).Status);
    }
}
