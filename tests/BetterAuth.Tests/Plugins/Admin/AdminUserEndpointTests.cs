using BetterAuth.Plugins.Admin;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Tests.Plugins.Admin;

public sealed class AdminUserEndpointTests
{
    [Fact]
    public async Task SignUp_WritesDefaultRoleAndLeavesBanFieldsNull()
    {
        await using var kit = await AdminTestKit.StartAsync();
        var (client, _) = await kit.UserAsync("plain@example.com");
        var user = (await client.GetAsync("/get-session")).Json!["user"]!.AsObject();
        Assert.Equal("user", user["role"]!.GetValue<string>());
        Assert.Null(user["banned"]);
        Assert.True(user.ContainsKey("banReason") && user.ContainsKey("banExpires"));
        Assert.Equal(["name", "email", "emailVerified", "image", "createdAt", "updatedAt", "role", "banned", "banReason", "banExpires", "id"],
            user.Select(p => p.Key));

        // role is input:false: a client cannot pick its own.
        var sneaky = kit.Host.Client();
        await sneaky.PostAsync("/sign-up/email", new { email = "sneaky@example.com", password = AdminTestKit.Password, name = "S", role = "admin" });
        Assert.Equal("user", (await sneaky.GetAsync("/get-session")).Json!["user"]!["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task SetRole_AdminSetsJoinedRoles_UserIsForbidden_UnknownUserIsNull()
    {
        await using var kit = await AdminTestKit.StartAsync();
        var (admin, _) = await kit.AdminAsync();
        var (user, userId) = await kit.UserAsync("u@example.com");

        var r = await admin.PostAsync("/admin/set-role", new { userId, role = new[] { "user", "support" } });
        Assert.Equal(200, r.Status);
        Assert.Equal("user,support", r.Json!["user"]!["role"]!.GetValue<string>());
        Assert.Equal("user,support", await kit.ColumnAsync<string>(userId, "role"));

        var forbidden = await user.PostAsync("/admin/set-role", new { userId, role = "admin" });
        Assert.Equal(403, forbidden.Status);
        Assert.Equal("YOU_ARE_NOT_ALLOWED_TO_CHANGE_USERS_ROLE", forbidden.Code);
        Assert.Equal("You are not allowed to change users role", forbidden.Json!["message"]!.GetValue<string>());

        var unknown = await admin.PostAsync("/admin/set-role", new { userId = "nobody", role = "user" });
        Assert.Equal(200, unknown.Status);
        Assert.Equal("{\"user\":null}", unknown.Text);

        Assert.Equal("VALIDATION_ERROR", (await admin.PostAsync("/admin/set-role", new { userId })).Code);
        Assert.Equal("VALIDATION_ERROR", (await admin.PostAsync("/admin/set-role", new { userId, role = 5 })).Code);
        var anonymous = await kit.Host.Client().PostAsync("/admin/set-role", new { userId, role = "admin" });
        Assert.Equal(401, anonymous.Status);
        Assert.Equal("", anonymous.Text);
    }

    [Fact]
    public async Task CreateUser_WithRoleAndData_CanSignInWithThePassword()
    {
        await using var kit = await AdminTestKit.StartAsync();
        var (admin, _) = await kit.AdminAsync();
        var r = await admin.PostAsync("/admin/create-user", new
        {
            email = "New@Example.com",
            password = "password456",
            name = "New",
            role = new[] { "a", "b" },
            data = new { emailVerified = true, image = "pic", banReason = "set by admin", unknownKey = 1 },
        });
        Assert.Equal(200, r.Status);
        var user = r.Json!["user"]!;
        Assert.Equal("new@example.com", user["email"]!.GetValue<string>());
        Assert.Equal("a,b", user["role"]!.GetValue<string>());
        Assert.True(user["emailVerified"]!.GetValue<bool>());
        Assert.Equal("set by admin", user["banReason"]!.GetValue<string>());
        Assert.Equal(0, await kit.SessionCountAsync(user["id"]!.GetValue<string>())); // no session for the new user

        var signIn = await kit.Host.Client().PostAsync("/sign-in/email", new { email = "new@example.com", password = "password456" });
        Assert.Equal(200, signIn.Status);

        var noRole = await admin.PostAsync("/admin/create-user", new { email = "plain@example.com", password = "password456", name = "P" });
        Assert.Equal("user", noRole.Json!["user"]!["role"]!.GetValue<string>());
        var withId = await admin.PostAsync("/admin/create-user", new { email = "id@example.com", password = "password456", name = "I", data = new { id = "chosen-id" } });
        Assert.Equal("chosen-id", withId.Json!["user"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateUser_RefusesDuplicatesBadInputAndNonAdmins()
    {
        await using var kit = await AdminTestKit.StartAsync();
        var (admin, adminId) = await kit.AdminAsync();
        var (user, _) = await kit.UserAsync("u@example.com");

        var dup = await admin.PostAsync("/admin/create-user", new { email = "U@example.com", password = "password456", name = "Dup" });
        Assert.Equal(400, dup.Status);
        Assert.Equal("USER_ALREADY_EXISTS", dup.Code);
        var dupId = await admin.PostAsync("/admin/create-user", new { email = "x@example.com", password = "password456", name = "X", data = new { id = adminId } });
        Assert.Equal("USER_ALREADY_EXISTS", dupId.Code);

        Assert.Equal("INVALID_EMAIL", (await admin.PostAsync("/admin/create-user", new { email = "nope", password = "password456", name = "N" })).Code);
        Assert.Equal("PASSWORD_TOO_SHORT", (await admin.PostAsync("/admin/create-user", new { email = "s@example.com", password = "short", name = "N" })).Code);
        Assert.Equal("VALIDATION_ERROR", (await admin.PostAsync("/admin/create-user", new { email = "m@example.com", password = "password456" })).Code);
        Assert.Equal("VALIDATION_ERROR", (await admin.PostAsync("/admin/create-user", new { email = "d@example.com", password = "password456", name = "D", data = new { emailVerified = "yes" } })).Code);
        Assert.Equal("VALIDATION_ERROR", (await admin.PostRawAsync("/admin/create-user", "{\"email\":\"n@example.com\",\"password\":\"password456\",\"name\":\"N\",\"data\":null}")).Code);

        var forbidden = await user.PostAsync("/admin/create-user", new { email = "f@example.com", password = "password456", name = "F" });
        Assert.Equal(403, forbidden.Status);
        Assert.Equal("YOU_ARE_NOT_ALLOWED_TO_CREATE_USERS", forbidden.Code);
        Assert.Equal(401, (await kit.Host.Client().PostAsync("/admin/create-user", new { email = "f@example.com", password = "password456", name = "F" })).Status);
        Assert.Equal(2, await kit.Host.WithDbAsync(db => db.Users.CountAsync())); // nothing refused was written
    }

    [Fact]
    public async Task BanUser_RevokesSessionsAndRefusesSignIn_UnbanRestores()
    {
        await using var kit = await AdminTestKit.StartAsync();
        var (admin, adminId) = await kit.AdminAsync();
        var (user, userId) = await kit.UserAsync("u@example.com");

        var ban = await admin.PostAsync("/admin/ban-user", new { userId, banReason = "spam", banExpiresIn = 3600 });
        Assert.Equal(200, ban.Status);
        Assert.True(ban.Json!["user"]!["banned"]!.GetValue<bool>());
        Assert.Equal("spam", ban.Json!["user"]!["banReason"]!.GetValue<string>());
        Assert.Equal(JsDateText(kit.Host.Runtime.Now.AddHours(1)), ban.Json!["user"]!["banExpires"]!.GetValue<string>());
        Assert.Equal(0, await kit.SessionCountAsync(userId));
        Assert.Equal("null", (await user.GetAsync("/get-session")).Text);

        var refused = await kit.Host.Client().PostAsync("/sign-in/email", new { email = "u@example.com", password = AdminTestKit.Password });
        Assert.Equal(403, refused.Status);
        Assert.Equal("BANNED_USER", refused.Code);
        Assert.Equal(new AdminOptions().BannedUserMessage, refused.Json!["message"]!.GetValue<string>());
        Assert.Empty(refused.SetCookies);
        Assert.Equal(0, await kit.SessionCountAsync(userId));
        // A wrong password is still the ordinary 401: the ban is not revealed before the password checks out.
        Assert.Equal(401, (await kit.Host.Client().PostAsync("/sign-in/email", new { email = "u@example.com", password = "wrong-password" })).Status);

        var unban = await admin.PostAsync("/admin/unban-user", new { userId });
        Assert.False(unban.Json!["user"]!["banned"]!.GetValue<bool>());
        Assert.Null(unban.Json!["user"]!["banReason"]);
        Assert.Null(unban.Json!["user"]!["banExpires"]);
        Assert.Equal(200, (await kit.Host.Client().PostAsync("/sign-in/email", new { email = "u@example.com", password = AdminTestKit.Password })).Status);

        var self = await admin.PostAsync("/admin/ban-user", new { userId = adminId });
        Assert.Equal(400, self.Status);
        Assert.Equal("YOU_CANNOT_BAN_YOURSELF", self.Code);
        Assert.Equal("{\"user\":null}", (await admin.PostAsync("/admin/ban-user", new { userId = "nobody" })).Text);
        Assert.Equal("{\"user\":null}", (await admin.PostAsync("/admin/unban-user", new { userId = "nobody" })).Text);
        Assert.Equal("VALIDATION_ERROR", (await admin.PostAsync("/admin/ban-user", new { userId, banExpiresIn = "5" })).Code);
    }

    [Fact]
    public async Task BanUser_ByNonAdminIsForbidden_DefaultsApply_ExpiredBanLiftsAtSignIn()
    {
        await using var kit = await AdminTestKit.StartAsync(new AdminOptions { DefaultBanReason = "house rules", DefaultBanExpiresIn = 60 });
        var (admin, adminId) = await kit.AdminAsync();
        var (user, userId) = await kit.UserAsync("u@example.com");

        var forbidden = await user.PostAsync("/admin/ban-user", new { userId = adminId });
        Assert.Equal(403, forbidden.Status);
        Assert.Equal("YOU_ARE_NOT_ALLOWED_TO_BAN_USERS", forbidden.Code);
        Assert.Equal("YOU_ARE_NOT_ALLOWED_TO_BAN_USERS", (await user.PostAsync("/admin/unban-user", new { userId })).Code);

        var ban = await admin.PostAsync("/admin/ban-user", new { userId });
        Assert.Equal("house rules", ban.Json!["user"]!["banReason"]!.GetValue<string>());
        Assert.Equal(JsDateText(kit.Host.Runtime.Now.AddSeconds(60)), ban.Json!["user"]!["banExpires"]!.GetValue<string>());
        Assert.Equal(403, (await kit.Host.Client().PostAsync("/sign-in/email", new { email = "u@example.com", password = AdminTestKit.Password })).Status);

        kit.Host.Clock.Advance(TimeSpan.FromSeconds(61));
        var again = kit.Host.Client();
        Assert.Equal(200, (await again.PostAsync("/sign-in/email", new { email = "u@example.com", password = AdminTestKit.Password })).Status);
        var after = (await again.GetAsync("/get-session")).Json!["user"]!;
        Assert.False(after["banned"]!.GetValue<bool>());
        Assert.Null(after["banReason"]);
    }

    [Fact]
    public async Task RemoveUser_DeletesUserSessionsAndAccounts()
    {
        await using var kit = await AdminTestKit.StartAsync();
        var (admin, _) = await kit.AdminAsync();
        var (user, userId) = await kit.UserAsync("u@example.com");

        var forbidden = await user.PostAsync("/admin/remove-user", new { userId });
        Assert.Equal(403, forbidden.Status);
        Assert.Equal("YOU_ARE_NOT_ALLOWED_TO_DELETE_USERS", forbidden.Code);

        var r = await admin.PostAsync("/admin/remove-user", new { userId });
        Assert.Equal("{\"success\":true}", r.Text);
        Assert.False(await kit.Host.WithDbAsync(db => db.Users.AnyAsync(u => u.Id == userId)));
        Assert.False(await kit.Host.WithDbAsync(db => db.Accounts.AnyAsync(a => a.UserId == userId)));
        Assert.Equal(0, await kit.SessionCountAsync(userId));
        Assert.Equal("null", (await user.GetAsync("/get-session")).Text);
        Assert.Equal("{\"success\":true}", (await admin.PostAsync("/admin/remove-user", new { userId = "nobody" })).Text);
    }

    [Fact]
    public async Task SetUserPassword_ReplacesThePassword_WithLengthRules()
    {
        await using var kit = await AdminTestKit.StartAsync();
        var (admin, _) = await kit.AdminAsync();
        var (user, userId) = await kit.UserAsync("u@example.com");

        var forbidden = await user.PostAsync("/admin/set-user-password", new { userId, newPassword = "another-password" });
        Assert.Equal(403, forbidden.Status);
        Assert.Equal("YOU_ARE_NOT_ALLOWED_TO_SET_USERS_PASSWORD", forbidden.Code);
        Assert.Equal("PASSWORD_TOO_SHORT", (await admin.PostAsync("/admin/set-user-password", new { userId, newPassword = "short" })).Code);
        Assert.Equal("VALIDATION_ERROR", (await admin.PostAsync("/admin/set-user-password", new { userId })).Code);

        Assert.Equal("{\"status\":true}", (await admin.PostAsync("/admin/set-user-password", new { userId, newPassword = "another-password" })).Text);
        Assert.Equal(401, (await kit.Host.Client().PostAsync("/sign-in/email", new { email = "u@example.com", password = AdminTestKit.Password })).Status);
        Assert.Equal(200, (await kit.Host.Client().PostAsync("/sign-in/email", new { email = "u@example.com", password = "another-password" })).Status);
        Assert.Equal("{\"status\":true}", (await admin.PostAsync("/admin/set-user-password", new { userId = "nobody", newPassword = "another-password" })).Text);
    }

    private static string JsDateText(DateTime d) => BetterAuth.Core.Storage.JsDate.Format(d);
}
