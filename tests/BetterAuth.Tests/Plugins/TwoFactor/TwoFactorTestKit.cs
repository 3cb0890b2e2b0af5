using System.Text;
using System.Text.Json.Nodes;
using BetterAuth.Plugins.TwoFactor;
using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Plugins.TwoFactor;

/// <summary>A user enrolled in two-factor through the API: their signed-in client, TOTP secret and backup codes.</summary>
internal sealed record Enrolled(TestClient Client, string Email, string Secret, string[] BackupCodes);

internal static class TwoFactorTestKit
{
    public const string Password = "password123";
    public const string TwoFactorCookie = "better-auth.two_factor";
    public const string TrustCookie = "better-auth.trust_device";
    public const string SessionCookie = "better-auth.session_token";

    public static Task<AuthTestHost> StartAsync(Action<TwoFactorOptions>? configure = null, Action<BetterAuthOptions>? auth = null)
    {
        var options = new TwoFactorOptions();
        configure?.Invoke(options);
        return AuthTestHost.StartAsync(o => { o.Plugins.Add(new TwoFactorPlugin(options)); auth?.Invoke(o); });
    }

    public static string Code(AuthTestHost host, string secret, int stepOffset = 0) =>
        new TotpCodes().Compute(secret, host.Clock.GetUtcNow().AddSeconds(30 * stepOffset));

    /// <summary>The secret string inside an otpauth URI (base32 of its UTF-8 bytes).</summary>
    public static string SecretOf(string totpUri)
    {
        var query = new Uri(totpUri).Query.TrimStart('?').Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        return Encoding.UTF8.GetString(OtpNet.Base32Encoding.ToBytes(query["secret"]));
    }

    /// <summary>Signs up, enables two-factor and proves the first TOTP code; the clock then moves to the next step.</summary>
    public static async Task<Enrolled> EnrolAsync(AuthTestHost host, string email)
    {
        var client = host.Client();
        await client.SignUpAsync(email, Password);
        var enable = await client.PostAsync("/two-factor/enable", new { password = Password });
        Assert.Equal(200, enable.Status);
        var secret = SecretOf(enable.Json!["totpURI"]!.GetValue<string>());
        var codes = enable.Json!["backupCodes"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray();
        var verify = await client.PostAsync("/two-factor/verify-totp", new { code = Code(host, secret) });
        Assert.Equal(200, verify.Status);
        host.Clock.Advance(TimeSpan.FromSeconds(30));
        return new Enrolled(client, email, secret, codes);
    }

    /// <summary>A fresh browser that has passed the password step and holds the two_factor cookie.</summary>
    public static async Task<TestClient> ChallengedAsync(AuthTestHost host, string email, bool? rememberMe = null)
    {
        var client = host.Client();
        var r = await client.PostAsync("/sign-in/email", rememberMe is null
            ? new { email, password = Password }
            : new { email, password = Password, rememberMe });
        Assert.Equal(200, r.Status);
        Assert.Equal("{\"twoFactorRedirect\":true}", r.Text);
        Assert.True(client.Cookies.ContainsKey(TwoFactorCookie));
        Assert.False(client.Cookies.ContainsKey(SessionCookie));
        return client;
    }

    public static async Task<JsonNode?> SessionAsync(TestClient client) => (await client.GetAsync("/get-session")).Json;
}
