using BetterAuth.AspNetCore;
using BetterAuth.Plugins.OneTimeToken;
using BetterAuth.Tests.AspNetCore;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Tests.Plugins.OneTimeToken;

public sealed class OneTimeTokenTests
{
    private static Task<AuthTestHost> StartAsync(Action<OneTimeTokenOptions>? configure = null)
    {
        var options = new OneTimeTokenOptions();
        configure?.Invoke(options);
        return AuthTestHost.StartAsync(o => o.Plugins.Add(new OneTimeTokenPlugin(options)));
    }

    private static async Task<(TestClient Client, string SessionToken, string Token)> GenerateAsync(AuthTestHost host, string email = "ott@example.com")
    {
        var client = host.Client();
        var session = (await client.SignUpAsync(email))["token"]!.GetValue<string>();
        var r = await client.GetAsync("/one-time-token/generate");
        Assert.Equal(200, r.Status);
        return (client, session, r.Json!["token"]!.GetValue<string>());
    }

    [Fact]
    public async Task Generate_StoresTheTokenAsBetterAuthDoes_ForThreeMinutes()
    {
        await using var host = await StartAsync();
        var (_, session, token) = await GenerateAsync(host);
        Assert.Matches("^[A-Za-z0-9_-]{32}$", token);
        var row = await host.WithDbAsync(db => db.Verifications.SingleAsync());
        Assert.Equal(($"one-time-token:{token}", session, host.Runtime.Now.AddMinutes(3)), (row.Identifier, row.Value, row.ExpiresAt));
    }

    [Fact]
    public async Task Generate_NeedsASession()
    {
        await using var host = await StartAsync();
        var r = await host.Client().GetAsync("/one-time-token/generate");
        Assert.Equal((401, ""), (r.Status, r.Text));
    }

    [Fact]
    public async Task Verify_AnswersTheSession_Once_AndSetsNoCookie()
    {
        await using var host = await StartAsync();
        var (_, session, token) = await GenerateAsync(host);
        var elsewhere = host.Client();
        var r = await elsewhere.PostAsync("/one-time-token/verify", new { token });
        Assert.Equal(200, r.Status);
        Assert.Equal(["session", "user"], r.Json!.AsObject().Select(p => p.Key).ToArray());
        Assert.Equal((session, "ott@example.com"), (r.Json!["session"]!["token"]!.GetValue<string>(), r.Json!["user"]!["email"]!.GetValue<string>()));
        Assert.Empty(r.SetCookies); // as Better Auth 1.2.12: the caller decides what to do with the session

        var again = await elsewhere.PostAsync("/one-time-token/verify", new { token });
        Assert.Equal((400, "INVALID_TOKEN", "Invalid token"), (again.Status, again.Code, again.Json!["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Verify_ConcurrentUses_SucceedOnce()
    {
        await using var host = await StartAsync();
        var (_, _, token) = await GenerateAsync(host);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => host.Client().PostAsync("/one-time-token/verify", new { token })));
        Assert.Single(results, r => r.Status == 200);
        Assert.All(results.Where(r => r.Status != 200), r => Assert.Equal("INVALID_TOKEN", r.Code));
    }

    [Fact]
    public async Task Verify_ExpiredToken_IsTokenExpired_ThenInvalid()
    {
        await using var host = await StartAsync(o => o.ExpiresIn = 1);
        var (_, _, token) = await GenerateAsync(host);
        host.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal((400, "TOKEN_EXPIRED"), await CodeAsync(host, token));
        Assert.Equal((400, "INVALID_TOKEN"), await CodeAsync(host, token));
    }

    [Fact]
    public async Task Verify_ASessionThatExpiredMeanwhile_IsNotHandedOut()
    {
        // Better Auth 1.2.12 answers an expired session, token included.
        await using var host = await StartAsync();
        var (_, session, token) = await GenerateAsync(host);
        await host.WithDbAsync(db => db.Sessions.Where(s => s.Token == session)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ExpiresAt, host.Runtime.Now.AddSeconds(-1))));
        var r = await host.Client().PostAsync("/one-time-token/verify", new { token });
        Assert.Equal((400, "SESSION_EXPIRED", "Session expired"), (r.Status, r.Code, r.Json!["message"]!.GetValue<string>()));
        Assert.DoesNotContain(session, r.Text);
    }

    [Fact]
    public async Task Verify_ASessionThatEnded_IsSessionNotFound()
    {
        await using var host = await StartAsync();
        var (client, _, token) = await GenerateAsync(host);
        Assert.Equal(200, (await client.PostAsync("/sign-out")).Status);
        Assert.Equal((400, "SESSION_NOT_FOUND"), await CodeAsync(host, token));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"token\":5}")]
    [InlineData("[]")]
    public async Task Verify_BadBody_IsAValidationError(string body)
    {
        await using var host = await StartAsync();
        var r = await host.Client().PostRawAsync("/one-time-token/verify", body);
        Assert.Equal((400, "VALIDATION_ERROR"), (r.Status, r.Code));
    }

    [Fact]
    public async Task DisableClientRequest_RefusesClients_ButNotTheHostsOwnCalls()
    {
        await using var host = await ProtectedAppHost.StartAsync(o => o.Plugins.Add(new OneTimeTokenPlugin(new OneTimeTokenOptions { DisableClientRequest = true })));
        var (client, _) = await host.UserAsync("server@example.com");
        var r = await client.GetAsync("/one-time-token/generate");
        Assert.Equal((400, "CLIENT_REQUESTS_ARE_DISABLED"), (r.Status, r.Code));

        var signIn = await host.Api.SignInEmailAsync("server@example.com", "password123");
        var made = await host.Api.InvokeAsync("GET", "/one-time-token/generate", headers: signIn.Response.SessionHeaders());
        Assert.Equal(200, made.Status);
        var token = made.Json!.Value.GetProperty("token").GetString();
        var verified = await host.Client().PostAsync("/one-time-token/verify", new { token });
        Assert.Equal(signIn.Data.Token, verified.Json!["session"]!["token"]!.GetValue<string>());
    }

    [Fact]
    public async Task GenerateToken_MakesTheToken()
    {
        await using var host = await StartAsync(o => o.GenerateToken = s => "ott-" + s.User.Email + "-" + Guid.NewGuid().ToString("N"));
        var (_, _, token) = await GenerateAsync(host, "custom@example.com");
        Assert.StartsWith("ott-custom@example.com-", token);
        Assert.Equal(200, (await host.Client().PostAsync("/one-time-token/verify", new { token })).Status);
    }

    private static async Task<(int, string?)> CodeAsync(AuthTestHost host, string token)
    {
        var r = await host.Client().PostAsync("/one-time-token/verify", new { token });
        return (r.Status, r.Code);
    }
}
