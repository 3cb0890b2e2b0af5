using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Plugins.EmailOtp;

public sealed class EmailOtpVerificationAndResetTests
{
    [Fact]
    public async Task VerifyEmail_MarksVerified_WithoutSessionByDefault()
    {
        await using var host = await EmailOtpTestHost.StartAsync();
        await host.Client().SignUpAsync("verify@example.com");
        var otp = await host.SendOtpAsync("verify@example.com", "email-verification");
        var r = await host.Client().PostAsync("/email-otp/verify-email", new { email = "verify@example.com", otp });
        Assert.Equal(200, r.Status);
        Assert.Equal(["status", "token", "user"], r.Json!.AsObject().Select(p => p.Key).ToArray());
        Assert.Null(r.Json!["token"]);
        Assert.True(r.Json!["user"]!["emailVerified"]!.GetValue<bool>());
        Assert.Empty(r.SetCookies);
        Assert.Equal("INVALID_OTP", (await host.Client().PostAsync("/email-otp/verify-email", new { email = "verify@example.com", otp })).Code);
    }

    [Fact]
    public async Task VerifyEmail_AutoSignInAfterVerification_IssuesSession()
    {
        await using var host = await EmailOtpTestHost.StartAsync(auth: o => o.EmailVerification.AutoSignInAfterVerification = true);
        await host.Client().SignUpAsync("auto@example.com");
        var otp = await host.SendOtpAsync("auto@example.com", "email-verification");
        var client = host.Client();
        var r = await client.PostAsync("/email-otp/verify-email", new { email = "auto@example.com", otp });
        Assert.Equal(200, r.Status);
        Assert.Equal(r.Json!["token"]!.GetValue<string>(), (await client.GetAsync("/get-session")).Json!["session"]!["token"]!.GetValue<string>());
    }

    [Fact]
    public async Task VerifyEmail_BadEmailUnknownUserWrongAndExpiredCode_AreRefused()
    {
        await using var host = await EmailOtpTestHost.StartAsync();
        Assert.Equal("INVALID_EMAIL", (await host.Client().PostAsync("/email-otp/verify-email", new { email = "nope", otp = "123456" })).Code);

        var otp = await host.SendOtpAsync("nobody@example.com", "email-verification");
        var unknown = await host.Client().PostAsync("/email-otp/verify-email", new { email = "nobody@example.com", otp });
        Assert.Equal((400, "USER_NOT_FOUND"), (unknown.Status, unknown.Code));

        await host.Client().SignUpAsync("v2@example.com");
        otp = await host.SendOtpAsync("v2@example.com", "email-verification");
        Assert.Equal("INVALID_OTP", (await host.Client().PostAsync("/email-otp/verify-email", new { email = "v2@example.com", otp = EmailOtpTestHost.Wrong(otp) })).Code);
        // A sign-in code is not an email-verification code.
        var signInOtp = await host.SendOtpAsync("v2@example.com", "sign-in");
        if (signInOtp != otp)
            Assert.Equal("INVALID_OTP", (await host.Client().PostAsync("/email-otp/verify-email", new { email = "v2@example.com", otp = signInOtp })).Code);
        host.Clock.Advance(TimeSpan.FromMinutes(5).Add(TimeSpan.FromSeconds(1)));
        Assert.Equal("OTP_EXPIRED", (await host.Client().PostAsync("/email-otp/verify-email", new { email = "v2@example.com", otp })).Code);
    }

    [Fact]
    public async Task ForgetPassword_KnownEmailGetsCode_UnknownIs400_SendEndpointStaysSilent()
    {
        await using var host = await EmailOtpTestHost.StartAsync();
        await host.Client().SignUpAsync("fp@example.com");
        var r = await host.Client().PostAsync("/forget-password/email-otp", new { email = "fp@example.com" });
        Assert.Equal("{\"success\":true}", r.Text);
        var mail = Assert.Single(host.Outbox.Messages);
        Assert.Equal(("email-otp:forget-password", "forget-password"), (mail.Kind, mail.Data["type"]));

        var unknown = await host.Client().PostAsync("/forget-password/email-otp", new { email = "ghost@example.com" });
        Assert.Equal((400, "USER_NOT_FOUND"), (unknown.Status, unknown.Code));
        // The send endpoint answers the same for unknown emails and sends nothing.
        var silent = await host.Client().PostAsync("/email-otp/send-verification-otp", new { email = "ghost@example.com", type = "forget-password" });
        Assert.Equal("{\"success\":true}", silent.Text);
        Assert.Equal(1, host.MessageCount());
    }

