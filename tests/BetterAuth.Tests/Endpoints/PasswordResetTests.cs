using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Endpoints;

public sealed class PasswordResetTests
{
    [Theory]
    [InlineData("/request-password-reset")]
    [InlineData("/forget-password")]
    public async Task RequestReset_KnownAndUnknownEmail_AnswerTheSame(string path)
    {
        await using var host = await AuthTestHost.StartAsync();
        await host.Client().SignUpAsync("reset@example.com");
        var known = await host.Client().PostAsync(path, new { email = "reset@example.com", redirectTo = "/new-password" });
        var unknown = await host.Client().PostAsync(path, new { email = "ghost@example.com", redirectTo = "/new-password" });
        Assert.Equal(200, known.Status);
        Assert.Equal(known.Text, unknown.Text);
        var mail = Assert.Single(host.Outbox.Messages);
        Assert.Equal("reset-password", mail.Kind);
        Assert.Matches("^[a-zA-Z0-9]{24}$", mail.Token);
        Assert.Equal($"http://localhost/api/auth/reset-password/{mail.Token}?callbackURL=%2Fnew-password", mail.Url);
    }

    [Fact]
    public async Task RequestReset_InvalidEmailOrNoSender_Returns400()
    {
        await using var host = await AuthTestHost.StartAsync();
        Assert.Equal("VALIDATION_ERROR", (await host.Client().PostAsync("/request-password-reset", new { email = "nope" })).Code);
        await using var silent = await AuthTestHost.StartAsync(withSender: false);
        Assert.Equal("RESET_PASSWORD_ISNT_ENABLED", (await silent.Client().PostAsync("/request-password-reset", new { email = "a@example.com" })).Code);
    }

    [Fact]
    public async Task ResetLink_RedirectsWithTokenOrError()
    {
        await using var host = await AuthTestHost.StartAsync();
        await host.Client().SignUpAsync("link@example.com");
        await host.Client().PostAsync("/request-password-reset", new { email = "link@example.com", redirectTo = "/new-password" });
        var token = host.Outbox.Last("reset-password")!.Token;

        var ok = await host.Client().GetAsync($"/reset-password/{token}?callbackURL=%2Fnew-password");
        Assert.Equal(302, ok.Status);
        Assert.Equal($"http://localhost/new-password?token={token}", ok.Message.Headers.Location!.ToString());
        var bad = await host.Client().GetAsync("/reset-password/not-a-token?callbackURL=%2Fnew-password");
        Assert.Equal("http://localhost/new-password?error=INVALID_TOKEN", bad.Message.Headers.Location!.ToString());
        var empty = await host.Client().GetAsync($"/reset-password/{token}?callbackURL=");
        Assert.Equal("http://localhost/api/auth/error?error=INVALID_TOKEN", empty.Message.Headers.Location!.ToString());
        Assert.Equal(400, (await host.Client().GetAsync($"/reset-password/{token}")).Status);
        Assert.Equal(403, (await host.Client().GetAsync($"/reset-password/{token}?callbackURL=https://evil.example.com/")).Status);
    }

    [Fact]
    public async Task ResetPassword_ChangesPassword_TokenIsSingleUse()
    {
        await using var host = await AuthTestHost.StartAsync();
        await host.Client().SignUpAsync("once@example.com");
        await host.Client().PostAsync("/request-password-reset", new { email = "once@example.com" });
        var token = host.Outbox.Last("reset-password")!.Token;

        Assert.Equal("PASSWORD_TOO_SHORT", (await host.Client().PostAsync("/reset-password", new { newPassword = "short", token })).Code);
        var r = await host.Client().PostAsync("/reset-password", new { newPassword = "a-new-password", token });
        Assert.Equal(200, r.Status);
        Assert.Equal("{\"status\":true}", r.Text);
        await host.Client().SignInAsync("once@example.com", "a-new-password");
        Assert.Equal(401, (await host.Client().PostAsync("/sign-in/email", new { email = "once@example.com", password = "password123" })).Status);

        var again = await host.Client().PostAsync("/reset-password", new { newPassword = "another-password", token });
        Assert.Equal(400, again.Status);
        Assert.Equal("INVALID_TOKEN", again.Code);
        Assert.Equal("invalid token", again.Json!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task ResetPassword_ExpiredForgedMissing_AreRefused()
    {
        await using var host = await AuthTestHost.StartAsync();
        await host.Client().SignUpAsync("late@example.com");
        await host.Client().PostAsync("/request-password-reset", new { email = "late@example.com" });
        var token = host.Outbox.Last("reset-password")!.Token;
        Assert.Equal("INVALID_TOKEN", (await host.Client().PostAsync("/reset-password", new { newPassword = "a-new-password" })).Code);
        Assert.Equal("INVALID_TOKEN", (await host.Client().PostAsync("/reset-password", new { newPassword = "a-new-password", token = "forged" })).Code);
        host.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        Assert.Equal("INVALID_TOKEN", (await host.Client().PostAsync($"/reset-password?token={token}", new { newPassword = "a-new-password" })).Code);
    }

    [Fact]
    public async Task ResetPassword_ConcurrentUse_OnlyOneSucceeds()
    {
        await using var host = await AuthTestHost.StartAsync();
        await host.Client().SignUpAsync("race@example.com");
        await host.Client().PostAsync("/request-password-reset", new { email = "race@example.com" });
        var token = host.Outbox.Last("reset-password")!.Token;
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            host.Client().PostAsync("/reset-password", new { newPassword = $"new-password-{i}", token })));
        Assert.Equal(1, results.Count(r => r.Status == 200));
    }

    [Fact]
    public async Task ResetPassword_RevokeSessionsOption_EndsSessions()
    {
        await using var host = await AuthTestHost.StartAsync(o => o.EmailAndPassword.RevokeSessionsOnPasswordReset = true);
        var client = host.Client();
        await client.SignUpAsync("revoke@example.com");
        await host.Client().PostAsync("/request-password-reset", new { email = "revoke@example.com" });
        await host.Client().PostAsync("/reset-password", new { newPassword = "a-new-password", token = host.Outbox.Last("reset-password")!.Token });
        Assert.Equal("null", (await client.GetAsync("/get-session")).Text);
    }
}
