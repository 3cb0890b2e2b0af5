using BetterAuth.Tests.Plugins.Admin;
using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Security;

/// <summary>
/// A raw session token (what <c>/admin/list-user-sessions</c> and <c>/list-sessions</c> show, what a database holds)
/// is not a credential on its own: cookies and bearer tokens must carry the server's signature, unless a host turns
/// <c>Session.Bearer.RequireSignature</c> off. Admins can still name a session to revoke it.
/// </summary>
public sealed class RawTokenTests
{
    [Fact]
    public async Task Admin_CannotActAsAnotherAdmin_WithTheTokenListUserSessionsShows()
    {
        await using var kit = await AdminTestKit.StartAsync();
        var (mallory, _) = await kit.AdminAsync("mallory@example.com");
        var (_, rootId) = await kit.UserAsync("root@example.com", "admin");
        var root = kit.Host.Client();
        await root.SignInAsync("root@example.com", AdminTestKit.Password);

        var listed = await mallory.PostAsync("/admin/list-user-sessions", new { userId = rootId });
        var token = listed.Json!["sessions"]!.AsArray().Last()!["token"]!.GetValue<string>();
        Assert.Equal(AdminTestKit.TokenOf(root), token);

        var bearer = kit.Host.Client();
        bearer.Bearer = token;
        Assert.Equal("null", (await bearer.GetAsync("/get-session")).Text);
        Assert.Equal(401, (await bearer.PostAsync("/admin/set-role", new { userId = rootId, role = "user" })).Status);
        var cookie = kit.Host.Client();
        cookie.Cookies[AdminTestKit.SessionCookie] = token;
        Assert.Equal("null", (await cookie.GetAsync("/get-session")).Text);
        Assert.Equal("admin", await kit.ColumnAsync<string>(rootId, "role"));

        // Naming the session is still enough to end it.
        Assert.Equal(200, (await mallory.PostAsync("/admin/revoke-user-session", new { sessionToken = token })).Status);
        Assert.Equal("null", (await root.GetAsync("/get-session")).Text);
    }

    [Fact]
    public async Task SignedBearerToken_Works_AndBareTokensOnlyWhenTheHostAllowsThem()
    {
        await using var host = await AuthTestHost.StartAsync();
        var up = await host.Client().PostAsync("/sign-up/email", new { email = "bearer@example.com", password = "password123", name = "B" });
        var signed = up.Header("set-auth-token")!;
        var bare = up.Json!["token"]!.GetValue<string>();
        Assert.Equal(bare, Uri.UnescapeDataString(signed).Split('.')[0]);

        var client = host.Client();
        client.Bearer = signed;
        Assert.Equal("bearer@example.com", (await client.GetAsync("/get-session")).Json!["user"]!["email"]!.GetValue<string>());
        client.Bearer = bare;
        Assert.Equal("null", (await client.GetAsync("/get-session")).Text);

        await using var lenient = await AuthTestHost.StartAsync(o => o.Session.Bearer.RequireSignature = false);
        var token = (await lenient.Client().SignUpAsync("bare@example.com"))["token"]!.GetValue<string>();
        var bareClient = lenient.Client();
        bareClient.Bearer = token;
        Assert.Equal("bare@example.com", (await bareClient.GetAsync("/get-session")).Json!["user"]!["email"]!.GetValue<string>());
    }
}