    [Fact]
    public async Task ResetPassword_SetsPasswordAndVerifiesEmail_CodeIsSingleUse()
    {
        await using var host = await EmailOtpTestHost.StartAsync();
        await host.Client().SignUpAsync("reset@example.com");
        await host.Client().PostAsync("/forget-password/email-otp", new { email = "reset@example.com" });
        var otp = host.LastOtp("reset@example.com", "forget-password");

        var r = await host.Client().PostAsync("/email-otp/reset-password", new { email = "reset@example.com", otp, password = "brand-new-password" });
        Assert.Equal(200, r.Status);
        Assert.Equal("{\"success\":true}", r.Text);
        var signIn = await host.Client().SignInAsync("reset@example.com", "brand-new-password");
        Assert.True(signIn["user"]!["emailVerified"]!.GetValue<bool>());

        var replay = await host.Client().PostAsync("/email-otp/reset-password", new { email = "reset@example.com", otp, password = "attacker-password" });
        Assert.Equal((400, "INVALID_OTP"), (replay.Status, replay.Code));
    }

    [Fact]
    public async Task ResetPassword_UserWithoutPassword_GetsCredentialAccount()
    {
        await using var host = await EmailOtpTestHost.StartAsync();
        var otp = await host.SendOtpAsync("otp-only@example.com", "sign-in");
        await host.Client().PostAsync("/sign-in/email-otp", new { email = "otp-only@example.com", otp });
        otp = await host.SendOtpAsync("otp-only@example.com", "forget-password");
        Assert.Equal(200, (await host.Client().PostAsync("/email-otp/reset-password", new { email = "otp-only@example.com", otp, password = "first-password" })).Status);
        await host.Client().SignInAsync("otp-only@example.com", "first-password");
    }

    [Fact]
    public async Task ResetPassword_LengthRulesUnknownUserWrongAndExpired_AreRefused()
    {
        await using var host = await EmailOtpTestHost.StartAsync();
        Assert.Equal("USER_NOT_FOUND", (await host.Client().PostAsync("/email-otp/reset-password", new { email = "ghost@example.com", otp = "1", password = "long-password" })).Code);
        await host.Client().SignUpAsync("rules@example.com");
        var otp = await host.SendOtpAsync("rules@example.com", "forget-password");
        for (var i = 0; i < 4; i++) // refused passwords do not use up attempts
            Assert.Equal("PASSWORD_TOO_SHORT", (await host.Client().PostAsync("/email-otp/reset-password", new { email = "rules@example.com", otp, password = "short" })).Code);
        Assert.Equal("PASSWORD_TOO_LONG", (await host.Client().PostAsync("/email-otp/reset-password", new { email = "rules@example.com", otp, password = new string('p', 129) })).Code);
        Assert.Equal("INVALID_OTP", (await host.Client().PostAsync("/email-otp/reset-password", new { email = "rules@example.com", otp = EmailOtpTestHost.Wrong(otp), password = "long-password" })).Code);
        host.Clock.Advance(TimeSpan.FromSeconds(301));
        Assert.Equal("OTP_EXPIRED", (await host.Client().PostAsync("/email-otp/reset-password", new { email = "rules@example.com", otp, password = "long-password" })).Code);
        await host.Client().SignInAsync("rules@example.com", "password123");
        Assert.Equal("VALIDATION_ERROR", (await host.Client().PostAsync("/email-otp/reset-password", new { email = "rules@example.com", otp })).Code);
    }

    [Fact]
    public async Task SendVerificationOnSignUp_MailsAVerificationCode_OnlyWhenEnabled()
    {
        await using var off = await EmailOtpTestHost.StartAsync();
        await off.Client().SignUpAsync("quiet@example.com");
        Assert.Empty(off.Outbox.Messages);

        await using var host = await EmailOtpTestHost.StartAsync(o => o.SendVerificationOnSignUp = true);
        await host.Client().SignUpAsync("Loud@Example.com");
        var otp = host.LastOtp("loud@example.com", "email-verification");
        var r = await host.Client().PostAsync("/email-otp/verify-email", new { email = "loud@example.com", otp });
        Assert.True(r.Json!["user"]!["emailVerified"]!.GetValue<bool>());

        // A refused sign-up sends nothing.
        Assert.Equal(422, (await host.Client().PostAsync("/sign-up/email", new { email = "loud@example.com", password = "password123", name = "Again" })).Status);
        Assert.Equal(1, host.MessageCount());
    }
}
