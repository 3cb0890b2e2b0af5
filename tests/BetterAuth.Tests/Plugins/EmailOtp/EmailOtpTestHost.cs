using BetterAuth.Plugins.EmailOtp;
using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Plugins.EmailOtp;

/// <summary>Starts a test host with the email-OTP plugin and offers the steps most tests share.</summary>
internal static class EmailOtpTestHost
{
    public static Task<AuthTestHost> StartAsync(Action<EmailOtpOptions>? configure = null, Action<BetterAuthOptions>? auth = null, bool withSender = true)
    {
        var options = new EmailOtpOptions();
        configure?.Invoke(options);
        return AuthTestHost.StartAsync(o => { o.Plugins.Add(new EmailOtpPlugin(options)); auth?.Invoke(o); }, withSender: withSender);
    }

    /// <summary>Requests a code of <paramref name="type"/> and returns it from the outbox.</summary>
    public static async Task<string> SendOtpAsync(this AuthTestHost host, string email, string type)
    {
        var r = await host.Client().PostAsync("/email-otp/send-verification-otp", new { email, type });
        Assert.Equal(200, r.Status);
        Assert.Equal("{\"success\":true}", r.Text);
        return host.LastOtp(email, type);
    }

    public static string LastOtp(this AuthTestHost host, string email, string type)
    {
        lock (host.Outbox.Messages)
            return host.Outbox.Messages.Last(m => m.Kind == $"email-otp:{type}" && m.To == email).Otp!;
    }

    public static int MessageCount(this AuthTestHost host)
    {
        lock (host.Outbox.Messages) return host.Outbox.Messages.Count;
    }

    public static string Wrong(string code) => code == "000000" ? "111111" : "000000";
}
