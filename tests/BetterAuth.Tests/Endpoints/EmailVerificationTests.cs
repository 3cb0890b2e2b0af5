using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Endpoints;

public sealed class EmailVerificationTests
{
    private static string PathAndQuery(string url) => new Uri(url).PathAndQuery;

    [Fact]
    public async Task SendVerificationEmail_WithoutSession_IsUniformAndMailsOnlyKnownAddresses()
    {
        await using var host = await AuthTestHost.StartAsync();
        await host.Client().SignUpAsync("known@example.com");
        var unknown = await host.Client().PostAsync("/send-verification-email", new { email = "unknown@example.com" });
        var known = await host.Client().PostAsync("/send-verification-email", new { email = "known@example.com", callbackURL = "/welcome" });
        Assert.Equal(unknown.Text, known.Text);
        Assert.Equal("{\"status\":true}", known.Text);
        var mail = Assert.Single(host.Outbox.Messages);
        Assert.Equal("verify-email", mail.Kind);
        Assert.Equal("known@example.com", mail.To);
        Assert.Equal($"http://localhost/api/auth/verify-email?token={mail.Token}&callbackURL=/welcome", mail.Url);
        Assert.Equal(3, mail.Token!.Split('.').Length);
    }

    [Fact]
    public async Task SendVerificationEmail_WithSession_RefusesVerifiedOrForeignAddress()
    {
        await using var host = await AuthTestHost.StartAsync();
        var client = host.Client();
        await client.SignUpAsync("me@example.com");
        var other = await client.PostAsync("/send-verification-email", new { email = "someone@example.com" });
        Assert.Equal(400, other.Status);
        Assert.Equal("YOU_CAN_ONLY_SEND_A_VERIFICATION_EMAIL_TO_YOUR_OWN_EMAIL", other.Code);
        Assert.Equal(200, (await client.PostAsync("/send-verification-email", new { email = "me@example.com" })).Status);
        await client.GetAsync(PathAndQuery(host.Outbox.Last("verify-email")!.Url!));
        var verified = await client.PostAsync("/send-verification-email", new { email = "me@example.com" });
        Assert.Equal("YOU_CAN_ONLY_SEND_A_VERIFICATION_EMAIL_TO_AN_UNVERIFIED_EMAIL", verified.Code);
    }

    [Fact]
    public async Task SendVerificationEmail_WithoutSender_Returns400()
    {
        await using var host = await AuthTestHost.StartAsync(withSender: false);
        var r = await host.Client().PostAsync("/send-verification-email", new { email = "x@example.com" });
        Assert.Equal(400, r.Status);
        Assert.Equal("VERIFICATION_EMAIL_ISNT_ENABLED", r.Code);
    }

    [Fact]
    public async Task VerifyEmail_ValidToken_MarksVerified()
    {
        await using var host = await AuthTestHost.StartAsync();
        var client = host.Client();
        await client.SignUpAsync("v@example.com");
        await host.Client().PostAsync("/send-verification-email", new { email = "v@example.com" });
        var token = host.Outbox.Last("verify-email")!.Token!;
        var r = await host.Client().GetAsync($"/verify-email?token={token}");
        Assert.Equal(200, r.Status);
        Assert.Equal("{\"status\":true,\"user\":null}", r.Text);
        Assert.True((await client.GetAsync("/get-session?disableCookieCache=true")).Json!["user"]!["emailVerified"]!.GetValue<bool>());
    }

    [Fact]
    public async Task VerifyEmail_WithCallback_RedirectsAndAutoSignsIn()
    {
        await using var host = await AuthTestHost.StartAsync(o => o.EmailVerification.AutoSignInAfterVerification = true);
        await host.Client().SignUpAsync("auto@example.com");
        await host.Client().PostAsync("/send-verification-email", new { email = "auto@example.com", callbackURL = "/done" });
        var fresh = host.Client();
        var r = await fresh.GetAsync(PathAndQuery(host.Outbox.Last("verify-email")!.Url!));
        Assert.Equal(302, r.Status);
        Assert.Equal("/done", r.Message.Headers.Location!.OriginalString);
        Assert.NotNull(r.Cookie("better-auth.session_token"));
        Assert.Equal("auto@example.com", (await fresh.GetAsync("/get-session")).Json!["user"]!["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task VerifyEmail_ExpiredForgedOrUntrusted_IsRefused()
    {
        await using var host = await AuthTestHost.StartAsync();
        await host.Client().SignUpAsync("e@example.com");
        await host.Client().PostAsync("/send-verification-email", new { email = "e@example.com" });
        var token = host.Outbox.Last("verify-email")!.Token!;

        var forged = await host.Client().GetAsync($"/verify-email?token={token[..^3]}abc");
        Assert.Equal(401, forged.Status);
        Assert.Equal("INVALID_TOKEN", forged.Code);
        Assert.Equal("invalid_token", forged.Json!["message"]!.GetValue<string>());

        var untrusted = await host.Client().GetAsync($"/verify-email?token={token}&callbackURL=https://evil.example.com");
        Assert.Equal(403, untrusted.Status);

        host.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        var expired = await host.Client().GetAsync($"/verify-email?token={token}&callbackURL=/x?a=1");
        Assert.Equal(302, expired.Status);
        Assert.Equal("/x?a=1&error=token_expired", expired.Message.Headers.Location!.OriginalString);
        Assert.Equal(400, (await host.Client().GetAsync("/verify-email")).Status);
    }

    [Fact]
    public async Task SignUp_WithRequireEmailVerification_MailsLinkAndSignInResendsIt()
    {
        await using var host = await AuthTestHost.StartAsync(o => o.EmailAndPassword.RequireEmailVerification = true);
        await host.Client().PostAsync("/sign-up/email", new { email = "req@example.com", password = "password123", name = "R", callbackURL = "/home" });
        Assert.EndsWith("&callbackURL=/home", host.Outbox.Last("verify-email")!.Url);
        var r = await host.Client().PostAsync("/sign-in/email", new { email = "req@example.com", password = "password123" });
        Assert.Equal(403, r.Status);
        Assert.Equal(2, host.Outbox.Messages.Count);
        await host.Client().GetAsync($"/verify-email?token={host.Outbox.Last("verify-email")!.Token}");
        await host.Client().SignInAsync("req@example.com");
    }
}
