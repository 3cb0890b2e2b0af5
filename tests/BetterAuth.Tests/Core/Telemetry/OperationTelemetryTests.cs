using System.Diagnostics;
using BetterAuth.Tests.OAuth;
using BetterAuth.Tests.Plugins.Passkey;
using BetterAuth.Tests.Plugins.TwoFactor;
using BetterAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BetterAuth.Tests.Core.Telemetry;

/// <summary>
/// The spans and metrics an OpenTelemetry SDK receives (in-memory exporters) for a sign-in, a failed sign-in, a
/// two-factor sign-in and an OAuth callback: names, kinds, parents, OpenTelemetry's semantic-convention attributes
/// (<c>http.route</c>, <c>error.type</c>, <c>db.*</c>, <c>server.*</c>) and the library's own.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class OperationTelemetryTests
{
    private const string Operation = "better_auth.operation.name";
    private const string Method = "better_auth.sign_in.method";
    private const string Outcome = "better_auth.sign_in.outcome";
    private const string ErrorType = "error.type";
    private static string DbSystem => TestStorage.Current.Postgres ? "postgresql" : "sqlite";

    private static object? Tag(Activity span, string name) => span.GetTagItem(name);

    [Fact]
    public async Task SignIn_OperationSpanWithRouteAndUser_DatabaseAndHashChildren_AttemptSessionAndHashMetrics()
    {
        using var telemetry = new TelemetryCapture();
        await using var host = await AuthTestHost.StartAsync(services: telemetry.AddTo, realHasher: true);
        var userId = (await host.Client().SignUpAsync("ada@example.com"))["user"]!["id"]!.GetValue<string>();
        await host.Client().SignInAsync("ada@example.com");

        var span = telemetry.Operation("signInEmail");
        Assert.Equal(BetterAuthDiagnostics.ActivitySourceName, span.Source.Name);
        Assert.Equal(ActivityKind.Internal, span.Kind);
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal("signInEmail", Tag(span, Operation));
        Assert.Equal("/api/auth/sign-in/email", Tag(span, "http.route"));
        Assert.Equal("POST", Tag(span, "http.request.method"));
        Assert.Equal(200, Tag(span, "http.response.status_code"));
        Assert.Equal("email", Tag(span, Method));
        Assert.Equal("success", Tag(span, Outcome));
        Assert.Equal(userId, Tag(span, "user.id"));
        Assert.Null(Tag(span, ErrorType));

        var children = telemetry.Descendants(span);
        var hash = Assert.Single(children, c => c.OperationName == "better_auth.password_hash.verify");
        Assert.Equal("verify", Tag(hash, "better_auth.password_hash.operation"));
        // Database calls as OpenTelemetry's database conventions name them: "{operation} {table}", client spans.
        var readUser = children.First(c => c.OperationName == "SELECT user");
        Assert.Equal(ActivityKind.Client, readUser.Kind);
        Assert.Equal(DbSystem, Tag(readUser, "db.system.name"));
        Assert.Equal("SELECT", Tag(readUser, "db.operation.name"));
        Assert.Equal("user", Tag(readUser, "db.collection.name"));
        Assert.Equal("SELECT user", Tag(readUser, "db.query.summary"));
        Assert.Contains(children, c => ((string?)Tag(c, "db.query.summary"))?.Split("; ").Contains("INSERT session") == true);
        // Never the statement or its parameters (they hold emails and tokens).
        Assert.All(children, c => Assert.Null(Tag(c, "db.query.text")));

        Assert.Equal(1, telemetry.Value("better_auth.sign_in.attempts", (Method, "email"), (Outcome, "success")));
        Assert.Equal(1, telemetry.Value("better_auth.sign_ups", ("better_auth.sign_up.method", "email")));
        Assert.Equal(1, telemetry.Value("better_auth.sessions.created", (Operation, "signInEmail")));
        Assert.Equal(1, telemetry.Value("better_auth.sessions.created", (Operation, "signUpWithEmailAndPassword")));
        var duration = Assert.Single(telemetry.Points("better_auth.operation.duration"), p => Equals(p.Tags[Operation], "signInEmail"));
        Assert.Equal("s", duration.Unit);
        Assert.Equal(1, duration.Value);
        Assert.False(duration.Tags.ContainsKey(ErrorType));
        Assert.Equal(1, telemetry.Value("better_auth.password_hash.duration", ("better_auth.password_hash.operation", "verify")));
        Assert.Equal(1, telemetry.Value("better_auth.password_hash.wait_time", ("better_auth.password_hash.operation", "verify")));
        Assert.Equal(1, telemetry.Value("better_auth.password_hash.duration", ("better_auth.password_hash.operation", "hash")));
        // The queue gauge went up and came back down.
        Assert.Contains(telemetry.Points("better_auth.password_hash.pending"), p => Equals(p.Tags["better_auth.password_hash.operation"], "verify") && p.Value == 0);
    }

    [Fact]
    public async Task FailedSignIn_ErrorSpanAndFailureAttemptByErrorType_AndASecurityEvent()
    {
        using var telemetry = new TelemetryCapture();
        await using var host = await AuthTestHost.StartAsync(services: telemetry.AddTo);
        await host.Client().SignUpAsync("ada@example.com");
        var r = await host.Client().PostAsync("/sign-in/email", new { email = "ada@example.com", password = "wrong-password" });
        Assert.Equal(401, r.Status);

        var span = telemetry.Operation("signInEmail");
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("INVALID_EMAIL_OR_PASSWORD", Tag(span, ErrorType));
        Assert.Equal(401, Tag(span, "http.response.status_code"));
        Assert.Equal("email", Tag(span, Method));
        Assert.Equal("failure", Tag(span, Outcome));
        Assert.Null(Tag(span, "user.id"));

        Assert.Equal(1, telemetry.Value("better_auth.sign_in.attempts", (Method, "email"), (Outcome, "failure"), (ErrorType, "INVALID_EMAIL_OR_PASSWORD")));
        Assert.Equal(0, telemetry.Value("better_auth.sign_in.attempts", (Method, "email"), (Outcome, "success")));
        Assert.Equal(0, telemetry.Value("better_auth.sessions.created", (Operation, "signInEmail")));
        Assert.Equal(1, telemetry.Value("better_auth.operation.duration", (Operation, "signInEmail"), (ErrorType, "INVALID_EMAIL_OR_PASSWORD")));

        var logged = Assert.Single(telemetry.Logs, l => l.CategoryName == BetterAuthDiagnostics.SecurityLogCategory);
        Assert.Equal(5001, logged.EventId.Id);
        Assert.Equal("SignInFailed", logged.EventId.Name);
        var fields = logged.Attributes!.ToDictionary(a => a.Key, a => a.Value);
        Assert.Equal("email", fields["SignInMethod"]);
        Assert.Equal("INVALID_EMAIL_OR_PASSWORD", fields["ErrorType"]);
        Assert.Equal("signInEmail", fields["Operation"]);
        Assert.Equal("127.0.0.1", fields["ClientIp"]);
    }

    [Fact]
    public async Task TwoFactorSignIn_PasswordStepIsAChallenge_ThenAFailedAndASuccessfulTwoFactorAttempt()
    {
        using var telemetry = new TelemetryCapture();
        await using var host = await AuthTestHost.StartAsync(o => o.Plugins.Add(new BetterAuth.Plugins.TwoFactor.TwoFactorPlugin()), telemetry.AddTo);
        var enrolled = await TwoFactorTestKit.EnrolAsync(host, "ada@example.com");
        var createdBefore = telemetry.Value("better_auth.sessions.created", (Operation, "verifyTOTP"));
        // Enrolling (with a session) is no sign-in attempt.
        Assert.Equal(0, telemetry.Value("better_auth.sign_in.attempts", (Method, "two_factor"), (Outcome, "success")));

        var client = await TwoFactorTestKit.ChallengedAsync(host, enrolled.Email);
        var challenge = telemetry.Operation("signInEmail");
        Assert.Equal("two_factor_required", Tag(challenge, Outcome));
        Assert.Equal(ActivityStatusCode.Unset, challenge.Status);
        Assert.Equal(1, telemetry.Value("better_auth.sign_in.attempts", (Method, "email"), (Outcome, "two_factor_required")));
        // The password step's session is withdrawn by the challenge: no session was handed out.
        Assert.Equal(0, telemetry.Value("better_auth.sessions.created", (Operation, "signInEmail")));

        var wrong = await client.PostAsync("/two-factor/verify-totp", new { code = TwoFactorTestKit.Code(host, enrolled.Secret) == "000000" ? "111111" : "000000" });
        Assert.Equal(401, wrong.Status);
        Assert.Equal(1, telemetry.Value("better_auth.sign_in.attempts", (Method, "two_factor"), (Outcome, "failure"), (ErrorType, wrong.Code)));

        var right = await client.PostAsync("/two-factor/verify-totp", new { code = TwoFactorTestKit.Code(host, enrolled.Secret) });
        Assert.Equal(200, right.Status);
        var spans = telemetry.Spans.Where(s => s.OperationName == "better_auth.verifyTOTP" && Tag(s, Method) is not null).ToList();
        Assert.Equal(2, spans.Count);
        Assert.Equal(["failure", "success"], spans.Select(s => (string?)Tag(s, Outcome)));
        Assert.Equal(wrong.Code, Tag(spans[0], ErrorType));
        Assert.Equal("/api/auth/two-factor/verify-totp", Tag(spans[1], "http.route"));
        Assert.Equal(right.Json!["user"]!["id"]!.GetValue<string>(), Tag(spans[1], "user.id"));
        Assert.Equal(1, telemetry.Value("better_auth.sign_in.attempts", (Method, "two_factor"), (Outcome, "success")));
        Assert.Equal(createdBefore + 1, telemetry.Value("better_auth.sessions.created", (Operation, "verifyTOTP")));
    }

    [Fact]
    public async Task OAuthCallback_SpanWithProviderCallsAsClientChildren_SignUpAndAttempt_AndAFailedCallback()
    {
        using var telemetry = new TelemetryCapture();
        var idp = new FakeOAuthProvider();
        await using var host = await AuthTestHost.StartAsync(o => o.SocialProviders["oidc"] = idp.Options(), services =>
        {
            idp.Register(services);
            telemetry.AddTo(services);
        });
        idp.Clock = host.Clock;
        var client = host.Client();
        var start = await client.PostAsync("/sign-in/social", new { provider = "oidc", callbackURL = "/home" });
        var callback = idp.Authorize(start.Json!["url"]!.GetValue<string>(), new FakeUser("alice-1", "alice@example.com", "Alice"));
        var r = await client.GetAsync(callback);
        Assert.Equal(302, r.Status);

        // Starting the flow hands out no session: no attempt is counted for it.
        Assert.Null(Tag(telemetry.Operation("socialSignIn"), Outcome));
        var span = telemetry.Operation("oauthCallback");
        Assert.Equal("/api/auth/callback/{providerId}", Tag(span, "http.route"));
        Assert.Equal("GET", Tag(span, "http.request.method"));
        Assert.Equal(302, Tag(span, "http.response.status_code"));
        Assert.Equal("social", Tag(span, Method));
        Assert.Equal("success", Tag(span, Outcome));
        Assert.NotNull(Tag(span, "user.id"));

        var children = telemetry.Descendants(span);
        var token = Assert.Single(children, c => c.OperationName == "better_auth.oauth.token");
        Assert.Equal(ActivityKind.Client, token.Kind);
        Assert.Equal("token", Tag(token, "better_auth.oauth.purpose"));
        Assert.Equal("POST", Tag(token, "http.request.method"));
        Assert.Equal("idp.test", Tag(token, "server.address"));
        Assert.Equal(443, Tag(token, "server.port"));
        Assert.Equal(200, Tag(token, "http.response.status_code"));
        // The account row is written alone (SQLite) or in the SaveChanges' batch (PostgreSQL: "BATCH INSERT").
        Assert.Contains(children, c => ((string?)Tag(c, "db.query.summary"))?.Split("; ").Contains("INSERT account") == true);
        // The provider's URLs (codes, state) are never recorded.
        Assert.All(children.Append(span), c => Assert.DoesNotContain(c.TagObjects, t => t.Value is string s && s.Contains("code=")));

        Assert.Equal(1, telemetry.Value("better_auth.sign_in.attempts", (Method, "social"), (Outcome, "success")));
        Assert.Equal(1, telemetry.Value("better_auth.sign_ups", ("better_auth.sign_up.method", "social")));
        Assert.Equal(1, telemetry.Value("better_auth.sessions.created", (Operation, "oauthCallback")));

        // A code the provider refuses: the browser is redirected to the error page; the telemetry records a failure.
        var other = host.Client();
        start = await other.PostAsync("/sign-in/social", new { provider = "oidc" });
        callback = idp.Authorize(start.Json!["url"]!.GetValue<string>(), new FakeUser("bob-1", "bob@example.com"));
        var failed = await other.GetAsync(System.Text.RegularExpressions.Regex.Replace(callback, "code=[^&]+", "code=forged"));
        Assert.Equal(302, failed.Status);
        Assert.Contains("error=invalid_code", failed.Header("Location"));
        var failedSpan = Assert.Single(telemetry.Spans, s => s.OperationName == "better_auth.oauthCallback" && Tag(s, Outcome) is "failure");
        Assert.Equal(ActivityStatusCode.Error, failedSpan.Status);
        Assert.Equal("invalid_code", Tag(failedSpan, ErrorType));
        var refused = Assert.Single(telemetry.Descendants(failedSpan), c => c.OperationName == "better_auth.oauth.token");
        Assert.Equal(400, Tag(refused, "http.response.status_code"));
        Assert.Equal("400", Tag(refused, ErrorType));
        Assert.Equal(ActivityStatusCode.Error, refused.Status);
        Assert.Equal(1, telemetry.Value("better_auth.sign_in.attempts", (Method, "social"), (Outcome, "failure"), (ErrorType, "invalid_code")));
    }

    [Fact]
    public async Task MagicLinkVerify_IsASignInAttempt_ABadLinkAFailureThoughItRedirects()
    {
        using var telemetry = new TelemetryCapture();
        await using var host = await AuthTestHost.StartAsync(o => o.Plugins.Add(new BetterAuth.Plugins.MagicLink.MagicLinkPlugin()), telemetry.AddTo);
        var bad = await host.Client().GetAsync("/magic-link/verify?token=forged&callbackURL=%2Fin");
        Assert.Equal(302, bad.Status);
        Assert.Equal(1, telemetry.Value("better_auth.sign_in.attempts", (Method, "magic_link"), (Outcome, "failure"), (ErrorType, "INVALID_TOKEN")));
        Assert.Equal("INVALID_TOKEN", Tag(telemetry.Operation("verifyMagicLink"), ErrorType));

        Assert.Equal(200, (await host.Client().PostAsync("/sign-in/magic-link", new { email = "new@example.com" })).Status);
        var good = await host.Client().GetAsync($"/magic-link/verify?token={host.Outbox.Last("magic-link")!.Token}&callbackURL=%2Fin");
        Assert.Equal(302, good.Status);
        Assert.Equal(1, telemetry.Value("better_auth.sign_in.attempts", (Method, "magic_link"), (Outcome, "success")));
        Assert.Equal(1, telemetry.Value("better_auth.sign_ups", ("better_auth.sign_up.method", "magic_link")));
    }

    [Fact]
    public async Task PasskeySignIn_IsASignInAttemptByMethodPasskey()
    {
        using var telemetry = new TelemetryCapture();
        await using var host = await PasskeyTestKit.StartAsync(services: telemetry.AddTo);
        var (client, userId) = await PasskeyTestKit.UserAsync(host, "key@example.com");
        var authenticator = new SoftAuthenticator();
        Assert.Equal(200, (await PasskeyTestKit.RegisterAsync(client, authenticator)).Status);

        var (response, _) = await PasskeyTestKit.SignInAsync(host.Client(), authenticator);
        Assert.Equal(200, response.Status);
        var span = telemetry.Operation("passkeyVerifyAuthentication");
        Assert.Equal("passkey", Tag(span, Method));
        Assert.Equal("success", Tag(span, Outcome));
        Assert.Equal(userId, Tag(span, "user.id"));
        Assert.Equal(1, telemetry.Value("better_auth.sign_in.attempts", (Method, "passkey"), (Outcome, "success")));
        Assert.Equal(1, telemetry.Value("better_auth.sessions.created", (Operation, "passkeyVerifyAuthentication")));
    }

    [Fact]
    public async Task SignOutCountsARevokedSession_MessagesCountByOutcome_AFailedDeliveryIsAnErrorSpanAndLog()
    {
        using var telemetry = new TelemetryCapture();
        await using var host = await AuthTestHost.StartAsync(services: services =>
        {
            services.AddSingleton<BetterAuth.Core.Messaging.IAuthMessageSender>(new FailingSender());
            telemetry.AddTo(services);
        });
        var client = host.Client();
        await client.SignUpAsync("ada@example.com");
        Assert.Equal(200, (await client.PostAsync("/sign-out")).Status);
        Assert.Equal(1, telemetry.Value("better_auth.sessions.revoked", (Operation, "signOut")));

        Assert.Equal(200, (await host.Client().PostAsync("/request-password-reset", new { email = "ada@example.com" })).Status);
        const string kind = "better_auth.message.kind", sender = "better_auth.message.sender", outcome = "better_auth.message.outcome";
        Assert.Equal(1, telemetry.Value("better_auth.message.deliveries", (kind, "reset-password"), (sender, "RecordingSender"), (outcome, "delivered")));
        Assert.Equal(1, telemetry.Value("better_auth.message.deliveries", (kind, "reset-password"), (sender, "FailingSender"), (outcome, "failed"),
            (ErrorType, "System.InvalidOperationException")));
        // Each delivery is a child of the request that sent the message.
        var deliveries = telemetry.Descendants(telemetry.Operation("requestPasswordReset")).Where(s => s.OperationName == "better_auth.message.deliver").ToList();
        Assert.Equal(2, deliveries.Count);
        var failed = Assert.Single(deliveries, d => d.Status == ActivityStatusCode.Error);
        Assert.Equal("FailingSender", Tag(failed, sender));
        var log = Assert.Single(telemetry.Logs, l => l.EventId.Id == 4003);
        Assert.Equal("MessageDeliveryFailed", log.EventId.Name);
        Assert.DoesNotContain("ada@example.com", log.FormattedMessage);
    }

    /// <summary>A sender whose server is down.</summary>
    private sealed class FailingSender : BetterAuth.Core.Messaging.IAuthMessageSender
    {
        public bool DeliversInBackground => false;
        public Task SendAsync(BetterAuth.Core.Messaging.AuthMessage message, CancellationToken ct = default) =>
            throw new InvalidOperationException("the mail server is down");
    }
}
