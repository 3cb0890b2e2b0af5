namespace BetterAuth.Core.Http;

/// <summary>
/// Marks a request the host makes in-process (Better Auth's <c>auth.api.*</c>) rather than one from a client: such
/// calls are not rate limited (Better Auth limits at its HTTP router, which server calls bypass), and the pipeline
/// leaves the endpoint's answer here so the caller can read the objects before they were turned into JSON.
/// </summary>
internal sealed class ServerCallFeature
{
    /// <summary>The answer after every after-hook ran; null when the call ended in an error.</summary>
    public AuthResult? Result { get; internal set; }
}
