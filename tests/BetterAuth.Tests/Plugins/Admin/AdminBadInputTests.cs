namespace BetterAuth.Tests.Plugins.Admin;

/// <summary>Whatever an admin sends, the answer is a 2xx or a 4xx JSON error, never a 500.</summary>
public sealed class AdminBadInputTests
{
    private static readonly string[] Posts =
    [
        "/admin/set-role", "/admin/create-user", "/admin/list-user-sessions", "/admin/ban-user", "/admin/unban-user",
        "/admin/impersonate-user", "/admin/stop-impersonating", "/admin/revoke-user-session", "/admin/revoke-user-sessions",
        "/admin/remove-user", "/admin/set-user-password", "/admin/has-permission",
    ];

    private static readonly string[] Bodies =
    [
        "", "null", "[]", "\"text\"", "42", "{", "{}", "{\"userId\":{}}", "{\"userId\":[1,2]}", "{\"userId\":1e400}",
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
