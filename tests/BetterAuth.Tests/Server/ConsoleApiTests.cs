using BetterAuth.Core.Storage;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BetterAuth.Tests.Server;

/// <summary>The admin console's own API: only admins, numbers computed from the user and session tables, bad input 400.</summary>
public sealed class ConsoleApiTests
{
    private const string Stats = PagesTestServer.Origin + "/console/api/stats";
    private const string Organizations = PagesTestServer.Origin + "/console/api/organizations";

    [Fact]
    public async Task Stats_NeedASession_AndTheAdminRole()
    {
        await using var server = new PagesTestServer();
        var anonymous = server.Client();
        var none = await anonymous.GetAsync(Stats);
        Assert.Equal(401, none.Status);

        var user = server.Client();
        await user.SignUpAsync("plain@console.test");
        var forbidden = await user.GetAsync(Stats);
        Assert.Equal(403, forbidden.Status);
        Assert.Equal("ONLY_ADMINISTRATORS_CAN_USE_THE_CONSOLE", forbidden.Code);

        var admin = await server.AdminAsync("boss@console.test");
        Assert.Equal(200, (await admin.GetAsync(Stats)).Status);
    }

    [Fact]
    public async Task Stats_CountUsersLiveSessionsBansAndSignUpsPerDay()
    {
        await using var server = new PagesTestServer();
        var admin = await server.AdminAsync("boss@console.test");     // day 0 (2026-03-10): admin + 1 session
        await server.Client().SignUpAsync("a@console.test");         // + 1 user, 1 session
        server.Clock.Advance(TimeSpan.FromDays(2));                  // 2026-03-12
        await server.Client().SignUpAsync("b@console.test");
        await server.Client().SignUpAsync("c@console.test");
        var banned = await server.Client().SignUpAsync("d@console.test");
        Assert.Equal(200, (await admin.PostAsync("/admin/ban-user", new { userId = (string)banned["user"]!["id"]! })).Status);
        server.Clock.Advance(TimeSpan.FromDays(6));                  // 2026-03-18: day-0 sessions (7 days) have expired
        await admin.SignInAsync("boss@console.test");

        var r = await admin.GetAsync(Stats + "?days=10");
        Assert.Equal(200, r.Status);
        var json = r.Json!;
        Assert.Equal(5, (int)json["users"]!);
        Assert.Equal(1, (int)json["bannedUsers"]!);
        // Live: b's and c's (day 2), the admin's first one (extended when the ban used it on day 2) and the admin's
        // new one; a's expired on day 7 and the banned user's was deleted by the ban.
        Assert.Equal(4, (int)json["activeSessions"]!);
        Assert.Equal(0, (int)json["organizations"]!);
        Assert.Equal(10, (int)json["days"]!);
        var days = json["signUps"]!.AsArray();
        Assert.Equal(10, days.Count);
        Assert.Equal("2026-03-09", (string?)days[0]!["date"]);
        Assert.Equal("2026-03-18", (string?)days[9]!["date"]);
        Assert.Equal(2, (int)days[1]!["count"]!);
        Assert.Equal(3, (int)days[3]!["count"]!);
        Assert.Equal(5, days.Sum(d => (int)d!["count"]!));
    }

    [Theory]
    [InlineData("?days=0")]
    [InlineData("?days=91")]
    [InlineData("?days=ten")]
    [InlineData("?days=-1")]
    [InlineData("?days=1&days=2")]
    public async Task Stats_RefuseBadQueries(string query)
    {
        await using var server = new PagesTestServer();
        var admin = await server.AdminAsync("boss@console.test");
        var r = await admin.GetAsync(Stats + query);
        Assert.Equal(400, r.Status);
        Assert.Equal("VALIDATION_ERROR", r.Code);
    }

