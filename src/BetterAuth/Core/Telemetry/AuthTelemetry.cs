using System.Diagnostics;

namespace BetterAuth.Core.Telemetry;

/// <summary>
/// The library's <see cref="ActivitySource"/> and the attribute names it uses: OpenTelemetry's semantic conventions
/// where one exists (<c>error.type</c>, <c>http.route</c>, <c>db.*</c>, <c>server.*</c>, <c>user.id</c>), else under <c>better_auth.</c>.
/// Starting a span costs one check when nobody listens.
/// </summary>
internal static class AuthTelemetry
{
    public static readonly ActivitySource Source = new(BetterAuthDiagnostics.ActivitySourceName,
        typeof(AuthTelemetry).Assembly.GetName().Version?.ToString(3));

    /// <summary>The prefix of an operation's span name: <c>better_auth.signInEmail</c>.</summary>
    public const string OperationSpanPrefix = "better_auth.";

    public const string Operation = "better_auth.operation.name";
    public const string SignInMethod = "better_auth.sign_in.method";
    public const string SignInOutcome = "better_auth.sign_in.outcome";
    public const string SignUpMethod = "better_auth.sign_up.method";
    public const string MessageKind = "better_auth.message.kind";
    public const string MessageSender = "better_auth.message.sender";
    public const string MessageOutcome = "better_auth.message.outcome";
    public const string PasswordHashOperation = "better_auth.password_hash.operation";
    public const string OAuthPurpose = "better_auth.oauth.purpose";
    public const string ErrorType = "error.type";
    public const string UserId = "user.id";
    public const string DbSystem = "db.system.name";
    public const string DbNamespace = "db.namespace";
    public const string DbOperation = "db.operation.name";
    public const string DbCollection = "db.collection.name";
    public const string DbSummary = "db.query.summary";
    public const string DbBatchSize = "db.operation.batch.size";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";
    public const string HttpMethod = "http.request.method";
    public const string HttpRoute = "http.route";
    public const string HttpStatus = "http.response.status_code";

    /// <summary>Sign-in outcomes (<see cref="SignInOutcome"/>).</summary>
    public const string Success = "success", Failure = "failure", TwoFactorRequired = "two_factor_required";

    /// <summary><c>error.type</c> of a request refused by the rate limiter.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>A client span for a call to another system (database, Redis, SMTP server, OAuth provider), or null when nobody listens.</summary>
    public static Activity? StartClient(string name, ActivityContext parent = default) =>
        Source.HasListeners() ? Source.StartActivity(name, ActivityKind.Client, parent) : null;

    /// <summary>Ends a span as failed: <c>error.type</c> and an error status (the exception's type, never its message).</summary>
    public static void Fail(this Activity activity, string errorType)
    {
        activity.SetTag(ErrorType, errorType);
        activity.SetStatus(ActivityStatusCode.Error);
    }

    /// <summary>The <c>error.type</c> of an exception: its type's full name, as the semantic conventions suggest.</summary>
    public static string ErrorTypeOf(Exception e) => e.GetType().FullName ?? e.GetType().Name;
}
