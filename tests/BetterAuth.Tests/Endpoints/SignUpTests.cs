using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Endpoints;

public sealed class SignUpTests
{
    [Fact]
    public async Task SignUp_ValidBody_CreatesUserAndSignsIn()
    {
        await using var host = await AuthTestHost.StartAsync();
        var client = host.Client();
        var r = await client.PostAsync("/sign-up/email", new { email = "Ada@Example.com", password = "password123", name = "Ada" });

        Assert.Equal(200, r.Status);
        var user = r.Json!["user"]!;
        Assert.Equal("ada@example.com", user["email"]!.GetValue<string>());
        Assert.Equal("Ada", user["name"]!.GetValue<string>());
        Assert.False(user["emailVerified"]!.GetValue<bool>());
        Assert.Equal(32, r.Json!["token"]!.GetValue<string>().Length);
        Assert.Equal(["id", "email", "name", "image", "emailVerified", "createdAt", "updatedAt"], user.AsObject().Select(p => p.Key));
        var cookie = r.Cookie("better-auth.session_token");
        Assert.NotNull(cookie);
        Assert.EndsWith("; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax", cookie);
        var session = await client.GetAsync("/get-session");
        Assert.Equal(user["id"]!.GetValue<string>(), session.Json!["user"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task SignUp_DuplicateEmail_Returns422UserAlreadyExists()
    {
        await using var host = await AuthTestHost.StartAsync();
        await host.Client().SignUpAsync("dup@example.com");
        var r = await host.Client().PostAsync("/sign-up/email", new { email = "DUP@example.com", password = "password123", name = "B" });
        Assert.Equal(422, r.Status);
        Assert.Equal("USER_ALREADY_EXISTS", r.Code);
        Assert.Equal("User already exists", r.Json!["message"]!.GetValue<string>());
        Assert.Empty(r.SetCookies);
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("a@b")]
    [InlineData("")]
    public async Task SignUp_InvalidEmail_Returns400InvalidEmail(string email)
    {
        await using var host = await AuthTestHost.StartAsync();
        var r = await host.Client().PostAsync("/sign-up/email", new { email, password = "password123", name = "X" });
        Assert.Equal(400, r.Status);
        Assert.Equal("INVALID_EMAIL", r.Code);
    }

    [Theory]
    [InlineData(7, 400, "PASSWORD_TOO_SHORT")]
    [InlineData(8, 200, null)]
    [InlineData(128, 200, null)]
    [InlineData(129, 400, "PASSWORD_TOO_LONG")]
    public async Task SignUp_PasswordLength_FollowsLimits(int length, int status, string? code)
    {
        await using var host = await AuthTestHost.StartAsync();
        var r = await host.Client().PostAsync("/sign-up/email", new { email = "len@example.com", password = new string('p', length), name = "X" });
        Assert.Equal(status, r.Status);
        Assert.Equal(code, r.Code);
    }

    [Theory]
    [InlineData("{\"email\":\"a@example.com\",\"password\":\"password123\"}")] // no name
    [InlineData("{\"email\":\"a@example.com\",\"name\":\"x\"}")] // no password
    [InlineData("{\"email\":\"a@example.com\",\"password\":12345678,\"name\":\"x\"}")] // wrong type
    [InlineData("{\"email\":\"a@example.com\",\"password\":\"password123\",\"name\":null}")]
    [InlineData("[1,2,3]")]
    [InlineData("\"just a string\"")]
    [InlineData("{\"email\":")] // malformed
    [InlineData("{")]
    public async Task SignUp_BadBody_Returns400ValidationError(string body)
    {
        await using var host = await AuthTestHost.StartAsync();
        var r = await host.Client().PostRawAsync("/sign-up/email", body);
        Assert.Equal(400, r.Status);
        Assert.Equal("VALIDATION_ERROR", r.Code);
        Assert.Equal(0, await host.WithDbAsync(db => Task.FromResult(db.Users.Count())));
    }

    [Fact]
    public async Task SignUp_EmptyJsonBody_Returns400()
    {
        await using var host = await AuthTestHost.StartAsync();
        var r = await host.Client().PostRawAsync("/sign-up/email", "");
        Assert.Equal(400, r.Status);
        Assert.NotNull(r.Code);
    }

    [Fact]
    public async Task SignUp_OversizedBody_Returns413()
    {
        await using var host = await AuthTestHost.StartAsync(o => o.MaxBodyBytes = 4096);
        var r = await host.Client().PostAsync("/sign-up/email", new { email = "big@example.com", password = "password123", name = new string('x', 10_000) });
        Assert.Equal(413, r.Status);
        Assert.Equal("REQUEST_BODY_IS_TOO_LARGE", r.Code);
    }

    [Fact]
    public async Task SignUp_FormEncodedBody_IsAccepted()
    {
        await using var host = await AuthTestHost.StartAsync();
        var r = await host.Client().PostRawAsync("/sign-up/email", "email=form%40example.com&password=password123&name=Form", "application/x-www-form-urlencoded");
        Assert.Equal(200, r.Status);
        Assert.Equal("form@example.com", r.Json!["user"]!["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task SignUp_WhenDisabled_Returns400()
    {
        await using var host = await AuthTestHost.StartAsync(o => o.EmailAndPassword.DisableSignUp = true);
        var r = await host.Client().PostAsync("/sign-up/email", new { email = "x@example.com", password = "password123", name = "X" });
        Assert.Equal(400, r.Status);
        Assert.Equal("EMAIL_AND_PASSWORD_SIGN_UP_IS_NOT_ENABLED", r.Code);
    }

    [Fact]
    public async Task SignUp_WithoutAutoSignIn_ReturnsNullTokenAndNoCookie()
    {
        await using var host = await AuthTestHost.StartAsync(o => o.EmailAndPassword.AutoSignIn = false);
        var r = await host.Client().PostAsync("/sign-up/email", new { email = "x@example.com", password = "password123", name = "X" });
        Assert.Equal(200, r.Status);
        Assert.Null(r.Json!["token"]);
        Assert.Empty(r.SetCookies);
    }

    [Fact]
    public async Task SignUp_ConcurrentSameEmail_CreatesExactlyOneUser()
    {
        await using var host = await AuthTestHost.StartAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            host.Client().PostAsync("/sign-up/email", new { email = "race@example.com", password = "password123", name = "R" })));
        Assert.Equal(1, results.Count(r => r.Status == 200));
        Assert.All(results.Where(r => r.Status != 200), r => Assert.Equal(422, r.Status));
        Assert.Equal(1, await host.WithDbAsync(db => Task.FromResult(db.Users.Count())));
        Assert.Equal(1, await host.WithDbAsync(db => Task.FromResult(db.Accounts.Count())));
    }
}
