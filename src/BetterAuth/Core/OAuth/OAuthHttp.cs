using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace BetterAuth.Core.OAuth;

/// <summary>
/// Calls to providers (token, user-info, discovery, keys) through one named <see cref="HttpClient"/> from the factory,
/// each bounded by the provider's timeout, so a provider that is down fails the flow quickly instead of holding the
/// request. Every failure (network, timeout, non-2xx, not JSON) surfaces as <see cref="OAuthProviderException"/>.
/// </summary>
internal sealed class OAuthHttp(IHttpClientFactory clients)
{
    public const string ClientName = "BetterAuth.OAuth";
    /// <summary>Larger answers are refused: no provider document comes near it.</summary>
    public const int MaxResponseBytes = 1024 * 1024;

    /// <summary>Registers the named client; the per-call timeout is the provider's, this is only an outer bound.</summary>
    internal static void Register(IServiceCollection services)
    {
        services.AddHttpClient(ClientName, c =>
        {
            c.Timeout = TimeSpan.FromSeconds(120);
            c.MaxResponseContentBufferSize = MaxResponseBytes;
            c.DefaultRequestHeaders.UserAgent.ParseAdd("better-auth");
        });
        services.AddSingleton<OAuthHttp>();
    }

    public HttpClient Client() => clients.CreateClient(ClientName);

    /// <summary>POSTs an <c>application/x-www-form-urlencoded</c> body and reads a JSON object back.</summary>
    public Task<JsonElement> PostFormAsync(string url, IEnumerable<KeyValuePair<string, string>> form, int timeoutSeconds,
        string? basicCredentials = null, CancellationToken ct = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Accept.ParseAdd("application/json");
        if (basicCredentials is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basicCredentials);
        return SendForJsonAsync(request, "token", timeoutSeconds, ct);
    }

    /// <summary>GETs a JSON document, with a bearer token when given.</summary>
    public Task<JsonElement> GetJsonAsync(string url, int timeoutSeconds, string? bearer = null, CancellationToken ct = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("application/json");
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return SendForJsonAsync(request, "userinfo", timeoutSeconds, ct);
    }

    /// <summary>GETs raw bytes (a profile photo); null on any failure, since such extras never fail a sign-in.</summary>
    public async Task<byte[]?> TryGetBytesAsync(string url, int timeoutSeconds, string? bearer, CancellationToken ct)
    {
        try
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            var (status, _, body) = await SendAsync(request, "photo", timeoutSeconds, ct);
            return status is >= 200 and < 300 ? body : null;
        }
        catch (OAuthProviderException) { return null; }
    }

    /// <summary>GETs a document as text (discovery and key documents for the ID-token validator).</summary>
    public async Task<string> GetStringAsync(string url, int timeoutSeconds, CancellationToken ct)
    {
        var (status, reason, body) = await SendAsync(new HttpRequestMessage(HttpMethod.Get, url), "metadata", timeoutSeconds, ct);
        if (status is < 200 or >= 300)
            throw new OAuthProviderException($"{url} answered {status}", unreachable: status >= 500) { Status = status, StatusText = reason };
        return Encoding.UTF8.GetString(body);
    }

    private async Task<JsonElement> SendForJsonAsync(HttpRequestMessage request, string purpose, int timeoutSeconds, CancellationToken ct)
    {
        var url = request.RequestUri;
        var (status, reason, body) = await SendAsync(request, purpose, timeoutSeconds, ct);
        JsonElement json;
        try
        {
            using var doc = JsonDocument.Parse(body);
            json = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            // Some providers (GitHub without Accept handling, old Facebook) answer form-encoded token responses.
            json = FormToJson(Encoding.UTF8.GetString(body))
                   ?? throw new OAuthProviderException($"{url} answered {status} with a body that is not JSON") { Status = status, StatusText = reason };
        }
        if (status is < 200 or >= 300)
            throw new OAuthProviderException($"{url} answered {status}", unreachable: status >= 500, answer: json) { Status = status, StatusText = reason };
        return json;
    }

    /// <param name="request">The request to send.</param>
    /// <param name="purpose">What the call is for (<c>token</c>, <c>userinfo</c>, <c>metadata</c>, <c>photo</c>): its span's name.</param>
    /// <param name="timeoutSeconds">How long the call, body included, may take before the provider counts as unreachable.</param>
    /// <param name="ct">Cancels the call (the request was aborted).</param>
    private async Task<(int Status, string Reason, byte[] Body)> SendAsync(HttpRequestMessage request, string purpose, int timeoutSeconds, CancellationToken ct)
    {
        // A client span per provider call: host, method, status; never the URL, whose query may carry a token.
        using var span = Telemetry.AuthTelemetry.StartClient("better_auth.oauth." + purpose);
        if (span is not null)
        {
            span.SetTag(Telemetry.AuthTelemetry.OAuthPurpose, purpose);
            span.SetTag(Telemetry.AuthTelemetry.HttpMethod, request.Method.Method);
            if (request.RequestUri is { IsAbsoluteUri: true } uri)
            {
                span.SetTag(Telemetry.AuthTelemetry.ServerAddress, uri.Host);
                span.SetTag(Telemetry.AuthTelemetry.ServerPort, uri.Port);
            }
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, timeoutSeconds)));
        try
        {
            using var response = await Client().SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            var status = (int)response.StatusCode;
            span?.SetTag(Telemetry.AuthTelemetry.HttpStatus, status);
            if (span is not null && status >= 400) Telemetry.AuthTelemetry.Fail(span, status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return (status, response.ReasonPhrase ?? "", body);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            if (span is not null) Telemetry.AuthTelemetry.Fail(span, "timeout");
            throw new OAuthProviderException($"{request.RequestUri} did not answer within {timeoutSeconds} s", unreachable: true);
        }
        catch (HttpRequestException e)
        {
            if (span is not null) Telemetry.AuthTelemetry.Fail(span, Telemetry.AuthTelemetry.ErrorTypeOf(e));
            throw new OAuthProviderException($"{request.RequestUri} could not be reached: {e.Message}", unreachable: true, inner: e);
        }
        finally
        {
            request.Dispose();
        }
    }

    private static JsonElement? FormToJson(string text)
    {
        if (!text.Contains('=') || text.TrimStart().StartsWith('<')) return null;
        var pairs = new Dictionary<string, string>();
        foreach (var part in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) return null;
            pairs[Uri.UnescapeDataString(part[..eq].Replace('+', ' '))] = Uri.UnescapeDataString(part[(eq + 1)..].Replace('+', ' '));
        }
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (k, v) in pairs) w.WriteString(k, v);
            w.WriteEndObject();
        }
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return doc.RootElement.Clone();
    }
}

/// <summary>A call to a provider failed: it could not be reached in time, or answered an error.</summary>
internal sealed class OAuthProviderException(string message, bool unreachable = false, JsonElement? answer = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>Network failure, timeout or a 5xx: the provider is down rather than refusing.</summary>
    public bool Unreachable { get; } = unreachable;
    public JsonElement? Answer { get; } = answer;
    /// <summary>The HTTP status the provider answered with; null when no answer came.</summary>
    public int? Status { get; init; }
    /// <summary>The answer's reason phrase (what a browser's fetch calls <c>statusText</c>).</summary>
    public string? StatusText { get; init; }
}
