namespace BetterAuth.Tests.Server;

/// <summary>The standalone server's opt-in plugins: off unless Plugins:&lt;Name&gt;:Enabled=true, configured from their section.</summary>
public sealed class OptInPluginTests
{
    [Fact]
    public async Task JwtAndApiKey_AreOffByDefault()
    {
        await using var server = new PagesTestServer(buildPages: false);
        var http = server.Http();
        Assert.Equal(404, (int)(await http.GetAsync("/api/auth/jwks")).StatusCode);
        Assert.Equal(404, (int)(await http.GetAsync("/api/auth/api-key/list")).StatusCode);
        // No key plugin: the header means nothing.
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/get-session") { Headers = { { "x-api-key", "short" } } };
        Assert.Equal("null", await (await http.SendAsync(request)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Enabled_TheyServeTheirOperations_WithOptionsFromTheirSections()
    {
        await using var server = new PagesTestServer(new()
        {
            ["Plugins:Jwt:Enabled"] = "true",
            ["Plugins:Jwt:Jwks:KeyPairConfig:Alg"] = "ES256",
            ["Plugins:ApiKey:Enabled"] = "true",
        }, buildPages: false);
        var http = server.Http();
        var jwks = await http.GetAsync("/api/auth/jwks");
        Assert.Equal(200, (int)jwks.StatusCode);
        Assert.Contains("\"crv\":\"P-256\"", await jwks.Content.ReadAsStringAsync());
        Assert.Equal(401, (int)(await http.GetAsync("/api/auth/api-key/list")).StatusCode);
    }
}
