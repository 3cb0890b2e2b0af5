using System.Globalization;
using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Endpoints;

public sealed class SignInTests
{
    [Fact]
    public async Task SignIn_RightPassword_ReturnsTokenUserAndCookie()
    {
        await using var host = await AuthTestHost.StartAsync();
        await host.Client().SignUpAsync("ann@example.com");
        var client = host.Client();
        var r = await client.PostAsync("/sign-in/email", new { email = "ANN@example.com", password = "password123" });

        Assert.Equal(200, r.Status);
        Assert.False(r.Json!["redirect"]!.GetValue<bool>());
        Assert.Null(r.Json!.AsObject()["url"]);
        Assert.False(r.Json!.AsObject().ContainsKey("url"));
        Assert.Equal("ann@example.com", r.Json!["user"]!["email"]!.GetValue<string>());
        var token = r.Json!["token"]!.GetValue<string>();
        Assert.StartsWith($"better-auth.session_token={token}.", r.Cookie("better-auth.session_token"));
    }

    [Fact]
    public async Task SignIn_NewSessionEachTime_TokenRotates()
    {
        await using var host = await AuthTestHost.StartAsync();
        await host.Client().SignUpAsync("rot@example.com");
        var a = await host.Client().SignInAsync("rot@example.com");
        var b = await host.Client().SignInAsync("rot@example.com");
        Assert.NotEqual(a["token"]!.GetValue<string>(), b["token"]!.GetValue<string>());
    }

    [Fact]
    public async Task SignIn_WrongPassword_Returns401()
    {
        await using var host = await AuthTestHost.StartAsync();
        await host.Client().SignUpAsync("bob@example.com");
        var r = await host.Client().PostAsync("/sign-in/email", new { email = "bob@example.com", password = "wrong-password" });
        Assert.Equal(401, r.Status);
        Assert.Equal("INVALID_EMAIL_OR_PASSWORD", r.Code);
        Assert.Equal("Invalid email or password", r.Json!["message"]!.GetValue<string>());
        Assert.Empty(r.SetCookies);
    }

    [Fact]
    public async Task SignIn_UnknownEmail_AnswersLikeWrongPassword()
    {
        await using var host = await AuthTestHost.StartAsync();
        var r = await host.Client().PostAsync("/sign-in/email", new { email = "nobody@example.com", password = "password123" });
        Assert.Equal(401, r.Status);
        Assert.Equal("INVALID_EMAIL_OR_PASSWORD", r.Code);
    }

    [Fact]
    public async Task SignIn_InvalidEmail_Returns400()
    {
        await using var host = await AuthTestHost.StartAsync();
        var r = await host.Client().PostAsync("/sign-in/email", new { email = "nope", password = "password123" });
        Assert.Equal(400, r.Status);
        Assert.Equal("INVALID_EMAIL", r.Code);
    }

    [Theory]
    [InlineData("{\"email\":\"a@example.com\"}")]
    [InlineData("{\"email\":\"a@example.com\",\"password\":\"x\",\"rememberMe\":\"yes\"}")]
    [InlineData("{\"email\":1,\"password\":\"x\"}")]
    [InlineData("not json")]
    public async Task SignIn_BadBody_Returns400ValidationError(string body)
    {
        await using var host = await AuthTestHost.StartAsync();
        var r = await host.Client().PostRawAsync("/sign-in/email", body);
        Assert.Equal(400, r.Status);
        Assert.Equal("VALIDATION_ERROR", r.Code);
        Assert.Equal("Invalid body parameters", r.Json!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task SignIn_RememberMeFalse_SetsBrowserSessionCookieAndDontRemember()
    {
        await using var host = await AuthTestHost.StartAsync();
        await host.Client().SignUpAsync("rm@example.com");
        var client = host.Client();
        var r = await client.PostAsync("/sign-in/email", new { email = "rm@example.com", password = "password123", rememberMe = false });
        Assert.Equal(200, r.Status);
        var session = r.Cookie("better-auth.session_token")!;
        Assert.DoesNotContain("Max-Age", session);
        Assert.StartsWith("better-auth.dont_remember=true.", r.Cookie("better-auth.dont_remember"));
        var s = await client.GetAsync("/get-session");
        var expires = DateTime.Parse(s.Json!["session"]!["expiresAt"]!.GetValue<string>(), CultureInfo.InvariantCulture).ToUniversalTime();
        Assert.Equal(host.Clock.GetUtcNow().UtcDateTime.AddDays(1), expires, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task SignIn_WithTrustedCallbackUrl_ReturnsRedirectAndUrl()
    {
        await using var host = await AuthTestHost.StartAsync();
        await host.Client().SignUpAsync("cb@example.com");
        var r = await host.Client().PostAsync("/sign-in/email", new { email = "cb@example.com", password = "password123", callbackURL = "/dashboard" });
        Assert.Equal(200, r.Status);
        Assert.True(r.Json!["redirect"]!.GetValue<bool>());
        Assert.Equal("/dashboard", r.Json!["url"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("https://evil.example.com/steal")]
    [InlineData("//evil.example.com")]
    [InlineData("/\\evil.example.com")]
    public async Task SignIn_UntrustedCallbackUrl_Returns403(string callbackURL)
    {
        await using var host = await AuthTestHost.StartAsync();
        await host.Client().SignUpAsync("evil@example.com");
        var r = await host.Client().PostAsync("/sign-in/email", new { email = "evil@example.com", password = "password123", callbackURL });
        Assert.Equal(403, r.Status);
        Assert.Equal("INVALID_CALLBACKURL", r.Code);
    }

    [Fact]
    public async Task SignIn_RequireEmailVerification_UnverifiedUserGets403()
    {
        await using var host = await AuthTestHost.StartAsync(o => o.EmailAndPassword.RequireEmailVerification = true);
        var up = await host.Client().PostAsync("/sign-up/email", new { email = "unv@example.com", password = "password123", name = "U" });
        Assert.Null(up.Json!["token"]);
        var r = await host.Client().PostAsync("/sign-in/email", new { email = "unv@example.com", password = "password123" });
        Assert.Equal(403, r.Status);
        Assert.Equal("EMAIL_NOT_VERIFIED", r.Code);
    }

    [Fact]
    public async Task SignIn_RealScrypt_RoundTrips()
    {
        await using var host = await AuthTestHost.StartAsync(realHasher: true);
        await host.Client().SignUpAsync("scrypt@example.com", "a real password");
        var stored = await host.WithDbAsync(db => Task.FromResult(db.Accounts.Single().Password!));
        Assert.Matches("^[0-9a-f]{32}:[0-9a-f]{128}$", stored);
        await host.Client().SignInAsync("scrypt@example.com", "a real password");
        var wrong = await host.Client().PostAsync("/sign-in/email", new { email = "scrypt@example.com", password = "a wrong password" });
        Assert.Equal(401, wrong.Status);
    }
}
