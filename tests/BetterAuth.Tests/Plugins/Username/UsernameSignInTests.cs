using BetterAuth.Core.Crypto;
using BetterAuth.Plugins.Username;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BetterAuth.Tests.Plugins.Username;

public sealed class UsernameSignInTests
{
    private static Task<AuthTestHost> StartAsync(Action<BetterAuthOptions>? configure = null, CountingHasher? hasher = null) =>
        AuthTestHost.StartAsync(o =>
        {
            o.Plugins.Add(new UsernamePlugin());
            configure?.Invoke(o);
        }, services: hasher is null ? null : s => s.AddSingleton<IPasswordHasher>(hasher));

    private static async Task SignUpAsync(AuthTestHost host, string email, string username, string password = "password123")
    {
        var r = await host.Client().PostAsync("/sign-up/email", new { email, password, name = "Uma", username });
        Assert.Equal(200, r.Status);
    }

    [Fact]
    public async Task SignInUsername_RightPassword_ReturnsTokenUserAndCookie()
    {
        await using var host = await StartAsync();
        await SignUpAsync(host, "uma@example.com", "Uma_Dev");
        var client = host.Client();
        var r = await client.PostAsync("/sign-in/username", new { username = "UMA_dev", password = "password123" });

        Assert.Equal(200, r.Status);
        var body = r.Json!.AsObject();
        Assert.Equal(["token", "user"], body.Select(p => p.Key));
        var user = body["user"]!.AsObject();
        Assert.Equal(["id", "email", "emailVerified", "username", "name", "image", "createdAt", "updatedAt"], user.Select(p => p.Key));
        Assert.Equal("uma_dev", user["username"]!.GetValue<string>());
        Assert.Equal("uma@example.com", user["email"]!.GetValue<string>());
        Assert.Null(user["image"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", user["createdAt"]!.GetValue<string>());
        var token = body["token"]!.GetValue<string>();
        Assert.StartsWith($"better-auth.session_token={token}.", r.Cookie("better-auth.session_token"));
        Assert.Contains("Max-Age=604800", r.Cookie("better-auth.session_token"));

        var session = await client.GetAsync("/get-session");
        Assert.Equal(user["id"]!.GetValue<string>(), session.Json!["user"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task SignInUsername_RememberMeFalse_SetsBrowserSessionCookieAndDontRemember()
    {
        await using var host = await StartAsync();
        await SignUpAsync(host, "rm@example.com", "remember_me");
        var r = await host.Client().PostAsync("/sign-in/username", new { username = "remember_me", password = "password123", rememberMe = false });
        Assert.Equal(200, r.Status);
        Assert.DoesNotContain("Max-Age", r.Cookie("better-auth.session_token"));
        Assert.NotNull(r.Cookie("better-auth.dont_remember"));
    }

    [Fact]
    public async Task SignInUsername_WrongPassword_Returns401WithoutCookie()
    {
        await using var host = await StartAsync();
        await SignUpAsync(host, "wp@example.com", "wrong_pw");
        var r = await host.Client().PostAsync("/sign-in/username", new { username = "wrong_pw", password = "not-the-password" });
        Assert.Equal(401, r.Status);
        Assert.Equal("INVALID_USERNAME_OR_PASSWORD", r.Code);
        Assert.Equal("invalid username or password", r.Json!["message"]!.GetValue<string>());
        Assert.Empty(r.SetCookies);
    }

    [Fact]
    public async Task SignInUsername_UnknownUsername_SameAnswerAfterTheSameHashing()
    {
        var hasher = new CountingHasher();
        await using var host = await StartAsync(hasher: hasher);
        await SignUpAsync(host, "known@example.com", "known_user");

        hasher.Reset();
        var wrong = await host.Client().PostAsync("/sign-in/username", new { username = "known_user", password = "bad-password" });
        var wrongWork = hasher.Calls;
        hasher.Reset();
        var unknown = await host.Client().PostAsync("/sign-in/username", new { username = "nobody_here", password = "bad-password" });

        Assert.Equal(401, unknown.Status);
        Assert.Equal(wrong.Text, unknown.Text);
        Assert.Equal(1, wrongWork);
        Assert.Equal(wrongWork, hasher.Calls);
    }

    [Fact]
    public async Task SignInUsername_UserWithoutPassword_Returns401AfterHashing()
    {
        var hasher = new CountingHasher();
        await using var host = await StartAsync(hasher: hasher);
        await SignUpAsync(host, "nopw@example.com", "no_password");
        await host.WithDbAsync(db => db.Accounts.ExecuteDeleteAsync());

        hasher.Reset();
        var r = await host.Client().PostAsync("/sign-in/username", new { username = "no_password", password = "password123" });
        Assert.Equal(401, r.Status);
        Assert.Equal("INVALID_USERNAME_OR_PASSWORD", r.Code);
        Assert.Equal(1, hasher.Calls);
    }

    [Theory]
    [InlineData("", "password123")]
    [InlineData("known_user", "")]
    public async Task SignInUsername_EmptyField_Returns401(string username, string password)
    {
        await using var host = await StartAsync();
        await SignUpAsync(host, "empty@example.com", "known_user");
        var r = await host.Client().PostAsync("/sign-in/username", new { username, password });
        Assert.Equal(401, r.Status);
        Assert.Equal("INVALID_USERNAME_OR_PASSWORD", r.Code);
    }

    [Theory]
    [InlineData("ab", "USERNAME_IS_TOO_SHORT", "username is too short")]
    [InlineData("abcdefghijabcdefghijabcdefghijk", "USERNAME_IS_TOO_LONG", "username is too long")]
    [InlineData("has space", "USERNAME_IS_INVALID", "username is invalid")]
    [InlineData("trailing\n", "USERNAME_IS_INVALID", "username is invalid")]
    public async Task SignInUsername_MalformedUsername_Returns422(string username, string code, string message)
    {
        await using var host = await StartAsync();
        var r = await host.Client().PostAsync("/sign-in/username", new { username, password = "password123" });
        Assert.Equal(422, r.Status);
        Assert.Equal(code, r.Code);
        Assert.Equal(message, r.Json!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"username\":\"someone\"}")]
    [InlineData("{\"password\":\"password123\"}")]
    [InlineData("{\"username\":5,\"password\":\"password123\"}")]
    [InlineData("{\"username\":null,\"password\":\"password123\"}")]
    [InlineData("{\"username\":\"someone\",\"password\":\"password123\",\"rememberMe\":\"yes\"}")]
    [InlineData("[]")]
    [InlineData("not json")]
    public async Task SignInUsername_BadBody_Returns400ValidationError(string body)
    {
        await using var host = await StartAsync();
        var r = await host.Client().PostRawAsync("/sign-in/username", body);
        Assert.Equal(400, r.Status);
        Assert.Equal("VALIDATION_ERROR", r.Code);
    }

    [Fact]
    public async Task SignInUsername_NoBody_Returns400()
    {
        await using var host = await StartAsync();
        var r = await host.Client().PostAsync("/sign-in/username");
        Assert.Equal(400, r.Status);
        Assert.Equal("VALIDATION_ERROR", r.Code);
    }

    [Fact]
    public async Task SignInUsername_RequireEmailVerification_UnverifiedGets403AndAMail()
    {
        await using var host = await StartAsync(o => o.EmailAndPassword.RequireEmailVerification = true);
        await host.Client().PostAsync("/sign-up/email", new { email = "unv@example.com", password = "password123", name = "U", username = "unverified" });
        host.Outbox.Messages.Clear();

        var r = await host.Client().PostAsync("/sign-in/username", new { username = "unverified", password = "password123" });
        Assert.Equal(403, r.Status);
        Assert.Equal("EMAIL_NOT_VERIFIED", r.Code);
        Assert.Equal("email not verified", r.Json!["message"]!.GetValue<string>());
        Assert.Empty(r.SetCookies);
        var mail = host.Outbox.Last("verify-email");
        Assert.Equal("unv@example.com", mail!.To);
        Assert.Contains("/verify-email?token=", mail.Url);
    }

    [Fact]
    public async Task SignInUsername_RequireEmailVerification_WrongPasswordRevealsNothing()
    {
        await using var host = await StartAsync(o => o.EmailAndPassword.RequireEmailVerification = true);
        await host.Client().PostAsync("/sign-up/email", new { email = "unv2@example.com", password = "password123", name = "U", username = "unverified2" });
        host.Outbox.Messages.Clear();

        var r = await host.Client().PostAsync("/sign-in/username", new { username = "unverified2", password = "guess-guess" });
        Assert.Equal(401, r.Status);
        Assert.Equal("INVALID_USERNAME_OR_PASSWORD", r.Code);
        Assert.Empty(host.Outbox.Messages);
    }

    [Fact]
    public async Task SignInUsername_RequireEmailVerification_VerifiedUserSignsIn()
    {
        await using var host = await StartAsync(o => o.EmailAndPassword.RequireEmailVerification = true);
        await host.Client().PostAsync("/sign-up/email", new { email = "ok@example.com", password = "password123", name = "U", username = "verified_one" });
        await host.WithDbAsync(db => db.Users.ExecuteUpdateAsync(s => s.SetProperty(u => u.EmailVerified, true)));
        var r = await host.Client().PostAsync("/sign-in/username", new { username = "verified_one", password = "password123" });
        Assert.Equal(200, r.Status);
        Assert.True(r.Json!["user"]!["emailVerified"]!.GetValue<bool>());
    }
}

/// <summary>The fast test hasher, counting how much hashing work each request does.</summary>
public sealed class CountingHasher : IPasswordHasher
{
    private readonly FastTestHasher _inner = new();
    private int _calls;
    public int Calls => _calls;
    public void Reset() => _calls = 0;

    public ValueTask<string> HashAsync(string password, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _calls);
        return _inner.HashAsync(password, ct);
    }

    public async ValueTask<bool> VerifyAsync(string hash, string password, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _calls);
        // FastTestHasher verifies by hashing again; count that as the one unit of work it stands for.
        return hash == await _inner.HashAsync(password, ct);
    }
}
