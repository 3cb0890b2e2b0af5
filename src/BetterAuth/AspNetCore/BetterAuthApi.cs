using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using BetterAuth.Core;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace BetterAuth.AspNetCore;

/// <summary>
/// Every Better Auth endpoint, callable from C# without HTTP (Better Auth's <c>auth.api.*</c>). A call runs the same
/// pipeline as a request — plugin hooks, validation, lifecycle hooks, events — in its own DI scope, and answers what a
/// client would get. Calls are not rate limited. Inject it anywhere (singleton).
/// </summary>
public sealed class BetterAuthApi
{
    private static readonly HashSet<string> ContentHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.ContentLength, HeaderNames.ContentType, HeaderNames.TransferEncoding, HeaderNames.ContentEncoding,
    };

    private static readonly JsonSerializerOptions BodyJson = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    private readonly IServiceScopeFactory _scopes;
    private readonly AuthRuntime _runtime;
    private readonly AuthPipeline _pipeline;
    private readonly Lazy<(AuthEndpoint Endpoint, TemplateMatcher Matcher)[]> _routes;

    internal BetterAuthApi(IServiceScopeFactory scopes, AuthRuntime runtime, AuthPipeline pipeline)
    {
        _scopes = scopes;
        _runtime = runtime;
        _pipeline = pipeline;
        // Literal paths first, as the router prefers them over parameterised ones.
        _routes = new(() => runtime.Registry.Endpoints
            .OrderBy(e => e.Path.Contains('{'))
            .Select(e => (e, new TemplateMatcher(TemplateParser.Parse(e.Path.TrimStart('/')), new RouteValueDictionary())))
            .ToArray());
    }

    // ---- generic calls ----------------------------------------------------------------------------

    /// <summary>Calls an endpoint and returns its answer, errors included (nothing is thrown for a 4xx).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "The overloads differ in their first parameter (method and path, or a request), so no call can be ambiguous.")]
    public Task<BetterAuthApiResponse> InvokeAsync(string method, string path, object? body = null,
        IHeaderDictionary? headers = null, CancellationToken ct = default) =>
        InvokeAsync(new BetterAuthApiRequest(method, path) { Body = body, Headers = headers ?? new HeaderDictionary() }, ct);

    /// <summary>Calls any Better Auth endpoint through the pipeline (plugins, hooks, validation; no rate limit) and returns its answer.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "The overloads differ in their first parameter (method and path, or a request), so no call can be ambiguous.")]
    public async Task<BetterAuthApiResponse> InvokeAsync(BetterAuthApiRequest request, CancellationToken ct = default)
    {
        var (path, queryInPath) = SplitQuery(request.Path);
        if (!TryMatch(request.Method, path, out var endpoint, out var routeValues))
            return new BetterAuthApiResponse(StatusCodes.Status404NotFound, "", new HeaderDictionary(), null);

        await using var scope = _scopes.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider, RequestAborted = ct };
        var call = new ServerCallFeature();
        http.Features.Set(call);
        using var responseBody = new MemoryStream();
        http.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(responseBody));
        http.Connection.RemoteIpAddress = request.RemoteIpAddress;
        PrepareRequest(http.Request, request, endpoint, path, queryInPath, routeValues);

        await _pipeline.HandleAsync(http, endpoint);

        var response = http.Response;
        var answerHeaders = new HeaderDictionary();
        foreach (var (name, value) in response.Headers) answerHeaders[name] = value;
        return new BetterAuthApiResponse(response.StatusCode, Encoding.UTF8.GetString(responseBody.ToArray()), answerHeaders, call.Result?.Body);
    }

    /// <summary>
    /// Calls an endpoint and returns its answer as <typeparamref name="TResponse"/>: the answer object itself when it
    /// is one (e.g. <c>SessionResponse</c>), else the JSON body deserialized. A refusal throws <see cref="BetterAuthApiException"/>.
    /// </summary>
    public async Task<TResponse?> CallAsync<TResponse>(string method, string path, object? body = null,
        IHeaderDictionary? headers = null, CancellationToken ct = default)
    {
        var response = await InvokeAsync(method, path, body, headers, ct);
        if (!response.IsSuccess) throw new BetterAuthApiException(response);
        if (response.Value is TResponse typed) return typed;
        if (response.Text.Length == 0) return default;
        return JsonSerializer.Deserialize<TResponse>(response.Text, BodyJson);
    }

    // ---- typed conveniences -----------------------------------------------------------------------

    /// <summary>POST /sign-up/email. <paramref name="additionalFields"/> are the extra user fields sign-up accepts.</summary>
    public async Task<BetterAuthApiResult<TokenUserResponse>> SignUpEmailAsync(string email, string password, string name,
        string? image = null, string? callbackUrl = null, JsonObject? additionalFields = null, IHeaderDictionary? headers = null,
        CancellationToken ct = default)
    {
        var body = new JsonObject { ["email"] = email, ["password"] = password, ["name"] = name };
        if (image is not null) body["image"] = image;
        if (callbackUrl is not null) body["callbackURL"] = callbackUrl;
        foreach (var (key, value) in additionalFields ?? []) body[key] = value?.DeepClone();
        return await TypedAsync<TokenUserResponse>("POST", "/sign-up/email", body, headers, ct);
    }

    /// <summary>POST /sign-in/email. The answer's cookies (<see cref="BetterAuthApiResponse.ForwardCookiesTo"/>) sign the client in.</summary>
    public async Task<BetterAuthApiResult<SignInResponse>> SignInEmailAsync(string email, string password, bool? rememberMe = null,
        string? callbackUrl = null, IHeaderDictionary? headers = null, CancellationToken ct = default)
    {
        var body = new JsonObject { ["email"] = email, ["password"] = password };
        if (rememberMe is not null) body["rememberMe"] = rememberMe;
        if (callbackUrl is not null) body["callbackURL"] = callbackUrl;
        return await TypedAsync<SignInResponse>("POST", "/sign-in/email", body, headers, ct);
    }

    /// <summary>
    /// GET /get-session for the session the headers carry (cookie or bearer); null when there is none. Read live by
    /// default, because host code asks in order to decide something: with <c>Session.CookieCache</c> on, pass
    /// <paramref name="disableCookieCache"/> false to accept the signed cookie cache (up to its MaxAge old) for a
    /// display-only read.
    /// </summary>
    public async Task<SessionWithUser?> GetSessionAsync(IHeaderDictionary headers, bool disableCookieCache = true, CancellationToken ct = default)
    {
        var response = await InvokeAsync("GET", disableCookieCache ? "/get-session?disableCookieCache=true" : "/get-session", null, headers, ct);
        if (!response.IsSuccess) throw new BetterAuthApiException(response);
        return response.Value is SessionResponse s ? new SessionWithUser(s.Session, s.User) : null;
    }

    /// <summary>GET /list-sessions: the live sessions of the user the headers carry (401 → <see cref="BetterAuthApiException"/>).</summary>
    public async Task<IReadOnlyList<Session>> ListSessionsAsync(IHeaderDictionary headers, CancellationToken ct = default) =>
        (await TypedAsync<List<Session>>("GET", "/list-sessions", null, headers, ct)).Data;

    /// <summary>POST /sign-out for the session the headers carry; forward the answer's cookies to clear the client's.</summary>
    public async Task<BetterAuthApiResponse> SignOutAsync(IHeaderDictionary headers, CancellationToken ct = default)
    {
        var response = await InvokeAsync("POST", "/sign-out", null, headers, ct);
        return response.IsSuccess ? response : throw new BetterAuthApiException(response);
    }

    /// <summary>
    /// Headers that carry a session as <c>Authorization: Bearer</c>: the signed token set-auth-token gives (a bare token
    /// only counts when <c>Session.Bearer.RequireSignature</c> is off).
    /// </summary>
    public static IHeaderDictionary BearerHeaders(string token) =>
        new HeaderDictionary { [HeaderNames.Authorization] = "Bearer " + token };

    private async Task<BetterAuthApiResult<T>> TypedAsync<T>(string method, string path, object? body, IHeaderDictionary? headers, CancellationToken ct)
    {
        var response = await InvokeAsync(method, path, body, headers, ct);
        if (!response.IsSuccess) throw new BetterAuthApiException(response);
        return response.Value is T value
            ? new BetterAuthApiResult<T>(value, response)
            : throw new InvalidOperationException($"{method} {path} answered {response.Value?.GetType().Name ?? "no object"}, not {typeof(T).Name}.");
    }

    // ---- request building -------------------------------------------------------------------------

    private bool TryMatch(string method, string path, out AuthEndpoint endpoint, out RouteValueDictionary values)
    {
        values = new RouteValueDictionary();
        foreach (var (candidate, matcher) in _routes.Value)
        {
            if (!string.Equals(candidate.Method, method, StringComparison.OrdinalIgnoreCase)) continue;
            values.Clear();
            if (!matcher.TryMatch(new PathString(path), values)) continue;
            endpoint = candidate;
            return true;
        }
        endpoint = null!;
        return false;
    }

    /// <summary>Accepts a path with or without the base path, and with a query string.</summary>
    private (string Path, string? Query) SplitQuery(string path)
    {
        var q = path.IndexOf('?');
        var (p, query) = q < 0 ? (path, null) : (path[..q], path[(q + 1)..]);
        if (!p.StartsWith('/')) p = "/" + p;
        var basePath = _runtime.BasePath;
        if (basePath.Length > 0 && p.StartsWith(basePath + "/", StringComparison.Ordinal)) p = p[basePath.Length..];
        return (p, query);
    }

    private void PrepareRequest(HttpRequest target, BetterAuthApiRequest source, AuthEndpoint endpoint, string path,
        string? queryInPath, RouteValueDictionary routeValues)
    {
        foreach (var (name, value) in source.Headers)
            if (!ContentHeaders.Contains(name)) target.Headers[name] = value;
        if (source.Cookies.Count > 0)
        {
            var given = source.Cookies.Select(c => $"{c.Key}={c.Value}");
            var existing = target.Headers.Cookie.ToString();
            target.Headers.Cookie = string.Join("; ", existing.Length > 0 ? given.Prepend(existing) : given);
        }

        target.Method = endpoint.Method;
        var origin = _runtime.BaseOrigin is { } o ? new Uri(o) : null;
        target.Scheme = origin?.Scheme ?? "http";
        if (!target.Headers.ContainsKey(HeaderNames.Host)) target.Host = origin is null ? new HostString("localhost") : new HostString(origin.Authority);
        target.Path = _runtime.BasePath + path;
        var query = new QueryBuilder();
        foreach (var pair in Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(queryInPath))
            foreach (var v in pair.Value) query.Add(pair.Key, v ?? "");
        foreach (var (key, value) in source.Query) query.Add(key, value ?? "");
        target.QueryString = query.ToQueryString();
        target.RouteValues = routeValues;

        var body = HttpMethods.IsGet(endpoint.Method) ? null : Serialize(source.Body);
        if (body is null) return;
        target.ContentType = "application/json";
        target.ContentLength = body.Length;
        target.Body = new MemoryStream(body);
    }

    private static byte[]? Serialize(object? body) => body switch
    {
        null => null,
        byte[] bytes => bytes,
        JsonNode node => Encoding.UTF8.GetBytes(node.ToJsonString()),
        JsonElement element => Encoding.UTF8.GetBytes(element.GetRawText()),
        _ => JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), BodyJson),
    };
}
