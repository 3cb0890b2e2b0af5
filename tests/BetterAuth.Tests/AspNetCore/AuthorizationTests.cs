using BetterAuth.Plugins.Admin;
using BetterAuth.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace BetterAuth.Tests.AspNetCore;

public sealed class AuthorizationTests
{
    private const string App = ProtectedAppHost.Origin + "/app";

    [Fact]
    public async Task RolePolicy_403WithoutTheRole_200WithIt_401WithoutASession()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        Assert.Equal(401, (await host.Client().GetAsync(App + "/admin")).Status);

        var (user, _) = await host.UserAsync("plain@app.test");
        var refused = await user.GetAsync(App + "/admin");
        Assert.Equal(403, refused.Status);
        Assert.Equal("application/problem+json", refused.Message.Content.Headers.ContentType?.MediaType);
        Assert.Equal(403, refused.Json!["status"]!.GetValue<int>());
        Assert.Null(refused.Header("Location"));

        var (admin, _) = await host.UserAsync("root@app.test", "user,admin");
        Assert.Equal(200, (await admin.GetAsync(App + "/admin")).Status);
    }

    [Fact]
    public async Task RoleChange_TakesEffectOnTheNextRequest()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        var (client, id) = await host.UserAsync("promoted@app.test");
        Assert.Equal(403, (await client.GetAsync(App + "/admin")).Status);
        await host.SetRoleAsync(id, "admin");
        Assert.Equal(200, (await client.GetAsync(App + "/admin")).Status);
    }

    [Fact]
    public async Task AdminPolicies_FollowTheAdminPluginsRules()
    {
        await using var host = await ProtectedAppHost.StartAsync(o =>
        {
            o.Plugins.RemoveAll(p => p is AdminPlugin);
            o.Plugins.Add(new AdminPlugin(new AdminOptions
            {
                AdminRoles = ["superuser"],
                Roles = new()
                {
                    ["superuser"] = new() { ["user"] = ["ban"] },
                    ["support"] = new() { ["user"] = ["list"] },
                    ["user"] = new(),
                },
            }));
        });
        var (support, _) = await host.UserAsync("support@app.test", "support");
        var (super, _) = await host.UserAsync("super@app.test", "superuser");
        Assert.Equal(403, (await support.GetAsync(App + "/admin-plugin")).Status);
        Assert.Equal(403, (await support.GetAsync(App + "/ban")).Status);
        Assert.Equal(200, (await super.GetAsync(App + "/admin-plugin")).Status);
        Assert.Equal(200, (await super.GetAsync(App + "/ban")).Status);
        // The plain role check knows nothing of the plugin's admin roles.
        Assert.Equal(403, (await super.GetAsync(App + "/admin")).Status);
    }

    [Fact]
    public async Task AdminUserIds_AreAdminsWhateverTheirRole()
    {
        const string id = "fixed-admin-id";
        await using var host = await ProtectedAppHost.StartAsync(o =>
        {
            o.Plugins.RemoveAll(p => p is AdminPlugin);
            o.Plugins.Add(new AdminPlugin(new AdminOptions { AdminUserIds = [id] }));
        });
        var hash = await new FastTestHasher().HashAsync("password123");
        await host.WithDbAsync(async db =>
        {
            var now = new DateTime(2026, 1, 15, 12, 0, 0, DateTimeKind.Utc);
            var user = new BetterAuth.Core.Storage.User { Id = id, Email = "listed@app.test", Name = "Listed", CreatedAt = now, UpdatedAt = now };
            user["role"] = "user";
            db.Users.Add(user);
            db.Accounts.Add(new BetterAuth.Core.Storage.Account { Id = "acc", AccountId = id, ProviderId = "credential", UserId = id, Password = hash, CreatedAt = now, UpdatedAt = now });
            return await db.SaveChangesAsync();
        });
        var client = host.Client();
        await client.SignInAsync("listed@app.test");
        Assert.Equal(200, (await client.GetAsync(App + "/admin-plugin")).Status);
        Assert.Equal(200, (await client.GetAsync(App + "/ban")).Status);
        Assert.Equal(403, (await client.GetAsync(App + "/admin")).Status);
    }

    [Fact]
    public async Task OrganizationPermission_NeedsAMembershipOfTheActiveOrganizationWhoseRoleGrantsIt()
    {
        await using var host = await ProtectedAppHost.StartAsync();
        Assert.Equal(401, (await host.Client().PostAsync(App + "/invite")).Status);

        var (owner, _) = await host.UserAsync("owner@org.test");
        var (member, _) = await host.UserAsync("member@org.test");
        var (admin, _) = await host.UserAsync("admin@org.test");
        // No active organization yet.
        Assert.Equal(403, (await owner.PostAsync(App + "/invite")).Status);

        var organizationId = (await owner.PostAsync("/organization/create", new { name = "Acme", slug = "acme" })).Json!["id"]!.GetValue<string>();
        Assert.Equal(200, (await owner.PostAsync(App + "/invite")).Status);

        await JoinAsync(owner, member, "member@org.test", "member");
        await JoinAsync(owner, admin, "admin@org.test", "admin");
        Assert.Equal(403, (await member.PostAsync(App + "/invite")).Status);
        Assert.Equal(200, (await admin.PostAsync(App + "/invite")).Status);

        // Leaving keeps nothing: a session naming an organization the user no longer belongs to is refused.
        Assert.Equal(200, (await admin.PostAsync("/organization/leave", new { organizationId })).Status);
        Assert.Equal(403, (await admin.PostAsync(App + "/invite")).Status);
    }

    [Fact]
    public async Task OrganizationPermission_WithoutTheOrganizationPlugin_IsRefused()
    {
        await using var host = await ProtectedAppHost.StartAsync(o => o.Plugins.RemoveAll(p => p is BetterAuth.Plugins.Organization.OrganizationPlugin));
        var (client, _) = await host.UserAsync("noorg@app.test");
        // No active-organization claim can exist without the plugin: refused, not an error.
        Assert.Equal(403, (await client.PostAsync(App + "/invite")).Status);
    }

    [Fact]
    public async Task FallbackPolicy_GuardsTheHostsEndpoints_ButNeverTheAuthApi()
    {
        await using var host = await ProtectedAppHost.StartAsync(services: s => s.Configure<AuthorizationOptions>(o =>
            o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build()));
        var client = host.Client();
        Assert.Equal(401, (await client.GetAsync(App + "/public")).Status);
        Assert.Equal(200, (await client.GetAsync("/ok")).Status);
        await client.SignUpAsync("fallback@app.test");
        Assert.Equal(200, (await client.GetAsync(App + "/public")).Status);
    }

    private static async Task JoinAsync(TestClient inviter, TestClient invitee, string email, string role)
    {
        var invite = await inviter.PostAsync("/organization/invite-member", new { email, role });
        Assert.Equal(200, invite.Status);
        var accept = await invitee.PostAsync("/organization/accept-invitation", new { invitationId = invite.Json!["id"]!.GetValue<string>() });
        Assert.Equal(200, accept.Status);
    }
}
