namespace BetterAuth.Tests.Server;

/// <summary>BETTER_AUTH_OPERATION_LOG_DIR: the standalone server records each operation it served by route template.</summary>
public sealed class OperationLogTests
{
    [Fact]
    public async Task EachServedOperation_IsOneLine_WithTheRouteTemplateAndStatus()
    {
        var dir = Directory.CreateTempSubdirectory("ba-oplog-test-").FullName;
        await using (var server = new PagesTestServer(new() { ["BETTER_AUTH_OPERATION_LOG_DIR"] = dir }))
        {
            var client = server.Client();
            await client.SignUpAsync("logged@oplog.test");
            await client.GetAsync("/get-session");
            await client.GetAsync("/reset-password/some-token?callbackURL=/x");
            await client.GetAsync("/no-such-route");
            // Requests outside the API (here /health, and the 404 above) are not operations.
            Assert.True((await server.Http().GetAsync("/health")).IsSuccessStatusCode);
        }

        var lines = Directory.GetFiles(dir).SelectMany(File.ReadAllLines).ToList();
        Assert.Equal(["POST /sign-up/email 200", "GET /get-session 200", "GET /reset-password/{token} 302"], lines);
    }
}
