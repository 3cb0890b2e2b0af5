using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BetterAuth.Core.Cookies;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Events;
using BetterAuth.Core.Plugins;
using BetterAuth.Core.Sessions;
using BetterAuth.Core.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BetterAuth.Core.Http;

/// <summary>
/// One request to the auth API (Better Auth's endpoint <c>ctx</c>): the parsed body, the cookies to set, the
/// session once resolved, and the store. Cookies set before an error is thrown are dropped, as in Better Auth.
/// </summary>
public sealed class AuthContext
{
    private AuthDbContext? _db;
    private AuthStore? _store;
    private JsonElement? _bodyElement;
    private bool _sessionResolved;
    private SessionWithUser? _session;

    internal AuthContext(HttpContext http, AuthRuntime auth, AuthEndpoint endpoint)
    {
        Http = http;
        Auth = auth;
        Endpoint = endpoint;
    }

    public HttpContext Http { get; }
    public AuthRuntime Auth { get; }
    public AuthEndpoint Endpoint { get; }
    /// <summary>The endpoint's path template relative to the base path, e.g. <c>/sign-in/email</c>.</summary>
    public string Path => Endpoint.Path;

    public AuthDbContext Db => _db ??= Http.RequestServices.GetRequiredService<AuthDbContext>();
    public AuthStore Store => _store ??= new AuthStore(this);
    public T GetService<T>() where T : notnull => Http.RequestServices.GetRequiredService<T>();

    /// <summary>The JSON body (forms are turned into an object of strings); null when the request had none.</summary>
    public byte[]? RawBody { get; internal set; }

