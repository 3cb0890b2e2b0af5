using System.Net;
using BetterAuth.Core.Messaging;
using BetterAuth.Plugins.EmailOtp;
using BetterAuth.Plugins.PhoneNumber;
using BetterAuth.Plugins.TwoFactor;
using BetterAuth.Tests.OAuth;
using BetterAuth.Tests.Plugins.PhoneNumber;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace BetterAuth.Tests.Security;

/// <summary>
/// Security review round two, finding 5: flows keyed by a client value (a phone number, an OAuth state) must not name
/// the verification rows of other flows, with phone numbers free-form as in Better Auth. Identifiers stay as Better
/// Auth writes them; <c>Core/Storage/VerificationIdentifiers.cs</c> keeps the flows apart.
/// </summary>
public sealed class VerificationIdentifierTests
{
    private const string Victim = "victim@example.com";
    private const string Password = "password123";
    private const string VictimPhone = "(555) 010-0123";

    private static Task<AuthTestHost> StartAsync() => AuthTestHost.StartAsync(o =>
    {
        o.User.DeleteUser.Enabled = true;
        o.User.DeleteUser.SendDeleteAccountVerification = true;
        o.SocialProviders["google"] = new FakeOAuthProvider().Options("google");
        // Free-form numbers, as in Better Auth (the option existed, off, before the default changed).
        o.Plugins.Add(new PhoneNumberPlugin(new PhoneNumberOptions { ValidateE164 = false }.WithSignUp()));
        o.Plugins.Add(new EmailOtpPlugin(new()));
        o.Plugins.Add(new TwoFactorPlugin(new TwoFactorOptions { SkipVerificationOnEnable = true }));
    });

    /// <summary>One live row of every flow that stores verification rows, made through the API.</summary>
    private static async Task<(string ResetToken, string EmailOtp, string PhoneCode)> MakeRowsOfEveryFlowAsync(AuthTestHost host)
    {
        var victim = host.Client();
        await victim.SignUpAsync(Victim, Password);
        Assert.Equal(200, (await host.Client().PostAsync("/request-password-reset", new { email = Victim })).Status);
        Assert.Equal(200, (await victim.PostAsync("/delete-user", new { })).Status);
        Assert.Equal(200, (await host.Client().PostAsync("/email-otp/send-verification-otp", new { email = Victim, type = "sign-in" })).Status);
        Assert.Equal(200, (await host.Client().PostAsync("/sign-in/social", new { provider = "google" })).Status);

        var enrolled = host.Client();
        await enrolled.SignUpAsync("mfa@example.com", Password);
        Assert.Equal(200, (await enrolled.PostAsync("/two-factor/enable", new { password = Password })).Status);
        var challenged = host.Client();
        Assert.Equal("{\"twoFactorRedirect\":true}", (await challenged.PostAsync("/sign-in/email", new { email = "mfa@example.com", password = Password })).Text);
        Assert.Equal(200, (await challenged.PostAsync("/two-factor/send-otp", new { })).Status);

        var phoneCode = await host.SendOtpAsync(VictimPhone);
        await host.WithDbAsync(db => db.Users.Where(u => u.Email == Victim)
            .ExecuteUpdateAsync(s => s.SetProperty(u => EF.Property<string?>(u, PhoneNumberPlugin.PhoneNumberField), VictimPhone)));
        Assert.Equal(200, (await host.Client().PostAsync("/phone-number/request-password-reset", new { phoneNumber = VictimPhone })).Status);

        return (host.Outbox.Last("reset-password")!.Token!, host.Outbox.Last("email-otp:sign-in")!.Otp!, phoneCode);
    }

    private static Task<List<(string Identifier, string Value)>> RowsAsync(AuthTestHost host) =>
        host.WithDbAsync(async db => (await db.Verifications.AsNoTracking().OrderBy(v => v.Identifier).ToListAsync())
            .Select(v => (v.Identifier, v.Value)).ToList());

