using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.Plugins;
using BetterAuth.Core.Storage;
using BetterAuth.Plugins.Anonymous;
using BetterAuth.Plugins.EmailOtp;
using BetterAuth.Plugins.MagicLink;
using BetterAuth.Plugins.Passkey;
using BetterAuth.Plugins.PhoneNumber;
using BetterAuth.Plugins.Username;
using BetterAuth.Tests.OAuth;
using BetterAuth.Tests.Plugins.Passkey;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Tests.Core;

/// <summary>
/// A plugin's <see cref="ISignInChallenge"/> is asked by every primary sign-in method before a session exists: when it
/// answers, the client gets that answer, and no session row, no session cookie and no bearer token exist.
/// </summary>
public sealed class SignInChallengeTests
{
    private const string Password = "password123";
    private const string Phone = "+14155552671";
    private const int ChallengeStatus = 202;

    /// <summary>Challenges every sign-in of a request that carries X-Gate, and records what it was shown.</summary>
    private sealed class GatePlugin : IBetterAuthPlugin, ISignInChallenge
    {
        public List<SignInAttempt> Attempts { get; } = new();
        public string Id => "gate";
        public void Configure(AuthPluginBuilder builder) => builder.AddSignInChallenge(this);

        public ValueTask<AuthResult?> ChallengeAsync(AuthContext ctx, SignInAttempt attempt)
        {
            if (!ctx.Http.Request.Headers.ContainsKey("X-Gate")) return ValueTask.FromResult<AuthResult?>(null);
            lock (Attempts) Attempts.Add(attempt);
            return ValueTask.FromResult<AuthResult?>(AuthResult.Json(new StatusResponse(false), ChallengeStatus));
        }
    }

    private sealed record Scenario(AuthTestHost Host, GatePlugin Gate, FakeOAuthProvider Idp);

    private static async Task<Scenario> StartAsync()
    {
        var gate = new GatePlugin();
        var idp = new FakeOAuthProvider();
        var host = await idp.StartHostAsync("oidc", configure: o =>
        {
            o.SocialProviders["google"] = idp.Options("google");
            o.EmailVerification.AutoSignInAfterVerification = true;
            o.Plugins.Add(new UsernamePlugin());
            o.Plugins.Add(new PhoneNumberPlugin(new PhoneNumberOptions()));
            o.Plugins.Add(new EmailOtpPlugin(new EmailOtpOptions()));
            o.Plugins.Add(new MagicLinkPlugin(new MagicLinkOptions()));
            o.Plugins.Add(new PasskeyPlugin(new PasskeyOptions()));
            o.Plugins.Add(new AnonymousPlugin(new AnonymousOptions()));
            o.Plugins.Add(gate);
        });
        return new Scenario(host, gate, idp);
    }

    private static void Gate(HttpRequestMessage request) => request.Headers.Add("X-Gate", "1");

    private static Task<TestResponse> GatedPostAsync(TestClient client, string path, object body) =>
        client.SendAsync(HttpMethod.Post, path, new StringContent(System.Text.Json.JsonSerializer.Serialize(body),
            System.Text.Encoding.UTF8, "application/json"), Gate);

    private static Task<TestResponse> GatedGetAsync(TestClient client, string pathAndQuery) =>
        client.SendAsync(HttpMethod.Get, pathAndQuery, null, Gate);

    private static Task<int> SessionRowsAsync(AuthTestHost host) => host.WithDbAsync(db => db.Sessions.CountAsync());

