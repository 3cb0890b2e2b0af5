using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace BetterAuth.AspNetCore;

/// <summary>
/// One server-side call: method, path (relative to the base path, e.g. <c>/sign-in/email</c>), JSON body, query,
/// and the headers and cookies the call carries (forward the browser's to act as its user).
/// </summary>
public sealed class BetterAuthApiRequest(string method, string path)
{
    /// <summary>HTTP method, e.g. <c>POST</c>.</summary>
    public string Method { get; } = method;
    /// <summary>Endpoint path below the base path, e.g. <c>/sign-in/email</c>.</summary>
    public string Path { get; } = path;
    /// <summary>The JSON body: a <c>JsonNode</c>, <c>JsonElement</c>, UTF-8 JSON bytes, or any object (serialized with web defaults).</summary>
    public object? Body { get; init; }
    /// <summary>Query string parameters.</summary>
    public IDictionary<string, string?> Query { get; } = new Dictionary<string, string?>(StringComparer.Ordinal);
    /// <summary>Request headers (e.g. the caller's Cookie or Authorization).</summary>
    public IHeaderDictionary Headers { get; init; } = new HeaderDictionary();
    /// <summary>Cookies to send, by name.</summary>
    public IDictionary<string, string> Cookies { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
    /// <summary>The client address the call is made for (recorded on sessions it creates). Server calls are never rate limited.</summary>
    public IPAddress? RemoteIpAddress { get; init; }

    /// <summary>A call on behalf of the client of <paramref name="http"/>: its headers (cookies, bearer token, user agent, origin) and address.</summary>
    public static BetterAuthApiRequest ForwardedFrom(HttpContext http, string method, string path, object? body = null)
    {
        var request = new BetterAuthApiRequest(method, path) { Body = body, RemoteIpAddress = http.Connection.RemoteIpAddress };
        foreach (var (name, value) in http.Request.Headers) request.Headers[name] = value;
        return request;
    }
}

/// <summary>What the endpoint answered, as a client would see it, plus the answer's object before it became JSON.</summary>
public sealed class BetterAuthApiResponse
{
    private JsonElement? _json;
    private bool _parsed;

    internal BetterAuthApiResponse(int status, string text, IHeaderDictionary headers, object? value)
    {
        Status = status;
        Text = text;
        Headers = headers;
        Value = value;
    }

    /// <summary>HTTP status of the answer.</summary>
    public int Status { get; }
    /// <summary>The body as sent ("" when there is none).</summary>
    public string Text { get; }
    /// <summary>Response headers.</summary>
    public IHeaderDictionary Headers { get; }
    /// <summary>The endpoint's answer object (e.g. <c>SessionResponse</c>, <c>List&lt;Session&gt;</c>); null on errors and empty answers.</summary>
    public object? Value { get; }
    /// <summary>True for a 2xx status.</summary>
    public bool IsSuccess => Status is >= 200 and < 400;

    /// <summary>The Set-Cookie headers the endpoint wrote.</summary>
    public IReadOnlyList<string> SetCookies => Headers.SetCookie.Where(c => c is not null).Select(c => c!).ToList();
    /// <summary>The redirect target, for redirect answers.</summary>
    public string? Location => Headers.Location.Count > 0 ? Headers.Location.ToString() : null;
    /// <summary>The signed session token of a session this call created (the <c>set-auth-token</c> header), for bearer use.</summary>
    public string? AuthToken => Headers.TryGetValue("set-auth-token", out var v) ? v.ToString() : null;

    /// <summary>The JSON body, parsed; null when the body is empty or not JSON.</summary>
    public JsonElement? Json
    {
        get
        {
            if (_parsed) return _json;
            _parsed = true;
            if (Text.Length == 0) return null;
            try
            {
                using var doc = JsonDocument.Parse(Text);
                _json = doc.RootElement.Clone();
            }
            catch (JsonException) { }
            return _json;
        }
    }

    /// <summary>Better Auth's error code (<c>{"code"}</c>) of a failed call.</summary>
    public string? ErrorCode => IsSuccess ? null : StringField("code");
    /// <summary>Better Auth's error message of a refused call, if any.</summary>
    public string? ErrorMessage => IsSuccess ? null : StringField("message");

    private string? StringField(string name) =>
        Json is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>
    /// Headers for a follow-up call as the session this answer set: its cookies as a Cookie header (cookies it deleted
    /// are left out), e.g. to act as a user right after signing them up.
    /// </summary>
    public IHeaderDictionary SessionHeaders()
    {
        var jar = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var header in SetCookies)
        {
            if (!SetCookieHeaderValue.TryParse(header, out var cookie)) continue;
            var name = cookie.Name.ToString();
            if (cookie.Value.Length == 0 || cookie.MaxAge is { TotalSeconds: <= 0 }) jar.Remove(name);
            else jar[name] = cookie.Value.ToString();
        }
        IHeaderDictionary headers = new HeaderDictionary();
        if (jar.Count > 0) headers.Cookie = string.Join("; ", jar.Select(c => $"{c.Key}={c.Value}"));
        return headers;
    }

    /// <summary>Copies the Set-Cookie headers (and the bearer token header) onto the host's response, to sign its client in or out.</summary>
    public void ForwardCookiesTo(HttpResponse response)
    {
        foreach (var cookie in SetCookies) response.Headers.Append(HeaderNames.SetCookie, cookie);
        if (AuthToken is { } token)
        {
            response.Headers["set-auth-token"] = token;
            response.Headers.AccessControlExposeHeaders = "set-auth-token";
        }
    }
}

/// <summary>A typed answer of a convenience method, with the full response (cookies, headers) beside it.</summary>
public sealed record BetterAuthApiResult<T>(T Data, BetterAuthApiResponse Response);

/// <summary>A server-side call the endpoint refused (Better Auth's <c>APIError</c>): its status, code and message.</summary>
public sealed class BetterAuthApiException(BetterAuthApiResponse response)
    : Exception(response.ErrorMessage is { Length: > 0 } m ? m : $"Better Auth answered {response.Status}.")
{
    /// <summary>HTTP status of the refusal.</summary>
    public int Status => Response.Status;
    /// <summary>Better Auth's error code, e.g. <c>INVALID_EMAIL_OR_PASSWORD</c>.</summary>
    public string? Code => Response.ErrorCode;
    /// <summary>The whole answer.</summary>
    public BetterAuthApiResponse Response { get; } = response;
}
