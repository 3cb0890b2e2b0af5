using BetterAuth.Plugins.PhoneNumber;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Tests.Plugins.PhoneNumber;

/// <summary>
/// Numbers as Better Auth takes them: any string by default (fictional <c>+1 555 01xx</c> numbers, national spellings),
/// E.164 only with the strict option, and a stored number always served as stored.
/// </summary>
public sealed class PhoneNumberFormatTests
{
    public static TheoryData<string> LooseNumbers => new() { "+15555550100", "+1 555 0199", "(555) 010-0123", "0612345678" };

    [Theory]
    [MemberData(nameof(LooseNumbers))]
    public void LooseNumbers_AreNotValidE164(string phone) => Assert.False(PhoneNumberValidation.IsValidE164(phone));

    [Theory]
    [MemberData(nameof(LooseNumbers))]
    public async Task Default_AnyNumber_SendVerifySignsUpThenSignsInByCode(string phone)
    {
        await using var host = await PhoneTestHost.StartAsync(o => o.WithSignUp());
        var code = await host.SendOtpAsync(phone);
        var signUp = await host.Client().PostAsync("/phone-number/verify", new { phoneNumber = phone, code });
        Assert.Equal(200, signUp.Status);
        Assert.Equal(phone, signUp.Json!["user"]!["phoneNumber"]!.GetValue<string>());
        Assert.Equal(phone, await StoredNumberAsync(host));

        var again = await host.SendOtpAsync(phone);
        var signIn = await host.Client().PostAsync("/phone-number/verify", new { phoneNumber = phone, code = again });
        Assert.Equal(200, signIn.Status);
        Assert.Equal(signUp.Json!["user"]!["id"]!.GetValue<string>(), signIn.Json!["user"]!["id"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(LooseNumbers))]
    public async Task Default_AnyNumber_SignsInWithPasswordAndResets(string phone)
    {
        await using var host = await PhoneTestHost.StartAsync();
        await SignUpHoldingAsync(host, "loose@example.com", phone);
        Assert.Equal(200, (await host.Client().PostAsync("/sign-in/phone-number", new { phoneNumber = phone, password = "password123" })).Status);
        await ResetAndSignInAsync(host, phone);
    }

    [Theory]
    [InlineData("(555) 010-0123")]
    [InlineData("+15555550100")]
    public async Task Strict_NewNumbersNotInE164_AreRefused(string phone)
    {
        await using var host = await PhoneTestHost.StartAsync(o => o.ValidateE164 = true);
        var send = await host.Client().PostAsync("/phone-number/send-otp", new { phoneNumber = phone });
        Assert.Equal((400, "INVALID_PHONE_NUMBER"), (send.Status, send.Code));
        var signIn = await host.Client().PostAsync("/sign-in/phone-number", new { phoneNumber = phone, password = "password123" });
        Assert.Equal((400, "INVALID_PHONE_NUMBER"), (signIn.Status, signIn.Code));
        Assert.Empty(host.Outbox.Messages);
        Assert.Equal(200, (await host.Client().PostAsync("/phone-number/send-otp", new { phoneNumber = PhoneTestHost.Phone })).Status);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StoredNumberInAnotherFormat_SignsInGetsCodesAndResets_WhateverTheCheck(bool strict)
    {
        const string stored = "(555) 010-0123";
        await using var host = await PhoneTestHost.StartAsync(o =>
        {
            o.ValidateE164 = strict;
            if (!strict) o.PhoneNumberValidator = p => p.StartsWith('+'); // a custom check the stored number fails
        });
        await SignUpHoldingAsync(host, "legacy@example.com", stored);

        Assert.Equal(200, (await host.Client().PostAsync("/sign-in/phone-number", new { phoneNumber = stored, password = "password123" })).Status);
        var code = await host.SendOtpAsync(stored);
        var verified = await host.Client().PostAsync("/phone-number/verify", new { phoneNumber = stored, code });
        Assert.Equal(200, verified.Status);
        Assert.Equal("legacy@example.com", verified.Json!["user"]!["email"]!.GetValue<string>());
        await ResetAndSignInAsync(host, stored);
        Assert.Equal(stored, await StoredNumberAsync(host));

        // Another spelling of the same digits is a different, unknown number: the check still applies to it.
        var other = await host.Client().PostAsync("/phone-number/send-otp", new { phoneNumber = "555 010 0123" });
        Assert.Equal((400, "INVALID_PHONE_NUMBER"), (other.Status, other.Code));
    }

    /// <summary>An email user whose stored number is <paramref name="phone"/>, written as a database of Better Auth's would hold it.</summary>
    private static async Task SignUpHoldingAsync(AuthTestHost host, string email, string phone)
    {
        await host.Client().SignUpAsync(email);
        await host.WithDbAsync(db => db.Users.Where(u => u.Email == email)
            .ExecuteUpdateAsync(s => s.SetProperty(u => EF.Property<string?>(u, PhoneNumberPlugin.PhoneNumberField), phone)));
    }

    private static Task<string?> StoredNumberAsync(AuthTestHost host) =>
        host.WithDbAsync(db => db.Users.Select(u => EF.Property<string?>(u, PhoneNumberPlugin.PhoneNumberField)).SingleAsync());

    private static async Task ResetAndSignInAsync(AuthTestHost host, string phone)
    {
        var request = await host.Client().PostAsync("/phone-number/request-password-reset", new { phoneNumber = phone });
        Assert.Equal(200, request.Status);
        var otp = host.LastCode(PhoneCodes.ResetKind, phone);
        var reset = await host.Client().PostAsync("/phone-number/reset-password", new { phoneNumber = phone, otp, newPassword = "brand-new-password" });
        Assert.Equal(200, reset.Status);
        var signIn = await host.Client().PostAsync("/sign-in/phone-number", new { phoneNumber = phone, password = "brand-new-password" });
        Assert.Equal(200, signIn.Status);
    }
}
