using BetterAuth.Core.Access;
using BetterAuth.Plugins.Admin;
using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Plugins.Admin;

public sealed class AdminPermissionTests
{
    [Fact]
    public async Task HasPermission_JudgesTheSessionUsersRoles()
    {
        await using var kit = await AdminTestKit.StartAsync();
        var (admin, _) = await kit.AdminAsync();
        var (user, _) = await kit.UserAsync("u@example.com");

        Assert.Equal("{\"error\":null,\"success\":true}", (await admin.PostAsync("/admin/has-permission", new { permissions = new { user = new[] { "list", "ban" }, session = new[] { "revoke" } } })).Text);
        Assert.Equal("{\"error\":null,\"success\":true}", (await admin.PostAsync("/admin/has-permission", new { permission = new { session = new[] { "list" } } })).Text);
        Assert.Equal("{\"error\":null,\"success\":false}", (await user.PostAsync("/admin/has-permission", new { permissions = new { user = new[] { "list" } } })).Text);
        // The user role has a (empty) statement per resource, so asking for no action on one is granted; {} never is.
        Assert.Equal("{\"error\":null,\"success\":true}", (await user.PostAsync("/admin/has-permission", new { permissions = new { user = Array.Empty<string>() } })).Text);
        Assert.Equal("{\"error\":null,\"success\":false}", (await admin.PostAsync("/admin/has-permission", new { permissions = new { } })).Text);
        Assert.Equal("{\"error\":null,\"success\":false}", (await admin.PostAsync("/admin/has-permission", new { permissions = new { billing = new[] { "read" } } })).Text);
        Assert.Equal("{\"error\":null,\"success\":false}", (await admin.PostAsync("/admin/has-permission", new { permissions = new { user = new[] { "impersonate-admins" } } })).Text);
        // With a session, a role in the body is not taken.
        Assert.Equal("{\"error\":null,\"success\":false}", (await user.PostAsync("/admin/has-permission", new { role = "admin", permissions = new { user = new[] { "list" } } })).Text);
    }

    [Fact]
    public async Task HasPermission_ResourceNamedTwice_IsReadAsJsonParseReadsIt_TheLastListCounts()
    {
        await using var kit = await AdminTestKit.StartAsync();
        var (admin, _) = await kit.AdminAsync();
        // Better Auth sees {user:["list"]} (JSON.parse keeps the last member of a name); the first list is not asked.
        var r = await admin.PostRawAsync("/admin/has-permission", """{"permissions":{"user":["impersonate-admins"],"user":["list"]}}""");
        Assert.Equal("{\"error\":null,\"success\":true}", r.Text);
    }

    [Fact]
    public async Task HasPermission_WithoutSession_UsesUserIdThenRole()
    {
        await using var kit = await AdminTestKit.StartAsync();
        var (_, adminId) = await kit.AdminAsync();
        var anonymous = kit.Host.Client();
        var request = new { user = new[] { "list" } };

        Assert.Equal(401, (await anonymous.PostAsync("/admin/has-permission", new { permissions = request })).Status);
        Assert.Equal("{\"error\":null,\"success\":true}", (await anonymous.PostAsync("/admin/has-permission", new { userId = adminId, permissions = request })).Text);
        var unknown = await anonymous.PostAsync("/admin/has-permission", new { userId = "nobody", permissions = request });
        Assert.Equal(400, unknown.Status);
        Assert.Equal("USER_NOT_FOUND", unknown.Code);
        Assert.Equal("user not found", unknown.Json!["message"]!.GetValue<string>());
        Assert.Equal("{\"error\":null,\"success\":true}", (await anonymous.PostAsync("/admin/has-permission", new { userId = "nobody", role = "admin", permissions = request })).Text);
        Assert.Equal("{\"error\":null,\"success\":true}", (await anonymous.PostAsync("/admin/has-permission", new { role = "user,admin", permissions = request })).Text);
        Assert.Equal("{\"error\":null,\"success\":false}", (await anonymous.PostAsync("/admin/has-permission", new { role = "ghost", permissions = request })).Text);
    }

