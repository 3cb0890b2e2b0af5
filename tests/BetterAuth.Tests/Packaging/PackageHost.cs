using BetterAuth.Core.Crypto;
using BetterAuth.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BetterAuth.Tests.Packaging;

/// <summary>
/// A host wired the way an application wires the packages (configuration section, builder methods), over TestServer
/// and a SQLite file of its own; for the registration tests, which need hosts AuthTestHost does not make.
/// </summary>
public sealed class PackageHost : IAsyncDisposable
{
    public WebApplication App { get; }
    public string Dir { get; }
    public string ConnectionString => $"Data Source={Path.Combine(Dir, "app.db")}";

    private PackageHost(WebApplication app, string dir) => (App, Dir) = (app, dir);

    public IServiceProvider Services => App.Services;
    public TestClient Client() => new(App.GetTestServer().CreateClient(), AuthTestHost.Origin);

    /// <summary>Builds (not starts) a host: <paramref name="settings"/> are configuration keys, <paramref name="wire"/> adds Better Auth.</summary>
    public static PackageHost Build(Dictionary<string, string?> settings, Action<WebApplicationBuilder, string> wire,
        string environment = "Development")
    {
        var dir = Directory.CreateTempSubdirectory("ba-pkg-").FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment, ContentRootPath = dir });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<IPasswordHasher, FastTestHasher>();
        wire(builder, $"Data Source={Path.Combine(dir, "app.db")}");
        var app = builder.Build();
        return new PackageHost(app, dir);
    }

    public async ValueTask DisposeAsync()
    {
        // A host whose start was refused has nothing to stop (and says so with various exceptions).
        try { await App.StopAsync(); } catch (Exception e) when (e is InvalidOperationException or ArgumentNullException) { }
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
