using BetterAuth.Core.Storage;
using BetterAuth.Plugins.Admin;
using BetterAuth.Server.Pages;
using BetterAuth.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BetterAuth.Tests.Server;

/// <summary>
/// The standalone server (its real Program) over a fresh SQLite file, with a fake clock and a stand-in page build
/// (an index.html with the config marker and one asset), so page and console tests do not need the npm build.
/// </summary>
public sealed class PagesTestServer : IAsyncDisposable
{
    public const string Origin = "http://localhost";
    public const string IndexHtml = "<!doctype html><html><head><title>t</title>" + PageShell.Marker + "</head><body><div id=\"app\"></div></body></html>";

    private readonly WebApplicationFactory<Program> _factory;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero));
    public string PagesRoot { get; }

    public PagesTestServer(Dictionary<string, string?>? settings = null, bool buildPages = true)
    {
        var dir = Directory.CreateTempSubdirectory("ba-pages-test-").FullName;
        PagesRoot = Path.Combine(dir, "pages");
        if (buildPages)
        {
            Directory.CreateDirectory(Path.Combine(PagesRoot, "assets"));
            File.WriteAllText(Path.Combine(PagesRoot, "index.html"), IndexHtml);
            File.WriteAllText(Path.Combine(PagesRoot, "assets", "app-1234.js"), "console.log('pages');");
        }
        var all = new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = Path.Combine(dir, "pages.db"),
            ["BETTER_AUTH_SECRET"] = "a-pages-test-secret-that-is-long-enough-0123456789",
            ["BETTER_AUTH_URL"] = Origin,
            ["BETTER_AUTH_RATE_LIMIT"] = "0",
            ["BETTER_AUTH_OUTBOX"] = Path.Combine(dir, "outbox.jsonl"),
            ["Pages:Root"] = PagesRoot,
        };
        foreach (var (k, v) in settings ?? new()) all[k] = v;
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Development");
            foreach (var (k, v) in all) b.UseSetting(k, v);
            b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
        });
    }

    public IServiceProvider Services => _factory.Services;

    public HttpClient Http() => _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    public TestClient Client() => new(Http(), Origin);

    /// <summary>Signs a new user up and gives them the admin role directly in the database.</summary>
    public async Task<TestClient> AdminAsync(string email)
    {
        var client = Client();
        await client.SignUpAsync(email);
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var user = await db.Users.FirstAsync(u => u.Email == email);
        user[AdminFields.Role] = "admin";
        await db.SaveChangesAsync();
        return client;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();
}
