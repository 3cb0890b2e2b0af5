namespace BetterAuth;

/// <summary>
/// The names under which Better Auth reports traces and metrics through <c>System.Diagnostics</c> (no OpenTelemetry
/// dependency): subscribe with OpenTelemetry's <c>AddSource(BetterAuthDiagnostics.ActivitySourceName)</c> and
/// <c>AddMeter(BetterAuthDiagnostics.MeterName)</c>. The spans, metrics and attributes are listed in the README
/// ("Deploy"). None of them carries an email address, phone number, token, code or password.
/// </summary>
public static class BetterAuthDiagnostics
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> of the auth operations and their database, Redis, SMTP and OAuth calls.</summary>
    public const string ActivitySourceName = "BetterAuth";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> of sign-ins, sign-ups, sessions, rate limits, password hashing and message delivery.</summary>
    public const string MeterName = "BetterAuth";

    /// <summary>The log category of security events (failed sign-ins, lockouts, bans, impersonation, password and two-factor changes).</summary>
    public const string SecurityLogCategory = "BetterAuth.Security";
}
