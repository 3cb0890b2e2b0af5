using BetterAuth.Plugins.Organization;
using Microsoft.EntityFrameworkCore;
using static BetterAuth.Tests.Plugins.Organization.OrganizationTestKit;

namespace BetterAuth.Tests.Plugins.Organization;

public sealed class OrganizationRobustnessTests
{
    private static readonly string[] PostPaths =
    [
        "/organization/create", "/organization/update", "/organization/delete", "/organization/set-active",
        "/organization/invite-member", "/organization/cancel-invitation", "/organization/accept-invitation",
        "/organization/reject-invitation", "/organization/check-slug", "/organization/remove-member",
        "/organization/update-member-role", "/organization/leave", "/organization/has-permission",
    ];

    [Fact]
    public async Task MalformedBodies_AreValidationErrors_OnEveryEndpoint()
    {
        await using var host = await StartAsync();
        var cast = await CastAsync(host);
        foreach (var path in PostPaths)
        {
            foreach (var body in new[] { "[]", "\"text\"", "42", "null", "{\"organizationId\":7,\"invitationId\":[],\"memberId\":{},\"slug\":false}" })
            {
                var r = await cast.Owner.Client.PostRawAsync(path, body);
                Assert.True(r.Status == 400 && r.Code == "VALIDATION_ERROR", $"{path} {body}: {r.Status} {r.Text}");
            }
            var broken = await cast.Owner.Client.PostRawAsync(path, "{\"name\":");
            Assert.Equal(400, broken.Status);
        }
        var repeated = await cast.Owner.Client.GetAsync("/organization/get-full-organization?organizationId=a&organizationId=b");
        Assert.Equal(("VALIDATION_ERROR", "Invalid query parameters"), (repeated.Code, repeated.Json!["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task WithoutSession_EveryEndpointRefuses()
    {
        await using var host = await StartAsync();
        var anonymous = host.Client();
        var bodies = new Dictionary<string, object>
        {
            ["/organization/create"] = new { name = "a", slug = "a" },
            ["/organization/set-active"] = new { },
            ["/organization/invite-member"] = new { email = "a@b.c", role = "member" },
            ["/organization/cancel-invitation"] = new { invitationId = "x" },
            ["/organization/accept-invitation"] = new { invitationId = "x" },
            ["/organization/reject-invitation"] = new { invitationId = "x" },
            ["/organization/check-slug"] = new { slug = "a" },
            ["/organization/remove-member"] = new { memberIdOrEmail = "x" },
            ["/organization/update-member-role"] = new { memberId = "x", role = "member" },
            ["/organization/leave"] = new { organizationId = "x" },
            ["/organization/has-permission"] = new { permissions = new { member = new[] { "create" } } },
        };
        foreach (var (path, body) in bodies)
        {
            var r = await anonymous.PostAsync(path, body);
            Assert.True(r.Status == 401 && r.Text == "", $"{path}: {r.Status} {r.Text}");
        }
        foreach (var path in new[] { "/organization/list", "/organization/get-full-organization", "/organization/get-active-member", "/organization/list-invitations" })
            Assert.Equal(401, (await anonymous.GetAsync(path)).Status);
    }

    [Fact]
    public async Task Create_ConcurrentRequests_StayWithinTheOrganizationLimit()
    {
        await using var host = await StartAsync(o => o.OrganizationLimit = 2);
        var owner = await SignUpAsync(host, "limited");
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            owner.Client.PostAsync("/organization/create", new { name = "Org", slug = $"limited-{i}" })));
        Assert.Equal(2, results.Count(r => r.Status == 200));
        Assert.All(results.Where(r => r.Status != 200), r => Assert.Equal(403, r.Status));
        Assert.Equal(2, await host.WithDbAsync(db => db.Set<MemberRow>().CountAsync(m => m.UserId == owner.UserId)));
    }

    [Fact]
    public async Task Invite_ConcurrentRequests_StayWithinTheInvitationLimit_AndInviteAnAddressOnce()
    {
        await using var host = await StartAsync(o => o.InvitationLimit = 3);
        var owner = await SignUpAsync(host, "inviter");
        var crowded = Id(await CreateOrganizationAsync(owner, "crowded"));
        var many = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            owner.Client.PostAsync("/organization/invite-member", new { email = $"guest{i}@org.test", role = "member", organizationId = crowded })));
        Assert.Equal(3, many.Count(r => r.Status == 200));
        Assert.Equal(3, await host.WithDbAsync(db => db.Set<InvitationRow>().CountAsync(i => i.OrganizationId == crowded)));

        var other = Id(await CreateOrganizationAsync(owner, "other"));
        var same = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            owner.Client.PostAsync("/organization/invite-member", new { email = "once@org.test", role = "member", organizationId = other })));
        Assert.Single(same, r => r.Status == 200);
        Assert.All(same.Where(r => r.Status != 200), r => Assert.Equal(400, r.Status));
        Assert.Equal(1, await host.WithDbAsync(db => db.Set<InvitationRow>().CountAsync(i => i.OrganizationId == other)));
    }

    [Theory]
    [InlineData("owner", 200, 200, "owner")]
    [InlineData("admin", 200, 200, "admin")]
    [InlineData("member", 200, 200, "member")]
    [InlineData("outsider", 403, 403, null)]
    public async Task ReadEndpoints_ByRole(string role, int fullStatus, int invitationsStatus, string? activeRole)
    {
        await using var host = await StartAsync();
        var cast = await CastAsync(host);
        var client = cast[role].Client;
        Assert.Equal(fullStatus, (await client.GetAsync($"/organization/get-full-organization?organizationId={cast.OrganizationId}")).Status);
        Assert.Equal(invitationsStatus, (await client.GetAsync($"/organization/list-invitations?organizationId={cast.OrganizationId}")).Status);
        var active = await client.GetAsync("/organization/get-active-member");
        Assert.Equal(activeRole, active.Json?["role"]?.GetValue<string>());
        var listed = (await client.GetAsync("/organization/list")).Json!.AsArray();
        Assert.Equal(role == "outsider" ? 0 : 1, listed.Count);
    }
}
