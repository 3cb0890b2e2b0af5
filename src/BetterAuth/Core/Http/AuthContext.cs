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
    private AuthStoreContext? _storeContext;
    private JsonElement? _bodyElement;
    private bool _sessionResolved;
    private SessionWithUser? _session;

    internal AuthContext(HttpContext http, AuthRuntime auth, AuthEndpoint endpoint)
    {
        Http = http;
        Auth = auth;
        Endpoint = endpoint;
        Outcome = new Telemetry.OperationOutcome(endpoint);
    }

    /// <summary>What the request's telemetry reports beyond its status: sign-in method and outcome, a failure answered with a redirect.</summary>
    internal Telemetry.OperationOutcome Outcome { get; }

    /// <summary>The ASP.NET Core request.</summary>
    public HttpContext Http { get; }
    /// <summary>The instance's resolved configuration and services.</summary>
    public AuthRuntime Auth { get; }
    /// <summary>The endpoint being served.</summary>
    public AuthEndpoint Endpoint { get; }
    /// <summary>The endpoint's path template relative to the base path, e.g. <c>/sign-in/email</c>.</summary>
    public string Path => Endpoint.Path;

    /// <summary>The request's database context.</summary>
    public AuthDbContext Db => _db ??= Http.RequestServices.GetRequiredService<AuthDbContext>();
    /// <summary>Better Auth's data operations on the request's database context.</summary>
    public AuthStore Store => StoreContext.Store;
    /// <summary>What the store and the lifecycle hooks know of this request: address, user agent, operation, events.</summary>
    public AuthStoreContext StoreContext => _storeContext ??= new AuthStoreContext(Auth, this, () => Db, Http.RequestServices,
        () => ClientIp, () => Http.Request.Headers.UserAgent.ToString(), Endpoint.OperationId ?? Path, Http.RequestAborted);
    /// <summary>A service from the request's scope.</summary>
    public T GetService<T>() where T : notnull => Http.RequestServices.GetRequiredService<T>();

    /// <summary>The JSON body (forms are turned into an object of strings); null when the request had none.</summary>
    public byte[]? RawBody { get; internal set; }

    /// <summary>Set-Cookie values to send with a successful answer.</summary>
    public List<string> ResponseCookies { get; } = new();
    /// <summary>Headers to add to the answer.</summary>
    public Dictionary<string, string> ResponseHeaders { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The session this answer hands to the client (the last session cookie it sets: a sign-in, sign-up, refresh or
    /// switch), for after-hooks that act on it; null when none is set or the answer clears the session cookie again.
    /// </summary>
    public SessionWithUser? NewSession { get; internal set; }

    /// <summary>The origin and base path this request is served under, e.g. <c>http://localhost:3000/api/auth</c>.</summary>
    public string BaseUrl => (Auth.BaseOrigin ?? RequestOrigin) + Auth.BasePath;
    /// <summary>The request's own origin (scheme, host and port).</summary>
    public string RequestOrigin => $"{Http.Request.Scheme}://{Http.Request.Host}";

    // ---- body -------------------------------------------------------------------------------------

    /// <summary>
    /// Deserialises the body as the endpoint's declared <see cref="AuthEndpoint.Request"/>, the type its documentation is
    /// derived from (reading another type is a programming error, <see cref="InvalidOperationException"/>). A missing
    /// body, a wrong type or a missing required field is Better Auth's VALIDATION_ERROR.
    /// </summary>
    public T ReadBody<T>(JsonTypeInfo<T> type) where T : class
    {
        if (Endpoint.Request?.Type != typeof(T))
            throw new InvalidOperationException($"{Endpoint.Method} {Endpoint.Path} reads a {typeof(T).Name} body: declare it as the endpoint's Request, so its documentation is derived from it.");
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

    /// <summary>A query-string parameter, or null.</summary>
    public string? Query(string name)
    {
        var v = Http.Request.Query[name];
        return v.Count == 0 ? null : v[0];
    }

    /// <summary>A query flag as Better Auth's schemas take it: <c>true</c> or the string "true".</summary>
    public bool QueryFlag(string name) => string.Equals(Query(name), "true", StringComparison.Ordinal);

    // ---- cookies ----------------------------------------------------------------------------------

    /// <summary>A request cookie's value, or null.</summary>
    public string? GetCookie(string name) => AuthCookies.Read(Http.Request.Headers.Cookie.ToString(), name);

    /// <summary>A signed request cookie's value if its signature is valid, else null.</summary>
    public string? GetSignedCookie(string name) => AuthCookies.VerifySignedValue(Auth.Signer, GetCookie(name));

    /// <summary>Sets a cookie on the answer.</summary>
    public void SetCookie(string name, string value, CookieAttributes attributes) =>
        ResponseCookies.Add(AuthCookies.Serialize(name, value, attributes));

    /// <summary>Sets a cookie signed with the secret (HMAC-SHA256), as Better Auth signs them.</summary>
    public void SetSignedCookie(string name, string value, CookieAttributes attributes) =>
        SetCookie(name, AuthCookies.SignValue(Auth.Signer, value), attributes);

    /// <summary>Expires a cookie.</summary>
    public void DeleteCookie(string name) => SetCookie(name, "", Auth.Cookies.Defaults with { MaxAge = 0 });

    // ---- session ----------------------------------------------------------------------------------

    /// <summary>
    /// The request's live session (cookie or bearer token), read from the database (or the shared cache kept in step
    /// with it), resolved once per request; may extend it and re-set cookies. Never served from the signed
    /// <c>session_data</c> cookie cache: whatever checks a permission or writes must see a role change, a ban or a
    /// revocation at once.
    /// </summary>
    public async ValueTask<SessionWithUser?> GetSessionAsync(bool disableRefresh = false)
    {
        if (_sessionResolved) return _session;
        _session = await SessionManager.ResolveAsync(this, useCookieCache: false, disableRefresh);
        _sessionResolved = true;
        return _session;
    }

    /// <summary>
    /// get-session's own read: like <see cref="GetSessionAsync"/>, but with <c>Session.CookieCache</c> on it may answer
    /// from the signed cookie for up to its MaxAge (Better Auth's documented window). Only for showing the session.
    /// </summary>
    internal async ValueTask<SessionWithUser?> GetSessionForDisplayAsync(bool disableCookieCache, bool disableRefresh)
    {
        if (_sessionResolved) return _session;
        _session = await SessionManager.ResolveAsync(this, useCookieCache: !disableCookieCache, disableRefresh);
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
    internal async ValueTask UseCredentialSessionAsync(SessionWithUser session)
    {
        foreach (var l in StoreContext.Lifecycles) await l.OnSessionCreatingAsync(StoreContext, session.Session);
        SetResolvedSession(session);
        CredentialSession = session.Session;
    }

    /// <summary>The session set by <see cref="UseCredentialSessionAsync"/>, if any.</summary>
    internal Session? CredentialSession { get; private set; }

    /// <summary>True for a call the host made in-process through the server API, not a request from a client.</summary>
    internal bool IsServerCall => Http.Features.Get<ServerCallFeature>() is not null;

    /// <summary>The client IP (the socket address, or a trusted proxy's forwarding header).</summary>
    public string? ClientIp => ClientIpResolver.Resolve(Http, Auth.Options.Advanced.IpAddress);

    /// <summary>The session resolved for this request so far (null when none was asked for or none exists).</summary>
    internal SessionWithUser? ResolvedSession => _sessionResolved ? _session : null;

    // ---- events and the sessions this request created (kept by its store context) -----------------

    /// <summary>Queues an event for the host's handlers; it is delivered when the request's work is done.</summary>
    public void Raise(AuthEvent e) => StoreContext.Raise(e);

    internal bool HasPendingEvents => _storeContext?.HasPendingEvents == true;

    internal List<AuthEvent> TakePendingEvents() => _storeContext?.TakePendingEvents() ?? [];

    internal IReadOnlyList<Session> CreatedSessions => _storeContext?.CreatedSessions ?? [];

    /// <summary>Sessions this request created and did not delete again.</summary>
    internal IEnumerable<Session> KeptSessions() => CreatedSessions.Where(s => !WasSessionDeleted(s));

    /// <summary>
    /// Sessions this request handed to a client for a sign-in: kept, and not just the caller's own session replaced
    /// (password change, two-factor enrolment) — the sessions <see cref="SignedInEvent"/> reports.
    /// </summary>
    internal IEnumerable<Session> SignedInSessions()
    {
        var current = ResolvedSession;
        return KeptSessions().Where(s => current is null || current.User.Id != s.UserId);
    }

    /// <summary>How many events of a type are waiting for delivery.</summary>
    internal int PendingEvents<TEvent>() where TEvent : AuthEvent => _storeContext?.PendingEvents<TEvent>() ?? 0;

    internal bool WasSessionDeleted(Session session) => _storeContext?.WasSessionDeleted(session) == true;

    internal void ClearSessionTracking() => _storeContext?.ClearSessionTracking();
}