    [Fact]
    public async Task Organizations_ListEveryOrganizationWithCounts_AndDetailsMembersAndInvitations()
    {
        await using var server = new PagesTestServer();
        var admin = await server.AdminAsync("boss@console.test");
        var owner = server.Client();
        await owner.SignUpAsync("owner@console.test", name: "Olive Owner");
        var created = await owner.PostAsync("/organization/create", new { name = "Acme Rockets", slug = "acme" });
        Assert.Equal(200, created.Status);
        var orgId = (string)created.Json!["id"]!;
        Assert.Equal(200, (await owner.PostAsync("/organization/invite-member", new { email = "new@console.test", role = "member", organizationId = orgId })).Status);
        Assert.Equal(200, (await owner.PostAsync("/organization/create", new { name = "Other", slug = "other" })).Status);

        // The admin is no member of either, yet sees both.
        var list = await admin.GetAsync(Organizations);
        Assert.Equal(200, list.Status);
        Assert.Equal(2, (int)list.Json!["total"]!);
        var search = await admin.GetAsync(Organizations + "?search=acme&limit=5");
        var acme = Assert.Single(search.Json!["organizations"]!.AsArray())!;
        Assert.Equal("Acme Rockets", (string?)acme["name"]);
        Assert.Equal(1, (int)acme["members"]!);
        Assert.Equal(1, (int)acme["pendingInvitations"]!);

        var detail = await admin.GetAsync($"{Organizations}/{orgId}");
        Assert.Equal(200, detail.Status);
        var member = Assert.Single(detail.Json!["members"]!.AsArray())!;
        Assert.Equal("owner", (string?)member["role"]);
        Assert.Equal("owner@console.test", (string?)member["user"]!["email"]);
        var invitation = Assert.Single(detail.Json!["invitations"]!.AsArray())!;
        Assert.Equal("new@console.test", (string?)invitation["email"]);
        Assert.Equal("pending", (string?)invitation["status"]);
        Assert.EndsWith("Z", (string?)detail.Json!["organization"]!["createdAt"]);

        Assert.Equal(404, (await admin.GetAsync(Organizations + "/no-such-id")).Status);
        Assert.Equal(403, (await owner.GetAsync(Organizations)).Status);
        Assert.Equal(403, (await owner.GetAsync($"{Organizations}/{orgId}")).Status);
        Assert.Equal(400, (await admin.GetAsync(Organizations + "?limit=0")).Status);
        Assert.Equal(400, (await admin.GetAsync(Organizations + "?offset=x")).Status);
    }

    [Fact]
    public async Task UnknownConsoleApiPaths_Are404_NotThePage()
    {
        await using var server = new PagesTestServer();
        var admin = await server.AdminAsync("boss@console.test");
        var r = await admin.GetAsync(PagesTestServer.Origin + "/console/api/nothing-here");
        Assert.Equal(404, r.Status);
        Assert.Equal("", r.Text);
    }

    [Fact]
    public async Task WithoutTheAdminPlugin_TheConsoleApiIs404()
    {
        await using var server = new PagesTestServer(new() { ["Plugins:Admin:Enabled"] = "false" });
        var user = server.Client();
        await user.SignUpAsync("someone@console.test");
        Assert.Equal(404, (await user.GetAsync(Stats)).Status);
    }

    [Fact]
    public async Task AnImpersonatingAdmin_HasTheImpersonatedUsersRights()
    {
        await using var server = new PagesTestServer();
        var admin = await server.AdminAsync("boss@console.test");
        var target = await server.Client().SignUpAsync("target@console.test");
        var r = await admin.PostAsync("/admin/impersonate-user", new { userId = (string)target["user"]!["id"]! });
        Assert.Equal(200, r.Status);
        Assert.Equal(403, (await admin.GetAsync(Stats)).Status);
        await using var scope = server.Services.CreateAsyncScope();
        Assert.Equal(2, await scope.ServiceProvider.GetRequiredService<AuthDbContext>().Users.CountAsync());
    }
}
