using BetterAuth.Plugins.Username;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Tests.Plugins.Username;

/// <summary>username and displayUsername on /sign-up/email and /update-user.</summary>
public sealed class UsernameProfileTests
{
    private static Task<AuthTestHost> StartAsync(UsernameOptions? options = null) =>
        AuthTestHost.StartAsync(o => o.Plugins.Add(new UsernamePlugin(options)));

    private static async Task<int> UserCountAsync(AuthTestHost host) =>
        await host.WithDbAsync(db => Task.FromResult(db.Users.Count()));

    [Fact]
    public async Task SignUp_WithUsername_StoresItLowercasedAndDisplayUsernameAsTyped()
    {
        await using var host = await StartAsync();
        var client = host.Client();
        var r = await client.PostAsync("/sign-up/email", new { email = "a@example.com", password = "password123", name = "A", username = "Alice_1" });
        Assert.Equal(200, r.Status);

        var user = (await client.GetAsync("/get-session")).Json!["user"]!;
        Assert.Equal("alice_1", user["username"]!.GetValue<string>());
        Assert.Equal("Alice_1", user["displayUsername"]!.GetValue<string>());
    }

    [Fact]
    public async Task SignUp_WithDisplayUsername_KeepsIt()
    {
        await using var host = await StartAsync();
        var client = host.Client();
        await client.PostAsync("/sign-up/email", new { email = "d@example.com", password = "password123", name = "D", username = "dora", displayUsername = "Dora the Great" });
        var user = (await client.GetAsync("/get-session")).Json!["user"]!;
        Assert.Equal("dora", user["username"]!.GetValue<string>());
        Assert.Equal("Dora the Great", user["displayUsername"]!.GetValue<string>());
    }

    [Fact]
    public async Task SignUp_WithoutUsername_LeavesBothNull()
    {
        await using var host = await StartAsync();
        var client = host.Client();
        await client.SignUpAsync("plain@example.com");
        var user = (await client.GetAsync("/get-session")).Json!["user"]!.AsObject();
        Assert.True(user.ContainsKey("username"));
        Assert.Null(user["username"]);
        Assert.Null(user["displayUsername"]);
    }

    [Fact]
    public async Task SignUp_TakenUsernameInAnyCase_Returns422AndCreatesNothing()
    {
        await using var host = await StartAsync();
        await host.Client().PostAsync("/sign-up/email", new { email = "first@example.com", password = "password123", name = "F", username = "taken_name" });
        var r = await host.Client().PostAsync("/sign-up/email", new { email = "second@example.com", password = "password123", name = "S", username = "Taken_Name" });
        Assert.Equal(422, r.Status);
        Assert.Equal("USERNAME_IS_ALREADY_TAKEN_PLEASE_TRY_ANOTHER", r.Code);
        Assert.Equal("username is already taken. please try another.", r.Json!["message"]!.GetValue<string>());
        Assert.Empty(r.SetCookies);
        Assert.Equal(1, await UserCountAsync(host));
    }

    [Theory]
    [InlineData("al", "USERNAME_IS_TOO_SHORT")]
    [InlineData("", "USERNAME_IS_TOO_SHORT")]
    [InlineData("abcdefghijabcdefghijabcdefghijk", "USERNAME_IS_TOO_LONG")]
    [InlineData("bad name", "USERNAME_IS_INVALID")]
    [InlineData("dash-ed", "USERNAME_IS_INVALID")]
    [InlineData("ünïcode", "USERNAME_IS_INVALID")]
    public async Task SignUp_InvalidUsername_Returns422AndCreatesNothing(string username, string code)
    {
        await using var host = await StartAsync();
        var r = await host.Client().PostAsync("/sign-up/email", new { email = "inv@example.com", password = "password123", name = "I", username });
        Assert.Equal(422, r.Status);
        Assert.Equal(code, r.Code);
        Assert.Equal(0, await UserCountAsync(host));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("abcdefghijabcdefghijabcdefghij")]
    [InlineData("dots.and_underscores.9")]
    public async Task SignUp_UsernameAtTheLimits_IsAccepted(string username)
    {
        await using var host = await StartAsync();
        var r = await host.Client().PostAsync("/sign-up/email", new { email = "lim@example.com", password = "password123", name = "L", username });
        Assert.Equal(200, r.Status);
    }

    [Fact]
    public async Task SignUp_NonStringUsername_Returns400()
    {
        await using var host = await StartAsync();
        var r = await host.Client().PostRawAsync("/sign-up/email", "{\"email\":\"n@example.com\",\"password\":\"password123\",\"name\":\"N\",\"username\":12345}");
        Assert.Equal(400, r.Status);
        Assert.Equal(0, await UserCountAsync(host));
    }

    [Fact]
    public async Task UpdateUser_NewUsername_IsLowercasedAndBecomesTheDisplayUsername()
    {
        await using var host = await StartAsync();
        var client = host.Client();
        await client.PostAsync("/sign-up/email", new { email = "u@example.com", password = "password123", name = "U", username = "first_name" });
        var r = await client.PostAsync("/update-user", new { username = "Second_Name" });
        Assert.Equal(200, r.Status);
        Assert.True(r.Json!["status"]!.GetValue<bool>());

        var user = (await client.GetAsync("/get-session")).Json!["user"]!;
        Assert.Equal("second_name", user["username"]!.GetValue<string>());
        Assert.Equal("Second_Name", user["displayUsername"]!.GetValue<string>());
        var signIn = await host.Client().PostAsync("/sign-in/username", new { username = "second_name", password = "password123" });
        Assert.Equal(200, signIn.Status);
    }

