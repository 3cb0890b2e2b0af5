using BetterAuth.Core.Plugins;
using BetterAuth.Core.Storage;
using BetterAuth.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Tests.Core;

public sealed class MigrationTests
{
    /// <summary>The DDL Better Auth 1.2.12's migrator wrote for the core tables (read from a reference database).</summary>
    private const string ReferenceCoreSchema = """
        CREATE TABLE "user" ("id" text not null primary key, "name" text not null, "email" text not null unique, "emailVerified" integer not null, "image" text, "createdAt" date not null, "updatedAt" date not null);
        CREATE TABLE "session" ("id" text not null primary key, "expiresAt" date not null, "token" text not null unique, "createdAt" date not null, "updatedAt" date not null, "ipAddress" text, "userAgent" text, "userId" text not null references "user" ("id"));
        CREATE TABLE "account" ("id" text not null primary key, "accountId" text not null, "providerId" text not null, "userId" text not null references "user" ("id"), "accessToken" text, "refreshToken" text, "idToken" text, "accessTokenExpiresAt" date, "refreshTokenExpiresAt" date, "scope" text, "password" text, "createdAt" date not null, "updatedAt" date not null);
        CREATE TABLE "verification" ("id" text not null primary key, "identifier" text not null, "value" text not null, "expiresAt" date not null, "createdAt" date, "updatedAt" date);
        INSERT INTO "user" VALUES ('u1','Ref User','ref@example.com',1,NULL,'2025-06-27T10:00:00.000Z','2025-06-27T10:00:00.000Z');
        INSERT INTO "account" VALUES ('a1','u1','credential','u1',NULL,NULL,NULL,NULL,NULL,NULL,'23227756901a84810b16b0ee6fbe23a5:97cbe179816eeb131559f1d06b43f5d6a6db45beb076940b2770b03777ca3d24304a7262cf6bc2037f01c0cff40be16e0ea335e6099cd5324b769eca9fb8bdac','2025-06-27T10:00:00.000Z','2025-06-27T10:00:00.000Z');
        """;

    [Fact]
    public async Task Migrate_FreshDatabase_CreatesBetterAuthTables_ThenIsANoOp()
    {
        using var sqliteOnly = TestStorage.Pin(TestStorage.Sqlite); // reads SQLite's catalog
        await using var host = await AuthTestHost.StartAsync(); // migrates on start
        var second = await host.Services.MigrateBetterAuthAsync();
        Assert.False(second.Changed, second.ToString());
        var columns = await host.WithDbAsync(db => db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM pragma_table_info('user')").ToListAsync());
        Assert.Equal(["id", "name", "email", "emailVerified", "image", "createdAt", "updatedAt"], columns);
        var tables = await host.WithDbAsync(db => db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM sqlite_master WHERE type='table' ORDER BY name").ToListAsync());
        Assert.Equal(["account", "session", "user", "verification"], tables);
    }

    [Fact]
    public async Task Migrate_DatabaseMadeByReference_KeepsDataAndServesItsUsers()
    {
        var dir = Directory.CreateTempSubdirectory("ba-ref-db-").FullName;
        var file = Path.Combine(dir, "ref.db");
        await using (var connection = new SqliteConnection($"Data Source={file}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = ReferenceCoreSchema;
            await command.ExecuteNonQueryAsync();
        }

        await using var host = await AuthTestHost.StartAsync(o =>
        {
            o.Database.ConnectionString = $"Data Source={file}";
            o.Plugins.Add(new NicknamePlugin());
        }, realHasher: true);
        var client = host.Client();
        var signIn = await client.SignInAsync("ref@example.com", "correct horse battery staple");
        Assert.Equal("u1", signIn["user"]!["id"]!.GetValue<string>());
        var session = await client.GetAsync("/get-session");
        Assert.Equal("2025-06-27T10:00:00.000Z", session.Json!["user"]!["createdAt"]!.GetValue<string>());
        Assert.True(session.Json!["user"]!["emailVerified"]!.GetValue<bool>());
        Assert.Null(session.Json!["user"]!["nickname"]); // plugin column added to the existing table
        var stored = await host.WithDbAsync(db => db.Database.SqlQueryRaw<string>("SELECT expiresAt AS Value FROM session").ToListAsync());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", Assert.Single(stored));
    }

    [Fact]
    public async Task Migrate_DryRun_ReportsSqlWithoutApplyingIt()
    {
        await using var host = await AuthTestHost.StartAsync(o => o.Database.MigrateOnStart = false);
        var report = await host.Services.MigrateBetterAuthAsync(dryRun: true);
        Assert.Contains("user", report.CreatedTables);
        Assert.Contains(report.Sql, s => s.Contains("CREATE TABLE \"user\""));
        var applied = await host.Services.MigrateBetterAuthAsync();
        Assert.True(applied.Changed);
        Assert.False((await host.Services.MigrateBetterAuthAsync()).Changed);
    }

    private sealed class NicknamePlugin : IBetterAuthPlugin
    {
        public string Id => "nickname";
        public void Configure(AuthPluginBuilder builder) => builder.AddUserField(new FieldDefinition("nickname", FieldType.String));
    }
}
