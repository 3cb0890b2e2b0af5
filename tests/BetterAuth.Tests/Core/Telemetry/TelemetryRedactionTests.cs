using System.Diagnostics;
using System.Text;
using BetterAuth.Plugins.EmailOtp;
using BetterAuth.Plugins.TwoFactor;
using BetterAuth.Tests.Plugins.TwoFactor;
using BetterAuth.Tests.Support;
using Microsoft.Extensions.Logging;
using OtpNet;

namespace BetterAuth.Tests.Core.Telemetry;

/// <summary>
/// Every span (name, attributes, events, status), every metric (name, attributes) and every log record at Information
/// and above that a full set of flows produces — sign-up, sign-in, a failed sign-in, password reset, email OTP,
/// two-factor enrolment and sign-in by TOTP, OTP and backup code, password change — is searched for each email
/// address, password, session token, reset token, code and TOTP secret those flows used. One hit fails.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryRedactionTests
{
    private const string Email = "scan.7f3a9c@example.com";
    private const string SessionCookie = "better-auth.session_token";

    /// <summary>The host's own request log ("Request starting GET /reset-password/{token}") is the host's to configure: the standalone server caps it (e2e/tests/security-logs.test.mjs).</summary>
    private const string HostRequestLog = "Microsoft.AspNetCore.Hosting.Diagnostics";

    private readonly Dictionary<string, string> _secrets = new();

    private string Keep(string label, string? value)
    {
        Assert.False(string.IsNullOrEmpty(value), $"the flow produced no {label}");
        _secrets[label] = value!;
        return value!;
    }

    /// <summary>Keeps the session token the client now holds (the part of the signed cookie before the signature).</summary>
    private void KeepSession(TestClient client, string label)
    {
        Assert.True(client.Cookies.TryGetValue(SessionCookie, out var cookie), $"no session cookie after {label}");
        Keep(label, Uri.UnescapeDataString(cookie!).Split('.')[0]);
    }

    /// <summary>A fresh browser past the password step of a two-factor sign-in.</summary>
    private static async Task<TestClient> ChallengedAsync(AuthTestHost host, string password)
    {
        var client = host.Client();
        var r = await client.PostAsync("/sign-in/email", new { email = Email, password });
        Assert.Equal("{\"twoFactorRedirect\":true}", r.Text);
        return client;
    }

    [Fact]
    public async Task FullFlows_LeaveNoEmailPasswordTokenCodeOrSecretInSpansMetricsOrLogs()
    {
        using var telemetry = new TelemetryCapture();
        await using var host = await AuthTestHost.StartAsync(o =>
        {
            // Ten-digit codes: a code found in the output cannot be a coincidental number.
            o.Plugins.Add(new EmailOtpPlugin(new EmailOtpOptions { OtpLength = 10 }));
            o.Plugins.Add(new TwoFactorPlugin(new TwoFactorOptions { OtpOptions = { Digits = 10 } }));
        }, telemetry.AddTo);
        Keep("email", Email);

        // Sign-up, sign-in, a failed sign-in.
        var password = Keep("password", "first-Passw0rd!");
        var client = host.Client();
        await client.SignUpAsync(Email, password, "Scan User");
        KeepSession(client, "sign-up session");
        client = host.Client();
        await client.SignInAsync(Email, password);
        KeepSession(client, "sign-in session");
        Assert.Equal(401, (await host.Client().PostAsync("/sign-in/email", new { email = Email, password = Keep("wrong password", "Wrong-Passw0rd!") })).Status);

        // Email OTP: a wrong code, then the right one (which proves the address: the unproven password is dropped).
        Assert.Equal(200, (await host.Client().PostAsync("/email-otp/send-verification-otp", new { email = Email, type = "sign-in" })).Status);
        var otp = Keep("email OTP", host.Outbox.Last("email-otp:sign-in")!.Otp);
        Assert.Equal(400, (await host.Client().PostAsync("/sign-in/email-otp", new { email = Email, otp = Keep("wrong email OTP", otp == "0123456789" ? "9876543210" : "0123456789") })).Status);
        client = host.Client();
        var otpSignIn = await client.PostAsync("/sign-in/email-otp", new { email = Email, otp });
        Assert.True(otpSignIn.Status == 200, otpSignIn.Text);
        KeepSession(client, "email OTP session");

        // Password reset: the mailed link, its redirect, the reset.
        Assert.Equal(200, (await host.Client().PostAsync("/request-password-reset", new { email = Email, redirectTo = "/new-password" })).Status);
        var resetToken = Keep("reset token", host.Outbox.Last("reset-password")!.Token);
        Assert.Equal(302, (await host.Client().GetAsync($"/reset-password/{resetToken}?callbackURL=%2Fnew-password")).Status);
        password = Keep("reset password", "second-Passw0rd!");
        Assert.Equal(200, (await host.Client().PostAsync("/reset-password", new { newPassword = password, token = resetToken })).Status);

        client = host.Client();
        await client.SignInAsync(Email, password);
        KeepSession(client, "session after the reset");

        // Two-factor: enrolment (TOTP secret, backup codes), then sign-ins by TOTP, by OTP and by backup code.
        var enable = await client.PostAsync("/two-factor/enable", new { password });
        Assert.True(enable.Status == 200, enable.Text);
        var totpUri = enable.Json!["totpURI"]!.GetValue<string>();
        var secret = Keep("TOTP secret", TwoFactorTestKit.SecretOf(totpUri));
        Keep("TOTP secret (base32)", Base32Encoding.ToString(Encoding.UTF8.GetBytes(secret)).TrimEnd('='));
        var backupCodes = enable.Json!["backupCodes"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray();
        for (var i = 0; i < backupCodes.Length; i++) Keep($"backup code {i}", backupCodes[i]);
        Assert.Equal(200, (await client.PostAsync("/two-factor/verify-totp", new { code = Keep("TOTP code (enrolment)", TwoFactorTestKit.Code(host, secret)) })).Status);
        KeepSession(client, "enrolment session");
        host.Clock.Advance(TimeSpan.FromSeconds(30));

        client = await ChallengedAsync(host, password);
        Keep("two-factor cookie", Uri.UnescapeDataString(client.Cookies[TwoFactorTestKit.TwoFactorCookie]).Split('.')[0]);
        Assert.Equal(200, (await client.PostAsync("/two-factor/verify-totp", new { code = Keep("TOTP code", TwoFactorTestKit.Code(host, secret)) })).Status);
        KeepSession(client, "TOTP session");

        client = await ChallengedAsync(host, password);
        Assert.Equal(200, (await client.PostAsync("/two-factor/send-otp")).Status);
        var twoFactorOtp = Keep("two-factor OTP", host.Outbox.Last("two-factor-otp")!.Otp);
        Assert.Equal(200, (await client.PostAsync("/two-factor/verify-otp", new { code = twoFactorOtp })).Status);
        KeepSession(client, "two-factor OTP session");

        client = await ChallengedAsync(host, password);
        Assert.Equal(200, (await client.PostAsync("/two-factor/verify-backup-code", new { code = backupCodes[0] })).Status);
        KeepSession(client, "backup code session");

        // A bearer request and a password change.
        var bearer = host.Client();
        bearer.Bearer = _secrets["backup code session"];
        Assert.Equal(200, (await bearer.GetAsync("/get-session")).Status);
        var changed = Keep("changed password", "third-Passw0rd!");
        Assert.Equal(200, (await client.PostAsync("/change-password", new { currentPassword = password, newPassword = changed, revokeOtherSessions = true })).Status);
        KeepSession(client, "password change session");

        // What an exporter received.
        var spans = telemetry.Spans;
        var metrics = telemetry.Metrics();
        var logs = telemetry.Logs.Where(l => l.LogLevel >= LogLevel.Information && l.CategoryName != HostRequestLog).ToList();
        Assert.Contains(spans, s => s.OperationName == "better_auth.verifyBackupCode");
        Assert.Contains(metrics, m => m.Name == "better_auth.sign_in.attempts");
        Assert.Contains(logs, l => l.CategoryName == BetterAuthDiagnostics.SecurityLogCategory);

        var texts = new List<(string Where, string Text)>();
        foreach (var span in spans)
        {
            var where = $"span {span.OperationName}";
            texts.Add((where, span.OperationName));
            texts.Add((where, span.DisplayName));
            if (span.StatusDescription is { } status) texts.Add((where + " status", status));
            foreach (var tag in span.TagObjects) texts.Add(($"{where} {tag.Key}", $"{tag.Key}={tag.Value}"));
            foreach (var e in span.Events)
            {
                texts.Add(($"{where} event", e.Name));
                foreach (var tag in e.Tags) texts.Add(($"{where} event {e.Name} {tag.Key}", $"{tag.Key}={tag.Value}"));
            }
            foreach (var item in span.Baggage) texts.Add(($"{where} baggage", $"{item.Key}={item.Value}"));
        }
        foreach (var metric in metrics)
        {
            texts.Add(($"metric {metric.Name}", metric.Name));
            foreach (var point in metric.MetricPoints)
                foreach (var tag in point.Tags) texts.Add(($"metric {metric.Name} {tag.Key}", $"{tag.Key}={tag.Value}"));
        }
        foreach (var log in logs)
        {
            var where = $"log {log.CategoryName} {log.EventId}";
            texts.Add((where, log.FormattedMessage ?? ""));
            texts.Add((where + " body", log.Body ?? ""));
            foreach (var attribute in log.Attributes ?? []) texts.Add(($"{where} {attribute.Key}", $"{attribute.Key}={attribute.Value}"));
            if (log.Exception is { } exception) texts.Add((where + " exception", exception.ToString()));
            log.ForEachScope((scope, list) =>
            {
                foreach (var item in scope) list.Add(($"{where} scope", $"{item.Key}={item.Value}"));
            }, texts);
        }

        var hits = new List<string>();
        foreach (var (label, value) in _secrets)
        {
            var forms = new[] { value, Uri.EscapeDataString(value) }.Distinct();
            foreach (var (where, text) in texts)
                if (forms.Any(f => text.Contains(f, StringComparison.OrdinalIgnoreCase)))
                    hits.Add($"{label} in {where}: {text}");
        }
        Assert.True(hits.Count == 0, string.Join("\n", hits.Distinct()));
        Assert.True(texts.Count > 200, $"only {texts.Count} texts were scanned");
    }
}
