using BetterAuth.Core.Storage;
using BetterAuth.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BetterAuth.Tests.Packaging;

/// <summary>The host's own database: no DDL unless asked, an idempotent script for review, the host's own DbContext.</summary>
public sealed class HostDatabaseTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["BetterAuth:BaseUrl"] = AuthTestHost.Origin,
        ["BetterAuth:Secret"] = AuthTestHost.Secret,
        ["BetterAuth:RateLimit:Enabled"] = "false",
    };

    private static async Task<List<string>> TablesAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        return tables;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Library_RunsNoDdlAtStart_AndItsScriptCanBeAppliedTwice()
    {
        await using var host = PackageHost.Build(Settings, (b, db) =>
            b.Services.AddBetterAuth(b.Configuration.GetSection("BetterAuth")).UseSqlite(db).AddTwoFactor().AddUsername());
        host.App.MapBetterAuth();
        await host.App.StartAsync();
        Assert.DoesNotContain("user", await TablesAsync(host.ConnectionString));

        var script = await host.Services.ScriptBetterAuthMigrationAsync();
        Assert.Contains("CREATE TABLE IF NOT EXISTS \"user\"", script);
        Assert.Contains("CREATE TABLE IF NOT EXISTS \"twoFactor\"", script);
        Assert.Contains("CREATE UNIQUE INDEX IF NOT EXISTS", script);
        Assert.DoesNotContain("user", await TablesAsync(host.ConnectionString)); // a script changes nothing

        await ExecuteAsync(host.ConnectionString, script);
        await ExecuteAsync(host.ConnectionString, script); // idempotent
        Assert.Equal(["account", "session", "twoFactor", "user", "verification"],
            (await TablesAsync(host.ConnectionString)).Where(t => !t.StartsWith("sqlite_", StringComparison.Ordinal)));
        // The script made exactly the schema the migrator wants, and the API works on it.
        Assert.False((await host.Services.MigrateBetterAuthAsync()).Changed);
        Assert.Equal(200, (await host.Client().PostAsync("/sign-up/email",
            new { email = "scripted@example.com", password = "password123", name = "S", username = "scripted" })).Status);
        Assert.Contains("-- Better Auth schema (SQLite): schema is up to date.", await host.Services.ScriptBetterAuthMigrationAsync());
    }

    [Theory]
    [InlineData("CREATE TABLE \"x\" (\"a\" text)", false, "CREATE TABLE IF NOT EXISTS \"x\" (\"a\" text)")]
    [InlineData("CREATE UNIQUE INDEX \"i\" ON \"x\" (\"a\")", false, "CREATE UNIQUE INDEX IF NOT EXISTS \"i\" ON \"x\" (\"a\")")]
    [InlineData("CREATE INDEX \"i\" ON \"x\" (\"a\")", true, "CREATE INDEX IF NOT EXISTS \"i\" ON \"x\" (\"a\")")]
    [InlineData("ALTER TABLE \"user\" ADD \"phoneNumber\" text", true, "ALTER TABLE \"user\" ADD COLUMN IF NOT EXISTS \"phoneNumber\" text")]
    [InlineData("ALTER TABLE \"user\" ADD \"phoneNumber\" TEXT NULL", false, "ALTER TABLE \"user\" ADD \"phoneNumber\" TEXT NULL")]
    public void Script_GuardsEachStatementItsDatabaseCanGuard(string sql, bool postgres, string expected) =>
        Assert.Equal(expected, SchemaMigrator.Idempotent(sql, postgres));

    [Fact]
    public async Task HostDbContext_HoldsBetterAuthsTables_AndServesTheApi()
    {
        await using var host = PackageHost.Build(Settings, (b, db) =>
        {
            b.Services.AddDbContext<HostContext>((sp, o) => o.UseSqlite(db).UseBetterAuth(sp));
            b.Services.AddBetterAuth(b.Configuration.GetSection("BetterAuth")).UseDbContext<HostContext>().AddTwoFactor();
        });
        host.App.MapBetterAuth();
        await using (var scope = host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<HostContext>().Database.EnsureCreatedAsync(); // the host's own schema step
        await host.App.StartAsync();
        Assert.Equal(["account", "orders", "session", "twoFactor", "user", "verification"],
            (await TablesAsync(host.ConnectionString)).Where(t => !t.StartsWith("sqlite_", StringComparison.Ordinal)));

        var client = host.Client();
        var user = (await client.SignUpAsync("host-context@example.com"))["user"]!["id"]!.GetValue<string>();
        Assert.Equal(200, (await client.GetAsync("/get-session")).Status);

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HostContext>();
            Assert.Same(db, scope.ServiceProvider.GetRequiredService<AuthDbContext>()); // Better Auth works on the host's context
            db.Orders.Add(new Order { UserId = user, PlacedAt = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc) });
            await db.SaveChangesAsync();
            Assert.Equal("host-context@example.com", await (from o in db.Orders join u in db.Users on o.UserId equals u.Id select u.Email).SingleAsync());
        }
        // Better Auth's columns keep Better Auth's formats; the host's own keep EF Core's.
        await using var connection = new SqliteConnection(host.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT \"createdAt\" FROM \"user\"), (SELECT \"PlacedAt\" FROM \"orders\")";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", reader.GetString(0));
        Assert.Equal("2026-01-02 03:04:05", reader.GetString(1));
    }

    private sealed class HostContext(DbContextOptions<HostContext> options) : AuthDbContext(options)
    {
        public DbSet<Order> Orders => Set<Order>();

        protected override void OnModelCreating(ModelBuilder b)
        {
            base.OnModelCreating(b);
            b.Entity<Order>().ToTable("orders").HasOne<User>().WithMany().HasForeignKey(o => o.UserId);
        }
    }

    private sealed class Order
    {
        public int Id { get; set; }
        public required string UserId { get; set; }
        public DateTime PlacedAt { get; set; }
    }
}
