using BetterAuth.Plugins.PhoneNumber;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BetterAuth.Tests.Plugins.PhoneNumber;

/// <summary>Starts a test host with the phone-number plugin and offers the steps most tests share.</summary>
internal static class PhoneTestHost
{
    /// <summary>Valid E.164 numbers (libphonenumber accepts them), so a test may turn the strict check on.</summary>
    public const string Phone = "+14155552671";
    public const string OtherPhone = "+447911123456";

    public static Task<AuthTestHost> StartAsync(Action<PhoneNumberOptions>? configure = null, Action<BetterAuthOptions>? auth = null,
        bool withSender = true, Action<IServiceCollection>? services = null)
    {
        var options = new PhoneNumberOptions();
        configure?.Invoke(options);
        return AuthTestHost.StartAsync(o => { o.Plugins.Add(new PhoneNumberPlugin(options)); auth?.Invoke(o); },
            services: services, withSender: withSender);
    }

    public static PhoneNumberOptions WithSignUp(this PhoneNumberOptions o)
    {
        o.SignUpOnVerification = new PhoneSignUpOptions { Enabled = true, TempEmailDomain = "phone.test" };
        return o;
    }

    /// <summary>Requests a code for the number and returns it from the outbox.</summary>
    public static async Task<string> SendOtpAsync(this AuthTestHost host, string phone = Phone, TestClient? client = null)
    {
        var r = await (client ?? host.Client()).PostAsync("/phone-number/send-otp", new { phoneNumber = phone });
        Assert.Equal(200, r.Status);
        return host.LastCode(PhoneCodes.OtpKind, phone);
    }

    public static string LastCode(this AuthTestHost host, string kind, string phone)
    {
        lock (host.Outbox.Messages)
            return host.Outbox.Messages.Last(m => m.Kind == kind && m.To == phone).Otp!;
    }

    /// <summary>
    /// An email/password user who also holds <paramref name="phone"/>, not yet verified. Sign-up does not take a number
    /// (it is not client input), so it is written into the row, as a number from an earlier version would be.
    /// </summary>
    public static async Task SignUpWithPhoneAsync(this AuthTestHost host, string email, string phone = Phone, string password = "password123")
    {
        var r = await host.Client().PostAsync("/sign-up/email", new { email, password, name = "Phone User" });
        Assert.Equal(200, r.Status);
        var id = r.Json!["user"]!["id"]!.GetValue<string>();
        await host.WithDbAsync(db => db.Users.Where(u => u.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => EF.Property<string>(u, PhoneNumberPlugin.PhoneNumberField), phone)));
    }
}