    [Fact]
    public async Task PhoneEndpoints_CannotReadCountConsumeOrReplaceRowsOfOtherFlows()
    {
        await using var host = await StartAsync();
        var (resetToken, emailOtp, _) = await MakeRowsOfEveryFlowAsync(host);
        var before = await RowsAsync(host);
        // Every kind: reset-password:, delete-account-, sign-in-otp-, 2fa-, 2fa-otp-, the OAuth state, the phone reset row.
        Assert.Equal(7, before.Count(r => r.Identifier != VictimPhone));

        foreach (var (identifier, _) in before.Where(r => r.Identifier != VictimPhone))
        {
            var client = host.Client();
            foreach (var (path, body) in new (string, object)[]
            {
                ("/phone-number/verify", new { phoneNumber = identifier, code = "000000" }),
                ("/phone-number/send-otp", new { phoneNumber = identifier }),
                ("/sign-in/phone-number", new { phoneNumber = identifier, password = Password }),
                ("/phone-number/request-password-reset", new { phoneNumber = identifier }),
                ("/phone-number/reset-password", new { phoneNumber = identifier, otp = "000000", newPassword = "another-password" }),
            })
            {
                var r = await client.PostAsync(path, body);
                Assert.True((r.Status, r.Code) == (400, "INVALID_PHONE_NUMBER"), $"{path} with {identifier}: {r.Status} {r.Text}");
            }
        }

        Assert.Equal(before, await RowsAsync(host));
        // And each flow still works with its own row.
        var reset = await host.Client().PostAsync("/reset-password", new { token = resetToken, newPassword = "new-password-1" });
        Assert.Equal(200, reset.Status);
        Assert.Equal(200, (await host.Client().PostAsync("/sign-in/email-otp", new { email = Victim, otp = emailOtp })).Status);
    }

    [Fact]
    public async Task OAuthCallback_StateNamingAnotherFlowsRow_LeavesTheRowAlone()
    {
        await using var host = await StartAsync();
        var (_, emailOtp, phoneCode) = await MakeRowsOfEveryFlowAsync(host);
        var before = await RowsAsync(host);
        var state = Assert.Single(before, r => r.Value.StartsWith('{')).Identifier;

        foreach (var (identifier, _) in before.Where(r => r.Identifier != state))
        {
            var r = await host.Client().GetAsync($"/callback/google?state={Uri.EscapeDataString(identifier)}&code=abc");
            Assert.Equal(302, r.Status);
            Assert.EndsWith("error=please_restart_the_process", r.Message.Headers.Location!.OriginalString);
        }

        Assert.Equal(before, await RowsAsync(host));
        Assert.Equal(200, (await host.Client().PostAsync("/phone-number/verify", new { phoneNumber = VictimPhone, code = phoneCode })).Status);
        Assert.Equal(200, (await host.Client().PostAsync("/sign-in/email-otp", new { email = Victim, otp = emailOtp })).Status);
    }

    [Theory]
    [InlineData("2fa")]                                 // its reset row would start with two-factor's "2fa-"
    [InlineData("AAAAAAAAAAbbbbbbbbbb0123456789-_")]    // the form of an OAuth state
    [InlineData("+15550100-request-password-reset")]    // another number's reset row
    [InlineData("forget-password-otp-a@example.com")]
    [InlineData("delete-account-x")]
    public async Task Numbers_ThatAreAnotherFlowsIdentifier_AreInvalid_WithOrWithoutTheStrictCheck(string phone)
    {
        await using var host = await StartAsync();
        var r = await host.Client().PostAsync("/phone-number/send-otp", new { phoneNumber = phone });
        Assert.Equal((400, "INVALID_PHONE_NUMBER"), (r.Status, r.Code));
        Assert.Empty(host.Outbox.Messages);
        Assert.Empty(await RowsAsync(host));
    }

    [Fact]
    public async Task PhoneCode_ForANumberWithAnAt_IsTexted()
    {
        var handler = new RecordingHandler();
        await using var host = await PhoneTestHost.StartAsync(
            o => { o.ValidateE164 = false; o.SmsWebhook = new SmsWebhookOptions { Url = "https://sms.example.test/hook" }; },
            services: s => s.AddHttpClient(SmsWebhookSender.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => handler));
        Assert.Equal(200, (await host.Client().PostAsync("/phone-number/send-otp", new { phoneNumber = "someone@example.com" })).Status);
        await handler.Called.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task MailSender_LeavesTextsAlone_EvenToAnAddressLikeNumber()
    {
        // A text must not become a mail: the sender returns without reaching this (closed) SMTP port.
        var smtp = new SmtpMessageSender(new SmtpOptions { Host = "127.0.0.1", Port = 9, TimeoutSeconds = 2 },
            new DefaultMailTemplates(new BetterAuthOptions()), NullLogger<SmtpMessageSender>.Instance);
        await smtp.SendAsync(new AuthMessage("phone-otp", "someone@example.com") { Otp = "123456", Channel = AuthMessageChannel.Sms });
        await Assert.ThrowsAnyAsync<Exception>(() => smtp.SendAsync(new AuthMessage("verify-email", "someone@example.com") { Url = "http://x/y" }));
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Called.TrySetResult();
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }
}
