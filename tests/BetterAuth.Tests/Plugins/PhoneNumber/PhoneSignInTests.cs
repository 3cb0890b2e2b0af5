using BetterAuth.Plugins.PhoneNumber;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Tests.Plugins.PhoneNumber;

public sealed class PhoneSignInTests
{
    [Fact]
    public async Task SignIn_RightPassword_IssuesSessionWithPhoneUser()
    {
        await using var host = await PhoneTestHost.StartAsync();
        await host.SignUpWithPhoneAsync("p@example.com");
        var client = host.Client();
        var r = await client.PostAsync("/sign-in/phone-number", new { phoneNumber = PhoneTestHost.Phone, password = "password123" });
        Assert.Equal(200, r.Status);
        Assert.Equal(["token", "user"], r.Json!.AsObject().Select(p => p.Key).ToArray());
        var user = r.Json!["user"]!;
        Assert.Equal("p@example.com", user["email"]!.GetValue<string>());
        Assert.Equal(PhoneTestHost.Phone, user["phoneNumber"]!.GetValue<string>());
        Assert.Null(user["phoneNumberVerified"]); // never verified: the column is still null, as in Better Auth
        Assert.Contains("Max-Age=604800", r.Cookie("better-auth.session_token"));
        Assert.Equal(r.Json!["token"]!.GetValue<string>(), (await client.GetAsync("/get-session")).Json!["session"]!["token"]!.GetValue<string>());
    }

    [Fact]
    public async Task SignIn_RememberMeFalse_SetsSessionCookieWithoutMaxAge()
    {
        await using var host = await PhoneTestHost.StartAsync();
        await host.SignUpWithPhoneAsync("r@example.com");
        var r = await host.Client().PostAsync("/sign-in/phone-number", new { phoneNumber = PhoneTestHost.Phone, password = "password123", rememberMe = false });
        Assert.Equal(200, r.Status);
        Assert.DoesNotContain("Max-Age", r.Cookie("better-auth.session_token"));
        Assert.NotNull(r.Cookie("better-auth.dont_remember"));
    }

    [Fact]
    public async Task SignIn_WrongPasswordUnknownNumberOrNoPassword_AreTheSame401()
    {
        await using var host = await PhoneTestHost.StartAsync(o => o.WithSignUp());
        await host.SignUpWithPhoneAsync("w@example.com");
        var wrong = await host.Client().PostAsync("/sign-in/phone-number", new { phoneNumber = PhoneTestHost.Phone, password = "not-the-password" });
        var unknown = await host.Client().PostAsync("/sign-in/phone-number", new { phoneNumber = PhoneTestHost.OtherPhone, password = "password123" });
        // A user made by phone verification has no credential account at all.
        var code = await host.SendOtpAsync(PhoneTestHost.OtherPhone);
        await host.Client().PostAsync("/phone-number/verify", new { phoneNumber = PhoneTestHost.OtherPhone, code });
        var noPassword = await host.Client().PostAsync("/sign-in/phone-number", new { phoneNumber = PhoneTestHost.OtherPhone, password = "password123" });
        foreach (var r in new[] { wrong, unknown, noPassword })
        {
            Assert.Equal(401, r.Status);
            Assert.Equal("{\"code\":\"INVALID_PHONE_NUMBER_OR_PASSWORD\",\"message\":\"Invalid phone number or password\"}", r.Text);
            Assert.Empty(r.SetCookies);
        }
    }

    [Fact]
    public async Task SignIn_StrictAndInvalidNumber_OrBadBody_Is400()
    {
        await using var host = await PhoneTestHost.StartAsync(o => o.ValidateE164 = true);
        Assert.Equal("INVALID_PHONE_NUMBER", (await host.Client().PostAsync("/sign-in/phone-number", new { phoneNumber = "12", password = "password123" })).Code);
        Assert.Equal("VALIDATION_ERROR", (await host.Client().PostAsync("/sign-in/phone-number", new { phoneNumber = PhoneTestHost.Phone })).Code);
        Assert.Equal("VALIDATION_ERROR", (await host.Client().PostAsync("/sign-in/phone-number", new { phoneNumber = PhoneTestHost.Phone, password = "x", rememberMe = "no" })).Code);
    }

