using BetterAuth.Plugins.Admin;

namespace BetterAuth.Tests.Plugins.Admin;

/// <summary>
/// Whatever an admin sends, the answer is never a 500: a body that is no JSON object is VALIDATION_ERROR on every
/// endpoint that reads one, and a mistyped member a 2xx or a 4xx with Better Auth's error code.
/// </summary>
public sealed class AdminBadInputTests
{
    private static readonly string[] Posts =
    [
        "/admin/set-role", "/admin/create-user", "/admin/list-user-sessions", "/admin/ban-user", "/admin/unban-user",
        "/admin/impersonate-user", "/admin/stop-impersonating", "/admin/revoke-user-session", "/admin/revoke-user-sessions",
        "/admin/remove-user", "/admin/set-user-password", "/admin/has-permission",
    ];

    /// <summary>Bodies that are no JSON object (none, another JSON value, malformed JSON).</summary>
    private static readonly string[] NotAnObject = ["", "null", "[]", "\"text\"", "42", "{"];

    /// <summary>Objects whose members are missing, mistyped or out of range.</summary>
    private static readonly string[] Bodies =
    [
        "{}", "{\"userId\":{}}", "{\"userId\":[1,2]}", "{\"userId\":1e400}",
        "{\"userId\":\"x\",\"role\":{\"a\":1}}", "{\"userId\":\"x\",\"role\":[null]}", "{\"userId\":\"x\",\"banExpiresIn\":1e308}",
        "{\"userId\":\"x\",\"banExpiresIn\":-1e308}", "{\"userId\":\"x\",\"banReason\":7}", "{\"sessionToken\":5}",
        "{\"email\":\"a@b.co\",\"password\":\"password123\",\"name\":\"n\",\"data\":{\"createdAt\":\"garbage\"}}",
        "{\"email\":\"a@b.co\",\"password\":\"password123\",\"name\":\"n\",\"data\":{\"createdAt\":99999999999999999}}",
        "{\"email\":\"a@b.co\",\"password\":\"password123\",\"name\":\"n\",\"data\":{\"banExpires\":\"9999999999999999999\"}}",
        "{\"email\":\"a@b.co\",\"password\":\"password123\",\"name\":\"n\",\"data\":{\"name\":null}}",
        "{\"email\":\"a@b.co\",\"password\":\"password123\",\"name\":\"n\",\"data\":[1]}",
        "{\"userId\":\"x\",\"newPassword\":null}", "{\"permissions\":{\"user\":[[\"list\"]]}}", "{\"permission\":[]}",
    ];

    private static readonly string[] Queries =
    [
        "?limit=1e20", "?offset=1e20", "?limit=-1&offset=-1", "?limit=1.5", "?filterField=createdAt&filterValue=99999999999999999",
        "?filterField=createdAt&filterValue=1e400", "?filterField=banExpires&filterOperator=gte&filterValue=2030-01-01",
        "?filterField=banned&filterValue=1", "?filterField=role&filterOperator=gte&filterValue=%00", "?searchValue=%25_%5C",
        "?sortBy=banExpires&sortDirection=desc", "?filterField=emailVerified&filterOperator=ne&filterValue=0",
    ];

    [Fact]
    public async Task MalformedBodiesAndQueries_NeverReach500()
    {
        await using var kit = await AdminTestKit.StartAsync();
        var (admin, _) = await kit.AdminAsync();
        foreach (var path in Posts)
            foreach (var body in NotAnObject)
            {
                var r = await admin.PostRawAsync(path, body);
                // stop-impersonating reads no body: only malformed JSON (refused before any endpoint runs) stops it first.
                var expected = path == "/admin/stop-impersonating" && body != "{"
                    ? (400, AdminErrors.NotImpersonating)
                    : (400, "Invalid body parameters");
                Assert.True(expected == (r.Status, r.Json?["message"]?.GetValue<string>()), $"{path} {body} → {r.Status} {r.Text}");
            }
        foreach (var path in Posts)
            foreach (var body in Bodies)
            {
                var r = await admin.PostRawAsync(path, body);
                Assert.True(r.Status < 500, $"{path} {body} → {r.Status} {r.Text}");
                if (r.Status >= 400 && r.Status != 401) Assert.NotNull(r.Code);
            }
        foreach (var query in Queries)
        {
            var r = await admin.GetAsync("/admin/list-users" + query);
            Assert.True(r.Status is 200 or 400, $"{query} → {r.Status} {r.Text}");
        }
        // The admin is still signed in and still an admin after all that.
        Assert.Equal(200, (await admin.GetAsync("/admin/list-users")).Status);
    }
}
