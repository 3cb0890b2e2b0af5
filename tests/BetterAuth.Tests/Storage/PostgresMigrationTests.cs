using BetterAuth.Plugins.Organization;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BetterAuth.Tests.Storage;

/// <summary>A PostgreSQL database that Better Auth's own migrator made: served as it is, extended without loss.</summary>
public sealed class PostgresMigrationTests
{
    /// <summary>
    /// What Better Auth 1.2.12's Kysely migrator emits on PostgreSQL for the core tables (get-migration.ts: text,
    /// boolean, timestamp without time zone, inline UNIQUE, references without ON DELETE), with one user whose
    /// password is "correct horse battery staple".
    /// </summary>
    private const string BetterAuthSchema = """
        create table "user" ("id" text not null primary key, "name" text not null, "email" text not null unique, "emailVerified" boolean not null, "image" text, "createdAt" timestamp not null, "updatedAt" timestamp not null);
        create table "session" ("id" text not null primary key, "expiresAt" timestamp not null, "token" text not null unique, "createdAt" timestamp not null, "updatedAt" timestamp not null, "ipAddress" text, "userAgent" text, "userId" text not null references "user" ("id"));
        create table "account" ("id" text not null primary key, "accountId" text not null, "providerId" text not null, "userId" text not null references "user" ("id"), "accessToken" text, "refreshToken" text, "idToken" text, "accessTokenExpiresAt" timestamp, "refreshTokenExpiresAt" timestamp, "scope" text, "password" text, "createdAt" timestamp not null, "updatedAt" timestamp not null);
        create table "verification" ("id" text not null primary key, "identifier" text not null, "value" text not null, "expiresAt" timestamp not null, "createdAt" timestamp, "updatedAt" timestamp);
        insert into "user" values ('u1', 'Ref User', 'ref@example.com', true, null, '2025-06-27 10:00:00', '2025-06-27 10:00:00');
        insert into "account" values ('a1', 'u1', 'credential', 'u1', null, null, null, null, null, null, '23227756901a84810b16b0ee6fbe23a5:97cbe179816eeb131559f1d06b43f5d6a6db45beb076940b2770b03777ca3d24304a7262cf6bc2037f01c0cff40be16e0ea335e6099cd5324b769eca9fb8bdac', '2025-06-27 10:00:00', '2025-06-27 10:00:00');
        """;

    [Fact]
    public async Task DatabaseMadeByBetterAuth_KeepsItsData_ServesItsUsers_AndGainsPluginTables()
    {
        await using var schema = await TestServices.NewPostgresSchemaAsync();
        await using (var connection = new NpgsqlConnection(schema.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(BetterAuthSchema, connection);
            await command.ExecuteNonQueryAsync();
        }

        await using var host = await AuthTestHost.StartAsync(o =>
        {
            o.Database.Provider = "postgres";
            o.Database.ConnectionString = schema.ConnectionString;
            o.Plugins.Add(new OrganizationPlugin());
        }, realHasher: true, storage: new TestStorage(Postgres: true, Redis: false));

        var client = host.Client();
        var signIn = await client.SignInAsync("ref@example.com", "correct horse battery staple");
        Assert.Equal("u1", signIn["user"]!["id"]!.GetValue<string>());
        var session = await client.GetAsync("/get-session");
        Assert.Equal("2025-06-27T10:00:00.000Z", session.Json!["user"]!["createdAt"]!.GetValue<string>());
        Assert.True(session.Json!["user"]!["emailVerified"]!.GetValue<bool>());
        Assert.Null(session.Json!["session"]!["activeOrganizationId"]); // the plugin's column, added to the existing table

        // Better Auth's inline UNIQUE constraints count: no second unique index on email or token was made.
        var indexes = await host.WithDbAsync(db => db.Database.SqlQueryRaw<string>(
            "SELECT indexdef AS \"Value\" FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ('user', 'session')").ToListAsync());
        Assert.Single(indexes, d => d.Contains("(email)"));
        Assert.Single(indexes, d => d.Contains("(token)"));
        Assert.Contains(indexes, d => d.Contains("(\"userId\")")); // the lookup index Better Auth's migrator does not make

        var stored = await host.WithDbAsync(db => db.Database.SqlQueryRaw<string>(
            "SELECT \"expiresAt\"::text AS \"Value\" FROM \"session\"").ToListAsync());
        Assert.Equal("2026-01-22 12:00:00", Assert.Single(stored)); // the test clock's now + 7 days, UTC wall-clock time
        Assert.False((await host.Services.MigrateBetterAuthAsync()).Changed);
    }
}
