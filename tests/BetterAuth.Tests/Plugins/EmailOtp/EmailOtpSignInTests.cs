using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Plugins.EmailOtp;

public sealed class EmailOtpSignInTests
{
    [Fact]
    public async Task SendOtp_StoresCodeUnderTypeAndEmail_AndMailsIt()
    {
        await using var host = await EmailOtpTestHost.StartAsync();
        var otp = await host.SendOtpAsync("new@example.com", "sign-in");
        var mail = Assert.Single(host.Outbox.Messages);
        Assert.Equal(("email-otp:sign-in", "new@example.com"), (mail.Kind, mail.To));
        Assert.Equal("sign-in", mail.Data["type"]);
        Assert.Matches("^[0-9]{6}$", otp);
        var row = await host.WithDbAsync(db => Task.FromResult(db.Verifications.Single()));
        Assert.Equal(("sign-in-otp-new@example.com", otp + ":0"), (row.Identifier, row.Value));
        Assert.Equal(host.Runtime.Now.AddSeconds(300), row.ExpiresAt);
    }

    [Fact]
    public async Task SignIn_UnknownEmail_CreatesVerifiedUserWithEmptyName()
    {
        await using var host = await EmailOtpTestHost.StartAsync();
        var otp = await host.SendOtpAsync("fresh@example.com", "sign-in");
        var client = host.Client();
        var r = await client.PostAsync("/sign-in/email-otp", new { email = "fresh@example.com", otp });
        Assert.Equal(200, r.Status);
        Assert.Equal(["token", "user"], r.Json!.AsObject().Select(p => p.Key).ToArray());
        var user = r.Json!["user"]!.AsObject();
        Assert.Equal(["id", "email", "name", "image", "emailVerified", "createdAt", "updatedAt"], user.Select(p => p.Key).ToArray());
        Assert.Equal("", user["name"]!.GetValue<string>());
        Assert.True(user["emailVerified"]!.GetValue<bool>());
        Assert.NotNull(r.Cookie("better-auth.session_token"));
        Assert.Equal("fresh@example.com", (await client.GetAsync("/get-session")).Json!["user"]!["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task SignIn_KnownUnverifiedUser_IsVerified_AnswerShowsTheRowAsRead()
    {
        await using var host = await EmailOtpTestHost.StartAsync();
        await host.Client().SignUpAsync("known@example.com");
        var otp = await host.SendOtpAsync("known@example.com", "sign-in");
        var client = host.Client();
        var r = await client.PostAsync("/sign-in/email-otp", new { email = "known@example.com", otp });
        Assert.Equal(200, r.Status);
        Assert.False(r.Json!["user"]!["emailVerified"]!.GetValue<bool>()); // as Better Auth: the row read before the update
        Assert.True((await client.GetAsync("/get-session")).Json!["user"]!["emailVerified"]!.GetValue<bool>());
        Assert.Equal(1, await host.WithDbAsync(db => Task.FromResult(db.Users.Count())));
    }

    [Fact]
    public async Task SignIn_EmailIsMatchedAsTyped()
    {
        await using var host = await EmailOtpTestHost.StartAsync();
        var otp = await host.SendOtpAsync("Mixed@Example.com", "sign-in");
        Assert.Equal("INVALID_OTP", (await host.Client().PostAsync("/sign-in/email-otp", new { email = "mixed@example.com", otp })).Code);
        var r = await host.Client().PostAsync("/sign-in/email-otp", new { email = "Mixed@Example.com", otp });
        Assert.Equal("mixed@example.com", r.Json!["user"]!["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task DisableSignUp_UnknownEmailGetsNoCode_AndCannotSignUp()
    {
        await using var host = await EmailOtpTestHost.StartAsync(o => o.DisableSignUp = true, auth: o => o.User.DeleteUser.Enabled = true);
        var r = await host.Client().PostAsync("/email-otp/send-verification-otp", new { email = "ghost@example.com", type = "sign-in" });
        Assert.Equal("{\"success\":true}", r.Text);
        Assert.Empty(host.Outbox.Messages);

        // A user who existed when the code was sent, deleted before using it: no account is made for them.
        var client = host.Client();
        await client.SignUpAsync("gone@example.com");
        var otp = await host.SendOtpAsync("gone@example.com", "sign-in");
        Assert.Equal(200, (await client.PostAsync("/delete-user", new { password = "password123" })).Status);
        var signIn = await host.Client().PostAsync("/sign-in/email-otp", new { email = "gone@example.com", otp });
        Assert.Equal((400, "USER_NOT_FOUND"), (signIn.Status, signIn.Code));
        Assert.Equal(0, await host.WithDbAsync(db => Task.FromResult(db.Users.Count())));
    }

    [Fact]
    public async Task SignIn_WrongCodes_CountAttempts_ThenTooManyDiscardsTheCode()
    {
        await using var host = await EmailOtpTestHost.StartAsync();
        var otp = await host.SendOtpAsync("tries@example.com", "sign-in");
        for (var i = 0; i < 3; i++)
        {
            var r = await host.Client().PostAsync("/sign-in/email-otp", new { email = "tries@example.com", otp = EmailOtpTestHost.Wrong(otp) });
            Assert.Equal((400, "INVALID_OTP"), (r.Status, r.Code));
        }
        var blocked = await host.Client().PostAsync("/sign-in/email-otp", new { email = "tries@example.com", otp });
        Assert.Equal((403, "TOO_MANY_ATTEMPTS"), (blocked.Status, blocked.Code));
        Assert.Equal("Too many attempts", blocked.Json!["message"]!.GetValue<string>());
        Assert.Equal("INVALID_OTP", (await host.Client().PostAsync("/sign-in/email-otp", new { email = "tries@example.com", otp })).Code);
        Assert.Equal(0, await host.WithDbAsync(db => Task.FromResult(db.Users.Count())));
    }

    [Fact]
    public async Task SignIn_ExpiredOrMissingCode_IsRefused()
    {
        await using var host = await EmailOtpTestHost.StartAsync();
        Assert.Equal("INVALID_OTP", (await host.Client().PostAsync("/sign-in/email-otp", new { email = "late@example.com", otp = "123456" })).Code);
        var otp = await host.SendOtpAsync("late@example.com", "sign-in");
        host.Clock.Advance(TimeSpan.FromSeconds(301));
        var r = await host.Client().PostAsync("/sign-in/email-otp", new { email = "late@example.com", otp });
        Assert.Equal(400, r.Status);
        Assert.Equal("{\"code\":\"OTP_EXPIRED\",\"message\":\"otp expired\"}", r.Text);
        Assert.Equal("VALIDATION_ERROR", (await host.Client().PostAsync("/sign-in/email-otp", new { email = "late@example.com" })).Code);
    }

    [Fact]
    public async Task SignIn_ConcurrentUsesOfOneCode_ExactlyOneSucceeds()
    {
        await using var host = await EmailOtpTestHost.StartAsync();
        var otp = await host.SendOtpAsync("race@example.com", "sign-in");
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            host.Client().PostAsync("/sign-in/email-otp", new { email = "race@example.com", otp })));
        Assert.Single(results, r => r.Status == 200);
        Assert.All(results.Where(r => r.Status != 200), r => Assert.Equal("INVALID_OTP", r.Code));
        Assert.Equal(1, await host.WithDbAsync(db => Task.FromResult(db.Sessions.Count())));
    }

    [Fact]
    public async Task SendOtp_InvalidInput_AndNoSender_AreRefused()
    {
        await using var host = await EmailOtpTestHost.StartAsync();
        var bad = await host.Client().PostAsync("/email-otp/send-verification-otp", new { email = "not-an-email", type = "sign-in" });
        Assert.Equal((400, "INVALID_EMAIL"), (bad.Status, bad.Code));
        Assert.Equal("INVALID_EMAIL", (await host.Client().PostAsync("/email-otp/send-verification-otp", new { email = "a@b.co\n", type = "sign-in" })).Code);
        Assert.Equal("VALIDATION_ERROR", (await host.Client().PostAsync("/email-otp/send-verification-otp", new { email = "a@example.com", type = "magic" })).Code);
        Assert.Equal("VALIDATION_ERROR", (await host.Client().PostAsync("/email-otp/send-verification-otp", new { email = "a@example.com" })).Code);
        Assert.Empty(host.Outbox.Messages);

        await using var silent = await EmailOtpTestHost.StartAsync(withSender: false);
        var r = await silent.Client().PostAsync("/email-otp/send-verification-otp", new { email = "a@example.com", type = "sign-in" });
        Assert.Equal((400, "SEND_EMAIL_VERIFICATION_IS_NOT_IMPLEMENTED"), (r.Status, r.Code));
    }

    [Fact]
    public async Task Options_LengthExpiryAttemptsAndGenerator_Apply()
    {
        await using var host = await EmailOtpTestHost.StartAsync(o => { o.OtpLength = 8; o.ExpiresIn = 60; o.AllowedAttempts = 1; });
        var otp = await host.SendOtpAsync("opt@example.com", "sign-in");
        Assert.Matches("^[0-9]{8}$", otp);
        Assert.Equal(host.Runtime.Now.AddSeconds(60), await host.WithDbAsync(db => Task.FromResult(db.Verifications.Single().ExpiresAt)));
        await host.Client().PostAsync("/sign-in/email-otp", new { email = "opt@example.com", otp = "00000000" == otp ? "11111111" : "00000000" });
        Assert.Equal("TOO_MANY_ATTEMPTS", (await host.Client().PostAsync("/sign-in/email-otp", new { email = "opt@example.com", otp })).Code);

        await using var custom = await EmailOtpTestHost.StartAsync(o => o.GenerateOtp = (email, type) => $"{type.Length}{email.Length}");
        Assert.Equal("716", await custom.SendOtpAsync("c@example.com".PadLeft(16, 'x'), "sign-in"));
    }

    [Fact]
    public async Task RateLimit_EachOtpPathAllowsThreePerMinute()
    {
        await using var host = await EmailOtpTestHost.StartAsync(auth: o => o.RateLimit.Enabled = true);
        var client = host.Client();
        for (var i = 0; i < 3; i++)
            Assert.Equal(200, (await client.PostAsync("/email-otp/send-verification-otp", new { email = "rl@example.com", type = "sign-in" })).Status);
        var limited = await client.PostAsync("/email-otp/send-verification-otp", new { email = "rl@example.com", type = "sign-in" });
        Assert.Equal(429, limited.Status);
        Assert.Equal("60", limited.Header("X-Retry-After"));
        // A separate counter per path.
        Assert.Equal(400, (await client.PostAsync("/email-otp/verify-email", new { email = "rl@example.com", otp = "1" })).Status);
        host.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(200, (await client.PostAsync("/email-otp/send-verification-otp", new { email = "rl@example.com", type = "sign-in" })).Status);
    }
}
