using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace BetterAuth.Core.Telemetry;

/// <summary>
/// The library's instruments, on a <see cref="Meter"/> from the host's <see cref="IMeterFactory"/> (one per service
/// provider, as ASP.NET Core's own). Names and units follow OpenTelemetry's conventions: seconds for durations,
/// <c>{unit}</c> annotations for counts. Attributes are low-cardinality values only (never a user id or an address).
/// </summary>
internal sealed class AuthMetrics : IDisposable
{
    /// <summary>OpenTelemetry's HTTP duration buckets: these operations take milliseconds to a few seconds.</summary>
    private static readonly InstrumentAdvice<double> DurationAdvice = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
    };

    private readonly Meter _meter;

    public AuthMetrics(IMeterFactory? meters = null)
    {
        var options = new MeterOptions(BetterAuthDiagnostics.MeterName) { Version = AuthTelemetry.Source.Version };
        _meter = meters?.Create(options) ?? new Meter(options);
        OperationDuration = _meter.CreateHistogram("better_auth.operation.duration", "s",
            "Duration of auth operations (one per API request that reached an endpoint).", tags: null, DurationAdvice);
        SignInAttempts = _meter.CreateCounter<long>("better_auth.sign_in.attempts", "{attempt}",
            "Sign-in attempts by method and outcome (success, failure, two_factor_required).");
        SignUps = _meter.CreateCounter<long>("better_auth.sign_ups", "{user}", "Users created by signing up, by method.");
        SessionsCreated = _meter.CreateCounter<long>("better_auth.sessions.created", "{session}", "Sessions handed to clients.");
        SessionsRevoked = _meter.CreateCounter<long>("better_auth.sessions.revoked", "{session}",
            "Sessions ended before they expired (sign-out, revocation, password change, ban, user deletion).");
        RateLimited = _meter.CreateCounter<long>("better_auth.requests.rate_limited", "{request}", "Requests refused by the rate limiter.");
        PasswordHashWaitTime = _meter.CreateHistogram("better_auth.password_hash.wait_time", "s",
            "Time a password hash waited for a hashing thread.", tags: null, DurationAdvice);
        PasswordHashDuration = _meter.CreateHistogram("better_auth.password_hash.duration", "s",
            "Time a password hash took on its hashing thread.", tags: null, DurationAdvice);
        PasswordHashesPending = _meter.CreateUpDownCounter<long>("better_auth.password_hash.pending", "{hash}",
            "Password hashes queued for a hashing thread.");
        MessageDeliveries = _meter.CreateCounter<long>("better_auth.message.deliveries", "{message}",
            "Messages handed to a sender, by kind, sender and outcome (delivered, failed, dropped).");
    }

    public Histogram<double> OperationDuration { get; }
    public Counter<long> SignInAttempts { get; }
    public Counter<long> SignUps { get; }
    public Counter<long> SessionsCreated { get; }
    public Counter<long> SessionsRevoked { get; }
    public Counter<long> RateLimited { get; }
    public Histogram<double> PasswordHashWaitTime { get; }
    public Histogram<double> PasswordHashDuration { get; }
    public UpDownCounter<long> PasswordHashesPending { get; }
    public Counter<long> MessageDeliveries { get; }

    /// <summary>Counts sessions ended by an operation (nothing when <paramref name="count"/> is 0).</summary>
    public void RecordRevoked(int count, string operation)
    {
        if (count > 0) SessionsRevoked.Add(count, new KeyValuePair<string, object?>(AuthTelemetry.Operation, operation));
    }

    public static double Seconds(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;

    public void Dispose() => _meter.Dispose();
}
