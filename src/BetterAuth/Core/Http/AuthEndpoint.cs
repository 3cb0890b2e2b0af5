using System.Text.Json.Serialization.Metadata;

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
    /// <summary>
    /// The typed request the handler reads with <see cref="AuthContext.ReadBody{T}"/> (which reads no other type): the
    /// body of a POST, the query parameters of a GET. The documented <see cref="Body"/> or <see cref="Query"/> is derived
    /// from the serializer's contract for it (member names, types, required members), with each member's
    /// <see cref="System.ComponentModel.DescriptionAttribute"/>, so the document cannot drift from what the handler reads.
    /// An endpoint with a request declares no body or query fields by hand.
    /// </summary>
    public JsonTypeInfo? Request
    {
        get => _request;
        init
        {
            if (value is not null && (_body.Count > 0 || _query.Count > 0)) throw HandWrittenAndDerived();
            _request = value;
        }
    }

    /// <summary>The JSON body members the handler reads (POST): derived from <see cref="Request"/>, else declared here.</summary>
    public IReadOnlyList<ApiField> Body
    {
        get => _request is not null && Method == "POST" ? RequestFields.Of(_request) : _body;
        init
        {
            if (_request is not null && value.Count > 0) throw HandWrittenAndDerived();
            _body = value;
        }
    }

    /// <summary>The query parameters the handler reads: derived from <see cref="Request"/> on a GET, else declared here.</summary>
    public IReadOnlyList<ApiField> Query
    {
        get => _request is not null && Method == "GET" ? RequestFields.Of(_request) : _query;
        init
        {
            if (_request is not null && value.Count > 0) throw HandWrittenAndDerived();
            _query = value;
        }
    }

    private readonly JsonTypeInfo? _request;
    private readonly IReadOnlyList<ApiField> _body = [];
    private readonly IReadOnlyList<ApiField> _query = [];

    private InvalidOperationException HandWrittenAndDerived() =>
        new($"{Method} {Path}: its fields are derived from its Request type; declare them there, not by hand.");
    /// <summary>The documented answer.</summary>
    public ApiResponse? Response { get; init; }
    /// <summary>Left out of the document (the documentation's own endpoints, as Better Auth leaves them out).</summary>
    public bool Undocumented { get; init; }

    /// <summary>A GET endpoint.</summary>
    public static AuthEndpoint Get(string path, AuthHandler handler) => new("GET", path, handler);
    /// <summary>A POST endpoint.</summary>
    public static AuthEndpoint Post(string path, AuthHandler handler) => new("POST", path, handler);
}
