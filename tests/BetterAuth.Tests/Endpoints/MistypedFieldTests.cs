using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Endpoints;

/// <summary>
/// Mistyped fields where Better Auth answers the field's own error (its untyped bodies read values as JavaScript does),
/// found by probing the reference with every POST body field given a number, boolean, object, array or null.
/// Where the reference crashes instead, ours answers 400 VALIDATION_ERROR.
/// </summary>
public sealed class MistypedFieldTests
{
    private static Task<TestResponse> SignUpRawAsync(AuthTestHost host, string email, string password, string name = "\"N\"") =>
        host.Client().PostRawAsync("/sign-up/email", $"{{\"email\":{email},\"password\":{password},\"name\":{name}}}");

    [Theory]
    [InlineData("42")]
    [InlineData("true")]
    [InlineData("{\"a\":1}")]
    [InlineData("[\"a@example.com\"]")]
    [InlineData("null")]
    public async Task SignUp_NonStringEmail_IsInvalidEmail(string email)
    {
        await using var host = await AuthTestHost.StartAsync();
        var r = await SignUpRawAsync(host, email, "\"password123\"");
        Assert.Equal((400, "INVALID_EMAIL"), (r.Status, r.Code));
    }

    [Theory]
    [InlineData("[]", "PASSWORD_TOO_SHORT")]
    [InlineData("[\"password123\"]", "PASSWORD_TOO_SHORT")]
    [InlineData("[1,2,3,4,5,6,7,8]", "VALIDATION_ERROR")] // long enough: Better Auth then crashes hashing it
    [InlineData("12345678", "VALIDATION_ERROR")]
    [InlineData("{\"a\":1}", "VALIDATION_ERROR")]
    [InlineData("null", "VALIDATION_ERROR")]
    public async Task SignUp_NonStringPassword_ArraysMeetTheLengthRules_OthersAreInvalid(string password, string code)
    {
        await using var host = await AuthTestHost.StartAsync();
        var r = await SignUpRawAsync(host, "\"typed@example.com\"", password);
        Assert.Equal((400, code), (r.Status, r.Code));
        Assert.Equal(0, await host.WithDbAsync(db => Task.FromResult(db.Users.Count())));
    }

    [Theory]
    [InlineData("42")]
    [InlineData("{\"a\":1}")]
    public async Task SignUp_NonStringCallbackUrl_IsInvalid_NotIgnored(string callbackUrl)
    {
        await using var host = await AuthTestHost.StartAsync();
        var r = await host.Client().PostRawAsync("/sign-up/email",
            $"{{\"email\":\"cb@example.com\",\"password\":\"password123\",\"name\":\"N\",\"callbackURL\":{callbackUrl}}}");
        Assert.Equal((400, "VALIDATION_ERROR"), (r.Status, r.Code));
        Assert.Equal(0, await host.WithDbAsync(db => Task.FromResult(db.Users.Count())));
    }

    [Fact]
    public async Task SignUp_ArrayPasswordOverTheMaximum_IsTooLong()
    {
        await using var host = await AuthTestHost.StartAsync();
        var r = await SignUpRawAsync(host, "\"long@example.com\"", "[" + string.Join(",", Enumerable.Repeat("1", 129)) + "]");
        Assert.Equal((400, "PASSWORD_TOO_LONG"), (r.Status, r.Code));
    }

    [Theory]
    [InlineData("12345678", "\"N\"")]
    [InlineData("[1,2,3,4,5,6,7,8]", "\"N\"")]
    [InlineData("\"password123\"", "null")]
    [InlineData("\"password123\"", "{\"a\":1}")]
    public async Task SignUp_TakenEmail_Is422_BeforeThePasswordAndNameTypes(string password, string name)
    {
        await using var host = await AuthTestHost.StartAsync();
        await host.Client().SignUpAsync("taken@example.com");
        var r = await SignUpRawAsync(host, "\"taken@example.com\"", password, name);
        Assert.Equal((422, "USER_ALREADY_EXISTS"), (r.Status, r.Code));
    }
}

/// <summary>The admin plugin's <c>userId</c> is <c>z.coerce.string()</c>: an object or array is its JavaScript string form.</summary>
public sealed class AdminCoercedUserIdTests
{
    [Fact]
    public async Task ObjectOrArrayUserId_IsAnsweredAsItsStringForm()
    {
        await using var kit = await Plugins.Admin.AdminTestKit.StartAsync();
        var (admin, _) = await kit.AdminAsync();
        var (_, userId) = await kit.UserAsync("target@example.com");

        var unknown = await admin.PostRawAsync("/admin/impersonate-user", "{\"userId\":{\"a\":1}}");
        Assert.Equal((404, "USER_NOT_FOUND"), (unknown.Status, unknown.Code));
        Assert.Equal((await admin.PostAsync("/admin/set-role", new { userId = "[object Object]", role = "user" })).Text,
            (await admin.PostRawAsync("/admin/set-role", "{\"userId\":{\"a\":1},\"role\":\"user\"}")).Text);

        var sessions = await admin.PostRawAsync("/admin/list-user-sessions", $"{{\"userId\":[\"{userId}\"]}}");
        Assert.Equal(200, sessions.Status);
        Assert.Equal(userId, Assert.Single(sessions.Json!["sessions"]!.AsArray())!["userId"]!.GetValue<string>());
        Assert.Equal((404, "USER_NOT_FOUND"), await StatusAndCodeAsync(admin, "{\"userId\":[\"a\",null,[\"b\"]]}")); // "a,,b"
    }

    private static async Task<(int, string?)> StatusAndCodeAsync(TestClient admin, string body)
    {
        var r = await admin.PostRawAsync("/admin/impersonate-user", body);
        return (r.Status, r.Code);
    }
}
