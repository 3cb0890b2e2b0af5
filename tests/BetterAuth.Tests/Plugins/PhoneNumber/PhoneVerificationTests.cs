using BetterAuth.Plugins.PhoneNumber;
using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Plugins.PhoneNumber;

public sealed class PhoneVerificationTests
{
    [Fact]
    public async Task SendOtp_StoresCodeAndTextsIt()
    {
        await using var host = await PhoneTestHost.StartAsync();
        var r = await host.Client().PostAsync("/phone-number/send-otp", new { phoneNumber = PhoneTestHost.Phone });
        Assert.Equal(200, r.Status);
        Assert.Equal("{\"message\":\"code sent\"}", r.Text);
        var sms = Assert.Single(host.Outbox.Messages);
        Assert.Equal(("phone-otp", PhoneTestHost.Phone), (sms.Kind, sms.To));
        Assert.Matches("^[0-9]{6}$", sms.Otp);
        var stored = await host.WithDbAsync(db => Task.FromResult(db.Verifications.Single()));
        Assert.Equal(PhoneTestHost.Phone, stored.Identifier);
        Assert.Equal(sms.Otp + ":0", stored.Value);
        Assert.Equal(host.Runtime.Now.AddSeconds(300), stored.ExpiresAt);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("4155552671")]
    [InlineData("+1 415 555 2671")]
    [InlineData("+1415555267")]
    [InlineData("+99912345678")]
    [InlineData("")]
    public async Task SendOtp_StrictAndNumberNotValidE164_Is400AndSendsNothing(string phone)
    {
        await using var host = await PhoneTestHost.StartAsync(o => o.ValidateE164 = true);
        var r = await host.Client().PostAsync("/phone-number/send-otp", new { phoneNumber = phone });
        Assert.Equal(400, r.Status);
        Assert.Equal("INVALID_PHONE_NUMBER", r.Code);
        Assert.Empty(host.Outbox.Messages);
    }

    [Fact]
    public async Task SendOtp_CustomValidatorOrNoValidation_DecideInstead()
    {
        await using var custom = await PhoneTestHost.StartAsync(o => o.PhoneNumberValidator = p => p.StartsWith('0'));
        Assert.Equal(200, (await custom.Client().PostAsync("/phone-number/send-otp", new { phoneNumber = "0123" })).Status);
        Assert.Equal("INVALID_PHONE_NUMBER", (await custom.Client().PostAsync("/phone-number/send-otp", new { phoneNumber = PhoneTestHost.Phone })).Code);

        await using var open = await PhoneTestHost.StartAsync(o => o.ValidateE164 = false);
        Assert.Equal(200, (await open.Client().PostAsync("/phone-number/send-otp", new { phoneNumber = "anything" })).Status);
    }

    [Fact]
    public async Task SendOtp_BadBodyOrNoSender_AreRefused()
    {
        await using var host = await PhoneTestHost.StartAsync();
        Assert.Equal("VALIDATION_ERROR", (await host.Client().PostAsync("/phone-number/send-otp", new { phoneNumber = 4155552671 })).Code);
        Assert.Equal("VALIDATION_ERROR", (await host.Client().PostAsync("/phone-number/send-otp", new { })).Code);
        Assert.Equal(400, (await host.Client().PostRawAsync("/phone-number/send-otp", "{")).Status);

        await using var silent = await PhoneTestHost.StartAsync(withSender: false);
        var r = await silent.Client().PostAsync("/phone-number/send-otp", new { phoneNumber = PhoneTestHost.Phone });
        Assert.Equal(501, r.Status);
        Assert.Equal("SENDOTP_NOT_IMPLEMENTED", r.Code);
    }