    private static async Task<string> SignUpAsync(AuthTestHost host, string email, object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["email"] = email, ["password"] = Password, ["name"] = "Gate User" };
        foreach (var p in extra?.GetType().GetProperties() ?? []) body[p.Name] = p.GetValue(extra);
        var r = await host.Client().PostAsync("/sign-up/email", body);
        Assert.Equal(200, r.Status);
        return r.Json!["user"]!["id"]!.GetValue<string>();
    }

    /// <summary>
    /// Runs one gated sign-in and checks that the challenge stopped it: its answer, the method it was shown, and no
    /// session (no new row, no session or cookie-cache cookie with a value, no bearer token).
    /// </summary>
    private static async Task AssertStoppedAsync(Scenario s, string method, string? providerId, Func<Task<TestResponse>> signIn)
    {
        var rowsBefore = await SessionRowsAsync(s.Host);
        var attemptsBefore = s.Gate.Attempts.Count;

        var r = await signIn();

        Assert.True((ChallengeStatus, "{\"status\":false}") == (r.Status, r.Text), $"{method}: answered {r.Status} {r.Text}");
        var attempt = Assert.Single(s.Gate.Attempts.Skip(attemptsBefore));
        Assert.Equal((method, providerId), (attempt.Method, attempt.ProviderId));
        Assert.Equal(rowsBefore, await SessionRowsAsync(s.Host));
        Assert.Equal(0, await s.Host.WithDbAsync(db => db.Sessions.CountAsync(x => x.Token == attempt.PendingSession.Token)));
        Assert.DoesNotContain(r.SetCookies, c => c.StartsWith("better-auth.session_token=", StringComparison.Ordinal) &&
                                                 !c.StartsWith("better-auth.session_token=;", StringComparison.Ordinal));
        Assert.DoesNotContain(r.SetCookies, c => c.StartsWith("better-auth.session_data=", StringComparison.Ordinal) &&
                                                 !c.StartsWith("better-auth.session_data=;", StringComparison.Ordinal));
        Assert.Null(r.Header("set-auth-token"));
    }

    [Fact]
    public async Task Challenge_StopsEveryPrimarySignInMethod_BeforeAnySessionExists()
    {
        var s = await StartAsync();
        await using var host = s.Host;

        await SignUpAsync(host, "email@gate.test");
        await AssertStoppedAsync(s, SignInMethods.Email, null,
            () => GatedPostAsync(host.Client(), "/sign-in/email", new { email = "email@gate.test", password = Password }));

        await AssertStoppedAsync(s, SignInMethods.SignUp, null,
            () => GatedPostAsync(host.Client(), "/sign-up/email", new { email = "signup@gate.test", password = Password, name = "New" }));

        await SignUpAsync(host, "name@gate.test", new { username = "gate_user" });
        await AssertStoppedAsync(s, "username", null,
            () => GatedPostAsync(host.Client(), "/sign-in/username", new { username = "gate_user", password = Password }));

        var phoneUser = await SignUpAsync(host, "phone@gate.test");
        await host.WithDbAsync(db => db.Users.Where(u => u.Id == phoneUser).ExecuteUpdateAsync(x => x
            .SetProperty(u => EF.Property<string>(u, PhoneNumberPlugin.PhoneNumberField), Phone)
            .SetProperty(u => EF.Property<bool>(u, PhoneNumberPlugin.PhoneNumberVerifiedField), true)));
        await AssertStoppedAsync(s, "phone-number", null,
            () => GatedPostAsync(host.Client(), "/sign-in/phone-number", new { phoneNumber = Phone, password = Password }));
        Assert.Equal(200, (await host.Client().PostAsync("/phone-number/send-otp", new { phoneNumber = Phone })).Status);
        var phoneCode = host.Outbox.Messages.Last(m => m.To == Phone).Otp;
        await AssertStoppedAsync(s, "phone-number-otp", null,
            () => GatedPostAsync(host.Client(), "/phone-number/verify", new { phoneNumber = Phone, code = phoneCode }));

        Assert.Equal(200, (await host.Client().PostAsync("/email-otp/send-verification-otp", new { email = "otp@gate.test", type = "sign-in" })).Status);
        var signInOtp = host.Outbox.Messages.Last(m => m.Kind == "email-otp:sign-in").Otp;
        await AssertStoppedAsync(s, "email-otp", null,
            () => GatedPostAsync(host.Client(), "/sign-in/email-otp", new { email = "otp@gate.test", otp = signInOtp }));
        await SignUpAsync(host, "verify-otp@gate.test");
        Assert.Equal(200, (await host.Client().PostAsync("/email-otp/send-verification-otp", new { email = "verify-otp@gate.test", type = "email-verification" })).Status);
        var verifyOtp = host.Outbox.Messages.Last(m => m.Kind == "email-otp:email-verification").Otp;
        await AssertStoppedAsync(s, "email-otp", null,
            () => GatedPostAsync(host.Client(), "/email-otp/verify-email", new { email = "verify-otp@gate.test", otp = verifyOtp }));

        await SignUpAsync(host, "link@gate.test");
        Assert.Equal(200, (await host.Client().PostAsync("/send-verification-email", new { email = "link@gate.test" })).Status);
        var verifyLink = new Uri(host.Outbox.Last("verify-email")!.Url!).PathAndQuery;
        await AssertStoppedAsync(s, SignInMethods.EmailVerification, null, () => GatedGetAsync(host.Client(), verifyLink));

        Assert.Equal(200, (await host.Client().PostAsync("/sign-in/magic-link", new { email = "magic@gate.test" })).Status);
        var magicLink = new Uri(host.Outbox.Last("magic-link")!.Url!).PathAndQuery;
        await AssertStoppedAsync(s, "magic-link", null, () => GatedGetAsync(host.Client(), magicLink));

        var browser = host.Client();
        var started = await browser.PostAsync("/sign-in/social", new { provider = "oidc", callbackURL = "/home" });
        var callback = new Uri(s.Idp.Authorize(started.Json!["url"]!.GetValue<string>(), new FakeUser("sub-1", "social@gate.test"))).PathAndQuery;
        await AssertStoppedAsync(s, SignInMethods.Social, "oidc", () => GatedGetAsync(browser, callback));

        var idToken = s.Idp.IdToken(new FakeUser("sub-2", "idtoken@gate.test"));
        await AssertStoppedAsync(s, SignInMethods.Social, "google",
            () => GatedPostAsync(host.Client(), "/sign-in/social", new { provider = "google", idToken = new { token = idToken } }));

        var (owner, _) = await PasskeyTestKit.UserAsync(host, "passkey@gate.test");
        var authenticator = new SoftAuthenticator();
        Assert.Equal(200, (await PasskeyTestKit.RegisterAsync(owner, authenticator)).Status);
        var device = host.Client();
        var options = await device.PostAsync("/passkey/generate-authenticate-options", new { });
        var assertion = authenticator.Authenticate(options.Json!, AuthTestHost.Origin);
        await AssertStoppedAsync(s, "passkey", null,
            () => GatedPostAsync(device, "/passkey/verify-authentication", new { response = assertion }));

        var usersBefore = await host.WithDbAsync(db => db.Users.CountAsync());
        await AssertStoppedAsync(s, "anonymous", null, () => GatedPostAsync(host.Client(), "/sign-in/anonymous", new { }));
        // The anonymous user exists only to hold the session: a stopped sign-in leaves none behind.
        Assert.Equal(usersBefore, await host.WithDbAsync(db => db.Users.CountAsync()));

        // Without the gate's header the same host signs in as usual.
        var open = await host.Client().PostAsync("/sign-in/email", new { email = "email@gate.test", password = Password });
        Assert.Equal(200, open.Status);
        Assert.NotNull(open.Cookie("better-auth.session_token"));
    }

    [Fact]
    public async Task RefusedSession_IsRefusedBeforeTheChallengeIsAsked()
    {
        // A session-creating hook (a ban) refuses first, as in Better Auth, where the ban stops the password step
        // before two-factor is asked.
        var gate = new GatePlugin();
        await using var host = await AuthTestHost.StartAsync(o => { o.Plugins.Add(new LifecyclePlugin(new RefusePasswordSignIns())); o.Plugins.Add(gate); });
        await SignUpAsync(host, "refused@gate.test");
        var r = await GatedPostAsync(host.Client(), "/sign-in/email", new { email = "refused@gate.test", password = Password });
        Assert.Equal((403, "REFUSED"), (r.Status, r.Code));
        Assert.Empty(gate.Attempts);
    }

    /// <summary>Refuses every session a password sign-in would create, as the admin plugin's ban does.</summary>
    private sealed class RefusePasswordSignIns : IAuthLifecycle
    {
        public ValueTask OnSessionCreatingAsync(AuthStoreContext ctx, Session session) =>
            ctx.Request?.Path == "/sign-in/email" ? throw new AuthError(403, "Refused", "REFUSED") : ValueTask.CompletedTask;
    }

    private sealed class LifecyclePlugin(IAuthLifecycle lifecycle) : IBetterAuthPlugin
    {
        public string Id => "refuse";
        public void Configure(AuthPluginBuilder builder) => builder.AddLifecycle(lifecycle);
    }
}
