using System.Text.Json.Nodes;
using BetterAuth.Plugins.Passkey;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BetterAuth.Tests.Plugins.Passkey;

/// <summary>A test host with the passkey plugin (RP ID localhost, origin http://localhost) and helpers for its ceremonies.</summary>
internal static class PasskeyTestKit
{
    public const string Origin = AuthTestHost.Origin;
    public const string ChallengeCookie = "better-auth.better-auth-passkey";
    public const string SessionCookie = "better-auth.session_token";

    public static Task<AuthTestHost> StartAsync(Action<PasskeyOptions>? configure = null, Action<BetterAuthOptions>? auth = null,
        Action<IServiceCollection>? services = null)
    {
        var options = new PasskeyOptions();
        configure?.Invoke(options);
        return AuthTestHost.StartAsync(o => { o.Plugins.Add(new PasskeyPlugin(options)); auth?.Invoke(o); }, services);
    }

    /// <summary>A signed-up (so signed-in) client and the new user's id.</summary>
    public static async Task<(TestClient Client, string UserId)> UserAsync(AuthTestHost host, string email)
    {
        var client = host.Client();
        var signUp = await client.SignUpAsync(email);
        return (client, signUp["user"]!["id"]!.GetValue<string>());
    }

    /// <summary>Registration options, then the authenticator's answer verified; returns the verify-registration response.</summary>
    public static async Task<TestResponse> RegisterAsync(TestClient client, SoftAuthenticator authenticator, string? name = null)
    {
        var options = await client.GetAsync("/passkey/generate-register-options");
        Assert.Equal(200, options.Status);
        return await client.PostAsync("/passkey/verify-registration", new { response = authenticator.Register(options.Json!, Origin), name });
    }

    /// <summary>Authentication options for a client without a session, then the signed assertion.</summary>
    public static async Task<(TestResponse Response, JsonObject Assertion)> SignInAsync(TestClient client, SoftAuthenticator authenticator)
    {
        var options = await client.PostAsync("/passkey/generate-authenticate-options", new { });
        Assert.Equal(200, options.Status);
        var assertion = authenticator.Authenticate(options.Json!, Origin);
        return (await client.PostAsync("/passkey/verify-authentication", new { response = assertion }), assertion);
    }

    public static Task<List<PasskeyRow>> RowsAsync(AuthTestHost host) =>
        host.WithDbAsync(db => db.Set<PasskeyRow>().AsNoTracking().OrderBy(p => p.CreatedAt).ToListAsync());
}