    [Fact]
    public async Task UpdateUser_EmptyDisplayUsername_IsReplacedByTheUsername()
    {
        await using var host = await StartAsync();
        var client = host.Client();
        await client.PostAsync("/sign-up/email", new { email = "e@example.com", password = "password123", name = "E", username = "eve" });
        await client.PostAsync("/update-user", new { username = "Eve_2", displayUsername = "" });
        var user = (await client.GetAsync("/get-session")).Json!["user"]!;
        Assert.Equal("Eve_2", user["displayUsername"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpdateUser_DisplayUsernameOnly_LeavesTheUsername()
    {
        await using var host = await StartAsync();
        var client = host.Client();
        await client.PostAsync("/sign-up/email", new { email = "f@example.com", password = "password123", name = "F", username = "frank" });
        var r = await client.PostAsync("/update-user", new { displayUsername = "Frankly Frank" });
        Assert.Equal(200, r.Status);
        var user = (await client.GetAsync("/get-session")).Json!["user"]!;
        Assert.Equal("frank", user["username"]!.GetValue<string>());
        Assert.Equal("Frankly Frank", user["displayUsername"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpdateUser_UsernameOfAnotherUser_Returns422AndChangesNothing()
    {
        await using var host = await StartAsync();
        await host.Client().PostAsync("/sign-up/email", new { email = "o@example.com", password = "password123", name = "O", username = "owner" });
        var client = host.Client();
        await client.PostAsync("/sign-up/email", new { email = "t@example.com", password = "password123", name = "T", username = "thief" });

        var r = await client.PostAsync("/update-user", new { username = "OWNER", name = "Renamed" });
        Assert.Equal(422, r.Status);
        Assert.Equal("USERNAME_IS_ALREADY_TAKEN_PLEASE_TRY_ANOTHER", r.Code);
        var user = (await client.GetAsync("/get-session")).Json!["user"]!;
        Assert.Equal("thief", user["username"]!.GetValue<string>());
        Assert.Equal("T", user["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpdateUser_OwnUsername_IsNotTaken()
    {
        await using var host = await StartAsync();
        var client = host.Client();
        await client.PostAsync("/sign-up/email", new { email = "s@example.com", password = "password123", name = "S", username = "same_name" });
        var r = await client.PostAsync("/update-user", new { username = "Same_Name" });
        Assert.Equal(200, r.Status);
        var user = (await client.GetAsync("/get-session")).Json!["user"]!;
        Assert.Equal("same_name", user["username"]!.GetValue<string>());
        Assert.Equal("Same_Name", user["displayUsername"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpdateUser_InvalidUsername_Returns422EvenWithoutSession()
    {
        // The check runs before the session is required, as Better Auth's before-hook does.
        await using var host = await StartAsync();
        var r = await host.Client().PostAsync("/update-user", new { username = "zz" });
        Assert.Equal(422, r.Status);
        Assert.Equal("USERNAME_IS_TOO_SHORT", r.Code);
    }

    [Fact]
    public async Task UpdateUser_ValidUsernameWithoutSession_Returns401()
    {
        await using var host = await StartAsync();
        var r = await host.Client().PostAsync("/update-user", new { username = "free_name" });
        Assert.Equal(401, r.Status);
        Assert.Equal("", r.Text);
    }

    [Fact]
    public async Task CustomOptions_LengthsAndValidatorApplyEverywhere()
    {
        await using var host = await StartAsync(new UsernameOptions
        {
            MinUsernameLength = 5,
            MaxUsernameLength = 8,
            UsernameValidator = u => u.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'),
        });
        Assert.Equal("USERNAME_IS_TOO_SHORT", (await host.Client().PostAsync("/sign-up/email", new { email = "c1@example.com", password = "password123", name = "C", username = "abcd" })).Code);
        Assert.Equal("USERNAME_IS_TOO_LONG", (await host.Client().PostAsync("/sign-up/email", new { email = "c1@example.com", password = "password123", name = "C", username = "abcdefghi" })).Code);
        Assert.Equal("USERNAME_IS_INVALID", (await host.Client().PostAsync("/sign-up/email", new { email = "c1@example.com", password = "password123", name = "C", username = "ab_cd" })).Code);
        Assert.Equal(200, (await host.Client().PostAsync("/sign-up/email", new { email = "c1@example.com", password = "password123", name = "C", username = "ab-cd" })).Status);
        Assert.Equal(200, (await host.Client().PostAsync("/sign-in/username", new { username = "AB-CD", password = "password123" })).Status);
        Assert.Equal("USERNAME_IS_TOO_SHORT", (await host.Client().PostAsync("/sign-in/username", new { username = "abc", password = "password123" })).Code);
    }

    [Fact]
    public async Task Schema_UsernameColumnIsUnique()
    {
        using var sqliteOnly = TestStorage.Pin(TestStorage.Sqlite); // reads SQLite's catalog
        await using var host = await StartAsync();
        var index = host.Runtime.Model.Schema.UserFields.Single(f => f.Name == "username");
        Assert.True(index.Unique);
        var sql = await host.WithDbAsync(async db =>
        {
            var conn = db.Database.GetDbConnection();
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "SELECT group_concat(sql, ' ') FROM sqlite_master WHERE tbl_name = 'user'";
            return (string)(await cmd.ExecuteScalarAsync())!;
        });
        Assert.Matches("(?i)UNIQUE.*username|username.*UNIQUE", sql);
        Assert.Contains("displayUsername", sql);
    }
}
