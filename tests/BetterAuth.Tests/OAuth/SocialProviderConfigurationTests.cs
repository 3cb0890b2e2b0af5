using BetterAuth.Core.OAuth;
using BetterAuth.Server;
using BetterAuth.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace BetterAuth.Tests.OAuth;

/// <summary>How providers are configured: options, the standalone server's settings and environment, and startup checks.</summary>
public sealed class SocialProviderConfigurationTests
{
    private static ServerSettings Read(Dictionary<string, string?> values) =>
        ServerSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), new FakeEnvironment());

    [Fact]
    public void Server_ReadsConventionalVariables_SectionsAndAGenericOidcProvider()
    {
        var settings = Read(new()
        {
            ["GOOGLE_CLIENT_ID"] = "g-id",
            ["GOOGLE_CLIENT_SECRET"] = "g-secret",
            ["MICROSOFT_CLIENT_ID"] = "m-id",
            ["MICROSOFT_TENANT_ID"] = "contoso",
            ["SocialProviders:github:ClientId"] = "gh-id",
            ["SocialProviders:github:Scope:0"] = "repo",
            ["BetterAuth:SocialProviders:discord:ClientId"] = "d-id",
            ["OIDC_PROVIDER_ID"] = "keycloak",
            ["OIDC_DISCOVERY_URL"] = "https://sso.example.com/realms/x/.well-known/openid-configuration",
            ["OIDC_CLIENT_ID"] = "kc-id",
            ["OIDC_CLIENT_SECRET"] = "kc-secret",
        });
        var p = settings.Auth.SocialProviders;
        Assert.Equal(("g-id", "g-secret"), (p["google"].ClientId, p["google"].ClientSecret));
        Assert.Equal("contoso", p["microsoft"].TenantId);
        Assert.Equal(["repo"], p["github"].Scope);
        Assert.Equal("d-id", p["discord"].ClientId);
        Assert.Equal(("oidc", "kc-id"), (p["keycloak"].Type, p["keycloak"].ClientId));
        var resolved = SocialProviderRegistry.Resolve(settings.Auth).Select(r => r.Id).Order();
        Assert.Equal(["discord", "github", "google", "keycloak", "microsoft"], resolved);
    }

    [Theory]
    [InlineData("google", null, null, "needs a ClientId")]
    [InlineData("spotify", "id", null, "is not a provider this server implements")]
    [InlineData("corp", "id", "http://sso.example.com/.well-known/openid-configuration", "must be an absolute https URL")]
    [InlineData("bad/id", "id", "https://sso.example.com/.well-known/openid-configuration", "must be made of letters")]
    public void Startup_RefusesAMisconfiguredProvider(string id, string? clientId, string? discovery, string message)
    {
        var options = new BetterAuthOptions();
        options.SocialProviders[id] = new SocialProviderOptions { ClientId = clientId, DiscoveryUrl = discovery };
        var e = Assert.Throws<InvalidOperationException>(() => SocialProviderRegistry.Resolve(options));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void LoopbackHttp_IsAllowedForLocalProviders_AndDisabledProvidersAreLeftOut()
    {
        var options = new BetterAuthOptions();
        options.SocialProviders["local"] = new SocialProviderOptions { ClientId = "x", DiscoveryUrl = "http://127.0.0.1:8080/.well-known/openid-configuration" };
        options.SocialProviders["Google"] = new SocialProviderOptions { ClientId = "y" };
        options.SocialProviders["github"] = new SocialProviderOptions { ClientId = "z", Enabled = false };
        // A built-in provider's id is canonical in lower case (as configuration keys may be written otherwise).
        Assert.Equal(["google", "local"], SocialProviderRegistry.Resolve(options).Select(r => r.Id).Order());
    }

    [Fact]
    public async Task AccountLinkingDefaults_AreBetterAuths()
    {
        var options = new BetterAuthOptions();
        Assert.True(options.Account.AccountLinking.Enabled);
        Assert.Empty(options.Account.AccountLinking.TrustedProviders);
        Assert.False(options.Account.AccountLinking.AllowDifferentEmails);
        Assert.False(options.Account.AccountLinking.AllowUnlinkingAll);
        Assert.True(options.Account.UpdateAccountOnSignIn);
        // Without providers, the social routes exist and answer as Better Auth does with none configured.
        await using var host = await AuthTestHost.StartAsync();
        var r = await host.Client().PostAsync("/sign-in/social", new { provider = "google" });
        Assert.Equal((404, "PROVIDER_NOT_FOUND"), (r.Status, r.Code));
    }

    private sealed class FakeEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Development";
        public string ApplicationName { get; set; } = "tests";
        public string ContentRootPath { get; set; } = "/";
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }
}