    [Fact]
    public async Task Verify_UnknownNumberWithSignUp_CreatesVerifiedUserAndSignsIn()
    {
        await using var host = await PhoneTestHost.StartAsync(o => o.WithSignUp());
        var client = host.Client();
        var code = await host.SendOtpAsync();
        var r = await client.PostAsync("/phone-number/verify", new { phoneNumber = PhoneTestHost.Phone, code });
        Assert.Equal(200, r.Status);
        var json = r.Json!;
        Assert.True(json["status"]!.GetValue<bool>());
        var user = json["user"]!.AsObject();
        Assert.Equal(["id", "email", "emailVerified", "name", "image", "phoneNumber", "phoneNumberVerified", "createdAt", "updatedAt"],
            user.Select(p => p.Key).ToArray());
        Assert.Equal("14155552671@phone.test", user["email"]!.GetValue<string>());
        Assert.Equal(PhoneTestHost.Phone, user["name"]!.GetValue<string>());
        Assert.False(user["emailVerified"]!.GetValue<bool>());
        Assert.True(user["phoneNumberVerified"]!.GetValue<bool>());
        Assert.NotNull(r.Cookie("better-auth.session_token"));

        var session = await client.GetAsync("/get-session");
        Assert.Equal(json["token"]!.GetValue<string>(), session.Json!["session"]!["token"]!.GetValue<string>());
        Assert.Equal(PhoneTestHost.Phone, session.Json!["user"]!["phoneNumber"]!.GetValue<string>());
    }

