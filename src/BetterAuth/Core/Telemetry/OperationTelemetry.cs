using System.Diagnostics;
using BetterAuth.Core.Events;
using BetterAuth.Core.Http;

namespace BetterAuth.Core.Telemetry;

/// <summary>
/// The telemetry of one API request (<see cref="AuthPipeline"/>): a span named after Better Auth's operation id
/// (<c>better_auth.signInEmail</c>) whose children are the request's database, Redis, hashing, SMTP and OAuth calls,
/// the operation's duration, and — when it completes — sign-in attempts, sign-ups, sessions created, rate-limit
/// refusals and the security log's failed sign-ins and lockouts. Attributes carry ids and codes only.
/// </summary>
internal sealed class OperationTelemetry : IDisposable
{
    private readonly AuthContext _ctx;
    private readonly Activity? _activity;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly string _operation;
    private bool _completed;

    public OperationTelemetry(AuthContext ctx)
    {
        _ctx = ctx;
        var endpoint = ctx.Endpoint;
        _operation = endpoint.OperationId ?? $"{endpoint.Method} {endpoint.Path}";
        if (AuthTelemetry.Source.HasListeners())
        {
            _activity = AuthTelemetry.Source.StartActivity(AuthTelemetry.OperationSpanPrefix + _operation);
            if (_activity is { } activity)
            {
                activity.SetTag(AuthTelemetry.Operation, _operation);
                // The route template (…/callback/{providerId}), never the request's path: paths may carry tokens.
                activity.SetTag(AuthTelemetry.HttpRoute, ctx.Auth.BasePath + endpoint.Path);
                activity.SetTag(AuthTelemetry.HttpMethod, endpoint.Method);
            }
        }
    }

    /// <summary>The operation name recorded as <c>better_auth.operation.name</c>.</summary>
    public string Operation => _operation;

    /// <summary>The request was refused by the rate limiter before its handler ran.</summary>
    public void RateLimited()
    {
        _ctx.Auth.Metrics.RateLimited.Add(1, new KeyValuePair<string, object?>(AuthTelemetry.Operation, _operation));
        if (_ctx.Outcome.SignInMethod is { } method)
            SecurityLog.SignInRateLimited(_ctx.Auth.SecurityLogger, method, _operation, _ctx.ClientIp);
        Complete(429, AuthTelemetry.RateLimited);
    }

    /// <summary>
    /// Records the answer: <paramref name="errorType"/> is Better Auth's error code (or the exception type) of a
    /// refusal, null for an answer the handler gave. Called before the events are delivered (they consume the
    /// request's session tracking). <paramref name="aborted"/>: the client went away; nothing is counted as an attempt.
    /// </summary>
    public void Complete(int status, string? errorType, bool aborted = false)
    {
        if (_completed) return;
        _completed = true;
        var outcome = _ctx.Outcome;
        errorType ??= outcome.ErrorType ?? (status >= 400 ? status.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
        var metrics = _ctx.Auth.Metrics;
        var operationTag = new KeyValuePair<string, object?>(AuthTelemetry.Operation, _operation);

        if (errorType is null) metrics.OperationDuration.Record(AuthMetrics.Seconds(_started), operationTag);
        else metrics.OperationDuration.Record(AuthMetrics.Seconds(_started), operationTag, new(AuthTelemetry.ErrorType, errorType));

        if (errorType is null)
        {
            var kept = _ctx.KeptSessions().Count();
            if (kept > 0) metrics.SessionsCreated.Add(kept, operationTag);
            var created = _ctx.PendingEvents<UserCreatedEvent>();
            if (created > 0 && (_ctx.Endpoint.SignUpMethod ?? outcome.SignInMethod) is { } signUpMethod)
                metrics.SignUps.Add(created, new KeyValuePair<string, object?>(AuthTelemetry.SignUpMethod, signUpMethod));
        }

        string? signIn = null;
        if (outcome.SignInMethod is { } method && !aborted)
        {
            signIn = outcome.SignInResult
                     ?? (errorType is not null ? AuthTelemetry.Failure : _ctx.SignedInSessions().Any() ? AuthTelemetry.Success : null);
            if (signIn is not null)
            {
                var tags = new TagList { { AuthTelemetry.SignInMethod, method }, { AuthTelemetry.SignInOutcome, signIn } };
                if (signIn == AuthTelemetry.Failure) tags.Add(AuthTelemetry.ErrorType, errorType);
                metrics.SignInAttempts.Add(1, tags);
                if (signIn == AuthTelemetry.Failure && errorType != AuthTelemetry.RateLimited)
                    SecurityLog.SignInFailed(_ctx.Auth.SecurityLogger, method, errorType!, _operation, _ctx.ClientIp);
            }
        }

        if (_activity is not { } activity) return;
        activity.SetTag(AuthTelemetry.HttpStatus, status);
        if (signIn is not null)
        {
            activity.SetTag(AuthTelemetry.SignInMethod, outcome.SignInMethod);
            activity.SetTag(AuthTelemetry.SignInOutcome, signIn);
        }
        // The user the operation acted as or signed in: an opaque id, never an address.
        if ((_ctx.NewSession ?? _ctx.ResolvedSession)?.User.Id is { } userId) activity.SetTag(AuthTelemetry.UserId, userId);
        if (errorType is not null) activity.Fail(errorType);
    }

    public void Dispose() => _activity?.Dispose();
}
