using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Endpoints;

public sealed class UserAndAccountTests
{
    [Fact]
    public async Task UpdateUser_Name_IsStoredAndVisibleInSession()
    {
        await using var host = await AuthTestHost.StartAsync();
        var client = host.Client();
        await client.SignUpAsync("upd@example.com");
        var r = await client.PostAsync("/update-user", new { name = "New Name", image = "https://img.example.com/a.png" });
        Assert.Equal(200, r.Status);
        Assert.True(r.Json!["status"]!.GetValue<bool>());
        var s = await client.GetAsync("/get-session");
        Assert.Equal("New Name", s.Json!["user"]!["name"]!.GetValue<string>());
        Assert.Equal("https://img.example.com/a.png", s.Json!["user"]!["image"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpdateUser_Email_Returns400()
    {
        await using var host = await AuthTestHost.StartAsync();
        var client = host.Client();
        await client.SignUpAsync("noemail@example.com");
        var r = await client.PostAsync("/update-user", new { email = "x@example.com" });
        Assert.Equal(400, r.Status);
        Assert.Equal("EMAIL_CAN_NOT_BE_UPDATED", r.Code);
    }

    [Fact]
    public async Task UpdateUser_EmptyBody_ReturnsStatusTrue()
    {
        await using var host = await AuthTestHost.StartAsync();
        var client = host.Client();
        await client.SignUpAsync("empty@example.com");
        var r = await client.PostAsync("/update-user", new { });
        Assert.Equal(200, r.Status);
        Assert.True(r.Json!["status"]!.GetValue<bool>());
    }

    [Fact]
    public async Task UpdateUser_WrongType_Returns400_AndNoSession_Returns401()
    {
        await using var host = await AuthTestHost.StartAsync();
        var client = host.Client();
        await client.SignUpAsync("types@example.com");
        Assert.Equal("VALIDATION_ERROR", (await client.PostAsync("/update-user", new { name = 42 })).Code);
        Assert.Equal(401, (await host.Client().PostAsync("/update-user", new { name = "x" })).Status);
    }

    [Fact]
    public async Task ChangePassword_WrongCurrent_Returns400InvalidPassword()
    {
        await using var host = await AuthTestHost.StartAsync();
        var client = host.Client();
        await client.SignUpAsync("cp@example.com");
        var r = await client.PostAsync("/change-password", new { currentPassword = "not-it-at-all", newPassword = "new-password-1" });
        Assert.Equal(400, r.Status);
        Assert.Equal("INVALID_PASSWORD", r.Code);
        await host.Client().SignInAsync("cp@example.com");
    }

    [Fact]
    public async Task ChangePassword_TooShort_Returns400()
    {
        await using var host = await AuthTestHost.StartAsync();
        var client = host.Client();
        await client.SignUpAsync("cps@example.com");
        var r = await client.PostAsync("/change-password", new { currentPassword = "password123", newPassword = "short" });
        Assert.Equal("PASSWORD_TOO_SHORT", r.Code);
    }

    [Fact]
    public async Task ChangePassword_Ok_OldPasswordStopsWorking()
    {
        await using var host = await AuthTestHost.StartAsync();
        var client = host.Client();
        await client.SignUpAsync("cpok@example.com");
        var r = await client.PostAsync("/change-password", new { currentPassword = "password123", newPassword = "brand-new-pass" });
        Assert.Equal(200, r.Status);
        Assert.Null(r.Json!["token"]);
        Assert.Equal("cpok@example.com", r.Json!["user"]!["email"]!.GetValue<string>());
        Assert.Equal(401, (await host.Client().PostAsync("/sign-in/email", new { email = "cpok@example.com", password = "password123" })).Status);
        await host.Client().SignInAsync("cpok@example.com", "brand-new-pass");
    }

    [Fact]
    public async Task ChangePassword_RevokeOtherSessions_ReplacesEverySession()
    {
        await using var host = await AuthTestHost.StartAsync();
        var a = host.Client();
        await a.SignUpAsync("cprev@example.com");
        var b = host.Client();
        await b.SignInAsync("cprev@example.com");
        var r = await a.PostAsync("/change-password", new { currentPassword = "password123", newPassword = "brand-new-pass", revokeOtherSessions = true });
        Assert.Equal(200, r.Status);
        var token = r.Json!["token"]!.GetValue<string>();
        Assert.Equal(32, token.Length);
        Assert.Equal("null", (await b.GetAsync("/get-session")).Text);
        Assert.Equal(token, (await a.GetAsync("/get-session")).Json!["session"]!["token"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListAccounts_ShowsCredentialProvider()
    {
        await using var host = await AuthTestHost.StartAsync();
        var client = host.Client();
        var up = await client.SignUpAsync("acc@example.com");
        var r = await client.GetAsync("/list-accounts");
        Assert.Equal(200, r.Status);
        var account = Assert.Single(r.Json!.AsArray())!;
        Assert.Equal("credential", account["provider"]!.GetValue<string>());
        Assert.Equal(up["user"]!["id"]!.GetValue<string>(), account["accountId"]!.GetValue<string>());
        Assert.Empty(account["scopes"]!.AsArray());
        Assert.Null(account.AsObject()["password"]);
        Assert.Equal(401, (await host.Client().GetAsync("/list-accounts")).Status);
    }
}
