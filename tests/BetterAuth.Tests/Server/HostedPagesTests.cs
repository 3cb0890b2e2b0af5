using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BetterAuth.Server.Pages;

namespace BetterAuth.Tests.Server;

/// <summary>The standalone server's hosted pages: the HTML shell, the injected configuration and the callbackURL rule.</summary>
public sealed partial class HostedPagesTests
{
    private static async Task<(HttpResponseMessage Response, string Html, JsonNode Config)> GetPageAsync(HttpClient http, string path)
    {
        var response = await http.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        var match = ConfigScript().Match(html);
        Assert.True(match.Success, $"no configuration in {path}: {html}");
        return (response, html, JsonNode.Parse(match.Groups[1].Value)!);
    }

    [Theory]
    [InlineData("/sign-in", "sign-in")]
    [InlineData("/sign-up", "sign-up")]
    [InlineData("/two-factor", "two-factor")]
    [InlineData("/forgot-password", "forgot-password")]
    [InlineData("/reset-password?token=abc", "reset-password")]
    [InlineData("/verify-email", "verify-email")]
    [InlineData("/console", "console")]
    [InlineData("/console/users/some-id", "console")]
    public async Task EveryPage_IsTheShellWithItsConfigurationAndSecurityHeaders(string path, string page)
    {
        await using var server = new PagesTestServer();
        var (response, html, config) = await GetPageAsync(server.Http(), path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(page, (string?)config["page"]);
        Assert.Equal("/api/auth", (string?)config["basePath"]);
        Assert.DoesNotContain(PageShell.Marker, html);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Equal(PageShell.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task Features_FollowTheEnabledPluginsAndSender()
    {
        await using var server = new PagesTestServer(new() { ["Plugins:Username:Enabled"] = "false", ["Plugins:PhoneNumber:Enabled"] = "false" });
        var (_, _, config) = await GetPageAsync(server.Http(), "/sign-in");
        var features = config["features"]!;
        Assert.False((bool)features["username"]!);
        Assert.False((bool)features["phoneNumber"]!);
        Assert.True((bool)features["emailOtp"]!);
        Assert.True((bool)features["magicLink"]!);
        Assert.True((bool)features["twoFactor"]!);
        Assert.True((bool)features["admin"]!);
        Assert.True((bool)features["organization"]!);
        Assert.True((bool)features["messaging"]!, "the outbox is a sender");
        Assert.True((bool)features["signUp"]!);
        Assert.Equal(8, (int)config["minPasswordLength"]!);
        Assert.Empty(config["socialProviders"]!.AsArray());
    }

    [Fact]
    public async Task SocialButtons_ListTheConfiguredEnabledProviders()
    {
        await using var server = new PagesTestServer(new()
        {
            ["BetterAuth:SocialProviders:github:ClientId"] = "gh-id",
            ["BetterAuth:SocialProviders:github:ClientSecret"] = "gh-secret",
            ["BetterAuth:SocialProviders:google:ClientId"] = "g-id",
            ["BetterAuth:SocialProviders:google:ClientSecret"] = "g-secret",
            ["BetterAuth:SocialProviders:google:Enabled"] = "false",
        });
        var (_, _, config) = await GetPageAsync(server.Http(), "/sign-in");
        var providers = config["socialProviders"]!.AsArray();
        var github = Assert.Single(providers)!;
        Assert.Equal("github", (string?)github["id"]);
        Assert.Equal("GitHub", (string?)github["name"]);
    }

    [Theory]
    [InlineData("/console", "/console", false)]
    [InlineData("/accept-invitation/abc?x=1", "/accept-invitation/abc?x=1", false)]
    [InlineData("http://localhost/console", "http://localhost/console", false)]
    [InlineData("https://trusted.example.com/app", "https://trusted.example.com/app", false)]
    [InlineData("https://evil.example.com/steal", null, true)]
    [InlineData("//evil.example.com", null, true)]
    [InlineData("/\\evil.example.com", null, true)]
    [InlineData("javascript:alert(1)", null, true)]
    public async Task CallbackUrl_PassesOnlyUnderCoreOriginRules(string callback, string? expected, bool rejected)
    {
        await using var server = new PagesTestServer(new() { ["BETTER_AUTH_TRUSTED_ORIGINS"] = "https://trusted.example.com" });
        var (_, _, config) = await GetPageAsync(server.Http(), "/sign-in?callbackURL=" + Uri.EscapeDataString(callback));
        Assert.Equal(expected, (string?)config["callbackURL"]);
        Assert.Equal(rejected, (bool)config["callbackRejected"]!);
    }

    [Fact]
    public async Task AcceptInvitation_InjectsTheIdEscapedSoItCannotCloseTheScript()
    {
        await using var server = new PagesTestServer();
        // A path segment cannot carry "/" (it stays %2F), but "<" alone would open an element if left unescaped.
        var id = "<script>alert(1)<";
        var (_, html, config) = await GetPageAsync(server.Http(), "/accept-invitation/" + Uri.EscapeDataString(id));
        Assert.Equal("accept-invitation", (string?)config["page"]);
        Assert.Equal(id, (string?)config["invitationId"]);
        Assert.DoesNotContain("<script>alert(1)", html);
    }

    [Fact]
    public async Task Assets_AreServedWithLongCaching_AndUnknownAssetsAre404()
    {
        await using var server = new PagesTestServer();
        var http = server.Http();
        var asset = await http.GetAsync(HostedPages.AssetsPath + "/app-1234.js");
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal("public, max-age=31536000, immutable", asset.Headers.CacheControl!.ToString());
        Assert.Equal("console.log('pages');", await asset.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(HostedPages.AssetsPath + "/missing.js")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(HostedPages.AssetsPath + "/../index.html")).StatusCode);
    }

    [Fact]
    public async Task WithoutABuild_PagesAnswer503WithHowToBuild_AndTheApiStillWorks()
    {
        await using var server = new PagesTestServer(buildPages: false);
        var http = server.Http();
        var page = await http.GetAsync("/sign-in");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Contains("scripts/setup.sh", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/auth/ok")).StatusCode);
    }

    [Fact]
    public async Task PagesDisabled_LeavesOnlyTheApi()
    {
        await using var server = new PagesTestServer(new() { ["Pages:Enabled"] = "false" });
        var http = server.Http();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/sign-in")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/console/api/stats")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/auth/ok")).StatusCode);
    }

    [Fact]
    public async Task ARebuiltIndex_IsServedWithoutARestart()
    {
        await using var server = new PagesTestServer();
        var http = server.Http();
        await GetPageAsync(http, "/sign-in");
        var index = Path.Combine(server.PagesRoot, "index.html");
        File.WriteAllText(index, PagesTestServer.IndexHtml.Replace("<title>t</title>", "<title>rebuilt</title>"));
        File.SetLastWriteTimeUtc(index, DateTime.UtcNow.AddMinutes(1));
        var (_, html, _) = await GetPageAsync(http, "/sign-in");
        Assert.Contains("<title>rebuilt</title>", html);
    }

    [GeneratedRegex("<script id=\"ba-config\" type=\"application/json\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ConfigScript();
}
