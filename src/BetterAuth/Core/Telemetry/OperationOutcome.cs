using BetterAuth.Core.Http;

namespace BetterAuth.Core.Telemetry;

/// <summary>
/// What one request's telemetry reports beyond its HTTP status, set by the flows that know it: whether it is a sign-in
/// and by which method, an outcome the status does not show (a two-factor challenge), or a failure answered with a
/// redirect (the OAuth callback).
/// </summary>
internal sealed class OperationOutcome(AuthEndpoint endpoint)
{
    /// <summary>The sign-in method, when this request is a sign-in attempt (the endpoint's, unless a flow says otherwise).</summary>
    public string? SignInMethod { get; set; } = endpoint.SignInMethod;

    /// <summary>An outcome the answer does not show by itself (<see cref="AuthTelemetry.TwoFactorRequired"/>).</summary>
    public string? SignInResult { get; set; }

    /// <summary>The <c>error.type</c> of a failure answered with a redirect or another non-error status.</summary>
    public string? ErrorType { get; private set; }

    /// <summary>The flow failed although its answer is not an error status (e.g. a redirect to the error page).</summary>
    public void Failed(string errorType) => ErrorType = errorType;
}
