namespace BetterAuth.Core.Http;

public delegate ValueTask<AuthResult> AuthHandler(AuthContext ctx);

/// <summary>Which session an endpoint needs before its handler runs (Better Auth's session middlewares).</summary>
public enum SessionRequirement
{
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
    public SessionRequirement Session { get; init; }
    public string? OperationId { get; init; }
    public string? Summary { get; init; }

    public static AuthEndpoint Get(string path, AuthHandler handler) => new("GET", path, handler);
    public static AuthEndpoint Post(string path, AuthHandler handler) => new("POST", path, handler);
}