    [Fact]
    public async Task Verify_SignUpWithCustomTempEmailAndName_UsesThem()
    {
        await using var host = await PhoneTestHost.StartAsync(o => o.SignUpOnVerification = new PhoneSignUpOptions
        {
            Enabled = true,
            GetTempEmail = p => $"u{p.Length}@custom.test",
            GetTempName = _ => "Caller",
        });
        var code = await host.SendOtpAsync();
        var user = (await host.Client().PostAsync("/phone-number/verify", new { phoneNumber = PhoneTestHost.Phone, code })).Json!["user"]!;
        Assert.Equal("u12@custom.test", user["email"]!.GetValue<string>());
        Assert.Equal("Caller", user["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Verify_SignUpWhoseTempEmailIsTaken_Is422NotA500()
    {
        await using var host = await PhoneTestHost.StartAsync(o => o.WithSignUp());
        await host.Client().SignUpAsync("14155552671@phone.test");
        var code = await host.SendOtpAsync();
        var r = await host.Client().PostAsync("/phone-number/verify", new { phoneNumber = PhoneTestHost.Phone, code });
        Assert.Equal(422, r.Status);
        Assert.Equal("FAILED_TO_CREATE_USER", r.Code);
    }

    [Fact]
    public async Task Verify_UnknownNumberWithoutSignUp_AnswersNullAndUsesTheCode()
    {
        await using var host = await PhoneTestHost.StartAsync();
        var code = await host.SendOtpAsync();
        var r = await host.Client().PostAsync("/phone-number/verify", new { phoneNumber = PhoneTestHost.Phone, code });
        Assert.Equal(200, r.Status);
        Assert.Equal("null", r.Text);
        Assert.Equal(0, await host.WithDbAsync(db => Task.FromResult(db.Users.Count())));
        Assert.Equal("OTP_NOT_FOUND", (await host.Client().PostAsync("/phone-number/verify", new { phoneNumber = PhoneTestHost.Phone, code })).Code);
    }

    [Fact]
    public async Task Verify_KnownNumber_MarksVerified_DisableSessionGivesNoToken()
    {
        await using var host = await PhoneTestHost.StartAsync();
        await host.SignUpWithPhoneAsync("known@example.com");
        var sessionsBefore = await host.WithDbAsync(db => Task.FromResult(db.Sessions.Count()));
        var code = await host.SendOtpAsync();
        var r = await host.Client().PostAsync("/phone-number/verify", new { phoneNumber = PhoneTestHost.Phone, code, disableSession = true });
        Assert.Equal(200, r.Status);
        Assert.True(r.Json!.AsObject().ContainsKey("token"));
        Assert.Null(r.Json!["token"]); // the literal null
        Assert.Empty(r.SetCookies);
        Assert.Equal("known@example.com", r.Json!["user"]!["email"]!.GetValue<string>());
        Assert.True(r.Json!["user"]!["phoneNumberVerified"]!.GetValue<bool>());
        Assert.Equal(sessionsBefore, await host.WithDbAsync(db => Task.FromResult(db.Sessions.Count())));
    }

    [Fact]
    public async Task Verify_WrongCodes_CountAttempts_ThenTooManyDiscardsTheCode()
    {
        await using var host = await PhoneTestHost.StartAsync(o => o.WithSignUp());
        var code = await host.SendOtpAsync();
        var wrong = code == "000000" ? "111111" : "000000";
        for (var i = 0; i < 3; i++)
        {
            var r = await host.Client().PostAsync("/phone-number/verify", new { phoneNumber = PhoneTestHost.Phone, code = wrong });
            Assert.Equal(400, r.Status);
            Assert.Equal("INVALID_OTP", r.Code);
            Assert.Equal("Invalid OTP", r.Json!["message"]!.GetValue<string>());
        }
        var blocked = await host.Client().PostAsync("/phone-number/verify", new { phoneNumber = PhoneTestHost.Phone, code });
        Assert.Equal(403, blocked.Status);
        Assert.Equal("TOO_MANY_ATTEMPTS", blocked.Code);
        Assert.Equal("OTP_NOT_FOUND", (await host.Client().PostAsync("/phone-number/verify", new { phoneNumber = PhoneTestHost.Phone, code })).Code);
    }

    [Fact]
    public async Task Verify_ExpiredOrMissingCode_IsRefused()
    {
        await using var host = await PhoneTestHost.StartAsync(o => o.WithSignUp());
        var missing = await host.Client().PostAsync("/phone-number/verify", new { phoneNumber = PhoneTestHost.Phone, code = "123456" });
        Assert.Equal((400, "OTP_NOT_FOUND"), (missing.Status, missing.Code));

        var code = await host.SendOtpAsync();
        host.Clock.Advance(TimeSpan.FromSeconds(301));
        var expired = await host.Client().PostAsync("/phone-number/verify", new { phoneNumber = PhoneTestHost.Phone, code });
        Assert.Equal((400, "OTP_EXPIRED"), (expired.Status, expired.Code));
        Assert.Equal("VALIDATION_ERROR", (await host.Client().PostAsync("/phone-number/verify", new { phoneNumber = PhoneTestHost.Phone })).Code);
    }

    [Fact]
    public async Task Verify_NewCodeReplacesOld()
    {
        await using var host = await PhoneTestHost.StartAsync(o => o.WithSignUp());
        var first = await host.SendOtpAsync();
        var second = await host.SendOtpAsync();
        if (first != second)
            Assert.Equal("INVALID_OTP", (await host.Client().PostAsync("/phone-number/verify", new { phoneNumber = PhoneTestHost.Phone, code = first })).Code);
        Assert.Equal(200, (await host.Client().PostAsync("/phone-number/verify", new { phoneNumber = PhoneTestHost.Phone, code = second })).Status);
    }

    [Fact]
    public async Task Verify_ConcurrentUsesOfOneCode_ExactlyOneSucceeds()
    {
        await using var host = await PhoneTestHost.StartAsync(o => o.WithSignUp());
        var code = await host.SendOtpAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            host.Client().PostAsync("/phone-number/verify", new { phoneNumber = PhoneTestHost.Phone, code })));
        Assert.Single(results, r => r.Status == 200);
        Assert.All(results.Where(r => r.Status != 200), r => Assert.Equal("OTP_NOT_FOUND", r.Code));
        Assert.Equal(1, await host.WithDbAsync(db => Task.FromResult(db.Users.Count())));
    }

    [Fact]
    public async Task Verify_CallbackOnVerification_GetsNumberAndUser()
    {
        string? seen = null;
        await using var host = await PhoneTestHost.StartAsync(o =>
        {
            o.WithSignUp();
            o.CallbackOnVerification = (phone, user) => { seen = $"{phone}|{user.Email}"; return Task.CompletedTask; };
        });
        var code = await host.SendOtpAsync();
        await host.Client().PostAsync("/phone-number/verify", new { phoneNumber = PhoneTestHost.Phone, code });
        Assert.Equal($"{PhoneTestHost.Phone}|14155552671@phone.test", seen);
    }
}
