using BetterAuth.Tests.Plugins.Passkey;

namespace BetterAuth.Tests.Server;

/// <summary>The standalone server's passkey plugin: on by default, RP ID from BETTER_AUTH_URL, configurable under Plugins:Passkey.</summary>
public sealed class PasskeyServerConfigurationTests
{
    [Fact]
    public async Task Defaults_ComeFromBetterAuthUrl()
    {
        await using var server = new PagesTestServer(new() { ["BETTER_AUTH_URL"] = "https://auth.example.test", ["BetterAuth:AppName"] = "Acme" });
        var options = await server.Client().PostAsync("/passkey/generate-authenticate-options", new { });
        Assert.Equal(200, options.Status);
        Assert.Equal("auth.example.test", (string)options.Json!["rpId"]!);
    }

    [Fact]
    public async Task RpIdRpNameAndOrigins_AreConfigurable()
    {
        await using var server = new PagesTestServer(new()
        {
            ["Plugins:Passkey:RpId"] = "example.test",
            ["Plugins:Passkey:RpName"] = "Example",
            ["Plugins:Passkey:Origins:0"] = "https://app.example.test",
            ["Plugins:Passkey:Origins:1"] = "https://admin.example.test",
        });
        var client = server.Client();
        await client.SignUpAsync("config@example.test");
        var options = await client.GetAsync("/passkey/generate-register-options");
        Assert.Equal("""{"name":"Example","id":"example.test"}""", options.Json!["rp"]!.ToJsonString());
        var key = new SoftAuthenticator();
        var fromAdmin = await client.PostAsync("/passkey/verify-registration", new { response = key.Register(options.Json!, "https://admin.example.test") });
        Assert.Equal(200, fromAdmin.Status);
        var again = await client.GetAsync("/passkey/generate-register-options");
        var fromBase = await client.PostAsync("/passkey/verify-registration", new { response = new SoftAuthenticator().Register(again.Json!, PagesTestServer.Origin) });
        Assert.Equal(400, fromBase.Status); // http://localhost is not among the configured origins
    }

    [Fact]
    public async Task ThePluginCanBeTurnedOff()
    {
        await using var server = new PagesTestServer(new() { ["Plugins:Passkey:Enabled"] = "false" });
        Assert.Equal(404, (await server.Client().PostAsync("/passkey/generate-authenticate-options", new { })).Status);
    }
}
