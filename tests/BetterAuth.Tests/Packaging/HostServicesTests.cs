using BetterAuth.Core.Storage;
using BetterAuth.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StackExchange.Redis;

namespace BetterAuth.Tests.Packaging;

/// <summary>The host's own connections are used when it registers them: an NpgsqlDataSource, an IConnectionMultiplexer.</summary>
public sealed class HostServicesTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["BetterAuth:BaseUrl"] = AuthTestHost.Origin,
        ["BetterAuth:Secret"] = AuthTestHost.Secret,
        ["BetterAuth:RateLimit:Enabled"] = "false",
        ["BetterAuth:Database:MigrateOnStart"] = "true",
    };

    [Fact]
    public async Task UsePostgreSql_WithoutConnectionString_UsesTheHostsDataSource()
    {
        await using var schema = await TestServices.NewPostgresSchemaAsync();
        await using var dataSource = NpgsqlDataSource.Create(schema.ConnectionString);
        await using var host = PackageHost.Build(Settings, (b, _) =>
        {
            b.Services.AddSingleton(dataSource);
            b.Services.AddBetterAuth(b.Configuration.GetSection("BetterAuth")).UsePostgreSql();
        });
        host.App.MapBetterAuth();
        await host.App.StartAsync();

        await host.Client().SignUpAsync("data-source@example.com");
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
            Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", db.Database.ProviderName);
            Assert.Same(dataSource, db.Database.GetDbConnection() switch { NpgsqlConnection c => GetDataSource(c), _ => null });
        }
        await using var check = dataSource.CreateCommand("SELECT count(*) FROM \"user\" WHERE email = 'data-source@example.com'");
        Assert.Equal(1L, await check.ExecuteScalarAsync());
    }

    /// <summary>The data source a connection came from (Npgsql keeps it on the connection, not publicly).</summary>
    private static NpgsqlDataSource? GetDataSource(NpgsqlConnection connection) =>
        typeof(NpgsqlConnection).GetProperty("NpgsqlDataSource", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)
            ?.GetValue(connection) as NpgsqlDataSource;

    [Fact]
    public async Task UsePostgreSql_RefusesAConnectionStringThatIsNotNpgsqls_WhenNoDataSourceIsRegistered()
    {
        await using var host = PackageHost.Build(Settings, (b, _) => b.Services.AddBetterAuth(b.Configuration.GetSection("BetterAuth")).UsePostgreSql());
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.App.StartAsync());
        Assert.Contains(error.Failures, f => f.StartsWith("BetterAuth:Database:ConnectionString is not an Npgsql connection string", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UseRedis_WithoutConfiguration_UsesTheHostsMultiplexer()
    {
        using var multiplexer = await ConnectionMultiplexer.ConnectAsync(TestServices.Redis);
        var prefix = $"host-mux-{Guid.NewGuid():N}:";
        await using (var host = PackageHost.Build(new(Settings) { ["BetterAuth:SecondaryStorage:KeyPrefix"] = prefix }, (b, db) =>
                     {
                         b.Services.AddSingleton<IConnectionMultiplexer>(multiplexer);
                         b.Services.AddBetterAuth(b.Configuration.GetSection("BetterAuth")).UseSqlite(db).UseRedis();
                     }))
        {
            host.App.MapBetterAuth();
            await host.App.StartAsync();
            var client = host.Client();
            var user = (await client.SignUpAsync("multiplexer@example.com"))["user"]!["id"]!.GetValue<string>();
            Assert.Equal(200, (await client.GetAsync("/get-session")).Status);
            // The session went into the host's Redis under the configured prefix.
            Assert.True(await multiplexer.GetDatabase().KeyExistsAsync(prefix + "active-sessions-" + user));
        }
        // Stopping the app leaves the host's connection open: it is the host's to close.
        Assert.True(multiplexer.IsConnected);
    }
}
