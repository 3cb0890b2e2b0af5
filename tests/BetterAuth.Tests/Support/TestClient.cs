using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BetterAuth.Tests.Support;

/// <summary>An HTTP client with a browser-like cookie jar and Origin header, speaking to the auth API.</summary>
public sealed class TestClient(HttpClient http, string? origin)
{
    public const string Api = "/api/auth";
    public Dictionary<string, string> Cookies { get; } = new();
    public string? Origin { get; set; } = origin;
    public string? Bearer { get; set; }

    public Task<TestResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);
    public Task<TestResponse> PostAsync(string path, object? body = null) =>
        SendAsync(HttpMethod.Post, path, body is null ? null : JsonContent(JsonSerializer.Serialize(body)));
    public Task<TestResponse> PostRawAsync(string path, string raw, string contentType = "application/json") =>
        SendAsync(HttpMethod.Post, path, new StringContent(raw, Encoding.UTF8, new MediaTypeHeaderValue(contentType)));

    public async Task<TestResponse> SendAsync(HttpMethod method, string path, HttpContent? content, Action<HttpRequestMessage>? customize = null)
    {
        var request = new HttpRequestMessage(method, path.StartsWith('/') && !path.StartsWith(Api, StringComparison.Ordinal) ? Api + path : path) { Content = content };
        if (Cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}")));
        if (Origin is not null && method != HttpMethod.Get) request.Headers.Add("Origin", Origin);
        if (Bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Bearer);
        customize?.Invoke(request);
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var setCookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : new List<string>();
        foreach (var c in setCookies)
        {
            var pair = c.Split(';')[0];
            var eq = pair.IndexOf('=');
            var (name, value) = (pair[..eq], pair[(eq + 1)..]);
            if (value.Length == 0 || c.Contains("Max-Age=0")) Cookies.Remove(name); else Cookies[name] = value;
        }
        return new TestResponse(response, text, setCookies);
    }

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    public async Task<JsonNode> SignUpAsync(string email, string password = "password123", string name = "Test User")
    {
        var r = await PostAsync("/sign-up/email", new { email, password, name });
        Assert.Equal(200, r.Status);
        return r.Json!;
    }

    public async Task<JsonNode> SignInAsync(string email, string password = "password123", bool? rememberMe = null)
    {
        var r = await PostAsync("/sign-in/email", rememberMe is null ? new { email, password } : new { email, password, rememberMe });
        Assert.Equal(200, r.Status);
        return r.Json!;
    }
}

public sealed record TestResponse(HttpResponseMessage Message, string Text, List<string> SetCookies)
{
    public int Status => (int)Message.StatusCode;
    public JsonNode? Json => Text.Length == 0 ? null : JsonNode.Parse(Text);
    public string? Code => Json?["code"]?.GetValue<string>();
    public string? Header(string name) =>
        Message.Headers.TryGetValues(name, out var v) ? v.First() :
        Message.Content.Headers.TryGetValues(name, out var c) ? c.First() : null;
    public string? Cookie(string name) => SetCookies.FirstOrDefault(c => c.StartsWith(name + "=", StringComparison.Ordinal));
}