    [Fact]
    public async Task HasPermission_InvalidBodies_AreValidationErrors()
    {
        await using var kit = await AdminTestKit.StartAsync();
        var (admin, _) = await kit.AdminAsync();
        foreach (var raw in new[]
                 {
                     "{}", "null", "[]", "{\"permissions\":{\"user\":\"list\"}}", "{\"permissions\":{\"user\":[1]}}", "{\"permissions\":null}",
                     "{\"permission\":{\"user\":[]},\"permissions\":{\"user\":[]}}", "{\"role\":5,\"permissions\":{}}",
                 })
        {
            var r = await admin.PostRawAsync("/admin/has-permission", raw);
            Assert.True(r.Status == 400 && r.Code == "VALIDATION_ERROR", raw + " → " + r.Status + " " + r.Text);
        }
        Assert.Equal("VALIDATION_ERROR", (await admin.PostAsync("/admin/has-permission")).Code);
    }

    [Fact]
    public async Task AdminUserIds_AndCustomRoles_Grant()
    {
        var options = new AdminOptions
        {
            Roles = new()
            {
                ["support"] = new() { ["user"] = ["list"], ["session"] = ["list"] },
                ["user"] = new() { ["user"] = [] },
            },
        };
        await using var kit = await AdminTestKit.StartAsync(options);
        var (support, _) = await kit.UserAsync("support@example.com", "support");
        var (_, userId) = await kit.UserAsync("u@example.com");

        Assert.Equal(200, (await support.GetAsync("/admin/list-users")).Status);
        Assert.Equal(200, (await support.PostAsync("/admin/list-user-sessions", new { userId })).Status);
        Assert.Equal("YOU_ARE_NOT_ALLOWED_TO_BAN_USERS", (await support.PostAsync("/admin/ban-user", new { userId })).Code);
        // Configured roles replace the defaults: "admin" now means nothing.
        var (oldAdmin, _) = await kit.UserAsync("old-admin@example.com", "admin");
        Assert.Equal(403, (await oldAdmin.GetAsync("/admin/list-users")).Status);

        // adminUserIds bypass the roles entirely, whatever role the row holds.
        await using var withIds = await AdminTestKit.StartAsync(new AdminOptions { AdminUserIds = ["root-id"] });
        await withIds.InsertUserAsync("root-id", "root@example.com", "user");
        var root = withIds.Host.Client();
        await root.SignInAsync("root@example.com", AdminTestKit.Password);
        Assert.Equal(200, (await root.GetAsync("/admin/list-users")).Status);
        Assert.Equal("{\"error\":null,\"success\":true}", (await root.PostAsync("/admin/has-permission", new { permissions = new { billing = new[] { "x" } } })).Text);

        var plugin = new AdminPlugin(new AdminOptions { AdminUserIds = ["fixed-id"] });
        Assert.True(plugin.Access.HasPermission("fixed-id", "user", [new("user", ["ban", "delete"])]));
        Assert.True(plugin.Access.HasPermission("fixed-id", null, [new("anything", ["at-all"])]));
        Assert.False(plugin.Access.HasPermission("other-id", null, [new("user", ["ban"])]));
        Assert.False(plugin.Access.HasPermission(null, "", [new("user", ["ban"])])); // empty role → default role "user"
    }

    [Fact]
    public void AccessRole_FollowsBetterAuthAuthorizeRules()
    {
        var role = AccessRole.Of(("user", ["list", "ban"]), ("session", []));
        Assert.True(role.Authorize([new("user", ["list"])]).Success);
        Assert.True(role.Authorize([new("user", ["list", "ban"]), new("session", [])]).Success);
        Assert.False(role.Authorize([new("user", ["list", "delete"])]).Success);
        Assert.Equal("You are not allowed to access resource: team", role.Authorize([new("team", ["create"])]).Error);
        Assert.Equal("Not authorized", role.Authorize([]).Error);
        Assert.True(role.Authorize([new("user", ["delete"]), new("user", ["list"])], AccessConnector.Or).Success);
        Assert.False(role.Authorize([new("user", ["delete"]), new("team", ["list"])], AccessConnector.Or).Success);
        var roles = new Dictionary<string, AccessRole> { ["viewer"] = role };
        Assert.True(AccessRoles.AnyGrants(roles, "ghost,viewer", [new("user", ["ban"])]));
        Assert.False(AccessRoles.AnyGrants(roles, "ghost", [new("user", ["ban"])]));
    }
}