    /// <summary>Set-Cookie values to send with a successful answer.</summary>
    public List<string> ResponseCookies { get; } = new();
    public Dictionary<string, string> ResponseHeaders { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The session created by this request (sign-in, sign-up...), for after-hooks such as two-factor's.</summary>
    public SessionWithUser? NewSession { get; set; }

    /// <summary>The origin and base path this request is served under, e.g. <c>http://localhost:3000/api/auth</c>.</summary>
    public string BaseUrl => (Auth.BaseOrigin ?? RequestOrigin) + Auth.BasePath;
    public string RequestOrigin => $"{Http.Request.Scheme}://{Http.Request.Host}";

    // ---- body -------------------------------------------------------------------------------------

    /// <summary>Deserialises the body; a missing body, a wrong type or a missing required field is Better Auth's VALIDATION_ERROR.</summary>
    public T ReadBody<T>(JsonTypeInfo<T> type) where T : class
    {
        if (RawBody is null || RawBody.Length == 0) throw AuthError.InvalidBody();
        try
        {
            return JsonSerializer.Deserialize(RawBody, type) ?? throw AuthError.InvalidBody();
        }
        catch (JsonException) { throw AuthError.InvalidBody(); }
    }

    /// <summary>The body as a JSON object, for free-record bodies (sign-up, update-user); anything else is a validation error.</summary>
    public JsonElement BodyObject()
    {
        if (_bodyElement is { } cached) return cached;
        if (RawBody is null || RawBody.Length == 0) throw AuthError.InvalidBody();
        try
        {
            using var doc = JsonDocument.Parse(RawBody);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw AuthError.InvalidBody();
            _bodyElement = doc.RootElement.Clone();
            return _bodyElement.Value;
        }
        catch (JsonException) { throw AuthError.InvalidBody(); }
    }

    /// <summary>
    /// Replaces the object body the handler will read. Better Auth's before-hooks may change <c>ctx.body</c>
    /// (e.g. to fill in a field the client left out); this is the equivalent.
    /// </summary>
    public void ReplaceBody(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) throw new ArgumentException("The body must be a JSON object.", nameof(body));
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) body.WriteTo(writer);
        RawBody = buffer.WrittenSpan.ToArray();
        _bodyElement = body.Clone();
    }

    /// <summary>A top-level string field of the body, or null (absent, not a string, or no object body).</summary>
    public string? BodyString(string name)
    {
        if (RawBody is null || RawBody.Length == 0) return null;
        try
        {
            var body = BodyObject();
            return body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        }
        catch (AuthError) { return null; }
    }

    public string? Query(string name)
    {
        var v = Http.Request.Query[name];
        return v.Count == 0 ? null : v[0];
    }

    /// <summary>A query flag as Better Auth's schemas take it: <c>true</c> or the string "true".</summary>
    public bool QueryFlag(string name) => string.Equals(Query(name), "true", StringComparison.Ordinal);

    // ---- cookies ----------------------------------------------------------------------------------

    public string? GetCookie(string name) => AuthCookies.Read(Http.Request.Headers.Cookie.ToString(), name);

    public string? GetSignedCookie(string name) => AuthCookies.VerifySignedValue(Auth.Signer, GetCookie(name));

    public void SetCookie(string name, string value, CookieAttributes attributes) =>
        ResponseCookies.Add(AuthCookies.Serialize(name, value, attributes));

    public void SetSignedCookie(string name, string value, CookieAttributes attributes) =>
        SetCookie(name, AuthCookies.SignValue(Auth.Signer, value), attributes);

    public void DeleteCookie(string name) => SetCookie(name, "", Auth.Cookies.Defaults with { MaxAge = 0 });

    // ---- session ----------------------------------------------------------------------------------

    /// <summary>The request's session (cookie or bearer token), resolved once per request; may extend it and re-set cookies.</summary>
    public async ValueTask<SessionWithUser?> GetSessionAsync(bool disableCookieCache = false, bool disableRefresh = false)
    {
        if (_sessionResolved) return _session;
        _session = await SessionManager.ResolveAsync(this, disableCookieCache, disableRefresh);
        _sessionResolved = true;
        return _session;
    }

    /// <summary>The session, or Better Auth's sessionMiddleware answer: 401 with an empty body.</summary>
    public async ValueTask<SessionWithUser> RequireSessionAsync()
        => await GetSessionAsync() ?? throw new AuthError(401);

    internal void SetResolvedSession(SessionWithUser? session)
    {
        _session = session;
        _sessionResolved = true;
    }

    /// <summary>
    /// Makes <paramref name="session"/> the request's session for a request authenticated by another credential than a
    /// session token (e.g. an API key): a before-hook calls it, and the endpoint then sees that user as signed in. The
    /// session-creating lifecycle hooks run first, so what refuses a new session (a ban) refuses the credential too.
    /// Such a session has no row and no cookie may carry it: <see cref="SessionManager.SetSessionCookie"/> sets none for it.
    /// </summary>
    public async ValueTask UseCredentialSessionAsync(SessionWithUser session)
    {
        foreach (var l in Lifecycles) await l.OnSessionCreatingAsync(this, session.Session);
        SetResolvedSession(session);
        CredentialSession = session.Session;
    }

    /// <summary>The session set by <see cref="UseCredentialSessionAsync"/>, if any.</summary>
    public Session? CredentialSession { get; private set; }

    /// <summary>True for a call the host made in-process through the server API, not a request from a client.</summary>
    public bool IsServerCall => Http.Features.Get<ServerCallFeature>() is not null;

    public string? ClientIp => ClientIpResolver.Resolve(Http, Auth.Options.Advanced.IpAddress);

    /// <summary>The session resolved for this request so far (null when none was asked for or none exists).</summary>
    internal SessionWithUser? ResolvedSession => _sessionResolved ? _session : null;

    // ---- lifecycle hooks and events ---------------------------------------------------------------

    private IReadOnlyList<IAuthLifecycle>? _lifecycles;
    private List<AuthEvent>? _events;
    private List<Session>? _createdSessions;
    private HashSet<string>? _deletedTokens;

    /// <summary>The plugins' lifecycle hooks, then those the host registered as <see cref="IAuthLifecycle"/> services.</summary>
    internal IReadOnlyList<IAuthLifecycle> Lifecycles => _lifecycles ??= CombineLifecycles();

    private IReadOnlyList<IAuthLifecycle> CombineLifecycles()
    {
        var hosted = Http.RequestServices?.GetServices<IAuthLifecycle>().ToArray() ?? [];
        return hosted.Length == 0 ? Auth.Registry.Lifecycles : [.. Auth.Registry.Lifecycles, .. hosted];
    }

    /// <summary>Queues an event for the host's handlers; it is delivered when the request's work is done.</summary>
    public void Raise(AuthEvent e) => (_events ??= new()).Add(e);

    internal bool HasPendingEvents => _events is not null || _createdSessions is not null;

    internal List<AuthEvent> TakePendingEvents()
    {
        var events = _events ?? new List<AuthEvent>();
        _events = null;
        return events;
    }

    internal IReadOnlyList<Session> CreatedSessions => (IReadOnlyList<Session>?)_createdSessions ?? [];

    internal void NoteSessionCreated(Session session) => (_createdSessions ??= new()).Add(session);

    /// <summary>Remembers that sessions created earlier in this request were deleted again (e.g. by a two-factor challenge).</summary>
    internal void NoteSessionsDeleted(Func<Session, bool> deleted)
    {
        if (_createdSessions is null) return;
        foreach (var s in _createdSessions)
            if (deleted(s)) (_deletedTokens ??= new(StringComparer.Ordinal)).Add(s.Token);
    }

    internal bool WasSessionDeleted(Session session) => _deletedTokens?.Contains(session.Token) == true;

    internal void ClearSessionTracking()
    {
        _createdSessions = null;
        _deletedTokens = null;
    }
}
