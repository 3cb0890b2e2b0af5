using BetterAuth.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace BetterAuth.Tests.Server;

public sealed class StandaloneServerTests
{
    private static WebApplicationFactory<Program> Factory(string environment, Dictionary<string, string?> settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment(environment);
            foreach (var (k, v) in settings) b.UseSetting(k, v);
        });

    [Fact]
    public void Production_WithoutSecret_RefusesToStart()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        using var factory = Factory("Production", new() { ["DATABASE_URL"] = Path.Combine(dir, "p.db") });
        var e = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("BETTER_AUTH_SECRET", e.ToString());
    }

    [Fact]
    public async Task Development_ServesTheApiOnTheConfiguredDatabase()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        var db = Path.Combine(dir, "dev.db");
        using var factory = Factory("Development", new()
        {
            ["DATABASE_URL"] = db,
            ["BETTER_AUTH_SECRET"] = "a-development-secret-that-is-long-enough-123",
            ["BETTER_AUTH_URL"] = "http://localhost",
            ["BETTER_AUTH_RATE_LIMIT"] = "0",
        });
        var client = factory.CreateClient();
        var ok = await client.GetStringAsync("/api/auth/ok");
        Assert.Equal("{\"ok\":true}", ok);
        var r = await client.PostAsync("/api/auth/sign-up/email",
            new StringContent("{\"email\":\"srv@example.com\",\"password\":\"password123\",\"name\":\"S\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(200, (int)r.StatusCode);
        Assert.True(File.Exists(db));
    }

    [Fact]
    public void Plugins_MagicLinkIsOnByDefault_MultiSessionAndOneTimeTokenOnlyWhenEnabled()
    {
        static List<BetterAuth.Core.Plugins.IBetterAuthPlugin> Plugins(Dictionary<string, string?> settings) =>
            ServerSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(),
                new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Development" }).Plugins.ToList();
        static string[] Ids(Dictionary<string, string?> settings) => Plugins(settings).Select(p => p.Id).ToArray();
        var byDefault = Ids(new());
        Assert.Contains("magic-link", byDefault);
        Assert.DoesNotContain("multi-session", byDefault);
        Assert.DoesNotContain("one-time-token", byDefault);

        var enabled = Ids(new() { ["Plugins:MultiSession:Enabled"] = "true", ["Plugins:OneTimeToken:Enabled"] = "true", ["Plugins:MagicLink:Enabled"] = "false" });
        Assert.DoesNotContain("magic-link", enabled);
        // Multi-session comes after two-factor, whose after-hook may withhold a new session first.
        Assert.True(Array.IndexOf(enabled, "multi-session") > Array.IndexOf(enabled, "two-factor"));
        Assert.Contains("one-time-token", enabled);
        var multi = Plugins(new() { ["Plugins:MultiSession:Enabled"] = "true", ["Plugins:MultiSession:MaximumSessions"] = "3" })
            .OfType<BetterAuth.Plugins.MultiSession.MultiSessionPlugin>().Single();
        Assert.Equal(3, multi.Options.MaximumSessions);
    }

    [Theory]
    [InlineData("/var/data/auth.db", "Data Source=/var/data/auth.db")]
    [InlineData("sqlite:./x.db", "Data Source=./x.db")]
    [InlineData("file:x.db", "Data Source=x.db")]
    [InlineData("Data Source=y.db;Cache=Shared", "Data Source=y.db;Cache=Shared")]
    public void DatabaseUrl_BecomesSqliteConnectionString(string url, string expected) =>
        Assert.Equal(expected, ServerSettings.SqliteConnectionString(url));

    [Fact]
    public void Settings_ReadConventionalEnvironmentNames()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PORT"] = "4100",
            ["BETTER_AUTH_URL"] = "https://auth.example.com",
            ["BETTER_AUTH_SECRET"] = "s3cret-s3cret-s3cret-s3cret-s3cret-s3cret",
            ["BETTER_AUTH_TRUSTED_ORIGINS"] = "https://a.example.com, https://b.example.com",
            ["BETTER_AUTH_RATE_LIMIT"] = "60:5",
            ["BetterAuth:Session:ExpiresIn"] = "3600",
        }).Build();
        var s = ServerSettings.Read(config, new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Production" });
        Assert.Equal(4100, s.Port);
        Assert.Equal(System.Net.IPAddress.Loopback, s.BindAddress);
        Assert.Equal("https://auth.example.com", s.Auth.BaseUrl);
        Assert.Equal(["https://a.example.com", "https://b.example.com"], s.Auth.TrustedOrigins);
        Assert.Equal((60, 5), (s.Auth.RateLimit.Window, s.Auth.RateLimit.Max));
        Assert.True(s.Auth.RateLimit.Enabled);
        Assert.Equal(3600, s.Auth.Session.ExpiresIn);
    }

    /// <summary>
    /// Where the server listens, as Kestrel decides it (endpoints from configuration, then URLs, then ports; HOST/PORT
    /// are code endpoints, which win), and so where the base URL and the health check command point. The container
    /// image always sets ASPNETCORE_HTTP_PORTS=8080, so each setting must win over it.
    /// </summary>
    [Theory]
    [InlineData(null, null, "8080", null, null, "http://127.0.0.1:8080")]
    [InlineData(null, null, "8080;8081", "8443", null, "http://127.0.0.1:8080")]
    [InlineData(null, null, null, "8443", null, "https://127.0.0.1:8443")]
    [InlineData(null, "http://+:5005;http://localhost:5006", "8080", null, null, "http://127.0.0.1:5005")]
    [InlineData(null, "http://[::]:5005", "8080", null, null, "http://127.0.0.1:5005")]
    [InlineData(null, "http://auth.internal:5005", null, null, null, "http://auth.internal:5005")]
    [InlineData(null, "http://127.0.0.1:5005", "8080", null, "https://0.0.0.0:8443", "https://127.0.0.1:8443")]
    [InlineData("4100", "http://127.0.0.1:5005", "8080", null, "https://0.0.0.0:8443", "http://127.0.0.1:4100")]
    public void Binding_FollowsKestrelsPrecedence(string? port, string? urls, string? httpPorts, string? httpsPorts, string? kestrelUrl, string expected)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PORT"] = port,
            ["urls"] = urls,
            ["http_ports"] = httpPorts,
            ["https_ports"] = httpsPorts,
            ["Kestrel:Endpoints:Main:Url"] = kestrelUrl,
        }).Build();
        var s = ServerSettings.Read(config, new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Development" });
        Assert.Equal(port is not null, s.ListensOnHostAndPort);
        Assert.Equal(expected, s.Auth.BaseUrl);
        Assert.Equal(expected, HealthProbe.Address(config).GetLeftPart(UriPartial.Authority));
    }
}
