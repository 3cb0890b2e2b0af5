using BetterAuth.Plugins.PhoneNumber;
using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Plugins.PhoneNumber;

public sealed class PhonePasswordResetTests
{
    [Theory]
    [InlineData("/phone-number/request-password-reset")]
    [InlineData("/phone-number/forget-password")]
    public async Task RequestReset_RegisteredNumberGetsCode_UnregisteredIs400(string path)
    {
        await using var host = await PhoneTestHost.StartAsync();
        await host.SignUpWithPhoneAsync("reset@example.com");
        var r = await host.Client().PostAsync(path, new { phoneNumber = PhoneTestHost.Phone });
        Assert.Equal(200, r.Status);
        Assert.Equal("{\"status\":true}", r.Text);
        var sms = Assert.Single(host.Outbox.Messages);
        Assert.Equal(("phone-reset-password-otp", PhoneTestHost.Phone), (sms.Kind, sms.To));
        Assert.Equal(PhoneTestHost.Phone + "-request-password-reset",
            await host.WithDbAsync(db => Task.FromResult(db.Verifications.Single().Identifier)));

        var unknown = await host.Client().PostAsync(path, new { phoneNumber = PhoneTestHost.OtherPhone });
        Assert.Equal(400, unknown.Status);
        Assert.Equal("PHONE_NUMBER_ISNT_REGISTERED", unknown.Code);
    }

    [Fact]
    public async Task ResetPassword_ChangesPassword_CodeIsSingleUse()
    {
        await using var host = await PhoneTestHost.StartAsync();
        await host.SignUpWithPhoneAsync("once@example.com");
        await host.Client().PostAsync("/phone-number/request-password-reset", new { phoneNumber = PhoneTestHost.Phone });
        var otp = host.LastCode(PhoneCodes.ResetKind, PhoneTestHost.Phone);

        var r = await host.Client().PostAsync("/phone-number/reset-password", new { phoneNumber = PhoneTestHost.Phone, otp, newPassword = "brand-new-password" });
        Assert.Equal(200, r.Status);
        Assert.Equal("{\"status\":true}", r.Text);
        Assert.Equal(200, (await host.Client().PostAsync("/sign-in/phone-number", new { phoneNumber = PhoneTestHost.Phone, password = "brand-new-password" })).Status);
        Assert.Equal(401, (await host.Client().PostAsync("/sign-in/phone-number", new { phoneNumber = PhoneTestHost.Phone, password = "password123" })).Status);

        var replay = await host.Client().PostAsync("/phone-number/reset-password", new { phoneNumber = PhoneTestHost.Phone, otp, newPassword = "attacker-password" });
        Assert.Equal(400, replay.Status);
        Assert.Equal("OTP_NOT_FOUND", replay.Code);
    }

    [Fact]
    public async Task ResetPassword_LengthRulesApply_AndDoNotCostAnAttempt()
    {
        await using var host = await PhoneTestHost.StartAsync();
        await host.SignUpWithPhoneAsync("len@example.com");
        await host.Client().PostAsync("/phone-number/request-password-reset", new { phoneNumber = PhoneTestHost.Phone });
        var otp = host.LastCode(PhoneCodes.ResetKind, PhoneTestHost.Phone);
        for (var i = 0; i < 4; i++)
            Assert.Equal("PASSWORD_TOO_SHORT", (await host.Client().PostAsync("/phone-number/reset-password", new { phoneNumber = PhoneTestHost.Phone, otp, newPassword = "short" })).Code);
        Assert.Equal("PASSWORD_TOO_LONG", (await host.Client().PostAsync("/phone-number/reset-password", new { phoneNumber = PhoneTestHost.Phone, otp, newPassword = new string('x', 129) })).Code);
        Assert.Equal(200, (await host.Client().PostAsync("/phone-number/reset-password", new { phoneNumber = PhoneTestHost.Phone, otp, newPassword = "long-enough-now" })).Status);
    }

    [Fact]
    public async Task ResetPassword_WrongExpiredExhausted_AreRefused()
    {
        await using var host = await PhoneTestHost.StartAsync();
        await host.SignUpWithPhoneAsync("bad@example.com");
        Assert.Equal("OTP_NOT_FOUND", (await host.Client().PostAsync("/phone-number/reset-password", new { phoneNumber = PhoneTestHost.Phone, otp = "123456", newPassword = "new-password-1" })).Code);

        await host.Client().PostAsync("/phone-number/request-password-reset", new { phoneNumber = PhoneTestHost.Phone });
        var otp = host.LastCode(PhoneCodes.ResetKind, PhoneTestHost.Phone);
        var wrong = otp == "000000" ? "111111" : "000000";
        for (var i = 0; i < 3; i++)
            Assert.Equal("INVALID_OTP", (await host.Client().PostAsync("/phone-number/reset-password", new { phoneNumber = PhoneTestHost.Phone, otp = wrong, newPassword = "new-password-1" })).Code);
        var blocked = await host.Client().PostAsync("/phone-number/reset-password", new { phoneNumber = PhoneTestHost.Phone, otp, newPassword = "new-password-1" });
        Assert.Equal((403, "TOO_MANY_ATTEMPTS"), (blocked.Status, blocked.Code));

        await host.Client().PostAsync("/phone-number/request-password-reset", new { phoneNumber = PhoneTestHost.Phone });
        otp = host.LastCode(PhoneCodes.ResetKind, PhoneTestHost.Phone);
        host.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal("OTP_EXPIRED", (await host.Client().PostAsync("/phone-number/reset-password", new { phoneNumber = PhoneTestHost.Phone, otp, newPassword = "new-password-1" })).Code);
        Assert.Equal(401, (await host.Client().PostAsync("/sign-in/phone-number", new { phoneNumber = PhoneTestHost.Phone, password = "new-password-1" })).Status);
    }

    [Fact]
    public async Task ResetPassword_UserSignedUpByPhone_GetsAPassword()
    {
        await using var host = await PhoneTestHost.StartAsync(o => o.WithSignUp());
        var code = await host.SendOtpAsync();
        await host.Client().PostAsync("/phone-number/verify", new { phoneNumber = PhoneTestHost.Phone, code });
        await host.Client().PostAsync("/phone-number/request-password-reset", new { phoneNumber = PhoneTestHost.Phone });
        var otp = host.LastCode(PhoneCodes.ResetKind, PhoneTestHost.Phone);
        Assert.Equal(200, (await host.Client().PostAsync("/phone-number/reset-password", new { phoneNumber = PhoneTestHost.Phone, otp, newPassword = "first-password" })).Status);
        Assert.Equal(200, (await host.Client().PostAsync("/sign-in/phone-number", new { phoneNumber = PhoneTestHost.Phone, password = "first-password" })).Status);
    }

    [Fact]
    public async Task ResetPassword_RevokesSessionsWhenConfigured()
    {
        await using var host = await PhoneTestHost.StartAsync(auth: o => o.EmailAndPassword.RevokeSessionsOnPasswordReset = true);
        await host.SignUpWithPhoneAsync("revoke@example.com");
        var signedIn = host.Client();
        await signedIn.SignInAsync("revoke@example.com");
        await host.Client().PostAsync("/phone-number/request-password-reset", new { phoneNumber = PhoneTestHost.Phone });
        var otp = host.LastCode(PhoneCodes.ResetKind, PhoneTestHost.Phone);
        Assert.Equal(200, (await host.Client().PostAsync("/phone-number/reset-password", new { phoneNumber = PhoneTestHost.Phone, otp, newPassword = "after-reset-1" })).Status);
        Assert.Equal("null", (await signedIn.GetAsync("/get-session")).Text);
    }
}
