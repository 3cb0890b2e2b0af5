using System.Text.Json.Nodes;
using BetterAuth.AspNetCore;
using BetterAuth.Plugins.ApiKey;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BetterAuth.Tests.Plugins.ApiKey;

internal static class ApiKeyTestKit
{
    public static Task<AuthTestHost> StartAsync(Action<ApiKeyOptions>? configure = null, Action<BetterAuthOptions>? auth = null)
    {
        var options = new ApiKeyOptions();
        configure?.Invoke(options);
        return AuthTestHost.StartAsync(o => { o.Plugins.Add(new ApiKeyPlugin(options)); auth?.Invoke(o); });
    }

    public static async Task<(TestClient Client, string UserId)> SignedUpAsync(AuthTestHost host, string email)
    {
        var client = host.Client();
        var id = (await client.SignUpAsync(email))["user"]!["id"]!.GetValue<string>();
        return (client, id);
    }

    public static async Task<JsonObject> CreateAsync(TestClient client, object? body = null)
    {
        var r = await client.PostAsync("/api-key/create", body ?? new { name = "test" });
        Assert.True(r.Status == 200, r.Text);
        return r.Json!.AsObject();
    }

    /// <summary>A request carrying an API key (and nothing else: no cookie).</summary>
    public static Task<TestResponse> WithKeyAsync(AuthTestHost host, string key, string path, object? body = null)
    {
        var client = host.Client();
        return body is null
            ? client.SendAsync(HttpMethod.Get, path, null, r => r.Headers.Add("x-api-key", key))
            : client.SendAsync(HttpMethod.Post, path, new StringContent(System.Text.Json.JsonSerializer.Serialize(body),
                System.Text.Encoding.UTF8, "application/json"), r => r.Headers.Add("x-api-key", key));
    }

    public static BetterAuthApi Api(AuthTestHost host) => host.Services.GetRequiredService<BetterAuthApi>();

    public static Task<ApiKeyRow> RowAsync(AuthTestHost host, string id) =>
        host.WithDbAsync(db => db.Set<ApiKeyRow>().AsNoTracking().SingleAsync(r => r.Id == id));

    public static Task<int> CountAsync(AuthTestHost host) => host.WithDbAsync(db => db.Set<ApiKeyRow>().CountAsync());
}

/// <summary>
/// A row the reference (Better Auth 1.2.12, apiKey plugin defaults) wrote for the key <see cref="Key"/>: the key column
/// holds its SHA-256, base64url without padding; metadata holds the text "null".
/// </summary>
internal static class ReferenceApiKey
{
    public const string Key = "fx_VWXVfQsrgOLoTDXgmmDCyCOSTKxjXNfJMyxhxGvXDbrVCHaCCjfIExcrhyryTmtm";
    public const string Hash = "CH6bkVP4M9GaNAxsLv24_lGlo7WtdKJ_vzR96rfmQtE";

    public static ApiKeyRow Row(string userId) => new()
    {
        Id = "lDjrNtYRy3HG6SqVCQ1eM8eZ3NmDqxRu",
        Name = "fixture",
        Start = "fx_VWX",
        Prefix = "fx_",
        Key = Hash,
        UserId = userId,
        Enabled = true,
        RateLimitEnabled = true,
        RateLimitTimeWindow = 86_400_000,
        RateLimitMax = 10,
        RequestCount = 0,
        CreatedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        UpdatedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        Metadata = "null",
    };
}