    [Fact]
    public async Task SignIn_RequireVerification_UnverifiedGetsCodeOnlyWithRightPassword()
    {
        await using var host = await PhoneTestHost.StartAsync(o => o.RequireVerification = true);
        await host.SignUpWithPhoneAsync("v@example.com");

        var wrong = await host.Client().PostAsync("/sign-in/phone-number", new { phoneNumber = PhoneTestHost.Phone, password = "bad-password" });
        Assert.Equal("INVALID_PHONE_NUMBER_OR_PASSWORD", wrong.Code);
        Assert.Empty(host.Outbox.Messages);

        var unverified = await host.Client().PostAsync("/sign-in/phone-number", new { phoneNumber = PhoneTestHost.Phone, password = "password123" });
        Assert.Equal(401, unverified.Status);
        Assert.Equal("PHONE_NUMBER_NOT_VERIFIED", unverified.Code);
        var code = host.LastCode(PhoneCodes.OtpKind, PhoneTestHost.Phone);

        var verified = await host.Client().PostAsync("/phone-number/verify", new { phoneNumber = PhoneTestHost.Phone, code, disableSession = true });
        Assert.Equal(200, verified.Status);
        Assert.Equal(200, (await host.Client().PostAsync("/sign-in/phone-number", new { phoneNumber = PhoneTestHost.Phone, password = "password123" })).Status);
    }

    [Fact]
    public async Task PhoneColumns_NumberIsUniqueAndVerifiedFlagIsNotClientInput()
    {
        await using var host = await PhoneTestHost.StartAsync();
        await host.SignUpWithPhoneAsync("a@example.com");
        var flagged = await host.Client().PostAsync("/sign-up/email", new { email = "b@example.com", password = "password123", name = "B", phoneNumberVerified = true });
        Assert.Equal(200, flagged.Status);
        Assert.Null(flagged.Json!["user"]!["phoneNumberVerified"]);
        var session = await host.Client().PostAsync("/sign-in/phone-number", new { phoneNumber = PhoneTestHost.Phone, password = "password123" });
        Assert.Null(session.Json!["user"]!["phoneNumberVerified"]);

        var other = host.Client();
        await other.SignUpAsync("c@example.com");
        var code = await host.SendOtpAsync(client: other);
        var taken = await other.PostAsync("/phone-number/verify", new { phoneNumber = PhoneTestHost.Phone, code, updatePhoneNumber = true });
        Assert.True(taken.Status is >= 400 and < 500);
        Assert.Equal(1, await host.WithDbAsync(db => Task.FromResult(db.Users.Count(u => EF.Property<string>(u, PhoneNumberPlugin.PhoneNumberField) == PhoneTestHost.Phone))));
    }

    [Fact]
    public async Task RateLimit_PhoneNumberPathsAllowTenPerMinute()
    {
        await using var host = await PhoneTestHost.StartAsync(auth: o => o.RateLimit.Enabled = true);
        var client = host.Client();
        for (var i = 0; i < 10; i++)
            Assert.Equal(200, (await client.PostAsync("/phone-number/send-otp", new { phoneNumber = PhoneTestHost.Phone })).Status);
        var limited = await client.PostAsync("/phone-number/send-otp", new { phoneNumber = PhoneTestHost.Phone });
        Assert.Equal(429, limited.Status);
        Assert.Equal("60", limited.Header("X-Retry-After"));
        host.Clock.Advance(TimeSpan.FromSeconds(61)); // one minute, not Better Auth's 60 000 s
        Assert.Equal(200, (await client.PostAsync("/phone-number/send-otp", new { phoneNumber = PhoneTestHost.Phone })).Status);

        // /sign-in/phone-number is not under /phone-number: the built-in sign-in rule (3 per 10 s) applies.
        for (var i = 0; i < 3; i++) await client.PostAsync("/sign-in/phone-number", new { phoneNumber = PhoneTestHost.Phone, password = "password123" });
        Assert.Equal(429, (await client.PostAsync("/sign-in/phone-number", new { phoneNumber = PhoneTestHost.Phone, password = "password123" })).Status);
    }
}
