using BetterAuth.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using ProtectedApi;

namespace BetterAuth.Tests.AspNetCore;

/// <summary>The sample app (samples/ProtectedApi) as its users meet it: seeded admin, protected endpoints, policies.</summary>
public sealed class ProtectedApiSampleTests : IDisposable
{
    private const string AdminEmail = "seed-admin@sample.test";
    private const string AdminPassword = "seed-password-123";
    private readonly string _dir = Directory.CreateTempSubdirectory("ba-sample-").FullName;
    private readonly WebApplicationFactory<ProtectedApiApp> _factory;

    public ProtectedApiSampleTests()
    {
        _factory = new WebApplicationFactory<ProtectedApiApp>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Development");
            b.UseSetting("ConnectionStrings:Auth", $"Data Source={Path.Combine(_dir, "sample.db")}");
            b.UseSetting("BetterAuth:BaseUrl", "http://localhost");
            b.UseSetting("BetterAuth:Secret", AuthTestHost.Secret);
            b.UseSetting("Seed:AdminEmail", AdminEmail);
            b.UseSetting("Seed:AdminPassword", AdminPassword);
        });
    }

    // TestClient keeps its own cookie jar, as a browser would.
    private static readonly WebApplicationFactoryClientOptions NoCookieHandling = new() { HandleCookies = false };

    private TestClient Client() => new(_factory.CreateClient(NoCookieHandling), "http://localhost");

    [Fact]
    public async Task Me_Is401WithoutASession_And200ForTheSeededAdmin()
    {
        var anonymous = await Client().GetAsync("http://localhost/api/me");
        Assert.Equal(401, anonymous.Status);
        Assert.Equal("application/problem+json", anonymous.Message.Content.Headers.ContentType?.MediaType);

        var admin = Client();
        await admin.SignInAsync(AdminEmail, AdminPassword);
        var me = await admin.GetAsync("http://localhost/api/me");
        Assert.Equal(200, me.Status);
        Assert.Equal(AdminEmail, me.Json!["email"]!.GetValue<string>());
        Assert.Equal(["admin"], me.Json!["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task AdminStats_AdminOnly()
    {
        var user = Client();
        await user.SignUpAsync("someone@sample.test");
        Assert.Equal(403, (await user.GetAsync("http://localhost/api/admin/stats")).Status);

        var admin = Client();
        await admin.SignInAsync(AdminEmail, AdminPassword);
        var stats = await admin.GetAsync("http://localhost/api/admin/stats");
        Assert.Equal(200, stats.Status);
        Assert.Equal(2, stats.Json!["users"]!.GetValue<int>());
    }

    [Fact]
    public async Task Invitations_NeedTheActiveOrganizationsPermission()
    {
        var admin = Client();
        await admin.SignInAsync(AdminEmail, AdminPassword);
        // A new session has no active organization yet.
        Assert.Equal(403, (await admin.PostAsync("http://localhost/api/team/invitations", new { email = "new@sample.test" })).Status);
        Assert.Equal(200, (await admin.PostAsync("/organization/set-active", new { organizationSlug = "acme" })).Status);
        var invited = await admin.PostAsync("http://localhost/api/team/invitations", new { email = "new@sample.test" });
        Assert.Equal(200, invited.Status);
        Assert.Equal(("new@sample.test", "pending"), (invited.Json!["email"]!.GetValue<string>(), invited.Json!["status"]!.GetValue<string>()));

        // A plain member of the organization may not invite.
        var member = Client();
        await member.SignUpAsync("new@sample.test");
        var accepted = await member.PostAsync("/organization/accept-invitation", new { invitationId = invited.Json!["id"]!.GetValue<string>() });
        Assert.Equal(200, accepted.Status);
        Assert.Equal(403, (await member.PostAsync("http://localhost/api/team/invitations", new { email = "other@sample.test" })).Status);
    }

    [Fact]
    public async Task Seed_IsIdempotentAcrossRestarts()
    {
        Assert.Equal(200, (await Client().GetAsync("/ok")).Status);
        using var second = new WebApplicationFactory<ProtectedApiApp>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Development");
            b.UseSetting("ConnectionStrings:Auth", $"Data Source={Path.Combine(_dir, "sample.db")}");
            b.UseSetting("BetterAuth:Secret", AuthTestHost.Secret);
            b.UseSetting("Seed:AdminEmail", AdminEmail);
            b.UseSetting("Seed:AdminPassword", AdminPassword);
        });
        var client = new TestClient(second.CreateClient(NoCookieHandling), "http://localhost");
        await client.SignInAsync(AdminEmail, AdminPassword);
        var organizations = await client.GetAsync("/organization/list");
        Assert.Single(organizations.Json!.AsArray());
    }

    public void Dispose()
    {
        _factory.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
