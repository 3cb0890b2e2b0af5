namespace BetterAuth.Core.Http;

/// <summary>Serves one request to an endpoint.</summary>
public delegate ValueTask<AuthResult> AuthHandler(AuthContext ctx);

/// <summary>Which session an endpoint needs before its handler runs (Better Auth's session middlewares).</summary>
public enum SessionRequirement
{
    /// <summary>No session needed.</summary>
    None,
    /// <summary>sessionMiddleware: no session → 401 with an empty body.</summary>
    Required,
    /// <summary>freshSessionMiddleware: as Required, and 403 "Session is not fresh" past <c>session.freshAge</c>.</summary>
    Fresh,
}

/// <summary>
/// One operation of the API as data: method, path (relative to the base path, <c>{name}</c> for parameters),
/// the handler, and what the pipeline must check first. <c>MapBetterAuth</c> maps every registered endpoint.
/// </summary>
public sealed record AuthEndpoint(string Method, string Path, AuthHandler Handler)
{
    /// <summary>Whether the endpoint needs a session.</summary>
    public SessionRequirement Session { get; init; }
    /// <summary>Better Auth's operation id (for the OpenAPI document).</summary>
    public string? OperationId { get; init; }
    /// <summary>One-line description (for the OpenAPI document).</summary>
    public string? Summary { get; init; }

    /// <summary>
    /// The sign-in method this endpoint serves (<c>email</c>, <c>social</c>, …): its requests count as sign-in attempts
    /// in the telemetry, succeeding when they hand out a session and failing when they are refused.
    /// </summary>
    internal string? SignInMethod { get; init; }
    /// <summary>The sign-up method of users this endpoint creates; else that of <see cref="SignInMethod"/>.</summary>
    internal string? SignUpMethod { get; init; }

    // Documentation, for the OpenAPI document (the openAPI plugin); the pipeline does not read it.

    /// <summary>The group it is listed under; null is core's "Default". Plugins' endpoints get the plugin's tag.</summary>
    public string? Tag { get; init; }
    /// <summary>A longer explanation than <see cref="Summary"/>, where Better Auth gives one.</summary>
    public string? Description { get; init; }
    /// <summary>The JSON body members the handler reads (POST).</summary>
    public IReadOnlyList<ApiField> Body { get; init; } = [];
    /// <summary>The query parameters the handler reads.</summary>
    public IReadOnlyList<ApiField> Query { get; init; } = [];
    /// <summary>The documented answer.</summary>
    public ApiResponse? Response { get; init; }
    /// <summary>Left out of the document (the documentation's own endpoints, as Better Auth leaves them out).</summary>
    public bool Undocumented { get; init; }

    /// <summary>A GET endpoint.</summary>
    public static AuthEndpoint Get(string path, AuthHandler handler) => new("GET", path, handler);
    /// <summary>A POST endpoint.</summary>
    public static AuthEndpoint Post(string path, AuthHandler handler) => new("POST", path, handler);
}
